package ensemble

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// The probabilities of the quantiles that ensembles report.
const (
	P05 = 0.05
	P50 = 0.5
	P95 = 0.95
)

// Quantile7 returns the p-quantile of the sorted sample x by R's default
// rule (Hyndman and Fan's type 7): with h = (n−1)p,
//
//	Q(p) = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])
//
// (0-based). x must be sorted in increasing order; p is clamped to [0, 1].
// It returns NaN for an empty sample.
func Quantile7(x []float64, p float64) float64 {
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	p = math.Min(1, math.Max(0, p))
	h := float64(n-1) * p
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return x[n-1]
	}
	return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
}

// Interval is the 5 %, 50 % and 95 % type-7 quantiles of a sample.
type Interval struct {
	Q05, Q50, Q95 float64
}

// Summarize returns the type-7 quantiles of x at 5, 50 and 95 %. It sorts a
// copy of x; x is not changed. An empty sample gives NaNs.
func Summarize(x []float64) Interval {
	s := slices.Clone(x)
	slices.Sort(s)
	return Interval{Quantile7(s, P05), Quantile7(s, P50), Quantile7(s, P95)}
}

// Format writes v as ensemble and sweep files do: rounded to 6 decimals,
// in the shortest form that reads back to that value, never in exponent
// notation; NaN is written "NA" (as R writes a missing value).
func Format(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NA"
	case math.IsInf(v, 1):
		return "Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	r := math.Round(v*1e6) / 1e6
	if math.IsInf(r, 0) { // |v| too large to scale: keep it as it is
		r = v
	}
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// checkSameShape reports an error unless every series has length n.
func checkSameShape(what string, series [][]float64, n int) error {
	for k, s := range series {
		if len(s) != n {
			return fmt.Errorf("ensemble: %s of replicate %d has %d values, want %d", what, k, len(s), n)
		}
	}
	return nil
}
