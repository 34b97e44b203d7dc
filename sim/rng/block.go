package rng

// Block returns the first block of the stream New(seed, entity, day,
// purpose) — the four words its first four Uint32 calls return — without
// the bookkeeping of a Stream. Rules that draw for every agent every day
// take their numbers from one such block.
func Block(seed, entity uint64, day int, purpose Purpose) [4]uint32 {
	return philox(uint32(entity), uint32(entity>>32), uint32(day), uint32(purpose)<<16, uint32(seed), uint32(seed>>32))
}

// Block2 is Block for two entities at once: the two computations are
// interleaved so the processor works on both at the same time.
func Block2(seed, e1, e2 uint64, day int, purpose Purpose) (w1, w2 [4]uint32) {
	a0, a1, a2, a3 := uint32(e1), uint32(e1>>32), uint32(day), uint32(purpose)<<16
	b0, b1, b2, b3 := uint32(e2), uint32(e2>>32), uint32(day), uint32(purpose)<<16
	k0, k1 := uint32(seed), uint32(seed>>32)
	round := func() {
		p0 := uint64(philoxM0) * uint64(a0)
		p1 := uint64(philoxM1) * uint64(a2)
		q0 := uint64(philoxM0) * uint64(b0)
		q1 := uint64(philoxM1) * uint64(b2)
		a0, a1, a2, a3 = uint32(p1>>32)^a1^k0, uint32(p1), uint32(p0>>32)^a3^k1, uint32(p0)
		b0, b1, b2, b3 = uint32(q1>>32)^b1^k0, uint32(q1), uint32(q0>>32)^b3^k1, uint32(q0)
		k0 += philoxW0
		k1 += philoxW1
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

// philox is Philox4x32-10 unrolled on scalars, which the compiler keeps in
// registers: about twice as fast as a loop over arrays.
func philox(c0, c1, c2, c3, k0, k1 uint32) [4]uint32 {
	round := func() {
		p0 := uint64(philoxM0) * uint64(c0)
		p1 := uint64(philoxM1) * uint64(c2)
		c0, c1, c2, c3 = uint32(p1>>32)^c1^k0, uint32(p1), uint32(p0>>32)^c3^k1, uint32(p0)
		k0 += philoxW0
		k1 += philoxW1
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

// Uniform returns the number in [0, 1) that Float64 makes of the two words
// hi and lo (53 random bits).
func Uniform(hi, lo uint32) float64 {
	return float64((uint64(hi)<<32|uint64(lo))>>11) * (1.0 / (1 << 53))
}
