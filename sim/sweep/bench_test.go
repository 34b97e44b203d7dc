package sweep

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/migsim/migsim/scenarios"
	"github.com/migsim/migsim/sim/scenario"
)

// sweep100 is a 100-run sweep of the thinned default scenario: 10 levels of
// meals at Necoclí × 10 replicates, at scale 0.01 (one agent per 100
// persons).
const sweep100 = `scenario = "americas"
replicates = 10
set = ["scenario.scale=0.01"]
indicators = ["crossing_north", "crossing_south", "unmet_need_necocli", "stranded_peak", "died"]

[[param]]
path = "node.necocli.meals"
values = [0, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000]
`

func lookupEmbedded(name string) (*scenario.Scenario, error) {
	file, ok := scenarios.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("no embedded scenario %q", name)
	}
	return scenario.LoadFS(scenarios.FS(), file)
}

// BenchmarkSweep100 runs a 100-run sweep of the thinned default scenario
// on every core, as `migsim sweep` does (journal and sweep.csv included,
// plots left out), and reports runs per minute. Run it with
//
//	go test -run '^$' -bench Sweep100 -benchtime 1x ./sim/sweep
func BenchmarkSweep100(b *testing.B) {
	f, err := Parse("sweep100.toml", []byte(sweep100))
	if err != nil {
		b.Fatal(err)
	}
	plan, base, err := Bind(f, lookupEmbedded)
	if err != nil {
		b.Fatal(err)
	}
	if len(plan.Runs) != 100 {
		b.Fatalf("%d runs, want 100", len(plan.Runs))
	}
	runner := ScenarioRunner(base, plan)
	b.ResetTimer()
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		start := time.Now()
		out, err := Execute(context.Background(), plan, runner, Options{Dir: dir, NoPlots: true})
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if out.Ran != 100 || len(out.Failed) != 0 {
			b.Fatalf("ran %d, %d failed", out.Ran, len(out.Failed))
		}
	}
	b.ReportMetric(float64(100*b.N)/elapsed.Minutes(), "runs/min")
}
