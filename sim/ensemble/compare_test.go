package ensemble

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsim/migsim/sim"
)

// twoScenarios: A has v = 0, 10, 20 for replicates 0, 1, 2; B, paired with
// A under common random numbers, has v = 5, 16, 27, and aid at node a too.
func twoScenarios() [][]*sim.Result {
	a := []*sim.Result{fakeResult(1, 0), fakeResult(2, 10), fakeResult(3, 20)}
	b := []*sim.Result{fakeResult(1, 5), fakeResult(2, 16), fakeResult(3, 27)}
	for _, r := range b {
		for d := range r.Stocks {
			r.Stocks[d][0].Meals = 10
		}
	}
	return [][]*sim.Result{a, b}
}

func row(t *testing.T, rows []ComparisonRow, scenario, key string) ComparisonRow {
	t.Helper()
	for _, r := range rows {
		if r.Scenario == scenario && r.Key == key {
			return r
		}
	}
	t.Fatalf("no row %s/%s", scenario, key)
	return ComparisonRow{}
}

func TestCompareDifferencesArePaired(t *testing.T) {
	rows, err := Compare([]string{"A", "B"}, twoScenarios())
	if err != nil {
		t.Fatal(err)
	}
	// crossing_north = 6v. A: {0, 60, 120} → 6, 60, 114.
	a := row(t, rows, "A", "crossing_north")
	if !near(a.Value.Q05, 6) || !near(a.Value.Q50, 60) || !near(a.Value.Q95, 114) {
		t.Errorf("A crossing_north %+v, want 6/60/114", a.Value)
	}
	if !a.HasDiff || a.Diff != (Interval{}) {
		t.Errorf("A against itself: diff %+v, want zeros", a.Diff)
	}
	// B: {30, 96, 162} → 36.6, 96, 155.4. Paired differences
	// {30, 36, 42} → 30.6, 36, 41.4 — much narrower than the difference of
	// the two intervals would suggest, which is the point of CRN.
	b := row(t, rows, "B", "crossing_north")
	if !near(b.Value.Q05, 36.6) || !near(b.Value.Q50, 96) || !near(b.Value.Q95, 155.4) {
		t.Errorf("B crossing_north %+v, want 36.6/96/155.4", b.Value)
	}
	if !b.HasDiff || !near(b.Diff.Q05, 30.6) || !near(b.Diff.Q50, 36) || !near(b.Diff.Q95, 41.4) {
		t.Errorf("B − A crossing_north %+v, want 30.6/36/41.4", b.Diff)
	}
	// Node a has aid only in B: B has the indicator, without a difference.
	if u := row(t, rows, "B", "unmet_need_a"); u.HasDiff {
		t.Errorf("unmet_need_a has a difference against a scenario that lacks it: %+v", u)
	}
	for _, r := range rows {
		if r.Scenario == "A" && r.Key == "unmet_need_a" {
			t.Error("A has unmet_need_a but node a has no aid there")
		}
	}

	var buf bytes.Buffer
	if err := PrintComparison(&buf, rows); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"Gap, northbound", "+36", "reference"} {
		if !strings.Contains(out, want) {
			t.Errorf("printed table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "2023") {
		t.Errorf("printed table has per-year rows:\n%s", out)
	}
}

func TestCompareNeedsPairedReplicates(t *testing.T) {
	s := twoScenarios()
	s[1] = s[1][:2]
	if _, err := Compare([]string{"A", "B"}, s); err == nil || !strings.Contains(err.Error(), "B has 2 replicates") {
		t.Errorf("got %v, want an error naming B's 2 replicates", err)
	}
}

func TestWriteComparison(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	res := twoScenarios()
	rows, err := Compare([]string{"A", "B"}, res)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteComparison(dir, []string{"A", "B"}, res, rows, ComparisonOptions{}); err != nil {
		t.Fatal(err)
	}
	csv := readCSV(t, filepath.Join(dir, CompareFile))
	if got := strings.Join(csv[0], ","); got != "scenario,indicator,label,unit,q05,q50,q95,diff_q50_vs_first,diff_q05,diff_q95" {
		t.Errorf("header %s", got)
	}
	if got := strings.Join(find(t, csv, "B", "crossing_north")[4:], " "); got != "36.6 96 155.4 36 30.6 41.4" {
		t.Errorf("B crossing_north row %s", got)
	}
	if got := strings.Join(find(t, csv, "B", "unmet_need_a")[7:], " "); got != "NA NA NA" {
		t.Errorf("B unmet_need_a differences %s, want NA", got)
	}
	for _, m := range []string{"crossing_north", "focus_present", "entered_us", "stranded"} {
		if _, err := os.Stat(filepath.Join(dir, "compare_"+m+".png")); err != nil {
			t.Errorf("missing overlay %s: %v", m, err)
		}
	}
}
