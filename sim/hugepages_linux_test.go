package sim

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

func TestHugeRange(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		p, n, lo, hi uintptr
	}{
		{0x40000000, 4 * mib, 0x40000000, 0x40400000},           // aligned: both pages
		{0x40000000 + 100, 4 * mib, 0x40200000, 0x40400000},     // one whole page after the start
		{0x40000000 + 100, 4*mib - 100, 0x40200000, 0x40400000}, // ends on a boundary: one page
		{0x40000000 + 100, 4*mib - 200, 0x40200000, 0x40200000}, // none whole: lo = hi
		{0x40000000 + 3*mib, 6 * mib, 0x40400000, 0x40800000},   // 3 MiB … 9 MiB: pages 4–6 and 6–8
		{0x40000000 + 3*mib, 1 * mib, 0x40400000, 0x40400000},   // inside one page: none
	} {
		lo, hi := hugeRange(c.p, c.n)
		if lo != c.lo || hi != c.hi {
			t.Errorf("hugeRange(%#x, %#x) = %#x, %#x; want %#x, %#x", c.p, c.n, lo, hi, c.lo, c.hi)
		}
	}
}

// TestAdviseHugeMarksTheArray checks, in /proc/self/smaps, that the kernel
// took the advice: the mapping that holds the array's whole huge pages has
// the flag "hg" (MADV_HUGEPAGE), whatever the system's setting of
// transparent huge pages.
func TestAdviseHugeMarksTheArray(t *testing.T) {
	s := make([]slot, (16<<20)/unsafe.Sizeof(slot{}))
	adviseHuge(s)
	lo, hi := hugeRange(uintptr(unsafe.Pointer(unsafe.SliceData(s))), uintptr(len(s))*unsafe.Sizeof(slot{}))
	if hi-lo < 6*hugePage {
		t.Fatalf("a 16 MiB array holds %d whole huge pages", (hi-lo)/hugePage)
	}
	for _, at := range []uintptr{lo, hi - 1} {
		flags, err := vmFlags(at)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(" "+flags+" ", " hg ") {
			t.Errorf("mapping of %#x: VmFlags %q, without hg", at, flags)
		}
	}
	s[len(s)-1].id = 1 // keep s alive until here
}

// vmFlags returns the VmFlags of the mapping that holds address at.
func vmFlags(at uintptr) (string, error) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in := false
	for sc.Scan() {
		line := sc.Text()
		if k, rest, ok := strings.Cut(line, " "); ok && strings.Contains(k, "-") && !strings.HasSuffix(k, ":") {
			a, b, _ := strings.Cut(k, "-")
			start, err1 := strconv.ParseUint(a, 16, 64)
			end, err2 := strconv.ParseUint(b, 16, 64)
			_ = rest
			in = err1 == nil && err2 == nil && uint64(at) >= start && uint64(at) < end
			continue
		}
		if v, ok := strings.CutPrefix(line, "VmFlags:"); ok && in {
			return strings.TrimSpace(v), nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", os.ErrNotExist
}
