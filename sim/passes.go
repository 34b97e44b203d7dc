package sim

import (
	"runtime"
	"sync/atomic"
	"time"
)

// Parallel passes. A pass over a list of agents cuts it into chunks whose
// boundaries depend only on the list's length, and the model's workers take
// the chunks in any order; each chunk tallies on its own and the chunks are
// reduced in order, so the results do not depend on the number of workers.
// The workers are the calling goroutine and the model's crew of helpers.
// Each worker takes the chunks of its own share of the list first (share),
// so that on a machine whose cores have caches of their own a chunk is
// mostly worked on by the same core in each of the day's passes.

// chunkSize is the number of list entries per chunk: a function of the
// list's length only, never of the number of workers, so that the chunks —
// and everything reduced over them — are the same for any worker count.
func chunkSize(n int) int {
	const minSize = 1024
	return max(minSize, (n+255)/256)
}

// makeChunks cuts today's active list into chunks.
func (m *Model) makeChunks() {
	cs := m.cut(&m.chunks, len(m.active))
	m.nchunks = len(cs)
}

// cut cuts a list of n entries into chunks of chunkSize(n) entries (at least
// one chunk), reusing the chunks of *pool, and returns them reset.
func (m *Model) cut(pool *[]*chunk, n int) []*chunk {
	size := chunkSize(n)
	cs := m.takeChunks(pool, max(1, (n+size-1)/size))
	for i, c := range cs {
		c.lo, c.hi = min(i*size, n), min((i+1)*size, n)
	}
	return cs
}

// takeChunks returns k chunks of *pool, reset, adding to the pool as
// needed.
func (m *Model) takeChunks(pool *[]*chunk, k int) []*chunk {
	for len(*pool) < k {
		*pool = append(*pool, &chunk{})
	}
	cs := (*pool)[:k]
	for _, c := range cs {
		c.reset(len(m.w.nodes), len(m.w.nats))
		c.flows = grow(c.flows, len(m.w.edges))
		clear(c.flows)
		c.seatCount = grow(c.seatCount, len(m.w.edges))
		clear(c.seatCount)
		c.list = nil
	}
	return cs
}

// parallel runs f on every chunk of the active list with the model's
// workers.
func (m *Model) parallel(f func(c *chunk)) { m.each(m.chunks[:m.nchunks], f) }

// minParallel is the least number of entries a pass must have to be run in
// parallel: below it, handing the work out costs more than it saves (a few
// microseconds with the helpers spinning, tens when they sleep, against
// about 100 ns an entry). It changes no result.
const minParallel = 2048

// forEach runs f(i) for i in [0, n) with the model's workers, or on this
// goroutine alone when the work, about `work` entries, is below
// minParallel. Which worker runs which i varies; what f does must not
// depend on it.
func (m *Model) forEach(n, work int, f func(i int)) {
	m.forEachWorker(n, work, func(_, i int) { f(i) })
}

// forEachWorker is forEach, telling f which worker (0 to the model's
// workers − 1) runs it. Which worker gets which i varies from run to run:
// what a worker accumulates across its calls must not depend on it (sums
// of integers, say).
func (m *Model) forEachWorker(n, work int, f func(w, i int)) {
	if m.workers == 1 || n <= 1 || work < minParallel {
		for i := 0; i < n; i++ {
			f(0, i)
		}
		return
	}
	// The calling goroutine works too: if a helper is slow to start, it
	// does the rest itself.
	if m.crew == nil {
		m.crew = newCrew(m.workers)
	}
	claims := m.crew.share(n)
	m.crew.run(func(w int) {
		for k := range claims {
			c := &claims[(w+k)%len(claims)]
			for {
				i := int(c.next.Add(1) - 1)
				if i >= c.end {
					break
				}
				f(w, i)
			}
		}
	})
}

// claim is one worker's share of a pass: the indices next … end−1 not yet
// taken. It takes a cache line's worth of bytes, so that workers taking indices
// from their own shares do not slow each other down.
type claim struct {
	next atomic.Int64
	end  int
	_    [48]byte
}

// share cuts the indices 0 … n−1 of a pass into one contiguous share per
// worker, and returns them. A worker takes the indices of its own share
// first, then those left in the others': a worker keeps to the same part
// of a list in each pass over it, whose entries stay in its core's caches.
func (c *crew) share(n int) []claim {
	w := len(c.helpers) + 1
	if len(c.claims) != w {
		c.claims = make([]claim, w)
	}
	for i := range c.claims {
		c.claims[i].next.Store(int64(i * n / w))
		c.claims[i].end = (i + 1) * n / w
	}
	return c.claims
}

// each runs f on every chunk of cs with the model's workers (see forEach):
// in parallel when the chunks hold minParallel entries or more in all.
func (m *Model) each(cs []*chunk, f func(c *chunk)) {
	n := 0
	for _, c := range cs {
		n += c.hi - c.lo // (the arrivals' chunks are each within an array of their own)
	}
	m.forEach(len(cs), n, func(i int) { f(cs[i]) })
}

// crew is a model's helper goroutines, kept between its parallel passes.
// Starting a goroutine for each pass costs tens of microseconds on a
// virtual machine before the helper runs (the operating system must wake
// a thread), which is as long as many of a day's passes; a helper of the
// crew instead waits for the next pass spinning for a while (crewSpin),
// then asleep, and quits after crewIdle asleep, so that a model no longer
// stepped leaves no goroutine behind. The spinning costs CPU time, not
// wall time: it is done only when every worker can have a core of its own.
type crew struct {
	helpers []*helper
	spin    bool
	claims  []claim // the pass in progress's shares (share)

	task atomic.Pointer[func(w int)] // the pass in progress
	seq  atomic.Uint64               // passes posted
	left atomic.Int64                // helpers still on the pass in progress
}

// helper is one goroutine of a crew: worker number w.
type helper struct {
	w     int
	state atomic.Uint64 // helperAwake, asleep(done) or helperGone
	wake  chan struct{}
	done  uint64 // the last pass it took part in (its own)
}

// A helper's states. Asleep, the state also holds the last pass the
// helper took part in: a pass wakes a helper asleep after the pass before
// it, and not one that already took part in it and fell asleep again
// while the pass was posted (the state would otherwise be asleep both
// times, and the second wake would run the pass twice).
const (
	helperAwake  uint64 = iota // running a pass or spinning: it will see the next
	helperAsleep               // waiting on wake; see asleep
	helperGone                 // quit; the next pass starts it anew
)

// asleep returns the state of a helper asleep after pass done.
func asleep(done uint64) uint64 { return done<<2 | helperAsleep }

// crewSpin is how long a helper spins for the next pass before it sleeps:
// longer than the sequential stretches between a day's passes.
const crewSpin = 2 * time.Millisecond

// crewIdle is how long a helper sleeps before it quits.
const crewIdle = 200 * time.Millisecond

// newCrew returns a crew of workers − 1 helpers (worker 0 is the caller),
// none started yet.
func newCrew(workers int) *crew {
	c := &crew{spin: workers <= runtime.GOMAXPROCS(0)}
	for w := 1; w < workers; w++ {
		h := &helper{w: w, wake: make(chan struct{}, 1)}
		h.state.Store(helperGone)
		c.helpers = append(c.helpers, h)
	}
	return c
}

// run runs f(w) on every worker, w = 0 (the caller) to the crew's size,
// and returns when all are done. It must not be called from f.
func (c *crew) run(f func(w int)) {
	c.task.Store(&f)
	c.left.Store(int64(len(c.helpers)))
	seq := c.seq.Add(1)
	for _, h := range c.helpers {
		for {
			s := h.state.Load()
			if s == helperAwake || s == asleep(seq) {
				break // it will see this pass, or has done it already
			}
			if h.state.CompareAndSwap(s, helperAwake) {
				if s == helperGone {
					h.done = seq - 1
					go c.serve(h)
				} else {
					h.wake <- struct{}{}
				}
				break
			}
		}
	}
	f(0)
	for i := 0; c.left.Load() != 0; i++ {
		if i > 64 {
			runtime.Gosched()
		}
	}
}

// serve is the loop of helper h: take part in each pass posted, and wait
// for the next.
func (c *crew) serve(h *helper) {
	idle := time.NewTimer(crewIdle)
	defer idle.Stop()
	for {
		if !c.await(h, idle) {
			return
		}
		h.done = c.seq.Load()
		(*c.task.Load())(h.w)
		c.left.Add(-1)
	}
}

// await waits until a pass after h.done is posted, and returns true; or
// false when h quits.
func (c *crew) await(h *helper, idle *time.Timer) bool {
	if c.spin {
		until := time.Now().Add(crewSpin)
		for i := 0; ; i++ {
			if c.seq.Load() != h.done {
				return true
			}
			if i%64 == 63 {
				if time.Now().After(until) {
					break
				}
				runtime.Gosched()
			}
		}
	}
	h.state.Store(asleep(h.done))
	// A pass posted since the last look may not have seen h asleep.
	if c.seq.Load() != h.done && h.state.CompareAndSwap(asleep(h.done), helperAwake) {
		return true
	}
	idle.Reset(crewIdle)
	select {
	case <-h.wake:
		return true
	case <-idle.C:
		if h.state.CompareAndSwap(asleep(h.done), helperGone) {
			return false
		}
		<-h.wake // a pass woke h as it was quitting
		return true
	}
}
