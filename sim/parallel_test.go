package sim

import (
	"context"
	"reflect"
	"testing"

	"github.com/migsim/migsim/sim/synth"
)

// Every parallel pass — decisions, night, arrivals, seat holders setting
// off, the seat resolution's sort and its edges — runs on lists long enough
// to be split, and the results are still identical for 1, 2 and 8 workers:
// a synthetic scenario whose agents all leave on the first days, so that
// arrivals and boardings come in large batches, with every other boat edge
// made unlimited so that whole crowds board at once.
func TestSameResultsForAnyWorkerCountEveryPass(t *testing.T) {
	sc, err := synth.Scenario(synth.Config{Agents: 250_000, Nodes: 64, Days: 40, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	limited := 0
	for i := range sc.Edges {
		if e := &sc.Edges[i]; e.BoatSize > 0 && e.Capacity > 0 {
			if limited%2 == 0 {
				e.Capacity = 0
			}
			limited++
		}
	}
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	var base *Result
	for _, workers := range []int{1, 2, 8} {
		m, err := New(sc, Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		var arrivals, requests int
		m.audit = func(d int) {
			n := 0
			for _, p := range m.pending[min(d+1, len(m.pending)-1)] {
				n += len(p)
			}
			arrivals = max(arrivals, n)
			requests = max(requests, int(m.seatStart[len(m.seatStart)-1]))
		}
		r, err := m.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if workers > 1 {
			r.Workers = base.Workers
			if !reflect.DeepEqual(base, r) {
				t.Errorf("workers=%d: results differ from workers=1", workers)
			}
			continue
		}
		base = r
		// The largest day of boardings: persons setting off on boats.
		boarded := int64(0)
		for d := range r.Flows {
			var n int64
			for e, f := range r.Flows[d] {
				if sc.Edges[e].BoatSize > 0 {
					n += f
				}
			}
			boarded = max(boarded, n)
		}
		if arrivals < minParallel || requests < minParallel || boarded < minParallel {
			t.Fatalf("largest day: %d arrivals, %d seat requests, %d boarded; want at least %d of each, so that the passes split",
				arrivals, requests, boarded, minParallel)
		}
	}
}
