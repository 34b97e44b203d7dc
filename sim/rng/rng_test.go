package rng

import (
	"math"
	"testing"
)

// Known-answer vectors from Random123's kat_vectors file (philox4x32 10):
// counter (4 words), key (2 words), expected output (4 words).
func TestPhilox4x32KnownAnswers(t *testing.T) {
	cases := []struct {
		ctr  [4]uint32
		key  [2]uint32
		want [4]uint32
	}{
		{[4]uint32{0, 0, 0, 0}, [2]uint32{0, 0}, [4]uint32{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
		{[4]uint32{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, [2]uint32{0xffffffff, 0xffffffff}, [4]uint32{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
		{[4]uint32{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, [2]uint32{0xa4093822, 0x299f31d0}, [4]uint32{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
	}
	for _, c := range cases {
		if got := Philox4x32(c.ctr, c.key); got != c.want {
			t.Errorf("Philox4x32(%08x, %08x) = %08x, want %08x", c.ctr, c.key, got, c.want)
		}
	}
}

func TestStreamIsAPureFunctionOfItsKey(t *testing.T) {
	a := New(7, 123, 45, 3)
	b := New(7, 123, 45, 3)
	for i := 0; i < 10; i++ {
		if x, y := a.Uint64(), b.Uint64(); x != y {
			t.Fatalf("draw %d differs: %d vs %d", i, x, y)
		}
	}
	// Changing any coordinate changes the stream.
	base := New(7, 123, 45, 3)
	first := base.Uint64()
	for _, s := range []Stream{New(8, 123, 45, 3), New(7, 124, 45, 3), New(7, 123, 46, 3), New(7, 123, 45, 4)} {
		if s.Uint64() == first {
			t.Errorf("stream with a different key gave the same first draw")
		}
	}
}

func TestFloat64MeanAndRange(t *testing.T) {
	const n = 200000
	var sum float64
	for i := 0; i < n; i++ {
		s := New(1, uint64(i), 0, 0)
		u := s.Float64()
		if u < 0 || u >= 1 {
			t.Fatalf("Float64 out of [0,1): %v", u)
		}
		sum += u
	}
	// Mean of U(0,1) is 1/2 with standard error sqrt(1/12/n) ≈ 0.00065.
	if mean := sum / n; math.Abs(mean-0.5) > 0.004 {
		t.Errorf("mean of %d uniforms = %v, want 0.5 ± 0.004", n, mean)
	}
}

func TestIntnIsUniform(t *testing.T) {
	const n, k = 120000, 6
	var counts [k]int
	s := New(3, 0, 0, 0)
	for i := 0; i < n; i++ {
		counts[s.Intn(k)]++
	}
	// Each cell expects n/k = 20000 with sd ≈ 129; allow 5 sd.
	for i, c := range counts {
		if math.Abs(float64(c)-n/k) > 650 {
			t.Errorf("cell %d: %d draws, want %d ± 650", i, c, n/k)
		}
	}
}

func TestPoissonMeanAndVariance(t *testing.T) {
	for _, lambda := range []float64{0.3, 4, 25, 400} {
		const n = 40000
		var sum, sq float64
		for i := 0; i < n; i++ {
			s := New(11, uint64(i), 1, 2)
			x := float64(s.Poisson(lambda))
			sum += x
			sq += x * x
		}
		mean := sum / n
		variance := sq/n - mean*mean
		// Standard error of the mean is sqrt(lambda/n).
		if se := math.Sqrt(lambda / n); math.Abs(mean-lambda) > 5*se {
			t.Errorf("Poisson(%v): mean %v, want %v ± %v", lambda, mean, lambda, 5*se)
		}
		if math.Abs(variance-lambda)/lambda > 0.05 {
			t.Errorf("Poisson(%v): variance %v, want %v ± 5%%", lambda, variance, lambda)
		}
	}
}

func TestBinomialMean(t *testing.T) {
	cases := []struct {
		n int64
		p float64
	}{{10, 0.3}, {1000, 0.01}, {100000, 0.3}, {500, 0.9}}
	for _, c := range cases {
		const reps = 20000
		var sum float64
		for i := 0; i < reps; i++ {
			s := New(5, uint64(i), 2, 9)
			k := s.Binomial(c.n, c.p)
			if k < 0 || k > c.n {
				t.Fatalf("Binomial(%d,%v) = %d out of range", c.n, c.p, k)
			}
			sum += float64(k)
		}
		want := float64(c.n) * c.p
		se := math.Sqrt(want*(1-c.p)) / math.Sqrt(reps)
		if got := sum / reps; math.Abs(got-want) > 5*se+1e-9 {
			t.Errorf("Binomial(%d,%v): mean %v, want %v ± %v", c.n, c.p, got, want, 5*se)
		}
	}
}

func BenchmarkStreamFloat64(b *testing.B) {
	var sink float64
	for i := 0; i < b.N; i++ {
		s := New(1, uint64(i), 3, 1)
		sink += s.Float64()
	}
	_ = sink
}

// TestSkipIsDrawingThatManyWords: from any place in a stream, Skip(n) then
// a word is the word n calls of Uint32 later, for n within a block, across
// blocks and across the 65,536 blocks that ctr[3]'s low half counts.
func TestSkipIsDrawingThatManyWords(t *testing.T) {
	for _, before := range []int{0, 1, 3, 4, 6} {
		for _, n := range []uint64{0, 1, 2, 3, 4, 5, 7, 8, 13, 1000, 4*65536 + 6} {
			walk := New(9, 77, 12, 3)
			for i := 0; i < before; i++ {
				walk.Uint32()
			}
			skip := walk
			for i := uint64(0); i < n; i++ {
				walk.Uint32()
			}
			skip.Skip(n)
			for i := 0; i < 9; i++ {
				if a, b := walk.Uint32(), skip.Uint32(); a != b {
					t.Fatalf("after %d words, Skip(%d): word %d is %#x, drawing gives %#x", before, n, i, b, a)
				}
			}
		}
	}
}
