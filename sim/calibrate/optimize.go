package calibrate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"gonum.org/v1/gonum/optimize"

	"github.com/migsim/migsim/sim/rng"
)

// cmaesPurpose keys the random stream of CMA-ES's samples.
const cmaesPurpose rng.Purpose = 0xFFFE

// Progress is told about every evaluation: its number (from 1), the
// evaluation and the best so far.
type Progress func(n int, ev, best Evaluation)

// Result is the outcome of a calibration.
type Result struct {
	// Names are the parameters' names.
	Names []string
	// Start is the objective at the starting values.
	Start Evaluation
	// Best is the best evaluation found. Its parameter values are exact;
	// each target takes the value the parameter gives it rounded to four
	// significant digits, in the evaluation as in the written scenario.
	Best Evaluation
	// Evals is the number of evaluations; Status how the optimiser stopped.
	Evals  int
	Status string
	// Wall is the time it took.
	Wall time.Duration
}

// Round4 rounds v to four significant digits, the precision of the values
// written into a calibrated scenario.
func Round4(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 4, 64), 64)
	return f
}

// Run minimises the objective of p from its starting values, with the
// spec's optimiser and at most maxEvals evaluations (0: the spec's). With
// maxTime > 0 it stops starting new evaluations once that much wall time has
// passed, and returns the best point so far as a result (status
// "RuntimeLimit"). It stops early when ctx is cancelled, returning the best
// point so far with ctx's error.
func (p *Problem) Run(ctx context.Context, maxEvals int, maxTime time.Duration, progress Progress) (*Result, error) {
	began := time.Now()
	op := p.spec.Optimizer
	if maxEvals <= 0 {
		maxEvals = op.MaxEvals
	}
	res := &Result{Names: p.Names()}
	x0 := p.Start()
	start, err := p.Evaluate(ctx, x0)
	if err != nil {
		return nil, fmt.Errorf("calibrate: at the starting values: %w", err)
	}
	res.Start = start
	best := start
	n := 1
	if progress != nil {
		progress(n, start, best)
	}
	var failure error
	toX := func(z []float64) []float64 {
		x := make([]float64, len(z))
		for i, b := range p.params {
			x[i] = b.toValue(z[i])
			if b.integer {
				x[i] = math.Round(x[i])
			}
		}
		return x
	}
	outOfTime := func() bool { return maxTime > 0 && time.Since(began) >= maxTime }
	problem := optimize.Problem{
		Func: func(z []float64) float64 {
			if failure != nil || ctx.Err() != nil || outOfTime() {
				return math.Inf(1)
			}
			ev, err := p.Evaluate(ctx, toX(z))
			if err != nil {
				if ctx.Err() == nil {
					failure = err
				}
				return math.Inf(1)
			}
			n++
			if ev.Value < best.Value {
				best = ev
			}
			if progress != nil {
				progress(n, ev, best)
			}
			return ev.Value
		},
		Status: func() (optimize.Status, error) {
			if failure != nil {
				return optimize.Failure, failure
			}
			if err := ctx.Err(); err != nil {
				return optimize.Failure, err
			}
			if outOfTime() {
				return optimize.RuntimeLimit, nil
			}
			return optimize.NotTerminated, nil
		},
	}
	if maxEvals <= 1 {
		// The start was the one evaluation allowed (FuncEvaluations = 0
		// would mean no limit to gonum).
		res.Evals, res.Status, res.Best, res.Wall = n, "FunctionEvaluationLimit", start, time.Since(began)
		return res, nil
	}
	z0 := make([]float64, len(x0))
	for i, b := range p.params {
		z0[i] = b.toZ(x0[i])
	}
	settings := &optimize.Settings{
		FuncEvaluations: maxEvals - 1, // the start was one
		Converger:       &optimize.FunctionConverge{Absolute: 1e-4, Relative: 1e-4, Iterations: 6 * len(x0)},
		InitValues:      &optimize.Location{F: start.Value},
	}
	var method optimize.Method
	switch op.Method {
	case CMAES:
		// CMA-ES draws its samples from a counter-based stream of the base
		// seed, so a calibration is reproducible.
		src := rng.New(p.seed, 0, 0, cmaesPurpose)
		method = &optimize.CmaEsChol{InitStepSize: op.Step, Src: &src}
		settings.InitValues = nil
	default:
		method = &optimize.NelderMead{SimplexSize: op.Step}
	}
	r, err := optimize.Minimize(problem, z0, settings, method)
	res.Evals = n
	if r != nil {
		res.Status = r.Status.String()
	}
	if outOfTime() && ctx.Err() == nil && failure == nil {
		res.Status, err = optimize.RuntimeLimit.String(), nil
	}
	stopped := ctx.Err()
	if err != nil && failure == nil && stopped == nil {
		return nil, fmt.Errorf("calibrate: %w", err)
	}
	if failure != nil {
		return nil, fmt.Errorf("calibrate: evaluation %d: %w", n+1, failure)
	}
	// best.X is written as it was evaluated: each target's value rounded to
	// four significant digits (see Edits), so the scenario written is the
	// scenario judged. (Rounding the parameters again here would move the
	// targets of a factor slightly, and a stochastic model can answer even
	// that with another objective.)
	res.Best = best
	res.Wall = time.Since(began)
	if stopped != nil {
		return res, errors.Join(errors.New("calibration interrupted"), stopped)
	}
	return res, nil
}
