package sim

import "math"

// Spilling over to another boat: when the edge a person asked a seat on is
// full today, the person takes a seat left free on another seat edge out of
// the same node (another boat company, another landing), if that way to the
// goal costs, in the generalized cost of route choice (route.go), no more
// than one more day's wait on the full edge — value_of_time more — and the
// person can pay its fare. Route choice alone would send everyone at a node
// to the one best edge, so a second boat of equal cost would never sail
// while people wait for the first.
//
// The free seats of a node go to those left without a seat there in the
// order of the seats themselves (capacity.go): who arrived at the node
// first, a seeded lottery among those who came on the same day (the node's
// stream for the day); each takes the free edge of least generalized cost
// to its goal (the lower edge index on a tie), boarding after the edge's own
// passengers. Those for whom no free edge is acceptable keep waiting, and
// so do those further back in line.

// spillTarget reports whether seat edge e, with no requests today, may take
// the requests of a full edge out of the same node: it is a limited seat
// edge and some other limited edge out of its node has requests (start
// holds where each edge's requests begin).
func (m *Model) spillTarget(e int, start []int32) bool {
	ep := &m.params[0].edges[e]
	if !ep.open || ep.capacity <= 0 {
		return false
	}
	for _, f := range m.w.outEdges[m.w.from[e]] {
		if int(f) != e && m.params[0].edges[f].capacity > 0 && start[f+1] > start[f] {
			return true
		}
	}
	return false
}

// spill gives the free seats of today's desks to those their nodes' full
// edges left without one (sequential: node by node, in the order of their
// first edges).
func (m *Model) spill(d int, desks []*seatDesk) {
	for _, k := range desks {
		k.spilled = false
	}
	for _, k := range desks {
		if k.spilled || len(k.left) == 0 {
			continue
		}
		node := m.w.from[k.e]
		// The node's desks and how many seats are free; then, if some are,
		// who is left.
		same := m.spillDesks[:0]
		free := 0
		for _, o := range desks {
			if m.w.from[o.e] != node {
				continue
			}
			o.spilled = true
			same = append(same, o)
			if o.seats == math.MaxInt {
				free = math.MaxInt
			} else if free != math.MaxInt {
				free += o.seats - len(o.passengers)
			}
		}
		m.spillDesks = same
		if free <= 0 || len(same) < 2 {
			continue
		}
		left := trim(m.spillLeft)
		for _, o := range same {
			left = append(left, o.left...)
		}
		m.spillLeft = left
		// The passengers' lists are the desks' own from here on.
		for _, o := range same {
			o.own = append(o.own[:0], o.passengers...)
			o.passengers = o.own
		}
		line := m.spillLot.firstInLine(m.seed, m.active, left, min(free, len(left)), entitySpill+uint64(node), d, m.forEach)
		var touched int32
		for i, r := range line {
			if i+lookahead < len(line) {
				// The record a few places ahead, read now so that the
				// cache misses of a long line overlap (as in draw).
				touched += m.active[line[i+lookahead].pos].id
			}
			if o := m.bestSpill(r, same); o != nil {
				r.e = o.e
				o.passengers = append(o.passengers, r)
				o.own = o.passengers
			}
		}
		m.spillLot.touched += touched
	}
}

// bestSpill returns the desk, among those of the node, with a free seat
// that the person of request r (left without a seat on edge r.e) takes, or
// nil.
func (m *Model) bestSpill(r seatRequest, same []*seatDesk) *seatDesk {
	s := &m.active[r.pos]
	grp := &m.w.groups[s.group]
	ps := m.params[1+grp.nat]
	rt := m.routes[1+grp.nat]
	t := m.w.target(grp, s.goal)
	cost := func(e int16) float64 { return rt.general[e] + rt.bestCost[t][m.w.to[e]] }
	limit := cost(r.e) + ps.behaviour.ValueOfTime
	var best *seatDesk
	bestCost := math.Inf(1)
	for _, o := range same {
		if o.e == r.e || len(o.passengers) >= o.seats || !ps.edges[o.e].open ||
			float64(s.budget) < rt.fare[o.e] {
			continue
		}
		if c := cost(o.e); c <= limit && c < bestCost {
			best, bestCost = o, c
		}
	}
	return best
}
