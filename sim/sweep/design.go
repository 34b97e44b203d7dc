package sweep

import (
	"math"

	"github.com/migsim/migsim/sim/ensemble"
	"github.com/migsim/migsim/sim/rng"
)

// Run is one run of a sweep: a design point and a replicate.
type Run struct {
	// ID numbers the runs from 0: ID = Point × replicates + Replicate.
	ID int
	// Point is the design point, Replicate the replicate.
	Point, Replicate int
	// Seed is ensemble.ReplicateSeed(base seed, Replicate): replicate k of
	// every design point shares its seed (common random numbers).
	Seed uint64
	// Values are the parameters' values, in the order of File.Params:
	// float64 or bool.
	Values []any
}

// Design returns the design points of f, each with one value per
// parameter. A grid lists every combination with the last parameter
// varying fastest; an LHS design has Samples points of a Latin hypercube
// drawn from rng streams keyed by seed, so it is a function of the seed.
func Design(f *File, seed uint64) [][]any {
	if f.Design == LHS {
		return lhs(f, seed)
	}
	n := f.Points()
	points := make([][]any, n)
	for i := range points {
		pt := make([]any, len(f.Params))
		rest := i
		for j := len(f.Params) - 1; j >= 0; j-- {
			vs := f.Params[j].Values
			pt[j] = vs[rest%len(vs)]
			rest /= len(vs)
		}
		points[i] = pt
	}
	return points
}

// The rng purposes of Latin hypercube designs: the permutation of the
// strata and the position within each stratum.
const (
	lhsPermPurpose rng.Purpose = 0xFFFD
	lhsPosPurpose  rng.Purpose = 0xFFFE
)

// lhs samples f's ranges with a Latin hypercube of K = f.Samples points:
// along every parameter j the range is cut into K equal strata and each
// stratum holds exactly one point, at a uniform position within it; the
// strata are matched across parameters by independent random permutations
// (McKay, Beckman and Conover 1979). Every draw comes from its own rng
// stream keyed by (seed, parameter, point), so the design depends on the
// seed alone.
func lhs(f *File, seed uint64) [][]any {
	k, d := f.Samples, len(f.Params)
	points := make([][]any, k)
	for i := range points {
		points[i] = make([]any, d)
	}
	perm := make([]int, k)
	for j, p := range f.Params {
		for i := range perm {
			perm[i] = i
		}
		// Fisher–Yates: step i swaps perm[i] with a uniform perm[i..k−1].
		for i := 0; i < k-1; i++ {
			s := rng.New(seed, uint64(j), i, lhsPermPurpose)
			r := i + s.Intn(k-i)
			perm[i], perm[r] = perm[r], perm[i]
		}
		for i := 0; i < k; i++ {
			s := rng.New(seed, uint64(j), i, lhsPosPurpose)
			u := (float64(perm[i]) + s.Float64()) / float64(k)
			v := p.Lo + u*(p.Hi-p.Lo)
			if p.Integer {
				v = math.Min(math.Max(math.Round(v), math.Ceil(p.Lo)), math.Floor(p.Hi))
			} else {
				v = math.Min(math.Max(v, p.Lo), p.Hi)
			}
			points[i][j] = v
		}
	}
	return points
}

// Runs returns every run of f with base seed base, in run-id order.
func Runs(f *File, base uint64) []Run {
	points := Design(f, base)
	runs := make([]Run, 0, len(points)*f.Replicates)
	for p, vals := range points {
		for k := 0; k < f.Replicates; k++ {
			runs = append(runs, Run{ID: len(runs), Point: p, Replicate: k, Seed: ensemble.ReplicateSeed(base, k), Values: vals})
		}
	}
	return runs
}
