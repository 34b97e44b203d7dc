package ensemble

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/report"
)

// fakeResult builds a 3-day result on a 2-node, 2-edge graph whose numbers
// are simple functions of v, so that quantiles across fake results can be
// worked out by hand.
func fakeResult(seed uint64, v float64) *sim.Result {
	r := &sim.Result{
		Scenario: "fake", Hash: "abc", Seed: seed, Workers: 1,
		Start: time.Date(2023, 1, 30, 0, 0, 0, 0, time.UTC), Days: 3, PersonsPerAgent: 1,
		Nodes: []sim.NodeInfo{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}},
		Edges: []sim.EdgeInfo{
			{ID: "a-b", From: "a", To: "b", Direction: "north", FromIndex: 0, ToIndex: 1},
			{ID: "b-a", From: "b", To: "a", Direction: "south", FromIndex: 1, ToIndex: 0},
		},
		CrossingName: "Gap", Northbound: []int{0}, Southbound: []int{1}, FocusNode: 1,
	}
	for d := 0; d < 3; d++ {
		r.Flows = append(r.Flows, []int64{int64(v) * int64(d+1), int64(d)})
		r.Stocks = append(r.Stocks, []sim.Stock{
			{Present: int64(v) + int64(d)},
			{Present: 5, UnmetNeed: int64(v) / 10, Meals: 100, Beds: 50},
		})
		tot := make([]float64, len(sim.TotalColumns))
		tot[sim.TotDeparted] = 10 * v
		tot[sim.TotSpentBoat] = 0.5 * v
		r.Totals = append(r.Totals, tot)
	}
	return r
}

// fakeEnsemble has replicates with v = 20, 0, 10 (deliberately unsorted).
func fakeEnsemble() []*sim.Result {
	return []*sim.Result{fakeResult(11, 20), fakeResult(12, 0), fakeResult(13, 10)}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// find returns the first row whose leading fields equal key.
func find(t *testing.T, rows [][]string, key ...string) []string {
	t.Helper()
next:
	for _, r := range rows {
		for i, k := range key {
			if r[i] != k {
				continue next
			}
		}
		return r
	}
	t.Fatalf("no row starting %v", key)
	return nil
}

func tail3(r []string) string { return strings.Join(r[len(r)-3:], " ") }

func TestWriteQuantiles(t *testing.T) {
	dir := t.TempDir()
	if err := WriteQuantiles(dir, fakeEnsemble()); err != nil {
		t.Fatal(err)
	}
	// Three replicates: h = 2p, so q05 = x0 + 0.1(x1−x0), q50 = x1,
	// q95 = x1 + 0.9(x2−x1) of the sorted values.
	flows := readCSV(t, filepath.Join(dir, FlowsQuantilesFile))
	if got := strings.Join(flows[0], ","); got != "date,from,to,edge,direction,q05,q50,q95" {
		t.Errorf("flows header %s", got)
	}
	if len(flows) != 1+3*2 {
		t.Errorf("flows has %d rows, want header + 3 days × 2 edges", len(flows))
	}
	// Day 1 (2023-01-31), edge a-b: v·2 = {0, 20, 40} → 2, 20, 38.
	if got := tail3(find(t, flows, "2023-01-31", "a", "b", "a-b", "north")); got != "2 20 38" {
		t.Errorf("flows 2023-01-31 a-b quantiles %s, want 2 20 38", got)
	}
	// Edge b-a carries d on day d in every replicate: all quantiles d.
	if got := tail3(find(t, flows, "2023-02-01", "b", "a", "b-a")); got != "2 2 2" {
		t.Errorf("flows 2023-02-01 b-a quantiles %s, want 2 2 2", got)
	}
	stocks := readCSV(t, filepath.Join(dir, StocksQuantilesFile))
	if len(stocks) != 1+3*2*len(StockVariables()) {
		t.Errorf("stocks has %d rows", len(stocks))
	}
	// Day 2, node a present = v + 2 = {2, 12, 22} → 3, 12, 21.
	if got := tail3(find(t, stocks, "2023-02-01", "a", "present")); got != "3 12 21" {
		t.Errorf("stocks present quantiles %s, want 3 12 21", got)
	}
	// Node b unmet need = v/10 = {0, 1, 2} → 0.1, 1, 1.9.
	if got := tail3(find(t, stocks, "2023-01-30", "b", "unmet_need")); got != "0.1 1 1.9" {
		t.Errorf("stocks unmet_need quantiles %s, want 0.1 1 1.9", got)
	}
	if got := tail3(find(t, stocks, "2023-01-30", "b", "meals_capacity")); got != "100 100 100" {
		t.Errorf("stocks meals_capacity quantiles %s, want 100 100 100", got)
	}
	totals := readCSV(t, filepath.Join(dir, TotalsQuantilesFile))
	if len(totals) != 1+3*len(sim.TotalColumns) {
		t.Errorf("totals has %d rows", len(totals))
	}
	// departed = 10v = {0, 100, 200} → 10, 100, 190; spent_boat_usd 0.5v → 0.5, 5, 9.5.
	if got := tail3(find(t, totals, "2023-01-30", "departed")); got != "10 100 190" {
		t.Errorf("totals departed quantiles %s, want 10 100 190", got)
	}
	if got := tail3(find(t, totals, "2023-01-30", "spent_boat_usd")); got != "0.5 5 9.5" {
		t.Errorf("totals spent_boat_usd quantiles %s, want 0.5 5 9.5", got)
	}
	crossing := readCSV(t, filepath.Join(dir, CrossingQuantilesFile))
	if got := tail3(find(t, crossing, "2023-02-01", "north")); got != "3 30 57" { // 3v = {0,30,60}
		t.Errorf("crossing north quantiles %s, want 3 30 57", got)
	}
}

func TestWriteQuantilesRefusesIncompatibleResults(t *testing.T) {
	a, b := fakeResult(1, 1), fakeResult(2, 2)
	b.Edges[1].ID = "other"
	if err := WriteQuantiles(t.TempDir(), []*sim.Result{a, b}); err == nil || !strings.Contains(err.Error(), "other") {
		t.Errorf("got %v, want an error naming the differing edge", err)
	}
	c := fakeResult(3, 3)
	c.Days = 4
	if err := WriteQuantiles(t.TempDir(), []*sim.Result{a, c}); err == nil {
		t.Error("results of different lengths accepted")
	}
}

func TestWriteEnsemble(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "out", "ens")
	info := report.RunInfo{Scenario: "fake", Version: "test", WallSeconds: 1.5}
	if err := WriteEnsemble(dir, fakeEnsemble(), info, WriteOptions{BaseSeed: 99}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"rep-000/run.json", "rep-001/flows.csv", "rep-002/stocks.csv",
		FlowsQuantilesFile, StocksQuantilesFile, TotalsQuantilesFile, CrossingQuantilesFile,
		IndicatorsQuantilesFile, ReplicatesFile, EnsembleJSON,
		CrossingBandFigure + ".png", FocusBandFigure + ".png", OutcomesBandFigure + ".png"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("missing %s: %v", name, err)
		}
	}
	var run struct {
		Seed      uint64 `json:"seed"`
		Replicate int    `json:"replicate"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, "rep-001", "run.json"))
	if err := json.Unmarshal(b, &run); err != nil {
		t.Fatal(err)
	}
	if run.Seed != 12 || run.Replicate != 1 {
		t.Errorf("rep-001/run.json has seed %d replicate %d, want 12 and 1", run.Seed, run.Replicate)
	}
	reps := readCSV(t, filepath.Join(dir, ReplicatesFile))
	if got := strings.Join(reps[3], ","); got != "2,13,rep-002" {
		t.Errorf("replicates.csv row 3 = %s, want 2,13,rep-002", got)
	}
	// crossing_north = Σ_d v·(d+1) = 6v = {0, 60, 120} → 6, 60, 114.
	ind := readCSV(t, filepath.Join(dir, IndicatorsQuantilesFile))
	if got := tail3(find(t, ind, "crossing_north")); got != "6 60 114" {
		t.Errorf("indicator crossing_north quantiles %s, want 6 60 114", got)
	}
	var ens struct {
		BaseSeed   uint64                        `json:"base_seed"`
		Replicates int                           `json:"replicates"`
		Seeds      []uint64                      `json:"seeds"`
		Indicators map[string]map[string]float64 `json:"indicators"`
	}
	b, _ = os.ReadFile(filepath.Join(dir, EnsembleJSON))
	if err := json.Unmarshal(b, &ens); err != nil {
		t.Fatal(err)
	}
	if ens.BaseSeed != 99 || ens.Replicates != 3 || len(ens.Seeds) != 3 || ens.Indicators["crossing_north"]["q95"] != 114 {
		t.Errorf("ensemble.json = %+v", ens)
	}
	// No staging directories are left beside it.
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 1 {
		t.Errorf("beside the ensemble: %v", entries)
	}

	// A second write into the non-empty directory is refused without
	// Overwrite and leaves it as it was; with Overwrite it replaces it.
	if err := WriteEnsemble(dir, fakeEnsemble()[:2], info, WriteOptions{}); err == nil {
		t.Error("WriteEnsemble overwrote a non-empty directory without being asked")
	}
	if _, err := os.Stat(filepath.Join(dir, "rep-002")); err != nil {
		t.Errorf("refused write changed the directory: %v", err)
	}
	if err := WriteEnsemble(dir, fakeEnsemble()[:2], info, WriteOptions{Options: report.Options{Overwrite: true, NoPlots: true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "rep-002")); err == nil {
		t.Error("overwrite kept the old rep-002")
	}
	if _, err := os.Stat(filepath.Join(dir, CrossingBandFigure+".png")); err == nil {
		t.Error("NoPlots still left a band figure (from the old output?)")
	}
}

func TestWriteEnsembleFailureLeavesNothing(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "new", "ens")
	bad := fakeEnsemble()
	bad[2].Flows = bad[2].Flows[:2] // wrong shape: rejected before anything is written
	if err := WriteEnsemble(dir, bad, report.RunInfo{}, WriteOptions{}); err == nil {
		t.Fatal("WriteEnsemble accepted a malformed result")
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("failed write left %v", entries)
	}
	if err := WriteEnsemble(dir, fakeEnsemble(), report.RunInfo{}, WriteOptions{Options: report.Options{PlotFormat: "gif"}}); err == nil {
		t.Error("plot format gif accepted")
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("failed write left %v", entries)
	}
}
