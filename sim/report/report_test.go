package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/migsim/migsim/sim"
)

// testResult is a hand-made run: 3 days from 2023-12-30 (so two calendar
// years), nodes a, b, c, edge ab (a→b, north, the watched crossing) and ba
// (b→a, south).
func testResult() *sim.Result {
	r := &sim.Result{
		Scenario:        "tiny",
		Hash:            "0123456789abcdef0123456789abcdef",
		Seed:            7,
		Workers:         2,
		Start:           time.Date(2023, 12, 30, 0, 0, 0, 0, time.UTC),
		Days:            3,
		PersonsPerAgent: 1,
		Nodes: []sim.NodeInfo{
			{ID: "a", Name: "Alpha", Country: "COL", Kind: "hub", Lat: 8.5, Lon: -76.75},
			{ID: "b", Name: "Bravo, upper", Country: "PAN", Kind: "crossing", Lat: 9, Lon: -79},
			{ID: "c", Name: "Charlie", Country: "MEX", Kind: "border", Lat: 32.5, Lon: -117},
		},
		Edges: []sim.EdgeInfo{
			{ID: "ab", From: "a", To: "b", Mode: "foot", Direction: "north", FromIndex: 0, ToIndex: 1},
			{ID: "ba", From: "b", To: "a", Mode: "boat", Direction: "south", FromIndex: 1, ToIndex: 0},
		},
		Flows:         [][]int64{{10, 0}, {20, 3}, {5, 7}},
		CrossingName:  "Gap",
		Northbound:    []int{0},
		Southbound:    []int{1},
		FocusNode:     0,
		AgentSteps:    300,
		AgentUpdates:  250,
		PeakAgents:    110,
		AgentsCreated: 120,
	}
	st := func(present, waiting, stranded, arrivals, meals, beds, unmet int64, mcap, bcap float64) sim.Stock {
		return sim.Stock{Present: present, Waiting: waiting, Stranded: stranded, Arrivals: arrivals,
			MealsServed: meals, BedsServed: beds, UnmetNeed: unmet, Meals: mcap, Beds: bcap}
	}
	r.Stocks = [][]sim.Stock{
		{st(40, 5, 2, 40, 0, 0, 0, 0, 0), st(10, 0, 0, 10, 0, 5, 1, 0, 5), st(0, 0, 0, 0, 0, 0, 0, 0, 0)},
		{st(30, 4, 1, 10, 0, 0, 0, 0, 0), st(27, 0, 6, 20, 0, 5, 2, 0, 5), st(5, 5, 0, 5, 0, 0, 5, 0, 0)},
		{st(104, 0, 3, 81, 100, 0, 4, 100, 0), st(25, 1, 0, 5, 0, 5, 3, 0, 5.5), st(5, 5, 0, 0, 0, 0, 0, 0, 0)},
	}
	r.Totals = make([][]float64, 3)
	for d := range r.Totals {
		r.Totals[d] = make([]float64, len(sim.TotalColumns))
	}
	set := func(t sim.Total, v0, v1, v2 float64) {
		r.Totals[0][t], r.Totals[1][t], r.Totals[2][t] = v0, v1, v2
	}
	set(sim.TotAtHome, 1000, 950, 910)
	set(sim.TotStranded, 2, 7, 3)
	set(sim.TotDeparted, 50, 40, 30)
	set(sim.TotEnteredUSCBPOne, 1, 2, 3)
	set(sim.TotEnteredUSIrregular, 0, 4, 0)
	set(sim.TotEnteredUSAsylum, 1, 1, 1)
	set(sim.TotExpelled, 0, 0, 2)
	set(sim.TotGaveUp, 0, 2, 1)
	set(sim.TotArrivedHome, 0, 0, 2)
	set(sim.TotArrivedElsewhere, 1, 0, 0)
	set(sim.TotDied, 0, 1, 0)
	set(sim.TotSpentSmuggler, 100.5, 200.25, 0.125)
	set(sim.TotSpentBoat, 0, 100.0/3, 0)
	set(sim.TotLostToCrime, 0, 0, -1e-9) // rounds to zero: no "-0.00"
	return r
}

func testInfo() RunInfo {
	return RunInfo{Scenario: "tiny", ScenarioFile: "tiny.toml", Hash: "0123456789abcdef0123456789abcdef",
		Seed: 7, Workers: 2, Version: "v0.0.0-test", WallSeconds: 1.23456, Replicate: -1}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTablesExact(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	if err := WriteRun(out, testResult(), testInfo(), Options{NoPlots: true}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"flows.csv": `date,from,to,edge,mode,direction,persons
2023-12-30,a,b,ab,foot,north,10
2023-12-30,b,a,ba,boat,south,0
2023-12-31,a,b,ab,foot,north,20
2023-12-31,b,a,ba,boat,south,3
2024-01-01,a,b,ab,foot,north,5
2024-01-01,b,a,ba,boat,south,7
`,
		"stocks.csv": `date,node,present,waiting,stranded,arrivals,aid_served,beds_served,unmet_need,meals_capacity,beds_capacity
2023-12-30,a,40,5,2,40,0,0,0,0,0
2023-12-30,b,10,0,0,10,0,5,1,0,5
2023-12-30,c,0,0,0,0,0,0,0,0,0
2023-12-31,a,30,4,1,10,0,0,0,0,0
2023-12-31,b,27,0,6,20,0,5,2,0,5
2023-12-31,c,5,5,0,5,0,0,5,0,0
2024-01-01,a,104,0,3,81,100,0,4,100,0
2024-01-01,b,25,1,0,5,0,5,3,0,5.5
2024-01-01,c,5,5,0,0,0,0,0,0,0
`,
		"nodes.csv": `id,name,country,kind,lat,lon
a,Alpha,COL,hub,8.5,-76.75
b,"Bravo, upper",PAN,crossing,9,-79
c,Charlie,MEX,border,32.5,-117
`,
		"edges.csv": `id,from,to,mode,direction
ab,a,b,foot,north
ba,b,a,boat,south
`,
	}
	for name, w := range want {
		if got := readFile(t, filepath.Join(out, name)); got != w {
			t.Errorf("%s:\ngot\n%s\nwant\n%s", name, got, w)
		}
	}

	// totals.csv: header, one row per day, persons as integers, USD with
	// two decimals.
	f, err := os.Open(filepath.Join(out, "totals.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+3 {
		t.Fatalf("totals.csv has %d rows, want 4", len(rows))
	}
	wantHeader := "date," + strings.Join(sim.TotalColumns[:], ",")
	if got := strings.Join(rows[0], ","); got != wantHeader {
		t.Errorf("totals header %q, want %q", got, wantHeader)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	cells := []struct {
		row  int
		col  string
		want string
	}{
		{1, "date", "2023-12-30"},
		{3, "date", "2024-01-01"},
		{1, "at_home", "1000"},
		{3, "at_home", "910"},
		{2, "stranded", "7"},
		{2, "entered_us_irregular", "4"},
		{1, "travelling", "0"},
		{1, "spent_smuggler_usd", "100.50"},
		{2, "spent_smuggler_usd", "200.25"},
		{3, "spent_smuggler_usd", "0.13"},
		{2, "spent_boat_usd", "33.33"},
		{1, "spent_boat_usd", "0.00"},
		{3, "lost_to_crime_usd", "0.00"},
	}
	for _, c := range cells {
		if got := rows[c.row][col[c.col]]; got != c.want {
			t.Errorf("totals row %d %s = %q, want %q", c.row, c.col, got, c.want)
		}
	}
	for _, row := range rows {
		if len(row) != 1+len(sim.TotalColumns) {
			t.Errorf("totals row has %d columns, want %d", len(row), 1+len(sim.TotalColumns))
		}
	}
}

// wantIndicators returns the indicators of testResult, worked out by hand.
func wantIndicators() map[string]float64 {
	return map[string]float64{
		"crossing_north":         10 + 20 + 5,
		"crossing_south":         0 + 3 + 7,
		"crossing_north_2023":    30,
		"crossing_south_2023":    3,
		"crossing_north_2024":    5,
		"crossing_south_2024":    7,
		"departed":               120,
		"entered_us_cbp_one":     6,
		"entered_us_irregular":   4,
		"entered_us_asylum":      3,
		"expelled":               2,
		"deported_flight":        0,
		"gave_up":                3,
		"returned_home":          2,
		"settled_elsewhere":      1,
		"died":                   1,
		"stranded_peak":          7,
		"stranded_person_days":   12,
		"unmet_need_person_days": 1 + 2 + 5 + 4 + 3, // every node, every day
		"unmet_need_a":           4,                 // meals on day 2 only
		"unmet_need_b":           6,                 // beds every day; c has no aid: no key
		"peak_present_a":         104,
		"spent_transport_usd":    0,
		"spent_smuggler_usd":     300.875,
		"spent_boat_usd":         100.0 / 3,
		"spent_fee_usd":          0,
		"spent_living_usd":       0,
		"lost_to_crime_usd":      -1e-9,
	}
}

func TestIndicators(t *testing.T) {
	ind := Indicators(testResult())
	wantIndicators := wantIndicators()
	got := map[string]float64{}
	for _, in := range ind {
		if _, dup := got[in.Key]; dup {
			t.Errorf("indicator %s twice", in.Key)
		}
		got[in.Key] = in.Value
		if in.Label == "" || in.Unit == "" {
			t.Errorf("indicator %s has no label or unit", in.Key)
		}
	}
	for k, w := range wantIndicators {
		g, ok := got[k]
		if !ok {
			t.Errorf("indicator %s missing", k)
		} else if math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w)) {
			t.Errorf("indicator %s = %v, want %v", k, g, w)
		}
	}
	for k := range got {
		if _, ok := wantIndicators[k]; !ok {
			t.Errorf("unexpected indicator %s", k)
		}
	}
	if ind[0].Key != "crossing_north" || ind[0].Label != "Gap, northbound" {
		t.Errorf("first indicator %+v, want crossing_north labelled \"Gap, northbound\"", ind[0])
	}
}

func TestRunJSON(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	info := testInfo()
	info.Extra = map[string]any{"note": "<hand made>"}
	if err := WriteRun(out, testResult(), info, Options{NoPlots: true}); err != nil {
		t.Fatal(err)
	}
	raw := readFile(t, filepath.Join(out, "run.json"))
	if !strings.Contains(raw, `"note": "<hand made>"`) {
		t.Errorf("run.json escapes HTML or lacks extra:\n%s", raw)
	}
	if !strings.Contains(raw, `"spent_smuggler_usd": 300.88`) || !strings.Contains(raw, `"lost_to_crime_usd": 0.00`) {
		t.Errorf("run.json USD not formatted with two decimals:\n%s", raw)
	}
	var got struct {
		Scenario        string             `json:"scenario"`
		ScenarioFile    string             `json:"scenario_file"`
		Hash            string             `json:"hash"`
		Seed            uint64             `json:"seed"`
		Workers         int                `json:"workers"`
		Version         string             `json:"version"`
		Replicate       int                `json:"replicate"`
		WallSeconds     float64            `json:"wall_seconds"`
		Start           string             `json:"start"`
		End             string             `json:"end"`
		Days            int                `json:"days"`
		PersonsPerAgent int64              `json:"persons_per_agent"`
		AgentSteps      int64              `json:"agent_steps"`
		AgentUpdates    int64              `json:"agent_updates"`
		AgentsCreated   int64              `json:"agents_created"`
		FocusNode       string             `json:"focus_node"`
		Indicators      map[string]float64 `json:"indicators"`
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Scenario != "tiny" || got.ScenarioFile != "tiny.toml" || got.Hash != info.Hash || got.Seed != 7 ||
		got.Workers != 2 || got.Version != "v0.0.0-test" || got.Replicate != -1 || got.WallSeconds != 1.235 ||
		got.Start != "2023-12-30" || got.End != "2024-01-01" || got.Days != 3 || got.PersonsPerAgent != 1 ||
		got.AgentSteps != 300 || got.AgentUpdates != 250 || got.AgentsCreated != 120 || got.FocusNode != "a" {
		t.Errorf("run.json fields: %+v", got)
	}
	wantIndicators := wantIndicators()
	for k, w := range wantIndicators {
		if strings.HasSuffix(k, "_usd") {
			w = math.Round(w*100) / 100
		}
		if g, ok := got.Indicators[k]; !ok || g != w {
			t.Errorf("run.json indicator %s = %v (present %v), want %v", k, g, ok, w)
		}
	}
	if len(got.Indicators) != len(wantIndicators) {
		t.Errorf("run.json has %d indicators, want %d", len(got.Indicators), len(wantIndicators))
	}
}

// TestByteIdentical writes the same Result twice and compares every file,
// plots included.
func TestByteIdentical(t *testing.T) {
	base := t.TempDir()
	a, b := filepath.Join(base, "a"), filepath.Join(base, "b")
	for _, dir := range []string{a, b} {
		if err := WriteRun(dir, testResult(), testInfo(), Options{}); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		if !bytes.Equal([]byte(readFile(t, filepath.Join(a, e.Name()))), []byte(readFile(t, filepath.Join(b, e.Name())))) {
			t.Errorf("%s differs between two writes of the same result", e.Name())
		}
	}
	want := "crossing.png,edges.csv,flows.csv,focus_node.png,map.png,nodes.csv,outcomes.png,run.json,stocks.csv,totals.csv"
	if got := strings.Join(names, ","); got != want {
		t.Errorf("files %s, want %s", got, want)
	}
}

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestAtomicFailureLeavesNothing(t *testing.T) {
	base := t.TempDir()
	out := filepath.Join(base, "x", "y", "run")

	// Rejected before any writing.
	err := WriteRun(out, testResult(), testInfo(), Options{PlotFormat: "gif"})
	if err == nil || !strings.Contains(err.Error(), `"gif"`) {
		t.Fatalf("invalid plot format: err = %v", err)
	}
	if names := entries(t, base); len(names) != 0 {
		t.Errorf("failed write left %v", names)
	}

	// Fails after the tables and plots are staged (run.json cannot encode
	// +Inf): the staging directory goes, the missing parents are never made.
	info := testInfo()
	info.Extra = map[string]any{"bad": math.Inf(1)}
	if err := WriteRun(out, testResult(), info, Options{}); err == nil {
		t.Fatal("unencodable extra: no error")
	}
	if names := entries(t, base); len(names) != 0 {
		t.Errorf("failed write left %v", names)
	}

	// A Result whose tables do not match its days.
	bad := testResult()
	bad.Flows = bad.Flows[:2]
	if err := WriteRun(out, bad, testInfo(), Options{}); err == nil || !strings.Contains(err.Error(), "3 days") {
		t.Errorf("short flows: err = %v", err)
	}

	// Success creates the parents at publish time and leaves no staging.
	if err := WriteRun(out, testResult(), testInfo(), Options{NoPlots: true}); err != nil {
		t.Fatal(err)
	}
	if names := entries(t, filepath.Join(base, "x", "y")); strings.Join(names, ",") != "run" {
		t.Errorf("after success the parent holds %v, want [run]", names)
	}
}

func TestExistingDirectories(t *testing.T) {
	base := t.TempDir()
	out := filepath.Join(base, "run")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	// An empty directory is replaced.
	if err := WriteRun(out, testResult(), testInfo(), Options{NoPlots: true}); err != nil {
		t.Fatalf("empty existing dir: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "flows.csv")); err != nil {
		t.Fatal(err)
	}

	// A non-empty one is refused without Overwrite, and left as it was.
	mine := filepath.Join(out, "mine.txt")
	if err := os.WriteFile(mine, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CheckDir(out, false); err == nil || !strings.Contains(err.Error(), "--overwrite") {
		t.Errorf("CheckDir on non-empty dir: err = %v", err)
	}
	err := WriteRun(out, testResult(), testInfo(), Options{NoPlots: true})
	if err == nil || !strings.Contains(err.Error(), out) || !strings.Contains(err.Error(), "--overwrite") {
		t.Fatalf("non-empty dir without overwrite: err = %v", err)
	}
	if got := readFile(t, mine); got != "keep me" {
		t.Errorf("refused write changed %s to %q", mine, got)
	}
	if names := entries(t, base); strings.Join(names, ",") != "run" {
		t.Errorf("refused write left %v beside the output", names)
	}

	// With Overwrite it is replaced whole, and nothing is left aside.
	if err := CheckDir(out, true); err != nil {
		t.Errorf("CheckDir with overwrite: %v", err)
	}
	r := testResult()
	r.Flows[0][0] = 11
	if err := WriteRun(out, r, testInfo(), Options{Overwrite: true, NoPlots: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(mine); !os.IsNotExist(err) {
		t.Errorf("old file survived the overwrite: %v", err)
	}
	if got := readFile(t, filepath.Join(out, "flows.csv")); !strings.Contains(got, "2023-12-30,a,b,ab,foot,north,11\n") {
		t.Errorf("overwritten flows.csv lacks the new value:\n%s", got)
	}
	if names := entries(t, base); strings.Join(names, ",") != "run" {
		t.Errorf("overwrite left %v beside the output", names)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("output dir mode %v, %v; want 0755", fi.Mode(), err)
	}

	// A file where the directory should be is an error even with Overwrite.
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteRun(file, testResult(), testInfo(), Options{Overwrite: true, NoPlots: true}); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("file as output dir: err = %v", err)
	}
	if err := WriteRun(filepath.Join(file, "sub"), testResult(), testInfo(), Options{NoPlots: true}); err == nil {
		t.Error("output under a file: no error")
	}
	if got := readFile(t, file); got != "x" {
		t.Errorf("file changed to %q", got)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "my.toml")
	if err := WriteFileAtomic(path, []byte("one"), false); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); got != "one" {
		t.Errorf("content %q, want one", got)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode())
	}
	err := WriteFileAtomic(path, []byte("two"), false)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "exists") {
		t.Errorf("existing file without overwrite: err = %v", err)
	}
	if got := readFile(t, path); got != "one" {
		t.Errorf("refused write changed the file to %q", got)
	}
	if err := WriteFileAtomic(path, []byte("three"), true); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); got != "three" {
		t.Errorf("content %q, want three", got)
	}
	if err := WriteFileAtomic(dir, []byte("x"), true); err == nil {
		t.Error("writing over a directory: no error")
	}
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "f"), []byte("x"), false); err == nil {
		t.Error("writing into a missing directory: no error")
	}
	if names := entries(t, dir); strings.Join(names, ",") != "my.toml" {
		t.Errorf("temporary files left: %v", names)
	}
}

func TestPrintSummary(t *testing.T) {
	var buf bytes.Buffer
	PrintSummary(&buf, testResult(), "out/tiny")
	// Compare lines with runs of spaces collapsed: the layout may change,
	// the numbers may not.
	var lines []string
	for _, l := range strings.Split(buf.String(), "\n") {
		lines = append(lines, strings.Join(strings.Fields(l), " "))
	}
	s := strings.Join(lines, "\n")
	for _, want := range []string{
		"Scenario tiny (sha256 0123456789ab), seed 7: 2023-12-30 to 2024-01-01 (3 days)",
		"departed from home 120",
		"Gap northbound southbound",
		"\n2023 30 3\n",
		"\n2024 5 7\n",
		"\nall 35 10\n",
		"entered the US CBP One 6, irregular 4, asylum 3",
		"gave up 3 (returned home 2, settled elsewhere 1)",
		"died 1",
		"stranded peak 7, 12 person-days",
		"Alpha peak 104 present, 4 person-days of unmet need",
		"Files written to out/tiny",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, buf.String())
		}
	}
	if n := len(lines); n > 16 {
		t.Errorf("summary has %d lines, want a dozen or so", n)
	}
}

func TestGroup(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4321: "-4,321", -0.2: "0", 12.6: "13"} {
		if got := group(v); got != want {
			t.Errorf("group(%v) = %q, want %q", v, got, want)
		}
	}
}
