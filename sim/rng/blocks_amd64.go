package rng

import "sync"

// hasAVX512 reports whether the processor and the operating system support
// the AVX-512 foundation instructions (CPUID leaf 7 and the ZMM state
// enabled in XCR0), found out once.
var hasAVX512 = sync.OnceValue(func() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	if ecx1&(1<<27) == 0 { // OSXSAVE: XGETBV may be used
		return false
	}
	// XCR0: SSE, AVX, opmask, ZMM upper halves and ZMM16-31 state.
	if xcr0, _ := xgetbv(); xcr0&0xe6 != 0xe6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<16) != 0 // AVX512F
})

// blocksVector computes the first len(ids) &^ 15 blocks of Blocks with
// AVX-512, if the processor has it, and returns how many it computed.
func blocksVector(seed uint64, ids []uint32, day int, purpose Purpose, w *[4][]uint32) int {
	n := len(ids) &^ 15
	if n == 0 || !hasAVX512() {
		return 0
	}
	blocksAVX512(&ids[0], n, uint32(day), uint32(purpose)<<16, roundKeys(seed), &w[0][0], &w[1][0], &w[2][0], &w[3][0])
	return n
}

// blocksAVX512 computes the blocks of n entities (n a positive multiple of
// 16) with counters (ids[i], 0, c2, c3) under the round keys, writing word j
// of block i to wj[i].
//
//go:noescape
func blocksAVX512(ids *uint32, n int, c2, c3 uint32, keys *[20]uint32, w0, w1, w2, w3 *uint32)

// cpuid executes CPUID with the given EAX and ECX.
func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

// xgetbv returns XCR0 (XGETBV with ECX = 0).
func xgetbv() (eax, edx uint32)
