package calibrate

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/migsim/migsim/sim/scenario"
	"github.com/migsim/migsim/sim/validate"
)

func TestTransform(t *testing.T) {
	for _, b := range []*bound{
		{Param: Param{Min: 0.1, Max: 0.9}},
		{Param: Param{Min: 1e-6, Max: 1e-2, Log: true}},
		{Param: Param{Min: -3, Max: 2}},
	} {
		for _, u := range []float64{0.001, 0.2, 0.5, 0.77, 0.999} {
			x := b.Min + u*(b.Max-b.Min)
			if b.Log {
				x = math.Exp(math.Log(b.Min) + u*(math.Log(b.Max)-math.Log(b.Min)))
			}
			if got := b.toValue(b.toZ(x)); math.Abs(got-x) > 1e-9*math.Abs(x)+1e-15 {
				t.Errorf("%+v: toValue(toZ(%g)) = %g", b.Param, x, got)
			}
		}
		// The middle of the range is z = 0; every z gives a value within
		// the bounds.
		mid := (b.Min + b.Max) / 2
		if b.Log {
			mid = math.Sqrt(b.Min * b.Max)
		}
		if got := b.toValue(0); math.Abs(got-mid) > 1e-12*math.Abs(mid) {
			t.Errorf("%+v: toValue(0) = %g, want %g", b.Param, got, mid)
		}
		for _, z := range []float64{-1e3, -40, 40, 1e3} {
			if v := b.toValue(z); v < b.Min || v > b.Max {
				t.Errorf("%+v: toValue(%g) = %g is out of bounds", b.Param, z, v)
			}
		}
	}
}

const goodSpec = `
[objective]
series = ["departed"]
log_rmse = 1
annual = 2

[optimizer]
max_evals = 50

[[param]]
name = "rate"
targets = ["origin.ven.base_rate"]
min = 1e-4
max = 1e-2
log = true

[[param]]
name = "boat"
targets = ["edge.port-landing.capacity", "policy.boat cut.scale"]
mode = "factor"
min = 0.5
max = 2
`

func TestReadSpec(t *testing.T) {
	s, err := ReadSpec("c.toml", []byte(goodSpec))
	if err != nil {
		t.Fatal(err)
	}
	if s.Optimizer.Method != NelderMead || s.Optimizer.Step != 0.5 || s.Optimizer.MaxEvals != 50 || s.Params[0].Mode != ModeSet ||
		!s.Objective.Until.Equal(validate.CalibrationEnd()) || s.Objective.Annual != 2 {
		t.Errorf("defaults: %+v", s)
	}
	// All weights zero: the log error alone.
	s, err = ReadSpec("c.toml", []byte("[[param]]\nname = \"a\"\ntargets = [\"x\"]\nmin = 0\nmax = 1\n"))
	if err != nil || s.Objective.LogRMSE != 1 || s.Optimizer.MaxEvals != 200 {
		t.Errorf("bare spec: %+v, %v", s, err)
	}
}

func TestReadSpecErrors(t *testing.T) {
	param := "[[param]]\nname = \"a\"\ntargets = [\"x\"]\nmin = 0\nmax = 1\n"
	cases := []struct{ src, want string }{
		{"[objective]\nuntil = 2025-06-30\n" + param, "c.toml:2: objective.until: 2025-06-30 is after 2024-12-31"},
		{"[objective]\nfrom = 2024-12-31\nuntil = 2024-06-30\n" + param, "c.toml:2: objective.from: 2024-12-31 is not before until"},
		{"[objective]\nannual = -1\n" + param, "objective: weights must not be negative"},
		{"[optimizer]\nmethod = \"bfgs\"\n" + param, "c.toml:2: optimizer.method: \"bfgs\""},
		{"[objective]\n", "no [[param]] tables"},
		{"[[param]]\nname = \"a\"\ntargets = [\"x\"]\nmin = 1\nmax = 1\n", "c.toml:5: param[0].max: bounds [1, 1]: want min < max"},
		{"[[param]]\nname = \"a\"\ntargets = [\"x\"]\nmin = 0\nmax = 1\nlog = true\n", "c.toml:4: param[0].min: 0: a log-scale parameter needs min > 0"},
		{"[[param]]\nname = \"a\"\ntargets = [\"x\"]\nmin = 0\nmax = 1\nstart = 2\n", "c.toml:6: param[0].start: 2 is outside [0, 1]"},
		{"[[param]]\nname = \"a\"\nmin = 0\nmax = 1\n", "param[0].targets: is missing"},
		{"[[param]]\nname = \"a\"\ntargets = [\"x\"]\nmin = 0\nmax = 1\nmode = \"add\"\n", "c.toml:6: param[0].mode: \"add\": want set or factor"},
		{param + param, "c.toml:7: param[1].name: \"a\" is used twice"},
		{param + "colour = 3\n", "c.toml:6: param.colour: unknown key"},
		{"[[param]\n", "c.toml:2:"},
	}
	for _, c := range cases {
		_, err := ReadSpec("c.toml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\nerror %v\nwant  %q", c.src, err, c.want)
		}
	}
}

func TestBind(t *testing.T) {
	sc := loadTiny(t)
	s, err := ReadSpec("c.toml", []byte(goodSpec))
	if err != nil {
		t.Fatal(err)
	}
	bs, err := s.bind(sc)
	if err != nil {
		t.Fatal(err)
	}
	if bs[0].start != 0.002 || bs[1].start != 1 || len(bs[1].targets) != 2 || bs[1].orig[1][0] != 0.5 {
		t.Errorf("bound: %+v %+v", bs[0], bs[1])
	}
	// Factor 1.5: capacity 60 → 90, the policy's scale 0.5 → 0.75.
	c := sc.Clone()
	if err := apply(c, bs, []float64{0.004, 1.5}); err != nil {
		t.Fatal(err)
	}
	if v, _ := c.Number("edge.port-landing.capacity"); v != 90 || *c.Policies[0].Scale != 0.75 {
		t.Errorf("after factor 1.5: capacity %g, boat cut scale %g", v, *c.Policies[0].Scale)
	}
	if v, _ := c.Number("origin.ven.base_rate"); v != 0.004 {
		t.Errorf("rate %g", v)
	}
	if v, _ := sc.Number("edge.port-landing.capacity"); v != 60 {
		t.Errorf("apply changed the original: %g", v)
	}

	bad := []struct{ target, want string }{
		{"origin.nobody.base_rate", `no origin has id "nobody"`},
		{"edge.port-landing.cost", "is a distribution parameter"},
		{"border.us.cbp_one_open", "is a bool parameter"},
		{"scenario.scale", "seed and scale are not calibrated"},
		{"policy.nothing.scale", `no policy is named "nothing"`},
		{"policy.boat cut.set", "has no numeric set"},
		{"policy.boat cut[edge.x.capacity].scale", "has no entry with path edge.x.capacity"},
		{"policy.boat cut.colour", `field "colour"`},
	}
	for _, b := range bad {
		s := &Spec{File: "c.toml", Params: []Param{{Name: "p", Targets: []string{b.target}, Mode: ModeSet, Min: 0, Max: 1e9}}}
		if _, err := s.bind(sc); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s: %v, want %q", b.target, err, b.want)
		}
	}
	// Two parameters may not set one number; a start outside the bounds is
	// refused.
	s2 := &Spec{File: "c.toml", Params: []Param{
		{Name: "p", Targets: []string{"origin.ven.base_rate"}, Mode: ModeSet, Min: 0, Max: 1},
		{Name: "q", Targets: []string{"origin.ven.base_rate"}, Mode: ModeSet, Min: 0, Max: 1},
		{Name: "r", Targets: []string{"origin.ven.pool"}, Mode: ModeSet, Min: 0, Max: 1},
	}}
	_, err = s2.bind(sc)
	if err == nil || !strings.Contains(err.Error(), "params p and q both set origin.ven.base_rate") || !strings.Contains(err.Error(), "param r: the starting value 2000 is outside [0, 1]") {
		t.Errorf("clashing and out-of-bounds parameters: %v", err)
	}
}

// TestCutoffEnforced: observations after 2024-12-31 never reach the
// objective, however the spec or the data try, and the runs stop at the
// last fitted observation.
func TestCutoffEnforced(t *testing.T) {
	sc := loadTiny(t)
	// Move the tiny scenario to 2024-10-01 … 2025-03-29.
	shift := time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC).Sub(sc.Meta.Start)
	sc.Meta.Start = sc.Meta.Start.Add(shift)
	sc.Meta.End = sc.Meta.End.Add(shift)
	for i := range sc.Policies {
		sc.Policies[i].Date = sc.Policies[i].Date.Add(shift)
		if !sc.Policies[i].Until.IsZero() {
			sc.Policies[i].Until = sc.Policies[i].Until.Add(shift)
		}
	}
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	obs := observe(t, sc, 7)
	// Spoil every observation of 2025: if one were used, the objective
	// at the true values would not be 0.
	spoilt := *obs.Series
	spoilt.Values = append([]float64(nil), obs.Series.Values...)
	n2025 := 0
	for i, p := range spoilt.Periods {
		if p.Year() == 2025 {
			spoilt.Values[i] = 1e6
			n2025++
		}
	}
	obs.Series = &spoilt
	spec := &Spec{
		Objective: Objective{LogRMSE: 1, Annual: 1},
		Optimizer: Optimizer{Method: NelderMead, MaxEvals: 3, Step: 0.5},
		Params:    []Param{{Name: "rate", Targets: []string{"origin.ven.base_rate"}, Mode: ModeSet, Min: 1e-4, Max: 1e-2, Log: true}},
		File:      "test",
	}
	// Until left zero, or set after the window (as a hand-built spec
	// might): the window's end applies either way.
	for _, until := range []time.Time{{}, time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)} {
		spec.Objective.Until = until
		p, err := NewProblem(sc, spec, []validate.Target{obs}, Config{Replicates: 1, Seed: 7, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if p.Dropped() != n2025 || !p.End().Equal(time.Date(2024, 12, 31, 0, 0, 0, 0, p.End().Location())) {
			t.Errorf("until %v: dropped %d (want %d), runs end %v (want 2024-12-31)", until, p.Dropped(), n2025, p.End())
		}
		ev, err := p.Evaluate(context.Background(), []float64{0.002})
		if err != nil {
			t.Fatal(err)
		}
		if ev.Value != 0 {
			t.Errorf("until %v: objective at the truth %g: a 2025 observation was used", until, ev.Value)
		}
	}
	// A spec read from a file may not even ask for 2025.
	if _, err := ReadSpec("c.toml", []byte("[objective]\nuntil = 2025-01-01\n[[param]]\nname = \"a\"\ntargets = [\"x\"]\nmin = 0\nmax = 1\n")); err == nil {
		t.Error("a spec with until = 2025-01-01 was accepted")
	}
}

// TestOneEvaluation: max_evals = 1 evaluates the start and stops (gonum
// reads a limit of 0 as none).
func TestOneEvaluation(t *testing.T) {
	sc := loadTiny(t)
	obs := observe(t, sc, 3)
	spec := &Spec{Objective: Objective{LogRMSE: 1}, Optimizer: Optimizer{Method: NelderMead, MaxEvals: 1, Step: 0.5},
		Params: []Param{{Name: "rate", Targets: []string{"origin.ven.base_rate"}, Mode: ModeSet, Min: 1e-4, Max: 1e-2, Log: true}}, File: "t"}
	res := runOnTiny(t, sc, spec, obs, 0)
	if res.Evals != 1 || res.Best.X[0] != 0.002 || res.Best.Value != 0 {
		t.Errorf("one evaluation: %d evaluations, best %+v", res.Evals, res.Best)
	}
}

// TestMaxTime: with a wall-time limit the run starts no evaluation after
// it and returns its best point as a result (here a limit of 1 ns: only the
// start is evaluated).
func TestMaxTime(t *testing.T) {
	sc := loadTiny(t)
	obs := observe(t, sc, 3)
	spec := &Spec{Objective: Objective{LogRMSE: 1}, Optimizer: Optimizer{Method: NelderMead, MaxEvals: 100000, Step: 0.5},
		Params: []Param{{Name: "rate", Targets: []string{"origin.ven.base_rate"}, Mode: ModeSet, Min: 1e-4, Max: 1e-2, Log: true, Start: func(v float64) *float64 { return &v }(0.004)}}, File: "t"}
	res := runOnTiny(t, sc, spec, obs, time.Nanosecond)
	if res.Status != "RuntimeLimit" || res.Evals != 1 || res.Best.Value != res.Start.Value || res.Best.X[0] != 0.004 {
		t.Errorf("status %s after %v and %d evaluations, best %g from %g", res.Status, res.Wall, res.Evals, res.Best.Value, res.Start.Value)
	}
}

// TestCMAESReproducible: CMA-ES draws from the seed's stream, so two runs
// with one seed take the same path.
func TestCMAESReproducible(t *testing.T) {
	sc := loadTiny(t)
	obs := observe(t, sc, 3)
	run := func() *Result {
		spec := &Spec{Objective: Objective{LogRMSE: 1}, Optimizer: Optimizer{Method: CMAES, MaxEvals: 12, Step: 0.5},
			Params: []Param{
				{Name: "rate", Targets: []string{"origin.ven.base_rate"}, Mode: ModeSet, Min: 1e-4, Max: 1e-2, Log: true},
				{Name: "season", Targets: []string{"origin.ven.season_amplitude"}, Mode: ModeSet, Min: 0, Max: 0.9},
			}, File: "t"}
		res := runOnTiny(t, sc, spec, obs, 0)
		return res
	}
	a, b := run(), run()
	if a.Evals != b.Evals || a.Best.Value != b.Best.Value || a.Best.X[0] != b.Best.X[0] || a.Best.X[1] != b.Best.X[1] {
		t.Errorf("two CMA-ES runs differ: %+v and %+v", a.Best, b.Best)
	}
}

// runOnTiny calibrates spec against obs with one replicate of seed 3 on one
// worker, with the wall-time limit maxTime (0: none), and returns the result.
func runOnTiny(t *testing.T, sc *scenario.Scenario, spec *Spec, obs validate.Target, maxTime time.Duration) *Result {
	t.Helper()
	p, err := NewProblem(sc, spec, []validate.Target{obs}, Config{Replicates: 1, Seed: 3, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(context.Background(), 0, maxTime, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
