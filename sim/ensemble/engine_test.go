package ensemble

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/report"
	"github.com/migsim/migsim/sim/scenario"
)

// tiny loads the small test scenario of package scenario.
func tiny(t *testing.T) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Load("../scenario/testdata/tiny.toml")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func sameSeries(a, b *sim.Result) bool {
	return reflect.DeepEqual(a.Flows, b.Flows) && reflect.DeepEqual(a.Stocks, b.Stocks) && reflect.DeepEqual(a.Totals, b.Totals)
}

func TestRunReplicatesAreReproducibleOneByOne(t *testing.T) {
	sc := tiny(t)
	res, err := Run(context.Background(), sc, Options{Replicates: 3, Workers: 2, Only: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 {
		t.Fatalf("%d results", len(res))
	}
	for k, r := range res {
		if want := ReplicateSeed(sc.Meta.Seed, k); r.Seed != want {
			t.Errorf("replicate %d ran with seed %d, want %d", k, r.Seed, want)
		}
	}
	if sameSeries(res[0], res[1]) || sameSeries(res[1], res[2]) {
		t.Error("replicates with different seeds gave identical series")
	}
	// --replicate 1: the same seed, the same series, whatever the workers.
	one, err := Run(context.Background(), sc, Options{Replicates: 3, Workers: 1, Only: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(one) != 1 || one[0].Seed != res[1].Seed || !sameSeries(one[0], res[1]) {
		t.Error("replicate 1 rerun alone differs from replicate 1 of the ensemble")
	}
	// It is also a plain run with that seed.
	plain, err := sim.Run(context.Background(), sc.Clone(), sim.Options{Seed: ReplicateSeed(sc.Meta.Seed, 2), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !sameSeries(plain, res[2]) {
		t.Error("replicate 2 differs from sim.Run with its seed")
	}
	// Another base seed gives other replicates.
	other, err := Run(context.Background(), sc, Options{Replicates: 1, BaseSeed: sc.Meta.Seed + 1, Only: -1})
	if err != nil {
		t.Fatal(err)
	}
	if sameSeries(other[0], res[0]) {
		t.Error("base seeds differ but replicate 0 is the same")
	}

	dir := filepath.Join(t.TempDir(), "ens")
	if err := WriteEnsemble(dir, res, report.RunInfo{Scenario: sc.Meta.Name, Hash: sc.Hash, Version: "test"}, WriteOptions{BaseSeed: sc.Meta.Seed}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"rep-002/flows.csv", TotalsQuantilesFile, CrossingBandFigure + ".png", FocusBandFigure + ".png"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("missing %s", name)
		}
	}
}

func TestRunStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, tiny(t), Options{Replicates: 4, Only: -1}); err == nil {
		t.Error("a cancelled ensemble returned no error")
	}
}
