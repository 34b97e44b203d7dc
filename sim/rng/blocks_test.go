package rng

import (
	"math/rand/v2"
	"testing"
)

// blocksWant returns Block of every id, word by word.
func blocksWant(seed uint64, ids []uint32, day int, p Purpose) [4][]uint32 {
	var w [4][]uint32
	for _, id := range ids {
		b := Block(seed, uint64(id), day, p)
		for j := range w {
			w[j] = append(w[j], b[j])
		}
	}
	return w
}

func newWords(n int) *[4][]uint32 {
	var w [4][]uint32
	for j := range w {
		w[j] = make([]uint32, n)
	}
	return &w
}

// Blocks, its pure-Go path and (where the processor has it) its AVX-512
// path give exactly Block's words, for any number of ids (whole vectors of
// sixteen and a rest), seeds, days and purposes.
func TestBlocksEqualsBlock(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4)) // test data only
	paths := map[string]func(seed uint64, ids []uint32, day int, p Purpose, w *[4][]uint32){
		"Blocks": Blocks,
		"generic": func(seed uint64, ids []uint32, day int, p Purpose, w *[4][]uint32) {
			blocksGeneric(seed, ids, day, p, w, 0)
		},
	}
	if hasAVX512() {
		paths["avx512"] = func(seed uint64, ids []uint32, day int, p Purpose, w *[4][]uint32) {
			n := blocksVector(seed, ids, day, p, w)
			if n != len(ids)&^15 {
				t.Fatalf("vector path computed %d of %d blocks", n, len(ids))
			}
			blocksGeneric(seed, ids[n:], day, p, w, n)
		}
	} else {
		t.Log("no AVX-512 on this machine: the vector path is not tested")
	}
	for _, n := range []int{0, 1, 2, 15, 16, 17, 31, 32, 33, 255, 256, 1000} {
		for trial := 0; trial < 5; trial++ {
			ids := make([]uint32, n)
			for i := range ids {
				ids[i] = r.Uint32()
			}
			if n > 2 {
				ids[0], ids[1] = 0, 1<<32-1
			}
			seed, day, p := r.Uint64(), r.IntN(70000), Purpose(r.Uint32())
			if trial == 0 {
				seed = 0
			}
			want := blocksWant(seed, ids, day, p)
			for name, f := range paths {
				got := newWords(n)
				f(seed, ids, day, p, got)
				for j := range want {
					for i := range want[j] {
						if got[j][i] != want[j][i] {
							t.Fatalf("%s: n %d, seed %#x, day %d, purpose %d: word %d of block %d (id %d) = %#x, want %#x",
								name, n, seed, day, p, j, i, ids[i], got[j][i], want[j][i])
						}
					}
				}
			}
		}
	}
}

// Blocks writes only the first len(ids) words of each output.
func TestBlocksWritesNoFurther(t *testing.T) {
	ids := make([]uint32, 40)
	w := newWords(48)
	for j := range w {
		for i := range w[j] {
			w[j][i] = 0xfeedface
		}
	}
	Blocks(1, ids, 2, 3, w)
	for j := range w {
		for i := 40; i < 48; i++ {
			if w[j][i] != 0xfeedface {
				t.Fatalf("word %d of entry %d overwritten", j, i)
			}
		}
	}
}

func BenchmarkBlocks(b *testing.B) {
	benchBlocks(b, func(ids []uint32, day int, w *[4][]uint32) { Blocks(1, ids, day, 13, w) })
}

func BenchmarkBlocksGeneric(b *testing.B) {
	benchBlocks(b, func(ids []uint32, day int, w *[4][]uint32) { blocksGeneric(1, ids, day, 13, w, 0) })
}

// benchBlocks times draw on batches of 256 entities, one day a batch, and
// reports the time per block.
func benchBlocks(b *testing.B, draw func(ids []uint32, day int, w *[4][]uint32)) {
	ids := make([]uint32, 256)
	for i := range ids {
		ids[i] = uint32(i * 7)
	}
	w := newWords(256)
	for i := 0; i < b.N; i++ {
		draw(ids, i, w)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ids)), "ns/block")
}
