package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/migsim/migsim/sim/scenario"
)

// roomOf returns a one-worker model of sc, run for days days, with n
// agents heading for the US put in the waiting room at the border node on
// day 0 with the given budget and belief. Each simulated day of stepRoom
// then hears the news news at the belief rate 0.1 (no local stories), so a
// belief equal to news stays where it is.
func roomOf(t *testing.T, sc *scenario.Scenario, days, n int, budget, belief float32) *Model {
	t.Helper()
	return roomAt(t, sc, "border", waitBorder, days, n, budget, belief)
}

// roomAt is roomOf with the agents at node, waiting for reason wait.
func roomAt(t *testing.T, sc *scenario.Scenario, node string, wait waitReason, days, n int, budget, belief float32) *Model {
	t.Helper()
	sc.Meta.End = sc.Meta.Start.AddDate(0, 0, days-1)
	m := dayZeroModel(t, sc)
	at := int16(m.w.nodeIndex[node])
	var slots []slot
	for i := 0; i < n; i++ {
		s := m.ag.add(0, at, goalUS, budget, belief, 0)
		s.wait = wait
		slots = append(slots, s)
	}
	m.keepDay(0)
	m.chunks[0].toRoom = slots
	m.admitToRoom(0)
	m.roomNight(0, make([][2]int64, len(m.w.nodes)))
	return m
}

// stepRoom runs the waiting room's part of day d (wakes, then the CBP One
// slots) with the news fixed at news, and returns what it tallied.
func stepRoom(m *Model, d int, news float64) *chunk {
	m.day = d
	for k := range m.todayNews {
		m.todayNews[k] = news
	}
	m.rates = behaviourRates{news: 0.1}
	m.makeChunks()
	m.dayTally.reset(len(m.w.nodes), len(m.w.nats))
	m.wakeRoom(d, nil)
	m.allocateCBP(d)
	m.roomNight(d, make([][2]int64, len(m.w.nodes)))
	return &m.roomTally
}

// within fails the test unless got is within 5 standard deviations of a
// binomial count of n trials of chance p.
func within(t *testing.T, what string, got int64, n int, p float64) {
	t.Helper()
	want := float64(n) * p
	if sd := math.Sqrt(float64(n) * p * (1 - p)); math.Abs(float64(got)-want) > 5*sd+0.5 {
		t.Errorf("%s: %d, want %.1f ± %.1f (5 sd)", what, got, want, 5*sd)
	}
}

// Giving up in the waiting room happens on each day with the daily rule's
// chance, logistic(base + per_month × waited/30 + belief term), though the
// sleepers are woken only on candidate days: of 20,000 waiters with belief
// 0.5 (held by news of 0.5), the number still waiting after t days is
// binomial with the product over days 1…t of (1 − h(day)), worked out here
// from the rule's formula.
func TestWaitingRoomGivesUpAtTheDailyChance(t *testing.T) {
	const base, perMonth, belief = -6.0, 1.2, -2.0
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "behaviour.giveup_base", base)
		set(t, sc, "behaviour.giveup_per_month_waited", perMonth)
		set(t, sc, "behaviour.giveup_belief", belief)
		set(t, sc, "node.border.settle_share", 0.0)
	})
	const n, days = 20000, 150
	m := roomOf(t, sc, days+1, n, 100, 0.5)
	left, woken := int64(n), int64(0)
	survive := 1.0
	for d := 1; d <= days; d++ {
		left -= stepRoom(m, d, 0.5).ev[TotGaveUp]
		woken += m.room.woken
		survive *= 1 - logistic(base+perMonth*float64(d)/30+belief*0.5)
		if d == 30 || d == 90 || d == days {
			within(t, "waiting after "+strconv.Itoa(d)+" days", left, n, survive)
			if got := m.room.count[m.w.nodeIndex["border"]]; got != left {
				t.Fatalf("day %d: the room counts %d waiting, the give-ups leave %d", d, got, left)
			}
		}
	}
	// The point of the room: far fewer wakes than waiter-days.
	if woken > n*days/5 {
		t.Errorf("%d wakes for %d waiter-days", woken, n*days)
	}
}

// A waiter tries to cross on a day with chance attempt × belief and can
// pay the smuggler with chance F(budget), the price's CDF: with nobody
// caught, each day's entries are binomial with chance
// q = 0.3 × 0.5 × F(120) for a lognormal price of median 300 and sigma 1,
// and the price paid is the lognormal's mean below 120, in closed form
// m·e^{σ²/2}·Φ((ln(120/m) − σ²)/σ) / Φ(ln(120/m)/σ).
func TestWaitingRoomCrossesWhenThePriceIsAffordable(t *testing.T) {
	price := scenario.Dist{Kind: scenario.DistLognormal, Median: 300, Sigma: 1}
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "border.us.irregular_attempt_chance", 0.3)
		set(t, sc, "border.us.irregular_cost", price)
		set(t, sc, "border.us.apprehension", 0.0)
	})
	const n, days, budget = 40000, 60, 120.0
	m := roomOf(t, sc, days+1, n, budget, 0.5)
	phi := func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
	z := math.Log(budget / 300)
	q := 0.3 * 0.5 * phi(z)
	left, paid := int64(n), int64(0)
	for d := 1; d <= days; d++ {
		c := stepRoom(m, d, 0.5)
		entered := c.ev[TotEnteredUSIrregular]
		within(t, "entries on day "+strconv.Itoa(d), entered, int(left), q)
		left -= entered
		paid += c.ev[TotSpentSmuggler]
		if len(c.entrants) != int(entered) {
			t.Fatalf("day %d: %d entrants filed, %d entries tallied", d, len(c.entrants), entered)
		}
	}
	within(t, "still waiting after "+strconv.Itoa(days)+" days", left, n, math.Pow(1-q, days))
	entrants := float64(int64(n) - left)
	mean := float64(paid) / 100 / entrants
	want := 300 * math.Exp(0.5) * phi(z-1) / phi(z)
	// The price below 120 has a standard deviation under 35: 5 standard
	// errors of the mean of the entrants' prices.
	if tol := 5 * 35 / math.Sqrt(entrants); math.Abs(mean-want) > tol {
		t.Errorf("mean price paid %.2f over %.0f entrants, want %.2f ± %.2f", mean, entrants, want, tol)
	}
}

// CBP One in the waiting room: with registering certain and every
// registrant given a slot, all register on day 1, are booked that day for
// day 1 + lead = 6 and enter on day 6 — not a day earlier or later, though
// nobody is woken on the days between.
func TestWaitingRoomEntersOnTheAppointmentDay(t *testing.T) {
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "border.us.cbp_one_open", true)
		set(t, sc, "border.us.cbp_one_register_chance", 1.0)
		set(t, sc, "border.us.cbp_one_daily_slots", 1000.0)
		set(t, sc, "border.us.cbp_one_lead_days", int64(5))
	})
	const n = 1000
	m := roomOf(t, sc, 20, n, 100, 0.5)
	for d := 1; d < 20; d++ {
		c := stepRoom(m, d, 0.5)
		reg, entered := c.ev[TotCBPRegistered], c.ev[TotEnteredUSCBPOne]
		switch {
		case d == 1 && (reg != n || m.dayTally.ev[TotCBPBooked] != n):
			t.Errorf("day 1: %d registered, %d booked; want %d and %d", reg, m.dayTally.ev[TotCBPBooked], n, n)
		case d == 6 && entered != n:
			t.Errorf("day 6: %d entered through CBP One, want %d", entered, n)
		case d != 6 && entered != 0:
			t.Errorf("day %d: %d entered through CBP One, want none", d, entered)
		}
		if d > 1 && d < 6 && m.room.woken != 0 {
			t.Errorf("day %d: %d woken while they only wait for the appointment", d, m.room.woken)
		}
	}
}

// Robbery in the waiting room: each night a waiter is robbed with the
// node's robbery_risk and loses robbery_loss of the budget. 20,000 waiters
// over 60 nights at risk 0.01: 12,000 ± 5·√(1.2M·0.01·0.99) robberies, and
// the money lost is half the budget of each one robbed.
func TestWaitingRoomRobberyAtTheNodesRisk(t *testing.T) {
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "node.border.robbery_risk", 0.01)
		set(t, sc, "node.border.robbery_loss", 0.5)
	})
	const n, days = 20000, 60
	m := roomOf(t, sc, days+1, n, 64, 0.5)
	var robbed, lost int64
	for d := 1; d <= days; d++ {
		c := stepRoom(m, d, 0.5)
		robbed += c.ev[TotRobbed]
		lost += c.ev[TotLostToCrime]
	}
	within(t, "robberies", robbed, n*days, 0.01)
	var left float64
	for _, e := range m.room.entries {
		left += float64(e.budget)
	}
	if got := float64(lost)/100 + left; math.Abs(got-n*64) > 1 {
		t.Errorf("money lost %.2f + left %.2f = %.2f, want the %d first held", float64(lost)/100, left, got, n*64)
	}
}

// Living costs in the waiting room: a waiter pays food + lodging each
// night while the budget covers it and then lives on labour and aid. With
// 1,000 waiters of budget 100 at 8 + 10 a night and nothing else
// happening, they pay nights 0 to 4 (5 × 18 = 90), keep 10, and from night
// 5 on, without aid, each counts a person-day of unmet need — worked out by
// hand, and tallied though nobody is woken.
func TestWaitingRoomPaysItsNightsWhileTheMoneyLasts(t *testing.T) {
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "node.border.food_cost", 8.0)
		set(t, sc, "node.border.lodging_cost", 10.0)
	})
	const n, days = 1000, 12
	m := roomOf(t, sc, days+1, n, 100, 0.5)
	border := m.w.nodeIndex["border"]
	for d := 1; d <= days; d++ {
		c := stepRoom(m, d, 0.5)
		spent, unmet := c.ev[TotSpentLiving], c.nodes[border].unmet
		want, wantUnmet := int64(n*1800), int64(0)
		if d >= 5 {
			want, wantUnmet = 0, n
		}
		if spent != want || unmet != wantUnmet || c.nodes[border].present != n || m.room.woken != 0 {
			t.Errorf("night %d: spent %d cents, unmet %d, present %d, woken %d; want %d, %d, %d, 0",
				d, spent, unmet, c.nodes[border].present, m.room.woken, want, wantUnmet, n)
		}
	}
	for i := range m.room.entries {
		e := &m.room.entries[i]
		e.payUpTo(days)
		if e.budget != 10 {
			t.Fatalf("agent %d: budget %v after the nights it could pay, want 10", e.id, e.budget)
		}
	}
}

// livingAcross returns the line scenario with living at node "across" —
// food 6, wage 20, work chance 0.5 — and a fare of fare onward from there.
func livingAcross(t *testing.T, fare float64) *scenario.Scenario {
	t.Helper()
	return loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "node.across.food_cost", 6.0)
		set(t, sc, "node.across.wage", 20.0)
		set(t, sc, "node.across.work_chance", 0.5)
		set(t, sc, "edge.across-border.cost", fare)
	})
}

// The stranded in the waiting room: each night they pay food_cost if they
// can and work with chance work_chance for the wage, though nobody is
// woken. 10,000 stranded with 200 each, food 6, wage 20 and chance 0.5,
// who cannot reach the 10,000 fare: after 30 nights each has
// 200 + 30 × (0.5 × 20 − 6) = 320 on average (sd √(30 × 20² × 0.25) ≈ 54.8
// each), all have paid 30 × 6 every night, and the nights worked are
// binomial(300,000, 0.5).
func TestWaitingRoomStrandedLiveByTheirWork(t *testing.T) {
	sc := livingAcross(t, 10000.0)
	const n, days = 10000, 30
	m := roomAt(t, sc, "across", waitStranded, days+1, n, 200, 0.5)
	across := m.w.nodeIndex["across"]
	var spent, worked int64
	for d := 1; d <= days; d++ {
		c := stepRoom(m, d, 0.5)
		spent += c.ev[TotSpentLiving]
		worked += c.ev[TotWorked]
		if got := c.nodes[across]; got.stranded != n || got.unmet != n || m.room.woken != 0 {
			t.Fatalf("night %d: %d stranded, %d unmet, %d woken; want %d, %d, 0", d, got.stranded, got.unmet, m.room.woken, n, n)
		}
	}
	if want := int64(n * days * 600); spent != want {
		t.Errorf("spent on food %d cents, want %d", spent, want)
	}
	within(t, "nights worked", worked, n*days, 0.5)
	var sum float64
	for i := range m.room.entries {
		e := &m.room.entries[i]
		m.liveUpTo(e, days)
		sum += float64(e.budget)
	}
	if mean, se := sum/n, 54.77/math.Sqrt(n); math.Abs(mean-320) > 5*se {
		t.Errorf("mean budget after %d nights %.2f, want 320 ± %.2f", days, mean, 5*se)
	}
}

// The stranded pay for food on each night they spend stranded and stop on
// the morning they can move on: 10,000 stranded with 200 each, food 6, wage
// 20 and work chance 0.5, against a fare of 250 (a night's net is 4 on
// average, so most reach it within a few weeks and few in the first
// days): on each night the food paid is 6 for each person stranded that
// night, while they leave one after another. (The plans of those who move
// on end on the eve of that morning.)
func TestWaitingRoomStrandedPayUntilTheyMoveOn(t *testing.T) {
	sc := livingAcross(t, 250.0)
	const n, days = 10000, 40
	m := roomAt(t, sc, "across", waitStranded, days+1, n, 200, 0.5)
	across := m.w.nodeIndex["across"]
	for d := 1; d <= days; d++ {
		c := stepRoom(m, d, 0.5)
		stranded := c.nodes[across].stranded
		if spent := c.ev[TotSpentLiving]; spent != 600*stranded {
			t.Fatalf("night %d: %d cents spent on food by %d stranded, want 600 each", d, spent, stranded)
		}
	}
	if left := m.room.strandCount[across]; left == 0 || left > n/2 {
		t.Errorf("%d of %d still stranded after %d nights: not the case meant", left, n, days)
	}
}

// The stranded move on the first morning the budget covers the fare: with
// nothing to pay, a wage of 100 against a fare of 100 and work chance 0.1,
// a person with nothing is still stranded on day k with chance 0.9^(k−1)
// (no work on nights 1…k−1).
func TestWaitingRoomStrandedMoveOnWhenTheyCan(t *testing.T) {
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "node.across.wage", 100.0)
		set(t, sc, "node.across.work_chance", 0.1)
	})
	const n, days = 20000, 40
	m := roomAt(t, sc, "across", waitStranded, days+1, n, 0, 0.5)
	across := m.w.nodeIndex["across"]
	moved := 0
	for d := 1; d <= days; d++ {
		m.day = d
		m.makeChunks()
		m.dayTally.reset(len(m.w.nodes), len(m.w.nats))
		m.rates = behaviourRates{news: 0.1}
		out := m.wakeRoom(d, nil)
		for _, s := range out {
			if s.wait != waitStranded || s.budget < 100 {
				t.Fatalf("day %d: agent %d woken with wait %d and budget %v; want stranded with the fare", d, s.id, s.wait, s.budget)
			}
		}
		moved += len(out)
		if d == 5 || d == 20 || d == days {
			within(t, "still stranded on day "+strconv.Itoa(d), m.room.strandCount[across], n, math.Pow(0.9, float64(d-1)))
			if int64(n-moved) != m.room.strandCount[across] {
				t.Fatalf("day %d: %d moved on but the room counts %d", d, moved, m.room.strandCount[across])
			}
		}
	}
}

// Closing CBP One voids the registrations of the stranded in the waiting
// room too — a failure each — and they stay stranded: 1,000 registered on
// day 1 at a node that allows it, voided on day 2, all still stranded
// there with one failure, and drawn anew without losing anyone.
func TestWaitingRoomVoidKeepsTheStrandedStranded(t *testing.T) {
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "border.us.cbp_one_open", true)
		set(t, sc, "border.us.cbp_one_register_chance", 1.0)
		set(t, sc, "node.across.cbp_one_eligible", true)
	})
	const n = 1000
	m := roomAt(t, sc, "across", waitStranded, 10, n, 0, 0.5)
	if c := stepRoom(m, 1, 0.5); c.ev[TotCBPRegistered] != n {
		t.Fatalf("%d registered on day 1, want %d", c.ev[TotCBPRegistered], n)
	}
	m.day = 2
	m.voidCBP(0)
	m.redrawRoom([]uint8{redrawBorder | redrawStranded}, m.params, m.routes, 2)
	across := m.w.nodeIndex["across"]
	for i := range m.room.entries {
		e := &m.room.entries[i]
		if e.wait != waitStranded || e.failures != 1 || m.ag.cbp[e.id] != cbpNone {
			t.Fatalf("agent %d: wait %d, %d failures, CBP One %d; want stranded, 1, none", e.id, e.wait, e.failures, m.ag.cbp[e.id])
		}
	}
	if m.room.strandCount[across] != n || m.room.count[across] != 0 {
		t.Errorf("room counts %d stranded and %d at the border at across, want %d and 0", m.room.strandCount[across], m.room.count[across], n)
	}
}

// beliefAt returns the belief of entry e of m at the end of day d, before it is
// kept as a float32 in [0, 1]: the days' updates since e.last, one after
// the other, entry by entry — what beliefsAt must give.
func beliefAt(m *Model, e *roomEntry, d int) float64 {
	r := &m.room
	k := m.w.groups[e.group].nat
	b := float64(e.belief)
	if lo := int(e.last) + 1; lo <= d {
		rates := r.newsRate[lo : d+1]
		news := r.news[k*m.days+lo : k*m.days+d+1][:len(rates)]
		keep := r.keep[int(e.node)*m.days+lo : int(e.node)*m.days+d+1][:len(rates)]
		for t, rate := range rates {
			b = dayOfNews(b, rate, news[t], keep[t])
		}
	}
	return b
}

// beliefsAt works out many entries' beliefs four at a time; each must be
// the number beliefAt gives, bit for bit, whatever the group sizes, the
// days to catch up (up to the 63 of the sort's last bucket and beyond) and
// the entries' nodes and nationalities.
func TestBeliefsAtGivesBeliefAt(t *testing.T) {
	sc := loadLine(t, func(sc *scenario.Scenario) { busy(t, sc) })
	checked, longest := 0, 0
	run(t, sc, 1, func(m *Model, d int) {
		if d%25 != 24 {
			return
		}
		var poss []int32
		for i := range m.room.entries {
			if m.room.entries[i].id >= 0 {
				poss = append(poss, int32(i))
			}
		}
		for _, at := range []int{d, min(d+70, m.days-1)} {
			for lo := 0; lo < len(poss); {
				n := min(1+lo%7, wakeBatchSize, len(poss)-lo) // groups of 4 and the rest
				if lo%3 == 0 {
					n = min(wakeBatchSize, len(poss)-lo)
				}
				batch := poss[lo : lo+n]
				got := make([]float64, n)
				m.beliefsAt(batch, at, got)
				for j, pos := range batch {
					e := &m.room.entries[pos]
					want := beliefAt(m, e, at)
					if math.Float64bits(got[j]) != math.Float64bits(want) {
						t.Fatalf("day %d, at %d, entry %d (last %d): beliefsAt %v, beliefAt %v", d, at, pos, e.last, got[j], want)
					}
					longest = max(longest, at-int(e.last))
					checked++
				}
				lo += n
			}
		}
	})
	if checked < 1000 || longest < 64 {
		t.Fatalf("checked %d beliefs, the longest catch-up %d days; want ≥ 1000 and ≥ 64", checked, longest)
	}
}

// TestFilePartsAsFileInOrder: tokens filed by fileParts, the parts side by
// side, are where file puts them one after the other in the order of the
// parts — after the tokens already filed, in that order on each day, today
// included, those due past daySpan days too, and none past the last day.
func TestFilePartsAsFileInOrder(t *testing.T) {
	for _, workers := range []int{1, 2} {
		m, err := New(loadLine(t, nil), Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		const today = 10
		m.day = today
		rnd := rand.New(rand.NewPCG(7, uint64(workers)))
		token := func(i, k int) dayToken {
			day := today + rnd.IntN(m.days-today+20) // a few past the last day
			return dayToken{int32(day), wakeToken{pos: int32(1000*i + k), gen: uint16(k)}}
		}
		want := make([][]wakeToken, m.days)
		for k := range 500 { // filed before
			tk := token(99, k)
			m.file(tk)
			if int(tk.day) < m.days {
				want[tk.day] = append(want[tk.day], tk.tok)
			}
		}
		parts := make([][]dayToken, 37)
		counts := make([]dayCounts, len(parts))
		far := 0
		for i := range parts {
			for k := range rnd.IntN(400) {
				parts[i] = append(parts[i], token(i, k))
			}
			counts[i].count(parts[i], today)
			far += counts[i].far
			for _, tk := range parts[i] {
				if int(tk.day) < m.days {
					want[tk.day] = append(want[tk.day], tk.tok)
				}
			}
		}
		if far == 0 || far == len(parts)*200 {
			t.Fatalf("%d tokens due past daySpan days: not the case meant", far)
		}
		m.fileParts(counts, func(i int) []dayToken { return parts[i] })
		for day := range m.days {
			if !slices.Equal(m.room.wakes[day], want[day]) {
				t.Fatalf("%d workers: day %d holds %d tokens, want %d (or they differ)", workers, day, len(m.room.wakes[day]), len(want[day]))
			}
		}
	}
}

// TestGiveUpBoundIsTheLargestEnd: the bound of giving up is, bit for bit,
// the logistic of the largest of the rule's logits at the four ends —
// first and last day of the span, belief 0 and 1 — worked out one by one,
// whatever the signs of the rule's slopes (zero included), looked up or
// not, inside the table's days waited and failures and beyond them.
func TestGiveUpBoundIsTheLargestEnd(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	slope := func() float64 {
		switch rnd.IntN(4) {
		case 0:
			return 0
		case 1:
			return -10 * rnd.Float64()
		}
		return 10 * rnd.Float64()
	}
	ps := &paramSet{}
	for i := range 100000 {
		b := &ps.behaviour
		if i%100 == 0 { // a new rule, its bounds looked up half the time
			b.GiveUpBase, b.GiveUpPerMonthWaited, b.GiveUpPerFailure = 20*rnd.Float64()-10, slope(), slope()
			b.GiveUpBelief, b.GiveUpStranded = slope(), slope()
			ps.giveUpUp = nil
			if i%200 == 0 {
				ps.giveUpUp = newGiveUpBounds(b)
			}
		}
		e := &roomEntry{}
		e.since, e.failures = uint16(rnd.IntN(1000)), uint8(rnd.IntN(256))
		if i%3 == 0 {
			e.failures = uint8(rnd.IntN(giveUpFailures + 1))
		}
		from := int(e.since) + rnd.IntN(2500)
		stranded := i%2 == 0
		x := math.Inf(-1)
		for _, waited := range [2]int{from + 1 - int(e.since), from + waitHorizon - int(e.since)} {
			for _, belief := range [2]float64{0, 1} {
				x = max(x, giveUpLogit(b, waited, e.failures, stranded, belief))
			}
		}
		if got, want := giveUpBound(e, ps, from, stranded), logistic(x); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%+v, since %d, failures %d, from %d, stranded %v: bound %v, want %v", *b, e.since, e.failures, from, stranded, got, want)
		}
	}
}

// TestWalkNightsKeepsTheBudgetAtMark: the budget a walk of a stranded
// person's nights gives for the end of night mark is, bit for bit, the
// budget a walk that ends there gives, for every mark of the span (its
// eve included), at budgets from none to plenty, with food, work, robbery
// and kidnapping: 300 stranded at "across", walks of 1 to 80 nights.
func TestWalkNightsKeepsTheBudgetAtMark(t *testing.T) {
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "node.across.food_cost", 6.0)
		set(t, sc, "node.across.wage", 20.0)
		set(t, sc, "node.across.work_chance", 0.3)
		set(t, sc, "node.across.robbery_risk", 0.05)
		set(t, sc, "node.across.robbery_loss", 0.4)
		set(t, sc, "node.across.kidnap_risk", 0.02)
		set(t, sc, "node.across.kidnap_loss", 0.8)
		set(t, sc, "edge.across-border.cost", 10000.0)
	})
	m := roomAt(t, sc, "across", waitStranded, 100, 300, 0, 0.5)
	rnd := rand.New(rand.NewPCG(7, 8))
	checked := 0
	for i := range m.room.entries {
		e := &m.room.entries[i]
		b := []float64{0, 3, 50, 400}[i%4] * rnd.Float64()
		lo := 1 + rnd.IntN(10)
		hi := lo + rnd.IntN(80)
		for mark := lo - 1; mark <= hi; mark++ {
			_, _, kept := m.walkNights(nil, e, b, lo, hi, 0, 0, 0, false, nil, mark)
			want, _, _ := m.walkNights(nil, e, b, lo, mark, 0, 0, 0, false, nil, -1)
			if math.Float64bits(kept) != math.Float64bits(want) {
				t.Fatalf("entry %d, budget %v, nights %d…%d: at the end of night %d %v, a walk ending there %v", i, b, lo, hi, mark, kept, want)
			}
			checked++
		}
	}
	if checked < 3000 {
		t.Fatalf("%d marks checked", checked)
	}
}

// TestPlansAddEveryChangeOnce gives two workers' plans changes to the
// nights of a pass on day 10 — in their window, before it, beyond it, past
// the run's end, and one too large to be listed — and checks the tally
// arrays against the sums worked out by hand after the pass, and that a
// second pass adds only its own.
func TestPlansAddEveryChangeOnce(t *testing.T) {
	const days, nodes, base = 200, 3, 10
	var tally [numTallies][]int64
	for a := range tally {
		tally[a] = make([]int64, nodes*(days+1))
	}
	at := func(node, night int) int { return node*(days+1) + night }
	var p, q plans
	pass := func() {
		p.start(base, days, nodes, &tally)
		q.start(base, days, nodes, &tally)
		p.add(1, base, tallyPaying, 1)                // the window's first night
		q.add(1, base, tallyPaying, 2)                // the same, from the other worker
		p.add(2, base+planSpan-1, tallySpent, 7)      // its last
		q.add(2, base+planSpan, tallySpent, -5)       // the first beyond it
		p.add(0, base-3, tallyLost, 11)               // before it
		q.add(0, base-3, tallyLost, 4)                // the same night, the other worker
		p.add(0, days, tallyWorked, 3)                // the run's last night
		q.add(0, days+1, tallyWorked, 100)            // past the run's end: dropped
		p.add(1, base+planSpan+50, tallyFoodDiff, -9) // far beyond
		q.add(1, base+planSpan+50, tallyFoodDiff, 2)  // the same, the other worker
		p.add(2, base+planSpan+9, tallyLost, 1<<40)   // beyond, too large to be listed
		q.add(2, base+planSpan+9, tallyLost, -3)      // the same night, listed
		p.apply()
		q.apply()
	}
	want := map[[2]int]int64{
		{tallyPaying, at(1, base)}:               3,
		{tallySpent, at(2, base+planSpan-1)}:     7,
		{tallySpent, at(2, base+planSpan)}:       -5,
		{tallyLost, at(0, base-3)}:               15,
		{tallyWorked, at(0, days)}:               3,
		{tallyFoodDiff, at(1, base+planSpan+50)}: -7,
		{tallyLost, at(2, base+planSpan+9)}:      1<<40 - 3,
	}
	for n := int64(1); n <= 2; n++ {
		pass()
		for a := range tally {
			for i, v := range tally[a] {
				if w := n * want[[2]int{a, i}]; v != w {
					t.Errorf("after pass %d: tally %d at %d = %d, want %d", n, a, i, v, w)
				}
			}
		}
	}
}

// TestAttemptChanceAsCDF: attemptChance decides as the trial with the
// price's CDF itself, chance(u, q·CDF(budget)/bound), for prices of each
// kind, budgets below, on and beside the grid's points and at random, and
// words around the trial's edge and at random.
func TestAttemptChanceAsCDF(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	prices := []scenario.Dist{
		{Kind: scenario.DistLognormal, Median: 4000, Sigma: 0.6},
		{Kind: scenario.DistLognormal, Median: 300, Sigma: 1.5},
		{Kind: scenario.DistUniform, Min: 500, Max: 9000},
		{Kind: scenario.DistTriangular, Min: 1000, Mode: 2500, Max: 12000},
		scenario.Fixed(3000),
	}
	sc, err := scenario.Load("testdata/line.toml")
	if err != nil {
		t.Fatal(err)
	}
	tab := newParamTables()
	for _, price := range prices {
		sc.Border.US.IrregularCost = price
		ps := compileParams(sc, tab)
		var budgets []float64
		for _, g := range ps.upTo {
			budgets = append(budgets, g, math.Nextafter(g, 0), math.Nextafter(g, math.Inf(1)))
		}
		for range 2000 {
			budgets = append(budgets, math.Exp(rnd.Float64()*14-2))
		}
		budgets = append(budgets, 0, 0.5, 1, 3000, 1e9)
		for _, b := range budgets {
			for _, q := range []float64{1, 0.37, 0.02} {
				bound := q * ps.affordUp(b) // as attemptBound makes it
				if bound == 0 {
					bound = 1
				}
				p := q * price.CDF(b) / bound
				edge := uint32(math.Min(math.Ceil(p*(1<<32)), math.MaxUint32))
				for _, u := range []uint32{0, edge - 1, edge, edge + 1, rnd.Uint32(), math.MaxUint32} {
					if got, want := ps.attemptChance(u, q, b, bound), chance(u, p); got != want {
						t.Fatalf("%v, budget %v, q %v, word %d: %v, want %v", price, b, q, u, got, want)
					}
				}
			}
		}
	}
}

// TestGiveUpDayByInversion: the candidate days of giving up drawn day by
// day (giveUpDay) follow the law of daily trials of each day's own bound,
// P(no candidate through day t) = ∏ (1 − B(v)) over the days after the
// draw, worked out here by the product of the rule's logistics: the words
// u of a fine grid are spread over the days as that law says, to within
// the grid's step. The wake divides by the same day's bound
// (giveUpDayBound), which is at least the rule's chance at any belief, and
// without the table both fall back to the horizon's one bound.
func TestGiveUpDayByInversion(t *testing.T) {
	b := scenario.Behaviour{GiveUpBase: -4, GiveUpPerMonthWaited: 0.9, GiveUpPerFailure: 0.8, GiveUpStranded: 1, GiveUpBelief: -3}
	ps := &paramSet{behaviour: b, giveUpUp: newGiveUpBounds(&b)}
	const step = 1 << 12 // 2²⁰ words
	for _, c := range []struct {
		since, from, after, until int
		failures                  uint8
		stranded                  bool
	}{
		{10, 10, 10, 70, 0, false},
		{0, 300, 301, 360, 2, true},
		{50, 90, 90, 120, 3, false},
		{5, 5, 6, 65, 1, true},
	} {
		e := &roomEntry{}
		e.since, e.failures = uint16(c.since), c.failures
		count := make(map[int]int)
		for u := uint64(0); u < 1<<32; u += step {
			count[giveUpDay(e, ps, c.from, c.after, c.until, uint32(u), c.stranded)]++
		}
		survive, cum := 1.0, 0
		for day := c.after + 1; day <= c.until; day++ {
			p := logistic(giveUpLogit(&ps.behaviour, day-c.since, c.failures, c.stranded, 0))
			if got := giveUpDayBound(e, ps, c.from, day, c.stranded); math.Abs(got-p) > 1e-15 {
				t.Fatalf("%+v: bound of day %d %v, want %v", c, day, got, p)
			}
			for _, belief := range []float64{0, 0.5, 1} {
				if h := logistic(giveUpLogit(&ps.behaviour, day-c.since, c.failures, c.stranded, belief)); h > p {
					t.Fatalf("%+v: day %d, belief %v: chance %v above the bound %v", c, day, belief, h, p)
				}
			}
			survive *= 1 - p
			cum += count[day]
			if got, want := float64(cum)/(1<<20), 1-survive; math.Abs(got-want) > 1.0/(1<<20)+1e-9 {
				t.Fatalf("%+v: a candidate by day %d for %.7f of the words, want %.7f", c, day, got, want)
			}
		}
		if got, want := float64(count[c.until+1])/(1<<20), survive; math.Abs(got-want) > 1.0/(1<<20)+1e-9 {
			t.Errorf("%+v: no candidate for %.7f of the words, want %.7f", c, got, want)
		}
		if len(count) > c.until-c.after+1 {
			t.Errorf("%+v: days outside (after, until+1] drawn: %v", c, count)
		}
	}
	// Without the table: the horizon's one bound, a geometric law.
	ps.giveUpUp = nil
	e := &roomEntry{}
	e.since = 10
	p := giveUpBound(e, ps, 20, false)
	if got := giveUpDayBound(e, ps, 20, 25, false); got != p {
		t.Errorf("without the table, the bound of a day is %v, want the horizon's %v", got, p)
	}
	for _, u := range []uint32{0, 1 << 20, 1 << 28, 3 << 30} {
		if got, want := giveUpDay(e, ps, 20, 20, 80, u, false), geometricDay(20, 80, u, p); got != want {
			t.Errorf("without the table, word %d: day %d, want %d", u, got, want)
		}
	}
}

// On a policy day that changes only the routing tables, the stranded whose
// fare to move on stayed the same keep their plans — none of their wakes is
// drawn anew — and when their fare changes, every one is drawn anew: 500
// stranded at "across", whose fare is the trek to the border (100); day 1
// makes the bus from the port to Chile dearer (a new routing table, the
// same fare from "across"), day 2 the trek itself (200).
func TestRedrawOnlyTheStrandedWhoseFareChanged(t *testing.T) {
	sc := loadLine(t, func(s *scenario.Scenario) {
		at := func(d int) time.Time { return s.Meta.Start.AddDate(0, 0, d) }
		s.Policies = append(s.Policies,
			scenario.Policy{Name: "chile", Date: at(1), Path: "edge.port-chile.cost", Set: 300.0, Source: "assumption"},
			scenario.Policy{Name: "dearer", Date: at(2), Path: "edge.across-border.cost", Set: 200.0, Source: "assumption"},
		)
	})
	const n = 500
	m := roomAt(t, sc, "across", waitStranded, 10, n, 0, 0.5)
	gens := func() []uint16 {
		var g []uint16
		for i := range m.room.entries {
			g = append(g, m.room.entries[i].gen)
		}
		return g
	}
	before := gens()
	if len(before) != n {
		t.Fatalf("%d in the room, want %d", len(before), n)
	}
	for d, want := range []struct {
		fare    float64
		redrawn int
	}{{100, 0}, {200, n}} {
		d++
		m.day = d
		recomputes := m.res.RoutingRecomputes
		if err := m.applyPolicies(d); err != nil {
			t.Fatal(err)
		}
		if m.res.RoutingRecomputes == recomputes {
			t.Fatalf("day %d: no new routing table: the test tests nothing", d)
		}
		after := gens()
		redrawn := 0
		for i := range after {
			if after[i] != before[i] {
				redrawn++
			}
			if need, ok := m.moveThreshold(&m.room.entries[i].agent); !ok || need != want.fare {
				t.Fatalf("day %d: fare %v (%v), want %v", d, need, ok, want.fare)
			}
		}
		if redrawn != want.redrawn {
			t.Errorf("day %d: %d of %d stranded drawn anew, want %d", d, redrawn, n, want.redrawn)
		}
		before = after
	}
}
