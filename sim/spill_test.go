package sim

import (
	"testing"

	"github.com/migsim/migsim/sim/scenario"
)

// lineWithSecondBoat is the test line with a second boat from the port to
// the far shore, of capacity 8 and the given fare, beside the first, of
// capacity 20 and fare 50.
func lineWithSecondBoat(t *testing.T, fare float64) *scenario.Scenario {
	t.Helper()
	return loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "origin.ven.base_rate", 0.1)
		set(t, sc, "edge.port-across.capacity", 20.0)
		for _, e := range sc.Edges {
			if e.ID == "port-across" {
				e.ID = "port-across-2"
				e.Cost = scenario.Fixed(fare)
				e.Capacity = 8
				sc.Edges = append(sc.Edges, e)
				break
			}
		}
	})
}

// TestFullBoatSpillsToAnother: route choice sends everybody to the first
// boat (the lower edge index on a tie); those it leaves without a seat take
// the free seats of the second, whose fare is within one day's value of
// time (10) of the first's. So every day with a queue at the port both boats
// carry exactly their capacities, 20 + 8.
func TestFullBoatSpillsToAnother(t *testing.T) {
	r := run(t, lineWithSecondBoat(t, 59), 2, nil)
	first, second, port := edgeIdx(r, "port-across"), edgeIdx(r, "port-across-2"), nodeIdx(r, "port")
	queued := 0
	for d := 0; d < r.Days; d++ {
		f1, f2 := r.Flows[d][first], r.Flows[d][second]
		if f1 > 20 || f2 > 8 {
			t.Fatalf("day %d: %d and %d on boats of capacity 20 and 8", d, f1, f2)
		}
		if f2 > 0 && f1 < 20 {
			t.Errorf("day %d: the second boat carried %d while the first had free seats (%d of 20)", d, f2, f1)
		}
		if r.Stocks[d][port].Waiting > 0 {
			queued++
			if f1 != 20 || f2 != 8 {
				t.Errorf("day %d: %d waiting at the port, boats carried %d and %d, want 20 and 8", d, r.Stocks[d][port].Waiting, f1, f2)
			}
		}
	}
	if queued < 10 {
		t.Errorf("only %d days with a queue: the test does not exercise the spill", queued)
	}
}

// TestDearerBoatIsNotTaken: a second boat whose fare is more than one day's
// value of time (10) above the first's (61 against 50) takes nobody, however
// long the queue for the first.
func TestDearerBoatIsNotTaken(t *testing.T) {
	r := run(t, lineWithSecondBoat(t, 61), 2, nil)
	first, second, port := edgeIdx(r, "port-across"), edgeIdx(r, "port-across-2"), nodeIdx(r, "port")
	queued := 0
	for d := 0; d < r.Days; d++ {
		if r.Flows[d][second] != 0 {
			t.Fatalf("day %d: %d took the dearer boat", d, r.Flows[d][second])
		}
		if r.Stocks[d][port].Waiting > 0 {
			queued++
			if r.Flows[d][first] != 20 {
				t.Errorf("day %d: the first boat carried %d of 20 with a queue", d, r.Flows[d][first])
			}
		}
	}
	if queued < 10 {
		t.Errorf("only %d days with a queue: the test does not exercise the spill", queued)
	}
}

// TestSpillGoesEitherWay: with the second boat the cheaper one (fare 45),
// everybody asks for it and those it leaves without a seat take the first
// boat's (fare 50, within a day's value of time): the spill does not depend
// on which edge comes first in the scenario.
func TestSpillGoesEitherWay(t *testing.T) {
	r := run(t, lineWithSecondBoat(t, 45), 2, nil)
	first, second, port := edgeIdx(r, "port-across"), edgeIdx(r, "port-across-2"), nodeIdx(r, "port")
	queued := 0
	for d := 0; d < r.Days; d++ {
		if r.Stocks[d][port].Waiting > 0 {
			queued++
			if f1, f2 := r.Flows[d][first], r.Flows[d][second]; f1 != 20 || f2 != 8 {
				t.Errorf("day %d: boats carried %d and %d with a queue, want 20 and 8", d, f1, f2)
			}
		}
	}
	if queued < 10 {
		t.Errorf("only %d days with a queue: the test does not exercise the spill", queued)
	}
}
