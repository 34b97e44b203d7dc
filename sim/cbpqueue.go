package sim

import (
	"math"
	"sort"
	"sync/atomic"
)

// The CBP One queue (border.go) holds the registered in order of
// registration. Each day's slots go to the first of those still registered
// and, by lottery, to places among the others, so the day's draw needs the
// registered's places in that order. In a large run the queue holds
// millions and a few thousand leave it a day — booked, given up, entered
// the US, removed, dead or cancelled — so it is not filtered every day:
// those who left keep their places until the queue is compacted, once they
// are an eighth of it, and the queue counts the registered in each block of
// 2^shift places. A registered person's record holds its block (in
// agents.appt, which is the appointment day only once booked); whoever
// ends a registration takes one from its block's count (leave), atomically,
// since that happens in the parallel passes. The k-th registered place is
// then found from the blocks' counts and a scan of one block: the same
// places, in the same order, as filtering the whole queue would give. A
// place left stays left: of the ways out of a registration only a
// cancellation leaves a person who may register again, and voidCBP
// compacts the queue at once.

// unfiled is the block of one who registered today and is not yet filed
// in the queue (fileRegistered files the day's registrations before the
// day's slots are given).
const unfiled = math.MaxUint16

// maxBlocks is the most blocks the queue has: a block's index fits the
// 16 bits of agents.appt, unfiled aside.
const maxBlocks = unfiled

// minShift is the log₂ of the least places per block.
const minShift = 4

// cbpQueue is the CBP One queue.
type cbpQueue struct {
	ids   []int32 // agents in order of registration, with those who left
	shift uint    // a block holds 1<<shift places
	live  []int32 // the registered in each block
	below []int   // the registered in the blocks before each, and in all (allocate's scratch)
	kept  []int   // places kept per segment, when compacting (scratch)
}

// leave takes one registered person out of block b's count (b as their
// record holds it; nothing for one not yet filed).
func (q *cbpQueue) leave(b uint16) {
	if b != unfiled {
		atomic.AddInt32(&q.live[b], -1)
	}
}

// leaveQueue ends agent a's place in the CBP One queue, if it holds one: it
// is called just before the registration ends (the standing is then
// anything but cbpRegistered).
func (m *Model) leaveQueue(a int32) {
	if m.ag.cbp[a] == cbpRegistered {
		m.cbpQ.leave(m.ag.appt[a])
	}
}

// registerCBP registers agent a with CBP One, in chunk c: it joins the
// queue with the day's other registrations (fileRegistered).
func (m *Model) registerCBP(c *chunk, a int32) {
	m.ag.cbp[a] = cbpRegistered
	m.ag.appt[a] = unfiled
	c.ev[TotCBPRegistered]++
	c.cbpReg = append(c.cbpReg, a)
}

// fileRegistered files the day's registrations, in the order the day's
// tallies hold them (the waiting room's, then the chunks'), at the end of
// the queue: those still registered (one may have crossed or given up
// since). The queue is compacted first when those who left are an eighth
// of it, or when its blocks would not hold it.
func (m *Model) fileRegistered() {
	q := &m.cbpQ
	regs := m.roomTally.cbpReg
	more := 0
	for _, c := range m.chunks[:m.nchunks] {
		more += len(c.cbpReg)
	}
	total := 0
	for _, k := range q.live {
		total += int(k)
	}
	more += len(regs)
	full := len(q.ids)+more > maxBlocks<<q.shift
	if dead := len(q.ids) - total; full || 8*dead > len(q.ids) {
		m.compactQueue(total + more)
	}
	file := func(regs []int32) {
		for _, a := range regs {
			if m.ag.cbp[a] != cbpRegistered {
				continue
			}
			b := len(q.ids) >> q.shift
			if b == len(q.live) {
				q.live = append(q.live, 0)
			}
			q.live[b]++
			m.ag.appt[a] = uint16(b)
			q.ids = append(q.ids, a)
		}
	}
	file(regs)
	for _, c := range m.chunks[:m.nchunks] {
		file(c.cbpReg)
	}
}

// compactQueue drops those who left from the queue, keeping its order, in
// parallel (segments filtered side by side, then joined), and makes blocks
// anew, the smallest that hold a quarter more than room places: each
// person's record is told its block.
func (m *Model) compactQueue(room int) {
	q := &m.cbpQ
	ids := q.ids
	ag := &m.ag
	ns := (len(ids) + queueSegment - 1) / queueSegment
	kept := grow(q.kept, ns)
	q.kept = kept
	m.forEach(ns, len(ids)/4, func(i int) {
		seg := ids[i*queueSegment : min((i+1)*queueSegment, len(ids))]
		n := 0
		for _, a := range seg {
			if ag.cbp[a] == cbpRegistered {
				seg[n] = a
				n++
			}
		}
		kept[i] = n
	})
	n := 0
	for i, k := range kept {
		n += copy(ids[n:], ids[i*queueSegment:i*queueSegment+k])
	}
	q.ids = ids[:n]
	q.shift = minShift
	for want := max(room, n); maxBlocks<<q.shift < want+want/4; {
		q.shift++
	}
	nb := (n + 1<<q.shift - 1) >> q.shift
	q.live = grow(q.live, nb)
	for b := range q.live {
		q.live[b] = int32(min(1<<q.shift, n-b<<q.shift))
	}
	m.forEach(ns, n/4, func(i int) {
		for p := i * queueSegment; p < min((i+1)*queueSegment, n); p++ {
			ag.appt[q.ids[p]] = uint16(p >> q.shift)
		}
	})
}

// registered returns how many are registered in the queue, and readies
// the blocks' counts for at.
func (q *cbpQueue) registered() int {
	below := grow(q.below, len(q.live)+1)
	q.below = below
	below[0] = 0
	for b, k := range q.live {
		below[b+1] = below[b] + int(k)
	}
	return below[len(q.live)]
}

// at returns the registered person at place i among the registered, in
// order (0 ≤ i < registered(), which readied the counts); cbp is the
// agents' standing.
func (q *cbpQueue) at(i int, cbp []cbpStatus) int32 {
	// The block: the first whose registered, with those before it, are
	// more than i.
	b := sort.Search(len(q.live), func(b int) bool { return q.below[b+1] > i })
	k := i - q.below[b]
	for _, a := range q.ids[b<<q.shift : min((b+1)<<q.shift, len(q.ids))] {
		if cbp[a] == cbpRegistered {
			if k == 0 {
				return a
			}
			k--
		}
	}
	panic("sim: the CBP One queue's counts are out of step with the registered")
}
