// Package rng provides migsim's counter-based random streams.
//
// Every random draw in a run is a pure function of (seed, entity, day, purpose,
// draw index): there is no generator state shared between agents or workers,
// so the same scenario and seed give the same numbers whatever the order in
// which agents are processed and however many workers process them.
//
// The bit generator is Philox4x32-10 (Salmon et al., "Parallel random numbers:
// as easy as 1, 2, 3", SC'11), checked against the Random123 known-answer
// vectors in the tests.
package rng

import (
	"math"
	"math/bits"
)

// Purpose separates the streams used by different model rules, so that adding
// a draw to one rule never shifts the numbers another rule sees.
type Purpose uint16

// Philox4x32 constants from Random123.
const (
	philoxM0 = 0xD2511F53
	philoxM1 = 0xCD9E8D57
	philoxW0 = 0x9E3779B9
	philoxW1 = 0xBB67AE85
)

// Philox4x32 computes Philox4x32-10 of the counter ctr under key.
func Philox4x32(ctr [4]uint32, key [2]uint32) [4]uint32 {
	return philox(ctr[0], ctr[1], ctr[2], ctr[3], key[0], key[1])
}

// Stream is the random stream of one (entity, day, purpose) under a seed.
// Its zero value is not useful; make one with New. A Stream is a small value:
// copy it freely, use each copy from one goroutine.
type Stream struct {
	key   [2]uint32
	ctr   [4]uint32
	buf   [4]uint32
	avail int
}

// New returns the stream keyed by seed for the given entity (an agent id, or
// an id from another id space such as an edge or an origin offset by a
// constant), day index and purpose.
func New(seed uint64, entity uint64, day int, purpose Purpose) Stream {
	return Stream{
		key: [2]uint32{uint32(seed), uint32(seed >> 32)},
		ctr: [4]uint32{uint32(entity), uint32(entity >> 32), uint32(day), uint32(purpose) << 16},
	}
}

// Uint32 returns the next 32 random bits of the stream.
func (s *Stream) Uint32() uint32 {
	if s.avail == 0 {
		s.buf = Philox4x32(s.ctr, s.key)
		s.ctr[3]++ // the low 16 bits count blocks within one purpose
		s.avail = 4
	}
	s.avail--
	return s.buf[3-s.avail]
}

// Skip moves the stream on by n words, as n calls of Uint32 would, in the
// time of one block: the words of a stream are those of its blocks in
// order, and a block is a function of its place. Draws that take a fixed
// number of words each can so be cut into parts drawn side by side.
func (s *Stream) Skip(n uint64) {
	if n <= uint64(s.avail) {
		s.avail -= int(n)
		return
	}
	n -= uint64(s.avail)
	s.avail = 0
	s.ctr[3] += uint32(n / 4) // as that many ctr[3]++ would
	if r := int(n % 4); r > 0 {
		s.buf = Philox4x32(s.ctr, s.key)
		s.ctr[3]++
		s.avail = 4 - r
	}
}

// Uint64 returns the next 64 random bits of the stream.
func (s *Stream) Uint64() uint64 {
	hi := uint64(s.Uint32())
	return hi<<32 | uint64(s.Uint32())
}

// Float64 returns a uniform number in [0, 1) with 53 random bits.
func (s *Stream) Float64() float64 {
	hi := s.Uint32()
	return Uniform(hi, s.Uint32())
}

// Bernoulli reports true with probability p (p ≤ 0 never, p ≥ 1 always).
func (s *Stream) Bernoulli(p float64) bool {
	if p <= 0 {
		return false
	}
	if p >= 1 {
		return true
	}
	return s.Float64() < p
}

// Intn returns a uniform integer in [0, n) for n > 0, without modulo bias
// (Lemire's method).
func (s *Stream) Intn(n int) int {
	if n <= 0 {
		panic("rng: Intn with n <= 0")
	}
	bound := uint64(n)
	hi, lo := bits.Mul64(s.Uint64(), bound)
	if lo < bound {
		thresh := -bound % bound
		for lo < thresh {
			hi, lo = bits.Mul64(s.Uint64(), bound)
		}
	}
	return int(hi)
}

// Normal returns a standard normal deviate (Box–Muller, one value per two
// uniforms, so the count of bits consumed is fixed).
func (s *Stream) Normal() float64 {
	u1 := 1 - s.Float64() // (0, 1]
	u2 := s.Float64()
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// Exponential returns an exponential deviate with rate 1.
func (s *Stream) Exponential() float64 {
	return -math.Log(1 - s.Float64())
}

// Poisson returns a Poisson deviate with mean lambda. Small means use
// Knuth's product method; large ones the PTRS transformed rejection method
// of Hörmann (1993), so the cost stays bounded for any mean.
func (s *Stream) Poisson(lambda float64) int64 {
	switch {
	case lambda <= 0:
		return 0
	case lambda < 10:
		limit := math.Exp(-lambda)
		var k int64
		p := s.Float64()
		for p > limit {
			k++
			p *= s.Float64()
		}
		return k
	}
	slam := math.Sqrt(lambda)
	loglam := math.Log(lambda)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invalpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := s.Float64() - 0.5
		v := s.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lambda + 0.43)
		if us >= 0.07 && v <= vr {
			return int64(k)
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invalpha)-math.Log(a/(us*us)+b) <= -lambda+k*loglam-lg {
			return int64(k)
		}
	}
}

// Binomial returns a binomial deviate: successes in n trials of probability
// p. Small n draws each trial; large n uses the Poisson or normal
// approximation only where it is accurate, and otherwise inversion by
// waiting times, so the result is exact in distribution for n·p small.
func (s *Stream) Binomial(n int64, p float64) int64 {
	if n <= 0 || p <= 0 {
		return 0
	}
	if p >= 1 {
		return n
	}
	if p > 0.5 {
		return n - s.Binomial(n, 1-p)
	}
	if n < 64 {
		var k int64
		for i := int64(0); i < n; i++ {
			if s.Float64() < p {
				k++
			}
		}
		return k
	}
	// Waiting-time (geometric skip) method: exact, cost ~ n·p draws.
	if float64(n)*p < 200 {
		logq := math.Log1p(-p)
		var k, pos int64
		for {
			pos += int64(math.Floor(math.Log(1-s.Float64())/logq)) + 1
			if pos > n {
				return k
			}
			k++
		}
	}
	// Large n·p: normal approximation with continuity correction, clamped.
	mean := float64(n) * p
	sd := math.Sqrt(mean * (1 - p))
	k := int64(math.Floor(mean + sd*s.Normal() + 0.5))
	if k < 0 {
		k = 0
	}
	if k > n {
		k = n
	}
	return k
}
