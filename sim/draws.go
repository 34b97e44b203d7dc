package sim

import "github.com/migsim/migsim/sim/rng"

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
