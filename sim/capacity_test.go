package sim

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// firstInLine admits everybody who arrived before the cut day (the arrival
// day of the k-th in line) and a lottery's choice of those who arrived on
// it, boarding by arrival day; and the lottery is fair: over many days each
// of the tied is chosen with chance (k − earlier arrivals) / tied.
func TestFirstInLineAdmitsByArrivalThenLottery(t *testing.T) {
	desk := &seatDesk{}
	const seed = 9
	r := rand.New(rand.NewPCG(1, 2)) // test data only
	for trial := 0; trial < 300; trial++ {
		n := 1 + r.IntN(200)
		group := make([]seatRequest, n)
		list := make([]slot, n)
		perm := r.Perm(5000)
		for i := range group {
			list[i].id = int32(perm[i])
			group[i] = seatRequest{pos: int32(i), e: 3, since: uint16(100 + r.IntN(1+r.IntN(20)))}
		}
		k := r.IntN(n + 2)
		byDay := slices.Clone(group)
		slices.SortFunc(byDay, func(x, y seatRequest) int { return int(x.since) - int(y.since) })
		got := desk.firstInLine(seed, list, slices.Clone(group), k, 3, 120, nil)
		if len(got) != min(k, n) {
			t.Fatalf("trial %d: %d admitted, want %d", trial, len(got), min(k, n))
		}
		if k == 0 {
			continue
		}
		cut := byDay[len(got)-1].since
		var earlier, onCut int
		for _, q := range group {
			if q.since < cut {
				earlier++
			}
		}
		seen := map[int32]bool{}
		for i, q := range got {
			if i > 0 && q.since < got[i-1].since {
				t.Fatalf("trial %d: boarding out of arrival order at %d", trial, i)
			}
			if q.since > cut || seen[q.pos] {
				t.Fatalf("trial %d: admitted %v (cut day %d) twice or after the cut", trial, q, cut)
			}
			seen[q.pos] = true
			if q.since == cut {
				onCut++
			}
		}
		if earlier+onCut != len(got) {
			t.Fatalf("trial %d: %d earlier arrivals, %d of the cut day, %d admitted", trial, earlier, onCut, len(got))
		}
	}
	// Fairness: 10 tied for 3 seats, with 2 earlier arrivals and k = 5.
	// The tied are agents 0 … 9, at positions 2 … 11 of the list.
	list := []slot{{id: 100}, {id: 101}}
	group := []seatRequest{{pos: 0, since: 1}, {pos: 1, since: 1}}
	for i := int32(0); i < 10; i++ {
		list = append(list, slot{id: i})
		group = append(group, seatRequest{pos: 2 + i, since: 2})
	}
	chosen := make([]int, 10)
	const days = 20000
	for d := 0; d < days; d++ {
		for _, q := range desk.firstInLine(seed, list, slices.Clone(group), 5, 7, d, nil) {
			if q.since == 2 {
				chosen[list[q.pos].id]++
			}
		}
	}
	p := 3.0 / 10
	sd := math.Sqrt(days * p * (1 - p))
	for a, c := range chosen {
		if math.Abs(float64(c)-days*p) > 5*sd {
			t.Errorf("tied agent %d chosen on %d of %d days, want %.0f ± %.0f", a, c, days, days*p, 5*sd)
		}
	}
}

// TestByArrivalOrder checks byArrival against its definition — by arrival
// day, then by the first 64 bits of the agent's seat stream of the day,
// then by id — on lines long enough that words of the same day share the
// ticket's first 24 bits (30 pairs of neighbours of the 40,000 here), so
// that the sort of those runs in full is tried too; and byTicket, which
// sorts the lines too long for the words, on the same lines.
func TestByArrivalOrder(t *testing.T) {
	const seed, d = 11, 140
	r := rand.New(rand.NewPCG(5, 6)) // test data only
	for _, n := range []int{0, 1, 2, 37, 40000} {
		list := make([]slot, n)
		reqs := make([]seatRequest, n)
		perm := r.Perm(4 * n)
		for i := range reqs {
			list[i].id = int32(perm[i])
			reqs[i] = seatRequest{pos: int32(i), e: 2, since: uint16(100 + r.IntN(2))}
		}
		ticket := func(q seatRequest) uint64 {
			w := block(seed, uint64(list[q.pos].id), d, purposeSeat)
			return uint64(w[0])<<32 | uint64(w[1])
		}
		want := slices.Clone(reqs)
		slices.SortFunc(want, func(x, y seatRequest) int {
			if x.since != y.since {
				return int(x.since) - int(y.since)
			}
			if tx, ty := ticket(x), ticket(y); tx != ty {
				return cmp.Compare(tx, ty)
			}
			return int(list[x.pos].id - list[y.pos].id)
		})
		shared := 0
		for i := 1; i < n; i++ {
			if want[i].since == want[i-1].since && ticket(want[i])>>40 == ticket(want[i-1])>>40 {
				shared++
			}
		}
		if n == 40000 && shared == 0 {
			t.Fatal("no two requests share a day and 24 bits of ticket: the runs are not tried")
		}
		if n == 40000 {
			t.Logf("%d requests, %d pairs of neighbours sharing a day and 24 bits of ticket", n, shared)
		}
		got := slices.Clone(reqs)
		(&seatDesk{}).byArrival(seed, list, got, d)
		if !slices.Equal(got, want) {
			t.Fatalf("%d requests (%d sharing 24 bits): not in the order of day, ticket and id", n, shared)
		}
		// The records' sort, for lines too long for the words.
		recs := make([]ticketed, n)
		for i, q := range reqs {
			recs[i] = ticketed{key: ticket(q), r: q}
		}
		byTicket(list, recs)
		for i := range recs {
			if recs[i].r != want[i] {
				t.Fatalf("%d requests: byTicket puts %v at %d, want %v", n, recs[i].r, i, want[i])
			}
		}
	}
}

// A long queue is partitioned in segments (partitionInSegments) when
// firstInLine is given a runner of parallel tasks: it must admit the same
// requests in the same order and leave the same ones out, in the same
// order, as the partition in one piece, here with the tasks run on two
// goroutines at once.
func TestFirstInLineInSegmentsAsInOnePiece(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4)) // test data only
	each := func(n, _ int, f func(i int)) {
		done := make(chan bool)
		for w := 0; w < 2; w++ {
			go func() {
				for i := w; i < n; i += 2 {
					f(i)
				}
				done <- true
			}()
		}
		<-done
		<-done
	}
	for trial := 0; trial < 6; trial++ {
		n := 2*lineSegment + r.IntN(3*lineSegment)
		list := make([]slot, n)
		group := make([]seatRequest, n)
		for i := range group {
			list[i].id = int32(r.IntN(1 << 30))
			group[i] = seatRequest{pos: int32(i), e: 2, since: uint16(50 + r.IntN(1+trial*40))}
		}
		for _, k := range []int{1, 999, n / 2, n - 1} {
			var one, segs seatDesk
			want := slices.Clone(one.firstInLine(9, list, slices.Clone(group), k, 3, 120, nil))
			got := segs.firstInLine(9, list, slices.Clone(group), k, 3, 120, each)
			if !slices.Equal(got, want) || !slices.Equal(segs.left, one.left) {
				t.Fatalf("trial %d, %d of %d admitted: the segments admit or leave out others (%d and %d admitted, %d and %d left)",
					trial, k, n, len(got), len(want), len(segs.left), len(one.left))
			}
			if len(want) != k || len(one.left) != n-k {
				t.Fatalf("trial %d: %d admitted and %d left of %d, want %d and %d", trial, len(want), len(one.left), n, k, n-k)
			}
		}
	}
}
