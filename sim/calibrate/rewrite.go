package calibrate

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Edit is one number to write into a scenario's text.
type Edit struct {
	// Target is a parameter path or a policy field (see the package doc).
	Target string
	// Values are the new values: one for a parameter, one per entry of the
	// policy (in file order) for a policy field.
	Values []float64
	// Integer writes the values as whole numbers.
	Integer bool
}

// Marks around the comment block that Rewrite writes; a block between them
// is replaced by the next calibration.
const (
	blockBegin = "# ---- calibration: written by migsim calibrate; do not edit by hand ----"
	blockEnd   = "# ---- end of calibration ----"
)

// FormatValue writes a value as a TOML number: whole numbers without a
// decimal point when integer is set, otherwise the shortest form of its
// four significant digits (an exponent for very small or large values).
func FormatValue(v float64, integer bool) string {
	if integer {
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	}
	s := strconv.FormatFloat(Round4(v), 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") { // a whole number: keep it a float
		s += ".0"
	}
	return s
}

// Rewrite returns text (a scenario file) with every edit's values put in
// place of the values written there, the scenario's calibration key set to
// summary, and comment (lines without the leading "# ") written as a block
// just before the [scenario] table. The block of an earlier calibration,
// whose values this one started from, is kept inside the new block, each
// line marked "> ", so that a calibration done in stages records them all. Only values written in text itself can be edited: a policy
// from an included file, or a parameter left to its default, is an error.
func Rewrite(text []byte, edits []Edit, summary string, comment []string) ([]byte, error) {
	doc := newTOMLDoc(text)
	for _, e := range edits {
		if err := doc.edit(e); err != nil {
			return nil, err
		}
	}
	if err := doc.setCalibration(summary); err != nil {
		return nil, err
	}
	doc.putBlock(comment)
	return doc.bytes(), nil
}

// tomlDoc is a scenario text as lines, with the tables located.
type tomlDoc struct {
	lines []string
	nl    string
}

func newTOMLDoc(text []byte) *tomlDoc {
	nl := "\n"
	if bytes.Contains(text, []byte("\r\n")) {
		nl = "\r\n"
	}
	s := strings.TrimSuffix(string(text), nl)
	return &tomlDoc{lines: strings.Split(s, nl), nl: nl}
}

func (d *tomlDoc) bytes() []byte { return []byte(strings.Join(d.lines, d.nl) + d.nl) }

// header returns the table a line opens ("node" for [[node]], "node.cite"
// for [node.cite]) and whether it is an array element, or ok = false.
func header(line string) (name string, array, ok bool) {
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, "[") {
		return "", false, false
	}
	array = strings.HasPrefix(t, "[[")
	t = strings.TrimLeft(t, "[")
	end := strings.IndexByte(t, ']')
	if end < 0 {
		return "", false, false
	}
	return strings.TrimSpace(t[:end]), array, true
}

// block is a range of lines [lo, hi) holding one table's keys.
type block struct{ lo, hi int }

// blocks returns the line ranges of the tables named name (every element
// of an array of tables), each ending at the next header.
func (d *tomlDoc) blocks(name string) []block {
	var out []block
	cur := -1
	for i, l := range d.lines {
		h, _, ok := header(l)
		if !ok {
			continue
		}
		if cur >= 0 {
			out = append(out, block{cur, i})
			cur = -1
		}
		if h == name {
			cur = i + 1
		}
	}
	if cur >= 0 {
		out = append(out, block{cur, len(d.lines)})
	}
	return out
}

// keyValue splits a line "key = value # comment" and returns the key and
// the byte range of the value in the line.
func keyValue(line string) (key string, lo, hi int, ok bool) {
	eq := strings.IndexByte(line, '=')
	if eq < 0 || strings.HasPrefix(strings.TrimSpace(line), "#") {
		return "", 0, 0, false
	}
	key = strings.Trim(strings.TrimSpace(line[:eq]), `"`)
	lo = eq + 1
	for lo < len(line) && (line[lo] == ' ' || line[lo] == '\t') {
		lo++
	}
	hi = valueEnd(line, lo)
	return key, lo, hi, true
}

// valueEnd returns where the value starting at line[lo] ends: after its
// closing brace, bracket or quote, or at a space or #.
func valueEnd(line string, lo int) int {
	if lo >= len(line) {
		return lo
	}
	switch line[lo] {
	case '{', '[':
		depth := 0
		inStr := false
		for i := lo; i < len(line); i++ {
			c := line[i]
			switch {
			case inStr:
				if c == '\\' {
					i++
				} else if c == '"' {
					inStr = false
				}
			case c == '"':
				inStr = true
			case c == '{' || c == '[':
				depth++
			case c == '}' || c == ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(line)
	case '"':
		for i := lo + 1; i < len(line); i++ {
			if line[i] == '\\' {
				i++
			} else if line[i] == '"' {
				return i + 1
			}
		}
		return len(line)
	}
	i := lo
	for i < len(line) && line[i] != ' ' && line[i] != '\t' && line[i] != '#' {
		i++
	}
	return i
}

// findKey returns the line of key within b, or −1.
func (d *tomlDoc) findKey(b block, key string) int {
	for i := b.lo; i < b.hi; i++ {
		if k, _, _, ok := keyValue(d.lines[i]); ok && k == key {
			return i
		}
	}
	return -1
}

// stringValue returns the string value of key in b, or "".
func (d *tomlDoc) stringValue(b block, key string) string {
	i := d.findKey(b, key)
	if i < 0 {
		return ""
	}
	_, lo, hi, _ := keyValue(d.lines[i])
	v, err := strconv.Unquote(d.lines[i][lo:hi])
	if err != nil {
		return strings.Trim(d.lines[i][lo:hi], `"'`)
	}
	return v
}

// setValue replaces the value of key on line i; with part set, the part of
// an inline table ({ median = 300, sigma = 1.0 }).
func (d *tomlDoc) setValue(i int, part, val string) error {
	line := d.lines[i]
	_, lo, hi, _ := keyValue(line)
	if part == "" {
		d.lines[i] = line[:lo] + val + line[hi:]
		return nil
	}
	tbl := line[lo:hi]
	if !strings.HasPrefix(tbl, "{") {
		return fmt.Errorf("line %d: %s is not an inline table with a part %s", i+1, strings.TrimSpace(line[:lo-1]), part)
	}
	re := regexp.MustCompile(`([{,]\s*)` + regexp.QuoteMeta(part) + `(\s*=\s*)([^,}\s]+)`)
	m := re.FindStringSubmatchIndex(tbl)
	if m != nil {
		tbl = tbl[:m[6]] + val + tbl[m[7]:]
		d.lines[i] = line[:lo] + tbl + line[hi:]
		return nil
	}
	return fmt.Errorf("line %d: %s has no part %s", i+1, strings.TrimSpace(line[:lo-1]), part)
}

// edit writes one edit.
func (d *tomlDoc) edit(e Edit) error {
	if len(e.Values) == 0 {
		return fmt.Errorf("%s: no value to write", e.Target)
	}
	if rest, ok := strings.CutPrefix(e.Target, "policy."); ok {
		return d.editPolicy(e, rest)
	}
	val := FormatValue(e.Values[0], e.Integer)
	parts := strings.Split(e.Target, ".")
	var b block
	var rest []string
	switch parts[0] {
	case "behaviour", "scenario":
		bs := d.blocks(parts[0])
		if len(bs) != 1 {
			return fmt.Errorf("%s: the text has %d [%s] tables", e.Target, len(bs), parts[0])
		}
		b, rest = bs[0], parts[1:]
	case "border":
		bs := d.blocks("border.us")
		if len(parts) < 3 || len(bs) != 1 {
			return fmt.Errorf("%s: no [border.us] table to write it in", e.Target)
		}
		b, rest = bs[0], parts[2:]
	case "node", "edge", "origin":
		if len(parts) < 3 {
			return fmt.Errorf("%s: want %s.<id>.<key>", e.Target, parts[0])
		}
		found := false
		for _, x := range d.blocks(parts[0]) {
			if d.stringValue(x, "id") == parts[1] {
				b, found = x, true
				break
			}
		}
		if !found {
			return fmt.Errorf("%s: no [[%s]] with id %q in the text", e.Target, parts[0], parts[1])
		}
		rest = parts[2:]
	default:
		return fmt.Errorf("%s: cannot be written", e.Target)
	}
	i := d.findKey(b, rest[0])
	if i < 0 {
		return fmt.Errorf("%s: %s is not written in the scenario (it takes its default); write it there first", e.Target, rest[0])
	}
	part := ""
	if len(rest) == 2 {
		part = rest[1]
	}
	return d.setValue(i, part, val)
}

// editPolicy writes a policy field: rest is <name>.<field> or
// <name>[<path>].<field>.
func (d *tomlDoc) editPolicy(e Edit, rest string) error {
	var name, sel, field string
	if i := strings.IndexByte(rest, '['); i >= 0 {
		j := strings.Index(rest, "].")
		if j < i {
			return fmt.Errorf("%s: want policy.<name>[<path>].<field>", e.Target)
		}
		name, sel, field = rest[:i], rest[i+1:j], rest[j+2:]
	} else {
		name, field, _ = strings.Cut(rest, ".")
	}
	var hits []block
	for _, b := range d.blocks("policy") {
		if d.stringValue(b, "name") == name && (sel == "" || d.stringValue(b, "path") == sel) {
			hits = append(hits, b)
		}
	}
	if len(hits) != len(e.Values) {
		return fmt.Errorf("%s: the text has %d such [[policy]] entries, the scenario %d (a policy from an included file cannot be rewritten: calibrate a copy that holds it)", e.Target, len(hits), len(e.Values))
	}
	key, part := field, ""
	switch field {
	case "ramp.to":
		key, part = "ramp", "to"
	case "ramp.days":
		key, part = "ramp", "days"
	}
	for k, b := range hits {
		i := d.findKey(b, key)
		if i < 0 {
			return fmt.Errorf("%s: [[policy]] %s has no %s written", e.Target, name, key)
		}
		if err := d.setValue(i, part, FormatValue(e.Values[k], e.Integer)); err != nil {
			return fmt.Errorf("%s: %w", e.Target, err)
		}
	}
	return nil
}

// setCalibration sets [scenario] calibration = summary, adding the key
// after the table's last key if it is not there.
func (d *tomlDoc) setCalibration(summary string) error {
	bs := d.blocks("scenario")
	if len(bs) != 1 {
		return fmt.Errorf("the text has %d [scenario] tables", len(bs))
	}
	val := strconv.Quote(summary)
	if i := d.findKey(bs[0], "calibration"); i >= 0 {
		return d.setValue(i, "", val)
	}
	last := bs[0].lo - 1
	for i := bs[0].lo; i < bs[0].hi; i++ {
		if _, _, _, ok := keyValue(d.lines[i]); ok {
			last = i
		}
	}
	d.lines = append(d.lines[:last+1], append([]string{"calibration = " + val}, d.lines[last+1:]...)...)
	return nil
}

// putBlock writes the comment block before the [scenario] table (or
// replaces an earlier one).
func (d *tomlDoc) putBlock(comment []string) {
	block := []string{blockBegin}
	for _, c := range comment {
		block = append(block, strings.TrimRight("# "+c, " "))
	}
	block = append(block, blockEnd)
	lo, hi := -1, -1
	for i, l := range d.lines {
		if l == blockBegin && lo < 0 {
			lo = i
		}
		if l == blockEnd && lo >= 0 {
			hi = i
			break
		}
	}
	if lo >= 0 && hi >= 0 {
		old := d.lines[lo+1 : hi]
		body := block[:len(block)-1]
		body = append(body, "# The values this calibration started from came from an earlier one:")
		for _, l := range old {
			body = append(body, strings.TrimRight("# > "+strings.TrimPrefix(strings.TrimPrefix(l, "#"), " "), " "))
		}
		block = append(body, blockEnd)
		d.lines = append(d.lines[:lo], append(block, d.lines[hi+1:]...)...)
		return
	}
	at := 0
	for i, l := range d.lines {
		if h, _, ok := header(l); ok && h == "scenario" {
			at = i
			break
		}
	}
	block = append(block, "")
	d.lines = append(d.lines[:at], append(block, d.lines[at:]...)...)
}
