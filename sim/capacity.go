package sim

import (
	"math"
	"sort"

	"github.com/migsim/migsim/sim/rng"
)

// Capacities: an edge with capacity > 0 (the boats from Necoclí, say)
// carries at most that many persons a day; the rest wait at its start. Seats
// go first to those who have waited longest at the node (earliest arrival
// day), ties broken by a seeded lottery, so the allocation is deterministic
// whatever the order in which requests were made. Boat edges (boat_size > 0)
// pack the day's passengers into boats in that same order; each boat
// capsizes as a whole with chance capsize_risk (risk.go). Capacities are in
// persons and thinned with the scenario's scale, the fraction carried over
// from day to day so no capacity is lost to rounding.

// move is an agent starting along an edge.
type move struct {
	a int32
	e int16
}

// seatRequest is an agent asking for a seat on a limited or boat edge.
type seatRequest struct {
	key   uint64 // lottery ticket
	a     int32
	e     int16
	since uint16 // arrival day at the node: earlier first
}

// carry converts a daily capacity in persons to today's whole number of
// agents, keeping the fractional remainder in *acc for the next day.
func (m *Model) carry(acc *float64, persons float64) int {
	if persons <= 0 {
		*acc = 0
		return 0
	}
	x := persons*m.w.scale + *acc
	n := math.Floor(x)
	*acc = x - n
	return int(n)
}

// resolveSeats allocates the day's seats and sends the boats off.
func (m *Model) resolveSeats(d int) {
	reqs := m.seatBuf[:0]
	for _, c := range m.chunks[:m.nchunks] {
		reqs = append(reqs, c.seats...)
	}
	sort.Slice(reqs, func(i, j int) bool {
		x, y := &reqs[i], &reqs[j]
		if x.e != y.e {
			return x.e < y.e
		}
		if x.since != y.since {
			return x.since < y.since
		}
		if x.key != y.key {
			return x.key < y.key
		}
		return x.a < y.a
	})
	common := m.params[0]
	for i := 0; i < len(reqs); {
		e := reqs[i].e
		j := i
		for j < len(reqs) && reqs[j].e == e {
			j++
		}
		group := reqs[i:j]
		ep := &common.edges[e]
		admit := len(group)
		if ep.capacity > 0 {
			if n := m.carry(&m.capCarry[e], ep.capacity); n < admit {
				admit = n
			}
		}
		for _, r := range group[admit:] {
			m.ag.wait[r.a] = waitSeat
		}
		m.board(d, e, group[:admit])
		i = j
	}
	m.seatBuf = reqs
}

// board sends admitted passengers off, in boats if the edge is a boat edge.
func (m *Model) board(d int, e int16, admitted []seatRequest) {
	ep := &m.params[0].edges[e]
	size := len(admitted)
	if ep.boatSize > 0 {
		size = int(math.Max(1, math.Round(ep.boatSize*m.w.scale)))
	}
	s := rng.New(m.seed, entityBoat+uint64(e), d, purposeCapsize)
	for lo := 0; lo < len(admitted); lo += size {
		hi := lo + size
		if hi > len(admitted) {
			hi = len(admitted)
		}
		boat := admitted[lo:hi]
		if ep.boatSize > 0 && s.Bernoulli(ep.capsizeRisk) {
			m.capsize(d, ep, boat)
			continue
		}
		for _, r := range boat {
			m.ag.wait[r.a] = waitNone
			m.seatMoves = append(m.seatMoves, move{a: r.a, e: e})
		}
	}
}
