package sim

import (
	"fmt"
	"math"

	"github.com/migsim/migsim/sim/scenario"
)

// Policies are dated changes of parameters. On every day on which a policy
// starts, ends or ramps, the parameters in force are recomputed from the
// base scenario by applying, in file order, every policy active that day:
// once for everybody (the common set, which also holds shared capacities)
// and once per nationality (adding the policies aimed at it).

// schedule knows, for each day, which policies are active.
type schedule struct {
	base     *scenario.Scenario
	policies []scenario.Policy
	start    []int // first day index
	until    []int // first day index no longer active (huge if none)
	rampEnd  []int // first day after the ramp (== start if no ramp)
}

func newSchedule(sc *scenario.Scenario) *schedule {
	s := &schedule{base: sc.ParamsOnly(), policies: sc.Policies}
	for _, p := range sc.Policies {
		st := dayIndex(sc, p.Date)
		un := 1 << 30
		if !p.Until.IsZero() {
			un = dayIndex(sc, p.Until)
		}
		re := st
		if p.Ramp != nil {
			re = st + p.Ramp.Days
		}
		s.start = append(s.start, st)
		s.until = append(s.until, un)
		s.rampEnd = append(s.rampEnd, re)
	}
	return s
}

// dayIndex returns the day index of a date (negative before the start).
func dayIndex(sc *scenario.Scenario, t interface{ Unix() int64 }) int {
	return int((t.Unix() - sc.Meta.Start.Unix()) / 86400)
}

// changes reports whether the parameters in force on day d differ from
// those of day d-1 (always true on day 0).
func (s *schedule) changes(d int) bool {
	if d == 0 {
		return true
	}
	for i := range s.policies {
		if s.start[i] == d || s.until[i] == d || (d > s.start[i] && d < s.rampEnd[i] && d < s.until[i]) {
			return true
		}
	}
	return false
}

// ownActive reports whether a policy aimed at nationality nat is in force
// on day d.
func (s *schedule) ownActive(d int, nat string) bool {
	for i, p := range s.policies {
		if p.Nationality == nat && d >= s.start[i] && d < s.until[i] {
			return true
		}
	}
	return false
}

// effective returns the scenario with the policies active on day d applied:
// nat "" gives the common set, otherwise the set of that nationality.
func (s *schedule) effective(d int, nat string) (*scenario.Scenario, error) {
	sc := s.base.Clone()
	for i, p := range s.policies {
		if d < s.start[i] || d >= s.until[i] {
			continue
		}
		if p.Nationality != "" && p.Nationality != nat {
			continue
		}
		if err := apply(sc, p, d-s.start[i]); err != nil {
			return nil, fmt.Errorf("policy %q (%s): %w", p.Name, p.Path, err)
		}
	}
	return sc, nil
}

// rampFraction is how far along ramp r a policy active for `elapsed` days
// is: min(1, (elapsed + 1) / days).
func rampFraction(r *scenario.Ramp, elapsed int) float64 {
	return min(1, float64(elapsed+1)/float64(r.Days))
}

// apply applies one policy, active for `elapsed` days, to sc.
func apply(sc *scenario.Scenario, p scenario.Policy, elapsed int) error {
	switch {
	case p.Set != nil:
		return sc.SetParam(p.Path, p.Set)
	case p.Scale != nil && p.Ramp != nil:
		// A fading scale: the factor moves from Scale to Ramp.To.
		return sc.ScaleParam(p.Path, *p.Scale+(p.Ramp.To-*p.Scale)*rampFraction(p.Ramp, elapsed))
	case p.Scale != nil:
		return sc.ScaleParam(p.Path, *p.Scale)
	case p.Ramp != nil:
		from, err := sc.Number(p.Path)
		if err != nil {
			return err
		}
		v := from + (p.Ramp.To-from)*rampFraction(p.Ramp, elapsed)
		if kind, err := sc.ParamKind(p.Path); err == nil && kind == scenario.Integer {
			v = math.Round(v) // a ramp of a whole number moves in whole steps
		}
		return sc.SetParam(p.Path, v)
	}
	return fmt.Errorf("policy has no set, scale or ramp")
}
