// Command cachescale measures how a machine's two cores share its caches:
// the same work — random reads of 8-byte words from an array of a given
// size, a chain of arithmetic, or eight independent chains (which keep a
// core's execution units busy, where one chain waits on each result) —
// done by one goroutine, then by two at
// once (each on its own array, and both on one), and the ratio of the
// times. A ratio near 1 means that the second core gets its work done as
// fast as the first did alone; near 2 that the two cores took turns.
//
// docs/performance.md ("What limits the corridor now") quotes it: the
// engine's passes read tens of megabytes at random positions, and what a
// second core gives them depends on whether the two cores' working sets
// still fit the cache they share.
//
// Usage:
//
//	go run ./scripts/cachescale [-mb 1,4,8,16,32,256] [-reads 20000000] [-rounds 3]
package main

import (
	"flag"
	"fmt"
	"log"
	"math"
	"math/bits"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("cachescale: ")
	sizes := flag.String("mb", "1,4,8,16,32,256", "array sizes in MiB, comma-separated")
	reads := flag.Int("reads", 20_000_000, "random reads per goroutine")
	rounds := flag.Int("rounds", 3, "rounds of each measurement; the fastest is kept")
	flag.Parse()
	var mbs []int
	for _, f := range strings.Split(*sizes, ",") {
		mb, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || mb < 1 {
			log.Fatalf("-mb: %q is not a size in MiB", f)
		}
		mbs = append(mbs, mb)
	}
	if *reads < 1 || *rounds < 1 {
		log.Fatal("-reads and -rounds must be at least 1")
	}
	if runtime.GOMAXPROCS(0) < 2 {
		log.Fatal("needs GOMAXPROCS of at least 2")
	}
	fmt.Fprintf(os.Stdout, "%d CPUs, GOMAXPROCS %d, %s %s/%s; fastest of %d rounds\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH, *rounds)
	one, two := fastest(*rounds, func() { arithmetic(0, *reads) }), fastest(*rounds, func() { both(func(i int) { arithmetic(i, *reads) }) })
	fmt.Printf("arithmetic         1 goroutine %8v, 2 goroutines %8v: %.2f\n", one, two, ratio(two, one))
	one, two = fastest(*rounds, func() { lanes(0, *reads) }), fastest(*rounds, func() { both(func(i int) { lanes(i, *reads) }) })
	fmt.Printf("8 arithmetic lanes 1 goroutine %8v, 2 goroutines %8v: %.2f\n", one, two, ratio(two, one))
	for _, mb := range mbs {
		words := mb << 20 / 8
		shared, own := fill(words), [2][]uint64{fill(words), fill(words)}
		alone := fastest(*rounds, func() { chase(0, shared, *reads) })
		apart := fastest(*rounds, func() { both(func(i int) { chase(i, own[i], *reads) }) })
		same := fastest(*rounds, func() { both(func(i int) { chase(i, shared, *reads) }) })
		fmt.Printf("%5d MiB reads     1 goroutine %8v, 2 on own arrays %8v: %.2f, 2 on one array %8v: %.2f\n",
			mb, alone, apart, ratio(apart, alone), same, ratio(same, alone))
	}
}

// sink keeps the results, so that the work is not optimised away.
var sink [2]uint64

// arithmetic does n steps of a dependent chain of floating-point
// operations, touching no memory.
func arithmetic(id, n int) {
	x, s := float64(id+1), 0.0
	for range n {
		x = x*1.0000001 + 0.5
		s += math.Sqrt(x)
		if x > 1e12 {
			x = 1
		}
	}
	sink[id] = uint64(s)
}

// lanes does n steps of eight independent integer chains (xorshift and a
// multiply each), touching no memory: work that a core runs several
// operations at a time, so that two threads sharing one core's execution
// units (hyper-threads) would slow each other, where on two cores they do
// not.
func lanes(id, n int) {
	var l [8]uint64
	for i := range l {
		l[i] = uint64(100*id + i + 1)
	}
	for range n {
		for i := range l {
			x := l[i]
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			l[i] = x*0x9E3779B97F4A7C15 + uint64(i)
		}
	}
	var s uint64
	for _, v := range l {
		s += v
	}
	sink[id] = s
}

// chase reads n words of a at random places (xorshift), the next place
// independent of the word read, as a pass over agents by position reads.
func chase(id int, a []uint64, n int) {
	x, s, mask := uint64(id*7919+1), uint64(0), uint64(len(a)-1)
	for range n {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		s += a[x&mask]
	}
	sink[id] = s
}

// fill returns an array of n words, written (so its pages are in memory);
// n is rounded down to a power of two.
func fill(n int) []uint64 {
	a := make([]uint64, 1<<(63-bits.LeadingZeros64(uint64(n))))
	for i := range a {
		a[i] = uint64(i)
	}
	return a
}

// both runs f(0) and f(1) on two goroutines and waits for both.
func both(f func(i int)) {
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() { f(i) })
	}
	wg.Wait()
}

// fastest returns the least wall time of rounds runs of f.
func fastest(rounds int, f func()) time.Duration {
	best := time.Duration(math.MaxInt64)
	for range rounds {
		t := time.Now()
		f()
		best = min(best, time.Since(t))
	}
	return best.Round(time.Millisecond)
}

// ratio returns a/b.
func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }
