package main

import (
	"errors"
	"fmt"
	"go/ast"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/migsim/migsim/sim/scenario"
)

// schema is what the scenario package's source says about the TOML
// format: its struct types, the defaults the loader gives, and what loading
// the example scenario shows about required keys and parameters.
type schema struct {
	structs  map[string]*structType
	consts   map[string]string
	defaults map[string]string // "Struct.GoName" → TOML literal
	required map[string]string // "section.key" → "" (required) or the condition
	params   map[string]scenario.ParamKind
	enums    map[string][]string // key → the values a text key may take
}

// section is one table of the scenario format, found by walking the
// Scenario struct.
type section struct {
	path   string // dotted TOML path: "scenario", "border.us", "policy.ramp"
	array  bool   // an array of tables ([[node]])
	inline bool   // written inline in its parent (ramp = { ... })
	st     *structType
}

// header is how the section is written in TOML.
func (s section) header() string {
	switch {
	case s.inline:
		return s.path[strings.LastIndexByte(s.path, '.')+1:]
	case s.array:
		return "[[" + s.path + "]]"
	}
	return "[" + s.path + "]"
}

// heading is the Markdown heading text of the section.
func (s section) heading() string {
	if s.inline {
		parent := s.path[:strings.LastIndexByte(s.path, '.')]
		return "`" + s.header() + "` (an inline table in `[[" + parent + "]]`)"
	}
	return "`" + s.header() + "`"
}

// loadSchema reads the scenario package's source under root.
func loadSchema(root string) (*schema, error) {
	sf, err := parseGo(root, "sim/scenario/scenario.go")
	if err != nil {
		return nil, err
	}
	sc := &schema{structs: sf.structs(), consts: sf.stringConsts()}
	if sc.structs["Scenario"] == nil {
		return nil, fmt.Errorf("%s: no Scenario struct", sf.path)
	}
	df, err := parseGo(root, "sim/scenario/decode.go")
	if err != nil {
		return nil, err
	}
	if sc.defaults, err = sc.codeDefaults(df); err != nil {
		return nil, err
	}
	vf, err := parseGo(root, "sim/scenario/validate.go")
	if err != nil {
		return nil, err
	}
	if sc.enums, err = sc.enumValues(vf); err != nil {
		return nil, err
	}
	if sc.required, err = requiredKeys(probeText()); err != nil {
		return nil, err
	}
	if sc.params, err = paramKinds(probeText()); err != nil {
		return nil, err
	}
	return sc, nil
}

// enumValues reads the switch of validate.go's enumValues: for each text
// key, the values it may take.
func (sc *schema) enumValues(vf *goFile) (map[string][]string, error) {
	fd, err := vf.funcDecl("enumValues")
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	var bad error
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		cc, ok := n.(*ast.CaseClause)
		if !ok || bad != nil {
			return bad == nil
		}
		var vals []string
		for _, stmt := range cc.Body {
			ret, ok := stmt.(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 1 {
				continue
			}
			cl, ok := ret.Results[0].(*ast.CompositeLit)
			if !ok {
				continue
			}
			for _, e := range cl.Elts {
				switch x := e.(type) {
				case *ast.BasicLit:
					v, err := strconv.Unquote(x.Value)
					if err != nil {
						bad = err
						return false
					}
					vals = append(vals, v)
				case *ast.Ident:
					v, ok := sc.consts[x.Name]
					if !ok {
						bad = fmt.Errorf("%s: enumValues: unknown constant %s", vf.path, x.Name)
						return false
					}
					vals = append(vals, v)
				}
			}
		}
		for _, k := range cc.List {
			lit, ok := k.(*ast.BasicLit)
			if !ok {
				bad = fmt.Errorf("%s: enumValues: a case that is not a string", vf.path)
				return false
			}
			key, err := strconv.Unquote(lit.Value)
			if err != nil {
				bad = err
				return false
			}
			out[key] = vals
		}
		return false
	})
	if bad != nil {
		return nil, bad
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: enumValues lists no keys", vf.path)
	}
	return out, nil
}

// structOf returns the struct type named by a field's type (T, *T, []T),
// or nil when it is no struct of the schema.
func (sc *schema) structOf(t ast.Expr) (*structType, bool) {
	switch x := t.(type) {
	case *ast.Ident:
		st := sc.structs[x.Name]
		return st, false
	case *ast.StarExpr:
		st, _ := sc.structOf(x.X)
		return st, false
	case *ast.ArrayType:
		st, _ := sc.structOf(x.Elt)
		return st, true
	}
	return nil, false
}

// isValueStruct reports whether a struct type is written as one value
// rather than a table of keys (a distribution).
func isValueStruct(name string) bool { return name == "Dist" }

// sections lists the tables of the format in the order of the Scenario
// struct, nested tables after their parent.
func (sc *schema) sections() []section {
	var out []section
	var walk func(path string, st *structType, array, inline bool)
	walk = func(path string, st *structType, array, inline bool) {
		hasKeys := false
		for _, f := range st.fields {
			if f.key == "" {
				continue
			}
			if sub, _ := sc.structOf(f.typ); sub == nil || isValueStruct(sub.name) {
				hasKeys = true
			}
		}
		if path != "" && hasKeys {
			out = append(out, section{path: path, array: array, inline: inline, st: st})
		}
		for _, f := range st.fields {
			sub, arr := sc.structOf(f.typ)
			if f.key == "" || sub == nil || isValueStruct(sub.name) {
				continue
			}
			p := f.key
			if path != "" {
				p = path + "." + f.key
			}
			walk(p, sub, arr, path != "" && hasKeys)
		}
	}
	walk("", sc.structs["Scenario"], false, false)
	return out
}

// typeName describes the TOML type of a field.
func (sc *schema) typeName(t ast.Expr) (string, error) {
	switch x := t.(type) {
	case *ast.Ident:
		switch x.Name {
		case "string":
			return "text", nil
		case "float64":
			return "number", nil
		case "int":
			return "integer", nil
		case "uint64":
			return "integer ≥ 0", nil
		case "bool":
			return "boolean", nil
		case "any":
			return "number, boolean, text or distribution", nil
		case "Dist":
			return "distribution", nil
		}
		if sc.structs[x.Name] != nil {
			return "table", nil
		}
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok && id.Name == "time" && x.Sel.Name == "Time" {
			return "date", nil
		}
	case *ast.StarExpr:
		if st, _ := sc.structOf(x.X); st != nil {
			return "inline table", nil
		}
		return sc.typeName(x.X)
	case *ast.ArrayType:
		if st, _ := sc.structOf(x.Elt); st != nil {
			return "array of tables", nil
		}
		el, err := sc.typeName(x.Elt)
		if err != nil {
			return "", err
		}
		return "array of " + el, nil
	case *ast.MapType:
		if k, ok := x.Key.(*ast.Ident); ok && k.Name == "string" {
			if v, ok := x.Value.(*ast.Ident); ok && v.Name == "string" {
				return "table of text", nil
			}
		}
	}
	return "", fmt.Errorf("no TOML type for Go type %T", t)
}

// codeDefaults reads the values setDefaults and setElemDefaults in
// decode.go give to keys a file leaves out, as TOML literals, by
// "Struct.Field".
func (sc *schema) codeDefaults(df *goFile) (map[string]string, error) {
	out := map[string]string{}
	literal := func(e ast.Expr) (string, error) {
		switch x := e.(type) {
		case *ast.BasicLit:
			return x.Value, nil
		case *ast.Ident:
			if x.Name == "true" || x.Name == "false" {
				return x.Name, nil
			}
			if v, ok := sc.consts[x.Name]; ok {
				return fmt.Sprintf("%q", v), nil
			}
		}
		return "", fmt.Errorf("%s: cannot read the default %s", df.path, syntaxName(e))
	}
	// fieldOf resolves a selector chain (s.Meta.Scale) from a struct.
	fieldOf := func(st *structType, sel []string) (string, error) {
		for i, name := range sel {
			var next *structType
			found := false
			for _, f := range st.fields {
				if f.goName == name {
					found = true
					if i == len(sel)-1 {
						return st.name + "." + name, nil
					}
					next, _ = sc.structOf(f.typ)
				}
			}
			if !found || next == nil {
				return "", fmt.Errorf("%s: %s has no struct field %s", df.path, st.name, name)
			}
			st = next
		}
		return "", fmt.Errorf("%s: empty selector", df.path)
	}
	assign := func(st *structType, as *ast.AssignStmt) error {
		if len(as.Lhs) != 1 || len(as.Rhs) != 1 {
			return fmt.Errorf("%s: a default must be one assignment", df.path)
		}
		sel := selectorChain(as.Lhs[0])
		if len(sel) < 2 {
			return fmt.Errorf("%s: cannot read the assignment to %s", df.path, syntaxName(as.Lhs[0]))
		}
		name, err := fieldOf(st, sel[1:])
		if err != nil {
			return err
		}
		v, err := literal(as.Rhs[0])
		if err != nil {
			return err
		}
		out[name] = v
		return nil
	}

	fd, err := df.funcDecl("setDefaults")
	if err != nil {
		return nil, err
	}
	for _, stmt := range fd.Body.List {
		as, ok := stmt.(*ast.AssignStmt)
		if !ok {
			return nil, fmt.Errorf("%s: setDefaults holds a statement that is not an assignment", df.path)
		}
		if err := assign(sc.structs["Scenario"], as); err != nil {
			return nil, err
		}
	}
	fd, err = df.funcDecl("setElemDefaults")
	if err != nil {
		return nil, err
	}
	var inspectErr error
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		cc, ok := n.(*ast.CaseClause)
		if !ok || inspectErr != nil {
			return inspectErr == nil
		}
		for _, t := range cc.List {
			st, _ := sc.structOf(t)
			if st == nil {
				inspectErr = fmt.Errorf("%s: setElemDefaults: case of an unknown type", df.path)
				return false
			}
			for _, stmt := range cc.Body {
				as, ok := stmt.(*ast.AssignStmt)
				if !ok {
					inspectErr = fmt.Errorf("%s: setElemDefaults holds a statement that is not an assignment", df.path)
					return false
				}
				if err := assign(st, as); err != nil {
					inspectErr = err
					return false
				}
			}
		}
		return false
	})
	if inspectErr != nil {
		return nil, inspectErr
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: found no defaults", df.path)
	}
	return out, nil
}

// selectorChain returns the names of a selector expression a.b.c.
func selectorChain(e ast.Expr) []string {
	switch x := e.(type) {
	case *ast.Ident:
		return []string{x.Name}
	case *ast.SelectorExpr:
		if p := selectorChain(x.X); p != nil {
			return append(p, x.Sel.Name)
		}
	}
	return nil
}

// syntaxName names the Go syntax of e, for messages.
func syntaxName(e ast.Expr) string { return fmt.Sprintf("%T", e) }

// probeText is the example scenario with the tables it leaves out, used to
// find which keys are required and which are parameters.
func probeText() string {
	return exampleTOML + `
[[observed]]
name = "boat"
file = "boat.csv"
quantity = "flow"
edges = ["port-border"]
source = "assumption"
`
}

var (
	headerRE = regexp.MustCompile(`^\[\[?([a-z._]+)\]\]?\s*$`)
	keyRE    = regexp.MustCompile(`^([a-z_]+)\s*=`)
)

// requiredKeys finds the required keys of a valid scenario text by
// deleting each key line in turn and loading what is left: a key is
// required when the loader then reports it "is missing", and required
// under a condition when it reports "is missing: <condition>".
func requiredKeys(text string) (map[string]string, error) {
	if _, err := scenario.Parse("probe.toml", []byte(text), nil); err != nil {
		return nil, fmt.Errorf("the example scenario does not load: %w", err)
	}
	lines := strings.Split(text, "\n")
	out := map[string]string{}
	sect := ""
	for i, line := range lines {
		if m := headerRE.FindStringSubmatch(line); m != nil {
			sect = m[1]
			continue
		}
		m := keyRE.FindStringSubmatch(line)
		if m == nil || sect == "" || strings.HasSuffix(sect, ".cite") {
			continue
		}
		key := m[1]
		rest := strings.Join(append(append([]string{}, lines[:i]...), lines[i+1:]...), "\n")
		_, err := scenario.Parse("probe.toml", []byte(rest), nil)
		var list scenario.ErrorList
		if err == nil || !errors.As(err, &list) {
			continue
		}
		for _, e := range list {
			if !keyIn(sect, key, e.Key) {
				continue
			}
			switch {
			case e.Msg == "is missing":
				out[sect+"."+key] = ""
			case strings.HasPrefix(e.Msg, "is missing: "):
				if _, ok := out[sect+"."+key]; !ok {
					out[sect+"."+key] = strings.TrimPrefix(e.Msg, "is missing: ")
				}
			}
		}
	}
	return out, nil
}

// keyIn reports whether the key of an error names key of section sect:
// "scenario.name", "node.port.kind", "node[2].id", "policy[1].date".
func keyIn(sect, key, errKey string) bool {
	if errKey == sect+"."+key {
		return true
	}
	return (strings.HasPrefix(errKey, sect+".") || strings.HasPrefix(errKey, sect+"[")) &&
		strings.HasSuffix(errKey, "."+key)
}

// paramKinds returns the kind of every parameter of the scenario text, by
// "section.key" (node.<id>.meals → node.meals), distribution parts left
// out.
func paramKinds(text string) (map[string]scenario.ParamKind, error) {
	s, err := scenario.Parse("probe.toml", []byte(text), nil)
	if err != nil {
		return nil, fmt.Errorf("the example scenario does not load: %w", err)
	}
	out := map[string]scenario.ParamKind{}
	for _, p := range s.Params() {
		parts := strings.Split(p, ".")
		var sect, key string
		switch {
		case parts[0] == "scenario" || parts[0] == "behaviour":
			if len(parts) != 2 {
				continue
			}
			sect, key = parts[0], parts[1]
		case parts[0] == "border":
			if len(parts) != 3 {
				continue
			}
			sect, key = "border.us", parts[2]
		default:
			if len(parts) != 3 {
				continue
			}
			sect, key = parts[0], parts[2]
		}
		k, err := s.ParamKind(p)
		if err != nil {
			return nil, err
		}
		out[sect+"."+key] = k
	}
	return out, nil
}

var (
	defaultRE = regexp.MustCompile(`\s*Default ((?:[^.]|\.\d)+)\.`)
	andRE     = regexp.MustCompile(`^ and ([A-Z]\w*)`)
	goNameRE  = regexp.MustCompile(`\b[A-Z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9]*)*\b`)
)

// row is one key of a section's reference table.
type row struct {
	keys        []string
	typ         string
	deflt       string
	param       string
	description string
}

// rows builds the reference rows of a section.
func (sc *schema) rows(sec section) ([]row, error) {
	st := sec.st
	var out []row
	merged := map[string]bool{}
	for _, f := range st.fields {
		if f.key == "" || merged[f.goName] {
			continue
		}
		typ, err := sc.typeName(f.typ)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", st.name, f.goName, err)
		}
		if vals, ok := sc.enums[f.key]; ok && typ == "text" {
			quoted := make([]string, len(vals))
			for i, v := range vals {
				quoted[i] = code(v)
			}
			typ = "text: " + strings.Join(quoted, ", ")
		}
		desc, other, commentDefault := sc.describe(st, f)
		r := row{keys: []string{f.key}, typ: typ, description: desc}
		if other != "" {
			for _, g := range st.fields {
				if g.goName == other && g.doc == "" {
					r.keys = append(r.keys, g.key)
					merged[other] = true
				}
			}
		}
		codeDefault, hasCode := sc.defaults[st.name+"."+f.goName]
		switch {
		case commentDefault != "":
			word, _, _ := strings.Cut(commentDefault, " ")
			if hasCode && word != codeDefault {
				return nil, fmt.Errorf("%s.%s: the doc comment says the default is %s but decode.go sets %s", st.name, f.goName, word, codeDefault)
			}
			if !hasCode && word != zeroLiteral(typ) {
				return nil, fmt.Errorf("%s.%s: the doc comment says the default is %s but decode.go sets none", st.name, f.goName, word)
			}
			r.deflt = commentDefault
		case hasCode:
			r.deflt = codeDefault
		}
		if cond, ok := sc.required[sec.path+"."+f.key]; ok {
			if r.deflt != "" {
				return nil, fmt.Errorf("%s.%s: required, yet has the default %s", st.name, f.goName, r.deflt)
			}
			r.deflt = "**required**"
			if cond != "" {
				r.deflt = "required: " + cond
			}
		}
		if k, ok := sc.params[sec.path+"."+f.key]; ok {
			r.param = k.String()
			if sec.path == "scenario" {
				r.param += " (`--set` only)"
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// zeroLiteral is the TOML literal of the zero value of a TOML type.
func zeroLiteral(typ string) string {
	switch typ {
	case "boolean":
		return "false"
	case "text":
		return `""`
	}
	return "0"
}

// describe turns a field's doc comment into the description of its key:
// the leading field name (and "is") goes, other field names become their
// keys, a "Default X." sentence is returned apart, and sentences about the
// Go API are dropped. other is the field a doc names together with this
// one ("Lat and Lon are ...").
func (sc *schema) describe(st *structType, f field) (desc, other, deflt string) {
	doc := strings.Join(strings.Fields(f.doc), " ")
	if m := defaultRE.FindStringSubmatchIndex(doc); m != nil {
		deflt = doc[m[2]:m[3]]
		doc = doc[:m[0]] + doc[m[1]:]
	}
	if strings.HasPrefix(doc, f.goName) {
		rest := doc[len(f.goName):]
		if m := andRE.FindStringSubmatch(rest); m != nil && sc.hasField(st, m[1]) {
			other = m[1]
			rest = rest[len(m[0]):]
		}
		ifSet := strings.HasPrefix(rest, ", if set,")
		rest = strings.TrimPrefix(rest, ", if set,")
		for _, p := range []string{" is ", " are ", ": ", " "} {
			if strings.HasPrefix(rest, p) {
				rest = rest[len(p):]
				break
			}
		}
		if ifSet {
			rest = "If set, " + rest
		}
		doc = upperFirst(rest)
	}
	return sc.keysForNames(st, dropGoAPI(st, sc, doc)), other, deflt
}

// describeType is describe for a struct's own doc comment.
func (sc *schema) describeType(st *structType) string {
	doc := strings.Join(strings.Fields(st.doc), " ")
	if strings.HasPrefix(doc, st.name+" ") {
		doc = upperFirst(strings.TrimPrefix(strings.TrimPrefix(doc, st.name+" "), "is "))
	}
	return sc.keysForNames(st, doc)
}

func (sc *schema) hasField(st *structType, name string) bool {
	for _, f := range st.fields {
		if f.goName == name {
			return true
		}
	}
	return false
}

// keysForNames replaces the names of st's fields in text (and chains such
// as Ramp.To) by their TOML keys in code font.
func (sc *schema) keysForNames(st *structType, text string) string {
	return goNameRE.ReplaceAllStringFunc(text, func(w string) string {
		if k, ok := sc.keyPath(st, w); ok {
			return code(k)
		}
		return w
	})
}

// keyPath resolves a Go field chain ("Ramp.To") from st to its TOML key
// path ("ramp.to").
func (sc *schema) keyPath(st *structType, chain string) (string, bool) {
	var keys []string
	for _, name := range strings.Split(chain, ".") {
		if st == nil {
			return "", false
		}
		var next *structType
		found := false
		for _, f := range st.fields {
			if f.goName == name && f.key != "" {
				keys = append(keys, f.key)
				next, _ = sc.structOf(f.typ)
				found = true
				break
			}
		}
		if !found {
			return "", false
		}
		st = next
	}
	return strings.Join(keys, "."), true
}

// dropGoAPI removes the sentences of text that mention the Go API (a
// qualified Go name that is no chain of fields, such as
// Scenario.SetParam): they are for programmers, not for scenario writers.
func dropGoAPI(st *structType, sc *schema, text string) string {
	sentences := splitSentences(text)
	var keep []string
	for _, s := range sentences {
		api := false
		for _, w := range goNameRE.FindAllString(s, -1) {
			if strings.Contains(w, ".") {
				if _, ok := sc.keyPath(st, w); !ok {
					api = true
				}
			}
		}
		if !api {
			keep = append(keep, s)
		}
	}
	return strings.Join(keep, " ")
}

// splitSentences splits text after each ". " that is followed by a capital
// letter.
func splitSentences(text string) []string {
	var out []string
	start := 0
	for i := 0; i+2 < len(text); i++ {
		if text[i] == '.' && text[i+1] == ' ' && unicode.IsUpper(rune(text[i+2])) {
			out = append(out, text[start:i+1])
			start = i + 2
		}
	}
	return append(out, text[start:])
}

// upperFirst capitalizes the first letter of s.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// sectionTable renders a section's reference table.
func (sc *schema) sectionTable(sec section) (string, error) {
	rows, err := sc.rows(sec)
	if err != nil {
		return "", err
	}
	var cells [][]string
	for _, r := range rows {
		keys := make([]string, len(r.keys))
		for i, k := range r.keys {
			keys[i] = code(k)
		}
		d := r.deflt
		if d != "" && !strings.HasPrefix(d, "required") && !strings.HasPrefix(d, "**") {
			lit, note, _ := strings.Cut(d, " ")
			d = code(lit)
			if note != "" {
				d += " " + note
			}
		}
		cells = append(cells, []string{strings.Join(keys, ", "), r.typ, d, r.param, codify(r.description)})
	}
	return table([]string{"key", "type", "default", "parameter", "description"}, cells), nil
}

// paramKeys lists the parameter keys of a section ("node", "border.us"),
// sorted.
func (sc *schema) paramKeys(sect string) []string {
	var out []string
	for k := range sc.params {
		if key, ok := strings.CutPrefix(k, sect+"."); ok {
			out = append(out, key)
		}
	}
	sort.Strings(out)
	return out
}
