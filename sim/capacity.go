package sim

import (
	"cmp"
	"math"
	"slices"

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

// move is an agent that set off today, due at the end of its edge on day
// due.
type move struct {
	a, due int32
}

// boarding is an agent given a seat on edge e.
type boarding struct {
	a int32
	e int16
}

// seatRequest is an agent asking for a seat on a limited or boat edge.
type seatRequest struct {
	a     int32
	e     int16
	since uint16 // arrival day at the node: earlier first
}

// ticketed is a seat request with its lottery ticket.
type ticketed struct {
	key uint64
	r   seatRequest
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

// resolveSeats allocates the day's seats and sends the boats off. The
// requests are grouped by edge (a stable counting sort, so each edge's
// requests keep list order); on each edge, in edge order, those first in
// line take the seats. Its cost is linear in the requests plus a sort of
// the passengers admitted, however long the queue.
func (m *Model) resolveSeats(d int) {
	n := 0
	for _, c := range m.chunks[:m.nchunks] {
		n += len(c.seats)
	}
	if n == 0 {
		return
	}
	ne := len(m.w.edges)
	start := grow(m.seatStart, ne+1)
	clear(start)
	for _, c := range m.chunks[:m.nchunks] {
		for i := range c.seats {
			start[c.seats[i].e+1]++
		}
	}
	for e := 0; e < ne; e++ {
		start[e+1] += start[e]
	}
	next := grow(m.seatNext, ne)
	copy(next, start[:ne])
	reqs := grow(m.seatBuf, n)
	for _, c := range m.chunks[:m.nchunks] {
		for _, r := range c.seats {
			reqs[next[r.e]] = r
			next[r.e]++
		}
	}
	common := m.params[0]
	for e := 0; e < ne; e++ {
		group := reqs[start[e]:start[e+1]]
		if len(group) == 0 {
			continue
		}
		ep := &common.edges[e]
		admit := len(group)
		if ep.capacity > 0 {
			admit = min(admit, m.carry(&m.capCarry[e], ep.capacity))
		}
		m.board(d, int16(e), m.firstInLine(group, admit, int16(e), d))
	}
	m.seatBuf, m.seatStart, m.seatNext = reqs, start, next
}

// firstInLine returns the k requests of group (the requests for edge e)
// first in line, moving them to the front of group: everybody who arrived at
// the node before the arrival day of the k-th in line, then a lottery among
// those who arrived on that day. They are returned in the order they board:
// by arrival day, and within a day in lottery order. Its cost is linear in
// the requests plus the lottery draws of the admitted, however long the
// queue: the requests are partitioned around the cut day found from a
// histogram of arrival days, and the lottery among the cut day's is a
// partial Fisher–Yates shuffle (in list order) of the edge's stream for the
// day.
func (m *Model) firstInLine(group []seatRequest, k int, e int16, d int) []seatRequest {
	if k <= 0 {
		return group[:0]
	}
	if k >= len(group) {
		m.byArrival(group, d)
		return group
	}
	// The arrival day of the k-th in line: everybody who came earlier is
	// in, everybody who came later is out.
	lo, hi := group[0].since, group[0].since
	for i := range group {
		lo, hi = min(lo, group[i].since), max(hi, group[i].since)
	}
	hist := grow(m.seatHist, int(hi-lo)+1)
	clear(hist)
	for i := range group {
		hist[group[i].since-lo]++
	}
	cut, before := lo, 0
	for before+int(hist[cut-lo]) < k {
		before += int(hist[cut-lo])
		cut++
	}
	m.seatHist = hist
	// Partition, keeping list order within each part: arrived before the
	// cut day (sure, at the front of group), on it (tied), after it (out).
	sure, tied := group[:0], m.seatTied[:0]
	for _, r := range group {
		switch {
		case r.since < cut:
			sure = append(sure, r)
		case r.since == cut:
			tied = append(tied, r)
		}
	}
	m.seatTied = tied
	m.byArrival(sure, d)
	// The lottery: k − len(sure) of the tied, in the order drawn.
	s := rng.New(m.seed, entityBoat+uint64(e), d, purposeLottery)
	for i := 0; i < k-len(sure); i++ {
		j := i + s.Intn(len(tied)-i)
		tied[i], tied[j] = tied[j], tied[i]
	}
	copy(group[len(sure):k], tied[:k-len(sure)])
	return group[:k]
}

// byArrival sorts reqs by arrival day, then by lottery ticket — the first
// 64 bits of the agent's seat stream of the day —, then by agent.
func (m *Model) byArrival(reqs []seatRequest, d int) {
	t := grow(m.seatTicketed, len(reqs))
	for i, r := range reqs {
		w := block(m.seed, uint64(r.a), d, purposeSeat)
		t[i] = ticketed{key: uint64(w[0])<<32 | uint64(w[1]), r: r}
	}
	slices.SortFunc(t, func(x, y ticketed) int {
		if c := cmp.Compare(x.r.since, y.r.since); c != 0 {
			return c
		}
		if c := cmp.Compare(x.key, y.key); c != 0 {
			return c
		}
		return cmp.Compare(x.r.a, y.r.a)
	})
	for i := range t {
		reqs[i] = t[i].r
	}
	m.seatTicketed = t
}

// grow returns s resized to n elements, reusing its array when it is
// large enough but not more than four times too large (so a buffer sized
// for one busy day does not hold its memory for the rest of the run). The
// elements are not cleared.
func grow[T any](s []T, n int) []T {
	if cap(s) < n || cap(s) > 4*n+4096 {
		return make([]T, n, n+n/8)
	}
	return s[:n]
}

// trim empties s for reuse, dropping its array when the last use filled
// less than a quarter of it (see grow).
func trim[T any](s []T) []T {
	if cap(s) > 4*len(s)+4096 {
		return nil
	}
	return s[:0]
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
			m.ag.rec[r.a].wait = waitGone
			m.seatMoves = append(m.seatMoves, boarding{a: r.a, e: e})
		}
	}
}
