package calibrate

import (
	"context"
	"math"
	"testing"

	"github.com/migsim/migsim/sim/ensemble"
	"github.com/migsim/migsim/sim/scenario"
	"github.com/migsim/migsim/sim/validate"
)

const tinyFile = "../scenario/testdata/tiny.toml"

func loadTiny(t testing.TB) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Load(tinyFile)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// observe runs sc once, as replicate 0 of base seed seed, and returns its
// daily departures as an observed series.
func observe(t testing.TB, sc *scenario.Scenario, seed uint64) validate.Target {
	t.Helper()
	rs, err := ensemble.Run(context.Background(), sc, ensemble.Options{Replicates: 1, BaseSeed: seed, Workers: 1, Only: -1})
	if err != nil {
		t.Fatal(err)
	}
	q := validate.Quantity{Kind: "departed"}
	daily, err := validate.Daily(rs[0], q)
	if err != nil {
		t.Fatal(err)
	}
	s := &validate.Series{Column: "departed"}
	for d, v := range daily {
		s.Periods = append(s.Periods, rs[0].Start.AddDate(0, 0, d))
		s.Values = append(s.Values, v)
	}
	return validate.Target{Name: "departed", Quantity: q, Series: s}
}

// TestRecoverKnownParameters generates observations by running the tiny
// scenario at known parameter values (base rate 0.002 a day, seasonal
// amplitude 0.2, its own values), then calibrates both from a perturbed
// start (0.0035 and 0.6) on the same replicate seed. With common random
// numbers the objective is exactly 0 at the truth; Nelder–Mead must come
// back to within 10 % of the base rate and 0.1 of the amplitude.
func TestRecoverKnownParameters(t *testing.T) {
	sc := loadTiny(t)
	// More people make a smoother objective: 20,000 instead of 2,000.
	if err := sc.SetParam("origin.ven.pool", 20000); err != nil {
		t.Fatal(err)
	}
	const seed = 42
	obs := observe(t, sc, seed)
	start := func(v float64) *float64 { return &v }
	spec := &Spec{
		Objective: Objective{LogRMSE: 1, Until: validate.CalibrationEnd()},
		Optimizer: Optimizer{Method: NelderMead, MaxEvals: 150, Step: 0.5},
		Params: []Param{
			{Name: "rate", Targets: []string{"origin.ven.base_rate"}, Mode: ModeSet, Min: 5e-4, Max: 1e-2, Log: true, Start: start(0.0035)},
			{Name: "season", Targets: []string{"origin.ven.season_amplitude"}, Mode: ModeSet, Min: 0, Max: 0.9, Start: start(0.6)},
		},
		File: "test",
	}
	p, err := NewProblem(sc, spec, []validate.Target{obs}, Config{Replicates: 1, Seed: seed, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	truth, err := p.Evaluate(context.Background(), []float64{0.002, 0.2})
	if err != nil {
		t.Fatal(err)
	}
	if truth.Value != 0 {
		t.Fatalf("objective at the true values = %g, want 0 (common random numbers)", truth.Value)
	}
	res, err := p.Run(context.Background(), 0, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	rate, season := res.Best.X[0], res.Best.X[1]
	t.Logf("%d evaluations: rate %g, season %g, objective %g (start %g)", res.Evals, rate, season, res.Best.Value, res.Start.Value)
	if math.Abs(rate/0.002-1) > 0.10 || math.Abs(season-0.2) > 0.1 {
		t.Errorf("recovered rate %g (true 0.002 ± 10 %%), season %g (true 0.2 ± 0.1)", rate, season)
	}
	if res.Best.Value >= res.Start.Value || res.Evals > 150 {
		t.Errorf("objective %g from %g in %d evaluations", res.Best.Value, res.Start.Value, res.Evals)
	}
}
