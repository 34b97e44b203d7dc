package sim

import (
	"syscall"
	"unsafe"
)

// hugePage is the size of a transparent huge page (x86-64 and arm64 with 4
// KiB base pages).
const hugePage = 2 << 20

// adviseHuge asks the kernel to back the whole huge pages inside the array
// of s with transparent huge pages (madvise MADV_HUGEPAGE), for the
// engine's large arrays. Where the system leaves huge pages to the program
// (/sys/kernel/mm/transparent_hugepage/enabled set to "madvise", the
// usual default) the Go runtime no longer asks for them, and the arrays
// of a run of millions of agents were then made of 4 KiB pages: half a
// million page faults at 10 million agents, and a TLB miss on most reads
// by id or by position (docs/performance.md, tenth round). The advice is a
// hint: the run computes the same either way, and an error is ignored.
func adviseHuge[T any](s []T) {
	var zero T
	n := uintptr(cap(s)) * unsafe.Sizeof(zero)
	p := unsafe.Pointer(unsafe.SliceData(s))
	lo, hi := hugeRange(uintptr(p), n)
	if hi <= lo {
		return
	}
	b := unsafe.Slice((*byte)(p), n) // the whole array, as bytes
	_ = syscall.Madvise(b[lo-uintptr(p):hi-uintptr(p)], syscall.MADV_HUGEPAGE)
}

// hugeRange returns the whole huge pages lo…hi−1 inside the n bytes from
// address p (hi ≤ lo when there are none).
func hugeRange(p, n uintptr) (lo, hi uintptr) {
	return (p + hugePage - 1) &^ (hugePage - 1), (p + n) &^ (hugePage - 1)
}
