package sim

import (
	"math"

	"github.com/migsim/migsim/sim/rng"
)

// Risk. On arriving at the end of an edge a traveller may turn out to have
// died on the way (death_risk: the Darién trek), to have been stopped by
// enforcement (interception: sent back to the edge's start, or removed to the
// origin if interception_to = "origin") or robbed (robbery_risk, losing
// robbery_loss of the money). Boats capsize as a whole (capsize_risk per
// boat); capsize_fatality of the passengers die, the others are rescued and
// put back where they boarded. At nodes, people are robbed or kidnapped for
// ransom at the node's daily risks (aid.go applies these overnight).
// Deportation flights remove people heading north from a node to their
// origin, deport_flights_per_week × deport_seats_per_flight a week (aid.go
// allocates the seats overnight with the other per-node capacities).

// capsize sinks one boat of passengers at the start of edge e.
func (m *Model) capsize(d int, ep *edgeParams, boat []seatRequest) {
	t := &m.dayTally
	// Capsizes are counted in thousandths of a real boat: one boat at full
	// scale; with thinning, the persons aboard over the boat size.
	if m.w.personsPer == 1 {
		t.ev[TotCapsizes] += 1000
	} else {
		t.ev[TotCapsizes] += int64(math.Round(1000 * float64(len(boat)*int(m.w.personsPer)) / ep.boatSize))
	}
	for _, r := range boat {
		s := rng.New(m.seed, uint64(r.a), d, purposeCapsizeDeath)
		if s.Bernoulli(ep.capsizeFatality) {
			m.ag.state[r.a] = stDead
			t.ev[TotDied]++
			t.ev[TotDiedCapsize]++
			t.ev[TotDead]++
			continue
		}
		m.ag.wait[r.a] = waitSeat
		m.ag.fail(r.a)
	}
}

// arrive ends the journeys due today, in the order they were started, and
// appends those now standing at a node to out.
func (m *Model) arrive(d int, out []int32) []int32 {
	ag := &m.ag
	t := &m.dayTally
	for _, a := range m.pending[d] {
		m.travelling--
		e := ag.edge[a]
		grp := &m.w.groups[ag.group[a]]
		ep := &m.params[1+grp.nat].edges[e]
		var w [4]uint32
		if ep.deathRisk > 0 || ep.interception > 0 || ep.robRisk > 0 {
			w = block(m.seed, uint64(a), d, purposeEdgeRisk)
		}
		ag.edge[a] = -1
		ag.since[a] = uint16(d)
		ag.wait[a] = waitNone
		if chance(w[0], ep.deathRisk) {
			ag.state[a] = stDead
			t.ev[TotDied]++
			t.ev[TotDead]++
			continue
		}
		if chance(w[1], ep.interception) {
			t.ev[TotIntercepted]++
			ag.fail(a)
			if ep.interceptToOrigin {
				m.sendHome(t, a)
				continue
			}
			ag.node[a] = int16(m.w.from[e])
			ag.state[a] = stAtNode
			out = append(out, a)
			continue
		}
		if chance(w[2], ep.robRisk) {
			t.ev[TotRobbed]++
			lost := float64(ag.budget[a]) * ep.robLoss
			t.ev[TotLostToCrime] += cents(ag.pay(a, lost))
		}
		n := m.w.to[e]
		ag.node[a] = int16(n)
		ag.state[a] = stAtNode
		t.nodes[n].arrivals++
		if n == m.w.goalNode(grp, ag.goal[a]) {
			m.settle(t, a)
			continue
		}
		out = append(out, a)
	}
	m.pending[d] = nil
	return out
}

// startEdge sets agent a off along edge e on day d: it pays the fare, draws
// the duration and is filed under its arrival day.
func (m *Model) startEdge(a int32, e int16, d int) {
	ag := &m.ag
	grp := &m.w.groups[ag.group[a]]
	ep := &m.params[1+grp.nat].edges[e]
	s := rng.New(m.seed, uint64(a), d, purposeTravel)
	cost := ep.cost.Sample(&s)
	m.dayTally.ev[m.w.spend[e].total()] += cents(ag.pay(a, cost))
	days := int(ep.duration.Sample(&s) + 0.5)
	if days < 1 {
		days = 1
	}
	ag.state[a] = stTravel
	ag.edge[a] = e
	ag.node[a] = int16(m.w.to[e])
	ag.wait[a] = waitNone
	due := d + days
	ag.due[a] = uint16(min(due, 65535))
	m.flows[d][e]++
	m.travelling++
	if due < m.days {
		m.pending[due] = append(m.pending[due], a)
	}
}
