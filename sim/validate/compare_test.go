package validate

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/scenario"
)

var day0 = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)

// fakeRun is a run of 59 days (January and February 2021) over nodes a
// and b and edge a-b. The edge carries k persons a day in January and 2k in
// February; 3k persons arrive at b each day; the stranded total is the
// day's index and k persons depart each day.
func fakeRun(k int64) *sim.Result {
	r := &sim.Result{
		Start: day0, Days: 59, PersonsPerAgent: 1,
		Nodes:      []sim.NodeInfo{{ID: "a"}, {ID: "b"}},
		Edges:      []sim.EdgeInfo{{ID: "a-b", From: "a", To: "b", Direction: "north"}, {ID: "b-a", From: "b", To: "a", Direction: "south"}},
		Northbound: []int{0}, Southbound: []int{1}, FocusNode: 1,
	}
	for d := 0; d < r.Days; d++ {
		f := k
		if d >= 31 {
			f = 2 * k
		}
		r.Flows = append(r.Flows, []int64{f, 0})
		r.Stocks = append(r.Stocks, []sim.Stock{{Present: 1}, {Arrivals: 3 * k, Present: int64(d) * k}})
		tot := make([]float64, len(sim.TotalColumns))
		tot[sim.TotStranded] = float64(d)
		tot[sim.TotDeparted] = float64(k)
		r.Totals = append(r.Totals, tot)
	}
	return r
}

func monthly(vals ...float64) *Series {
	s := &Series{Monthly: true, Column: "n"}
	for i, v := range vals {
		s.Periods = append(s.Periods, day0.AddDate(0, i, 0))
		s.Values = append(s.Values, v)
	}
	return s
}

func TestDailyAndAggregate(t *testing.T) {
	r := fakeRun(1)
	frame := monthly(0, 0)
	cases := []struct {
		q    Quantity
		want []float64
	}{
		{Quantity{Kind: "flow", Edges: []string{"a-b"}}, []float64{31, 56}},
		{Quantity{Kind: "crossing_north"}, []float64{31, 56}},
		{Quantity{Kind: "crossing_south"}, []float64{0, 0}},
		{Quantity{Kind: "arrivals", Node: "b"}, []float64{93, 84}},
		{Quantity{Kind: "present", Node: "b"}, []float64{30, 58}}, // a state: its last day
		{Quantity{Kind: "stranded"}, []float64{30, 58}},           // a totals state
		{Quantity{Kind: "departed"}, []float64{31, 28}},           // a totals event
	}
	for _, c := range cases {
		daily, err := Daily(r, c.q)
		if err != nil {
			t.Errorf("%v: %v", c.q, err)
			continue
		}
		got, ok := Aggregate(daily, r.Start, frame, c.q.IsState())
		for i := range c.want {
			if !ok[i] || got[i] != c.want[i] {
				t.Errorf("%v: %v (covered %v), want %v", c.q, got, ok, c.want)
				break
			}
		}
	}
	for _, q := range []Quantity{{Kind: "flow", Edges: []string{"x"}}, {Kind: "arrivals", Node: "x"}, {Kind: "nonsense"}, {Kind: "flow"}, {Kind: "deaths", Node: "a"}} {
		if _, err := Daily(r, q); err == nil {
			t.Errorf("%v: no error", q)
		}
	}
	// December 2020 and March 2021 lie outside the run.
	s := &Series{Monthly: true, Periods: []time.Time{day0.AddDate(0, -1, 0), day0, day0.AddDate(0, 2, 0)}, Values: []float64{1, 1, 1}}
	daily, _ := Daily(r, Quantity{Kind: "departed"})
	if _, ok := Aggregate(daily, r.Start, s, false); ok[0] || !ok[1] || ok[2] {
		t.Errorf("coverage %v, want false true false", ok)
	}
	if m := Months(r.Start, r.Days); len(m.Periods) != 2 || !m.Periods[1].Equal(day0.AddDate(0, 1, 0)) {
		t.Errorf("Months = %v", m.Periods)
	}
	if m := Months(day0.AddDate(0, 0, 3), 40); len(m.Periods) != 0 {
		t.Errorf("Months of 4 Jan + 40 days = %v, want none whole", m.Periods)
	}
}

// TestCompareEnsemble: replicates carry 1, 2 and 3 times the base flow, so
// they simulate 31k and 56k persons in January and February (k = 1, 2, 3).
// The median is replicate k = 2: (62, 112); the 5 % quantile by type 7 is
// 31 + 0.1 × (62 − 31) = 34.1 in January. Against observed (62, 100): ARD =
// (0 + 12/100)/2 = 0.06; the year totals 174 (median of 87, 174, 261)
// against 162, an error of 12/162.
func TestCompareEnsemble(t *testing.T) {
	runs := []*sim.Result{fakeRun(3), fakeRun(1), fakeRun(2)}
	tg := Target{Name: "x", Quantity: Quantity{Kind: "flow", Edges: []string{"a-b"}}, Series: monthly(62, 100)}
	c, err := Compare(tg, runs, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Periods) != 2 || c.Band.Q50[0] != 62 || c.Band.Q50[1] != 112 || !near(c.Band.Q05[0], 34.1, 1e-12) {
		t.Errorf("band %+v", c.Band)
	}
	if !near(c.Median.ARD, 0.06, 1e-15) || c.Median.ARDPoints != 2 {
		t.Errorf("median metrics %+v", c.Median)
	}
	want := math.Sqrt(math.Pow(math.Log(113.0/101), 2) / 2)
	if !near(c.Median.LogRMSE, want, 1e-12) {
		t.Errorf("log RMSE %g, want %g", c.Median.LogRMSE, want)
	}
	if len(c.Replicates) != 3 || c.Replicates[1].ARD != (31.0/62+44.0/100)/2 {
		t.Errorf("replicate metrics %+v", c.Replicates)
	}
	if len(c.Years) != 1 || c.Years[0].Year != 2021 || c.Years[0].Observed != 162 || c.Years[0].Sim.Q50 != 174 || !near(c.Years[0].RelErr, 12.0/162, 1e-15) {
		t.Errorf("years %+v", c.Years)
	}
	if !near(c.MaxAbsYearErr(), 12.0/162, 1e-15) {
		t.Errorf("MaxAbsYearErr %g", c.MaxAbsYearErr())
	}
	// A cut-off at the end of January leaves February out.
	c, err = Compare(tg, runs, time.Date(2021, 1, 31, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Periods) != 1 || c.Dropped != 1 || c.Years[0].Observed != 62 {
		t.Errorf("with a cut-off: periods %v, dropped %d, years %+v", c.Periods, c.Dropped, c.Years)
	}
	// Nothing within the run is an error.
	far := &Series{Monthly: true, Periods: []time.Time{day0.AddDate(1, 0, 0)}, Values: []float64{1}}
	if _, err := Compare(Target{Name: "far", Quantity: tg.Quantity, Series: far}, runs, time.Time{}); err == nil {
		t.Error("a series outside the run compared without error")
	}
}

func TestOutputs(t *testing.T) {
	runs := []*sim.Result{fakeRun(1), fakeRun(2)}
	tg := Target{Name: "x y", Source: "S", Quantity: Quantity{Kind: "flow", Edges: []string{"a-b"}}, Series: monthly(31, 100)}
	c, err := Compare(tg, runs, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := PrintTable(&b, []*Comparison{c}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"x y (S)", "2 months compared, 2 replicate(s)", "2021", "131", "-0.4 %"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("table lacks %q:\n%s", w, b.String())
		}
	}
	// Median (46.5, 84): totals 87 and 174 → median 130.5 against 131.
	data, err := AnnualCSV([]*Comparison{c})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(data); got != "series,year,periods,observed,sim_q05,sim_q50,sim_q95,rel_error\nx y,2021,2,131,91.35,130.5,169.65,-0.003817\n" {
		t.Errorf("annual.csv:\n%s", got)
	}
	data, _ = PeriodsCSV([]*Comparison{c})
	if !strings.HasPrefix(string(data), "series,period,observed,sim_q05,sim_q50,sim_q95\nx y,2021-01,31,32.55,46.5,60.45\n") {
		t.Errorf("periods.csv:\n%s", data)
	}
	data, _ = MetricsCSV([]*Comparison{c})
	if !strings.HasPrefix(string(data), "series,quantity,source,periods,replicates,ard,") || !strings.Contains(string(data), "\nx y,persons starting along a-b,S,2,2,") {
		t.Errorf("metrics.csv:\n%s", data)
	}
	p, err := Plot(tg, runs, PlotOptions{Cutoff: time.Date(2021, 1, 31, 0, 0, 0, 0, time.UTC)})
	if err != nil || p == nil {
		t.Fatalf("Plot: %v", err)
	}
	if FigureName(tg, "png") != "x_y.png" {
		t.Errorf("FigureName = %q", FigureName(tg, "png"))
	}
}

func TestTargets(t *testing.T) {
	sc := &scenario.Scenario{Meta: scenario.Meta{Name: "s"}, Observed: []scenario.Observed{
		{Name: "one", File: "data/one.csv", Quantity: "flow", Edges: []string{"a-b"}, Source: "S1"},
	}}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data", "one.csv"), []byte("month,n\n2021-01,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	embedded := fstest.MapFS{"data/one.csv": {Data: []byte("month,n\n2021-01,7\n")}}
	// On disk first, then the fallback, then an override.
	for _, c := range []struct {
		dir      string
		override map[string]string
		want     float64
	}{
		{dir, nil, 5},
		{"", nil, 7},
		{t.TempDir(), nil, 7},
		{dir, map[string]string{"one": filepath.Join(dir, "data", "one.csv")}, 5},
	} {
		ts, err := Targets(sc, c.dir, embedded, c.override)
		if err != nil {
			t.Fatal(err)
		}
		if len(ts) != 1 || ts[0].Series.Values[0] != c.want || ts[0].Source != "S1" {
			t.Errorf("dir %q: targets %+v, want value %g", c.dir, ts, c.want)
		}
	}
	if _, err := Targets(sc, "", nil, nil); err == nil || !strings.Contains(err.Error(), "cannot find data/one.csv") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Targets(sc, dir, nil, map[string]string{"two": "x.csv"}); err == nil || !strings.Contains(err.Error(), `no [[observed]] entry named "two"`) {
		t.Errorf("override of an unknown series: %v", err)
	}
}
