package rng

// Blocks computes Block for many entities at once: the first block of the
// stream New(seed, uint64(ids[i]), day, purpose) for every i (entity ids
// below 2³², such as agent ids), word j of it written to w[j][i]. Each w[j]
// must hold len(ids) words.
//
// On amd64 processors with AVX-512 it computes sixteen blocks at a time
// with vector instructions; elsewhere, and for the last len(ids) mod 16, in
// pure Go. Both give exactly the bits of Block (tested).
func Blocks(seed uint64, ids []uint32, day int, purpose Purpose, w *[4][]uint32) {
	n := len(ids)
	for j := range w {
		if len(w[j]) < n {
			panic("rng.Blocks: output shorter than ids")
		}
	}
	done := blocksVector(seed, ids, day, purpose, w)
	blocksGeneric(seed, ids[done:], day, purpose, w, done)
}

// blocksGeneric is Blocks in pure Go, writing from w[j][at] on.
func blocksGeneric(seed uint64, ids []uint32, day int, purpose Purpose, w *[4][]uint32, at int) {
	i := 0
	for ; i+1 < len(ids); i += 2 {
		a, b := Block2(seed, uint64(ids[i]), uint64(ids[i+1]), day, purpose)
		for j := range w {
			w[j][at+i], w[j][at+i+1] = a[j], b[j]
		}
	}
	if i < len(ids) {
		a := Block(seed, uint64(ids[i]), day, purpose)
		for j := range w {
			w[j][at+i] = a[j]
		}
	}
}

// roundKeys returns the keys of the ten Philox rounds under seed: round r
// uses keys[2r] and keys[2r+1].
func roundKeys(seed uint64) *[20]uint32 {
	var k [20]uint32
	k0, k1 := uint32(seed), uint32(seed>>32)
	for r := 0; r < 10; r++ {
		k[2*r], k[2*r+1] = k0, k1
		k0 += philoxW0
		k1 += philoxW1
	}
	return &k
}
