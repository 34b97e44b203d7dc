package main

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"text/template"

	"github.com/migsim/migsim/scenarios"
	"github.com/migsim/migsim/sim/scenario"
)

// defaultFile is the embedded default scenario the documents describe.
const defaultFile = "americas.toml"

// loadDefault loads the embedded default scenario.
func loadDefault() (*scenario.Scenario, error) {
	s, err := scenario.LoadFS(scenarios.FS(), defaultFile)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", defaultFile, err)
	}
	return s, nil
}

// setExamples are the --set assignments shown in docs/scenario.md; each is
// applied to the default scenario, which must still validate.
var setExamples = []struct{ set, what string }{
	{"border.us.cbp_one_daily_slots=0", "no CBP One appointments"},
	{"node.necocli.meals=500", "a number"},
	{"edge.necocli-capurgana.open=false", "a boolean: close the edge"},
	{"edge.necocli-capurgana.interception_to=origin", "text (a bare word is taken as text)"},
	{"origin.ven_venezuela.budget={ median = 1500, sigma = 0.6 }", "a whole distribution (quote it in the shell)"},
	{"origin.ven_venezuela.budget.median=1500", "one part of a distribution"},
	{"scenario.scale=0.01", "one agent per 100 persons, for a quick run"},
}

// policyExamples is the [[policy]] text shown in docs/scenario.md; it is
// appended to the default scenario, which must still load.
const policyExamples = `# Set: from 2025-01-20 on, CBP One gives no appointments.
[[policy]]
name = "cbp_one_cancelled"
date = 2025-01-20
path = "border.us.cbp_one_daily_slots"
set = 0
source = "TOWNHALL_20250120"

# Scale, for a time, for one nationality: Venezuelans are let in to seek
# asylum a tenth as often from 2022-10-12 until 2023-05-12 (the day the
# parameter returns to what it would be without this policy).
[[policy]]
name = "expel_venezuelans"
date = 2022-10-12
until = 2023-05-12
path = "border.us.asylum_access"
nationality = "VEN"
scale = 0.1
source = "assumption"

# Ramp: boat seats grow linearly to 1600 a day over a year.
[[policy]]
name = "more_boats"
date = 2022-06-01
path = "edge.necocli-capurgana.capacity"
ramp = { to = 1600, days = 365 }
source = "assumption"

# A distribution: set it whole, or ramp one of its parts.
[[policy]]
name = "dearer_trek"
date = 2023-01-01
path = "edge.capurgana-bajo_chiquito.cost"
set = { min = 300, mode = 400, max = 600 }
source = "assumption"

[[policy]]
name = "dearer_trek"
date = 2024-01-01
path = "edge.capurgana-bajo_chiquito.cost.max"
ramp = { to = 800, days = 90 }
source = "assumption"
`

// errorEdits turn the example scenario into a bad one for the error
// example: each old text must occur exactly once.
var errorEdits = [][2]string{
	{"end = 2023-12-31", "end = 2022-12-31"},
	{"apprehension = 0.8", "apprehension = 1.8"},
	{"wage = 12", "wages = 12"},
	{"capacity = 60", "capacity = -60"},
	{`to = "home"`, `to = "hom"`},
	{`path = "edge.port-border.capacity"`, `path = "edge.port-bordr.capacity"`},
	{"duration = 12\n", "duration = \"12 days\"\n"},
}

// scenarioFuncs returns the template functions of docs/scenario.md.
func scenarioFuncs(root string, sc *schema) (template.FuncMap, error) {
	distFile, err := parseGo(root, "sim/scenario/dist.go")
	if err != nil {
		return nil, err
	}
	paramsFile, err := parseGo(root, "sim/scenario/params.go")
	if err != nil {
		return nil, err
	}
	validFile, err := parseGo(root, "sim/scenario/validate.go")
	if err != nil {
		return nil, err
	}
	errFile, err := parseGo(root, "sim/scenario/errors.go")
	if err != nil {
		return nil, err
	}
	policyFile, err := parseGo(root, "sim/policy.go")
	if err != nil {
		return nil, err
	}
	def, err := loadDefault()
	if err != nil {
		return nil, err
	}

	docs, err := renderExcerpts([]excerpt{
		{name: "dist", get: func() (string, error) { return distFile.typeDoc("Dist") },
			edits: [][2]string{{"Dist is a probability distribution", "A distribution describes"}}},
		{name: "paramPaths", get: func() (string, error) { return paramsFile.floatingComment("Parameter paths") },
			edits: [][2]string{{"the --set flag", "the `--set` flag"}}},
		{name: "validate", get: func() (string, error) { return validFile.funcDoc("Validate") },
			edits: [][2]string{
				{"Validate checks s:", "Every scenario is checked when it loads:"},
				{" It returns an ErrorList of every problem found, or nil.", ""},
			}},
		{name: "valueRules", get: func() (string, error) { return validFile.funcDoc("checkValue") }, from: "The rules:",
			edits: [][2]string{{"distributions as Dist.Check", "distributions as in [the table of distributions](#distributions)"}}},
		{name: "graph", get: func() (string, error) { return validFile.funcDoc("checkGraph") },
			edits: [][2]string{{"checkGraph checks that", "Last, loading checks that"}}},
		{name: "error", get: func() (string, error) { return errFile.typeDoc("Error") },
			edits: [][2]string{
				{"Error is one problem", "An error is one problem"},
				{"Key names the offending key", "Its key names the offending key"},
				{"of File)", "of its file)"},
				{"has the assignment as Key and no File.", "names the assignment as its key and no file."},
			}},
		{name: "errorList", get: func() (string, error) { return errFile.typeDoc("ErrorList") },
			edits: [][2]string{{"ErrorList is every problem found in a scenario, ordered", "The errors of a scenario are listed all at once, ordered"}}},
		{name: "policyRule", get: func() (string, error) { return policyFile.floatingComment("Policies") }},
	})
	if err != nil {
		return nil, err
	}

	sections := map[string]section{}
	for _, s := range sc.sections() {
		sections[s.path] = s
	}
	sets, err := renderSetExamples(def)
	if err != nil {
		return nil, err
	}
	if err := checkPolicyExamples(); err != nil {
		return nil, err
	}
	bad, err := errorExample()
	if err != nil {
		return nil, err
	}

	return template.FuncMap{
		"doc":     func(name string) (string, error) { return lookup(docs, name, "doc") },
		"example": func() string { return strings.TrimSpace(exampleTOML) },
		"tables":  func() (string, error) { return topTable(sc) },
		"section": func(p string) (string, error) {
			s, ok := sections[p]
			if !ok {
				return "", fmt.Errorf("no section %q", p)
			}
			t, err := sc.sectionTable(s)
			if err != nil {
				return "", err
			}
			return "### " + s.heading() + "\n\n" + codify(sc.describeType(s.st)) + "\n\n" + t, nil
		},
		"sectionList": func() string {
			var b strings.Builder
			for _, s := range sc.sections() {
				fmt.Fprintf(&b, "- [%s](#%s)\n", s.heading(), anchor(s.heading()))
			}
			return b.String()
		},
		"paramKeys":      func() (string, error) { return paramKeyTable(sc) },
		"setExamples":    func() string { return sets },
		"policyExamples": func() string { return strings.TrimSpace(policyExamples) },
		"errorExample":   func() string { return bad },
	}, nil
}

// lookup returns m[name] or an error naming what is missing.
func lookup(m map[string]string, name, what string) (string, error) {
	v, ok := m[name]
	if !ok {
		return "", fmt.Errorf("no %s %q", what, name)
	}
	return v, nil
}

// anchor is GitHub's anchor of a heading made of code text.
func anchor(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteRune('-')
		}
	}
	return b.String()
}

// topTable renders the table of the top-level keys of a scenario.
func topTable(sc *schema) (string, error) {
	st := sc.structs["Scenario"]
	var rows [][]string
	for _, f := range st.fields {
		if f.key == "" {
			continue
		}
		typ, err := sc.typeName(f.typ)
		if err != nil {
			return "", fmt.Errorf("Scenario.%s: %w", f.goName, err)
		}
		written := f.key
		sub, arr := sc.structOf(f.typ)
		switch {
		case sub != nil && arr:
			written = "[[" + f.key + "]]"
		case sub != nil && f.key == "border":
			written = "[border.us]"
		case sub != nil:
			written = "[" + f.key + "]"
		}
		desc, _, _ := sc.describe(st, f)
		rows = append(rows, []string{code(written), typ, codify(desc)})
	}
	return table([]string{"table or key", "type", "what it holds"}, rows), nil
}

// paramKeyTable lists the parameter keys of each table with the path that
// addresses them.
func paramKeyTable(sc *schema) (string, error) {
	var rows [][]string
	for _, t := range []struct{ sect, path string }{
		{"scenario", "scenario.<key>"},
		{"behaviour", "behaviour.<key>"},
		{"border.us", "border.us.<key>"},
		{"node", "node.<id>.<key>"},
		{"edge", "edge.<id>.<key>"},
		{"origin", "origin.<id>.<key>"},
	} {
		keys := sc.paramKeys(t.sect)
		if len(keys) == 0 {
			return "", fmt.Errorf("no parameters in %s", t.sect)
		}
		for i, k := range keys {
			keys[i] = code(k) + " (" + sc.params[t.sect+"."+k].String() + ")"
		}
		rows = append(rows, []string{code(t.path), strings.Join(keys, ", ")})
	}
	return table([]string{"path", "keys (kind)"}, rows), nil
}

// renderSetExamples applies each --set example to a copy of the default
// scenario, checks that it validates, and renders the examples.
func renderSetExamples(def *scenario.Scenario) (string, error) {
	var b strings.Builder
	b.WriteString("```sh\n")
	for _, ex := range setExamples {
		s := def.Clone()
		if err := s.ApplySets([]string{ex.set}); err != nil {
			return "", fmt.Errorf("--set example %q: %w", ex.set, err)
		}
		if err := s.Validate(); err != nil {
			return "", fmt.Errorf("--set example %q: %w", ex.set, err)
		}
		arg := ex.set
		if strings.ContainsAny(arg, " {}") {
			arg = "'" + arg + "'"
		}
		fmt.Fprintf(&b, "migsim run --set %s   # %s\n", arg, ex.what)
	}
	b.WriteString("```")
	return b.String(), nil
}

// checkPolicyExamples loads the default scenario with the policy examples
// appended.
func checkPolicyExamples() error {
	fsys := scenarios.FS()
	data, err := fs.ReadFile(fsys, defaultFile)
	if err != nil {
		return err
	}
	text := string(data) + "\n" + policyExamples
	_, err = scenario.Parse(defaultFile, []byte(text), func(name string) ([]byte, error) {
		return fs.ReadFile(fsys, path.Clean(name))
	})
	if err != nil {
		return fmt.Errorf("the policy examples do not load with %s: %w", defaultFile, err)
	}
	return nil
}

// errorExample loads a broken copy of the example scenario and renders
// what `migsim check` prints for it.
func errorExample() (string, error) {
	text := exampleTOML
	for _, e := range errorEdits {
		if strings.Count(text, e[0]) != 1 {
			return "", fmt.Errorf("error example: %q does not occur exactly once in example.toml", e[0])
		}
		text = strings.Replace(text, e[0], e[1], 1)
	}
	_, err := scenario.Parse("bad.toml", []byte(text), nil)
	var list scenario.ErrorList
	if !errors.As(err, &list) {
		return "", fmt.Errorf("error example: want an ErrorList, got %v", err)
	}
	var b strings.Builder
	b.WriteString("```console\n$ migsim check bad.toml\n")
	for _, e := range list {
		b.WriteString(e.Error() + "\n")
	}
	b.WriteString("$ echo $?\n1\n```")
	return b.String(), nil
}

// excerpt is a doc comment of the source shown in a document, adapted for
// readers of TOML rather than of Go.
type excerpt struct {
	name  string
	get   func() (string, error)
	from  string      // if set, the excerpt starts after this text
	edits [][2]string // replacements in the rendered Markdown; each must apply
}

// renderExcerpts renders the excerpts as Markdown, by name. An edit that no
// longer applies is an error, so a changed comment is looked at again.
func renderExcerpts(xs []excerpt) (map[string]string, error) {
	out := map[string]string{}
	for _, x := range xs {
		text, err := x.get()
		if err != nil {
			return nil, err
		}
		if x.from != "" {
			_, after, ok := strings.Cut(text, x.from)
			if !ok {
				return nil, fmt.Errorf("excerpt %s: the comment no longer holds %q; update scripts/gendocs", x.name, x.from)
			}
			text = strings.TrimLeft(strings.TrimLeft(after, " "), "\n")
		}
		md := markdown(text)
		for _, e := range x.edits {
			if !strings.Contains(md, e[0]) {
				return nil, fmt.Errorf("excerpt %s: the comment no longer holds %q; update scripts/gendocs", x.name, e[0])
			}
			md = strings.ReplaceAll(md, e[0], e[1])
		}
		out[x.name] = md
	}
	return out, nil
}
