package sim

import (
	"math"

	"github.com/migsim/migsim/sim/rng"
	"github.com/migsim/migsim/sim/scenario"
)

// Departures: each origin group's pool of potential migrants sends people
// on their way at a smooth rate
//
//	rate(t) = base_rate × exp(trend × years since start)
//	          × (1 + season_amplitude × cos(2π (month(t) − season_peak_month) / 12)
//	               + semiannual_amplitude × cos(4π (month(t) − semiannual_peak_month) / 12))
//	          × (belief / initial_belief) ^ departure_elasticity
//
// per person of the remaining pool per day (month(t) counts from 1 on the
// first of January, in fractions of a month; the half-yearly term peaks at
// semiannual_peak_month and six months later, and the season's factor is
// never below 0). The day's candidates are a Poisson draw with mean pool ×
// rate; each draws a budget, and leaves only if the budget covers
// min_budget_share of the cheapest route to the goal (so policies that
// raise costs lower the inflow). Those who cannot afford it
// stay in the pool. The pool's belief follows the news (information.go).
// Policy therefore changes the inflow through beliefs and costs, never by a
// replayed series.

// departureRate returns the daily per-person departure rate of group g.
func (m *Model) departureRate(g int, d int) float64 {
	op := &m.natSet(m.w.groups[g].nat).origins[g]
	if op.baseRate <= 0 {
		return 0
	}
	years := float64(d) / 365.25
	date := m.sc.Meta.Start.AddDate(0, 0, d)
	month := float64(date.Month()) - 1 + float64(date.Day()-1)/31
	season := 1 + op.seasonAmplitude*math.Cos(2*math.Pi*(month-(op.seasonPeak-1))/12)
	if op.semiannualAmplitude != 0 {
		season = max(0, season+op.semiannualAmplitude*math.Cos(4*math.Pi*(month-(op.semiannualPeak-1))/12))
	}
	b0 := m.params[0].behaviour.InitialBelief
	belief := 1.0
	if b0 > 0 {
		belief = math.Pow(m.poolBelief[g]/b0, m.params[0].behaviour.DepartureElasticity)
	}
	return op.baseRate * math.Exp(op.trend*years) * season * belief
}

// depart creates the day's new agents, in group order, and appends their
// slots to out.
func (m *Model) depart(d int, out []slot) []slot {
	// First how many leave each pool (each group has streams of its own, so
	// drawing all the counts first changes no number), to make room for
	// them at once.
	counts := grow(m.departing, len(m.w.groups))
	var total, atHome int64
	for g := range m.w.groups {
		counts[g] = 0
		atHome += m.poolLeft[g]
		if m.poolLeft[g] <= 0 {
			continue
		}
		s := rng.New(m.seed, entityOrigin+uint64(g), d, purposeDeparture)
		n := s.Poisson(float64(m.poolLeft[g]) * m.departureRate(g, d))
		counts[g] = min(n, m.poolLeft[g])
		total += counts[g]
	}
	m.departing = counts
	m.ag.reserve(m, total, atHome)
	out = reserve(m, out, total, atHome)
	// The candidates of each group with a way to go today, in parts.
	parts, cand := m.departParts[:0], 0
	for g := range m.w.groups {
		n := counts[g]
		if n == 0 {
			continue
		}
		grp := &m.w.groups[g]
		op := &m.natSet(grp.nat).origins[g]
		gl, tgt := goalUS, 0
		if grp.goalElsewhere {
			gl, tgt = goalElsewhere, grp.elseTarget
		}
		rt := m.routes[1+grp.nat]
		if rt.cheapNext[tgt][grp.home] == noRoute {
			continue // nowhere to go today
		}
		p := departPart{
			g: uint8(g), home: int16(grp.home), goal: gl, belief: float32(m.poolBelief[g]),
			budget: op.budget, need: rt.cheapMoney[tgt][grp.home] * op.minBudgetShare,
			stream: rng.New(m.seed, entityOrigin+uint64(g), d, purposeBudget),
		}
		for lo := int64(0); lo < n; lo += budgetPart {
			p.first, p.cand, p.n = lo, cand, int(min(budgetPart, n-lo))
			parts = append(parts, p)
			cand += p.n
		}
	}
	m.departParts = parts
	// Those whose budget covers the need leave. Each part writes its
	// leavers at the start of its candidates' places, in parallel; then,
	// part by part in order, its leavers are moved down to just after
	// those of the parts before it (where there were rejected candidates
	// before them), and all are numbered in parallel.
	at := len(out)
	out = out[:at+int(total)]
	m.forEach(len(parts), 16*int(total), func(i int) {
		p := &parts[i]
		s := p.streamAt()
		k := at + p.cand
		for range p.n {
			if budget := p.budget.Sample(&s); budget >= p.need {
				out[k] = slot{agent: agent{budget: float32(budget), belief: p.belief, node: p.home, since: uint16(d), group: p.g, goal: p.goal}}
				k++
			}
		}
		p.left = k - at - p.cand
	})
	left := 0
	for i := range parts {
		p := &parts[i]
		if left != p.cand {
			copy(out[at+left:], out[at+p.cand:at+p.cand+p.left])
		}
		p.at = left
		left += p.left
		m.poolLeft[p.g] -= int64(p.left)
	}
	out = out[:at+left]
	m.dayTally.ev[TotDeparted] += int64(left)
	first := m.ag.extend(left)
	m.forEach(len(parts), 4*left, func(i int) {
		p := &parts[i]
		for k := p.at; k < p.at+p.left; k++ {
			id := first + int32(k)
			out[at+k].id = id
			m.ag.born(id, p.g)
		}
	})
	return out
}

// departPart is a part of one group's candidates to leave on a day: up to
// budgetPart of them, who draw their budgets one after the other from the
// group's stream of the day, and leave if it covers the need.
type departPart struct {
	g      uint8 // the origin group
	home   int16
	goal   goal
	belief float32 // the pool's
	budget scenario.Dist
	need   float64
	stream rng.Stream // the group's budgets of the day, from the first candidate's
	first  int64      // the part's first candidate, in the group's order
	cand   int        // and in the day's order
	n      int        // its candidates
	left   int        // those of them who leave
	at     int        // where the first of them is in the day's leavers
}

// budgetPart is the most candidates in a departPart.
const budgetPart = 1 << 13

// streamAt returns the group's stream of budgets moved on to the part's
// first candidate: a budget takes a fixed number of words, so the part's
// budgets are those that many calls of Sample from the start would draw
// after the candidates before it.
func (p *departPart) streamAt() rng.Stream {
	s := p.stream
	s.Skip(uint64(p.first) * uint64(p.budget.Words()))
	return s
}
