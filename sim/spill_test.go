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

// boatDays runs the line with a second boat of the given fare and calls
// check with each day's passengers of the first and the second boat and
// whether people waited at the port; it fails the test if fewer than ten
// days had a queue (the spill would not be exercised).
func boatDays(t *testing.T, fare float64, check func(d int, first, second int64, queued bool)) {
	t.Helper()
	r := run(t, lineWithSecondBoat(t, fare), 2, nil)
	first, second, port := edgeIdx(r, "port-across"), edgeIdx(r, "port-across-2"), nodeIdx(r, "port")
	queued := 0
	for d := 0; d < r.Days; d++ {
		q := r.Stocks[d][port].Waiting > 0
		if q {
			queued++
		}
		check(d, r.Flows[d][first], r.Flows[d][second], q)
	}
	if queued < 10 {
		t.Errorf("only %d days with a queue: the test does not exercise the spill", queued)
	}
}

// TestFullBoatSpillsToAnother: route choice sends everybody to the first
// boat (the lower edge index on a tie); those it leaves without a seat take
// the free seats of the second, whose fare is within one day's value of
// time (10) of the first's. So every day with a queue at the port both boats
// carry exactly their capacities, 20 + 8.
func TestFullBoatSpillsToAnother(t *testing.T) {
	boatDays(t, 59, func(d int, f1, f2 int64, queued bool) {
		if f1 > 20 || f2 > 8 {
			t.Fatalf("day %d: %d and %d on boats of capacity 20 and 8", d, f1, f2)
		}
		if f2 > 0 && f1 < 20 {
			t.Errorf("day %d: the second boat carried %d while the first had free seats (%d of 20)", d, f2, f1)
		}
		if queued && (f1 != 20 || f2 != 8) {
			t.Errorf("day %d: people waiting at the port, boats carried %d and %d, want 20 and 8", d, f1, f2)
		}
	})
}

// TestDearerBoatIsNotTaken: a second boat whose fare is more than one day's
// value of time (10) above the first's (61 against 50) takes nobody, however
// long the queue for the first.
func TestDearerBoatIsNotTaken(t *testing.T) {
	boatDays(t, 61, func(d int, f1, f2 int64, queued bool) {
		if f2 != 0 {
			t.Fatalf("day %d: %d took the dearer boat", d, f2)
		}
		if queued && f1 != 20 {
			t.Errorf("day %d: the first boat carried %d of 20 with a queue", d, f1)
		}
	})
}

// TestSpillGoesEitherWay: with the second boat the cheaper one (fare 45),
// everybody asks for it and those it leaves without a seat take the first
// boat's (fare 50, within a day's value of time): the spill does not depend
// on which edge comes first in the scenario.
func TestSpillGoesEitherWay(t *testing.T) {
	boatDays(t, 45, func(d int, f1, f2 int64, queued bool) {
		if queued && (f1 != 20 || f2 != 8) {
			t.Errorf("day %d: boats carried %d and %d with a queue, want 20 and 8", d, f1, f2)
		}
	})
}
