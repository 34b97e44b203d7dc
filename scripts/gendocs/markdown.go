package main

import (
	"go/doc/comment"
	"regexp"
	"strings"
)

// markdown renders Go doc comment text as Markdown: each paragraph on one
// line, code blocks fenced, lists as "- " items, and words that are TOML
// keys or parameter paths (see codify) in code font.
func markdown(text string) string {
	var p comment.Parser
	d := p.Parse(text)
	var b strings.Builder
	for i, blk := range d.Content {
		if i > 0 {
			b.WriteString("\n")
		}
		writeBlock(&b, blk, "")
	}
	return b.String()
}

// writeBlock writes one block of a parsed doc comment, each line prefixed
// with indent (for blocks inside list items).
func writeBlock(b *strings.Builder, blk comment.Block, indent string) {
	switch x := blk.(type) {
	case *comment.Paragraph:
		b.WriteString(indent + inline(x.Text) + "\n")
	case *comment.Heading:
		b.WriteString(indent + "**" + inline(x.Text) + "**\n")
	case *comment.Code:
		b.WriteString(indent + "```text\n")
		for _, line := range strings.Split(strings.TrimRight(x.Text, "\n"), "\n") {
			b.WriteString(indent + line + "\n")
		}
		b.WriteString(indent + "```\n")
	case *comment.List:
		for _, it := range x.Items {
			marker := "- "
			if it.Number != "" {
				marker = it.Number + ". "
			}
			for j, c := range it.Content {
				if j == 0 {
					var sub strings.Builder
					writeBlock(&sub, c, "")
					b.WriteString(indent + marker + sub.String())
					continue
				}
				b.WriteString("\n")
				writeBlock(b, c, indent+strings.Repeat(" ", len(marker)))
			}
		}
	}
}

// inline renders the text of a paragraph on one line.
func inline(ts []comment.Text) string {
	var b strings.Builder
	for _, t := range ts {
		switch x := t.(type) {
		case comment.Plain:
			b.WriteString(codify(strings.ReplaceAll(string(x), "\n", " ")))
		case comment.Italic:
			b.WriteString("*" + strings.ReplaceAll(string(x), "\n", " ") + "*")
		case *comment.Link:
			b.WriteString("[" + inline(x.Text) + "](" + x.URL + ")")
		case *comment.DocLink:
			b.WriteString(inline(x.Text))
		}
	}
	return b.String()
}

// wordRE finds the candidates for code font: runs of letters, digits and
// the characters of keys and paths.
var wordRE = regexp.MustCompile(`[A-Za-z0-9_*<>.\-]+`)

// pathPrefixes start the parameter paths and table names of a scenario.
var pathPrefixes = []string{"scenario.", "behaviour.", "border.us", "node.", "edge.", "origin.", "policy."}

// isCodeWord reports whether w (trimmed of surrounding punctuation) is a
// TOML key or a parameter path: it holds an underscore and no capital
// letter, or it is a dotted path starting with a scenario table's name.
func isCodeWord(w string) bool {
	if w == "" || strings.ContainsAny(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		return false
	}
	if strings.Contains(w, "_") {
		return true
	}
	for _, p := range pathPrefixes {
		if strings.HasPrefix(w, p) && len(w) > len(p) {
			return true
		}
	}
	return false
}

// placeholderRE finds names with a placeholder such as
// "unmet_need_<node id>" or "node.<id>.<key>".
var placeholderRE = regexp.MustCompile("[A-Za-z0-9_.*-]*<[a-z ]+>[A-Za-z0-9_.*<>-]*")

// codify puts the keys and parameter paths of plain text in code font,
// leaves spans already in backticks alone, and escapes '<' elsewhere so
// that "<id>" is not taken for HTML.
func codify(s string) string {
	parts := strings.Split(s, "`")
	for i := 0; i < len(parts); i += 2 {
		if i == len(parts)-1 && len(parts)%2 == 0 {
			break
		}
		parts[i] = placeholderRE.ReplaceAllStringFunc(parts[i], func(w string) string {
			core := strings.TrimRight(w, ".-")
			return "`" + core + "`" + w[len(core):]
		})
	}
	parts = strings.Split(strings.Join(parts, "`"), "`")
	for i := 0; i < len(parts); i += 2 { // even parts are outside backticks
		if i == len(parts)-1 && len(parts)%2 == 0 {
			break // an unmatched backtick: leave the rest alone
		}
		parts[i] = wordRE.ReplaceAllStringFunc(parts[i], func(w string) string {
			core := strings.TrimRight(w, ".-")
			tail := w[len(core):]
			if isCodeWord(core) {
				return "`" + core + "`" + tail
			}
			return strings.ReplaceAll(w, "<", `\<`)
		})
	}
	return strings.Join(parts, "`")
}

// cell makes text safe for one cell of a Markdown table.
func cell(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

// table renders a Markdown table.
func table(header []string, rows [][]string) string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(header, " | ") + " |\n|")
	for range header {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, r := range rows {
		cs := make([]string, len(r))
		for i, c := range r {
			cs[i] = cell(c)
		}
		b.WriteString("| " + strings.Join(cs, " | ") + " |\n")
	}
	return b.String()
}

// code puts s in code font.
func code(s string) string { return "`" + s + "`" }
