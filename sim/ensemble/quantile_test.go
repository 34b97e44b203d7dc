package ensemble

import (
	"math"
	"testing"

	"github.com/migsim/migsim/sim/rng"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

// The expected values below are worked out by hand from the type-7 rule
// h = (n−1)p, Q = x[⌊h⌋] + (h−⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]); they agree with
// R's quantile(x, p) (type = 7, the default).
func TestQuantile7AgainstHandValues(t *testing.T) {
	oneToTen := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	cases := []struct {
		name string
		x    []float64
		p    float64
		want float64
	}{
		{"1..10 p=.05: h=0.45", oneToTen, 0.05, 1.45},
		{"1..10 p=.5: h=4.5", oneToTen, 0.5, 5.5},
		{"1..10 p=.95: h=8.55", oneToTen, 0.95, 9.55},
		{"1..10 p=0 is the minimum", oneToTen, 0, 1},
		{"1..10 p=1 is the maximum", oneToTen, 1, 10},
		{"n=1 p=.05", []float64{42}, 0.05, 42},
		{"n=1 p=.95", []float64{42}, 0.95, 42},
		{"n=2 p=.05: h=0.05", []float64{0, 10}, 0.05, 0.5},
		{"n=2 p=.95: h=0.95", []float64{0, 10}, 0.95, 9.5},
		{"ties p=.5: h=1.5 between equal values", []float64{2, 2, 2, 5}, 0.5, 2},
		{"ties p=.95: h=2.85 → 2+0.85·3", []float64{2, 2, 2, 5}, 0.95, 4.55},
		{"all equal", []float64{7, 7, 7}, 0.95, 7},
		{"1,3,7,15 p=.05: h=0.15 → 1+0.15·2", []float64{1, 3, 7, 15}, 0.05, 1.3},
		{"1,3,7,15 p=.5: h=1.5 → 3+0.5·4", []float64{1, 3, 7, 15}, 0.5, 5},
		{"1,3,7,15 p=.95: h=2.85 → 7+0.85·8", []float64{1, 3, 7, 15}, 0.95, 13.8},
		{"negative values", []float64{-10, -4, 0}, 0.5, -4},
	}
	for _, c := range cases {
		if got := Quantile7(c.x, c.p); !near(got, c.want) {
			t.Errorf("%s: Quantile7(%v, %g) = %.17g, want %g", c.name, c.x, c.p, got, c.want)
		}
	}
	if got := Quantile7(nil, 0.5); !math.IsNaN(got) {
		t.Errorf("Quantile7 of an empty sample = %g, want NaN", got)
	}
}

func TestSummarizeSortsACopy(t *testing.T) {
	x := []float64{10, 1, 9, 2, 8, 3, 7, 4, 6, 5}
	got := Summarize(x)
	if !near(got.Q05, 1.45) || !near(got.Q50, 5.5) || !near(got.Q95, 9.55) {
		t.Errorf("Summarize(shuffled 1..10) = %+v, want {1.45 5.5 9.55}", got)
	}
	if x[0] != 10 || x[1] != 1 {
		t.Errorf("Summarize changed its input: %v", x)
	}
}

func TestBandOf(t *testing.T) {
	// Three replicates, two days. Day 0: {0, 10, 20} → h = 2p:
	// q05 = 0 + 0.1·10 = 1, q50 = 10, q95 = 10 + 0.9·10 = 19.
	// Day 1: {5, 5, 8} → q05 = 5, q50 = 5, q95 = 5 + 0.9·3 = 7.7.
	b, err := BandOf([][]float64{{20, 5}, {0, 8}, {10, 5}})
	if err != nil {
		t.Fatal(err)
	}
	want := Band{Q05: []float64{1, 5}, Q50: []float64{10, 5}, Q95: []float64{19, 7.7}}
	for d := 0; d < 2; d++ {
		if !near(b.Q05[d], want.Q05[d]) || !near(b.Q50[d], want.Q50[d]) || !near(b.Q95[d], want.Q95[d]) {
			t.Errorf("day %d: got %g/%g/%g, want %g/%g/%g", d, b.Q05[d], b.Q50[d], b.Q95[d], want.Q05[d], want.Q50[d], want.Q95[d])
		}
	}
	if _, err := BandOf([][]float64{{1, 2}, {1}}); err == nil {
		t.Error("BandOf accepted replicates of different lengths")
	}
	if _, err := BandOf(nil); err == nil {
		t.Error("BandOf accepted no replicates")
	}
}

func TestFormat(t *testing.T) {
	cases := []struct {
		v    float64
		want string
	}{
		{1 + 0.45, "1.45"},
		{0.1 + 0.2, "0.3"},
		{1e6, "1000000"},
		{123456789012, "123456789012"},
		{2.0 / 3, "0.666667"},
		{-1.5, "-1.5"},
		{math.Copysign(0, -1), "0"},
		{-1e-9, "0"},
		{math.NaN(), "NA"},
		{math.Inf(1), "Inf"},
	}
	for _, c := range cases {
		if got := Format(c.v); got != c.want {
			t.Errorf("Format(%.17g) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestReplicateSeed(t *testing.T) {
	// The definition, computed here from the Philox block directly.
	for _, c := range []struct {
		base uint64
		k    int
	}{{0, 0}, {1, 0}, {20210101, 3}, {1<<63 | 12345, 99}} {
		out := rng.Philox4x32([4]uint32{uint32(c.k), 0, 0, 0xFFFF << 16}, [2]uint32{uint32(c.base), uint32(c.base >> 32)})
		want := uint64(out[0])<<32 | uint64(out[1])
		if got := ReplicateSeed(c.base, c.k); got != want {
			t.Errorf("ReplicateSeed(%d, %d) = %#x, want %#x", c.base, c.k, got, want)
		}
	}
	// Replicates of one base get distinct seeds; another base gives others.
	seen := map[uint64]int{}
	for k := 0; k < 1000; k++ {
		s := ReplicateSeed(7, k)
		if j, dup := seen[s]; dup {
			t.Fatalf("replicates %d and %d share seed %d", j, k, s)
		}
		seen[s] = k
		if s == 0 {
			t.Fatalf("replicate %d has seed 0", k)
		}
	}
	if ReplicateSeed(7, 0) == ReplicateSeed(8, 0) {
		t.Error("bases 7 and 8 give replicate 0 the same seed")
	}
}

func TestPlan(t *testing.T) {
	cases := []struct{ n, cpus, parallel, workers int }{
		{5, 2, 2, 1}, // more runs than cores: one worker each
		{1, 2, 1, 2}, // one run gets every core
		{3, 8, 3, 2}, // 8/3 rounds down
		{16, 16, 16, 1},
		{0, 4, 1, 4}, // nothing to run: a harmless plan
	}
	for _, c := range cases {
		p, w := Plan(c.n, c.cpus)
		if p != c.parallel || w != c.workers {
			t.Errorf("Plan(%d, %d) = (%d, %d), want (%d, %d)", c.n, c.cpus, p, w, c.parallel, c.workers)
		}
		if p*w > max(c.cpus, 1) {
			t.Errorf("Plan(%d, %d) oversubscribes: %d×%d", c.n, c.cpus, p, w)
		}
	}
}
