package scenario

import (
	"math"
	"testing"

	"github.com/migsim/migsim/sim/rng"
)

// CDF and Quantile invert each other, and the CDF matches the share of
// draws at or below a value (within 5 standard errors of 100,000 draws).
func TestDistCDFAndQuantile(t *testing.T) {
	s := rng.New(7, 1, 0, 1)
	for _, d := range []Dist{
		Fixed(12),
		{Kind: DistUniform, Min: 10, Max: 30},
		{Kind: DistTriangular, Min: 2, Mode: 5, Max: 11},
		{Kind: DistLognormal, Median: 300, Sigma: 1},
	} {
		const n = 100000
		xs := []float64{3, 12, 20, 50, 300, 900}
		below := make([]int, len(xs))
		for i := 0; i < n; i++ {
			v := d.Sample(&s)
			for j, x := range xs {
				if v <= x {
					below[j]++
				}
			}
		}
		for j, x := range xs {
			p := d.CDF(x)
			if sd := math.Sqrt(p * (1 - p) / n); math.Abs(float64(below[j])/n-p) > 5*sd+1e-12 {
				t.Errorf("%s: CDF(%g) = %g, but %d of %d draws are at or below it", d, x, p, below[j], n)
			}
		}
		if d.Kind == DistFixed {
			continue
		}
		for _, p := range []float64{0.01, 0.2, 0.5, 0.9, 0.999} {
			if got := d.CDF(d.Quantile(p)); math.Abs(got-p) > 1e-9 {
				t.Errorf("%s: CDF(Quantile(%g)) = %g", d, p, got)
			}
		}
	}
	// Worked by hand: the lognormal of median 300 and sigma 1 is below its
	// median half the time and below 300·e (one sigma up) with Φ(1).
	ln := Dist{Kind: DistLognormal, Median: 300, Sigma: 1}
	if got := ln.CDF(300); math.Abs(got-0.5) > 1e-12 {
		t.Errorf("lognormal CDF at the median = %g, want 0.5", got)
	}
	if got := ln.CDF(300 * math.E); math.Abs(got-0.8413447460685429) > 1e-12 {
		t.Errorf("lognormal CDF one sigma up = %g, want Φ(1) = 0.841345", got)
	}
}
