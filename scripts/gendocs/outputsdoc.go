package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"github.com/migsim/migsim/sim"
)

// columnDocs describes the columns of the tables of package report, by
// file and column. The generator fails when a column has no description
// or a description names a column the code no longer writes.
var columnDocs = map[string]map[string][2]string{ // file → column → {unit, description}
	"flows.csv": {
		"date":      {"date", "The day (ISO 8601, `2023-05-12`)."},
		"from":      {"node id", "The node the edge leaves (`nodes.csv` `id`)."},
		"to":        {"node id", "The node the edge reaches."},
		"edge":      {"edge id", "The edge (`edges.csv` `id`)."},
		"mode":      {"text", "The edge's mode: `bus`, `foot`, `boat`, `flight` or `crossing`."},
		"direction": {"text", "`north` or `south`, as the scenario gives it."},
		"persons":   {"persons", "Persons who set off along the edge that day (paid the fare and left; passengers of a boat that capsized on setting off are not counted)."},
	},
	"stocks.csv": {
		"date":           {"date", "The day."},
		"node":           {"node id", "The node (`nodes.csv` `id`)."},
		"present":        {"persons", "Persons at the node at the end of the day: not those who set off along an edge that day, nor those who reached their final destination there or were taken away by a deportation flight that night."},
		"waiting":        {"persons", "Of those present, persons held up: no seat on a capacity-limited edge, in the CBP One queue or waiting for their appointment, no open route, or at the border and not crossing that day."},
		"stranded":       {"persons", "Of those present, persons without the money for the next fare (they may find work, pay for food only and sleep rough without an aid bed)."},
		"arrivals":       {"persons", "Persons who arrived at the node that day at the end of an edge (including those for whom it is the final destination; not those intercepted and sent back)."},
		"aid_served":     {"persons", "Meals served by aid that night (one per person)."},
		"beds_served":    {"persons", "Aid beds given that night."},
		"unmet_need":     {"person-days", "Persons who went without food or a bed that day: those who could not pay for what aid did not give them (they buy food first), and those stranded without an aid bed. Each person counts at most once a day."},
		"meals_capacity": {"meals per day", "The node's aid capacity in meals in force that day (`meals` after policies), in persons, not thinned."},
		"beds_capacity":  {"beds", "The node's aid capacity in beds in force that day (`beds` after policies)."},
	},
	"nodes.csv": {
		"id":      {"text", "The node id."},
		"name":    {"text", "The node's name."},
		"country": {"text", "ISO 3166 alpha-3 code."},
		"kind":    {"text", "`origin`, `hub`, `crossing`, `border` or `destination`."},
		"lat":     {"degrees", "Latitude."},
		"lon":     {"degrees", "Longitude."},
	},
	"edges.csv": {
		"id":        {"text", "The edge id."},
		"from":      {"node id", "Where the edge starts."},
		"to":        {"node id", "Where the edge ends."},
		"mode":      {"text", "`bus`, `foot`, `boat`, `flight` or `crossing`."},
		"direction": {"text", "`north` or `south`."},
	},
}

// tableWriters are the functions of sim/report/tables.go that write each
// table, with the variable that holds its header.
var tableWriters = []struct{ file, fn string }{
	{"flows.csv", "writeFlows"},
	{"stocks.csv", "writeStocks"},
	{"nodes.csv", "writeNodes"},
	{"edges.csv", "writeEdges"},
}

// totalDocs describes the totals columns whose constant in sim/result.go
// has no doc comment of its own.
var totalDocs = map[string]string{
	"travelling":           "Persons on an edge.",
	"at_node":              "Persons at a node (the sum of `present` in `stocks.csv`).",
	"waiting":              "Persons held up at a node (the sum of `waiting`).",
	"stranded":             "Persons without money for the next fare (the sum of `stranded`).",
	"in_us":                "Persons in the US interior.",
	"returned_home":        "Persons back at their origin since the start: those who arrived home by land (`arrived_home`) and those sent there (`removed`, `deported_flight`, `interior_removed`, and interceptions on edges whose `interception_to` is `origin`).",
	"settled_elsewhere":    "Persons settled at their `elsewhere` destination since the start.",
	"dead":                 "Deaths since the start.",
	"departed":             "Persons who left their origin pool.",
	"entered_us_cbp_one":   "Persons who entered the US at a CBP One appointment.",
	"entered_us_irregular": "Persons who crossed between ports and were not caught.",
	"entered_us_asylum":    "Persons caught crossing and let in to seek asylum.",
	"apprehended":          "Irregular crossers caught (whatever followed).",
	"expelled":             "Persons caught, not let in and expelled to Mexico (back at the border node).",
	"removed":              "Persons caught, not let in and removed to their origin.",
	"deported_flight":      "Persons taken from a node to their origin by a deportation flight.",
	"interior_removed":     "Persons removed from the US interior to their origin.",
	"left_us":              "Persons who left the US interior of their own accord, going back south by land.",
	"gave_up":              "Persons who gave up heading for the US and turned home or elsewhere.",
	"arrived_home":         "Persons who reached home by land (after giving up or leaving the US).",
	"arrived_elsewhere":    "Persons who reached their `elsewhere` destination.",
	"died":                 "Deaths, on edges and in capsized boats.",
	"died_capsize":         "Deaths in capsized boats (part of `died`).",
	"robbed":               "Persons robbed, on an edge or at a node.",
	"kidnapped":            "Persons kidnapped for ransom at a node.",
	"intercepted":          "Persons stopped by enforcement on an edge (sent back or to their origin).",
	"cbp_one_registered":   "Persons who registered with CBP One.",
	"cbp_one_booked":       "CBP One appointments given.",
	"cbp_one_voided":       "CBP One registrations and appointments voided when the programme closed.",
	"worked":               "Persons who found a day's work.",
	"spent_transport_usd":  "Fares paid on edges whose `spend` is `transport`.",
	"spent_smuggler_usd":   "Paid on edges whose `spend` is `smuggler`, and to cross the US border between ports.",
	"spent_boat_usd":       "Paid on edges whose `spend` is `boat`.",
	"spent_fee_usd":        "Paid on edges whose `spend` is `fee`.",
	"spent_living_usd":     "Food and lodging paid at nodes.",
	"lost_to_crime_usd":    "Money taken by robbery and ransom.",
}

// runKeyDocs describes the keys of run.json.
var runKeyDocs = map[string]string{
	"scenario":           "The scenario's name.",
	"scenario_file":      "The file it was read from (an embedded scenario's file name for built-in ones).",
	"hash":               "Hex SHA-256 of the scenario's source bytes, included files included: the same hash means the same scenario.",
	"seed":               "The random seed of the run.",
	"workers":            "The number of goroutines that stepped agents (the results do not depend on it).",
	"version":            "migsim's version (`devel` for a build from a working tree).",
	"replicate":          "The run's index in an ensemble, -1 for a single run.",
	"wall_seconds":       "Wall-clock time of the simulation, in seconds.",
	"start":              "The first simulated day.",
	"end":                "The last simulated day.",
	"days":               "The number of days.",
	"persons_per_agent":  "1/`scale`: every count in the files is agents times this.",
	"agent_steps":        "Agent-days simulated: agents in the system (travelling, at a node or in the US), summed over days.",
	"agent_updates":      "Agent updates the engine executed (agents at a node, summed over days).",
	"agents_created":     "Agents created over the run.",
	"peak_agents":        "The most agents in the system on one day.",
	"policy_change_days": "Days on which the parameters in force changed (policies started, ended or ramped).",
	"routing_recomputes": "Routing tables computed (one per parameter set on each such day).",
	"crossing":           "`report.crossing_name`.",
	"focus_node":         "`report.focus_node` (\"\" when none).",
	"indicators":         "The headline indicators, below: an object from name to number.",
	"extra":              "Further fields added by the command that wrote the run (left out when there are none).",
}

// outputFuncs returns the template functions of docs/outputs.md.
func outputFuncs(root string) (template.FuncMap, error) {
	tables, err := parseGo(root, "sim/report/tables.go")
	if err != nil {
		return nil, err
	}
	columns := map[string]string{}
	for _, t := range tableWriters {
		header, err := tables.stringSliceLit(t.fn, "header")
		if err != nil {
			return nil, err
		}
		s, err := columnTable(t.file, header)
		if err != nil {
			return nil, err
		}
		columns[t.file] = s
	}
	totals, err := totalsTable(root)
	if err != nil {
		return nil, err
	}
	runKeys, err := runKeysTable(root)
	if err != nil {
		return nil, err
	}
	indFile, err := parseGo(root, "sim/report/indicators.go")
	if err != nil {
		return nil, err
	}
	reportFile, err := parseGo(root, "sim/report/report.go")
	if err != nil {
		return nil, err
	}
	plotsFile, err := parseGo(root, "sim/plots/plots.go")
	if err != nil {
		return nil, err
	}
	docs, err := renderExcerpts([]excerpt{
		{name: "files", get: reportFile.packageDoc, from: "with\n",
			edits: [][2]string{
				{"and the plots of package plots, then renames it into place", "and the plots, then renames it into place"},
				{"identical Results give byte-identical files", "the same run gives byte-identical files"},
				{"date and one column per sim.TotalColumns entry", "date and one column per total (below)"},
			}},
		{name: "indicators", get: func() (string, error) { return indFile.funcDoc("Indicators") },
			edits: [][2]string{
				{"Indicators computes the headline indicators of a run, in a fixed order:", "The indicators, in this order:"},
				{"r must have the shape WriteRun checks (one row per day in Flows, Stocks and Totals).\n", ""},
				{"- departed, ", "- `departed`, "},
				{", expelled, ", ", `expelled`, "},
				{", died:", ", `died`:"},
			}},
		{name: "plots", get: plotsFile.packageDoc, from: "Draw writes four figures into a directory:",
			edits: [][2]string{
				{"Time series share one setup (newTimePlot: calendar ticks, count labels, grid, legend), so later figures such as ensemble bands reuse it.\n", ""},
			}},
	})
	if err != nil {
		return nil, err
	}
	return template.FuncMap{
		"doc":     func(name string) (string, error) { return lookup(docs, name, "doc") },
		"columns": func(file string) (string, error) { return lookup(columns, file, "table") },
		"totals":  func() string { return totals },
		"runKeys": func() string { return runKeys },
	}, nil
}

// columnTable renders the columns of one table, in the code's order.
func columnTable(file string, header []string) (string, error) {
	docs := columnDocs[file]
	seen := map[string]bool{}
	var rows [][]string
	for _, c := range header {
		d, ok := docs[c]
		if !ok {
			return "", fmt.Errorf("%s: column %q has no description in scripts/gendocs", file, c)
		}
		seen[c] = true
		rows = append(rows, []string{code(c), d[0], d[1]})
	}
	for c := range docs {
		if !seen[c] {
			return "", fmt.Errorf("%s: scripts/gendocs describes column %q, which the code no longer writes", file, c)
		}
	}
	return table([]string{"column", "unit", "meaning"}, rows), nil
}

// totalsTable renders the totals columns: sim.TotalColumns in order, each
// with its kind (from sim/recorder.go), unit and description (the doc
// comment of its constant in sim/result.go, else totalDocs).
func totalsTable(root string) (string, error) {
	rf, err := parseGo(root, "sim/result.go")
	if err != nil {
		return "", err
	}
	names, constDoc, err := rf.constDocs("TotAtHome")
	if err != nil {
		return "", err
	}
	colOf, err := totalColumnLiteral(rf)
	if err != nil {
		return "", err
	}
	rec, err := parseGo(root, "sim/recorder.go")
	if err != nil {
		return "", err
	}
	levels, err := identList(rec, "levelColumns")
	if err != nil {
		return "", err
	}
	states, err := assignedTotals(rec, "record", "ev")
	if err != nil {
		return "", err
	}
	var rows [][]string
	used := map[string]bool{}
	for i, col := range sim.TotalColumns {
		if i >= len(names) {
			return "", fmt.Errorf("sim/result.go: fewer Total constants than TotalColumns")
		}
		name := names[i]
		if colOf[name] != col {
			return "", fmt.Errorf("sim/result.go: TotalColumns[%s] is %q in the source but %q in the package", name, colOf[name], col)
		}
		kind := "event"
		switch {
		case sim.Total(i).IsMoney():
			kind = "money"
		case levels[name]:
			kind = "cumulative"
		case states[name]:
			kind = "state"
		}
		unit := "persons"
		if kind == "money" {
			unit = "USD"
		}
		desc := constDoc[name]
		if desc != "" {
			desc = upperFirst(desc)
			if !strings.HasSuffix(desc, ".") {
				desc += "."
			}
		} else if d, ok := totalDocs[col]; ok {
			desc = d
			used[col] = true
		} else {
			return "", fmt.Errorf("totals column %q (%s) has neither a doc comment in sim/result.go nor a description in scripts/gendocs", col, name)
		}
		rows = append(rows, []string{code(col), kind, unit, desc})
	}
	for c := range totalDocs {
		if !used[c] {
			return "", fmt.Errorf("scripts/gendocs describes totals column %q, which has a doc comment or no longer exists; remove it from totalDocs", c)
		}
	}
	return table([]string{"column", "kind", "unit", "meaning"}, rows), nil
}

// totalColumnLiteral reads the TotalColumns composite literal: constant
// name → column name.
func totalColumnLiteral(rf *goFile) (map[string]string, error) {
	out := map[string]string{}
	for _, decl := range rf.f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if len(vs.Names) != 1 || vs.Names[0].Name != "TotalColumns" || len(vs.Values) != 1 {
				continue
			}
			cl, ok := vs.Values[0].(*ast.CompositeLit)
			if !ok {
				break
			}
			for _, e := range cl.Elts {
				kv, ok := e.(*ast.KeyValueExpr)
				if !ok {
					return nil, fmt.Errorf("%s: TotalColumns must be keyed by the constants", rf.path)
				}
				k, ok1 := kv.Key.(*ast.Ident)
				v, ok2 := kv.Value.(*ast.BasicLit)
				if !ok1 || !ok2 {
					return nil, fmt.Errorf("%s: TotalColumns must map constants to string literals", rf.path)
				}
				s, err := strconv.Unquote(v.Value)
				if err != nil {
					return nil, err
				}
				out[k.Name] = s
			}
			return out, nil
		}
	}
	return nil, fmt.Errorf("%s: no TotalColumns literal", rf.path)
}

// identList returns the identifiers listed in the composite literal of the
// package variable v.
func identList(g *goFile, v string) (map[string]bool, error) {
	for _, decl := range g.f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if len(vs.Names) != 1 || vs.Names[0].Name != v || len(vs.Values) != 1 {
				continue
			}
			cl, ok := vs.Values[0].(*ast.CompositeLit)
			if !ok {
				break
			}
			out := map[string]bool{}
			for _, e := range cl.Elts {
				if id, ok := e.(*ast.Ident); ok {
					out[id.Name] = true
				}
			}
			return out, nil
		}
	}
	return nil, fmt.Errorf("%s: no variable %s listing identifiers", g.path, v)
}

// assignedTotals returns the Total constants assigned directly in fn as
// `arr[TotX] = ...`: the columns the recorder sets as end-of-day states.
func assignedTotals(g *goFile, fn, arr string) (map[string]bool, error) {
	fd, err := g.funcDecl(fn)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || as.Tok != token.ASSIGN {
			return true
		}
		for _, l := range as.Lhs {
			ix, ok := l.(*ast.IndexExpr)
			if !ok {
				continue
			}
			if id, ok := ix.X.(*ast.Ident); !ok || id.Name != arr {
				continue
			}
			if k, ok := ix.Index.(*ast.Ident); ok && strings.HasPrefix(k.Name, "Tot") {
				out[k.Name] = true
			}
		}
		return true
	})
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %s assigns no %s[Tot...]", g.path, fn, arr)
	}
	return out, nil
}

// runKeysTable renders the keys of run.json from the json tags of the
// runFile struct of sim/report/report.go, in order.
func runKeysTable(root string) (string, error) {
	rf, err := parseGo(root, "sim/report/report.go")
	if err != nil {
		return "", err
	}
	var st *ast.StructType
	for _, decl := range rf.f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			if ts := spec.(*ast.TypeSpec); ts.Name.Name == "runFile" {
				st, _ = ts.Type.(*ast.StructType)
			}
		}
	}
	if st == nil {
		return "", fmt.Errorf("%s: no runFile struct", rf.path)
	}
	var rows [][]string
	seen := map[string]bool{}
	for _, f := range st.Fields.List {
		if f.Tag == nil {
			continue
		}
		tag, err := strconv.Unquote(f.Tag.Value)
		if err != nil {
			return "", err
		}
		key, _, _ := strings.Cut(reflect.StructTag(tag).Get("json"), ",")
		if key == "" || key == "-" {
			continue
		}
		d, ok := runKeyDocs[key]
		if !ok {
			return "", fmt.Errorf("run.json key %q has no description in scripts/gendocs", key)
		}
		seen[key] = true
		rows = append(rows, []string{code(key), d})
	}
	var extra []string
	for k := range runKeyDocs {
		if !seen[k] {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return "", fmt.Errorf("scripts/gendocs describes run.json keys %v, which report.go no longer writes", extra)
	}
	return table([]string{"key", "meaning"}, rows), nil
}
