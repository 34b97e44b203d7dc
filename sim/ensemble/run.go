package ensemble

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/scenario"
)

// Options are the settings of an ensemble.
type Options struct {
	// Replicates is the number of replicates (at least 1).
	Replicates int
	// Workers is the number of cores the whole ensemble may use; 0 means
	// runtime.NumCPU(). They are split by Plan between runs in parallel and
	// workers within each run.
	Workers int
	// BaseSeed is the seed replicate seeds derive from; 0 means the
	// scenario's seed.
	BaseSeed uint64
	// Only, if ≥ 0, runs replicate Only alone (with the seed it has in the
	// full ensemble); -1 runs them all.
	Only int
	// Progress, if not nil, is called (from one goroutine at a time) each
	// time a replicate finishes, with the number done and the total.
	Progress func(done, total int)
}

// Seeds returns the seed of every replicate of an ensemble of n replicates
// with base seed base.
func Seeds(base uint64, n int) []uint64 {
	out := make([]uint64, n)
	for k := range out {
		out[k] = ReplicateSeed(base, k)
	}
	return out
}

// Run runs the replicates of a checked scenario in parallel and returns
// their results in replicate order (one result when opt.Only ≥ 0). Each run
// gets its own copy of the scenario. The first failure cancels the other
// runs and is returned, naming the replicate and its seed.
func Run(ctx context.Context, sc *scenario.Scenario, opt Options) ([]*sim.Result, error) {
	if opt.Replicates < 1 {
		return nil, fmt.Errorf("ensemble: %d replicates: want at least 1", opt.Replicates)
	}
	if opt.Only < -1 || opt.Only >= opt.Replicates {
		return nil, fmt.Errorf("ensemble: replicate %d does not exist: replicates are numbered 0 to %d", opt.Only, opt.Replicates-1)
	}
	base := opt.BaseSeed
	if base == 0 {
		base = sc.Meta.Seed
	}
	reps := make([]int, 0, opt.Replicates)
	if opt.Only >= 0 {
		reps = append(reps, opt.Only)
	} else {
		for k := 0; k < opt.Replicates; k++ {
			reps = append(reps, k)
		}
	}
	results := make([]*sim.Result, len(reps))
	err := ForEach(ctx, len(reps), opt.Workers, opt.Progress, func(ctx context.Context, i, workers int) error {
		k := reps[i]
		seed := ReplicateSeed(base, k)
		r, err := sim.Run(ctx, sc.Clone(), sim.Options{Seed: seed, Workers: workers})
		if err != nil {
			return fmt.Errorf("replicate %d (seed %d): %w", k, seed, err)
		}
		results[i] = r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ensemble: %w", err)
	}
	return results, nil
}

// ForEach calls fn(ctx, i, workers) for i = 0 … n−1, running as many calls
// at once as Plan(n, cpus) allows and passing each call its share of
// workers. After the first failure it cancels the calls still running and
// starts no more; it returns the error of the lowest-numbered call that
// failed other than by that cancellation. progress, if not nil, is called after each
// successful call with the number done and n.
func ForEach(ctx context.Context, n, cpus int, progress func(done, total int), fn func(ctx context.Context, i, workers int) error) error {
	if n <= 0 {
		return nil
	}
	parallel, workers := Plan(n, cpus)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, n)
	next := make(chan int)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done int
	)
	for w := 0; w < parallel; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := ctx.Err(); err != nil {
					errs[i] = err
					continue
				}
				if err := fn(ctx, i, workers); err != nil {
					errs[i] = err
					cancel()
					continue
				}
				if progress != nil {
					mu.Lock()
					done++
					progress(done, n)
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	// Prefer a run's own error over the cancellations it caused.
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
