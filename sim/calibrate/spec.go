package calibrate

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/migsim/migsim/sim/scenario"
	"github.com/migsim/migsim/sim/validate"
)

// Modes of a parameter.
const (
	// ModeSet gives every target the parameter's value.
	ModeSet = "set"
	// ModeFactor multiplies every target's value in the scenario by the
	// parameter's value, keeping their ratios (several origins' rates,
	// every boat's capacity).
	ModeFactor = "factor"
)

// Methods of optimisation.
const (
	NelderMead = "nelder-mead"
	CMAES      = "cmaes"
)

// Param is one calibrated parameter: a number in [Min, Max] that sets or
// scales one or more targets.
type Param struct {
	// Name identifies the parameter in progress lines and in the comment
	// written into the calibrated scenario.
	Name string `toml:"name"`
	// Targets are what it sets: parameter paths or policy fields (see the
	// package documentation).
	Targets []string `toml:"targets"`
	// Mode is set (the default) or factor.
	Mode string `toml:"mode"`
	// Min and Max bound the value; Min < Max.
	Min float64 `toml:"min"`
	Max float64 `toml:"max"`
	// Log searches the range on a log scale (Min > 0 then).
	Log bool `toml:"log"`
	// Start is the starting value; by default the scenario's value (of the
	// first target) for set, 1 for factor.
	Start *float64 `toml:"start"`
	// Note says why the parameter is calibrated and where its bounds come
	// from.
	Note string `toml:"note"`
}

// Objective weights the metrics that make the objective, for each series:
//
//	f = log_rmse × LogRMSE + annual × √(mean over years of relative error²)
//	  + ard × ARD + correlation × (1 − r)
//
// summed over the series and averaged over replicates.
type Objective struct {
	// Series names the [[observed]] entries fitted (default: all).
	Series []string `toml:"series"`
	// From, if set, leaves out observed periods before it (a burn-in).
	From time.Time `toml:"from"`
	// Until, if set, leaves out observed periods ending after it; it may
	// not be after 2024-12-31, the end of the calibration window, which
	// applies when it is not set.
	Until time.Time `toml:"until"`
	// Weights. If all are zero, log_rmse = 1.
	LogRMSE     float64 `toml:"log_rmse"`
	Annual      float64 `toml:"annual"`
	ARD         float64 `toml:"ard"`
	Correlation float64 `toml:"correlation"`
}

// Optimizer holds the optimiser's settings.
type Optimizer struct {
	// Method is nelder-mead (the default) or cmaes.
	Method string `toml:"method"`
	// MaxEvals is the most objective evaluations (default 200).
	MaxEvals int `toml:"max_evals"`
	// Step is the initial simplex size (Nelder–Mead) or step size (CMA-ES)
	// in the unbounded coordinates; 1 moves a parameter from the middle of
	// its range about a quarter of the way to a bound. Default 0.5.
	Step float64 `toml:"step"`
}

// Spec is a calibration file.
type Spec struct {
	Objective Objective `toml:"objective"`
	Optimizer Optimizer `toml:"optimizer"`
	Params    []Param   `toml:"param"`

	// File is the file it was read from.
	File string `toml:"-"`
}

// ReadSpec parses a calibration file and checks it on its own; Bind checks
// it against a scenario. Errors name the file, the line and the key.
func ReadSpec(file string, data []byte) (*Spec, error) {
	var s Spec
	md, err := toml.Decode(string(data), &s)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d: %s", file, pe.Position.Line, pe.Message)
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	s.File = file
	var errs []error
	at := func(table string, i int, key string) string {
		return fmt.Sprintf("%s:%d", file, lineOf(data, table, i, key))
	}
	for _, k := range md.Undecoded() {
		line := 0
		if len(k) > 0 {
			line = lineOf(data, k[0], -1, k[len(k)-1])
		}
		errs = append(errs, fmt.Errorf("%s:%d: %s: unknown key", file, line, k))
	}
	o := &s.Objective
	if o.LogRMSE < 0 || o.Annual < 0 || o.ARD < 0 || o.Correlation < 0 {
		errs = append(errs, fmt.Errorf("%s: objective: weights must not be negative", at("objective", -1, "")))
	}
	if o.LogRMSE == 0 && o.Annual == 0 && o.ARD == 0 && o.Correlation == 0 {
		o.LogRMSE = 1
	}
	end := validate.CalibrationEnd()
	if !o.Until.IsZero() && o.Until.After(end) {
		errs = append(errs, fmt.Errorf("%s: objective.until: %s is after %s: calibration may use observations up to the end of the calibration window only",
			at("objective", -1, "until"), o.Until.Format("2006-01-02"), end.Format("2006-01-02")))
	}
	if o.Until.IsZero() {
		o.Until = end
	}
	if !o.From.IsZero() && !o.From.Before(o.Until) {
		errs = append(errs, fmt.Errorf("%s: objective.from: %s is not before until (%s)", at("objective", -1, "from"), o.From.Format("2006-01-02"), o.Until.Format("2006-01-02")))
	}
	op := &s.Optimizer
	switch op.Method {
	case "":
		op.Method = NelderMead
	case NelderMead, CMAES:
	default:
		errs = append(errs, fmt.Errorf("%s: optimizer.method: %q: want %s or %s", at("optimizer", -1, "method"), op.Method, NelderMead, CMAES))
	}
	if op.MaxEvals < 0 {
		errs = append(errs, fmt.Errorf("%s: optimizer.max_evals: %d is negative", at("optimizer", -1, "max_evals"), op.MaxEvals))
	}
	if op.MaxEvals == 0 {
		op.MaxEvals = 200
	}
	if op.Step < 0 {
		errs = append(errs, fmt.Errorf("%s: optimizer.step: %g is negative", at("optimizer", -1, "step"), op.Step))
	}
	if op.Step == 0 {
		op.Step = 0.5
	}
	if len(s.Params) == 0 {
		errs = append(errs, fmt.Errorf("%s: no [[param]] tables: nothing to calibrate", file))
	}
	names := map[string]bool{}
	for i := range s.Params {
		p := &s.Params[i]
		bad := func(key, format string, args ...any) {
			errs = append(errs, fmt.Errorf("%s: param[%d].%s: %s", at("param", i, key), i, key, fmt.Sprintf(format, args...)))
		}
		switch {
		case p.Name == "":
			bad("name", "is missing")
		case names[p.Name]:
			bad("name", "%q is used twice", p.Name)
		}
		names[p.Name] = true
		if len(p.Targets) == 0 {
			bad("targets", "is missing: name the parameter paths or policy fields it sets")
		}
		switch p.Mode {
		case "":
			p.Mode = ModeSet
		case ModeSet, ModeFactor:
		default:
			bad("mode", "%q: want set or factor", p.Mode)
		}
		switch {
		case math.IsNaN(p.Min) || math.IsNaN(p.Max) || !(p.Min < p.Max):
			bad("max", "bounds [%g, %g]: want min < max", p.Min, p.Max)
		case p.Log && p.Min <= 0:
			bad("min", "%g: a log-scale parameter needs min > 0", p.Min)
		case p.Start != nil && (*p.Start < p.Min || *p.Start > p.Max):
			bad("start", "%g is outside [%g, %g]", *p.Start, p.Min, p.Max)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &s, nil
}

// lineOf returns the line of key in the index-th [[table]] element (index
// ≥ 0) or in the [table] table (index −1) of a TOML text, else the line of
// the table's header, else 0. It serves error messages only.
func lineOf(data []byte, table string, index int, key string) int {
	sc := bufio.NewScanner(bytes.NewReader(data))
	line, elem, header := 0, -1, 0
	in := false
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(t, "[") {
			h := strings.Trim(t, "[] ")
			if i := strings.IndexAny(h, "]#"); i >= 0 {
				h = strings.TrimSpace(h[:i])
			}
			in = false
			if h == table {
				if index < 0 {
					in, header = true, line
				} else if strings.HasPrefix(t, "[[") {
					elem++
					if elem == index {
						in, header = true, line
					}
				}
			}
			continue
		}
		if !in || key == "" {
			continue
		}
		if k, _, ok := strings.Cut(t, "="); ok && strings.Trim(strings.TrimSpace(k), `"`) == key {
			return line
		}
	}
	return header
}

// bound is a parameter bound to a scenario: its targets and their values
// in the scenario as given.
type bound struct {
	Param
	targets []*target
	orig    [][]float64 // per target, per entry
	start   float64
	integer bool
}

// bind resolves the spec's parameters against sc.
func (s *Spec) bind(sc *scenario.Scenario) ([]*bound, error) {
	var errs []error
	var out []*bound
	for i := range s.Params {
		p := s.Params[i]
		b := &bound{Param: p}
		integer := true
		for _, txt := range p.Targets {
			t, err := parseTarget(sc, txt)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: param %s: %w", s.File, p.Name, err))
				continue
			}
			v, err := t.get(sc)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: param %s: %w", s.File, p.Name, err))
				continue
			}
			b.targets = append(b.targets, t)
			b.orig = append(b.orig, v)
			integer = integer && t.kind == scenario.Integer
		}
		if len(b.targets) != len(p.Targets) {
			continue
		}
		b.integer = integer && p.Mode == ModeSet
		switch {
		case p.Start != nil:
			b.start = *p.Start
		case p.Mode == ModeFactor:
			b.start = 1
		default:
			b.start = b.orig[0][0]
		}
		if b.start < p.Min || b.start > p.Max {
			errs = append(errs, fmt.Errorf("%s: param %s: the starting value %g is outside [%g, %g]; widen the bounds or give start", s.File, p.Name, b.start, p.Min, p.Max))
		}
		out = append(out, b)
	}
	// No number may be set by two parameters.
	seen := map[string]string{}
	for _, b := range out {
		for _, t := range b.targets {
			keys := []string{t.path}
			if t.path == "" {
				keys = keys[:0]
				for _, e := range t.entries {
					keys = append(keys, fmt.Sprintf("policy[%d].%s", e, t.field))
				}
			}
			for _, k := range keys {
				if other, dup := seen[k]; dup && other != b.Name {
					errs = append(errs, fmt.Errorf("%s: params %s and %s both set %s", s.File, other, b.Name, t.text))
				}
				seen[k] = b.Name
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// apply gives sc the values x (one per bound parameter, natural units),
// each target's value rounded as it would be written (see Edits), so that
// the scenario evaluated is the scenario written.
func apply(sc *scenario.Scenario, bs []*bound, x []float64) error {
	for i, b := range bs {
		for j, t := range b.targets {
			if err := t.set(sc, b.values(j, x[i])); err != nil {
				return fmt.Errorf("param %s: %w", b.Name, err)
			}
		}
	}
	return nil
}
