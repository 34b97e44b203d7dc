package sim

import (
	"slices"
	"unsafe"
)

// MemoryPart is the memory held by one part of the engine's state.
type MemoryPart struct {
	Name  string
	Bytes int64
}

// Memory returns the memory the engine's state holds now, part by part,
// counted by the capacity of every slice, so what append reserved counts
// too: the agents, the day's list of agents at a node, the journeys
// pending, the people in the US, the CBP One queue, and the buffers of the
// daily passes (the night's draws; per chunk: journeys started, seat
// requests; the seats being resolved) and the waiting room at the border
// (its entries, wake tokens and the days' inputs to beliefs). The Result the run is filling (the
// daily series) is not counted. Memory reads the model's state and must not
// be called while Step runs.
func (m *Model) Memory() []MemoryPart {
	a := &m.ag
	var pending, inUS, moves, seats, other int64
	blocks := bytesOf(m.nights)
	pending = bytesOf(m.pending) + bytesOf(m.spare)
	for _, due := range m.pending {
		pending += bytesOf(due)
		for _, p := range due {
			pending += bytesOf(p)
		}
	}
	for _, p := range m.spare {
		pending += bytesOf(p)
	}
	for i := range m.inUS {
		inUS += m.inUS[i].bytes()
	}
	seats = bytesOf(m.seatBuf) + bytesOf(m.seatMoves) + bytesOf(m.seatStart) + bytesOf(m.seatNext) + bytesOf(m.seatEdges)
	seats += bytesOf(m.desks) + bytesOf(m.deskList)
	for _, k := range m.desks {
		seats += bytesOf(k.hist) + bytesOf(k.tied) + bytesOf(k.ticketed) + bytesOf(k.words) + bytesOf(k.run) + bytesOf(k.boarding) + bytesOf(k.dead) +
			bytesOf(k.left) + bytesOf(k.own) + k.segmentBytes()
	}
	lot := &m.spillLot
	seats += bytesOf(m.spillDesks) + bytesOf(m.spillLeft) + bytesOf(lot.hist) + bytesOf(lot.tied) + bytesOf(lot.ticketed) + bytesOf(lot.words) + bytesOf(lot.run) + bytesOf(lot.left) + lot.segmentBytes()
	for _, c := range slices.Concat(m.chunks, m.arrPool, m.movePool, m.usPool) {
		moves += bytesOf(c.moves) + bytesOf(c.dst)
		seats += bytesOf(c.seats) + bytesOf(c.seatCount) + bytesOf(c.seatOff)
		other += int64(unsafe.Sizeof(*c)) + bytesOf(c.nodes) + bytesOf(c.flows) + bytesOf(c.cbpReg) + bytesOf(c.entrants) + bytesOf(c.succ) + bytesOf(c.fail)
	}
	other += bytesOf(m.arrAt) + bytesOf(m.dueCount) + bytesOf(m.departing) + bytesOf(m.departParts) + bytesOf(m.usDue)
	r := &m.room
	room := bytesOf(r.entries) + bytesOf(r.free) + bytesOf(r.at) + bytesOf(r.wakes) + bytesOf(r.count) + bytesOf(r.paying) + bytesOf(r.spending) +
		bytesOf(r.news) + bytesOf(r.keep) + bytesOf(r.newsRate) + bytesOf(r.strandCount) + bytesOf(r.strandSouth) + bytesOf(r.strandOK)
	for _, w := range r.wakes {
		room += bytesOf(w)
	}
	for _, t := range r.tally {
		room += bytesOf(t)
	}
	for _, b := range r.bufs {
		room += b.bytes()
	}
	room += bytesOf(r.scratch) + bytesOf(r.tokens) + bytesOf(r.tokenCounts) + bytesOf(r.moved) + bytesOf(r.filed) + bytesOf(r.offs) + bytesOf(r.members) + bytesOf(r.top)
	for _, j := range r.members {
		room += bytesOf(j)
	}
	for _, b := range r.batches {
		room += bytesOf(b.back) + bytesOf(b.left) + bytesOf(b.wakeups) +
			bytesOf(b.nodes) + bytesOf(b.cbpReg) + bytesOf(b.entrants) + bytesOf(b.succ) + bytesOf(b.fail)
	}
	for _, c := range slices.Concat(m.chunks, m.arrPool, m.movePool, m.usPool) {
		room += bytesOf(c.toRoom)
	}
	return []MemoryPart{
		{"agents", bytesOf(a.state) + bytesOf(a.cbp) + bytesOf(a.appt) + bytesOf(a.group)},
		{"active list", bytesOf(m.active)},
		{"pending journeys", pending},
		{"in the US", inUS},
		{"CBP One queue", bytesOf(m.cbpQ.ids) + bytesOf(m.cbpQ.live) + bytesOf(m.cbpQ.below) + bytesOf(m.cbpQ.kept) +
			lotteryBytes*int64(m.lotteryMost) + bytesOf(m.cbpPicks)},
		{"night draws", blocks},
		{"journeys started", moves},
		{"seat requests", seats},
		{"waiting room", room},
		{"other buffers", other},
	}
}

// StateBytes returns the total of Memory.
func (m *Model) StateBytes() int64 {
	var n int64
	for _, p := range m.Memory() {
		n += p.Bytes
	}
	return n
}

// bytesOf returns the bytes of a slice's backing array (its capacity).
func bytesOf[T any](s []T) int64 {
	var zero T
	return int64(cap(s)) * int64(unsafe.Sizeof(zero))
}

// lotteryBytes is about what one entry of the lottery's map of swapped
// places takes: a 4-byte key, a 4-byte value and a control byte, at the
// map's most load of 7/8, rounded up.
const lotteryBytes = 11
