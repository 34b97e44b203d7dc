package sim

import (
	"math"
	"sort"

	"github.com/migsim/migsim/sim/rng"
)

// Stranded. A person at a node who cannot pay even the next fare towards
// their goal (route.go) is stranded there until they can. Each night the
// person pays food_cost if the budget allows (no lodging: without an aid
// bed they sleep rough), robbery
// and kidnapping may take a share of the budget at the node's daily risks,
// and with chance work_chance the person finds a day's work and earns wage.
// On the first morning the budget covers the next fare the person moves on.
// Aid at the node is tallied for the stranded, from what is left after the
// others there, but does not change their budget: what they eat they buy
// with what they earn. A stranded night without both an aid meal and an aid
// bed counts one person-day of unmet need. People heading for the US may give up, with the
// stranded term of the give-up logit (giveup.go), and register with CBP One
// where the node allows it.
//
// A stranded person costs no work on the days nothing but this happens to
// them: they wait in the waiting room (wait.go) on nodes without
// deportation flights. Their nights are worked out ahead, at the wake
// before, from draws keyed by (seed, agent, night) — so the same nights are
// drawn whenever they are worked out — up to the first morning they can move
// on, the next candidate day of giving up or registering (drawn by thinning,
// as at the border), or the horizon; what they pay, earn and lose is tallied
// night by night from that plan. On the morning they can move on they join
// the day's list, and that day is an ordinary day.

// nightStranded is the night of the agent of record r, stranded at a node
// with parameters np, in the day's list (its first stranded night, or one
// at a node with deportation flights), tallied in chunk c; x holds the
// night's draws of the daily block.
func (m *Model) nightStranded(c *chunk, r *agent, np *nodeParams, x nightDraws) {
	if float64(r.budget) >= np.food {
		c.ev[TotSpentLiving] += cents(r.pay(np.food))
	}
	nightCrime(c, r, np, x)
	if x&nightWorks != 0 {
		r.budget += float32(np.wage)
		c.ev[TotWorked]++
	}
}

// moveThreshold returns the least budget with which the agent of record r
// at a node can move on towards its goal (route.go: the best route's money
// or the cheapest route's next fare), and false if it has no open route.
func (m *Model) moveThreshold(r *agent) (float64, bool) {
	return m.moveThresholdIn(m.routes[1+m.w.groups[r.group].nat], r)
}

// moveThresholdIn is moveThreshold by the routing table rt.
func (m *Model) moveThresholdIn(rt *routeTable, r *agent) (float64, bool) {
	grp := &m.w.groups[r.group]
	t := m.w.target(grp, r.goal)
	if rt.bestNext[t][r.node] == noRoute {
		return 0, false
	}
	need := rt.bestMoney[t][r.node]
	if c := rt.cheapNext[t][r.node]; c != noRoute {
		need = min(need, rt.fare[c])
	}
	return need, true
}

// walkNights works out the stranded nights lo…hi of entry e from budget b
// (its record current as of the end of night lo−1) and returns the budget
// after them. The nights a person works, is robbed or is kidnapped come
// from the geometric laws of the daily chances (nightChain), so only those
// nights cost work: between them the budget only falls by food_cost a
// night while it covers it. With sign ±1 the nights from night tally on
// are added to (or taken from) the tallies in buf; with stop set the walk
// stops on the first morning the budget reaches need, and returns that
// day (else hi+1). first, if not nil, holds the chains' blocks of night
// lo−1 (strandedChains), drawn ahead. It also returns the budget at the
// end of night mark (lo−1 ≤ mark ≤ hi; b for any other), as a walk that
// ended there would: the same nights are drawn as far as it goes (see
// nightChain), and its last stretch of food is the one up to mark.
func (m *Model) walkNights(buf *plans, e *roomEntry, b float64, lo, hi int, sign int64, tally int, need float64, stop bool, first *[3][4]uint32, mark int) (float64, int, float64) {
	np := m.natNode(&e.agent)
	food, fc := np.food, sign*cents(np.food)
	id := uint64(e.id)
	pc := strandedChains()
	work := newNightChain(np.workChance, np.lnNoWork, pc[0], np.workGaps)
	rob := newNightChain(np.robRisk, np.lnNoRob, pc[1], nil)
	kid := newNightChain(np.kidnapRisk, np.lnNoKidnap, pc[2], nil)
	var fw, fr, fk *[4]uint32
	if first != nil {
		fw, fr, fk = &first[0], &first[1], &first[2]
	}
	nw, nr, nk := work.start(m.seed, id, lo-1, hi, fw), rob.start(m.seed, id, lo-1, hi, fr), kid.start(m.seed, id, lo-1, hi, fk)
	// The nights food is paid for come in runs; a run's change of what is
	// paid (one more person paying from its first night counted, one fewer
	// after its last) is tallied when the run ends, not for each stretch
	// between events, whose changes cancel where one stretch follows
	// another.
	runLo, runHi := 0, -1 // the run of nights paid for so far: runLo … runHi−1
	endRun := func() {
		if sign != 0 && runHi-1 >= tally {
			buf.add(e.node, max(runLo, tally), tallyFoodDiff, fc)
			buf.add(e.node, runHi, tallyFoodDiff, -fc)
		}
	}
	kept := b // the budget at the end of night mark
	for t := lo; t <= hi; {
		if stop && b >= need {
			endRun()
			return b, t, kept
		}
		// Nights t…ev: food while the money lasts; crime and work on ev.
		ev := min(nw, nr, nk, hi)
		if t <= mark && mark < ev {
			kept = afterFood(b, food, paidNights(b, food, mark-t+1))
		}
		k := paidNights(b, food, ev-t+1)
		if k > 0 {
			b = afterFood(b, food, k)
			if t != runHi {
				endRun()
				runLo = t
			}
			runHi = t + k
		}
		count := sign != 0 && ev >= tally
		if ev == nr {
			b = loseShare(buf, e.node, ev, b, np.robLoss, tallyRobbed, sign, count)
			nr = rob.next(m.seed, id, hi)
		}
		if ev == nk {
			b = loseShare(buf, e.node, ev, b, np.kidLoss, tallyKidnapped, sign, count)
			nk = kid.next(m.seed, id, hi)
		}
		if ev == nw {
			b += np.wage
			if count {
				buf.add(e.node, ev, tallyWorked, sign)
			}
			nw = work.next(m.seed, id, hi)
		}
		if ev == mark {
			kept = b
		}
		t = ev + 1
	}
	endRun()
	return b, hi + 1, kept
}

// paidNights returns how many of k nights at food a night budget b pays
// for: all k when it plainly covers them (with the margin, ⌊b/food⌋ ≥ k
// whatever the roundings), else at most ⌊b/food⌋.
func paidNights(b, food float64, k int) int {
	if food > 0 && !(float64(k)*food <= b*(1-0x1p-40)) {
		k = min(k, int(math.Floor(b/food)))
	}
	return k
}

// afterFood returns budget b after k nights of food (at least 0).
func afterFood(b, food float64, k int) float64 {
	if k <= 0 {
		return b
	}
	if rest := b - float64(k)*food; rest > 0 {
		return rest
	}
	return 0
}

// loseShare returns budget b after a robbery or a kidnapping (tally kind)
// on night ev at node takes share of it; with count set, the event and the
// loss are added to buf with sign.
func loseShare(buf *plans, node int16, ev int, b, share float64, kind int, sign int64, count bool) float64 {
	l := b * share
	if count {
		buf.add(node, ev, kind, sign)
		buf.add(node, ev, tallyLost, sign*cents(l))
	}
	return b - l
}

// nightChain draws the nights of one kind of event of a stranded person
// (work, robbery, kidnapping), each night independently with chance p: the
// gaps between them are geometric, and four gaps come from the four words
// of the block (seed, agent, t, purpose), t the night of the last event
// before them (or the eve of the walk). A walk over a shorter span draws
// the same nights, as far as it goes.
type nightChain struct {
	p, lnq  float64   // the chance, and ln(1 − p)
	p32     float64   // p·2³²
	gaps    *gapTable // the gaps' table for p, or nil
	purpose rng.Purpose
	at      int // the last night drawn
	w       [4]uint32
	i       int // words of w used
}

// newNightChain returns the chain of chance p, lnq = ln(1 − p), of the
// given purpose, with the gaps' table for p or nil.
func newNightChain(p, lnq float64, purpose rng.Purpose, gaps *gapTable) nightChain {
	return nightChain{p: p, lnq: lnq, p32: p * (1 << 32), purpose: purpose, gaps: gaps}
}

// start begins the chain after night from and returns its first night, or
// a night past hi; first, if not nil, is the chain's block of night from,
// drawn ahead.
func (c *nightChain) start(seed, id uint64, from, hi int, first *[4]uint32) int {
	c.at, c.i = from, 4
	if first != nil {
		c.w, c.i = *first, 0
	}
	return c.next(seed, id, hi)
}

// strandedChains returns the purposes of the chains of a stranded
// person's nights: work, robbery, kidnapping.
func strandedChains() [3]rng.Purpose {
	return [3]rng.Purpose{purposeStrandedWork, purposeStrandedRobbery, purposeStrandedKidnap}
}

// next returns the chain's next night, or a night past hi (and then it
// must not be called again).
func (c *nightChain) next(seed, id uint64, hi int) int {
	if !(c.p > 0) {
		return hi + 1
	}
	if c.i == 4 {
		c.w, c.i = block(seed, id, c.at, c.purpose), 0
	}
	u := c.w[c.i]
	c.i++
	k := hi - c.at
	if float64(u) >= float64(k)*c.p32 {
		return hi + 1 // beyond hi even at the chance's upper bound k·p
	}
	switch {
	case c.p >= 1:
		c.at += 1 + min(0, k)
	case c.gaps != nil && uint64(u) < c.gaps[len(c.gaps)-1]:
		c.at += 1 + min(c.gaps.gap(u), k)
	default:
		c.at += 1 + int(min(gapOf(u, c.lnq), float64(k)))
	}
	return c.at
}

// gapTable holds, for a chance p, t[k−1] = the least word u for which
// gapOf(u, ln(1 − p)) ≥ k, k = 1 … len(t) (2³² if no word does): the gap
// drawn from a word below the last entry is the number of entries at or
// below it, found in a few comparisons instead of a logarithm. As u rises
// gapOf never falls (math.Log is monotone), so the table gives the gaps
// gapOf gives, word for word (TestGapTableGivesGapOf checks it around every
// entry); the tables of the chances the scenario uses are made when the
// parameters are compiled.
type gapTable [16]uint64

// newGapTable returns the gap table of chance p, or nil if p is not in
// (0, 1) or so small that most gaps are beyond the table anyway.
func newGapTable(p float64) *gapTable {
	if !(p >= 0.05 && p < 1) {
		return nil
	}
	lnq := math.Log1p(-p)
	t := new(gapTable)
	for k := range t {
		// The least u with gapOf(u) ≥ k+1: near 2³²·(1 − (1−p)^(k+1)),
		// searched for in a window around it and, if the window does not
		// hold it, over every word.
		atLeast := func(u uint64) bool { return u < 1<<32 && gapOf(uint32(u), lnq) >= float64(k+1) }
		guess := uint64(math.Max(0, math.Min(1<<32, (1<<32)*-math.Expm1(float64(k+1)*lnq))))
		lo, hi := max(guess, 1<<16)-1<<16, min(guess+1<<16, 1<<32)
		if lo > 0 && atLeast(lo-1) || hi < 1<<32 && !atLeast(hi) {
			lo, hi = 0, 1<<32
		}
		t[k] = lo + uint64(sort.Search(int(hi-lo), func(i int) bool { return atLeast(lo + uint64(i)) }))
	}
	return t
}

// gap returns the gap drawn from the word u, which must be below the
// table's last entry.
func (t *gapTable) gap(u uint32) int {
	k := 0
	for uint64(u) >= t[k] {
		k++
	}
	return k
}

// plannedBudget returns the budget a stranded entry's plan leaves on the
// eve of its wake; it is kept in paidTo and nightly, which only the entries
// at the border use.
func (e *roomEntry) plannedBudget() float64 {
	return float64(math.Float32frombits(uint32(e.paidTo)<<16 | uint32(e.nightly)))
}

// setPlannedBudget keeps b as a stranded entry's planned budget.
func (e *roomEntry) setPlannedBudget(b float64) {
	x := math.Float32bits(float32(b))
	e.paidTo, e.nightly = uint16(x>>16), uint16(x)
}

// drawStrandedWake draws the next wake of the stranded entry at pos, whose
// record is current as of the end of day e.last, with candidate events
// after day after (e.last or the day after it), from w, the entry's block
// (seed, agent, after, purposeWait); plans its nights up to it (first, if
// not nil, the chains' blocks of night e.last, drawn ahead: walkNights)
// and returns its token, which carries the entry's next generation (the caller
// gives it to the entry and files the token).
func (m *Model) drawStrandedWake(buf *plans, pos int32, after int, w [4]uint32, first *[3][4]uint32) dayToken {
	e := &m.room.entries[pos]
	from := int(e.last)
	ps := m.params[1+m.w.groups[e.group].nat]
	wake, cand := min(from+waitHorizon, m.days), uint8(0)
	consider := func(u uint32, p float64, bit uint8) {
		if day := geometricDay(after, wake, u, p); day < wake {
			wake, cand = day, bit
		} else if day == wake {
			cand |= bit
		}
	}
	if e.goal == goalUS {
		switch day := giveUpDay(e, ps, from, after, wake, w[0], true); {
		case day < wake:
			wake, cand = day, candGiveUp
		case day == wake:
			cand |= candGiveUp
		}
		consider(w[1], m.registerBound(e, ps), candRegister)
	}
	need, _ := m.moveThreshold(&e.agent)
	b, night, _ := m.walkNights(buf, e, float64(e.budget), from+1, wake-1, 1, from+1, need, true, first, -1)
	if night < wake || b >= need {
		wake, cand = max(night, after+1), candMove
	}
	e.setPlannedBudget(b)
	e.wake, e.cand = uint16(min(wake, 65535)), cand
	return dayToken{int32(min(wake, math.MaxInt32)), wakeToken{pos, e.gen + 1}}
}

// liveUpTo brings the budget of the stranded entry e up to the end of
// night d (≤ its wake's eve); the nights were tallied when planned. The
// record stays as of e.last (keepBelief makes it current).
func (m *Model) liveUpTo(e *roomEntry, d int) {
	if d == int(e.wake)-1 && d > int(e.last) {
		e.budget = float32(e.plannedBudget())
	} else if d > int(e.last) {
		b, _, _ := m.walkNights(nil, e, float64(e.budget), int(e.last)+1, d, 0, 0, 0, false, nil, -1)
		e.budget = float32(b)
	}
}

// settleStranded brings the stranded entry e up to the end of day d−1,
// where its belief is belief (as beliefsAt gives it), and takes back the
// tallies of its planned nights from night d on: one walk of its plan from
// the start, the same nights as planned, which also gives the budget at the
// end of night d−1.
func (m *Model) settleStranded(buf *plans, e *roomEntry, d int, belief float64) {
	hi := min(int(e.wake)-1, m.days-1)
	if d <= int(e.last) || hi < int(e.last)+1 {
		e.keepBelief(d-1, belief)
		return
	}
	b0 := float64(e.budget)
	if d <= hi {
		_, _, b := m.walkNights(buf, e, b0, int(e.last)+1, hi, -1, d, 0, false, nil, d-1)
		e.budget = float32(b)
	} else {
		b, _, _ := m.walkNights(nil, e, b0, int(e.last)+1, d-1, 0, 0, 0, false, nil, -1)
		e.budget = float32(b)
	}
	e.keepBelief(d-1, belief)
}

// wakeStranded runs day d for the stranded entry at pos, woken on the
// morning it can move on or for a candidate event; wd are its blocks for
// the day, belief its belief at the end of day d−1 as beliefsAt gives it.
func (m *Model) wakeStranded(b *wakeBatch, pos int32, d int, wd *wakeDraws, belief float64) {
	c := &b.chunk
	e := &m.room.entries[pos]
	g := int(e.group)
	grp := &m.w.groups[g]
	k := grp.nat
	ps := m.params[1+k]
	// The bound as drawn on day e.last, before the catch-up changes it.
	from := int(e.last)
	m.liveUpTo(e, d-1)
	e.keepBelief(d-1, belief)
	if e.cand&candMove != 0 {
		// An ordinary day in the list: the decisions see a stranded person
		// who now has the fare.
		b.left = append(b.left, pos)
		b.back = append(b.back, e.slot)
		return
	}
	giveUpB := giveUpDayBound(e, ps, from, d, true)
	yesterday := float64(e.belief)
	bel := updateBelief(yesterday, m.todayNews[k], m.southShare[e.node], &m.rates)
	w := &wd.wake
	s := e.slot
	if e.cand&candGiveUp != 0 {
		x := giveUpLogit(&ps.behaviour, d-int(s.since), s.failures, true, bel)
		if logisticChanceOver(w[wakeGiveUp], x, giveUpB) {
			b.left = append(b.left, pos)
			if !m.giveUp(c, &s, grp, ps, g, d) {
				s.wait = waitNone
				b.back = append(b.back, s) // to choose the way back today
			}
			return
		}
	}
	if e.cand&candRegister != 0 && m.registerBound(e, ps) > 0 {
		m.registerCBP(c, e.id)
	}
	// Still stranded (the plan found no fare by this morning): today's
	// night is the first of the next plan, and the next events come after
	// today.
	b.wakeups = append(b.wakeups, m.drawStrandedWake(b.plans, pos, d, wd.wait, nil))
}
