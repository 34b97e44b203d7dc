package sim

import (
	"math"
	"slices"
	"strings"

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
//     worst over [0, 1] and the days waited at the end of the horizon
//     (60 days, waitHorizon; a person is woken at the horizon to draw anew);
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
// forgets the past, so drawing anew from any day is exact. The belief of a
// sleeper follows the news and the local stories day by day as anyone's
// (information.go), and the nights paid for are known ahead (as many as
// the budget covers): both are brought up to date at each wake, from the
// days' belief updates, which are kept for the purpose. What the sleepers
// pay and who cannot pay is tallied night by night from the nights planned.
//
// The stranded wait in the same room by a rule of their own (stranded.go).
// Who wakes when depends on draws keyed by (seed, agent, day, purpose)
// alone, so the waiting room, like the rest, gives the same results for any
// number of workers.

// waitHorizon is the most days a person sleeps in the waiting room before
// being woken to draw anew (the give-up bound grows with the days waited).
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

// roomEntry is a person in the waiting room: the record, current as of the
// end of day last, and the next wake.
type roomEntry struct {
	slot
	last    uint16 // the day up to which the record is current, its night included
	wake    uint16 // the day of the next wake
	paidTo  uint16 // the last night the budget pays for, at nightly each
	gen     uint16 // bumped at each new draw; older tokens are stale
	nightly uint16 // food + lodging in whole cents, as planned
	cand    uint8  // the candidate events of that day
}

// wakeToken files a room entry under the day of its wake.
type wakeToken struct {
	pos int32
	gen uint16 // a token lives at most waitHorizon days, far fewer than 2¹⁶ draws
}

// dayToken is a wakeToken and its day, filed after a parallel pass.
type dayToken struct {
	day int32
	tok wakeToken
}

// wakeBatch is a fixed slice of the day's tokens, woken by one worker, with
// what its wakes did: tallies, and the changes to the room filed after the
// pass in batch order (so the room is the same for any number of workers).
type wakeBatch struct {
	chunk              // tallies, registrations, entrants
	lo, hi  int        // the batch's tokens
	woken   int64      // wakes done
	touched uint16     // what the loads ahead read (kept, so they are made)
	back    []slot     // who gave up and moves on today
	left    []int32    // positions of those who left the room
	wakeups []dayToken // next wakes
	plans   *plans     // changes to the planned nights' tallies: the worker's
}

// wakeAhead is how many wakes ahead the entries are loaded (wakeRoom).
const wakeAhead = 4

// wakeBatchSize is the number of tokens per batch: a wake costs several
// times a day of an agent in the list, so batches are smaller than chunks.
const wakeBatchSize = 512

// waitRoom holds the people waiting at border nodes.
type waitRoom struct {
	entries []roomEntry
	free    []int32       // positions of entries let go
	at      []int32       // position of each agent in entries, or -1 (by id)
	wakes   [][]wakeToken // tokens by day
	count   []int64       // members per node

	// The nights the members pay for, planned ahead: per node and night,
	// the change in the number who pay (payDiff) and in what they pay, in
	// cents (spentDiff), from the night before; summed night by night into
	// paying and spending. Wakes change them in parallel (atomic adds).
	tally            [numTallies][]int64 // [node*(days+1) + night]
	paying, spending []int64             // per node, tonight

	// The days' inputs to beliefs, kept for the catch-ups: the news heard
	// by nationality, the southbound share by node, the rates by day.
	news  []float64 // [k*days + day]
	south []float64 // [node*days + day]
	rates []behaviourRates

	strandCount, strandSouth []int64 // stranded members per node, and of them heading south
	strandSpending           []int64 // what the stranded pay for food per node, tonight (cents)
	strandOK                 []bool  // nodes where the stranded wait in the room (no deportation flights)

	scratch []int32    // positions being admitted or drawn anew
	tokens  []dayToken // their tokens
	bufs    []*plans   // per worker: changes to the planned nights' tallies
	keys    []waitKey  // per nationality: the parameters the bounds read
	woken   int64      // wakes today
	batches []*wakeBatch
}

// waitKey is what the bounds and the plans of a nationality's waiters
// read; when it changes, its waiters are woken to draw anew.
type waitKey struct {
	rules  waitRules
	routes *routeTable // where the stranded can go, and at what fare
	nodes  []waitNode
}

// waitRules are the behaviour and border parameters in a waitKey.
type waitRules struct {
	giveUpBase, giveUpPerMonth, giveUpPerFailure, giveUpBelief, giveUpStranded float64
	register, attempt, queueShare                                              float64
	open                                                                       bool
	cost                                                                       scenario.Dist
}

// waitNode is what the bounds, the plans and the tallies read of a node.
type waitNode struct {
	eligible                              bool
	food, aid, wage                       float64
	robRisk, robLoss, kidnapRisk, kidLoss float64
	robT, kidnapT, workT                  uint64
}

// Whom a change of the parameters concerns (bits).
const (
	redrawBorder   uint8 = 1 << iota // those waiting at the border
	redrawStranded                   // the stranded
)

// changes returns whom the change from key o to key k concerns: the
// stranded read the routes, the nodes' living and the give-up rule with
// its stranded term; those at the border the crossing, and the border
// nodes; both giving up and registering.
func (m *Model) changes(k, o *waitKey) uint8 {
	var c uint8
	a, b := k.rules, o.rules
	if a.giveUpBase != b.giveUpBase || a.giveUpPerMonth != b.giveUpPerMonth || a.giveUpPerFailure != b.giveUpPerFailure ||
		a.giveUpBelief != b.giveUpBelief || a.register != b.register || a.open != b.open {
		c |= redrawBorder | redrawStranded
	}
	if a.giveUpStranded != b.giveUpStranded || k.routes != o.routes {
		c |= redrawStranded
	}
	if a.attempt != b.attempt || a.queueShare != b.queueShare || a.cost != b.cost {
		c |= redrawBorder
	}
	if len(k.nodes) != len(o.nodes) {
		return redrawBorder | redrawStranded
	}
	for n := range k.nodes {
		if k.nodes[n] != o.nodes[n] {
			c |= redrawStranded
			if m.w.isBorder[n] {
				c |= redrawBorder
			}
		}
	}
	return c
}

// kindBit returns the redraw bit of entry e.
func kindBit(e *roomEntry) uint8 {
	if e.wait == waitStranded {
		return redrawStranded
	}
	return redrawBorder
}

func (m *Model) newWaitRoom() {
	nk, nn := len(m.w.nats), len(m.w.nodes)
	r := &m.room
	r.wakes = make([][]wakeToken, m.days)
	r.count = make([]int64, nn)
	for a := range r.tally {
		r.tally[a] = make([]int64, nn*(m.days+1))
	}
	r.paying = make([]int64, nn)
	r.spending = make([]int64, nn)
	r.news = make([]float64, nk*m.days)
	r.south = make([]float64, nn*m.days)
	r.rates = make([]behaviourRates, m.days)
	r.strandCount = make([]int64, nn)
	r.strandSouth = make([]int64, nn)
	r.strandSpending = make([]int64, nn)
	r.strandOK = make([]bool, nn)
	deport := map[string]bool{}
	for _, p := range m.sc.Policies {
		if f := strings.Split(p.Path, "."); len(f) == 3 && f[0] == "node" && strings.HasPrefix(f[2], "deport_") {
			deport[f[1]] = true
		}
	}
	for n, node := range m.sc.Nodes {
		r.strandOK[n] = !deport[node.ID] && node.DeportFlightsPerWeek == 0
	}
	r.keys = make([]waitKey, nk)
}

// keyOf returns the waitKey of parameter set ps with routing table rt.
func (m *Model) keyOf(ps *paramSet, rt *routeTable) waitKey {
	b, bp := &ps.behaviour, &ps.border
	k := waitKey{rules: waitRules{
		giveUpBase: b.GiveUpBase, giveUpPerMonth: b.GiveUpPerMonthWaited, giveUpPerFailure: b.GiveUpPerFailure,
		giveUpBelief: b.GiveUpBelief, giveUpStranded: b.GiveUpStranded,
		register: bp.CBPOneRegisterChance, attempt: bp.IrregularAttemptChance, queueShare: bp.CBPOneQueueAttemptShare,
		open: bp.CBPOneOpen, cost: bp.IrregularCost,
	}, routes: rt}
	for _, np := range ps.nodes {
		k.nodes = append(k.nodes, waitNode{
			eligible: np.cbpEligible, food: np.food, aid: np.aidLine, wage: np.wage,
			robRisk: np.robRisk, robLoss: np.robLoss, kidnapRisk: np.kidnapRisk, kidLoss: np.kidLoss,
			robT: np.robT, kidnapT: np.kidnapT, workT: np.workT,
		})
	}
	return k
}

// admitToRoom files the agents of the chunks' toRoom lists in the waiting
// room, current as of the end of day d: those who stay at a border node
// tonight heading for the US, and the stranded (stranded.go). Positions are
// given in chunk order; the plans and wakes are drawn in parallel and filed
// in that order.
func (m *Model) admitToRoom(d int) {
	r := &m.room
	poss := r.scratch[:0]
	for _, c := range m.chunks[:m.nchunks] {
		for _, s := range c.toRoom {
			var pos int32
			if n := len(r.free); n > 0 {
				pos = r.free[n-1]
				r.free = r.free[:n-1]
			} else {
				pos = int32(len(r.entries))
				r.entries = append(r.entries, roomEntry{})
			}
			e := &r.entries[pos]
			*e = roomEntry{slot: s, last: uint16(d), gen: e.gen + 1}
			for int(s.id) >= len(r.at) {
				r.at = append(r.at, -1)
			}
			r.at[s.id] = pos
			switch {
			case e.wait != waitStranded:
				r.count[s.node]++
			case e.goal != goalUS:
				r.strandSouth[s.node]++
				fallthrough
			default:
				r.strandCount[s.node]++
			}
			poss = append(poss, pos)
		}
	}
	r.scratch = poss
	r.fileAll(m.drawAll(poss, func(buf *plans, pos int32) dayToken {
		e := &r.entries[pos]
		if e.wait == waitStranded {
			return m.drawStrandedWake(buf, pos, d)
		}
		m.planNights(buf, e, d, m.natNode(&e.agent).aidLine, true)
		return m.drawWake(pos, d)
	}), m)
}

// drawAll runs draw on every position of poss, in parallel batches, and
// returns the tokens in the order of poss; the changes to the planned
// nights' tallies, gathered per worker, are applied after. draw must touch
// only its entry and the plans it is given.
func (m *Model) drawAll(poss []int32, draw func(buf *plans, pos int32) dayToken) []dayToken {
	r := &m.room
	toks := grow(r.tokens, len(poss))
	nb := (len(poss) + wakeBatchSize - 1) / wakeBatchSize
	bufs := r.workerPlans(m)
	m.forEachWorker(nb, 32*len(poss), func(w, i int) { // a plan walks up to 60 nights
		for j := i * wakeBatchSize; j < min((i+1)*wakeBatchSize, len(poss)); j++ {
			toks[j] = draw(bufs[w], poss[j])
		}
	})
	r.applyPlans()
	r.tokens = toks
	return toks
}

// workerPlans returns one emptied plans per worker, for a pass on today.
// The planned nights' tallies are sums of integers, so it does not matter
// which worker gathers which change: the tallies are the same for any
// number of workers.
func (r *waitRoom) workerPlans(m *Model) []*plans {
	for len(r.bufs) < m.workers {
		r.bufs = append(r.bufs, &plans{})
	}
	for _, b := range r.bufs {
		b.start(m.day, m.days, len(m.w.nodes), &r.tally)
	}
	return r.bufs
}

// applyPlans adds the workers' changes to the planned nights' tallies.
func (r *waitRoom) applyPlans() {
	for _, b := range r.bufs {
		b.apply()
	}
}

// fileAll files the tokens in order, after the pass that drew them.
func (r *waitRoom) fileAll(toks []dayToken, m *Model) {
	for _, t := range toks {
		m.fileDrawn(t)
	}
}

// fileDrawn files the token of a wake just drawn, which carries its entry's
// next generation, and gives the entry that generation: its older tokens
// are stale from now on. The draws (drawWake, drawStrandedWake) leave the
// generation as it was, so that during a pass of wakes no entry's
// generation changes while another batch may be reading it for a stale
// token.
func (m *Model) fileDrawn(t dayToken) {
	m.room.entries[t.tok.pos].gen = t.tok.gen
	m.file(t)
}

// file files a wake token under its day (none past the last day).
func (m *Model) file(t dayToken) {
	if int(t.day) < m.days {
		m.room.wakes[t.day] = append(m.room.wakes[t.day], t.tok)
	}
}

// leaveRoom lets the entry at pos go.
func (m *Model) leaveRoom(pos int32) {
	r := &m.room
	e := &r.entries[pos]
	switch {
	case e.wait != waitStranded:
		r.count[e.node]--
	case e.goal != goalUS:
		r.strandSouth[e.node]--
		fallthrough
	default:
		r.strandCount[e.node]--
	}
	r.at[e.id] = -1
	e.id = -1
	e.gen++
	r.free = append(r.free, pos)
}

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
// with the stranded term for the stranded.
func giveUpBound(e *roomEntry, ps *paramSet, from int, stranded bool) float64 {
	x := math.Inf(-1)
	for _, waited := range [2]int{from + 1 - int(e.since), from + waitHorizon - int(e.since)} {
		for _, belief := range [2]float64{0, 1} {
			x = max(x, giveUpLogit(&ps.behaviour, waited, e.failures, stranded, belief))
		}
	}
	return logistic(x)
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

// registerBound returns the daily chance that the agent of entry e
// registers with CBP One.
func (m *Model) registerBound(e *roomEntry, ps *paramSet) float64 {
	if m.ag.cbp[e.id] != cbpNone || !ps.border.CBPOneOpen || !ps.nodes[e.node].cbpEligible {
		return 0
	}
	return ps.border.CBPOneRegisterChance
}

// drawWake draws the next wake of the entry at pos, whose record is current
// as of day from, and returns its token to be filed (with fileDrawn): for each kind of
// event, the first candidate day of daily trials of its bound
// (geometricDay), from a word of the entry's blocks for the day. A
// candidate after the earliest found so far does not matter, so a bound is
// worked out only when its cheaper upper bound does not rule that out.
func (m *Model) drawWake(pos int32, from int) dayToken {
	r := &m.room
	e := &r.entries[pos]
	ps := m.params[1+m.w.groups[e.group].nat]
	np := &ps.nodes[e.node]
	w0 := block(m.seed, uint64(e.id), from, purposeWait)
	w1 := block(m.seed, uint64(e.id), from, purposeWaitMore)
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
	consider(w0[2], 1, candGiveUp, func() float64 { return giveUpBound(e, ps, from, false) })
	consider(w0[3], np.robRisk, candRobbery, nil)
	consider(w1[0], np.kidnapRisk, candKidnap, nil)
	e.last = uint16(from)
	e.wake, e.cand = uint16(min(wake, 65535)), cand
	return dayToken{int32(min(wake, math.MaxInt32)), wakeToken{pos, e.gen + 1}}
}

// settle brings the entry at pos up to the end of day d−1 and takes back
// what was planned from night d on, with the parameters in force until day
// d−1 (a policy is changing them): the first half of a rewake.
func (m *Model) settleBefore(buf *plans, pos int32, d int) {
	e := &m.room.entries[pos]
	if e.wait == waitStranded {
		m.settleStranded(buf, e, d)
		return
	}
	m.catchUp(e, d-1)
	m.unplanNights(buf, e, d)
}

// rewake draws anew, on day d before anything happened that day and after
// settleBefore, the wake of the entry at pos with the parameters of day d,
// and returns its token to be filed (with fileDrawn).
func (m *Model) rewake(buf *plans, pos int32, d int) dayToken {
	e := &m.room.entries[pos]
	if e.wait == waitStranded {
		return m.drawStrandedWake(buf, pos, d-1)
	}
	m.planNights(buf, e, d, m.natNode(&e.agent).aidLine, false)
	return m.drawWake(pos, d-1)
}

// booked wakes the agent a, if it is in the waiting room, on the day of
// the appointment CBP One booked for it on day d.
func (m *Model) booked(a int32, d int) {
	r := &m.room
	if int(a) >= len(r.at) || r.at[a] < 0 {
		return
	}
	pos := r.at[a]
	e := &r.entries[pos]
	if e.wait == waitStranded {
		return // the appointment waits for them at the border
	}
	day := max(int(m.ag.appt[a]), d+1)
	switch {
	case day < int(e.wake):
		e.gen++
		e.wake, e.cand = uint16(day), candAppointment
		if day < m.days {
			r.wakes[day] = append(r.wakes[day], wakeToken{pos, e.gen})
		}
	case day == int(e.wake):
		e.cand |= candAppointment
	}
}

// catchUp brings the belief and the budget of the border entry e up to
// the end of day d (the nights paid for since).
func (m *Model) catchUp(e *roomEntry, d int) {
	if n := min(d, int(e.paidTo)) - int(e.last); n > 0 {
		e.budget = float32(max(0, float64(e.budget)-float64(n)*float64(e.nightly)/100))
	}
	m.catchUpBelief(e, d)
}

// catchUpBelief brings the belief of entry e up to the end of day d, day
// by day as updateBelief would, and makes the record current as of day d.
func (m *Model) catchUpBelief(e *roomEntry, d int) {
	r := &m.room
	k := m.w.groups[e.group].nat
	news, south := r.news[k*m.days:], r.south[int(e.node)*m.days:]
	b := float64(e.belief)
	for t := int(e.last) + 1; t <= d; t++ {
		// Stays in [0, 1]: the rates and the shares are in [0, 1].
		rt := &r.rates[t]
		b = (1 - rt.local*south[t]) * (b + rt.news*(news[t]-b))
	}
	e.belief = float32(min(1, max(0, b)))
	e.last = uint16(max(int(e.last), d))
}

// keepDay keeps day d's inputs to beliefs (before the decisions).
func (m *Model) keepDay(d int) {
	r := &m.room
	for k, v := range m.todayNews {
		r.news[k*m.days+d] = v
	}
	for n, v := range m.southShare {
		r.south[n*m.days+d] = v
	}
	r.rates[d] = m.rates
}

// wakeRoom wakes the people of the waiting room whose day it is, in
// batches of the day's tokens, in parallel. Those who give up and move on
// join the day's list (appended to out), to choose their way like anyone;
// the rest of the day's outcomes are tallied in the room's chunk. The
// changes to the room are made after the pass, batch by batch.
func (m *Model) wakeRoom(d int, out []slot) []slot {
	r := &m.room
	m.keepDay(d)
	t := &m.roomTally
	t.reset(len(m.w.nodes), len(m.w.nats))
	r.woken = 0
	toks := r.wakes[d]
	r.wakes[d] = nil
	nb := (len(toks) + wakeBatchSize - 1) / wakeBatchSize
	for len(r.batches) < nb {
		r.batches = append(r.batches, &wakeBatch{})
	}
	bs := r.batches[:nb]
	bufs := r.workerPlans(m)
	for i, b := range bs {
		b.chunk.reset(len(m.w.nodes), len(m.w.nats))
		b.lo, b.hi = i*wakeBatchSize, min((i+1)*wakeBatchSize, len(toks))
		b.woken = 0
		b.back, b.left, b.wakeups = b.back[:0], b.left[:0], trim(b.wakeups)
	}
	// A wake (a plan of up to 60 nights for the stranded) costs many times a
	// list entry's day. A token is stale once its entry was drawn anew or
	// let go (both change the entry's generation; not during this pass,
	// see fileDrawn).
	m.forEachWorker(nb, 16*len(toks), func(w, i int) {
		b := bs[i]
		b.plans = bufs[w]
		batch := toks[b.lo:b.hi]
		for j, tk := range batch {
			if j+wakeAhead < len(batch) {
				// Load an entry a few wakes ahead, so that it comes from
				// memory while this one is worked on (the entries are
				// read in no order).
				b.touched += r.entries[batch[j+wakeAhead].pos].gen
			}
			if e := &r.entries[tk.pos]; e.gen == tk.gen {
				b.woken++
				if e.wait == waitStranded {
					m.wakeStranded(b, tk.pos, d)
				} else {
					m.wake(b, tk.pos, d)
				}
			}
		}
	})
	for _, b := range bs {
		r.woken += b.woken
		t.absorbAll(&b.chunk)
		out = append(out, b.back...)
		for _, pos := range b.left {
			m.leaveRoom(pos)
		}
		for _, w := range b.wakeups {
			m.fileDrawn(w)
		}
		b.plans = nil
	}
	r.applyPlans()
	return out
}

// absorbAll adds to t everything chunk c tallied and collected: events,
// border outcomes, CBP One registrations and entrants.
func (t *chunk) absorbAll(c *chunk) {
	for i, v := range c.ev {
		t.ev[i] += v
	}
	for k := range c.succ {
		t.succ[k] += c.succ[k]
		t.fail[k] += c.fail[k]
	}
	t.cbpReg = append(t.cbpReg, c.cbpReg...)
	t.entrants = append(t.entrants, c.entrants...)
}

// wake runs day d for the entry at pos, woken for its candidate events,
// in the order of a day at the border: give up, register, enter on the
// appointment day, try to cross; then the night's crime and living costs.
func (m *Model) wake(b *wakeBatch, pos int32, d int) {
	c := &b.chunk
	e := &m.room.entries[pos]
	a := e.id
	g := int(e.group)
	grp := &m.w.groups[g]
	k := grp.nat
	ps := m.params[1+k]
	np := &ps.nodes[e.node]
	bp := &ps.border
	// The bounds as drawn on day e.last: the record has not changed since.
	giveUpB := giveUpBound(e, ps, int(e.last), false)
	attemptB := m.attemptBound(e, ps)
	m.catchUp(e, d-1)
	m.unplanNights(b.plans, e, d)
	yesterday := float64(e.belief)
	bel := updateBelief(yesterday, m.todayNews[k], m.southShare[e.node], &m.rates)
	w := block(m.seed, uint64(a), d, purposeWake)
	s := e.slot // worked on, then put back or let go
	if e.cand&candGiveUp != 0 {
		x := giveUpLogit(&ps.behaviour, d-int(s.since), s.failures, false, bel)
		if chance(w[wakeGiveUp], logistic(x)/giveUpB) {
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
		m.ag.cbp[a] = cbpRegistered
		c.ev[TotCBPRegistered]++
		c.cbpReg = append(c.cbpReg, a)
	}
	switch cbp := m.ag.cbp[a]; {
	case cbp == cbpBooked && d >= int(m.ag.appt[a]):
		b.left = append(b.left, pos)
		m.enterUS(c, &s, k, TotEnteredUSCBPOne)
		return
	case cbp != cbpBooked && e.cand&candAttempt != 0 && attemptB > 0:
		p := bp.IrregularAttemptChance
		if cbp == cbpRegistered {
			p *= bp.CBPOneQueueAttemptShare
		}
		h := min(1, p*bel) * bp.IrregularCost.CDF(float64(s.budget))
		if chance(w[wakeAttempt], h/attemptB) && !m.cross(c, &s, d, ps, k, true) {
			b.left = append(b.left, pos)
			return
		}
	}
	if e.cand&candRobbery != 0 {
		c.ev[TotRobbed]++
		c.ev[TotLostToCrime] += cents(s.pay(float64(s.budget) * np.robLoss))
	}
	if e.cand&candKidnap != 0 {
		c.ev[TotKidnapped]++
		c.ev[TotLostToCrime] += cents(s.pay(float64(s.budget) * np.kidLoss))
	}
	s.wait = m.borderWait(a)
	e.slot = s
	e.last = uint16(d)
	m.planNights(b.plans, e, d, np.aidLine, true)
	b.wakeups = append(b.wakeups, m.drawWake(pos, d))
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

// roomNight tallies night d of the waiting room's members at each node:
// present and waiting, what they pay, and the aid left after the others at
// the node, served to those who cannot pay.
func (m *Model) roomNight(d int, aid [][2]int64) {
	r := &m.room
	c := &m.roomTally
	tl := &r.tally
	for n, cnt := range r.count {
		row := n*(m.days+1) + d
		r.paying[n] += tl[tallyPaying][row]
		r.spending[n] += tl[tallySpent][row]
		sc := r.strandCount[n]
		if cnt == 0 && sc == 0 {
			continue
		}
		meals, beds := aid[n][0], aid[n][1]
		for _, x := range m.chunks[:m.nchunks] {
			meals -= x.nodes[n].mealsServed
			beds -= x.nodes[n].bedsServed
		}
		meals, beds = max(0, meals), max(0, beds)
		t := &c.nodes[n]
		r.strandSpending[n] += tl[tallyFoodDiff][row]
		if sc > 0 {
			// The stranded: served first of the room, all in need; a night
			// without both an aid meal and an aid bed is a night of unmet
			// need.
			sm, sb := min(meals, sc), min(beds, sc)
			meals, beds = meals-sm, beds-sb
			t.present += sc
			t.stranded += sc
			t.south += r.strandSouth[n]
			t.mealsServed += sm
			t.bedsServed += sb
			t.unmet += sc - min(sm, sb)
			c.ev[TotSpentLiving] += r.strandSpending[n]
			c.ev[TotLostToCrime] += tl[tallyLost][row]
			c.ev[TotRobbed] += tl[tallyRobbed][row]
			c.ev[TotKidnapped] += tl[tallyKidnapped][row]
			c.ev[TotWorked] += tl[tallyWorked][row]
		}
		if cnt == 0 {
			continue
		}
		poor := cnt - r.paying[n]
		meals, beds = min(meals, poor), min(beds, poor)
		t.present += cnt
		t.waiting += cnt
		t.mealsServed += meals
		t.bedsServed += beds
		t.unmet += poor - min(meals, beds)
		c.ev[TotSpentLiving] += r.spending[n]
	}
}

// redrawRoom wakes, on day d before anything happened that day, every
// waiter of nationality k of the kinds in redraw[k] to draw anew (their
// bounds, living costs or routes changed): each is brought up to date with the
// parameters of yesterday, old, and drawn anew with today's.
func (m *Model) redrawRoom(redraw []uint8, old []*paramSet, d int) {
	if !slices.ContainsFunc(redraw, func(x uint8) bool { return x != 0 }) {
		return
	}
	r := &m.room
	todo := r.scratch[:0]
	for i := range r.entries {
		if e := &r.entries[i]; e.id >= 0 && redraw[m.w.groups[e.group].nat]&kindBit(e) != 0 {
			todo = append(todo, int32(i))
		}
	}
	r.scratch = todo
	now := m.params
	m.params = old
	m.drawAll(todo, func(buf *plans, pos int32) dayToken { m.settleBefore(buf, pos, d); return dayToken{} })
	m.params = now
	r.fileAll(m.drawAll(todo, func(buf *plans, pos int32) dayToken { return m.rewake(buf, pos, d) }), m)
}
