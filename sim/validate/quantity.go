package validate

import (
	"fmt"
	"strings"
	"time"

	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/scenario"
)

// Quantity is a simulated quantity, as an [[observed]] entry or a check
// names it.
type Quantity struct {
	// Kind is "flow", "arrivals", a node stock variable (present, waiting,
	// stranded, unmet_need, aid_served, beds_served) when Node is set, or
	// else the name of a totals column (see sim.TotalColumns). Two more
	// kinds name the scenario's watched crossing: "crossing_north" and
	// "crossing_south" (the [report] edges).
	Kind string
	// Edges are the edge ids summed for a flow.
	Edges []string
	// Node is the node id of arrivals or a stock variable.
	Node string
}

// QuantityOf returns the quantity an [[observed]] entry measures.
func QuantityOf(o scenario.Observed) Quantity {
	return Quantity{Kind: o.Quantity, Edges: o.Edges, Node: o.Node}
}

// String describes q in a few words.
func (q Quantity) String() string {
	switch {
	case q.Kind == "flow":
		return "persons starting along " + strings.Join(q.Edges, " + ")
	case q.Kind == "arrivals":
		return "persons arriving at " + q.Node
	case q.Node != "":
		return q.Kind + " at " + q.Node
	}
	return q.Kind
}

// nodeVariables are the stock variables of a node a quantity may name.
var nodeVariables = map[string]func(sim.Stock) float64{
	"present":     func(s sim.Stock) float64 { return float64(s.Present) },
	"waiting":     func(s sim.Stock) float64 { return float64(s.Waiting) },
	"stranded":    func(s sim.Stock) float64 { return float64(s.Stranded) },
	"arrivals":    func(s sim.Stock) float64 { return float64(s.Arrivals) },
	"unmet_need":  func(s sim.Stock) float64 { return float64(s.UnmetNeed) },
	"aid_served":  func(s sim.Stock) float64 { return float64(s.MealsServed) },
	"beds_served": func(s sim.Stock) float64 { return float64(s.BedsServed) },
}

// IsState reports whether q is a state (a stock at the end of each day:
// persons present or waiting at a node, or a totals column that counts
// persons in a state) rather than an event counted during each day. A
// state is aggregated to a period by its value on the period's last day;
// an event by its sum over the period's days.
func (q Quantity) IsState() bool {
	switch q.Kind {
	case "flow", "arrivals", "crossing_north", "crossing_south", "unmet_need", "aid_served", "beds_served":
		return false
	}
	if q.Node != "" {
		return true // present, waiting, stranded at a node
	}
	for t := sim.TotAtHome; t <= sim.TotDead; t++ {
		if sim.TotalColumns[t] == q.Kind {
			return true
		}
	}
	return false
}

// Daily returns the simulated value of q on each day of r, in persons.
func Daily(r *sim.Result, q Quantity) ([]float64, error) {
	out := make([]float64, r.Days)
	switch q.Kind {
	case "flow", "crossing_north", "crossing_south":
		var idx []int
		switch q.Kind {
		case "crossing_north":
			idx = r.Northbound
		case "crossing_south":
			idx = r.Southbound
		}
		for _, id := range q.Edges {
			i := edgeIndex(r, id)
			if i < 0 {
				return nil, fmt.Errorf("%s: the run has no edge %q", q, id)
			}
			idx = append(idx, i)
		}
		if len(idx) == 0 {
			return nil, fmt.Errorf("%s: no edges to sum", q)
		}
		for d := 0; d < r.Days && d < len(r.Flows); d++ {
			var s int64
			for _, e := range idx {
				s += r.Flows[d][e]
			}
			out[d] = float64(s)
		}
		return out, nil
	}
	if q.Node != "" || q.Kind == "arrivals" {
		get, ok := nodeVariables[q.Kind]
		if !ok {
			return nil, fmt.Errorf("quantity %q at node %s: a node has present, waiting, stranded, arrivals, unmet_need, aid_served and beds_served", q.Kind, q.Node)
		}
		n := nodeIndex(r, q.Node)
		if n < 0 {
			return nil, fmt.Errorf("%s: the run has no node %q", q, q.Node)
		}
		for d := 0; d < r.Days && d < len(r.Stocks); d++ {
			out[d] = get(r.Stocks[d][n])
		}
		return out, nil
	}
	for t, name := range sim.TotalColumns {
		if name != q.Kind {
			continue
		}
		for d := 0; d < r.Days && d < len(r.Totals); d++ {
			out[d] = r.Totals[d][t]
		}
		return out, nil
	}
	return nil, fmt.Errorf("quantity %q: want flow, arrivals, crossing_north, crossing_south, a node variable with a node, or a totals column (%s)", q.Kind, strings.Join(sim.TotalColumns[:], ", "))
}

func edgeIndex(r *sim.Result, id string) int {
	for i, e := range r.Edges {
		if e.ID == id {
			return i
		}
	}
	return -1
}

func nodeIndex(r *sim.Result, id string) int {
	for i, n := range r.Nodes {
		if n.ID == id {
			return i
		}
	}
	return -1
}

// dayOf returns the day index of date t in a run starting on start.
func dayOf(start, t time.Time) int {
	return int(t.Sub(start).Hours() / 24)
}

// Aggregate returns the simulated value of each period of s from the daily
// series daily of a run starting on start: the sum over the period's days
// for an event, the value on its last day for a state. ok[i] is false for a
// period the run does not cover entirely.
func Aggregate(daily []float64, start time.Time, s *Series, state bool) (vals []float64, ok []bool) {
	vals = make([]float64, len(s.Periods))
	ok = make([]bool, len(s.Periods))
	for i, p := range s.Periods {
		lo, hi := dayOf(start, p), dayOf(start, s.PeriodEnd(p))
		if lo < 0 || hi >= len(daily) {
			continue
		}
		ok[i] = true
		if state {
			vals[i] = daily[hi]
			continue
		}
		for d := lo; d <= hi; d++ {
			vals[i] += daily[d]
		}
	}
	return vals, ok
}

// Months returns the calendar months a run of days days from start covers
// entirely, as a monthly series of zeros (a frame for Aggregate).
func Months(start time.Time, days int) *Series {
	s := &Series{Monthly: true}
	end := start.AddDate(0, 0, days-1)
	p := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
	if !p.Equal(start) {
		p = p.AddDate(0, 1, 0)
	}
	for ; !p.AddDate(0, 1, -1).After(end); p = p.AddDate(0, 1, 0) {
		s.Periods = append(s.Periods, p)
		s.Values = append(s.Values, 0)
	}
	return s
}
