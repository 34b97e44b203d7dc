package calibrate

import (
	"fmt"
	"math"
	"strings"

	"github.com/migsim/migsim/sim/scenario"
)

// A target is one number of a scenario that a parameter sets:
//
//	<parameter path>                   a scenario parameter, e.g.
//	                                   origin.hti_chile.base_rate or
//	                                   edge.x.cost.median
//	policy.<name>.<field>              every entry of the named policy
//	policy.<name>[<path>].<field>      the entry of that policy whose path is
//	                                   <path>
//
// where <field> is set, scale, ramp.to or ramp.days (a whole number of
// days, rounded).
type target struct {
	text   string // as written
	path   string // the scenario parameter path ("" for a policy)
	policy string // the policy name
	sel    string // the policy entry's path, or "" for every entry
	field  string // set, scale, ramp.to or ramp.days
	kind   scenario.ParamKind
	// entries are the indices in Scenario.Policies of the policy entries.
	entries []int
}

// parseTarget resolves a target against sc.
func parseTarget(sc *scenario.Scenario, text string) (*target, error) {
	t := &target{text: text}
	rest, ok := strings.CutPrefix(text, "policy.")
	if !ok {
		k, err := sc.ParamKind(text)
		if err != nil {
			return nil, err
		}
		switch k {
		case scenario.Number, scenario.Integer:
		case scenario.Distribution:
			return nil, fmt.Errorf("%s is a distribution parameter: only numbers can be calibrated; name a part of it, such as %s.median", text, text)
		default:
			return nil, fmt.Errorf("%s is a %s parameter: only numbers can be calibrated", text, k)
		}
		if strings.HasPrefix(text, "scenario.") {
			return nil, fmt.Errorf("%s: the scenario's seed and scale are not calibrated", text)
		}
		t.path, t.kind = text, k
		return t, nil
	}
	var name, field string
	if i := strings.IndexByte(rest, '['); i >= 0 {
		j := strings.Index(rest, "].")
		if j < i {
			return nil, fmt.Errorf("%s: want policy.<name>[<path>].<field>", text)
		}
		name, t.sel, field = rest[:i], rest[i+1:j], rest[j+2:]
	} else {
		var ok bool
		name, field, ok = strings.Cut(rest, ".")
		if !ok {
			return nil, fmt.Errorf("%s: want policy.<name>.<field>, field set, scale, ramp.to or ramp.days", text)
		}
	}
	if field != "set" && field != "scale" && field != "ramp.to" && field != "ramp.days" {
		return nil, fmt.Errorf("%s: field %q: want set, scale, ramp.to or ramp.days", text, field)
	}
	t.policy, t.field, t.kind = name, field, scenario.Number
	named := false
	for i, p := range sc.Policies {
		if p.Name != name {
			continue
		}
		named = true
		if t.sel != "" && p.Path != t.sel {
			continue
		}
		if _, ok := policyValue(&p, field); !ok {
			return nil, fmt.Errorf("%s: policy %s on %s has no numeric %s", text, name, p.Path, field)
		}
		t.entries = append(t.entries, i)
	}
	switch {
	case !named:
		return nil, fmt.Errorf("%s: no policy is named %q", text, name)
	case len(t.entries) == 0:
		return nil, fmt.Errorf("%s: policy %s has no entry with path %s", text, name, t.sel)
	}
	if field == "ramp.days" {
		t.kind = scenario.Integer
	}
	if field == "set" {
		// A set value takes the kind of the parameter it sets.
		k, err := sc.ParamKind(sc.Policies[t.entries[0]].Path)
		if err == nil && k == scenario.Integer {
			t.kind = scenario.Integer
		}
	}
	return t, nil
}

// policyValue returns the numeric value of a policy's field.
func policyValue(p *scenario.Policy, field string) (float64, bool) {
	switch field {
	case "set":
		switch v := p.Set.(type) {
		case float64:
			return v, true
		case int64:
			return float64(v), true
		}
	case "scale":
		if p.Scale != nil {
			return *p.Scale, true
		}
	case "ramp.to":
		if p.Ramp != nil {
			return p.Ramp.To, true
		}
	case "ramp.days":
		if p.Ramp != nil {
			return float64(p.Ramp.Days), true
		}
	}
	return 0, false
}

// get returns the target's current values (one per policy entry, or one
// for a scenario parameter).
func (t *target) get(sc *scenario.Scenario) ([]float64, error) {
	if t.path != "" {
		v, err := sc.Number(t.path)
		if err != nil {
			return nil, err
		}
		return []float64{v}, nil
	}
	out := make([]float64, len(t.entries))
	for j, i := range t.entries {
		v, ok := policyValue(&sc.Policies[i], t.field)
		if !ok {
			return nil, fmt.Errorf("%s: policy entry %d has no numeric %s", t.text, i, t.field)
		}
		out[j] = v
	}
	return out, nil
}

// set gives the target the values vals (one per entry, as get returns),
// rounding whole-number parameters.
func (t *target) set(sc *scenario.Scenario, vals []float64) error {
	if t.kind == scenario.Integer {
		for i := range vals {
			vals[i] = math.Round(vals[i])
		}
	}
	if t.path != "" {
		return sc.SetParam(t.path, vals[0])
	}
	for j, i := range t.entries {
		p := &sc.Policies[i]
		v := vals[j]
		switch t.field {
		case "set":
			p.Set = v
		case "scale":
			p.Scale = &v
		case "ramp.to":
			r := *p.Ramp
			r.To = v
			p.Ramp = &r
		case "ramp.days":
			r := *p.Ramp
			r.Days = int(v)
			p.Ramp = &r
		}
	}
	return nil
}
