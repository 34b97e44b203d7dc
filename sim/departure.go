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
//	          × (1 + season_amplitude × cos(2π (month(t) − season_peak_month) / 12))
//	          × (belief / initial_belief) ^ departure_elasticity
//
// per person of the remaining pool per day. The day's candidates are a
// Poisson draw with mean pool × rate; each draws a budget, and leaves only if
// the budget covers min_budget_share of the cheapest route to the goal (so
// policies that raise costs lower the inflow). Those who cannot afford it
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
	for g := range m.w.groups {
		n := counts[g]
		if n == 0 {
			continue
		}
		grp := &m.w.groups[g]
		op := &m.natSet(grp.nat).origins[g]
		gl := goalUS
		tgt := 0
		if grp.goalElsewhere {
			gl = goalElsewhere
			tgt = grp.elseTarget
		}
		rt := m.routes[1+grp.nat]
		need := rt.cheapMoney[tgt][grp.home] * op.minBudgetShare
		if rt.cheapNext[tgt][grp.home] == noRoute {
			continue // nowhere to go today
		}
		bs := rng.New(m.seed, entityOrigin+uint64(g), d, purposeBudget)
		for lo := int64(0); lo < n; lo += budgetWindow {
			for _, budget := range m.drawBudgets(op.budget, &bs, int(min(budgetWindow, n-lo))) {
				if budget < need {
					continue
				}
				m.poolLeft[g]--
				m.dayTally.ev[TotDeparted]++
				out = append(out, m.ag.add(uint8(g), int16(grp.home), gl, float32(budget), float32(m.poolBelief[g]), d))
			}
		}
	}
	return out
}

// budgetWindow is the most budgets drawn at once (into Model.budgets); a
// day when more leave one pool (the synthetic scenario's first) draws them
// window by window.
const budgetWindow = 1 << 17

// budgetPart is the budgets a task of drawBudgets draws.
const budgetPart = 1 << 13

// drawBudgets draws the next n budgets of the stream s from dist, as n
// calls of dist.Sample would, and moves s on past them. A budget takes a
// fixed number of words, so parts of the n are drawn side by side, each
// from a copy of s moved on to its first word (Skip).
func (m *Model) drawBudgets(dist scenario.Dist, s *rng.Stream, n int) []float64 {
	out := grow(m.budgets, n)
	m.budgets = out
	words := uint64(dist.Words())
	m.forEach((n+budgetPart-1)/budgetPart, 16*n, func(i int) {
		part := *s
		part.Skip(uint64(i*budgetPart) * words)
		for j := i * budgetPart; j < min((i+1)*budgetPart, n); j++ {
			out[j] = dist.Sample(&part)
		}
	})
	s.Skip(uint64(n) * words)
	return out
}
