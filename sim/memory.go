package sim

import (
	"slices"
	"unsafe"
)

// StateBytes returns the memory the engine's state holds now, in bytes: the
// agents, the active list and its scratch twin, the journeys pending, the
// CBP One queue, the people in the US, and the per-chunk buffers — counted
// by the capacity of every slice, so what append reserved counts too. The
// Result the run is filling (the daily series) is not counted. StateBytes
// reads the model's state and must not be called while Step runs.
func (m *Model) StateBytes() int64 {
	var n int64
	a := &m.ag
	n += bytesOf(a.state) + bytesOf(a.cbp) + bytesOf(a.appt) + bytesOf(a.rec)
	n += bytesOf(m.active) + bytesOf(m.nextActive) + bytesOf(m.cbpQueue) + bytesOf(m.scratch)
	n += bytesOf(m.pending)
	for _, p := range m.pending {
		n += bytesOf(p)
	}
	for _, h := range m.inUS {
		n += bytesOf(h)
	}
	n += bytesOf(m.seatBuf) + bytesOf(m.seatMoves)
	n += bytesOf(m.spare)
	for _, p := range m.spare {
		n += bytesOf(p)
	}
	for _, c := range slices.Concat(m.chunks, m.arrPool, m.movePool) {
		n += int64(unsafe.Sizeof(*c)) + bytesOf(c.nodes) + bytesOf(c.moves) + bytesOf(c.keep) + bytesOf(c.draws) + bytesOf(c.seats) +
			bytesOf(c.cbpReg) + bytesOf(c.entrants) + bytesOf(c.succ) + bytesOf(c.fail)
	}
	return n
}

// bytesOf returns the bytes of a slice's backing array (its capacity).
func bytesOf[T any](s []T) int64 {
	var zero T
	return int64(cap(s)) * int64(unsafe.Sizeof(zero))
}
