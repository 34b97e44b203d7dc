package ensemble

import (
	"runtime"

	"github.com/migsim/migsim/sim/rng"
)

// replicatePurpose keys the stream from which replicate seeds are drawn.
const replicatePurpose rng.Purpose = 0xFFFF

// ReplicateSeed returns the seed of replicate k of an ensemble whose base
// seed is base: the first 64 bits of Philox4x32-10 of the counter (k, 0,
// 0xFFFF<<16) under the key base, that is the first Uint64 of
// rng.New(base, k, 0, 0xFFFF). It never returns 0, which sim.Options reads
// as "the scenario's seed" (the 2⁻⁶⁴ case maps to 1).
func ReplicateSeed(base uint64, k int) uint64 {
	s := rng.New(base, uint64(k), 0, replicatePurpose)
	seed := s.Uint64()
	if seed == 0 {
		seed = 1
	}
	return seed
}

// Plan splits cpus cores among n runs: it returns how many runs execute at
// once (min(n, cpus)) and how many workers each run gets
// (max(1, cpus / parallel)). cpus ≤ 0 means runtime.NumCPU().
func Plan(n, cpus int) (parallel, workersPerRun int) {
	if cpus <= 0 {
		cpus = runtime.NumCPU()
	}
	parallel = min(n, cpus)
	if parallel < 1 {
		parallel = 1
	}
	return parallel, max(1, cpus/parallel)
}
