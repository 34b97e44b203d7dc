//go:build !amd64

package rng

// blocksVector computes nothing where there is no vector path: Blocks does
// all the work in pure Go.
func blocksVector(seed uint64, ids []uint32, day int, purpose Purpose, w *[4][]uint32) int {
	return 0
}

// hasAVX512 reports false: no vector path on this architecture.
func hasAVX512() bool { return false }
