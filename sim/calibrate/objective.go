package calibrate

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/ensemble"
	"github.com/migsim/migsim/sim/scenario"
	"github.com/migsim/migsim/sim/validate"
)

// Problem is a scenario bound to a calibration spec and observed series.
type Problem struct {
	spec    *Spec
	base    *scenario.Scenario // thinned, ending at the cut-off
	params  []*bound
	targets []validate.Target // restricted to the window
	seed    uint64            // base seed of the replicates (and of CMA-ES's draws)
	seeds   []uint64
	workers int
	dropped int // observed periods left out of the window
}

// Config are the settings of a calibration beside the spec.
type Config struct {
	// Replicates is the number of replicates per evaluation (≥ 1); every
	// evaluation uses the same seeds (common random numbers).
	Replicates int
	// Seed is the base seed of the replicate seeds (0: the scenario's).
	Seed uint64
	// Scale, if > 0, thins the scenario for speed (scenario.scale).
	Scale float64
	// Workers is the number of cores to use (0: all).
	Workers int
}

// NewProblem binds spec to sc and the observed targets. It checks that
// every parameter names something in sc, keeps only the observed periods
// inside the calibration window [spec.Objective.From, Until] (Until is
// never after validate.CalibrationEnd()), and makes the runs stop at the
// window's end.
func NewProblem(sc *scenario.Scenario, spec *Spec, targets []validate.Target, cfg Config) (*Problem, error) {
	if cfg.Replicates < 1 {
		return nil, fmt.Errorf("calibrate: %d replicates: want at least 1", cfg.Replicates)
	}
	until := spec.Objective.Until
	if end := validate.CalibrationEnd(); until.IsZero() || until.After(end) {
		until = end // the calibration window, whatever the caller says
	}
	params, err := spec.bind(sc)
	if err != nil {
		return nil, err
	}
	p := &Problem{spec: spec, params: params, workers: cfg.Workers}
	want := spec.Objective.Series
	for _, name := range want {
		if !slices.ContainsFunc(targets, func(t validate.Target) bool { return t.Name == name }) {
			return nil, fmt.Errorf("%s: objective.series: scenario %s has no observed series %q", spec.File, sc.Meta.Name, name)
		}
	}
	last := time.Time{}
	for _, t := range targets {
		if len(want) > 0 && !slices.Contains(want, t.Name) {
			continue
		}
		s, cut := t.Series.Until(until)
		p.dropped += cut
		if from := spec.Objective.From; !from.IsZero() {
			k := 0
			for k < len(s.Periods) && s.Periods[k].Before(from) {
				k++
			}
			s = &validate.Series{File: s.File, Column: s.Column, Monthly: s.Monthly, Periods: s.Periods[k:], Values: s.Values[k:]}
		}
		if len(s.Periods) == 0 {
			return nil, fmt.Errorf("observed series %s has no period within the calibration window (to %s)", t.Name, until.Format("2006-01-02"))
		}
		t.Series = s
		p.targets = append(p.targets, t)
		if e := s.PeriodEnd(s.Periods[len(s.Periods)-1]); e.After(last) {
			last = e
		}
	}
	if len(p.targets) == 0 {
		return nil, fmt.Errorf("scenario %s has no observed series to calibrate against", sc.Meta.Name)
	}
	base := sc.Clone()
	if cfg.Scale > 0 {
		if err := base.SetParam("scenario.scale", cfg.Scale); err != nil {
			return nil, err
		}
	}
	// Nothing after the last fitted observation is simulated.
	if last.Before(base.Meta.End) {
		base.Meta.End = last
	}
	if err := base.Validate(); err != nil {
		return nil, fmt.Errorf("calibrate: the thinned scenario: %w", err)
	}
	p.base = base
	seed := cfg.Seed
	if seed == 0 {
		seed = sc.Meta.Seed
	}
	p.seed = seed
	p.seeds = ensemble.Seeds(seed, cfg.Replicates)
	return p, nil
}

// Dropped returns the number of observed periods left out because they lie
// outside the calibration window.
func (p *Problem) Dropped() int { return p.dropped }

// End returns the last simulated day of each evaluation.
func (p *Problem) End() time.Time { return p.base.Meta.End }

// Names returns the parameters' names, in order.
func (p *Problem) Names() []string {
	out := make([]string, len(p.params))
	for i, b := range p.params {
		out[i] = b.Name
	}
	return out
}

// Start returns the parameters' starting values.
func (p *Problem) Start() []float64 {
	out := make([]float64, len(p.params))
	for i, b := range p.params {
		out[i] = b.start
	}
	return out
}

// Terms are the parts of an objective value, averaged over replicates and
// summed over series.
type Terms struct {
	LogRMSE, AnnualRMS, ARD, OneMinusR float64
	// MaxAnnual is the largest |relative error| of an annual total in any
	// replicate and series.
	MaxAnnual float64
}

// Evaluation is the objective at one point.
type Evaluation struct {
	// X are the parameter values.
	X []float64
	// Value is the objective, the mean over replicates of the weighted sum.
	Value float64
	// Terms are its parts.
	Terms Terms
}

// Evaluate runs the replicates at x (natural units) and returns the
// objective.
func (p *Problem) Evaluate(ctx context.Context, x []float64) (Evaluation, error) {
	ev := Evaluation{X: slices.Clone(x)}
	sc := p.base.Clone()
	for i, b := range p.params {
		if x[i] < b.Min || x[i] > b.Max || math.IsNaN(x[i]) {
			return ev, fmt.Errorf("param %s = %g is outside [%g, %g]", b.Name, x[i], b.Min, b.Max)
		}
	}
	if err := apply(sc, p.params, x); err != nil {
		return ev, err
	}
	if err := sc.Validate(); err != nil {
		return ev, fmt.Errorf("the scenario at %v: %w", x, err)
	}
	results := make([]*sim.Result, len(p.seeds))
	err := ensemble.ForEach(ctx, len(p.seeds), p.workers, nil, func(ctx context.Context, k, workers int) error {
		r, err := sim.Run(ctx, sc.Clone(), sim.Options{Seed: p.seeds[k], Workers: workers})
		if err != nil {
			return fmt.Errorf("replicate %d (seed %d): %w", k, p.seeds[k], err)
		}
		results[k] = r
		return nil
	})
	if err != nil {
		return ev, err
	}
	w := p.spec.Objective
	var total float64
	for _, r := range results {
		for _, t := range p.targets {
			c, err := validate.Compare(t, []*sim.Result{r}, p.spec.Objective.Until)
			if err != nil {
				return ev, err
			}
			m := c.Median
			var sq float64
			for _, y := range c.Years {
				sq += y.RelErr * y.RelErr
			}
			annual := math.Sqrt(sq / float64(len(c.Years)))
			r := m.Pearson
			if math.IsNaN(r) {
				r = 0
			}
			ard := m.ARD
			if math.IsNaN(ard) {
				ard = 0
			}
			ev.Terms.LogRMSE += m.LogRMSE
			ev.Terms.AnnualRMS += annual
			ev.Terms.ARD += ard
			ev.Terms.OneMinusR += 1 - r
			ev.Terms.MaxAnnual = math.Max(ev.Terms.MaxAnnual, c.MaxAbsYearErr())
			total += w.LogRMSE*m.LogRMSE + w.Annual*annual + w.ARD*ard + w.Correlation*(1-r)
		}
	}
	n := float64(len(results))
	ev.Value = total / n
	ev.Terms.LogRMSE /= n
	ev.Terms.AnnualRMS /= n
	ev.Terms.ARD /= n
	ev.Terms.OneMinusR /= n
	return ev, nil
}
