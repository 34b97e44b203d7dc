package rng

import "testing"

// Block and Block2 give the first four words of the stream with the same
// key, and Uniform the number Float64 makes of two words.
func TestBlockIsTheStreamsFirstBlock(t *testing.T) {
	for _, seed := range []uint64{0, 1, 0xdeadbeefcafe} {
		for _, e := range []uint64{0, 7, 1 << 33, 3<<40 + 5} {
			for _, day := range []int{0, 1, 1825} {
				for _, p := range []Purpose{1, 9, 65535} {
					s := New(seed, e, day, p)
					want := [4]uint32{s.Uint32(), s.Uint32(), s.Uint32(), s.Uint32()}
					if got := Block(seed, e, day, p); got != want {
						t.Fatalf("Block(%d, %d, %d, %d) = %x, want %x", seed, e, day, p, got, want)
					}
					w1, w2 := Block2(seed, e, e+1, day, p)
					if w1 != want || w2 != Block(seed, e+1, day, p) {
						t.Fatalf("Block2(%d, %d, %d, %d, %d) differs from Block", seed, e, e+1, day, p)
					}
					f := New(seed, e, day, p)
					if u := Uniform(want[0], want[1]); u != f.Float64() {
						t.Fatalf("Uniform of the first two words %v differs from Float64", u)
					}
				}
			}
		}
	}
}

func BenchmarkBlock(b *testing.B) {
	var sink uint32
	for i := 0; i < b.N; i++ {
		sink += Block(1, uint64(i), 3, 1)[0]
	}
	_ = sink
}
