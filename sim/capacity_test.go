package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// firstInLine admits exactly those a full sort of every request by
// (arrival day, lottery ticket, agent) puts first, in that order, drawing
// tickets only where they matter.
func TestFirstInLineIsTheHeadOfTheSortedQueue(t *testing.T) {
	m := &Model{seed: 9}
	r := rand.New(rand.NewPCG(1, 2)) // test data only
	for trial := 0; trial < 300; trial++ {
		n := 1 + r.IntN(200)
		group := make([]seatRequest, n)
		perm := r.Perm(5000)
		for i := range group {
			group[i] = seatRequest{a: int32(perm[i]), e: 3, since: uint16(100 + r.IntN(1+r.IntN(20)))}
		}
		d := 120
		want := slices.Clone(group)
		m.tickets(want, d)
		slices.SortFunc(want, byArrivalThenTicket)
		k := r.IntN(n + 2)
		got := m.firstInLine(group, k, d)
		if len(got) != min(k, n) || !slices.Equal(got, want[:len(got)]) {
			t.Fatalf("trial %d: n %d, k %d:\n got %v\nwant %v", trial, n, k, got, want[:min(k, n)])
		}
	}
}
