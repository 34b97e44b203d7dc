package sim

import (
	"cmp"
	"slices"
)

// usQueue holds the people in the US interior of one nationality and gives
// them back in the order of (at, agent id), at the cumulative hazard at
// which each leaves: a total order, so the order in which people leave
// does not depend on how the queue is laid out.
//
// People come in by the day. A day's entrants are sorted into a run of
// their own (seal), and the queue merges its runs through a small heap of
// the runs' first entries. A binary heap of everyone, which this replaces,
// had each removal walk down some twenty levels of a heap far larger than
// the caches (at 10 M agents, most of the synthetic scenario's sequential
// time in the interior); here a removal reads its run in order, and the
// heap of runs (one a day, at most as many as days) stays in the caches.
type usQueue struct {
	runs  []usRun   // the sealed runs; those used up are empty
	heads []int32   // a min-heap of the runs with entries left, by first entry
	free  []int32   // used-up runs, to be reused
	today []usEntry // pushed since the last seal
	n     int       // entries in the queue, today's too
}

// usRun is a sorted run of entries, of which e[i:] are left.
type usRun struct {
	e []usEntry
	i int
}

// usBefore reports whether a leaves before b.
func usBefore(a, b *usEntry) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	return a.id < b.id
}

// len returns the number of entries in the queue.
func (q *usQueue) len() int { return q.n }

// push adds e to the queue; it can leave only after the next seal.
func (q *usQueue) push(e usEntry) {
	q.today = append(q.today, e)
	q.n++
}

// seal sorts the entries pushed since the last seal into a run. A long
// day's two halves are sorted side by side by each (a parallel pass of two
// tasks), then merged.
func (q *usQueue) seal(each func(n, work int, f func(i int))) {
	t := q.today
	if len(t) == 0 {
		return
	}
	order := func(a, b usEntry) int { // usBefore's order, in one comparison
		if a.at != b.at {
			if a.at < b.at {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.id, b.id)
	}
	run := usRun{e: makeHuge[usEntry](len(t), len(t))}
	if h := len(t) / 2; 2*h >= minParallel { // as long as a pass worth running in parallel
		halves := [2][]usEntry{t[:h], t[h:]}
		each(2, 16*len(t), func(i int) { slices.SortFunc(halves[i], order) })
		merge(run.e, halves[0], halves[1])
	} else {
		slices.SortFunc(t, order)
		copy(run.e, t)
	}
	q.today = t[:0]
	var r int32
	if k := len(q.free); k > 0 {
		r, q.free = q.free[k-1], q.free[:k-1]
		q.runs[r] = run
	} else {
		r = int32(len(q.runs))
		q.runs = append(q.runs, run)
	}
	q.heads = append(q.heads, r)
	q.up(len(q.heads) - 1)
}

// merge merges the sorted a and b into dst, of their total length.
func merge(dst, a, b []usEntry) {
	i, j := 0, 0
	for k := range dst {
		if j == len(b) || i < len(a) && !usBefore(&b[j], &a[i]) {
			dst[k] = a[i]
			i++
		} else {
			dst[k] = b[j]
			j++
		}
	}
}

// first returns the entry that leaves first, of a queue with sealed
// entries left.
func (q *usQueue) first() *usEntry {
	r := &q.runs[q.heads[0]]
	return &r.e[r.i]
}

// sealed reports whether any sealed entry is left.
func (q *usQueue) sealed() bool { return len(q.heads) > 0 }

// pop removes and returns the entry that leaves first, of a queue with
// sealed entries left.
func (q *usQueue) pop() usEntry {
	h := q.heads[0]
	r := &q.runs[h]
	e := r.e[r.i]
	r.i++
	q.n--
	switch {
	case r.i == len(r.e):
		// Used up: the run leaves the heap and its array goes.
		*r = usRun{}
		q.free = append(q.free, h)
		last := len(q.heads) - 1
		q.heads[0] = q.heads[last]
		q.heads = q.heads[:last]
	case r.i >= 1024 && r.i > len(r.e)/2:
		// Mostly used up: what is left moves to an array of its size, so a
		// run never holds more than twice what it has left.
		r.e, r.i = slices.Clone(r.e[r.i:]), 0
	}
	q.down(0)
	return e
}

// headBefore reports whether the run at heap place i comes before the one
// at place j.
func (q *usQueue) headBefore(i, j int) bool {
	a, b := &q.runs[q.heads[i]], &q.runs[q.heads[j]]
	return usBefore(&a.e[a.i], &b.e[b.i])
}

// up moves the run at heap place j up to its place.
func (q *usQueue) up(j int) {
	for j > 0 {
		i := (j - 1) / 2
		if !q.headBefore(j, i) {
			break
		}
		q.heads[i], q.heads[j] = q.heads[j], q.heads[i]
		j = i
	}
}

// down moves the run at heap place i down to its place.
func (q *usQueue) down(i int) {
	n := len(q.heads)
	for {
		j := 2*i + 1
		if j >= n {
			return
		}
		if j+1 < n && q.headBefore(j+1, j) {
			j++
		}
		if !q.headBefore(j, i) {
			return
		}
		q.heads[i], q.heads[j] = q.heads[j], q.heads[i]
		i = j
	}
}

// bytes returns the bytes of the queue's arrays (their capacities).
func (q *usQueue) bytes() int64 {
	n := bytesOf(q.runs) + bytesOf(q.heads) + bytesOf(q.free) + bytesOf(q.today)
	for i := range q.runs {
		n += bytesOf(q.runs[i].e)
	}
	return n
}
