package sim

import (
	"sync/atomic"
	"testing"
	"time"
)

// TestCrewRunsEveryWorkerOncePerPass runs many passes back to back (the
// helpers spinning between them) and checks that each pass ran its
// function once on every worker, and that run returned only after all of
// them.
func TestCrewRunsEveryWorkerOncePerPass(t *testing.T) {
	for _, workers := range []int{2, 3, 8} {
		c := newCrew(workers)
		calls := make([]atomic.Int64, workers)
		for pass := 1; pass <= 500; pass++ {
			c.run(func(w int) { calls[w].Add(1) })
			for w := range calls {
				if got := calls[w].Load(); got != int64(pass) {
					t.Fatalf("%d workers, after pass %d: worker %d ran %d times", workers, pass, w, got)
				}
			}
		}
	}
}

// TestCrewHelpersQuitWhenIdleAndComeBack leaves a crew idle past crewIdle:
// its helpers must have quit (a model no longer stepped leaves no
// goroutine), and the next pass must start them again.
func TestCrewHelpersQuitWhenIdleAndComeBack(t *testing.T) {
	c := newCrew(3)
	var calls atomic.Int64
	c.run(func(int) { calls.Add(1) })
	deadline := time.Now().Add(crewSpin + crewIdle + 5*time.Second)
	for _, h := range c.helpers {
		for h.state.Load() != helperGone {
			if time.Now().After(deadline) {
				t.Fatalf("helper %d still in state %d long after crewIdle", h.w, h.state.Load())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	c.run(func(int) { calls.Add(1) })
	if got := calls.Load(); got != 6 {
		t.Fatalf("two passes of 3 workers made %d calls, want 6", got)
	}
}

// TestForEachRunsEveryIndexOnce runs passes of many sizes, the shares of
// the workers uneven or empty, and checks that each index ran exactly
// once, whoever took it.
func TestForEachRunsEveryIndexOnce(t *testing.T) {
	for _, workers := range []int{2, 3, 8} {
		m := &Model{workers: workers}
		for _, n := range []int{2, 3, 7, 8, 9, 100, 1001} {
			runs := make([]atomic.Int64, n)
			m.forEachWorker(n, minParallel, func(w, i int) {
				if w < 0 || w >= workers {
					t.Errorf("worker %d of %d", w, workers)
				}
				runs[i].Add(1)
			})
			for i := range runs {
				if got := runs[i].Load(); got != 1 {
					t.Fatalf("%d workers, %d indices: index %d ran %d times", workers, n, i, got)
				}
			}
		}
	}
}

// TestShareCutsContiguousShares checks the shares of a pass against the
// cut worked out by hand: 10 indices for 3 workers are 0–2, 3–5 and 6–9.
func TestShareCutsContiguousShares(t *testing.T) {
	c := newCrew(3)
	got := c.share(10)
	want := [][2]int{{0, 3}, {3, 6}, {6, 10}}
	for w := range got {
		s := &got[w]
		if lo := int(s.next.Load()); lo != want[w][0] || s.end != want[w][1] {
			t.Errorf("share of worker %d: %d…%d, want %d…%d", w, lo, s.end-1, want[w][0], want[w][1]-1)
		}
	}
}
