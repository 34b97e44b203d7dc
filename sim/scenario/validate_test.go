package scenario

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

// base is a minimal valid scenario: 50 lines, numbered in the comments of
// the tests below. Line 1 is "[scenario]".
const base = `[scenario]
name = "t"
start = 2024-01-01
end = 2024-12-31
[border.us]
interior = "us"
irregular_cost = 100
[[node]]
id = "home"
name = "Home"
kind = "origin"
[[node]]
id = "gate"
name = "Gate"
kind = "border"
[[node]]
id = "us"
name = "US"
kind = "destination"
[[edge]]
id = "north"
from = "home"
to = "gate"
mode = "bus"
direction = "north"
duration = 2
cost = 50
[[edge]]
id = "south"
from = "gate"
to = "home"
mode = "bus"
direction = "south"
duration = 2
cost = 50
[[edge]]
id = "leave"
from = "us"
to = "gate"
mode = "bus"
direction = "south"
duration = 1
cost = 0
[[origin]]
id = "o"
node = "home"
nationality = "VEN"
pool = 100
base_rate = 0.01
budget = 1000
`

// replace returns base with line n (from 1) replaced by text.
func replace(n int, text string) string {
	ls := strings.Split(base, "\n")
	ls[n-1] = text
	return strings.Join(ls, "\n")
}

// insert returns base with text inserted after line n.
func insert(n int, text string) string {
	ls := strings.Split(base, "\n")
	out := append([]string{}, ls[:n]...)
	out = append(out, text)
	out = append(out, ls[n:]...)
	return strings.Join(out, "\n")
}

// appendText returns base followed by text, whose first line is line 51.
func appendText(text string) string { return base + text }

// want is one expected error: its line, key and a part of its message.
type want struct {
	line int
	key  string
	msg  string
}

// parseErrors parses text as file "t.toml" and returns its errors.
func parseErrors(t *testing.T, text string, files map[string]string) ErrorList {
	t.Helper()
	_, err := Parse("t.toml", []byte(text), func(name string) ([]byte, error) {
		if f, ok := files[name]; ok {
			return []byte(f), nil
		}
		return nil, errors.New("no such file")
	})
	if err == nil {
		return nil
	}
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error is %T, not an ErrorList: %v", err, err)
	}
	return list
}

// checkErrors compares the errors, in order, with the expected ones.
func checkErrors(t *testing.T, list ErrorList, file string, wants []want) {
	t.Helper()
	ok := len(list) == len(wants)
	for i := 0; ok && i < len(wants); i++ {
		e, w := list[i], wants[i]
		if e.File != file || e.Line != w.line || e.Key != w.key || !strings.Contains(e.Msg, w.msg) {
			ok = false
		}
	}
	if !ok {
		var sb strings.Builder
		for _, w := range wants {
			sb.WriteString("\n\t" + file + ":" + strconv.Itoa(w.line) + ": " + w.key + ": …" + w.msg + "…")
		}
		t.Errorf("got errors:\n%v\nwant:%s", indent(list), sb.String())
	}
}

func indent(list ErrorList) string {
	if list == nil {
		return "\t(none)"
	}
	return "\t" + strings.ReplaceAll(list.Error(), "\n", "\n\t")
}

func TestBaseIsValid(t *testing.T) {
	if n := strings.Count(base, "\n"); n != 50 {
		t.Fatalf("base has %d lines, the tests count 50", n)
	}
	if list := parseErrors(t, base, nil); list != nil {
		t.Fatalf("base scenario has errors:\n%v", list)
	}
}

func TestBadScenarios(t *testing.T) {
	policy := func(lines string) string { return appendText("[[policy]]\nname = \"p\"\ndate = 2024-03-01\n" + lines) }
	// With policy(...), [[policy]] is line 51, name 52, date 53 and the
	// given lines start at 54.
	cases := []struct {
		name  string
		text  string
		wants []want
	}{
		// Syntax and types.
		{"syntax error", replace(2, `name = "t`), []want{{2, "scenario.name", "TOML syntax"}}},
		{"unknown key", insert(4, "sead = 3"), []want{{5, "scenario.sead", `unknown key (did you mean "seed"?)`}}},
		{"unknown table", appendText("[bordr.us]\napprehension = 1\n"), []want{{51, "bordr", "unknown key"}}},
		{"unknown key in element", insert(27, "capcity = 3"), []want{{28, "edge.north.capcity", `did you mean "capacity"`}}},
		{"string for number", replace(48, `pool = "many"`), []want{{48, "origin.o.pool", `must be a number, not a string ("many")`}}},
		{"float for integer", insert(7, "cbp_one_lead_days = 1.5"), []want{{8, "border.us.cbp_one_lead_days", "must be a whole number"}}},
		{"string for date", replace(3, `start = "2024-01-01"`), []want{{3, "scenario.start", "without quotes"}}},
		{"date with time", replace(3, `start = 2024-01-01T10:00:00Z`), []want{{3, "scenario.start", "without a time of day"}}},
		{"string for bool", insert(43, `open = "yes"`), []want{{44, "edge.leave.open", "must be true or false"}}},
		{"negative seed", insert(4, "seed = -1"), []want{{5, "scenario.seed", "must not be negative"}}},
		{"bad distribution key", replace(26, "duration = { mean = 3 }"), []want{{26, "edge.north.duration", "unknown distribution key"}}},
		{"table for list", appendText("[report]\nnorthbound = { a = 1 }\n"), []want{{52, "report.northbound", "must be an array"}}},

		// Required keys, ids and references.
		{"missing start", replace(3, "# no start"), []want{{1, "scenario.start", "is missing"}}},
		{"missing edge mode", replace(24, "# no mode"), []want{{20, "edge.north.mode", "is missing"}}},
		{"unknown node in edge", replace(23, `to = "gat"`), []want{
			{23, "edge.north.to", `unknown node "gat" (did you mean "gate"?)`},
			{46, "origin.o.node", `no open route from home "home" to any border node`},
		}},
		{"unknown node in origin", replace(46, `node = "hom"`), []want{{46, "origin.o.node", `unknown node "hom"`}}},
		{"unknown interior", replace(6, `interior = "usa"`), []want{{6, "border.us.interior", `unknown node "usa"`}}},
		{"duplicate id", replace(37, `id = "south"`), []want{{37, "edge[3].id", `duplicate id "south" (already used by the edge at line 28)`}}},
		{"bad id", replace(17, `id = "u.s"`), []want{
			{6, "border.us.interior", `unknown node "us"`},
			{17, "node[3].id", "may hold only letters"},
			{38, "edge.leave.from", `unknown node "us"`},
		}},
		{"edge to itself", replace(23, `to = "home"`), []want{
			{23, "edge.north.to", "two different nodes"},
			{46, "origin.o.node", "to any border node"},
		}},
		{"bad scenario name", replace(2, `name = "../x"`), []want{{2, "scenario.name", "folder name"}}},

		// Enumerations.
		{"bad node kind", replace(15, `kind = "frontier"`), []want{
			{8, "node", `no node has kind "border"`},
			{15, "node.gate.kind", `must be one of origin, hub, crossing, border, destination (got "frontier")`},
		}},
		{"bad mode", replace(24, `mode = "car"`), []want{{24, "edge.north.mode", "must be one of bus, foot, boat, flight, crossing"}}},
		{"bad direction", replace(25, `direction = "up"`), []want{{25, "edge.north.direction", "must be one of north, south"}}},
		{"bad spend", insert(27, `spend = "bribe"`), []want{{28, "edge.north.spend", "must be one of transport, smuggler, boat, fee"}}},
		{"deportation flights at the border", insert(15, "deport_flights_per_week = 2"), []want{{16, "node.gate.deport_flights_per_week", "must be 0 at a border node"}}},
		{"deportation flights at the border by policy", policy("path = \"node.gate.deport_flights_per_week\"\nset = 2"), []want{{54, "policy[1].path", "a border node cannot have deportation flights"}}},
		{"bad interception_to", insert(27, `interception_to = "jail"`), []want{{28, "edge.north.interception_to", "must be one of back, origin"}}},
		{"bad goal", insert(50, `goal = "canada"`), []want{{51, "origin.o.goal", "must be one of us, elsewhere"}}},

		// Ranges.
		{"negative capacity", insert(27, "capacity = -5"), []want{{28, "edge.north.capacity", "must not be negative (got -5)"}}},
		{"negative cost", replace(27, "cost = { min = -5, max = 10 }"), []want{{27, "edge.north.cost", "needs 0 <= min <= max"}}},
		{"negative wage", insert(11, "wage = -1"), []want{{12, "node.home.wage", "must not be negative"}}},
		{"negative pool", replace(48, "pool = -100"), []want{{48, "origin.o.pool", "must not be negative"}}},
		{"negative budget", replace(50, "budget = { median = -1, sigma = 0.5 }"), []want{{50, "origin.o.budget", "median > 0"}}},
		{"negative value of time", appendText("[behaviour]\nvalue_of_time = -3\n"), []want{{52, "behaviour.value_of_time", "must not be negative"}}},
		{"probability above 1", insert(7, "apprehension = 1.2"), []want{{8, "border.us.apprehension", "must be between 0 and 1 (got 1.2)"}}},
		{"negative risk", insert(11, "robbery_risk = -0.1"), []want{{12, "node.home.robbery_risk", "between 0 and 1"}}},
		{"capsize above 1", insert(27, "capsize_risk = 2"), []want{{28, "edge.north.capsize_risk", "between 0 and 1"}}},
		{"share above 1", insert(7, "expulsion_share = 1.01"), []want{{8, "border.us.expulsion_share", "between 0 and 1"}}},
		{"belief above 1", appendText("[behaviour]\ninitial_belief = 1.5\nbelief_news_rate = -0.5\n"), []want{
			{52, "behaviour.initial_belief", "between 0 and 1"},
			{53, "behaviour.belief_news_rate", "between 0 and 1"},
		}},
		{"interior rate above 1", insert(7, "interior_leave_rate = 3"), []want{{8, "border.us.interior_leave_rate", "between 0 and 1"}}},
		{"rate above 1", replace(49, "base_rate = 1.5"), []want{{49, "origin.o.base_rate", "between 0 and 1"}}},
		{"peak month 13", insert(50, "season_peak_month = 13"), []want{{51, "origin.o.season_peak_month", "between 1 and 12"}}},
		{"half-yearly peak month 0.5", insert(50, "semiannual_amplitude = 0.1\nsemiannual_peak_month = 0.5"), []want{{52, "origin.o.semiannual_peak_month", "between 1 and 12"}}},
		{"half-yearly amplitude without its peak", insert(50, "semiannual_amplitude = 0.1"), []want{{44, "origin.o.semiannual_peak_month", "is missing"}}},
		{"season amplitudes above 1 together", insert(50, "season_amplitude = 0.7\nseason_peak_month = 8\nsemiannual_amplitude = 0.4\nsemiannual_peak_month = 3"), []want{{53, "origin.o.semiannual_amplitude", "adds up to 1.1"}}},
		{"half-yearly amplitude above 1", insert(50, "semiannual_amplitude = 1.5\nsemiannual_peak_month = 3"), []want{{51, "origin.o.semiannual_amplitude", "between 0 and 1"}}},
		{"latitude", insert(11, "lat = 95"), []want{{12, "node.home.lat", "between -90 and 90"}}},
		{"infinite cost", replace(27, "cost = inf"), []want{{27, "edge.north.cost", "finite"}}},
		{"duration below a day", replace(42, "duration = 0.5"), []want{{42, "edge.leave.duration", "at least 1 day (got minimum 0.5)"}}},
		{"uniform duration below a day", replace(42, "duration = { min = 0, max = 3 }"), []want{{42, "edge.leave.duration", "at least 1 day (got minimum 0)"}}},
		{"lognormal duration below a day", replace(42, "duration = { median = 0.8, sigma = 0.2 }"), []want{{42, "edge.leave.duration", "median of at least 1 day"}}},
		{"missing duration", replace(42, "# no duration"), []want{{36, "edge.leave.duration", "is missing"}}},
		{"scale not 1/n", insert(4, "scale = 0.3"), []want{{5, "scenario.scale", "1/scale must be a whole number"}}},
		{"scale zero", insert(4, "scale = 0"), []want{{5, "scenario.scale", "more than 0"}}},
		{"scale above 1", insert(4, "scale = 2"), []want{{5, "scenario.scale", "at most 1"}}},
		{"news window zero", appendText("[behaviour]\nnews_window_days = 0\n"), []want{{52, "behaviour.news_window_days", "at least 1"}}},
		{"end before start", replace(4, "end = 2023-12-31"), []want{{4, "scenario.end", "2023-12-31 is before start (2024-01-01)"}}},
		{"cite unknown key", insert(50, `cite = { poool = "x" }`), []want{{51, "origin.o.cite.poool", `cites unknown key "poool" (did you mean "pool"?)`}}},

		// Reachability.
		{"no way back", insert(35, "open = false"), []want{
			{47, "origin.o.node", `no open route back home to "home" from border node "gate"`},
			{47, "origin.o.node", `no open route back home to "home" from the US interior "us"`},
		}},
		{"no way to elsewhere", insert(50, "goal = \"elsewhere\"\nelsewhere = \"us\""), []want{{52, "origin.o.elsewhere", `no open route from home "home" to "us"`}}},
		{"elsewhere missing", insert(50, "home_share = 0.5"), []want{{44, "origin.o.elsewhere", "is missing"}}},
		{"elsewhere unknown", insert(50, `elsewhere = "mars"`), []want{{51, "origin.o.elsewhere", `unknown node "mars"`}}},

		// Report and observed series.
		{"report unknown edge", appendText("[report]\nnorthbound = [\n  \"north\",\n  \"nrth\",\n]\nfocus_node = \"hme\"\n"), []want{
			{54, "report.northbound", `unknown edge "nrth" (did you mean "north"?)`},
			{56, "report.focus_node", `unknown node "hme"`},
		}},
		{"observed", appendText("[[observed]]\nname = \"a\"\nfile = \"a.csv\"\nquantity = \"flow\"\n[[observed]]\nname = \"b\"\nfile = \"b.csv\"\nquantity = \"arrivals\"\nnode = \"nowhere\"\n[[observed]]\nname = \"c\"\nquantity = \"Flow!\"\n"), []want{
			{51, "observed[1].edges", "is missing"},
			{59, "observed[2].node", `unknown node "nowhere"`},
			{60, "observed[3].file", "is missing"},
			{62, "observed[3].quantity", "want flow, arrivals or the name of a totals column"},
		}},

		// Policies.
		{"policy unknown path", policy("path = \"border.us.nope\"\nset = 1\n"), []want{{54, "policy[1].path", `unknown parameter "border.us.nope"`}}},
		{"policy unknown node", policy("path = \"node.nowhere.meals\"\nset = 1\n"), []want{{54, "policy[1].path", `no node has id "nowhere"`}}},
		{"policy path not a parameter", policy("path = \"edge.north.from\"\nset = \"us\"\n"), []want{{54, "policy[1].path", `edge.north has no parameter "from"`}}},
		{"policy distribution part", policy("path = \"edge.north.cost.median\"\nscale = 2\n"), []want{{54, "policy[1].path", `a fixed distribution has no part "median"`}}},
		{"policy on scenario", policy("path = \"scenario.seed\"\nset = 3\n"), []want{{54, "policy[1].path", "cannot change during a run"}}},
		{"policy without change", policy("path = \"node.home.meals\"\n"), []want{{51, "policy[1]", "needs one of set, scale or ramp"}}},
		{"policy with two changes", policy("path = \"node.home.meals\"\nset = 1\nscale = 2\n"), []want{{56, "policy[1].scale", "give only one of set, scale or ramp"}}},
		{"policy bool for number", policy("path = \"node.home.meals\"\nset = true\n"), []want{{55, "policy[1].set", "node.home.meals is a number and cannot be set to true/false"}}},
		{"policy number for bool", policy("path = \"border.us.cbp_one_open\"\nset = 1\n"), []want{{55, "policy[1].set", "is a bool and cannot be set to a number"}}},
		{"policy table for number", policy("path = \"node.home.meals\"\nset = { min = 1, max = 2 }\n"), []want{{55, "policy[1].set", "cannot be set to a distribution"}}},
		{"policy fraction for integer", policy("path = \"behaviour.news_delay_days\"\nset = 2.5\n"), []want{{55, "policy[1].set", "is an integer and cannot be set to 2.5"}}},
		{"policy scale of bool", policy("path = \"edge.north.open\"\nscale = 2\n"), []want{{55, "policy[1].scale", "cannot be scaled"}}},
		{"policy ramp of distribution", policy("path = \"edge.north.cost\"\nramp = { to = 3, days = 10 }\n"), []want{{55, "policy[1].ramp", "cannot be ramped; ramp one of its parts (edge.north.cost.value)"}}},
		{"policy ramp days", policy("path = \"node.home.meals\"\nramp = { to = 3, days = 0 }\n"), []want{{55, "policy[1].ramp.days", "must be at least 1"}}},
		{"policy until before date", policy("path = \"node.home.meals\"\nset = 5\nuntil = 2024-02-01\n"), []want{{56, "policy[1].until", "must be after date (2024-03-01)"}}},
		{"policy nationality", policy("path = \"node.home.food_cost\"\nset = 5\nnationality = \"ECU\"\n"), []want{{56, "policy[1].nationality", `"ECU" is the nationality of no origin (they are VEN)`}}},
		{"policy nationality on a shared capacity", policy("path = \"node.home.meals\"\nset = 5\nnationality = \"VEN\"\n"), []want{{56, "policy[1].nationality", "node.home.meals is shared by all nationalities"}}},
		{"policy on a parameter fixed at the start", policy("path = \"origin.o.pool\"\nset = 5\n"), []want{{54, "policy[1].path", "origin.o.pool cannot change during a run"}}},
		{"policy probability set out of range", policy("path = \"border.us.apprehension\"\nset = 1.5\n"), []want{{55, "policy[1].set", "border.us.apprehension: must be between 0 and 1 (got 1.5)"}}},
		{"policy scale makes cost negative", policy("path = \"edge.north.cost\"\nscale = -1\n"), []want{{55, "policy[1].scale", "edge.north.cost: must not be negative (got -50)"}}},
		{"policy ramp out of range", policy("path = \"origin.o.base_rate\"\nramp = { to = 2, days = 30 }\n"), []want{{55, "policy[1].ramp.to", "origin.o.base_rate: must be between 0 and 1 (got 2)"}}},
		{"policy fading scale ends out of range", policy("path = \"origin.o.base_rate\"\nscale = 0.5\nramp = { to = 200, days = 30 }\n"), []want{{56, "policy[1].ramp.to", "origin.o.base_rate: must be between 0 and 1 (got 2)"}}},
		{"policy fading scale days", policy("path = \"origin.o.base_rate\"\nscale = 0.5\nramp = { to = 1, days = 0 }\n"), []want{{56, "policy[1].ramp.days", "must be at least 1"}}},
		{"policy set with ramp", policy("path = \"node.home.meals\"\nset = 1\nramp = { to = 1, days = 3 }\n"), []want{{56, "policy[1].ramp", "give only one of set, scale or ramp, or a scale with a ramp"}}},
		{"policy set bad text", policy("path = \"edge.north.interception_to\"\nset = \"gold\"\n"), []want{{55, "policy[1].set", "edge.north.interception_to: must be one of"}}},
		{"policy missing name and date", appendText("[[policy]]\npath = \"node.home.meals\"\nset = 1\n"), []want{
			{51, "policy[1].name", "is missing"},
			{51, "policy[1].date", "is missing"},
		}},
		{"second policy", policy("path = \"node.home.meals\"\nset = 1\n[[policy]]\nname = \"q\"\ndate = 2024-01-01\npath = \"node.home.beds\"\nset = -4\n"), []want{{60, "policy[2].set", "node.home.beds: must not be negative (got -4)"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkErrors(t, parseErrors(t, tc.text, nil), "t.toml", tc.wants)
		})
	}
}

// TestAllErrorsAtOnce: a scenario with three problems of different stages
// (an unknown key, a value out of range, a policy naming nothing) reports
// all three, in line order.
func TestAllErrorsAtOnce(t *testing.T) {
	text := insert(7, "apprehension = 7") // line 8
	text = strings.Replace(text, "cost = 50\n[[edge]]\nid = \"south\"", "cost = 50\ncolor = \"red\"\n[[edge]]\nid = \"south\"", 1)
	// The edge "north" now ends with color at line 29 (28 + the line
	// inserted above it).
	text += "[[policy]]\nname = \"p\"\ndate = 2024-03-01\npath = \"node.home.mealz\"\nset = 1\n"
	// 52 lines before the policy: [[policy]] at 53, path at 56.
	checkErrors(t, parseErrors(t, text, nil), "t.toml", []want{
		{8, "border.us.apprehension", "between 0 and 1"},
		{29, "edge.north.color", "unknown key"},
		{56, "policy[1].path", `node.home has no parameter "mealz" (did you mean "meals"?)`},
	})
}

// TestDecodeErrorsDoNotCascade: a key with the wrong type is reported once,
// not again as missing.
func TestDecodeErrorsDoNotCascade(t *testing.T) {
	checkErrors(t, parseErrors(t, replace(24, "mode = 3"), nil), "t.toml", []want{
		{24, "edge.north.mode", "must be a string, not an integer (3)"},
	})
}

func TestIncludes(t *testing.T) {
	main := strings.Replace(base, "[scenario]\n", "include = [\"pol/a.toml\", \"pol/b.toml\"]\n[scenario]\n", 1) +
		"[[policy]]\nname = \"main\"\ndate = 2024-02-01\npath = \"node.home.meals\"\nset = 10\n"
	a := "# a\n[[policy]]\nname = \"a1\"\ndate = 2024-03-01\npath = \"node.home.beds\"\nset = 5\n"
	b := "[[policy]]\nname = \"b1\"\ndate = 2024-04-01\npath = \"node.home.beds\"\nscale = 2\n\n[[policy]]\nname = \"b2\"\ndate = 2024-05-01\npath = \"border.us.apprehension\"\nset = 0.5\n"
	files := map[string]string{"dir/pol/a.toml": a, "dir/pol/b.toml": b}
	read := func(name string) ([]byte, error) {
		if f, ok := files[name]; ok {
			return []byte(f), nil
		}
		return nil, errors.New("no such file")
	}
	s, err := Parse("dir/main.toml", []byte(main), read)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range s.Policies {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, " "); got != "main a1 b1 b2" {
		t.Errorf("policies %q, want main a1 b1 b2 (main's, then each file's in order)", got)
	}
	if s.File != "dir/main.toml" {
		t.Errorf("File = %q", s.File)
	}
	if want := sha256Hex(main + a + b); s.Hash != want {
		t.Errorf("Hash = %s, want SHA-256 of main+a+b = %s", s.Hash, want)
	}

	// Errors in included files name the file and its own line and number
	// the policy within the file.
	files["dir/pol/b.toml"] = strings.Replace(b, "set = 0.5", "set = 5", 1)
	files["dir/pol/a.toml"] = a + "[[node]]\nid = \"x\"\n"
	_, err = Parse("dir/main.toml", []byte(main), read)
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("want 2 errors, got %v", err)
	}
	if e := list[0]; e.File != "dir/pol/a.toml" || e.Line != 7 || e.Key != "node" || !strings.Contains(e.Msg, "only [[policy]]") {
		t.Errorf("first error %q, want dir/pol/a.toml:7: node: ...only [[policy]]...", e)
	}
	if e := list[1]; e.File != "dir/pol/b.toml" || e.Line != 11 || e.Key != "policy[2].set" || !strings.Contains(e.Msg, "between 0 and 1") {
		t.Errorf("second error %q, want dir/pol/b.toml:11: policy[2].set: ...between 0 and 1...", e)
	}

	// A missing included file is reported at the include line.
	delete(files, "dir/pol/a.toml")
	files["dir/pol/b.toml"] = b
	_, err = Parse("dir/main.toml", []byte(main), read)
	if !errors.As(err, &list) || len(list) != 1 || list[0].Line != 1 || list[0].Key != "include" || !strings.Contains(list[0].Msg, "cannot read") {
		t.Errorf("missing include: got %v, want dir/main.toml:1: include: cannot read ...", err)
	}
}

func TestErrorFormat(t *testing.T) {
	for _, tc := range []struct {
		e    Error
		want string
	}{
		{Error{File: "a.toml", Line: 3, Key: "k", Msg: "m"}, "a.toml:3: k: m"},
		{Error{File: "a.toml", Key: "k", Msg: "m"}, "a.toml: k: m"},
		{Error{Key: "--set x=1", Msg: "m"}, "--set x=1: m"},
		{Error{File: "a.toml", Line: 2, Msg: "m"}, "a.toml:2: m"},
		{Error{Msg: "m"}, "m"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("%#v prints %q, want %q", tc.e, got, tc.want)
		}
	}
	l := ErrorList{{File: "a", Line: 1, Msg: "x"}, {File: "a", Line: 2, Msg: "y"}}
	if got := l.Error(); got != "a:1: x\na:2: y" {
		t.Errorf("list prints %q", got)
	}
}

func TestValidateBuiltInCode(t *testing.T) {
	s := loadTiny(t)
	s.Edges[3].Capacity = -1
	err := s.Validate()
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 1 {
		t.Fatalf("want one error, got %v", err)
	}
	// The key is still located in the file it came from (line 171 of
	// tiny.toml: the capacity of the fourth edge, landing-port).
	if e := list[0]; e.Key != "edge.landing-port.capacity" || e.Line != 171 || !strings.HasSuffix(e.File, "tiny.toml") {
		t.Errorf("got %q", e)
	}
	// A scenario built in code has no file: keys only.
	s2 := &Scenario{}
	err = s2.Validate()
	if err == nil || !strings.Contains(err.Error(), "scenario.name: is missing") {
		t.Errorf("empty scenario: got %v", err)
	}
}

// TestValidPolicies: every form of change a policy may make is accepted.
func TestValidPolicies(t *testing.T) {
	text := base
	for _, p := range []string{
		`path = "edge.north.cost"` + "\nset = { min = 10, max = 20 }",
		`path = "edge.north.cost"` + "\nset = 30",
		`path = "edge.north.cost"` + "\nscale = 1.5",
		`path = "edge.north.duration.value"` + "\nramp = { to = 5, days = 10 }",
		`path = "edge.north.open"` + "\nset = false\nuntil = 2024-04-01",
		`path = "edge.north.interception_to"` + "\nset = \"origin\"",
		`path = "behaviour.news_delay_days"` + "\nset = 3",
		`path = "border.us.cbp_one_lead_days"` + "\nscale = 0.5",
		`path = "border.us.apprehension"` + "\nramp = { to = 0.9, days = 30 }\nnationality = \"VEN\"",
		`path = "origin.o.base_rate"` + "\nscale = 2",
	} {
		text += "[[policy]]\nname = \"p\"\ndate = 2024-03-01\n" + p + "\n"
	}
	s, err := Parse("t.toml", []byte(text), nil)
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := s.Policies[0].Set.(Dist); !ok || d != (Dist{Kind: DistUniform, Min: 10, Max: 20}) {
		t.Errorf("a distribution set is %#v, want Dist{uniform 10 20}", s.Policies[0].Set)
	}
	if s.Policies[4].Set != false || s.Policies[5].Set != "origin" || s.Policies[6].Set != 3.0 {
		t.Errorf("set values %#v %#v %#v", s.Policies[4].Set, s.Policies[5].Set, s.Policies[6].Set)
	}
}
