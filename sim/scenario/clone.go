package scenario

import (
	"maps"
	"slices"
)

// Clone returns a deep copy of s that shares nothing mutable with it:
// changing the copy's parameters, slices, maps or policies leaves s as it
// was. (The record of where keys are written, which never changes, is
// shared.)
func (s *Scenario) Clone() *Scenario {
	c := *s
	c.Include = slices.Clone(s.Include)
	c.Behaviour.Cite = maps.Clone(s.Behaviour.Cite)
	c.Border.US.Cite = maps.Clone(s.Border.US.Cite)
	c.Nodes = slices.Clone(s.Nodes)
	for i := range c.Nodes {
		c.Nodes[i].Cite = maps.Clone(c.Nodes[i].Cite)
	}
	c.Edges = slices.Clone(s.Edges)
	for i := range c.Edges {
		c.Edges[i].Cite = maps.Clone(c.Edges[i].Cite)
	}
	c.Origins = slices.Clone(s.Origins)
	for i := range c.Origins {
		c.Origins[i].Cite = maps.Clone(c.Origins[i].Cite)
	}
	c.Policies = slices.Clone(s.Policies)
	for i := range c.Policies {
		p := &c.Policies[i]
		if p.Scale != nil {
			v := *p.Scale
			p.Scale = &v
		}
		if p.Ramp != nil {
			r := *p.Ramp
			p.Ramp = &r
		}
		p.Set = cloneValue(p.Set)
	}
	c.Report.Northbound = slices.Clone(s.Report.Northbound)
	c.Report.Southbound = slices.Clone(s.Report.Southbound)
	c.Observed = slices.Clone(s.Observed)
	for i := range c.Observed {
		c.Observed[i].Edges = slices.Clone(c.Observed[i].Edges)
	}
	c.overrides = maps.Clone(s.overrides)
	return &c
}

// ParamsOnly returns a deep copy of s's parameters alone: the graph, the
// origins, behaviour, the border and the calendar, without citations,
// policies, includes, report or observed series. Parameters can be read,
// set and scaled on it as on s; it is cheaper to clone (the citations'
// maps are most of a scenario's copy), for a caller that recomputes
// parameters often, as the engine does on every day a policy ramps.
func (s *Scenario) ParamsOnly() *Scenario {
	c := *s
	c.Include, c.Policies, c.Observed = nil, nil, nil
	c.Report = Report{}
	c.Behaviour.Cite, c.Border.US.Cite = nil, nil
	c.Nodes = slices.Clone(s.Nodes)
	for i := range c.Nodes {
		c.Nodes[i].Cite = nil
	}
	c.Edges = slices.Clone(s.Edges)
	for i := range c.Edges {
		c.Edges[i].Cite = nil
	}
	c.Origins = slices.Clone(s.Origins)
	for i := range c.Origins {
		c.Origins[i].Cite = nil
	}
	c.overrides = maps.Clone(s.overrides)
	return &c
}

// cloneValue deep-copies a policy's Set value. After loading it is a
// number, bool, string or Dist (copied with the interface); a scenario built
// in code might hold a map or slice.
func cloneValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = cloneValue(e)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneValue(e)
		}
		return out
	case *Dist:
		if x == nil {
			return x
		}
		d := *x
		return &d
	}
	return v
}
