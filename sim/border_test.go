package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/migsim/migsim/sim/rng"
	"github.com/migsim/migsim/sim/scenario"
)

// The CBP One queue gives exactly its slots a day: half to the earliest
// registrations, half by lottery among the others, and keeps the rest in
// registration order. Those booked keep their places until those who left
// are an eighth of the queue: 100 filed, 10 booked a day, so the queue holds
// 100 places after days 0 and 1 (10 and 20 left: 80 and 160 are not over
// 100) and is compacted to the 80 still registered on day 2.
func TestCBPOneQueueAdmitsExactlyItsSlots(t *testing.T) {
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "border.us.cbp_one_open", true)
		set(t, sc, "border.us.cbp_one_daily_slots", 10.0)
		set(t, sc, "border.us.cbp_one_earliest_share", 0.5)
	})
	m := dayZeroModel(t, sc)
	for i := 0; i < 100; i++ {
		a := m.ag.add(0, 3, goalUS, 100, 0.5, 0).id
		m.registerCBP(&m.roomTally, a)
	}
	// The registered in the queue, in its order.
	registered := func() []int32 {
		var out []int32
		for _, a := range m.cbpQ.ids {
			if m.ag.cbp[a] == cbpRegistered {
				out = append(out, a)
			}
		}
		return out
	}
	before := slices.Clone(m.roomTally.cbpReg) // the 100, in order of registration
	for day, places := range []int{100, 100, 80} {
		m.dayTally.reset(len(m.w.nodes), len(m.w.nats))
		m.allocateCBP(day)
		m.roomTally.cbpReg = m.roomTally.cbpReg[:0] // filed
		if got := m.dayTally.ev[TotCBPBooked]; got != 10 {
			t.Fatalf("day %d: %d booked, want 10", day, got)
		}
		for i := 0; i < 5; i++ {
			if m.ag.cbp[before[i]] != cbpBooked {
				t.Errorf("day %d: earliest registrant #%d (agent %d) not booked", day, i, before[i])
			}
		}
		after := registered()
		if len(after) != len(before)-10 {
			t.Fatalf("day %d: %d registered in the queue after, want %d", day, len(after), len(before)-10)
		}
		for i := 1; i < len(after); i++ {
			if after[i] <= after[i-1] {
				t.Fatalf("day %d: queue out of registration order at %d", day, i)
			}
		}
		if len(m.cbpQ.ids) != places {
			t.Fatalf("day %d: queue of %d places, want %d", day, len(m.cbpQ.ids), places)
		}
		checkQueueCounts(t, m, day)
		before = after
	}
	booked := 0
	for a := range m.ag.cbp {
		if m.ag.cbp[a] == cbpBooked {
			booked++
			if got, want := int(m.ag.appt[a]), 0; got < want {
				t.Errorf("appointment day %d", got)
			}
		}
	}
	if booked != 30 {
		t.Errorf("%d booked after 3 days of 10 slots", booked)
	}
	// A cancellation leaves no place behind, not even the 10 booked on day
	// 2 (fewer than an eighth): those voided may register again.
	m.voidCBP(0)
	if len(m.cbpQ.ids) != 0 || m.cbpQ.registered() != 0 {
		t.Fatalf("after the cancellation the queue holds %d places, %d registered; want none", len(m.cbpQ.ids), m.cbpQ.registered())
	}
	again := before[0]
	m.registerCBP(&m.roomTally, again)
	m.fileRegistered()
	if len(m.cbpQ.ids) != 1 || m.cbpQ.registered() != 1 || m.cbpQ.at(0, m.ag.cbp) != again {
		t.Fatalf("registered again: %d places, %d registered; want agent %d alone", len(m.cbpQ.ids), m.cbpQ.registered(), again)
	}
	checkQueueCounts(t, m, 3)
}

// Cancelling CBP One voids every registration and appointment: the day it
// closes, cbp_one_voided equals those registered or booked the day before,
// and nobody enters through CBP One afterwards.
func TestCBPOneCancellationVoidsAppointments(t *testing.T) {
	closeDay := 40
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "border.us.cbp_one_open", true)
		set(t, sc, "border.us.cbp_one_daily_slots", 3.0)
		set(t, sc, "border.us.cbp_one_register_chance", 1.0)
		set(t, sc, "border.us.cbp_one_lead_days", int64(10))
		sc.Policies = append(sc.Policies, scenario.Policy{
			Name: "cancel", Date: sc.Meta.Start.AddDate(0, 0, closeDay), Path: "border.us.cbp_one_open", Set: false, Source: "assumption",
		})
	})
	var holding int64
	r := run(t, sc, 2, func(m *Model, d int) {
		if d == closeDay-1 {
			for a := range m.ag.cbp {
				if m.ag.cbp[a] != cbpNone {
					holding++
				}
			}
		}
	})
	if holding == 0 {
		t.Fatal("nobody held a registration before the cancellation")
	}
	if got := col(r, closeDay, TotCBPVoided); got != float64(holding) {
		t.Errorf("voided %v on the day of cancellation, want %d", got, holding)
	}
	var before, after float64
	for d := 0; d < r.Days; d++ {
		if d < closeDay {
			before += col(r, d, TotEnteredUSCBPOne)
		} else {
			after += col(r, d, TotEnteredUSCBPOne)
			if col(r, d, TotCBPRegistered)+col(r, d, TotCBPBooked) != 0 {
				t.Fatalf("day %d: registrations or bookings after the cancellation", d)
			}
		}
	}
	if before == 0 || after != 0 {
		t.Errorf("CBP One entries: %v before, %v after the cancellation", before, after)
	}
}

// People in the US leave at a constant daily rate q: of N who entered on
// one day, N·exp(−q·t) remain t days later (the cumulative-hazard method is
// exact in continuous time).
func TestInteriorDeparturesFollowTheHazard(t *testing.T) {
	const q = 0.02
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "origin.ven.pool", 20000.0)
		set(t, sc, "origin.ven.base_rate", 1.0)
		set(t, sc, "origin.ven.budget", 100000.0)
		set(t, sc, "border.us.irregular_attempt_chance", 1.0)
		set(t, sc, "border.us.apprehension", 0.0)
		set(t, sc, "border.us.interior_removal_rate", q)
		set(t, sc, "behaviour.initial_belief", 1.0)
	})
	r := run(t, sc, 2, nil)
	// The pool leaves over the first days (a Poisson draw per day), so the
	// entrants come in a few daily cohorts; each decays on its own.
	var entered, want, variance float64
	last := r.Days - 1
	for d := 0; d < r.Days; d++ {
		n := col(r, d, TotEnteredUSIrregular)
		p := math.Exp(-q * float64(last-d))
		entered += n
		want += n * p
		variance += n * p * (1 - p)
	}
	if entered != 20000 {
		t.Fatalf("%v entered, want the whole pool of 20000", entered)
	}
	got := col(r, last, TotInUS)
	if sd := math.Sqrt(variance); math.Abs(got-want) > 5*sd {
		t.Errorf("in the US at the end: %v, want %.0f ± %.0f", got, want, 5*sd)
	}
}

// Policies set, scale and ramp parameters from their date, for one
// nationality or all, until their end date.
func TestPolicySchedule(t *testing.T) {
	sc := loadLine(t, func(sc *scenario.Scenario) {
		day := func(d int) time.Time { return sc.Meta.Start.AddDate(0, 0, d) }
		f := 0.5
		sc.Policies = []scenario.Policy{
			{Name: "ramp", Date: day(10), Path: "border.us.cbp_one_daily_slots", Ramp: &scenario.Ramp{To: 100, Days: 4}, Source: "assumption"},
			{Name: "half", Date: day(20), Until: day(25), Path: "border.us.cbp_one_daily_slots", Scale: &f, Source: "assumption"},
			{Name: "ven", Date: day(5), Path: "node.port.food_cost", Set: 9.0, Nationality: "VEN", Source: "assumption"},
		}
	})
	s := newSchedule(sc)
	want := map[int]float64{9: 0, 10: 25, 11: 50, 12: 75, 13: 100, 14: 100, 20: 50, 24: 50, 25: 100}
	for d, v := range want {
		eff, err := s.effective(d, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := eff.Border.US.CBPOneDailySlots; got != v {
			t.Errorf("day %d: slots %v, want %v", d, got, v)
		}
	}
	common, _ := s.effective(6, "")
	ven, _ := s.effective(6, "VEN")
	if common.Nodes[1].FoodCost != 5 || ven.Nodes[1].FoodCost != 9 {
		t.Errorf("nationality policy: common food cost %v (want 5), VEN food cost %v (want 9)", common.Nodes[1].FoodCost, ven.Nodes[1].FoodCost)
	}
	for d, changes := range map[int]bool{0: true, 4: false, 5: true, 11: true, 14: false, 20: true, 21: false, 25: true} {
		if got := s.changes(d); got != changes {
			t.Errorf("changes(%d) = %v, want %v", d, got, changes)
		}
	}
}

// People registered with CBP One and waiting for a slot try to cross
// between ports with daily chance irregular_attempt_chance ×
// cbp_one_queue_attempt_share × belief; the unregistered with
// irregular_attempt_chance × belief. With nobody caught, each attempt is an
// entry: of 20,000 registrants with belief 0.5, chance 0.4 and share 0.5,
// 2,000 ± 5·√(20000·0.1·0.9) enter on one day; with share 0 none does.
func TestRegisteredCrossBetweenPortsAtTheirShare(t *testing.T) {
	for _, tc := range []struct {
		share, want float64
	}{{0.5, 2000}, {0, 0}, {1, 4000}} {
		sc := loadLine(t, func(sc *scenario.Scenario) {
			set(t, sc, "border.us.cbp_one_open", true)
			set(t, sc, "border.us.irregular_attempt_chance", 0.4)
			set(t, sc, "border.us.cbp_one_queue_attempt_share", tc.share)
			set(t, sc, "border.us.apprehension", 0.0)
		})
		m := dayZeroModel(t, sc)
		const n = 20000
		entered, waiting := 0, 0
		for i := 0; i < n; i++ {
			s := m.ag.add(0, 3, goalUS, 1e6, 0.5, 0)
			m.registerCBP(m.chunks[0], s.id) // registered today, not yet filed
			var bw lazyBlock
			if m.atBorder(m.chunks[0], &s, 1, m.params[1], 0, &bw) {
				if s.wait != waitCBPQueue || m.ag.cbp[s.id] != cbpRegistered {
					t.Fatalf("agent %d stayed with wait %d and CBP One standing %d; want the queue", s.id, s.wait, m.ag.cbp[s.id])
				}
				waiting++
			} else {
				entered++
			}
		}
		p := tc.want / n
		if sd := math.Sqrt(n * p * (1 - p)); math.Abs(float64(entered)-tc.want) > 5*sd || entered+waiting != n {
			t.Errorf("share %v: %d entered, %d waiting; want %v ± %.0f entered", tc.share, entered, waiting, tc.want, 5*sd)
		}
	}
}

// Of those who give up at a node with settle_share s, a share s settle
// there (settled elsewhere, their journey over); the rest turn for home.
// 20,000 giving up at the border with s = 0.3: 6,000 ± 5·√(20000·0.3·0.7)
// settle.
func TestGivingUpSettlesAtTheNodesShare(t *testing.T) {
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "node.border.settle_share", 0.3)
		set(t, sc, "origin.ven.home_share", 1.0)
	})
	m := dayZeroModel(t, sc)
	const n = 20000
	settled := 0
	c := m.chunks[0]
	for i := 0; i < n; i++ {
		s := m.ag.add(0, 3, goalUS, 100, 0.5, 0)
		done := m.giveUp(c, &s, &m.w.groups[0], m.params[1], 0, 1)
		switch {
		case done && m.ag.state[s.id] == stElsewhere:
			settled++
		case done || s.goal != goalHome:
			t.Fatalf("agent %d: done %v, state %d, goal %d; want settled, or heading home", s.id, done, m.ag.state[s.id], s.goal)
		}
	}
	if sd := math.Sqrt(n * 0.3 * 0.7); math.Abs(float64(settled)-6000) > 5*sd || c.ev[TotSettledElsewhere] != int64(settled) {
		t.Errorf("%d settled (tally %d), want 6000 ± %.0f", settled, c.ev[TotSettledElsewhere], 5*sd)
	}
}

// dayZeroModel builds a one-worker model of sc with the policies of day 0 in
// force and its chunks made, ready for a test to call one rule directly.
func dayZeroModel(t *testing.T, sc *scenario.Scenario) *Model {
	t.Helper()
	m, err := New(sc, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.applyPolicies(0); err != nil {
		t.Fatal(err)
	}
	m.makeChunks()
	return m
}

// TestUSQueuePopsInOrder pushes entries by the day, many with the same at,
// and pops those due each day: they must come out sorted by (at, id), as
// a sort of everyone due gives them, with the count right throughout; runs
// used up and runs mostly used up (moved to a smaller array) along the
// way.
func TestUSQueuePopsInOrder(t *testing.T) {
	var q usQueue
	var waiting []usEntry // what the queue should hold, in no order
	x := uint32(12345)
	next := func() uint32 { x = x*1664525 + 1013904223; return x >> 8 }
	less := func(a, b usEntry) bool {
		if a.at != b.at {
			return a.at < b.at
		}
		return a.id < b.id
	}
	// The halves of a long day are sorted by each, here one after the
	// other.
	each := func(n, _ int, f func(i int)) {
		for i := 0; i < n; i++ {
			f(i)
		}
	}
	id := int32(0)
	popped := 0
	for day := 0; day < 400; day++ {
		// Day 0 brings 10,000 (a run of its own mostly used up over the
		// days, sorted in halves and merged); then 0 to 60 a day, due within
		// 300 days.
		n := int(next() % 61)
		if day == 0 {
			n = 10000
		}
		for i := 0; i < n; i++ {
			e := usEntry{at: float64(day) + float64(next()%300), id: id}
			id++
			q.push(e)
			waiting = append(waiting, e)
		}
		q.seal(each)
		if q.len() != len(waiting) {
			t.Fatalf("day %d: the queue holds %d, want %d", day, q.len(), len(waiting))
		}
		// Pop those due today; they must be the due ones, in order.
		sort.Slice(waiting, func(i, j int) bool { return less(waiting[i], waiting[j]) })
		due := 0
		for due < len(waiting) && waiting[due].at <= float64(day) {
			due++
		}
		for i := 0; i < due; i++ {
			if !q.sealed() || q.first().at > float64(day) {
				t.Fatalf("day %d: %d due, the queue gave %d", day, due, i)
			}
			if got := q.pop(); got != waiting[i] {
				t.Fatalf("day %d, pop %d: (%g, %d), want (%g, %d)", day, i, got.at, got.id, waiting[i].at, waiting[i].id)
			}
			popped++
		}
		if q.sealed() && q.first().at <= float64(day) {
			t.Fatalf("day %d: (%g, %d) due after the %d due were popped", day, q.first().at, q.first().id, due)
		}
		waiting = waiting[due:]
	}
	if popped < 10000 || len(waiting) == 0 {
		t.Fatalf("popped %d, %d left: the test should pop more than 10,000 and leave some", popped, len(waiting))
	}
}

// TestLotteryPicksAsAFullShuffle checks the lottery's sparse shuffle
// against the textbook one, which swaps in an array of every place: on the
// same stream both must pick the same places in the same order, and the
// picks must be distinct places of [0, n).
func TestLotteryPicksAsAFullShuffle(t *testing.T) {
	moved := make(map[int32]int32)
	for _, c := range []struct{ n, k int }{{1, 1}, {5, 0}, {5, 5}, {7, 3}, {1000, 999}, {100000, 1450}} {
		for seed := uint64(1); seed <= 3; seed++ {
			full := make([]int32, c.n)
			for i := range full {
				full[i] = int32(i)
			}
			s := rng.New(seed, entityCBP, 9, purposeLottery)
			var want []int32
			for i := 0; i < c.k; i++ {
				j := i + s.Intn(c.n-i)
				full[i], full[j] = full[j], full[i]
				want = append(want, full[i])
			}
			var got []int32
			seen := make(map[int32]bool)
			s = rng.New(seed, entityCBP, 9, purposeLottery)
			lotteryPicks(&s, c.n, c.k, moved, func(i int32) {
				if i < 0 || int(i) >= c.n || seen[i] {
					t.Fatalf("n=%d k=%d seed %d: pick %d out of range or repeated", c.n, c.k, seed, i)
				}
				seen[i] = true
				got = append(got, i)
			})
			if len(got) != c.k {
				t.Fatalf("n=%d k=%d seed %d: %d picks", c.n, c.k, seed, len(got))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("n=%d k=%d seed %d: pick %d is %d, the full shuffle's %d", c.n, c.k, seed, i, got[i], want[i])
				}
			}
		}
	}
}

// TestRegisteredAreWaiting: every way out of waiting at the border ends a
// CBP One registration and takes the person out of the queue's counts
// (cbpqueue.go). Each day, with every mechanism on, everyone registered
// must be at a node or travelling, and the queue's counts must be those of
// its registered, each in the block its record holds, nobody twice (the
// day's bookings run in parallel). And a registered person who dies on an
// edge (the way out that ends no registration by itself) must lapse: dead,
// out of the queue, still voided by a cancellation.
func TestRegisteredAreWaiting(t *testing.T) {
	sc := loadLine(t, func(sc *scenario.Scenario) {
		busy(t, sc)
		// Some of those caught crossing are removed home, registered or not.
		set(t, sc, "border.us.cbp_one_queue_attempt_share", 0.5)
		set(t, sc, "border.us.apprehension", 0.8)
		set(t, sc, "border.us.asylum_access", 0.2)
		set(t, sc, "border.us.expulsion_share", 0.5)
	})
	registered := 0
	run(t, sc, 2, func(m *Model, d int) {
		for a, c := range m.ag.cbp {
			if c == cbpRegistered {
				registered++
				if st := m.ag.state[a]; st != stAtNode && st != stTravel {
					t.Fatalf("day %d: agent %d is registered with CBP One in state %d", d, a, st)
				}
			}
		}
		checkQueueCounts(t, m, d)
	})
	if registered == 0 {
		t.Fatal("nobody registered: the check checked nothing")
	}

	sc = loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "edge.across-border.death_risk", 1.0)
		set(t, sc, "border.us.cbp_one_open", true)
	})
	m := dayZeroModel(t, sc)
	s := m.ag.add(0, int16(m.w.nodeIndex["across"]), goalUS, 500, 0.5, 0)
	m.registerCBP(&m.roomTally, s.id)
	waiting := m.ag.add(0, 3, goalUS, 500, 0.5, 0).id // registered, at the border
	m.registerCBP(&m.roomTally, waiting)
	m.fileRegistered()
	m.ag.state[s.id] = stTravel
	s.node = int16(m.w.edgeIndex["across-border"])
	var risk [4]uint32 // words of 0: every chance happens
	if m.arriveOne(m.chunks[0], &s, 1, &risk) {
		t.Fatal("the traveller survived an edge of death risk 1")
	}
	if m.ag.state[s.id] != stDead || m.ag.cbp[s.id] != cbpLapsed {
		t.Fatalf("after dying registered: state %d, CBP One standing %d; want dead (%d) and lapsed (%d)", m.ag.state[s.id], m.ag.cbp[s.id], stDead, cbpLapsed)
	}
	if n := m.cbpQ.registered(); n != 1 {
		t.Fatalf("the queue counts %d registered after one of two died", n)
	}
	checkQueueCounts(t, m, 1)
	m.voidCBP(0)
	if m.ag.cbp[s.id] != cbpNone || m.ag.cbp[waiting] != cbpNone || m.dayTally.ev[TotCBPVoided] != 2 {
		t.Fatalf("after the cancellation: standings %d and %d, %d voided; want none (%d) and 2", m.ag.cbp[s.id], m.ag.cbp[waiting], m.dayTally.ev[TotCBPVoided], cbpNone)
	}
	if n := m.cbpQ.registered(); n != 0 {
		t.Fatalf("the queue counts %d registered after the cancellation", n)
	}
	checkQueueCounts(t, m, 1)
}

// checkQueueCounts checks the CBP One queue's counts against its places on
// day d: each block counts the registered in it, each registered there has
// its block in its record, and nobody registered is there twice.
func checkQueueCounts(t *testing.T, m *Model, d int) {
	t.Helper()
	q := &m.cbpQ
	seen := make(map[int32]bool)
	for b := range q.live {
		n := 0
		for _, a := range q.ids[b<<q.shift : min((b+1)<<q.shift, len(q.ids))] {
			if m.ag.cbp[a] != cbpRegistered {
				continue
			}
			n++
			if seen[a] {
				t.Fatalf("day %d: agent %d is twice in the CBP One queue", d, a)
			}
			seen[a] = true
			if int(m.ag.appt[a]) != b {
				t.Fatalf("day %d: agent %d's record holds block %d, its place is in block %d", d, a, m.ag.appt[a], b)
			}
		}
		if int(q.live[b]) != n {
			t.Fatalf("day %d: block %d counts %d registered, holds %d", d, b, q.live[b], n)
		}
	}
	if len(q.ids) > len(q.live)<<q.shift {
		t.Fatalf("day %d: %d places in %d blocks of %d", d, len(q.ids), len(q.live), 1<<q.shift)
	}
}

// TestBookAllAsOneByOne: the day's bookings, made by batches of picks side
// by side, leave the agents, the waiting room's entries and the filed
// wakes as booking the picks one after the other does (booked, then file):
// 6,000 waiting at the border, woken on candidate days of giving up about
// every 13 days, and 500 agents not in the room, 4,000 of them picked in a
// random order, appointments 14 days ahead — before some sleepers' wakes,
// on the day of some, after others.
func TestBookAllAsOneByOne(t *testing.T) {
	const d, lead = 1, 14
	build := func(workers int) *Model {
		sc := loadLine(t, func(sc *scenario.Scenario) {
			set(t, sc, "behaviour.giveup_base", -2.5) // candidate days of giving up every 13 days or so
		})
		m := roomOf(t, sc, 60, 6000, 100, 0.5)
		m.workers = workers
		for range 500 {
			m.ag.add(0, 3, goalUS, 100, 0.5, 0)
		}
		m.day = d
		return m
	}
	par, seq := build(2), build(1)
	rnd := rand.New(rand.NewPCG(9, 10))
	picks := rnd.Perm(par.ag.len())[:4000]
	var ids []int32
	for _, a := range picks {
		ids = append(ids, int32(a))
	}
	par.bookAll(ids, d, d+lead)
	filed := 0
	for _, a := range ids {
		seq.ag.cbp[a], seq.ag.appt[a] = cbpBooked, d+lead
		if tk, ok := seq.booked(a, d); ok {
			seq.file(tk)
			filed++
		}
	}
	if filed < 500 || filed > 3000 {
		t.Fatalf("%d of the 4,000 picks woken on the appointment's day: not the case meant", filed)
	}
	if !slices.Equal(par.ag.cbp, seq.ag.cbp) || !slices.Equal(par.ag.appt, seq.ag.appt) {
		t.Fatal("the agents' CBP One standing or appointment differ")
	}
	if !slices.Equal(par.room.entries, seq.room.entries) {
		t.Fatal("the waiting room's entries differ")
	}
	for day := range par.days {
		if !slices.Equal(par.room.wakes[day], seq.room.wakes[day]) {
			t.Fatalf("day %d: %d tokens filed, want %d (or they differ)", day, len(par.room.wakes[day]), len(seq.room.wakes[day]))
		}
	}
}
