package calibrate

import "math"

// The optimiser searches unbounded coordinates z; a parameter with bounds
// [lo, hi] takes the value
//
//	x = lo + (hi − lo) σ(z)                      (linear)
//	x = exp(ln lo + (ln hi − ln lo) σ(z))        (log = true)
//
// with σ(z) = 1 / (1 + e^−z), so every z gives a value inside the bounds.

// clampU keeps σ(z) away from 0 and 1, where z would be infinite.
const clampU = 1e-6

// toValue maps z to the parameter's value.
func (b *bound) toValue(z float64) float64 {
	u := 1 / (1 + math.Exp(-z))
	if b.Log {
		lo, hi := math.Log(b.Min), math.Log(b.Max)
		return math.Min(b.Max, math.Max(b.Min, math.Exp(lo+(hi-lo)*u)))
	}
	return b.Min + (b.Max-b.Min)*u
}

// toZ maps a value inside the bounds to z (the inverse of toValue); values
// at or beyond a bound map to the z of a value just inside it.
func (b *bound) toZ(x float64) float64 {
	var u float64
	if b.Log {
		lo, hi := math.Log(b.Min), math.Log(b.Max)
		u = (math.Log(x) - lo) / (hi - lo)
	} else {
		u = (x - b.Min) / (b.Max - b.Min)
	}
	u = math.Min(1-clampU, math.Max(clampU, u))
	return math.Log(u / (1 - u))
}
