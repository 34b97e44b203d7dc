package scenario

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

const tinyPath = "testdata/tiny.toml"

func loadTiny(t testing.TB) *Scenario {
	t.Helper()
	s, err := Load(tinyPath)
	if err != nil {
		t.Fatalf("tiny.toml: %v", err)
	}
	return s
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestLoadTiny(t *testing.T) {
	s := loadTiny(t)
	if len(s.Nodes) != 6 || len(s.Edges) != 8 || len(s.Origins) != 1 || len(s.Policies) != 2 {
		t.Fatalf("tiny: %d nodes, %d edges, %d origins, %d policies; want 6, 8, 1, 2", len(s.Nodes), len(s.Edges), len(s.Origins), len(s.Policies))
	}
	data, err := os.ReadFile(tinyPath)
	if err != nil {
		t.Fatal(err)
	}
	if s.Hash != sha256Hex(string(data)) {
		t.Errorf("Hash = %s, want the SHA-256 of the file", s.Hash)
	}
	if s.File != tinyPath {
		t.Errorf("File = %q", s.File)
	}
	// 2023-01-01 to 2023-06-30: 31+28+31+30+31+30 days.
	if s.Days() != 181 {
		t.Errorf("Days() = %d, want 181", s.Days())
	}
	if !s.Meta.Start.Equal(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)) || s.Meta.Start.Location() != time.UTC {
		t.Errorf("Start = %v, want 2023-01-01 UTC", s.Meta.Start)
	}
	// Policy values are normalised: a TOML integer becomes a float64.
	if v, ok := s.Policies[1].Set.(float64); !ok || v != 1 {
		t.Errorf("policy set = %#v, want float64(1)", s.Policies[1].Set)
	}
	if s.Policies[1].Nationality != "VEN" || !s.Policies[1].Until.Equal(time.Date(2023, 5, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("second policy: %+v", s.Policies[1])
	}
}

func TestLoadFS(t *testing.T) {
	data, err := os.ReadFile(tinyPath)
	if err != nil {
		t.Fatal(err)
	}
	main := strings.Replace(string(data), "[scenario]\n", "include = [\"more/p.toml\"]\n\n[scenario]\n", 1)
	inc := "[[policy]]\nname = \"slots\"\ndate = 2023-02-01\npath = \"border.us.cbp_one_daily_slots\"\nramp = { to = 40, days = 30 }\n"
	fsys := fstest.MapFS{
		"scen/tiny.toml":      {Data: []byte(main)},
		"scen/more/p.toml":    {Data: []byte(inc)},
		"scen/more/other.txt": {Data: []byte("x")},
	}
	s, err := LoadFS(fsys, "scen/tiny.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Policies) != 3 || s.Policies[2].Name != "slots" || s.Policies[2].Ramp.To != 40 || s.Policies[2].Ramp.Days != 30 {
		t.Errorf("included policy not appended: %+v", s.Policies)
	}
	if s.Hash != sha256Hex(main+inc) {
		t.Errorf("Hash does not cover the included file")
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load("testdata/no-such-scenario.toml")
	if err == nil || !strings.Contains(err.Error(), "testdata/no-such-scenario.toml") || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("got %v, want an error naming the file and wrapping fs.ErrNotExist", err)
	}
}

// TestDefaults: keys left out get their documented defaults; keys written
// as false or 0 keep that value.
func TestDefaults(t *testing.T) {
	extra := "[[edge]]\nid = \"spare\"\nfrom = \"home\"\nto = \"us\"\nmode = \"flight\"\ndirection = \"north\"\nduration = 1\ncost = 900\nopen = false\ncapsize_fatality = 0\n"
	s, err := Parse("t.toml", []byte(base+extra), nil)
	if err != nil {
		t.Fatal(err)
	}
	e := s.Edges[0]
	o := s.Origins[0]
	us := s.Border.US
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"scenario.scale", s.Meta.Scale, 1.0},
		{"scenario.seed", s.Meta.Seed, uint64(1)},
		{"edge.open", e.Open, true},
		{"edge.interception_to", e.InterceptionTo, "back"},
		{"edge.spend", e.Spend, "transport"},
		{"edge.capsize_fatality", e.CapsizeFatality, 1.0},
		{"origin.goal", o.Goal, "us"},
		{"origin.home_share", o.HomeShare, 1.0},
		{"origin.min_budget_share", o.MinBudgetShare, 1.0},
		{"border.us.cbp_one_earliest_share", us.CBPOneEarliestShare, 0.5},
		{"border.us.cbp_one_lead_days", us.CBPOneLeadDays, 14},
		{"behaviour.news_window_days", s.Behaviour.NewsWindowDays, 30},
		{"report.crossing_name", s.Report.CrossingName, "crossing"},
		{"explicit open = false", s.Edges[3].Open, false},
		{"explicit capsize_fatality = 0", s.Edges[3].CapsizeFatality, 0.0},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestParamKindAndNumber(t *testing.T) {
	s := loadTiny(t)
	for _, c := range []struct {
		path string
		kind ParamKind
		num  float64 // checked when kind is numeric
	}{
		{"scenario.scale", Number, 1},
		{"scenario.seed", Integer, 42},
		{"behaviour.value_of_time", Number, 10},
		{"behaviour.news_delay_days", Integer, 7},
		{"border.us.cbp_one_daily_slots", Number, 10},
		{"border.us.cbp_one_open", Bool, 0},
		// uniform {300, 500}: mean 400.
		{"border.us.irregular_cost", Distribution, 400},
		{"border.us.irregular_cost.max", Number, 500},
		{"node.port.meals", Number, 300},
		{"node.border.cbp_one_eligible", Bool, 0},
		{"edge.port-landing.capacity", Number, 60},
		// triangular {40, 50, 80}: mean 170/3.
		{"edge.port-landing.cost", Distribution, 170.0 / 3},
		{"edge.port-landing.cost.mode", Number, 50},
		// lognormal median 800, sigma 0.4: mean 800·e^(0.4²/2) = 800·e^0.08.
		{"edge.landing-border.cost", Distribution, 866.6296541399669},
		{"edge.landing-border.cost.sigma", Number, 0.4},
		{"edge.home-port.cost.value", Number, 120},
		{"edge.port-landing.interception_to", Text, 0},
		{"edge.port-landing.open", Bool, 0},
		{"origin.ven.pool", Number, 2000},
		{"origin.ven.season_peak_month", Number, 8},
		{"origin.ven.goal", Text, 0},
		{"origin.ven.elsewhere", Text, 0},
	} {
		k, err := s.ParamKind(c.path)
		if err != nil || k != c.kind {
			t.Errorf("ParamKind(%s) = %v, %v; want %v", c.path, k, err, c.kind)
			continue
		}
		n, err := s.Number(c.path)
		switch c.kind {
		case Bool, Text:
			if err == nil {
				t.Errorf("Number(%s) of a %v gave no error", c.path, k)
			}
		default:
			if err != nil || math.Abs(n-c.num) > 1e-9*math.Max(1, math.Abs(c.num)) {
				t.Errorf("Number(%s) = %v, %v; want %v", c.path, n, err, c.num)
			}
		}
	}
	for _, bad := range []string{
		"", "border.us.nope", "border.mx.apprehension", "node.nowhere.meals", "node.port",
		"edge.home-port.from", "edge.home-port.mode", "node.port.lat", "node.port.id", "scenario.name",
		"scenario.start", "origin.ven.cite", "origin.ven.nationality", "border.us.interior",
		"edge.port-landing.cost.median", "edge.port-landing.capacity.min", "edge.port-landing.cost.min.x",
		"weather.rain",
	} {
		if _, err := s.ParamKind(bad); err == nil {
			t.Errorf("ParamKind(%q) gave no error", bad)
		}
		if err := s.SetParam(bad, 1.0); err == nil {
			t.Errorf("SetParam(%q) gave no error", bad)
		}
	}
}

func TestSetParam(t *testing.T) {
	s := loadTiny(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.SetParam("border.us.cbp_one_daily_slots", 1450))
	must(s.SetParam("behaviour.news_delay_days", int64(3)))
	must(s.SetParam("behaviour.news_window_days", 14.0))
	must(s.SetParam("scenario.seed", 9))
	must(s.SetParam("border.us.cbp_one_open", false))
	must(s.SetParam("edge.port-landing.interception_to", "origin"))
	must(s.SetParam("edge.landing-port.cost", 75.0))
	must(s.SetParam("edge.home-port.duration", Dist{Kind: DistTriangular, Min: 1, Mode: 2, Max: 5}))
	must(s.SetParam("edge.port-landing.cost.max", 100))
	if s.Border.US.CBPOneDailySlots != 1450 || s.Behaviour.NewsDelayDays != 3 || s.Behaviour.NewsWindowDays != 14 ||
		s.Meta.Seed != 9 || s.Border.US.CBPOneOpen || s.Edges[2].InterceptionTo != "origin" {
		t.Errorf("values not set: %+v %+v %+v", s.Border.US, s.Behaviour, s.Meta)
	}
	if s.Edges[3].Cost != Fixed(75) {
		t.Errorf("a number on a distribution should set Fixed(75), got %v", s.Edges[3].Cost)
	}
	if s.Edges[0].Duration != (Dist{Kind: DistTriangular, Min: 1, Mode: 2, Max: 5}) {
		t.Errorf("duration = %v", s.Edges[0].Duration)
	}
	if s.Edges[2].Cost != (Dist{Kind: DistTriangular, Min: 40, Mode: 50, Max: 100}) {
		t.Errorf("cost.max not set: %v", s.Edges[2].Cost)
	}
	for _, c := range []struct {
		path string
		v    any
		msg  string
	}{
		{"behaviour.news_delay_days", 2.5, "whole number"},
		{"scenario.seed", -1, "negative"},
		{"node.port.meals", true, "cannot be set to true/false"},
		{"border.us.cbp_one_open", 1.0, "cannot be set to a number"},
		{"origin.ven.goal", 3, "cannot be set to a number"},
		{"edge.port-landing.cost", "cheap", "cannot be set to text"},
		{"edge.port-landing.cost.min", Fixed(1), "cannot be set to a distribution"},
	} {
		if err := s.SetParam(c.path, c.v); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("SetParam(%s, %v) = %v, want an error with %q", c.path, c.v, err, c.msg)
		}
	}
}

func TestScaleParam(t *testing.T) {
	s := loadTiny(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.ScaleParam("edge.port-landing.capacity", 0.5))   // 60 → 30
	must(s.ScaleParam("behaviour.news_delay_days", 1.3))    // 7 → 9.1 → 9
	must(s.ScaleParam("border.us.cbp_one_lead_days", 1.25)) // 14 → 17.5 → 18 (half away from zero)
	must(s.ScaleParam("edge.port-landing.cost", 2))         // {40,50,80} → {80,100,160}
	must(s.ScaleParam("edge.landing-border.cost", 0.5))     // median 800 → 400, sigma kept
	must(s.ScaleParam("origin.ven.budget.sigma", 2))        // 0.5 → 1
	must(s.ScaleParam("border.us.irregular_cost.min", 0.5)) // 300 → 150
	if s.Edges[2].Capacity != 30 || s.Behaviour.NewsDelayDays != 9 || s.Border.US.CBPOneLeadDays != 18 {
		t.Errorf("capacity %v, news_delay_days %v, lead days %v; want 30, 9, 18", s.Edges[2].Capacity, s.Behaviour.NewsDelayDays, s.Border.US.CBPOneLeadDays)
	}
	if s.Edges[2].Cost != (Dist{Kind: DistTriangular, Min: 80, Mode: 100, Max: 160}) {
		t.Errorf("cost = %v", s.Edges[2].Cost)
	}
	if s.Edges[4].Cost != (Dist{Kind: DistLognormal, Median: 400, Sigma: 0.4}) {
		t.Errorf("lognormal cost = %v", s.Edges[4].Cost)
	}
	if s.Origins[0].Budget != (Dist{Kind: DistLognormal, Median: 1500, Sigma: 1}) {
		t.Errorf("budget = %v", s.Origins[0].Budget)
	}
	if s.Border.US.IrregularCost != (Dist{Kind: DistUniform, Min: 150, Max: 500}) {
		t.Errorf("irregular cost = %v", s.Border.US.IrregularCost)
	}
	for _, p := range []string{"border.us.cbp_one_open", "origin.ven.goal", "nowhere.x"} {
		if err := s.ScaleParam(p, 2); err == nil {
			t.Errorf("ScaleParam(%s) gave no error", p)
		}
	}
}

// TestParams counts the parameters of tiny.toml by hand:
//
//	scenario: seed, scale                                          2
//	behaviour: 16 keys                                            16
//	border.us: 13 keys (interior and cite are not parameters)
//	           + irregular_cost min, max                          15
//	node: 14 keys × 6 nodes                                       84
//	edge: 13 keys × 8 edges = 104, + distribution parts:
//	      home-port 2+1, port-home 2+1, port-landing 1+3,
//	      landing-port 1+1, landing-border 2+2, border-landing 3+1,
//	      us-border 1+1, home-lima 2+1 = 25                      129
//	origin: 12 keys + budget median, sigma                        14
//	                                                             ---
//	                                                             260
func TestParams(t *testing.T) {
	s := loadTiny(t)
	ps := s.Params()
	if len(ps) != 260 {
		t.Errorf("%d parameters, want 260", len(ps))
	}
	if !slices.IsSorted(ps) {
		t.Errorf("not sorted")
	}
	for _, p := range []string{"scenario.scale", "border.us.irregular_cost.min", "node.lima.meals", "edge.landing-border.duration.median", "origin.ven.budget"} {
		if !slices.Contains(ps, p) {
			t.Errorf("missing %s", p)
		}
	}
	for _, p := range []string{"node.lima.id", "edge.home-port.from", "scenario.name", "origin.ven.cite", "edge.home-port.cost.min"} {
		if slices.Contains(ps, p) {
			t.Errorf("%s is not a parameter", p)
		}
	}
	for _, p := range ps {
		if _, err := s.ParamKind(p); err != nil {
			t.Errorf("Params lists %s, but: %v", p, err)
		}
	}
}

func TestApplySets(t *testing.T) {
	s := loadTiny(t)
	err := s.ApplySets([]string{
		"border.us.cbp_one_daily_slots=0",
		"edge.port-landing.cost = { min = 1, max = 2 }",
		"node.port.cbp_one_eligible=true",
		"edge.port-landing.interception_to=origin",
		`origin.ven.goal="elsewhere"`,
		"scenario.scale=0.01",
		"scenario.seed=7",
		"origin.ven.budget.median=2000",
		"behaviour.news_delay_days=3",
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.Border.US.CBPOneDailySlots != 0 || s.Edges[2].Cost != (Dist{Kind: DistUniform, Min: 1, Max: 2}) ||
		!s.Nodes[1].CBPOneEligible || s.Edges[2].InterceptionTo != "origin" || s.Origins[0].Goal != GoalElsewhere ||
		s.Meta.Scale != 0.01 || s.Meta.Seed != 7 || s.Origins[0].Budget.Median != 2000 || s.Behaviour.NewsDelayDays != 3 {
		t.Errorf("assignments not applied")
	}
	if err := s.Validate(); err != nil {
		t.Errorf("valid assignments: %v", err)
	}

	// Every bad assignment is reported, named.
	err = s.ApplySets([]string{"border.us.nope=1", "node.port.meals=true", "noequals", "edge.port-landing.capacity=abc", "node.port.meals=5"})
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 4 {
		t.Fatalf("want 4 errors, got %v", err)
	}
	for i, c := range []struct{ key, msg string }{
		{"--set border.us.nope=1", `unknown parameter "border.us.nope"`},
		{"--set node.port.meals=true", "cannot be set to true/false"},
		{"--set noequals", "want path=value"},
		{"--set edge.port-landing.capacity=abc", "not a TOML value"},
	} {
		if list[i].Key != c.key || !strings.Contains(list[i].Msg, c.msg) || list[i].File != "" {
			t.Errorf("error %d = %q, want key %q and %q", i, list[i], c.key, c.msg)
		}
	}
	if !strings.HasPrefix(list[0].Error(), "--set border.us.nope=1: unknown parameter") {
		t.Errorf("prints %q", list[0].Error())
	}

	// A value out of range is found by Validate, which blames the
	// assignment rather than the line of the file.
	s = loadTiny(t)
	if err := s.ApplySets([]string{"border.us.apprehension=1.5", "edge.port-landing.cost.min=-5"}); err != nil {
		t.Fatal(err)
	}
	err = s.Validate()
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("want 2 errors, got %v", err)
	}
	got := list.Error()
	for _, w := range []string{"--set border.us.apprehension=1.5: must be between 0 and 1 (got 1.5)", "--set edge.port-landing.cost.min=-5: needs 0 <= min <= mode <= max"} {
		if !strings.Contains(got, w) {
			t.Errorf("errors\n%s\ndo not contain %q", got, w)
		}
	}
}

// poison changes every settable value reachable from v (numbers, strings,
// bools, slice elements, map entries, pointees), as a user of a clone might.
func poison(v reflect.Value) {
	switch v.Kind() {
	case reflect.Float64:
		v.SetFloat(v.Float() + 12345)
	case reflect.Int, reflect.Int64:
		v.SetInt(v.Int() + 12345)
	case reflect.Uint64:
		v.SetUint(v.Uint() + 12345)
	case reflect.String:
		v.SetString(v.String() + "!")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Pointer:
		if !v.IsNil() {
			poison(v.Elem())
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			poison(v.Index(i))
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		for _, k := range v.MapKeys() {
			v.SetMapIndex(k, reflect.ValueOf("poisoned"))
		}
		v.SetMapIndex(reflect.ValueOf("new"), reflect.ValueOf("x"))
	case reflect.Struct:
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(time.Unix(0, 0)))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				poison(v.Field(i))
			}
		}
	case reflect.Interface:
		if !v.IsNil() {
			v.Set(reflect.ValueOf("poisoned"))
		}
	}
}

// tinyWithEverything reads tiny.toml with what it lacks added — an
// include with a ramp, an observed series, citations — so that every
// slice and map of a Scenario is there, and --set applied.
func tinyWithEverything(t *testing.T) *Scenario {
	t.Helper()
	data, err := os.ReadFile(tinyPath)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), "[scenario]\n", "include = [\"p.toml\"]\n[scenario]\n", 1) +
		"[[observed]]\nname = \"o\"\nfile = \"o.csv\"\nquantity = \"flow\"\nedges = [\"port-landing\"]\n" +
		"[behaviour.cite]\nvalue_of_time = \"assumption\"\n[border.us.cite]\napprehension = \"x\"\n"
	inc := "[[policy]]\nname = \"r\"\ndate = 2023-02-01\npath = \"node.port.meals\"\nramp = { to = 10, days = 5 }\n"
	read := func(string) ([]byte, error) { return []byte(inc), nil }
	s, err := Parse("t.toml", []byte(text), read)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ApplySets([]string{"node.port.meals=5"}); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCloneIndependent(t *testing.T) {
	s, pristine := tinyWithEverything(t), tinyWithEverything(t)
	c := s.Clone()
	if !reflect.DeepEqual(c, s) {
		t.Fatal("clone differs from the original")
	}
	poison(reflect.ValueOf(c).Elem())
	if err := c.ApplySets([]string{"node.port!.beds=1"}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, pristine) {
		t.Error("changing the clone changed the original")
	}
}

// ParamsOnly keeps every parameter, with the same value, and nothing
// else that can change; changing the copy leaves the original as it was.
func TestParamsOnly(t *testing.T) {
	s, pristine := tinyWithEverything(t), tinyWithEverything(t)
	p := s.ParamsOnly()
	if !slices.Equal(p.Params(), s.Params()) {
		t.Fatalf("parameters %v, want %v", p.Params(), s.Params())
	}
	for _, path := range s.Params() {
		want, err := s.param(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.param(path)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.v.Interface(), want.v.Interface()) {
			t.Errorf("%s: %v, want %v", path, got.v.Interface(), want.v.Interface())
		}
	}
	if len(s.Policies) == 0 || len(s.Observed) == 0 || s.Behaviour.Cite == nil {
		t.Fatal("the scenario lacks policies, observed series or citations to leave out")
	}
	if p.Policies != nil || p.Observed != nil || p.Include != nil || p.Behaviour.Cite != nil || p.Border.US.Cite != nil {
		t.Error("the copy keeps policies, observed series, includes or citations")
	}
	if err := p.SetParam("node.port.meals", 7); err != nil {
		t.Fatal(err)
	}
	if v, _ := p.Number("node.port.meals"); v != 7 {
		t.Errorf("meals set on the copy read %v", v)
	}
	poison(reflect.ValueOf(p).Elem())
	if !reflect.DeepEqual(s, pristine) {
		t.Error("changing the copy changed the original")
	}
}

// bigScenario builds a scenario the size of the default corridor: 40 nodes,
// 90 edges, 60 policies, each node and edge citing 5 sources.
func bigScenario() *Scenario {
	s := &Scenario{Meta: Meta{Name: "big", Scale: 1}}
	cite := func() map[string]string {
		return map[string]string{"a": "s1", "b": "s2", "c": "s3", "d": "s4", "e": "s5"}
	}
	for i := 0; i < 40; i++ {
		s.Nodes = append(s.Nodes, Node{ID: "n" + strings.Repeat("x", i%7), Meals: 10, Cite: cite()})
	}
	for i := 0; i < 90; i++ {
		s.Edges = append(s.Edges, Edge{ID: "e", Cost: Fixed(3), Duration: Fixed(1), Cite: cite()})
	}
	for i := 0; i < 5; i++ {
		s.Origins = append(s.Origins, Origin{ID: "o", Budget: Fixed(1), Cite: cite()})
	}
	f := 0.5
	for i := 0; i < 60; i++ {
		p := Policy{Name: "p", Path: "node.n.meals"}
		switch i % 3 {
		case 0:
			p.Set = 1.0
		case 1:
			p.Scale = &f
		case 2:
			p.Ramp = &Ramp{To: 1, Days: 3}
		}
		s.Policies = append(s.Policies, p)
	}
	return s
}

func BenchmarkClone(b *testing.B) {
	s := bigScenario()
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Clone()
	}
}

func BenchmarkSetParam(b *testing.B) {
	s := loadTiny(b)
	for b.Loop() {
		if err := s.SetParam("edge.landing-border.capacity", 3.0); err != nil {
			b.Fatal(err)
		}
	}
}
