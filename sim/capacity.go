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
// due: the agent of the day's active list at pos.
type move struct {
	pos, due int32
}

// boarding is an agent given a seat on edge e: the agent of the day's
// active list at pos.
type boarding struct {
	pos int32
	e   int16
}

// seatRequest is an agent asking for a seat on a limited or boat edge: the
// agent of the day's active list at pos (after the decisions).
type seatRequest struct {
	pos   int32
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
// requests are grouped by edge with a stable counting sort done in parallel
// over the chunks (each edge's requests keep list order); then each edge,
// in parallel, gives its seats to those first in line and packs its boats;
// what the edges produced is gathered in edge order. Its cost is linear in
// the requests plus a sort of the passengers admitted, however long the
// queue.
func (m *Model) resolveSeats(d int) {
	cs := m.chunks[:m.nchunks]
	ne := len(m.w.edges)
	start := grow(m.seatStart, ne+1)
	clear(start)
	for _, c := range cs {
		for e, k := range c.seatCount {
			start[e+1] += k
		}
	}
	for e := 0; e < ne; e++ {
		start[e+1] += start[e]
	}
	n := int(start[ne])
	m.seatStart = start
	if n == 0 {
		return
	}
	// Where each chunk's requests for each edge go: after those of the
	// chunks before it.
	next := grow(m.seatNext, ne)
	copy(next, start[:ne])
	for _, c := range cs {
		c.seatOff = grow(c.seatOff, ne)
		copy(c.seatOff, next)
		for e, k := range c.seatCount {
			next[e] += k
		}
	}
	m.seatNext = next
	reqs := grow(m.seatBuf, n)
	m.seatBuf = reqs
	m.each(cs, func(c *chunk) {
		for _, r := range c.seats {
			reqs[c.seatOff[r.e]] = r
			c.seatOff[r.e]++
		}
	})
	// The edges with requests, each with a desk of its own, and the seat
	// edges a full edge's requests may spill to (spill.go).
	edges := m.seatEdges[:0]
	for e := 0; e < ne; e++ {
		if start[e+1] > start[e] || m.spillTarget(e, start) {
			edges = append(edges, int16(e))
		}
	}
	m.seatEdges = edges
	// Each edge keeps its own desk, so the desk's buffers fit that edge's
	// queue from one day to the next.
	for len(m.desks) < ne {
		m.desks = append(m.desks, &seatDesk{})
	}
	desks := m.deskList[:0]
	for _, e := range edges {
		desks = append(desks, m.desks[e])
	}
	m.deskList = desks
	common := m.params[0]
	for i, e := range edges {
		k := desks[i]
		k.reset()
		k.e = e
		k.seats = math.MaxInt
		if ep := &common.edges[e]; ep.capacity > 0 {
			k.seats = m.carry(&m.capCarry[e], ep.capacity)
		}
	}
	// Each edge's own requests first in line, in parallel; then the
	// spill of those left without a seat to free seats on other boats out
	// of the same node (sequential); then the boats, in parallel.
	// A long queue is cut into segments of its own, after the others.
	line := func(i int, each func(n, work int, f func(i int))) {
		e, k := edges[i], desks[i]
		group := reqs[start[e]:start[e+1]]
		k.passengers = k.firstInLine(m.seed, m.active, group, min(len(group), k.seats), entityBoat+uint64(e), d, each)
	}
	long := func(i int) bool { return start[edges[i]+1]-start[edges[i]] >= 2*lineSegment }
	m.forEach(len(edges), n, func(i int) {
		if !long(i) {
			line(i, nil)
		}
	})
	for i := range edges {
		if long(i) {
			line(i, m.forEach)
		}
	}
	m.spill(d, desks)
	m.forEach(len(edges), n, func(i int) {
		k := desks[i]
		m.board(k, d, edges[i], k.passengers)
		// Those who board or drown are not at the node tonight.
		for _, b := range k.boarding {
			m.uncountNight(b.pos)
		}
		for _, pos := range k.dead {
			m.uncountNight(pos)
		}
	})
	for _, k := range desks {
		m.seatMoves = append(m.seatMoves, k.boarding...)
		for i, v := range k.ev {
			m.dayTally.ev[i] += v
		}
	}
}

// seatDesk is the scratch and the output of one edge's seat allocation.
type seatDesk struct {
	e          int16         // the edge
	seats      int           // today's seats in agents (math.MaxInt: no limit)
	passengers []seatRequest // admitted, in boarding order: the edge's own requests, then those spilled to it
	left       []seatRequest // the edge's own requests not admitted (firstInLine)
	own        []seatRequest // the passengers' list once others spill to the edge (spill.go)
	spilled    bool          // the edge's node has been dealt with today (spill.go)
	hist       []int32       // requests per arrival day
	tied       []seatRequest
	segBounds  []uint16      // per segment of a long queue: its first and last arrival days
	segHists   []int32       // per segment: requests per arrival day
	segOffs    []int32       // per segment: where its sure, tied and out go
	sure       []seatRequest // a long queue's sure, before they go to its front
	ticketed   []ticketed
	words      []uint64         // byArrival's sort keys
	run        []ticketed       // byArrival's run of equal keys
	swaps      []int32          // the places the lottery swaps with (draw)
	touched    int32            // what draw read ahead (kept so that the reads are made)
	boarding   []boarding       // passengers setting off, in boarding order
	dead       []int32          // where the drowned were in the active list
	ev         [numTotals]int64 // capsizes and deaths
}

func (k *seatDesk) reset() {
	k.passengers = nil
	k.left = trim(k.left)
	k.own = trim(k.own)
	k.boarding = trim(k.boarding)
	k.dead = k.dead[:0]
	k.ev = [numTotals]int64{}
}

// firstInLine returns the n requests of group (the requests for edge e,
// made by agents of list) first in line, moving them to the front of group: everybody who arrived at
// the node before the arrival day of the n-th in line, then a lottery among
// those who arrived on that day. They are returned in the order they board:
// by arrival day, and within a day in lottery order. Its cost is linear in
// the requests plus the lottery draws of the admitted, however long the
// queue: the requests are partitioned around the cut day found from a
// histogram of arrival days, and the lottery among the cut day's is a
// partial Fisher–Yates shuffle (in list order) of the lottery stream
// (seed, lottery, d) — the edge's, entityBoat + e, for its own requests. Those
// not admitted are put in k.left: who arrived after the cut day in list
// order, then the cut day's losers of the lottery.
//
// With each not nil, a queue of two segments (lineSegment requests each) or
// more is counted and partitioned segment by segment, in parallel passes run
// by each (a node's boat queue of the synthetic scenario's first weeks holds
// millions): the same counts, the same parts in the same order.
func (k *seatDesk) firstInLine(seed uint64, list []slot, group []seatRequest, n int, lottery uint64, d int, each func(n, work int, f func(i int))) []seatRequest {
	k.left = k.left[:0]
	if n <= 0 {
		k.left = append(k.left, group...)
		return group[:0]
	}
	if n >= len(group) {
		k.byArrival(seed, list, group, d)
		return group
	}
	var sure, tied []seatRequest
	if each != nil && len(group) >= 2*lineSegment {
		sure, tied = k.partitionInSegments(group, n, each)
	} else {
		sure, tied = k.partition(group, n)
	}
	k.byArrival(seed, list, sure, d)
	k.draw(tied, n-len(sure), rng.New(seed, lottery, d, purposeLottery))
	copy(group[len(sure):n], tied[:n-len(sure)])
	k.left = append(k.left, tied[n-len(sure):]...)
	return group[:n]
}

// draw moves picks of the tied to their front, in the order drawn from s: a
// partial Fisher–Yates shuffle. The places swapped with are drawn first,
// which the swaps do not change, so that each swap's far place is read a
// few swaps ahead (lookahead): in a line of millions each is a cache miss,
// and the misses then overlap instead of following one another.
func (k *seatDesk) draw(tied []seatRequest, picks int, s rng.Stream) {
	js := grow(k.swaps, picks)
	k.swaps = js
	for i := range js {
		js[i] = int32(i + s.Intn(len(tied)-i))
	}
	var touched int32
	for i, j := range js {
		if i+lookahead < picks {
			touched += tied[js[i+lookahead]].pos
		}
		tied[i], tied[j] = tied[j], tied[i]
	}
	k.touched = touched
}

// lookahead is how many swaps ahead draw reads a far place.
const lookahead = 16

// segmentBytes returns the bytes of the desk's arrays for long queues and
// for the lottery's draws.
func (k *seatDesk) segmentBytes() int64 {
	return bytesOf(k.segBounds) + bytesOf(k.segHists) + bytesOf(k.segOffs) + bytesOf(k.sure) + bytesOf(k.swaps)
}

// lineSegment is the requests of one task of partitionInSegments.
const lineSegment = 1 << 14

// partition finds the cut day, the arrival day of the n-th in line
// (everybody who came earlier is in, everybody who came later is out), and
// partitions group, keeping list order within each part: those who arrived
// before the cut day (sure, at the front of group), on it (tied, in k.tied)
// and after it (out, in k.left).
func (k *seatDesk) partition(group []seatRequest, n int) (sure, tied []seatRequest) {
	lo, hi := group[0].since, group[0].since
	for i := range group {
		lo, hi = min(lo, group[i].since), max(hi, group[i].since)
	}
	hist := grow(k.hist, int(hi-lo)+1)
	clear(hist)
	for i := range group {
		hist[group[i].since-lo]++
	}
	k.hist = hist
	cut := cutDay(hist, lo, n)
	sure, tied = group[:0], k.tied[:0]
	for _, r := range group {
		switch {
		case r.since < cut:
			sure = append(sure, r)
		case r.since == cut:
			tied = append(tied, r)
		default:
			k.left = append(k.left, r)
		}
	}
	k.tied = tied
	return sure, tied
}

// cutDay returns the arrival day of the n-th in line, from the requests
// per arrival day from day lo on.
func cutDay(hist []int32, lo uint16, n int) uint16 {
	cut, before := lo, 0
	for before+int(hist[cut-lo]) < n {
		before += int(hist[cut-lo])
		cut++
	}
	return cut
}

// partitionInSegments is partition in segments of lineSegment requests,
// each counted and then scattered by a task of each: the counts per
// arrival day are summed over the segments, and each segment's part of
// the sure, the tied and the out begins after the earlier segments'.
func (k *seatDesk) partitionInSegments(group []seatRequest, n int, each func(n, work int, f func(i int))) (sure, tied []seatRequest) {
	ns := (len(group) + lineSegment - 1) / lineSegment
	seg := func(i int) []seatRequest { return group[i*lineSegment : min((i+1)*lineSegment, len(group))] }
	// The days of arrival, segment by segment, then over all.
	bounds := grow(k.segBounds, 2*ns)
	each(ns, len(group), func(i int) {
		g := seg(i)
		lo, hi := g[0].since, g[0].since
		for j := range g {
			lo, hi = min(lo, g[j].since), max(hi, g[j].since)
		}
		bounds[2*i], bounds[2*i+1] = lo, hi
	})
	k.segBounds = bounds
	lo, hi := bounds[0], bounds[1]
	for i := 1; i < ns; i++ {
		lo, hi = min(lo, bounds[2*i]), max(hi, bounds[2*i+1])
	}
	span := int(hi-lo) + 1
	hists := grow(k.segHists, ns*span)
	each(ns, len(group), func(i int) {
		h := hists[i*span : (i+1)*span]
		clear(h)
		for _, r := range seg(i) {
			h[r.since-lo]++
		}
	})
	k.segHists = hists
	hist := grow(k.hist, span)
	clear(hist)
	for i := 0; i < ns; i++ {
		for j, c := range hists[i*span : (i+1)*span] {
			hist[j] += c
		}
	}
	k.hist = hist
	cut := cutDay(hist, lo, n)
	// Where each segment's parts go: after the earlier segments' parts.
	offs := grow(k.segOffs, 3*ns)
	var nSure, nTied, nOut int32
	for i := 0; i < ns; i++ {
		h := hists[i*span : (i+1)*span]
		var s, t int32
		for _, c := range h[:cut-lo] {
			s += c
		}
		t = h[cut-lo]
		offs[3*i], offs[3*i+1], offs[3*i+2] = nSure, nTied, nOut
		nSure, nTied, nOut = nSure+s, nTied+t, nOut+int32(len(seg(i)))-s-t
	}
	k.segOffs = offs
	// group is read while the parts are written, so the sure (fewer than
	// n) go to an array of their own first, then to the front of group.
	sure = grow(k.sure, int(nSure))
	k.sure = sure
	tied = grow(k.tied, int(nTied))
	k.tied = tied
	k.left = grow(k.left, int(nOut))
	out := k.left
	each(ns, len(group), func(i int) {
		s, t, o := offs[3*i], offs[3*i+1], offs[3*i+2]
		for _, r := range seg(i) {
			switch {
			case r.since < cut:
				sure[s] = r
				s++
			case r.since == cut:
				tied[t] = r
				t++
			default:
				out[o] = r
				o++
			}
		}
	})
	return group[:copy(group, sure)], tied
}

// byArrival sorts reqs, made by agents of list, by arrival day, then by
// lottery ticket — the first 64 bits of the agent's seat stream of the day
// —, then by agent id. It sorts words that pack the arrival day, the
// ticket's first 24 bits and the request's index (plain integers sort
// several times faster than records with a comparison), then puts each
// run of words with the same day and 24 bits, rare, in the full order; a
// line too long for the words' index is sorted as records (byTicket).
func (k *seatDesk) byArrival(seed uint64, list []slot, reqs []seatRequest, d int) {
	t := grow(k.ticketed, len(reqs))
	k.ticketed = t
	for i, r := range reqs {
		w := block(seed, uint64(list[r.pos].id), d, purposeSeat)
		t[i] = ticketed{key: uint64(w[0])<<32 | uint64(w[1]), r: r}
	}
	if len(t) > 1<<indexBits {
		byTicket(list, t)
		for i := range t {
			reqs[i] = t[i].r
		}
		return
	}
	words := grow(k.words, len(t))
	k.words = words
	for i, x := range t {
		words[i] = uint64(x.r.since)<<48 | x.key>>(64-indexBits)<<indexBits | uint64(i)
	}
	slices.Sort(words)
	const index = 1<<indexBits - 1
	for i := 0; i < len(words); {
		j := i + 1
		for j < len(words) && words[j]>>indexBits == words[i]>>indexBits {
			j++
		}
		if j == i+1 {
			reqs[i] = t[words[i]&index].r
			i = j
			continue
		}
		run := k.run[:0]
		for _, w := range words[i:j] {
			run = append(run, t[w&index])
		}
		byTicket(list, run)
		for q, x := range run {
			reqs[i+q] = x.r
		}
		k.run = run
		i = j
	}
}

// byTicket sorts t, requests of agents of list with their tickets, by
// arrival day, then by ticket, then by agent id.
func byTicket(list []slot, t []ticketed) {
	slices.SortFunc(t, func(x, y ticketed) int {
		if c := cmp.Compare(x.r.since, y.r.since); c != 0 {
			return c
		}
		if c := cmp.Compare(x.key, y.key); c != 0 {
			return c
		}
		return cmp.Compare(list[x.r.pos].id, list[y.r.pos].id)
	})
}

// indexBits is the bits of a request's index in the words byArrival
// sorts, and of its ticket; a longer line is sorted as records.
const indexBits = 24

// grow returns s resized to n elements, reusing its array when it is
// large enough but not more than four times too large (so a buffer sized
// for one busy day does not hold its memory for the rest of the run). The
// elements are not cleared.
func grow[T any](s []T, n int) []T {
	if cap(s) < n || cap(s) > 4*n+4096 {
		return makeHuge[T](n, n+n/8)
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

// board sends admitted passengers of edge e off, in boats if the edge is a
// boat edge, writing them and the capsizes in desk k.
func (m *Model) board(k *seatDesk, d int, e int16, admitted []seatRequest) {
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
			m.capsize(k, d, ep, boat)
			continue
		}
		for _, r := range boat {
			m.active[r.pos].wait = waitGone
			k.boarding = append(k.boarding, boarding{pos: r.pos, e: e})
		}
	}
}
