package sweep

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/ensemble"
	"github.com/migsim/migsim/sim/report"
	"github.com/migsim/migsim/sim/scenario"
)

// writeSweep writes a sweep file next to a copy of the tiny scenario and
// returns its path.
func writeSweep(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	src, err := os.ReadFile("../scenario/testdata/tiny.toml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "tiny.toml"), src, 0o644)
	path := filepath.Join(dir, "s.toml")
	os.WriteFile(path, []byte(body), 0o644)
	return path
}

func TestBindAndRunTheTinyScenario(t *testing.T) {
	path := writeSweep(t, `scenario = "tiny.toml"
replicates = 2
set = ["border.us.cbp_one_daily_slots=20"]
indicators = ["crossing_north", "unmet_need_port", "unmet_need_lima"]
[[param]]
path = "node.port.meals"
values = [0, 500]
[[param]]
path = "border.us.cbp_one_open"
values = [true, false]
`)
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	plan, base, err := Bind(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Seed != 42 || base.Border.US.CBPOneDailySlots != 20 || len(plan.Runs) != 8 {
		t.Fatalf("seed %d, slots %g, %d runs; want the scenario's seed 42, the set 20 slots, 8 runs",
			plan.Seed, base.Border.US.CBPOneDailySlots, len(plan.Runs))
	}
	// Run 5 = point 2 (500 meals, CBP One open), replicate 1: the runner
	// gives what a direct run of the edited scenario gives.
	run := plan.Runs[5]
	got, err := ScenarioRunner(base, plan)(context.Background(), run, 1)
	if err != nil {
		t.Fatal(err)
	}
	sc := base.Clone()
	sc.SetParam("node.port.meals", 500.0)
	sc.SetParam("border.us.cbp_one_open", true)
	r, err := sim.Run(context.Background(), sc, sim.Options{Seed: ensemble.ReplicateSeed(42, 1), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{}
	for _, in := range report.Indicators(r) {
		want[in.Key] = in.Value
	}
	if got[0] != want["crossing_north"] || got[1] != want["unmet_need_port"] {
		t.Errorf("runner gave %v, direct run %g and %g", got, want["crossing_north"], want["unmet_need_port"])
	}
	// Lima has no aid in tiny: its key exists for the scenario but not in
	// the run, so the sweep records NA.
	if _, ok := want["unmet_need_lima"]; ok || !math.IsNaN(got[2]) {
		t.Errorf("unmet_need_lima = %v (in run: %v), want NA", got[2], ok)
	}
	// The base scenario is not changed by runs.
	if base.Nodes[1].Meals != 300 {
		t.Errorf("the runner changed the base scenario: port meals %g", base.Nodes[1].Meals)
	}
}

func TestIndicatorKeys(t *testing.T) {
	sc, err := scenario.Load("../scenario/testdata/tiny.toml")
	if err != nil {
		t.Fatal(err)
	}
	keys := IndicatorKeys(sc)
	// tiny runs in 2023 only; every node may get aid by a policy, so every
	// node has an unmet_need key.
	for _, want := range []string{"crossing_north", "crossing_south_2023", "died", "spent_boat_usd"} {
		if !slices.Contains(keys, want) {
			t.Errorf("keys lack %s: %v", want, keys)
		}
	}
	for _, n := range sc.Nodes {
		if !slices.Contains(keys, "unmet_need_"+n.ID) {
			t.Errorf("keys lack unmet_need_%s", n.ID)
		}
	}
	if slices.Contains(keys, "crossing_north_2024") {
		t.Error("a 2023 scenario has a 2024 key")
	}
}

func TestBindErrors(t *testing.T) {
	cases := []struct{ body, want string }{
		{"scenario = \"nowhere\"\n[[param]]\npath = \"node.port.meals\"\nvalues = [1]\n", `s.toml:1: scenario: "nowhere": no such file`},
		{"scenario = \"tiny.toml\"\nindicators = [\"died\", \"happiness\"]\n[[param]]\npath = \"node.port.meals\"\nvalues = [1]\n",
			`s.toml:2: indicators: "happiness" is not an indicator of scenario tiny`},
		{"scenario = \"tiny.toml\"\n[[param]]\npath = \"node.atlantis.meals\"\nvalues = [1]\n", "s.toml:3: param[1].path:"},
		{"scenario = \"tiny.toml\"\n[[param]]\npath = \"border.us.apprehension\"\nvalues = [0.5, 1.5]\n", "s.toml:2: param[1]: border.us.apprehension = 1.5 makes the scenario invalid"},
		{"scenario = \"tiny.toml\"\n[[param]]\npath = \"border.us.cbp_one_open\"\nvalues = [1]\n", "s.toml:4: param[1].values:"},
		{"scenario = \"tiny.toml\"\ndesign = \"lhs\"\nsamples = 4\n[[param]]\npath = \"behaviour.news_delay_days\"\nrange = [1, 9]\n",
			"s.toml:4: param[1].integer: behaviour.news_delay_days is a whole number: add integer = true"},
		{"scenario = \"tiny.toml\"\nset = [\"node.port.meals=-1\"]\n[[param]]\npath = \"node.port.beds\"\nvalues = [1]\n", "s.toml:2: set: the base scenario with these assignments is not valid"},
	}
	for _, c := range cases {
		path := writeSweep(t, c.body)
		f, err := Load(path)
		if err != nil {
			t.Errorf("%q: Load: %v", c.body, err)
			continue
		}
		_, _, err = Bind(f, nil)
		if err == nil || !strings.Contains(err.Error(), filepath.Dir(path)+"/"+c.want) {
			t.Errorf("Bind(%q) = %v, want %q", c.body, err, c.want)
		}
	}
}
