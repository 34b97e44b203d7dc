package scenarios

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/migsim/migsim/sim/ensemble"
	"github.com/migsim/migsim/sim/scenario"
	"github.com/migsim/migsim/sim/validate"
)

// TestDefaultMeetsAnnualBar runs the calibrated default scenario thinned to
// one agent per 10 persons (scale 0.1, as it was calibrated; the news is
// the same in expectation at every scale, and docs/validation.md compares
// scale 1), three replicates to 2024-12-31 on seeds the calibration did not
// use (base seed 2), and checks that the median annual total of northbound
// Darién crossings is within ±10 % of the observed one in every year
// 2021–2024 — the bar itself, with no extra tolerance: the replicates'
// spread (docs/validation.md) is a few per cent of each year's total. It
// also holds the monthly series' error on log counts (of the median over
// the replicates) below the 0.35 bar. On ten replicates docs/validation.md
// reports 0.328; this test gives 0.315–0.349 from base seeds 2 to 9 (0.327
// from 2; 2023 at −7.7 to −9.0 %), and a change of the model that moves it
// past either bar must say so here.
func TestDefaultMeetsAnnualBar(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the default scenario three times (a few seconds)")
	}
	sc, err := scenario.LoadFS(FS(), "americas.toml")
	if err != nil {
		t.Fatal(err)
	}
	targets, err := validate.Targets(sc, "", FS(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.SetParam("scenario.scale", 0.1); err != nil {
		t.Fatal(err)
	}
	sc.Meta.End = validate.CalibrationEnd()
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	results, err := ensemble.Run(context.Background(), sc, ensemble.Options{Replicates: 3, BaseSeed: 2, Only: -1})
	if err != nil {
		t.Fatal(err)
	}
	var darien *validate.Comparison
	for _, tg := range targets {
		if tg.Name == "darien_monthly" {
			darien, err = validate.Compare(tg, results, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if darien == nil {
		t.Fatal("the default scenario has no darien_monthly series")
	}
	want := map[int]float64{2021: 133726, 2022: 248284, 2023: 520085, 2024: 302203}
	if len(darien.Years) != len(want) {
		t.Fatalf("years compared: %+v", darien.Years)
	}
	for _, y := range darien.Years {
		if y.Observed != want[y.Year] {
			t.Errorf("%d: observed %g, want %g", y.Year, y.Observed, want[y.Year])
		}
		if math.Abs(y.RelErr) > 0.10 {
			t.Errorf("%d: simulated %.0f [%.0f, %.0f] against observed %.0f: %+.1f %%, outside ±10 %%", y.Year, y.Sim.Q50, y.Sim.Q05, y.Sim.Q95, y.Observed, 100*y.RelErr)
		}
	}
	if darien.Median.LogRMSE >= 0.35 {
		t.Errorf("error on log counts %.3f, not below the 0.35 bar", darien.Median.LogRMSE)
	}
	t.Logf("error on log counts %.3f, annual errors %+.1f %%, %+.1f %%, %+.1f %%, %+.1f %%", darien.Median.LogRMSE,
		100*darien.Years[0].RelErr, 100*darien.Years[1].RelErr, 100*darien.Years[2].RelErr, 100*darien.Years[3].RelErr)
}
