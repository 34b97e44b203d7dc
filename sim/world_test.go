package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/migsim/migsim/sim/scenario"
)

// Tests of the compiled parameters' tables (world.go).

// TestAffordUpAsLogarithm: affordUp gives the grid's point ⌈8·log₂ b⌉ as
// math.Log2 works it out — or 1 beyond the grid, or the first point below
// a budget of 1 — at each of the grid's budgets and the float64s next to
// them, at each power of two, and at 100,000 random budgets.
func TestAffordUpAsLogarithm(t *testing.T) {
	grid := gridBudgets()
	ps := &paramSet{upTo: &grid}
	for i := range costGrid {
		ps.costUp = append(ps.costUp, float64(i)/costGrid) // a distinct value per point
	}
	want := func(b float64) float64 {
		if !(b >= 1) {
			return ps.costUp[0]
		}
		if i := gridIndex(b); i < len(ps.costUp) {
			return ps.costUp[i]
		}
		return 1
	}
	check := func(b float64) {
		if got, w := ps.affordUp(b), want(b); got != w {
			t.Fatalf("budget %v (bits %#x): %v, want %v", b, math.Float64bits(b), got, w)
		}
	}
	for _, u := range ps.upTo {
		for _, b := range []float64{u, math.Nextafter(u, 0), math.Nextafter(u, math.Inf(1))} {
			check(b)
		}
	}
	for e := range 40 {
		p := math.Exp2(float64(e))
		check(p)
		check(math.Nextafter(p, 0))
		check(math.Nextafter(p, math.Inf(1)))
	}
	rnd := rand.New(rand.NewPCG(5, 6))
	for range 100000 {
		check(math.Exp2(30*rnd.Float64() - 2))
	}
	check(math.NaN())
	check(0)
}

// TestCostUpSharedByPrice: sets of parameters with the same smugglers'
// price share one table of its CDF on the grid, and a set with another
// price gets its own; each table holds the CDF at 2^(i/8).
func TestCostUpSharedByPrice(t *testing.T) {
	sc, err := scenario.Load("testdata/line.toml")
	if err != nil {
		t.Fatal(err)
	}
	tab := newParamTables()
	check := func(ps *paramSet, price scenario.Dist) {
		t.Helper()
		if len(ps.costUp) != costGrid {
			t.Fatalf("%d points, want %d", len(ps.costUp), costGrid)
		}
		for i, got := range ps.costUp {
			if want := price.CDF(math.Exp2(float64(i) / 8)); got != want {
				t.Fatalf("%v: point %d is %v, want %v", price, i, got, want)
			}
		}
	}
	a, b := compileParams(sc.Clone(), tab), compileParams(sc.Clone(), tab)
	check(a, sc.Border.US.IrregularCost)
	if &a.costUp[0] != &b.costUp[0] {
		t.Error("two sets with the same price made two tables")
	}
	other := sc.Clone()
	other.Border.US.IrregularCost = scenario.Dist{Kind: scenario.DistLognormal, Median: 3000, Sigma: 0.5}
	if other.Border.US.IrregularCost == sc.Border.US.IrregularCost {
		t.Fatal("the test's price is the scenario's")
	}
	c := compileParams(other, tab)
	check(c, other.Border.US.IrregularCost)
	if &c.costUp[0] == &a.costUp[0] {
		t.Error("a set with another price shares the first one's table")
	}
	check(a, sc.Border.US.IrregularCost)
}
