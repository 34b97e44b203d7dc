package ensemble

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/migsim/migsim/sim/scenario"
)

func TestForEachRunsEveryIndexWithinTheCoreBudget(t *testing.T) {
	const n, cpus = 7, 3
	var running, peak atomic.Int32
	seen := make([]atomic.Int32, n)
	var progress []int
	var mu sync.Mutex
	err := ForEach(context.Background(), n, cpus, func(done, total int) {
		mu.Lock()
		progress = append(progress, done)
		mu.Unlock()
		if total != n {
			t.Errorf("progress total %d, want %d", total, n)
		}
	}, func(ctx context.Context, i, workers int) error {
		if workers != 1 { // Plan(7, 3) = 3 at once × 1 worker
			t.Errorf("call %d got %d workers, want 1", i, workers)
		}
		cur := running.Add(1)
		for {
			p := peak.Load()
			if cur <= p || peak.CompareAndSwap(p, cur) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		running.Add(-1)
		seen[i].Add(1)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range seen {
		if c := seen[i].Load(); c != 1 {
			t.Errorf("index %d ran %d times", i, c)
		}
	}
	if p := peak.Load(); p > cpus {
		t.Errorf("%d calls ran at once, more than the %d cores", p, cpus)
	}
	if len(progress) != n || progress[n-1] != n {
		t.Errorf("progress calls %v, want 1…%d", progress, n)
	}
}

func TestForEachStopsAtTheFirstError(t *testing.T) {
	boom := errors.New("boom")
	var started atomic.Int32
	err := ForEach(context.Background(), 50, 1, nil, func(ctx context.Context, i, workers int) error {
		started.Add(1)
		if i == 2 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want boom", err)
	}
	// One at a time: 0, 1, 2 ran; the rest were skipped after the failure.
	if s := started.Load(); s != 3 {
		t.Errorf("%d calls started, want 3", s)
	}
}

func TestRunRejectsBadOptions(t *testing.T) {
	sc := &scenario.Scenario{}
	for _, c := range []struct {
		opt  Options
		want string
	}{
		{Options{Replicates: 0, Only: -1}, "at least 1"},
		{Options{Replicates: 3, Only: 3}, "replicate 3 does not exist"},
		{Options{Replicates: 3, Only: -2}, "replicate -2 does not exist"},
	} {
		if _, err := Run(context.Background(), sc, c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Run(%+v) error %v, want one containing %q", c.opt, err, c.want)
		}
	}
}

func TestSeeds(t *testing.T) {
	s := Seeds(5, 3)
	if len(s) != 3 || s[0] != ReplicateSeed(5, 0) || s[2] != ReplicateSeed(5, 2) {
		t.Errorf("Seeds(5, 3) = %v", s)
	}
}
