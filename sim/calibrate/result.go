package calibrate

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/migsim/migsim/sim/scenario"
)

// Params returns the calibrated parameters as declared (defaults filled
// in), in order.
func (p *Problem) Params() []Param {
	out := make([]Param, len(p.params))
	for i, b := range p.params {
		out[i] = b.Param
	}
	return out
}

// Series returns the names of the fitted observed series.
func (p *Problem) Series() []string {
	var out []string
	for _, t := range p.targets {
		out = append(out, t.Name)
	}
	return out
}

// FirstPeriod returns the first fitted observed period.
func (p *Problem) FirstPeriod() time.Time {
	var first time.Time
	for _, t := range p.targets {
		if f := t.Series.Periods[0]; first.IsZero() || f.Before(first) {
			first = f
		}
	}
	return first
}

// values returns what each target of parameter i holds at value v.
func (b *bound) values(j int, v float64) []float64 {
	vals := slices.Clone(b.orig[j])
	for e := range vals {
		if b.Mode == ModeFactor {
			vals[e] *= v
		} else {
			vals[e] = v
		}
		if b.targets[j].kind == scenario.Integer {
			vals[e] = math.Round(vals[e])
		} else {
			vals[e] = Round4(vals[e])
		}
	}
	return vals
}

// Edits returns the edits that write the values x into the scenario's
// text: every target's value, rounded as FormatValue writes it.
func (p *Problem) Edits(x []float64) ([]Edit, error) {
	if len(x) != len(p.params) {
		return nil, fmt.Errorf("calibrate: %d values for %d parameters", len(x), len(p.params))
	}
	var out []Edit
	for i, b := range p.params {
		for j, t := range b.targets {
			out = append(out, Edit{Target: t.text, Values: b.values(j, x[i]), Integer: t.kind == scenario.Integer})
		}
	}
	return out, nil
}

// Verify checks that sc (the calibrated scenario read back) holds the
// values x wrote, to the precision they were written with.
func (p *Problem) Verify(sc *scenario.Scenario, x []float64) error {
	for i, b := range p.params {
		for j, txt := range b.Targets {
			t, err := parseTarget(sc, txt)
			if err != nil {
				return fmt.Errorf("param %s: %w", b.Name, err)
			}
			got, err := t.get(sc)
			if err != nil {
				return fmt.Errorf("param %s: %w", b.Name, err)
			}
			want := b.values(j, x[i])
			if len(got) != len(want) {
				return fmt.Errorf("param %s: %s has %d values, want %d", b.Name, txt, len(got), len(want))
			}
			for e := range want {
				if math.Abs(got[e]-want[e]) > 1e-9*math.Abs(want[e]) {
					return fmt.Errorf("param %s: %s reads back as %g, want %g", b.Name, txt, got[e], want[e])
				}
			}
		}
	}
	return nil
}
