package sim

import (
	"math"

	"github.com/migsim/migsim/sim/scenario"
)

// Waiting at the border. A person heading for the US who stays at a border
// node tonight (waiting for a CBP One slot or an appointment, or for the
// chance and the money to cross between ports) lives on their savings
// while they last: each night robbery and kidnapping (the node's daily
// risks) may take a share of the budget, and then the person pays
// food_cost + lodging_cost if the budget allows. One who cannot pay lives
// on day labour and aid and keeps what little is left: aid at the border
// is tallied for them, from what is left after the others at the node, and
// one left without a meal or a bed counts one person-day of unmet need.
// (Elsewhere a person who cannot pay works for a wage, aid.go; at the
// border the wage only feeds them.)
//
// Each day the rules of border.go and giveup.go apply to them as to anyone
// at the border: give up, register with CBP One, enter on the appointment
// day, try to cross. A person who only waits costs no work on the days
// nothing happens to them: they leave the day's list for the waiting room,
// and are woken on the next day on which one of those events may happen.
// The days are drawn by thinning, which is exact in law: for each kind of
// event j, a bound B_j on its daily chance over the coming days is known,
// the next candidate day is drawn from the geometric law of B_j (the first
// success of daily trials of chance B_j), and on that day the event happens
// with chance h_j/B_j, h_j the rule's chance that day — so on every day it
// happens with chance h_j, independently of other days, as in daily
// trials. The bounds:
//
//   - giving up: the logistic of the give-up logit with belief at its
//     worst over [0, 1] and each day's own days waited, so B_j changes
//     from day to day and the candidate day is drawn by inversion of the
//     cumulative hazard (giveUpDay); a person is woken at the horizon (60
//     days, waitHorizon) to draw anew. (Rules whose bounds are not looked
//     up take one bound for the whole horizon, the largest of its ends.);
//   - registering with CBP One: the daily chance, while registering is open
//     and allowed at the node;
//   - trying to cross and being able to pay: irregular_attempt_chance (times
//     cbp_one_queue_attempt_share once registered) times an upper bound on
//     the chance that the smuggler's price is within the budget (the
//     budget only falls while one waits); belief, at most 1, enters through
//     h_j. A try whose price the person cannot pay changes nothing, so only
//     affordable tries are events, and the price is drawn conditioned on
//     being affordable;
//   - robbery and kidnapping: the node's risks;
//   - the appointment day, when CBP One books one.
//
// A change of any parameter these read (a policy), a voided registration
// and a booked appointment wake the person to draw anew: the geometric law
// forgets the past, so drawing anew from any day is exact. (A stranded
// person's plan reads of the routing table only the fare to move on: a new
// table that leaves it as it was wakes nobody, room.go's changes.) The belief of a
// sleeper follows the news and the local stories day by day as anyone's
// (information.go), and the nights paid for are known ahead (as many as
// the budget covers): both are brought up to date at each wake, from the
// days' belief updates, which are kept for the purpose. What the sleepers
// pay and who cannot pay is tallied night by night from the nights planned.
//
// The stranded wait in the same room by a rule of their own (stranded.go);
// the room itself — entries, batches, tallies — is room.go, its wake tokens
// roomwakes.go and its beliefs roombelief.go.
// Who wakes when depends on draws keyed by (seed, agent, day, purpose)
// alone, so the waiting room, like the rest, gives the same results for any
// number of workers.

// waitHorizon is the most days a person sleeps in the waiting room before
// being woken to draw anew. (With the give-up candidates drawn day by day,
// a horizon of 180 days at the border saved a fifth of the wakes there but
// no time: the other phases took as much longer, docs/performance.md.)
const waitHorizon = 60

// Candidate events of a wake, one bit each.
const (
	candGiveUp uint8 = 1 << iota
	candRegister
	candAttempt
	candRobbery
	candKidnap
	candAppointment
	candMove // the stranded: the first morning the budget covers the fare (stranded.go)
)

// The words of a wake's acceptance block (purposeWake).
const (
	wakeGiveUp = iota
	wakeAttempt
)

// planNights plans the nights entry e pays for at cost nightly each, from
// night first on (tonight's, day first, paid now if tonight is set, else
// from the budget at each catch-up): as many as the budget covers. The
// record must be current up to the night before first.
func (m *Model) planNights(buf *plans, e *roomEntry, first int, nightly float64, tonight bool) {
	c := min(cents(nightly), math.MaxUint16)
	nightly = float64(c) / 100
	n := m.days - first // a night that costs nothing is paid every night
	if c > 0 {
		n = min(n, int(math.Floor(float64(e.budget)/nightly)))
	}
	e.nightly = uint16(c)
	e.paidTo = uint16(first - 1)
	if n <= 0 {
		return
	}
	if tonight {
		e.pay(nightly)
	}
	e.paidTo = uint16(first + n - 1)
	m.plan(buf, e, first, int(e.paidTo), 1)
}

// unplanNights takes the nights entry e was to pay for from night from on
// out of the plan.
func (m *Model) unplanNights(buf *plans, e *roomEntry, from int) {
	if int(e.paidTo) >= from {
		m.plan(buf, e, from, int(e.paidTo), -1)
		e.paidTo = uint16(from - 1)
	}
}

// plan adds sign × (one person, e.nightly) to the nights lo…hi of entry
// e's node, in buf.
func (m *Model) plan(buf *plans, e *roomEntry, lo, hi int, sign int64) {
	c := sign * int64(e.nightly)
	buf.add(e.node, lo, tallyPaying, sign)
	buf.add(e.node, hi+1, tallyPaying, -sign)
	buf.add(e.node, lo, tallySpent, c)
	buf.add(e.node, hi+1, tallySpent, -c)
}

// giveUpBound returns the bound on the daily chance of giving up over the
// days after day from to the horizon: the rule's logit (giveup.go) at its
// largest over the days waited in that span and over beliefs in [0, 1],
// with the stranded term for the stranded. The logit is linear in each, so
// its largest is at an end: the last day if it rises with the days waited,
// belief 1 if it rises with the belief. Each operation of giveUpLogit
// rounds monotonically, so the logit worked out there is the largest of
// the four ends' as worked out, to the bit. The bounds of the usual days
// waited and failures are looked up (giveUpBounds).
func giveUpBound(e *roomEntry, ps *paramSet, from int, stranded bool) float64 {
	waited := from + 1 - int(e.since)
	if ps.behaviour.GiveUpPerMonthWaited >= 0 {
		waited = from + waitHorizon - int(e.since)
	}
	if t := ps.giveUpUp; t != nil && int(e.failures) < giveUpFailures && uint(waited) < giveUpDays {
		return t.bound[row(stranded)][e.failures][waited]
	}
	return giveUpEnd(&ps.behaviour, waited, e.failures, stranded)
}

// giveUpEnd returns the logistic of the give-up logit of rule b at the
// days waited and failures given and at the belief's end where the logit
// is largest.
func giveUpEnd(b *scenario.Behaviour, waited int, failures uint8, stranded bool) float64 {
	belief := 0.0
	if b.GiveUpBelief > 0 {
		belief = 1
	}
	return logistic(giveUpLogit(b, waited, failures, stranded, belief))
}

// The give-up bounds looked up: for up to giveUpDays days waited and
// giveUpFailures failures.
const (
	giveUpDays     = 2048
	giveUpFailures = 4
)

// giveUpBounds holds giveUpEnd of a rule for each stranded state, number
// of failures and days waited below the table's bounds, worked out once
// for each rule a run meets (paramTables) instead of an exponential a wake,
// and the cumulative hazards of those daily chances (256 KiB in all).
type giveUpBounds struct {
	bound [2][giveUpFailures][giveUpDays]float64
	// hazard[s][f][w] is the sum of −ln(1 − bound[s][f][v]) over v < w:
	// the chance that no daily trial of chances bound[v], w0 ≤ v < w,
	// succeeds is exp(−(hazard[w] − hazard[w0])).
	hazard [2][giveUpFailures][giveUpDays + 1]float64
}

// giveUpRule is the give-up rule's parameters: what its bounds depend on,
// and part of what the waiting room's sleepers read (waitRules).
type giveUpRule struct {
	base, perMonth, perFailure, stranded, belief float64
}

// ruleOf returns the give-up rule of b.
func ruleOf(b *scenario.Behaviour) giveUpRule {
	return giveUpRule{b.GiveUpBase, b.GiveUpPerMonthWaited, b.GiveUpPerFailure, b.GiveUpStranded, b.GiveUpBelief}
}

// newGiveUpBounds returns the give-up bounds of rule b.
func newGiveUpBounds(b *scenario.Behaviour) *giveUpBounds {
	t := new(giveUpBounds)
	for s := range t.bound {
		for f := range t.bound[s] {
			h := 0.0
			for w := range t.bound[s][f] {
				p := giveUpEnd(b, w, uint8(f), s == 1)
				t.bound[s][f][w] = p
				t.hazard[s][f][w] = h
				h -= math.Log1p(-p)
			}
			t.hazard[s][f][giveUpDays] = h
		}
	}
	return t
}

// row returns the row of the give-up tables of the stranded (1) or of
// those at the border (0).
func row(stranded bool) int {
	if stranded {
		return 1
	}
	return 0
}

// dayByDay reports whether the candidate days of giving up of entry e,
// drawn on day from, follow the bounds of each day (giveUpDay) rather than
// one bound for the whole horizon: when the rule's bounds are looked up
// and cover every day from the one after from to the horizon. The wake
// that follows reads the same answer from the same day (e.last).
func dayByDay(e *roomEntry, ps *paramSet, from int) bool {
	return ps.giveUpUp != nil && int(e.failures) < giveUpFailures &&
		int(e.since) <= from+1 && from+waitHorizon-int(e.since) < giveUpDays
}

// giveUpDay returns the first candidate day of giving up of entry e after
// day after, up to day until, or until+1 if there is none, from the
// uniform word u, for a record drawn on day from (after is from or the
// day after it, until at most from + waitHorizon). With the bounds looked
// up (dayByDay) the candidates are daily trials of each day's own bound
// B(t) — the chance with the belief at its worst and the days waited of
// day t — drawn at once by inversion: the first day t whose cumulative
// hazard since after reaches −ln(1 − u/2³²); else trials of the horizon's
// largest bound (giveUpBound), a geometric law. Either way each day is a
// candidate with the chance the wake divides by (giveUpDayBound), so the
// thinning is exact.
func giveUpDay(e *roomEntry, ps *paramSet, from, after, until int, u uint32, stranded bool) int {
	if !dayByDay(e, ps, from) {
		return geometricDay(after, until, u, giveUpBound(e, ps, from, stranded))
	}
	if until <= after {
		return until + 1
	}
	h := &ps.giveUpUp.hazard[row(stranded)][e.failures]
	// Days after+1 … until have waited w0 … w1 days.
	w0, w1 := after+1-int(e.since), until-int(e.since)
	target := h[w0] - lnUniform(u)
	if !(h[w1+1] >= target) {
		return until + 1 // no candidate within the span
	}
	// The first w in [w0, w1] with h[w+1] ≥ target.
	lo, hi := w0, w1
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if h[mid+1] >= target {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return int(e.since) + lo
}

// giveUpDayBound returns the bound that the candidate day d of giving up
// of entry e, drawn on day from, was drawn with (giveUpDay): that day's
// own, or the horizon's.
func giveUpDayBound(e *roomEntry, ps *paramSet, from, d int, stranded bool) float64 {
	if !dayByDay(e, ps, from) {
		return giveUpBound(e, ps, from, stranded)
	}
	return ps.giveUpUp.bound[row(stranded)][e.failures][d-int(e.since)]
}

// attemptBound returns the bound on the daily chance that the agent of
// entry e tries to cross and can pay the smuggler (belief at most 1, the
// chance of an affordable price bounded from above by affordUp).
func (m *Model) attemptBound(e *roomEntry, ps *paramSet) float64 {
	bp := &ps.border
	p := bp.IrregularAttemptChance
	switch m.ag.cbp[e.id] {
	case cbpBooked:
		return 0
	case cbpRegistered:
		p *= bp.CBPOneQueueAttemptShare
	}
	if p <= 0 {
		return 0
	}
	return min(1, p) * ps.affordUp(float64(e.budget))
}

// attemptChance is chance(u, q·CDF(budget)/bound), the trial of an
// attempt at the border whose chance is q times the chance that the
// smuggler's price is within the budget, thinned by the bound the wake was
// drawn with; mostly without the price's CDF. The CDF is at most
// affordUp(budget), so a word at or above the chance worked out with
// affordUp (and a margin far above rounding) fails whatever the CDF.
func (ps *paramSet) attemptChance(u uint32, q, budget, bound float64) bool {
	if !chance(u, q*ps.affordUp(budget)/bound*(1+1e-9)) {
		return false
	}
	return chance(u, q*ps.border.IrregularCost.CDF(budget)/bound)
}

// registerBound returns the daily chance that the agent of entry e
// registers with CBP One.
func (m *Model) registerBound(e *roomEntry, ps *paramSet) float64 {
	if m.ag.cbp[e.id] != cbpNone || !ps.border.CBPOneOpen || !ps.nodes[e.node].cbpEligible {
		return 0
	}
	return ps.border.CBPOneRegisterChance
}

// drawWake draws the next wake of the entry at pos, whose record is current
// as of day from, and returns its token, which carries the entry's next
// generation (the caller gives it to the entry and files the token): for each kind of
// event, the first candidate day of daily trials of its bound
// (geometricDay), from a word of the entry's blocks for the day, w0
// (purposeWait) and w1 (purposeWaitMore). A
// candidate after the earliest found so far does not matter, so a bound is
// worked out only when its cheaper upper bound does not rule that out.
func (m *Model) drawWake(pos int32, from int, w0, w1 [4]uint32) dayToken {
	r := &m.room
	e := &r.entries[pos]
	ps := m.params[1+m.w.groups[e.group].nat]
	np := &ps.nodes[e.node]
	wake, cand := from+waitHorizon, uint8(0)
	if m.ag.cbp[e.id] == cbpBooked {
		if day := max(int(m.ag.appt[e.id]), from+1); day <= wake {
			wake, cand = day, candAppointment
		}
	}
	consider := func(u uint32, p float64, bit uint8, bound func() float64) {
		k := wake - from
		if !(p > 0) || float64(u) >= float64(k)*p*(1<<32) {
			return // no candidate within k days, even at the upper bound p
		}
		if bound != nil {
			p = bound()
		}
		switch day := geometricDay(from, wake, u, p); {
		case day < wake:
			wake, cand = day, bit
		case day == wake:
			cand |= bit
		}
	}
	bp := &ps.border
	if m.ag.cbp[e.id] != cbpBooked {
		consider(w0[0], min(1, bp.IrregularAttemptChance), candAttempt, func() float64 { return m.attemptBound(e, ps) })
	}
	consider(w0[1], m.registerBound(e, ps), candRegister, nil)
	switch day := giveUpDay(e, ps, from, from, wake, w0[2], false); {
	case day < wake:
		wake, cand = day, candGiveUp
	case day == wake:
		cand |= candGiveUp
	}
	consider(w0[3], np.robRisk, candRobbery, nil)
	consider(w1[0], np.kidnapRisk, candKidnap, nil)
	e.last = uint16(from)
	e.wake, e.cand = uint16(min(wake, 65535)), cand
	return dayToken{int32(min(wake, math.MaxInt32)), wakeToken{pos, e.gen + 1}}
}

// booked wakes the agent a, if it is in the waiting room, on the day of
// the appointment CBP One booked for it on day d: it returns the token to
// file, and true, if that is before the wake drawn for it.
func (m *Model) booked(a int32, d int) (dayToken, bool) {
	r := &m.room
	if int(a) >= len(r.at) || r.at[a] < 0 {
		return dayToken{}, false
	}
	pos := r.at[a]
	e := &r.entries[pos]
	if e.wait == waitStranded {
		return dayToken{}, false // the appointment waits for them at the border
	}
	day := max(int(m.ag.appt[a]), d+1)
	switch {
	case day < int(e.wake):
		e.gen++
		e.wake, e.cand = uint16(day), candAppointment
		return dayToken{int32(day), wakeToken{pos, e.gen}}, true
	case day == int(e.wake):
		e.cand |= candAppointment
	}
	return dayToken{}, false
}

// payUpTo takes from the budget of the border entry e the nights it paid
// for since its record was current, up to night d; the record stays as of
// e.last (keepBelief makes it current).
func (e *roomEntry) payUpTo(d int) {
	if n := min(d, int(e.paidTo)) - int(e.last); n > 0 {
		e.budget = float32(max(0, float64(e.budget)-float64(n)*float64(e.nightly)/100))
	}
}

// wake runs day d for the entry at pos, woken for its candidate events,
// in the order of a day at the border: give up, register, enter on the
// appointment day, try to cross; then the night's crime and living costs.
// wd are the entry's blocks for the day, belief its belief at the end of
// day d−1 as beliefsAt gives it.
func (m *Model) wake(b *wakeBatch, pos int32, d int, wd *wakeDraws, belief float64) {
	c := &b.chunk
	e := &m.room.entries[pos]
	a := e.id
	g := int(e.group)
	grp := &m.w.groups[g]
	k := grp.nat
	ps := m.params[1+k]
	np := &ps.nodes[e.node]
	bp := &ps.border
	// The bounds the candidates were drawn with, on day e.last (the record
	// has not changed since), for the kinds of event that are candidates.
	var giveUpB, attemptB float64
	if e.cand&candGiveUp != 0 {
		giveUpB = giveUpDayBound(e, ps, int(e.last), d, false)
	}
	if e.cand&candAttempt != 0 {
		attemptB = m.attemptBound(e, ps)
	}
	e.payUpTo(d - 1)
	e.keepBelief(d-1, belief)
	m.unplanNights(b.plans, e, d)
	yesterday := float64(e.belief)
	bel := updateBelief(yesterday, m.todayNews[k], m.southShare[e.node], &m.rates)
	w := &wd.wake
	s := e.slot // worked on, then put back or let go
	if e.cand&candGiveUp != 0 {
		x := giveUpLogit(&ps.behaviour, d-int(s.since), s.failures, false, bel)
		if logisticChanceOver(w[wakeGiveUp], x, giveUpB) {
			b.left = append(b.left, pos)
			if !m.giveUp(c, &s, grp, ps, g, d) {
				// On the way back: today's decisions choose the route, and
				// bring the belief to today as for anyone in the list.
				s.belief = float32(yesterday)
				s.wait = waitNone
				b.back = append(b.back, s)
			}
			return
		}
	}
	s.belief = float32(bel)
	if e.cand&candRegister != 0 && m.registerBound(e, ps) > 0 {
		m.registerCBP(c, a)
	}
	switch cbp := m.ag.cbp[a]; {
	case cbp == cbpBooked && d >= int(m.ag.appt[a]):
		b.left = append(b.left, pos)
		m.enterUS(c, &s, d, k, TotEnteredUSCBPOne)
		return
	case cbp != cbpBooked && e.cand&candAttempt != 0 && attemptB > 0:
		p := bp.IrregularAttemptChance
		if cbp == cbpRegistered {
			p *= bp.CBPOneQueueAttemptShare
		}
		if ps.attemptChance(w[wakeAttempt], min(1, p*bel), float64(s.budget), attemptB) && !m.cross(c, &s, d, ps, k, true) {
			b.left = append(b.left, pos)
			return
		}
	}
	crime(c, &s.agent, np, e.cand&candRobbery != 0, e.cand&candKidnap != 0)
	s.wait = m.borderWait(a)
	e.slot = s
	e.last = uint16(d)
	m.planNights(b.plans, e, d, np.aidLine, true)
	b.wakeups = append(b.wakeups, m.drawWake(pos, d, wd.wait, wd.more))
}

// borderWait returns the wait reason of agent a waiting at the border.
func (m *Model) borderWait(a int32) waitReason {
	switch m.ag.cbp[a] {
	case cbpBooked:
		return waitAppointment
	case cbpRegistered:
		return waitCBPQueue
	}
	return waitBorder
}
