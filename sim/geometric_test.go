package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestLogTableAsWritten checks every entry of the generated logSteps
// against its formula.
func TestLogTableAsWritten(t *testing.T) {
	for i, s := range logSteps {
		inv := 1 / (1 + (float64(i)+0.5)/256)
		if s.inv != inv || s.ln != -math.Log(inv) {
			t.Fatalf("logSteps[%d] = %v, want {%v, %v}: run go run ./scripts/logtable", i, s, inv, -math.Log(inv))
		}
	}
}

// TestFastLogarithmsWithinTheirBounds checks the error bounds that
// geometricGap's allowances rest on, against math.Log and math.Log1p: lnFast
// within 4·10⁻¹⁵ + 10⁻¹⁵ of the size, ln1mFast within 5·10⁻¹³ of the size.
func TestFastLogarithmsWithinTheirBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for range 2_000_000 {
		v := r.Uint64N(1<<32-1) + 1
		want := math.Log(float64(v) / (1 << 32))
		if got := lnFast(float64(v), 32); math.Abs(got-want) > 4e-15+1e-15*math.Abs(want) {
			t.Fatalf("lnFast(%d·2⁻³²) = %v, math.Log %v", v, got, want)
		}
		x := math.Exp(r.Float64()*80 - 40)
		if got, want := lnFast(x, 0), math.Log(x); math.Abs(got-want) > 4e-15+1e-15*math.Abs(want) {
			t.Fatalf("lnFast(%v) = %v, math.Log %v", x, got, want)
		}
		p := math.Exp(-r.Float64() * 30) // 10⁻¹³ … 1
		if p >= 1 {
			continue
		}
		if got, want := ln1mFast(p), math.Log1p(-p); math.Abs(got-want) > 5e-13*math.Abs(want) {
			t.Fatalf("ln1mFast(%v) = %v, math.Log1p %v", p, got, want)
		}
	}
}

// TestGeometricGapAsTheLogarithms checks geometricGap and gapOf, bit for
// bit, against the expressions they stand for, for chances from 10⁻⁹ to
// nearly 1 (around 2⁻¹⁰, where ln1mFast changes method, too): at a spread
// of words, and at every word within 64 of the least word of each gap up
// to 300, where the quotient crosses a whole number and the fast path must
// give way.
func TestGeometricGapAsTheLogarithms(t *testing.T) {
	ps := []float64{1e-9, 3e-7, 1e-5, 1e-4, 1./1024 - 1e-12, 1. / 1024, 1./1024 + 1e-12, 0.001, 0.0123, 0.05, 0.1, 0.2, 0.3, 1. / 3, 0.5, 0.75, 0.9, 0.999, 1 - 1e-9}
	r := rand.New(rand.NewPCG(3, 5))
	for range 12 {
		ps = append(ps, math.Exp(-r.Float64()*20))
	}
	for _, p := range ps {
		lnq := math.Log1p(-p)
		check := func(u uint32) {
			want := math.Floor(lnUniform(u) / lnq)
			if got := geometricGap(u, p); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("p = %v, word %d: geometricGap %v, the logarithms %v", p, u, got, want)
			}
			if got := gapOf(u, lnq); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("p = %v, word %d: gapOf %v, the logarithms %v", p, u, got, want)
			}
		}
		for i := uint64(0); i < 300_000; i++ {
			check(uint32(i * 4294967291 % (1 << 32)))
		}
		for k := 1; k <= 300; k++ {
			// The least word of gap k is near 2³²·(1 − (1−p)^k).
			near := (1 << 32) * -math.Expm1(float64(k)*lnq)
			if near >= 1<<32 {
				break
			}
			for du := -64; du <= 64; du++ {
				if u := int64(near) + int64(du); u >= 0 && u < 1<<32 {
					check(uint32(u))
				}
			}
		}
	}
}
