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
func (m *Model) capsize(k *seatDesk, d int, ep *edgeParams, boat []seatRequest) {
	t := &k.ev
	// Capsizes are counted in thousandths of a real boat: one boat at full
	// scale; with thinning, the persons aboard over the boat size.
	if m.w.personsPer == 1 {
		t[TotCapsizes] += 1000
	} else {
		t[TotCapsizes] += int64(math.Round(1000 * float64(len(boat)*int(m.w.personsPer)) / ep.boatSize))
	}
	for _, q := range boat {
		p := &m.active[q.pos]
		s := rng.New(m.seed, uint64(p.id), d, purposeCapsizeDeath)
		if s.Bernoulli(ep.capsizeFatality) {
			m.ag.die(p.id, &m.cbpQ)
			p.wait = waitGone
			k.dead = append(k.dead, q.pos)
			t[TotDied]++
			t[TotDiedCapsize]++
			t[TotDead]++
			continue
		}
		p.wait = waitSeat
		p.fail()
	}
}

// arrive ends the journeys due today, in parallel over chunks of the day's
// arrivals, and appends those now standing at a node to out, with their
// records, in the order the journeys were started.
func (m *Model) arrive(d int, out []slot) []slot {
	due := m.pending[d]
	m.pending[d] = nil
	total := 0
	for _, p := range due {
		total += len(p)
	}
	if total == 0 {
		return out
	}
	m.travelling -= int64(total)
	cs := m.cutJourneys(due, total)
	m.each(cs, func(c *chunk) {
		// The risk blocks of each batch of arrivals are drawn at once.
		var ids [batch]uint32
		var risk [batch][4]uint32
		list := c.list[c.lo:c.hi]
		for lo := 0; lo < len(list); lo += batch {
			hi := min(lo+batch, len(list))
			for i := lo; i < hi; i++ {
				ids[i-lo] = uint32(list[i].id)
			}
			blocksOf(m.seed, ids[:hi-lo], d, purposeEdgeRisk, func(j int, b [4]uint32) { risk[j] = b })
			for i := lo; i < hi; i++ {
				if m.arriveOne(c, &list[i], d, &risk[i-lo]) {
					list[c.n] = list[i]
					c.n++
				}
			}
		}
	})
	// Those still at a node join the list, chunk after chunk: each chunk's
	// place is known, so the records are copied in parallel.
	base, at := len(out), m.arrAt[:0]
	n := 0
	for _, c := range cs {
		at = append(at, base+n)
		n += c.n
		m.dayTally.absorb(c)
	}
	m.arrAt = at
	out = grown(m, out, n)[:base+n]
	m.forEach(len(cs), n, func(i int) {
		c := cs[i]
		copy(out[at[i]:], c.list[c.lo:c.lo+c.n])
	})
	for _, c := range cs {
		c.list = nil
	}
	for _, p := range due {
		m.keepSpare(p)
	}
	return out
}

// cutJourneys cuts the arrays of the journeys due, total in all, into
// chunks of the arrivals, each within one array, of chunkSize(total)
// entries or fewer, in order.
func (m *Model) cutJourneys(due journeys, total int) []*chunk {
	size := chunkSize(total)
	k := 0
	for _, p := range due {
		k += (len(p) + size - 1) / size
	}
	cs := m.takeChunks(&m.arrPool, k)
	i := 0
	for _, p := range due {
		for lo := 0; lo < len(p); lo += size {
			c := cs[i]
			c.list, c.lo, c.hi = p, lo, min(lo+size, len(p))
			i++
		}
	}
	return cs
}

// arriveOne ends the journey of the agent of slot s on day d, tallying in
// chunk c, and reports whether the agent is now at a node; risk is its
// block (seed, agent, d, purposeEdgeRisk).
func (m *Model) arriveOne(c *chunk, s *slot, d int, risk *[4]uint32) bool {
	ag := &m.ag
	r, a := &s.agent, s.id
	e := r.node // the edge, while travelling
	grp := &m.w.groups[r.group]
	ep := &m.params[1+grp.nat].edges[e]
	w := risk
	r.since = uint16(d)
	r.wait = waitNone
	if chance(w[0], ep.deathRisk) {
		ag.die(a, &m.cbpQ)
		c.ev[TotDied]++
		c.ev[TotDead]++
		return false
	}
	if chance(w[1], ep.interception) {
		c.ev[TotIntercepted]++
		r.fail()
		if ep.interceptToOrigin {
			m.sendHome(c, r, a)
			return false
		}
		r.node = int16(m.w.from[e])
		ag.state[a] = stAtNode
		return true
	}
	if chance(w[2], ep.robRisk) {
		c.ev[TotRobbed]++
		lost := float64(r.budget) * ep.robLoss
		c.ev[TotLostToCrime] += cents(r.pay(lost))
	}
	n := m.w.to[e]
	r.node = int16(n)
	ag.state[a] = stAtNode
	c.nodes[n].arrivals++
	if n == m.w.goalNode(grp, r.goal) {
		m.settle(c, r, a)
		return false
	}
	return true
}

// setOff starts the agent of slot s, at pos in the active list, along edge
// e on day d, tallying in chunk c: it pays the fare and draws the duration,
// from tw, the agent's block (seed, agent, d, purposeTravel), if not nil;
// commitMoves files the journey, with the record, under its arrival day.
func (m *Model) setOff(c *chunk, s *slot, pos int32, e int16, d int, tw *[4]uint32) {
	r, a := &s.agent, s.id
	grp := &m.w.groups[r.group]
	ep := &m.params[1+grp.nat].edges[e]
	cost, duration := pair(&ep.cost, &ep.duration, tw, m.seed, uint64(a), d, purposeTravel)
	c.ev[m.w.spend[e].total()] += cents(r.pay(cost))
	days := int(duration + 0.5)
	if days < 1 {
		days = 1
	}
	m.ag.state[a] = stTravel
	r.node = e // the edge, while travelling
	r.wait = waitGone
	c.moves = append(c.moves, move{pos: pos, due: int32(min(d+days, math.MaxInt32))})
	c.flows[e]++
}
