package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/migsim/migsim/sim/scenario"
)

// repoRoot returns the repository root from the package directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root, err := findRoot(wd)
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// TestDocsUpToDate regenerates every document in memory and fails when the
// file in docs/ differs, so the documents cannot drift from the code.
func TestDocsUpToDate(t *testing.T) {
	root := repoRoot(t)
	docs, err := generate(root)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	if len(docs) != 3 {
		t.Fatalf("generated %d documents, want 3", len(docs))
	}
	for _, d := range docs {
		have, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(d.path)))
		if err != nil {
			t.Errorf("%s: %v (run go run ./scripts/gendocs)", d.path, err)
			continue
		}
		if !bytes.Equal(have, d.data) {
			t.Errorf("%s is stale: run go run ./scripts/gendocs and commit the result\n%s", d.path, firstDiff(have, d.data))
		}
	}
}

// firstDiff describes the first line where two texts differ.
func firstDiff(have, want []byte) string {
	h := strings.Split(string(have), "\n")
	w := strings.Split(string(want), "\n")
	for i := 0; i < max(len(h), len(w)); i++ {
		var a, b string
		if i < len(h) {
			a = h[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("first difference at line %d:\n  file:      %.200q\n  generated: %.200q", i+1, a, b)
		}
	}
	return "the texts differ in length only"
}

// TestDescribe checks how field doc comments become key descriptions,
// against descriptions written by hand.
func TestDescribe(t *testing.T) {
	st := &structType{name: "Thing", fields: []field{
		{goName: "ValueOfTime", key: "value_of_time"},
		{goName: "Lat", key: "lat"},
		{goName: "Lon", key: "lon"},
		{goName: "MinBudgetShare", key: "min_budget_share"},
		{goName: "Until", key: "until"},
		{goName: "Ramp", key: "ramp"},
		{goName: "Set", key: "set"},
	}}
	sc := &schema{structs: map[string]*structType{"Thing": st}}
	sc.structs["Ramp"] = &structType{name: "Ramp", fields: []field{{goName: "To", key: "to"}, {goName: "Days", key: "days"}}}
	st.fields[5].typ = ast.NewIdent("Ramp")
	cases := []struct {
		field, doc, desc, other, deflt string
	}{
		{"ValueOfTime", "ValueOfTime is the money (USD) a person\nwould pay to save one day.", "The money (USD) a person would pay to save one day.", "", ""},
		{"Lat", "Lat and Lon are the coordinates in degrees.", "The coordinates in degrees.", "Lon", ""},
		{"MinBudgetShare", "MinBudgetShare: a person leaves only if the budget is at least this share. Default 1.", "A person leaves only if the budget is at least this share.", "", "1"},
		{"Until", "Until, if set, is the first day it no longer applies. Default 0.5 (the 2023 rule).", "If set, the first day it no longer applies.", "", "0.5 (the 2023 rule)"},
		{"Ramp", "Ramp moves the value linearly to Ramp.To over Ramp.Days days.", "Moves the value linearly to `ramp.to` over `ramp.days` days.", "", ""},
		{"Set", "Set replaces the value. After loading it is ready for Scenario.SetParam.", "Replaces the value.", "", ""},
	}
	for _, c := range cases {
		var f field
		for _, g := range st.fields {
			if g.goName == c.field {
				f = g
			}
		}
		f.doc = c.doc
		desc, other, deflt := sc.describe(st, f)
		if desc != c.desc || other != c.other || deflt != c.deflt {
			t.Errorf("describe(%q) = %q, %q, %q; want %q, %q, %q", c.doc, desc, other, deflt, c.desc, c.other, c.deflt)
		}
	}
}

// TestCodify checks which words go in code font.
func TestCodify(t *testing.T) {
	cases := []struct{ in, want string }{
		{"keys ending in _risk, e.g. capsize_risk.", "keys ending in `_risk`, e.g. `capsize_risk`."},
		{"the path node.<id>.<key> and Dist.Check", "the path `node.<id>.<key>` and Dist.Check"},
		{"unmet_need_<node id> for every node", "`unmet_need_<node id>` for every node"},
		{"already `base_rate` here", "already `base_rate` here"},
		{"where <key> is", "where `<key>` is"},
		{"if x < y", `if x \< y`},
		{"see border.us.apprehension.", "see `border.us.apprehension`."},
	}
	for _, c := range cases {
		if got := codify(c.in); got != c.want {
			t.Errorf("codify(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestMarkdown checks the rendering of a doc comment with a code block and
// a list.
func TestMarkdown(t *testing.T) {
	in := "Rules:\n\n  - one_a\n    continued;\n  - two.\n\nA formula\n\n\tx = a + b\n\nEnd.\n"
	want := "Rules:\n\n- `one_a` continued;\n- two.\n\nA formula\n\n```text\nx = a + b\n```\n\nEnd.\n"
	if got := markdown(in); got != want {
		t.Errorf("markdown:\n%s\nwant:\n%s", got, want)
	}
}

// TestRequiredKeys checks the keys found required by deleting them from the
// example scenario against what the loader's validation demands.
func TestRequiredKeys(t *testing.T) {
	req, err := requiredKeys(probeText())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"scenario.name", "scenario.start", "scenario.end", "border.us.interior", "border.us.irregular_cost",
		"node.id", "node.name", "node.kind", "edge.from", "edge.to", "edge.mode", "edge.direction", "edge.duration", "edge.cost",
		"origin.id", "origin.node", "origin.nationality", "origin.budget", "policy.name", "policy.date", "policy.path",
		"observed.name", "observed.file", "observed.quantity"} {
		if cond, ok := req[k]; !ok || cond != "" {
			t.Errorf("%s: required = %v, condition %q; want required", k, ok, cond)
		}
	}
	for _, k := range []string{"scenario.description", "node.meals", "node.country", "edge.capacity", "origin.pool", "policy.scale", "report.focus_node"} {
		if _, ok := req[k]; ok {
			t.Errorf("%s: found required, want optional", k)
		}
	}
	if cond := req["observed.edges"]; !strings.Contains(cond, "flow") {
		t.Errorf("observed.edges: condition %q, want one about flows", cond)
	}
}

// TestDefaultsAreTheLoaders checks every default read from decode.go
// against what the loader gives a key left out: each key is deleted from
// the example scenario, which is loaded, and its value compared.
func TestDefaultsAreTheLoaders(t *testing.T) {
	sc, err := loadSchema(repoRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.defaults) < 10 {
		t.Fatalf("found %d defaults, want at least the 10 of the schema", len(sc.defaults))
	}
	for name, lit := range sc.defaults {
		structName, goName, _ := strings.Cut(name, ".")
		var sec *section
		for _, s := range sc.sections() {
			if s.st.name == structName {
				sec = &s
				break
			}
		}
		if sec == nil {
			t.Errorf("%s: no section", name)
			continue
		}
		var key string
		for _, f := range sec.st.fields {
			if f.goName == goName {
				key = f.key
			}
		}
		text := deleteKey(probeText(), sec.path, key)
		s, err := scenario.Parse("probe.toml", []byte(text), nil)
		if err != nil {
			t.Errorf("%s: the example without %s does not load: %v", name, key, err)
			continue
		}
		v := valueAt(reflect.ValueOf(s).Elem(), strings.Split(sec.path, "."))
		got := v.FieldByName(goName)
		if !sameLiteral(got, lit) {
			t.Errorf("%s.%s left out loads as %v, but the documented default is %s", sec.path, key, got, lit)
		}
	}
}

// deleteKey removes every line `key = ...` of the tables named sect.
func deleteKey(text, sect, key string) string {
	var out []string
	cur := ""
	re := regexp.MustCompile(`^` + regexp.QuoteMeta(key) + `\s*=`)
	for _, line := range strings.Split(text, "\n") {
		if m := headerRE.FindStringSubmatch(line); m != nil {
			cur = m[1]
		} else if cur == sect && re.MatchString(line) {
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// valueAt follows toml keys from a struct, taking the first element of
// arrays of tables.
func valueAt(v reflect.Value, path []string) reflect.Value {
	for _, k := range path {
		for i := 0; i < v.NumField(); i++ {
			tag, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("toml"), ",")
			if tag == k {
				v = v.Field(i)
				break
			}
		}
		if v.Kind() == reflect.Slice {
			v = v.Index(0)
		}
	}
	return v
}

// sameLiteral reports whether a Go value equals a TOML literal.
func sameLiteral(v reflect.Value, lit string) bool {
	switch v.Kind() {
	case reflect.String:
		s, err := strconv.Unquote(lit)
		return err == nil && v.String() == s
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()) == lit
	case reflect.Float64:
		f, err := strconv.ParseFloat(lit, 64)
		return err == nil && v.Float() == f
	case reflect.Int:
		n, err := strconv.ParseInt(lit, 10, 64)
		return err == nil && v.Int() == n
	case reflect.Uint64:
		n, err := strconv.ParseUint(lit, 10, 64)
		return err == nil && v.Uint() == n
	}
	return false
}

// TestTidy checks the clean-up of rendered text.
func TestTidy(t *testing.T) {
	in := "\n\nA  \n\n\n\nB\n```\nx  \n\n\ny\n```\n\n\n"
	want := "A\n\nB\n```\nx  \n\n\ny\n```\n"
	if got := string(tidy(in)); got != want {
		t.Errorf("tidy = %q, want %q", got, want)
	}
}
