package sim

import (
	"math"

	"github.com/migsim/migsim/sim/rng"
	"github.com/migsim/migsim/sim/scenario"
)

// Cheap draws. The rules that draw for every agent at a node every day —
// giving up, robbery, kidnapping, work — take their numbers from one Philox
// block: the first block of the agent's stream (seed, agent, day,
// purposeDaily), four uniform 32-bit words, one word per rule, so no rule's
// draw shifts another's. A Bernoulli trial compares one word with p·2³²
// (chance), so one block serves four trials. Rules that draw rarely keep
// streams of their own (rng.Stream).

// The words of an agent's daily block.
const (
	wordGiveUp = iota
	wordRobbery
	wordKidnap
	wordWork
)

// nightWords are the words of an agent's daily block the night uses:
// robbery, kidnapping, work.
type nightWords [3]uint32

// The night's words.
const (
	nightRobbery = iota
	nightKidnap
	nightWork
)

// The words of an agent's border block (purposeBorderDay), drawn at the US
// border only.
const (
	wordRegister = iota
	wordAttempt
)

// block returns the first block of the stream rng.New(seed, entity, day,
// purpose): the four words its first four Uint32 calls return.
func block(seed, entity uint64, day int, purpose rng.Purpose) [4]uint32 {
	return philox(uint32(entity), uint32(entity>>32), uint32(day), uint32(purpose)<<16, uint32(seed), uint32(seed>>32))
}

// philox is rng.Philox4x32 (Philox4x32-10) unrolled on scalars, which the
// compiler keeps in registers: about twice as fast as the array version.
func philox(c0, c1, c2, c3, k0, k1 uint32) [4]uint32 {
	const (
		m0, m1 = 0xD2511F53, 0xCD9E8D57
		w0, w1 = 0x9E3779B9, 0xBB67AE85
	)
	round := func() {
		p0 := uint64(m0) * uint64(c0)
		p1 := uint64(m1) * uint64(c2)
		c0, c1, c2, c3 = uint32(p1>>32)^c1^k0, uint32(p1), uint32(p0>>32)^c3^k1, uint32(p0)
		k0 += w0
		k1 += w1
	}
	round()
	round()
	round()
	round()
	round()
	round()
	round()
	round()
	round()
	round()
	return [4]uint32{c0, c1, c2, c3}
}

// block2 is block for two entities at once: the two computations are
// interleaved, so the processor works on both at the same time.
func block2(seed, e1, e2 uint64, day int, purpose rng.Purpose) (w1, w2 [4]uint32) {
	const (
		m0, m1   = 0xD2511F53, 0xCD9E8D57
		k0w, k1w = 0x9E3779B9, 0xBB67AE85
	)
	a0, a1, a2, a3 := uint32(e1), uint32(e1>>32), uint32(day), uint32(purpose)<<16
	b0, b1, b2, b3 := uint32(e2), uint32(e2>>32), uint32(day), uint32(purpose)<<16
	k0, k1 := uint32(seed), uint32(seed>>32)
	round := func() {
		p0 := uint64(m0) * uint64(a0)
		p1 := uint64(m1) * uint64(a2)
		q0 := uint64(m0) * uint64(b0)
		q1 := uint64(m1) * uint64(b2)
		a0, a1, a2, a3 = uint32(p1>>32)^a1^k0, uint32(p1), uint32(p0>>32)^a3^k1, uint32(p0)
		b0, b1, b2, b3 = uint32(q1>>32)^b1^k0, uint32(q1), uint32(q0>>32)^b3^k1, uint32(q0)
		k0 += k0w
		k1 += k1w
	}
	round()
	round()
	round()
	round()
	round()
	round()
	round()
	round()
	round()
	round()
	return [4]uint32{a0, a1, a2, a3}, [4]uint32{b0, b1, b2, b3}
}

// chance reports whether the uniform word u falls below probability p: a
// Bernoulli trial that succeeds with probability p rounded up to a multiple
// of 2⁻³² — never for p ≤ 0, always for p ≥ 1.
func chance(u uint32, p float64) bool { return float64(u) < p*(1<<32) }

// lazyBlock is an agent's border block for the day, drawn when first needed.
type lazyBlock struct {
	w  [4]uint32
	ok bool
}

// get returns agent a's border block of day d.
func (l *lazyBlock) get(seed uint64, a int32, d int) *[4]uint32 {
	if !l.ok {
		l.w = block(seed, uint64(a), d, purposeBorderDay)
		l.ok = true
	}
	return &l.w
}

// dist is a scenario.Dist compiled for drawing: its kind as a number and
// the count of 32-bit words one draw takes (Dist.Sample reads a uniform as
// two words, a normal as two uniforms).
type dist struct {
	scenario.Dist
	kind  uint8
	words int8
}

const (
	distFixed uint8 = iota
	distUniform
	distTriangular
	distLognormal
	distOther // a kind this file does not know: drawn by Dist.Sample
)

func compileDist(d scenario.Dist) dist {
	switch d.Kind {
	case scenario.DistFixed:
		return dist{d, distFixed, 0}
	case scenario.DistUniform:
		return dist{d, distUniform, 2}
	case scenario.DistTriangular:
		return dist{d, distTriangular, 2}
	case scenario.DistLognormal:
		return dist{d, distLognormal, 4}
	}
	return dist{d, distOther, 5}
}

// uniform is Stream.Float64 on the two words hi, lo.
func uniform(hi, lo uint32) float64 {
	return float64((uint64(hi)<<32|uint64(lo))>>11) * (1.0 / (1 << 53))
}

// sample draws from d with the words w (d.words of them), exactly as
// Dist.Sample draws from a stream whose next words are w.
func (d *dist) sample(w []uint32) float64 {
	switch d.kind {
	case distUniform:
		return d.Min + (d.Max-d.Min)*uniform(w[0], w[1])
	case distTriangular:
		return triangular(d.Min, d.Mode, d.Max, uniform(w[0], w[1]))
	case distLognormal:
		u1 := 1 - uniform(w[0], w[1])
		u2 := uniform(w[2], w[3])
		return d.Median * math.Exp(d.Sigma*(math.Sqrt(-2*math.Log(u1))*math.Cos(2*math.Pi*u2)))
	}
	return d.Value
}

// triangular inverts the triangular CDF at u, as package scenario does.
func triangular(a, c, b, u float64) float64 {
	if b <= a {
		return a
	}
	f := (c - a) / (b - a)
	if u < f {
		return a + math.Sqrt(u*(b-a)*(c-a))
	}
	return b - math.Sqrt((1-u)*(b-a)*(b-c))
}

// pair draws x from dx and then y from dy from the stream (seed, entity,
// day, purpose), as x = dx.Sample(s); y = dy.Sample(s) would, but from one
// block when both draws fit in its four words.
func pair(dx, dy *dist, seed, entity uint64, day int, purpose rng.Purpose) (x, y float64) {
	n := int(dx.words) + int(dy.words)
	switch {
	case n == 0:
		return dx.Value, dy.Value
	case n <= 4:
		w := block(seed, entity, day, purpose)
		return dx.sample(w[:dx.words]), dy.sample(w[dx.words:n])
	}
	s := rng.New(seed, entity, day, purpose)
	return dx.Sample(&s), dy.Sample(&s)
}
