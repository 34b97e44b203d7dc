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
