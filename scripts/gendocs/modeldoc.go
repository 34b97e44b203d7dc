package main

import (
	"encoding/csv"
	"fmt"
	"go/ast"
	"go/token"
	"io"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode"

	"github.com/migsim/migsim/scenarios"
	"github.com/migsim/migsim/sim/scenario"
)

// ruleFiles are the engine files that describe one model rule each in a
// free-standing comment, with the words that comment starts with.
var ruleFiles = []struct{ name, file, prefix string }{
	{"departure", "sim/departure.go", "Departures"},
	{"route", "sim/route.go", "Route choice"},
	{"capacity", "sim/capacity.go", "Capacities"},
	{"spill", "sim/spill.go", "Spilling over"},
	{"border", "sim/border.go", "The US border"},
	{"wait", "sim/wait.go", "Waiting at the border"},
	{"giveup", "sim/giveup.go", "Giving up"},
	{"information", "sim/information.go", "Information"},
	{"aid", "sim/aid.go", "Aid and living"},
	{"stranded", "sim/stranded.go", "Stranded"},
	{"risk", "sim/risk.go", "Risk"},
	{"policy", "sim/policy.go", "Policies"},
	{"recorder", "sim/recorder.go", "The recorder"},
}

// modelFuncs returns the template functions of docs/model.md.
func modelFuncs(root string, sc *schema) (template.FuncMap, error) {
	var xs []excerpt
	for _, r := range ruleFiles {
		g, err := parseGo(root, r.file)
		if err != nil {
			return nil, err
		}
		prefix := r.prefix
		xs = append(xs, excerpt{name: r.name, get: func() (string, error) { return g.floatingComment(prefix) }})
	}
	docs, err := renderExcerpts(xs)
	if err != nil {
		return nil, err
	}
	engine, err := parseGo(root, "sim/engine.go")
	if err != nil {
		return nil, err
	}
	phases, err := schedule(root, engine)
	if err != nil {
		return nil, err
	}
	agentsFile, err := parseGo(root, "sim/agents.go")
	if err != nil {
		return nil, err
	}
	state, err := agentTable(agentsFile)
	if err != nil {
		return nil, err
	}
	enums := map[string]string{}
	for _, e := range []struct{ name, first string }{{"states", "stAtNode"}, {"waits", "waitNone"}} {
		s, err := constList(agentsFile, e.first)
		if err != nil {
			return nil, err
		}
		enums[e.name] = s
	}
	purposes, err := constNames(engine, "purposeDeparture", "purpose")
	if err != nil {
		return nil, err
	}
	def, err := loadDefault()
	if err != nil {
		return nil, err
	}
	srcs, err := readSources()
	if err != nil {
		return nil, err
	}
	cited := citedSources(def)
	for id := range cited {
		if _, ok := srcs.byID[id]; !ok && id != "assumption" {
			return nil, fmt.Errorf("%s cites %q, which is not in data/sources.csv", defaultFile, id)
		}
	}
	observed, err := observedTable(def)
	if err != nil {
		return nil, err
	}
	tables := map[string]func() (string, error){
		"observed":  func() (string, error) { return observed, nil },
		"behaviour": func() (string, error) { return keyValueTable(sc, "Behaviour", def.Behaviour, def.Behaviour.Cite) },
		"border":    func() (string, error) { return keyValueTable(sc, "Border", def.Border.US, def.Border.US.Cite) },
		"nodes":     func() (string, error) { return nodeTable(def), nil },
		"edges":     func() (string, error) { return edgeTable(def), nil },
		"origins":   func() (string, error) { return originTable(def), nil },
		"policies":  func() (string, error) { return policyTable(def), nil },
		"sources":   func() (string, error) { return sourceTable(srcs, cited), nil },
	}
	return template.FuncMap{
		"rule":     func(name string) (string, error) { return lookup(docs, name, "rule") },
		"phases":   func() string { return phases },
		"agents":   func() string { return state },
		"enum":     func(name string) (string, error) { return lookup(enums, name, "list") },
		"purposes": func() string { return purposes },
		"table": func(name string) (string, error) {
			f, ok := tables[name]
			if !ok {
				return "", fmt.Errorf("no table %q", name)
			}
			return f()
		},
		"meta": func(key string) (string, error) {
			m := map[string]string{
				"name":          def.Meta.Name,
				"description":   def.Meta.Description,
				"start":         def.Meta.Start.Format(time.DateOnly),
				"end":           def.Meta.End.Format(time.DateOnly),
				"seed":          strconv.FormatUint(def.Meta.Seed, 10),
				"scale":         num(def.Meta.Scale),
				"calibration":   def.Meta.Calibration,
				"nodes":         strconv.Itoa(len(def.Nodes)),
				"edges":         strconv.Itoa(len(def.Edges)),
				"origins":       strconv.Itoa(len(def.Origins)),
				"policies":      strconv.Itoa(len(def.Policies)),
				"nationalities": strings.Join(def.Nationalities(), ", "),
				"observed":      observedList(def),
				"crossing":      def.Report.CrossingName,
				"focus":         def.Report.FocusNode,
				"assumptions":   assumptionSummary(cited),
			}
			return lookup(m, key, "meta key")
		},
	}, nil
}

// schedule renders the phases of Model.Step: each phase comment with the
// model methods called under it and the first sentence of their docs.
func schedule(root string, engine *goFile) (string, error) {
	fd, err := engine.funcDecl("Step")
	if err != nil {
		return "", err
	}
	methods := map[string]string{}
	for _, f := range []string{"sim/engine.go", "sim/commit.go", "sim/departure.go", "sim/route.go", "sim/capacity.go", "sim/spill.go", "sim/border.go", "sim/wait.go", "sim/room.go", "sim/giveup.go", "sim/information.go", "sim/aid.go", "sim/stranded.go", "sim/risk.go", "sim/policy.go", "sim/recorder.go"} {
		g, err := parseGo(root, f)
		if err != nil {
			return "", err
		}
		for _, decl := range g.f.Decls {
			if d, ok := decl.(*ast.FuncDecl); ok && d.Recv != nil && d.Doc != nil {
				methods[d.Name.Name] = firstSentence(d.Doc.Text())
			}
		}
	}
	type phase struct {
		title string
		calls []string
	}
	var ps []phase
	var comments []*ast.CommentGroup
	for _, cg := range engine.f.Comments {
		if cg.Pos() > fd.Body.Lbrace && cg.End() < fd.Body.Rbrace && strings.HasPrefix(cg.Text(), "Phase ") {
			comments = append(comments, cg)
		}
	}
	if len(comments) == 0 {
		return "", fmt.Errorf("%s: Step has no // Phase comments", engine.path)
	}
	ci := 0
	for _, stmt := range fd.Body.List {
		for ci < len(comments) && comments[ci].End() < stmt.Pos() {
			ps = append(ps, phase{title: strings.TrimSpace(comments[ci].Text())})
			ci++
		}
		if len(ps) == 0 {
			continue
		}
		ast.Inspect(stmt, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "m" {
				if _, known := methods[sel.Sel.Name]; known && sel.Sel.Name != "parallel" {
					cur := &ps[len(ps)-1]
					if !slices.Contains(cur.calls, sel.Sel.Name) {
						cur.calls = append(cur.calls, sel.Sel.Name)
					}
				}
			}
			return true
		})
	}
	var rows [][]string
	for i, p := range ps {
		title := strings.TrimPrefix(p.title, "Phase "+strconv.Itoa(i+1)+": ")
		calls := make([]string, len(p.calls))
		for j, c := range p.calls {
			calls[j] = code(c)
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), upperFirst(strings.TrimSuffix(title, ".")), strings.Join(calls, ", ")})
	}
	return table([]string{"phase", "what (the comment in `Step`)", "methods of `Model` called"}, rows), nil
}

// firstSentence returns the first sentence of a doc comment, on one line.
func firstSentence(doc string) string {
	s := strings.Join(strings.Fields(doc), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

// agentTable renders the fields of the agents struct (sim/agents.go): the
// state variables of an agent, with their line comments or, for a field
// without one, the doc of its type.
func agentTable(g *goFile) (string, error) {
	var st *ast.StructType
	for _, decl := range g.f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			if ts := spec.(*ast.TypeSpec); ts.Name.Name == "agents" {
				st, _ = ts.Type.(*ast.StructType)
			}
		}
	}
	if st == nil {
		return "", fmt.Errorf("%s: no agents struct", g.path)
	}
	var rows [][]string
	for _, f := range st.Fields.List {
		typ := exprString(f.Type)
		desc := strings.TrimSpace(f.Comment.Text())
		if desc == "" {
			desc = strings.TrimSpace(f.Doc.Text())
		}
		if desc == "" {
			elem := strings.TrimPrefix(typ, "[]")
			d, err := g.typeDoc(elem)
			if err != nil {
				return "", fmt.Errorf("%s: agents field of type %s has no comment and its type no doc", g.path, typ)
			}
			desc = firstSentence(d)
			desc = strings.TrimPrefix(desc, elem+" is ")
			desc = strings.TrimPrefix(desc, elem+" ")
		}
		for _, n := range f.Names {
			rows = append(rows, []string{code(n.Name), code(strings.TrimPrefix(typ, "[]")), upperFirst(desc)})
		}
	}
	return table([]string{"variable", "Go type", "meaning"}, rows), nil
}

// exprString renders a simple type expression.
func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.ArrayType:
		return "[]" + exprString(x.Elt)
	case *ast.StarExpr:
		return "*" + exprString(x.X)
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	}
	return fmt.Sprintf("%T", e)
}

// constList renders the constants of the block starting with first as a
// list: name and comment.
func constList(g *goFile, first string) (string, error) {
	names, docs, err := g.constDocs(first)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, n := range names {
		d := docs[n]
		if d == "" {
			fmt.Fprintf(&b, "- `%s`\n", n)
			continue
		}
		fmt.Fprintf(&b, "- `%s`: %s\n", n, d)
	}
	return b.String(), nil
}

// constNames lists the names of the constants of the block starting with
// first, without prefix, in code font.
func constNames(g *goFile, first, prefix string) (string, error) {
	names, _, err := g.constDocs(first)
	if err != nil {
		return "", err
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = code(camelWords(strings.TrimPrefix(n, prefix)))
	}
	return strings.Join(out, ", "), nil
}

// camelWords turns CapsizeDeath into "capsize death".
func camelWords(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// num formats a number in its shortest exact form, without an exponent.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// dash renders a zero value as "–".
func dash(v float64) string {
	if v == 0 {
		return "–"
	}
	return num(v)
}

// dist renders a distribution compactly.
func dist(d scenario.Dist) string {
	switch d.Kind {
	case scenario.DistUniform:
		return num(d.Min) + "–" + num(d.Max)
	case scenario.DistTriangular:
		return num(d.Min) + "–" + num(d.Max) + " (mode " + num(d.Mode) + ")"
	case scenario.DistLognormal:
		return "lognormal, median " + num(d.Median) + ", σ " + num(d.Sigma)
	case "":
		return "–"
	}
	return num(d.Value)
}

// citeCell summarizes a cite table: each source with the keys it backs,
// assumptions last.
func citeCell(cite map[string]string) string {
	if len(cite) == 0 {
		return "not cited"
	}
	bySrc := map[string][]string{}
	for k, s := range cite {
		bySrc[s] = append(bySrc[s], k)
	}
	var ids []string
	for s := range bySrc {
		if s != "assumption" {
			ids = append(ids, s)
		}
	}
	sort.Strings(ids)
	if _, ok := bySrc["assumption"]; ok {
		ids = append(ids, "assumption")
	}
	parts := make([]string, len(ids))
	for i, s := range ids {
		keys := bySrc[s]
		sort.Strings(keys)
		label := s
		if s != "assumption" {
			label = "**" + s + "**"
		}
		parts[i] = label + ": " + strings.Join(keys, ", ")
	}
	return strings.Join(parts, "; ")
}

// keyValueTable renders a table of scalars (behaviour, border.us): key,
// value, source and the key's description from the schema.
func keyValueTable(sc *schema, structName string, v any, cite map[string]string) (string, error) {
	st := sc.structs[structName]
	values, err := scalarValues(v)
	if err != nil {
		return "", err
	}
	var rows [][]string
	for _, f := range st.fields {
		if f.key == "" || f.key == "cite" {
			continue
		}
		val, ok := values[f.key]
		if !ok {
			return "", fmt.Errorf("%s.%s: no value", structName, f.goName)
		}
		src := cite[f.key]
		if src == "" {
			src = "not cited"
		}
		desc, _, _ := sc.describe(st, f)
		rows = append(rows, []string{code(f.key), val, src, codify(firstSentence(desc))})
	}
	return table([]string{"key", "value", "source", "meaning"}, rows), nil
}

// scalarValues renders the fields of a struct of scalars by TOML key.
func scalarValues(v any) (map[string]string, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Struct {
		return nil, fmt.Errorf("no values for %T", v)
	}
	out := map[string]string{}
	for i := 0; i < rv.NumField(); i++ {
		f := rv.Type().Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if key == "" || key == "-" || key == "cite" {
			continue
		}
		switch x := rv.Field(i).Interface().(type) {
		case float64:
			out[key] = num(x)
		case int:
			out[key] = strconv.Itoa(x)
		case bool:
			out[key] = strconv.FormatBool(x)
		case string:
			out[key] = code(x)
		case scenario.Dist:
			out[key] = dist(x)
		default:
			return nil, fmt.Errorf("%T.%s: cannot show a %T", v, f.Name, x)
		}
	}
	return out, nil
}

// nodeTable renders the nodes of the default scenario.
func nodeTable(s *scenario.Scenario) string {
	var rows [][]string
	for _, n := range s.Nodes {
		aid := "–"
		if n.Meals > 0 || n.Beds > 0 {
			aid = num(n.Meals) + " / " + num(n.Beds)
		}
		work := "–"
		if n.WorkChance > 0 {
			work = num(n.WorkChance) + " × " + num(n.Wage)
		}
		crime := "–"
		if n.RobberyRisk > 0 || n.KidnapRisk > 0 {
			crime = dash(n.RobberyRisk) + " / " + dash(n.KidnapRisk)
		}
		var other []string
		if n.CBPOneEligible {
			other = append(other, "CBP One")
		}
		if n.DeportFlightsPerWeek > 0 {
			other = append(other, fmt.Sprintf("%s flights/week × %s seats", num(n.DeportFlightsPerWeek), num(n.DeportSeatsPerFlight)))
		}
		rows = append(rows, []string{code(n.ID), n.Name, n.Country, n.Kind,
			dash(n.FoodCost) + " + " + dash(n.LodgingCost), aid, work, crime, strings.Join(other, ", "), citeCell(n.Cite)})
	}
	return table([]string{"id", "name", "country", "kind", "food + bed USD/day", "aid meals / beds", "work chance × wage", "robbery / kidnap risk a day", "other", "sources"}, rows)
}

// edgeTable renders the edges of the default scenario.
func edgeTable(s *scenario.Scenario) string {
	var rows [][]string
	for _, e := range s.Edges {
		boat := "–"
		if e.BoatSize > 0 {
			boat = num(e.BoatSize) + ", " + dash(e.CapsizeRisk)
			if e.CapsizeFatality != 1 {
				boat += " (" + num(e.CapsizeFatality) + " die)"
			}
		}
		inter := dash(e.Interception)
		if e.Interception > 0 && e.InterceptionTo != "back" {
			inter += " → " + e.InterceptionTo
		}
		rob := "–"
		if e.RobberyRisk > 0 {
			rob = num(e.RobberyRisk) + " × " + num(e.RobberyLoss)
		}
		id := code(e.ID)
		if !e.Open {
			id += " (closed)"
		}
		rows = append(rows, []string{id, e.Mode, e.Direction, dist(e.Duration), dist(e.Cost) + " " + e.Spend,
			dash(e.Capacity), boat, dash(e.DeathRisk), rob, inter, citeCell(e.Cite)})
	}
	return table([]string{"edge", "mode", "dir.", "days", "USD, spend", "capacity a day", "boat size, capsize risk", "death risk", "robbery × loss", "interception", "sources"}, rows)
}

// originTable renders the origins of the default scenario.
func originTable(s *scenario.Scenario) string {
	var rows [][]string
	for _, o := range s.Origins {
		season := "–"
		if o.SeasonAmplitude > 0 {
			season = fmt.Sprintf("±%s, peak month %s", num(o.SeasonAmplitude), num(o.SeasonPeakMonth))
		}
		if o.SemiannualAmplitude > 0 {
			first, second := o.SemiannualPeakMonth, o.SemiannualPeakMonth+6
			if second >= 13 {
				first, second = second-12, first
			}
			half := fmt.Sprintf("half-yearly ±%s, peak months %s and %s", num(o.SemiannualAmplitude), num(first), num(second))
			if season == "–" {
				season = half
			} else {
				season += "; " + half
			}
		}
		giveUp := "home"
		if o.HomeShare < 1 {
			giveUp = fmt.Sprintf("home %s, else %s", num(o.HomeShare), code(o.Elsewhere))
		}
		goal := o.Goal
		if goal == scenario.GoalElsewhere {
			goal += " (" + code(o.Elsewhere) + ")"
		}
		rows = append(rows, []string{code(o.ID), code(o.Node), o.Nationality, goal, num(o.Pool), num(o.BaseRate), dash(o.Trend), season,
			dist(o.Budget), num(o.MinBudgetShare), giveUp, citeCell(o.Cite)})
	}
	return table([]string{"origin", "home", "nat.", "goal", "pool", "base rate a day", "trend a year", "season", "budget USD", "min budget share", "who gives up goes", "sources"}, rows)
}

// policyTable renders the policy timeline of the default scenario: one row
// per policy name, in order of first date.
func policyTable(s *scenario.Scenario) string {
	type group struct {
		name    string
		date    time.Time
		changes []string
		sources []string
		notes   []string
	}
	var groups []*group
	byName := map[string]*group{}
	for _, p := range s.Policies {
		g, ok := byName[p.Name]
		if !ok {
			g = &group{name: p.Name, date: p.Date}
			byName[p.Name] = g
			groups = append(groups, g)
		}
		if p.Date.Before(g.date) {
			g.date = p.Date
		}
		ch := code(p.Path) + " " + change(p)
		if p.Nationality != "" {
			ch += " (" + p.Nationality + " only)"
		}
		if !p.Date.Equal(g.date) {
			ch += " from " + p.Date.Format(time.DateOnly)
		}
		if !p.Until.IsZero() {
			ch += " until " + p.Until.Format(time.DateOnly)
		}
		g.changes = append(g.changes, ch)
		src := p.Source
		if src == "" {
			src = "not cited"
		}
		if !slices.Contains(g.sources, src) {
			g.sources = append(g.sources, src)
		}
		if n := strings.TrimSpace(p.Note); n != "" && !strings.HasPrefix(n, "As above") && !slices.Contains(g.notes, n) {
			g.notes = append(g.notes, n)
		}
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].date.Before(groups[j].date) })
	var rows [][]string
	for _, g := range groups {
		rows = append(rows, []string{g.date.Format(time.DateOnly), code(g.name), strings.Join(g.changes, "<br>"),
			strings.Join(g.sources, ", "), strings.Join(g.notes, " ")})
	}
	return table([]string{"from", "policy", "changes", "source", "note"}, rows)
}

// change describes what one policy does.
func change(p scenario.Policy) string {
	switch {
	case p.Set != nil:
		switch v := p.Set.(type) {
		case float64:
			return "= " + num(v)
		case scenario.Dist:
			return "= " + dist(v)
		case string:
			return fmt.Sprintf("= %q", v)
		}
		return fmt.Sprintf("= %v", p.Set)
	case p.Scale != nil:
		return "× " + num(*p.Scale)
	case p.Ramp != nil:
		return fmt.Sprintf("→ %s over %d days", num(p.Ramp.To), p.Ramp.Days)
	}
	return "?"
}

// observedList names the observed series of a scenario.
func observedList(s *scenario.Scenario) string {
	var out []string
	for _, o := range s.Observed {
		out = append(out, fmt.Sprintf("`%s` (%s, %s)", o.Name, o.File, o.Source))
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, "; ")
}

// citedSources counts how often each source id is cited by the scenario.
func citedSources(s *scenario.Scenario) map[string]int {
	out := map[string]int{}
	add := func(m map[string]string) {
		for _, v := range m {
			out[v]++
		}
	}
	add(s.Behaviour.Cite)
	add(s.Border.US.Cite)
	for _, n := range s.Nodes {
		add(n.Cite)
	}
	for _, e := range s.Edges {
		add(e.Cite)
	}
	for _, o := range s.Origins {
		add(o.Cite)
	}
	for _, p := range s.Policies {
		if p.Source != "" {
			out[p.Source]++
		}
	}
	for _, o := range s.Observed {
		if o.Source != "" {
			out[o.Source]++
		}
	}
	return out
}

// sources is data/sources.csv.
type sources struct {
	rows [][]string // source_id, title, url, published
	byID map[string][]string
}

// readSources reads the embedded data/sources.csv.
func readSources() (*sources, error) {
	f, err := scenarios.FS().Open("data/sources.csv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("data/sources.csv: %w", err)
	}
	want := []string{"source_id", "title", "url", "published"}
	if !slices.Equal(header, want) {
		return nil, fmt.Errorf("data/sources.csv: header %v, want %v", header, want)
	}
	s := &sources{byID: map[string][]string{}}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("data/sources.csv: %w", err)
		}
		s.rows = append(s.rows, rec)
		s.byID[rec[0]] = rec
	}
	return s, nil
}

// sourceTable renders the sources, with how often the default scenario
// cites each.
func sourceTable(s *sources, cited map[string]int) string {
	var rows [][]string
	for _, r := range s.rows {
		n := "–"
		if c := cited[r[0]]; c > 0 {
			n = strconv.Itoa(c)
		}
		rows = append(rows, []string{"**" + r[0] + "**", "[" + strings.ReplaceAll(r[1], "]", `\]`) + "](" + r[2] + ")", r[3], n})
	}
	return table([]string{"id", "title", "published", "cited"}, rows)
}

// calibrationEnd is the last day of the calibration window: model.md says
// that no observed series of the default scenario goes beyond it.
var calibrationEnd = time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)

// observedTable sums each observed series of the default scenario by
// calendar year. A series is a CSV file with a "month" column (2021-01)
// and a column of counts.
func observedTable(s *scenario.Scenario) (string, error) {
	header := []string{"year"}
	years := map[int][]string{}
	var order []int
	for k, o := range s.Observed {
		f, err := scenarios.FS().Open(o.File)
		if err != nil {
			return "", fmt.Errorf("observed %s: %w", o.Name, err)
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			return "", fmt.Errorf("observed %s: %s: %w", o.Name, o.File, err)
		}
		if len(recs) < 2 || len(recs[0]) < 2 || recs[0][0] != "month" {
			return "", fmt.Errorf("observed %s: %s: want a header month,<count>,...", o.Name, o.File)
		}
		header = append(header, fmt.Sprintf("%s (%s, %s)", recs[0][1], code(o.Name), o.Source))
		sums := map[int]float64{}
		for _, r := range recs[1:] {
			m, err := time.Parse("2006-01", r[0])
			if err != nil {
				return "", fmt.Errorf("observed %s: %s: month %q: %w", o.Name, o.File, r[0], err)
			}
			if m.After(calibrationEnd) {
				return "", fmt.Errorf("observed %s: %s has data for %s, after the end of the calibration window (%s) that model.md states", o.Name, o.File, r[0], calibrationEnd.Format(time.DateOnly))
			}
			v, err := strconv.ParseFloat(r[1], 64)
			if err != nil {
				return "", fmt.Errorf("observed %s: %s: %w", o.Name, o.File, err)
			}
			sums[m.Year()] += v
		}
		for y, v := range sums {
			if _, ok := years[y]; !ok {
				years[y] = make([]string, len(s.Observed))
				order = append(order, y)
			}
			years[y][k] = group(v)
		}
	}
	if len(order) == 0 {
		return "", nil
	}
	sort.Ints(order)
	var rows [][]string
	for _, y := range order {
		rows = append(rows, append([]string{strconv.Itoa(y)}, years[y]...))
	}
	return "Observed annual totals (persons):\n\n" + table(header, rows), nil
}

// group formats a whole number with thousands separators.
func group(v float64) string {
	s := strconv.FormatFloat(v, 'f', 0, 64)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && c != '-' && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// assumptionSummary counts the citations of the default scenario.
func assumptionSummary(cited map[string]int) string {
	total, assumed := 0, 0
	for id, n := range cited {
		total += n
		if id == "assumption" {
			assumed += n
		}
	}
	return fmt.Sprintf("Of the %d citations in the default scenario (its `cite` tables, the `source` of its policies and of its observed series), %d say *assumption* and %d name a source.", total, assumed, total-assumed)
}
