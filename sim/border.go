package sim

import (
	"container/heap"
	"math"

	"github.com/migsim/migsim/sim/rng"
)

// The US border. People heading for the US end their routes at a node of
// kind "border". There:
//
//   - CBP One: where registering is allowed (node.*.cbp_one_eligible) and the
//     programme is open, a person registers with daily chance
//     cbp_one_register_chance, then waits in one queue in registration order.
//     Each day cbp_one_daily_slots slots are given: cbp_one_earliest_share of
//     them to the earliest registrations, the rest by a seeded lottery among
//     the others (the 2023 rule). A slot books an appointment
//     cbp_one_lead_days later; on that day (or on arrival at the border, if
//     later) the person enters the US. Closing CBP One (cbp_one_open = false)
//     voids every registration and booked appointment: each counts as a
//     failure for the person and in the news.
//   - Irregular crossing: a person at the border without a registration tries
//     to cross between ports with daily chance irregular_attempt_chance ×
//     belief, and a registered one still waiting for a slot with that chance
//     times cbp_one_queue_attempt_share (an expelled registrant keeps the
//     registration), paying irregular_cost (smuggler) if the budget allows. A crosser
//     is caught with chance apprehension; one who is not enters the US. One
//     who is caught is let in to seek asylum with chance asylum_access;
//     otherwise expelled to Mexico (back at the border node, a failure) with
//     chance expulsion_share, or removed to the origin.
//   - The US interior: each person in the US leaves at the daily rate
//     interior_removal_rate + interior_leave_rate. Which one happens is drawn
//     at the event: a removal sends the person home; a voluntary departure
//     puts the person at the interior node heading home or elsewhere by land.
//     The event times are drawn by the cumulative-hazard method (a person
//     leaves when the nationality's cumulative hazard since entry passes an
//     exponential threshold drawn at entry), so people in the US cost no work
//     until their day comes, and policy changes of the rates act at once.

// atBorder runs the border rules for agent a (goal US) at border node n
// and reports whether the agent is still there.
func (m *Model) atBorder(c *chunk, a int32, d int, ps *paramSet, k int, bw *lazyBlock) bool {
	ag := &m.ag
	bp := &ps.border
	attempt := bp.IrregularAttemptChance
	idle := waitBorder
	switch ag.cbp[a] {
	case cbpBooked:
		if d >= int(ag.appt[a]) {
			m.enterUS(c, a, k, TotEnteredUSCBPOne)
			return false
		}
		ag.rec[a].wait = waitAppointment
		return true
	case cbpRegistered:
		attempt *= bp.CBPOneQueueAttemptShare
		idle = waitCBPQueue
	}
	if attempt <= 0 || !chance(bw.get(m.seed, a, d)[wordAttempt], attempt*float64(ag.rec[a].belief)) {
		ag.rec[a].wait = idle
		return true
	}
	s := rng.New(m.seed, uint64(a), d, purposeBorder)
	cost := bp.IrregularCost.Sample(&s)
	if float64(ag.rec[a].budget) < cost {
		ag.rec[a].wait = idle
		return true
	}
	c.ev[TotSpentSmuggler] += cents(ag.pay(a, cost))
	if !s.Bernoulli(bp.Apprehension) {
		m.enterUS(c, a, k, TotEnteredUSIrregular)
		return false
	}
	c.ev[TotApprehended]++
	if s.Bernoulli(bp.AsylumAccess) {
		m.enterUS(c, a, k, TotEnteredUSAsylum)
		return false
	}
	c.fail[k]++
	ag.fail(a)
	if s.Bernoulli(bp.ExpulsionShare) {
		c.ev[TotExpelled]++
		ag.rec[a].wait = idle // an expelled registrant keeps the registration
		return true
	}
	c.ev[TotRemoved]++
	m.sendHome(c, a)
	return false
}

// enterUS moves agent a into the US interior.
func (m *Model) enterUS(c *chunk, a int32, k int, pathway Total) {
	ag := &m.ag
	c.ev[pathway]++
	c.succ[k]++
	ag.state[a] = stInUS
	ag.rec[a].node = int16(m.w.interior)
	ag.cbp[a] = cbpNone
	ag.rec[a].wait = waitNone
	c.entrants = append(c.entrants, a)
}

// sendHome removes agent a to its origin (deportation, removal).
func (m *Model) sendHome(c *chunk, a int32) {
	m.ag.state[a] = stHome
	m.ag.rec[a].goal = goalHome
	m.ag.cbp[a] = cbpNone
	m.ag.rec[a].node = int16(m.w.groups[m.ag.rec[a].group].home)
	c.ev[TotReturnedHome]++
}

// register enrols agent a with CBP One if it may and chooses to today.
func (m *Model) register(c *chunk, a int32, d int, ps *paramSet, bw *lazyBlock) {
	if !ps.border.CBPOneOpen || !ps.nodes[m.ag.rec[a].node].cbpEligible || m.ag.cbp[a] != cbpNone {
		return
	}
	if chance(bw.get(m.seed, a, d)[wordRegister], ps.border.CBPOneRegisterChance) {
		m.ag.cbp[a] = cbpRegistered
		c.ev[TotCBPRegistered]++
		c.cbpReg = append(c.cbpReg, a)
	}
}

// allocateCBP gives the day's CBP One slots (sequential, deterministic).
func (m *Model) allocateCBP(d int) {
	ag := &m.ag
	for _, c := range m.chunks[:m.nchunks] {
		m.cbpQueue = append(m.cbpQueue, c.cbpReg...)
	}
	// Drop those who left the queue (gave up, entered, died, voided).
	q := m.cbpQueue[:0]
	for _, a := range m.cbpQueue {
		if ag.cbp[a] == cbpRegistered && (ag.state[a] == stAtNode || ag.state[a] == stTravel) {
			q = append(q, a)
		}
	}
	m.cbpQueue = q
	bp := &m.params[0].border
	if !bp.CBPOneOpen {
		return
	}
	slots := m.carry(&m.slotCarry, bp.CBPOneDailySlots)
	if slots <= 0 || len(q) == 0 {
		return
	}
	if slots > len(q) {
		slots = len(q)
	}
	earliest := int(math.Round(float64(slots) * bp.CBPOneEarliestShare))
	lead := bp.CBPOneLeadDays
	book := func(a int32) {
		ag.cbp[a] = cbpBooked
		ag.appt[a] = uint16(min(d+lead, 65535))
		m.dayTally.ev[TotCBPBooked]++
	}
	for _, a := range q[:earliest] {
		book(a)
	}
	// Lottery among the rest: a partial Fisher–Yates shuffle of their
	// positions, so the queue itself keeps registration order.
	rest := len(q) - earliest
	idx := m.scratch[:0]
	for i := 0; i < rest; i++ {
		idx = append(idx, int32(earliest+i))
	}
	s := rng.New(m.seed, entityCBP, d, purposeLottery)
	for i := 0; i < slots-earliest; i++ {
		j := i + s.Intn(rest-i)
		idx[i], idx[j] = idx[j], idx[i]
		book(q[idx[i]])
	}
	m.scratch = idx
	keep := q[:0]
	for _, a := range q {
		if ag.cbp[a] == cbpRegistered {
			keep = append(keep, a)
		}
	}
	m.cbpQueue = keep
}

// voidCBP voids every registration and appointment of nationality k.
func (m *Model) voidCBP(k int) {
	ag := &m.ag
	for a := range ag.state {
		if ag.cbp[a] == cbpNone || m.w.groups[ag.rec[a].group].nat != k {
			continue
		}
		ag.cbp[a] = cbpNone
		ag.fail(int32(a))
		m.dayTally.ev[TotCBPVoided]++
		m.dayTally.fail[k]++
		if ag.rec[a].wait == waitAppointment || ag.rec[a].wait == waitCBPQueue {
			ag.rec[a].wait = waitBorder
		}
	}
}

// usEntry is a person in the US with the cumulative hazard at which they leave.
type usEntry struct {
	at float64
	a  int32
}

// usHeap is a min-heap of usEntry by (at, agent id).
type usHeap []usEntry

func (h usHeap) Len() int { return len(h) }
func (h usHeap) Less(i, j int) bool {
	if h[i].at != h[j].at {
		return h[i].at < h[j].at
	}
	return h[i].a < h[j].a
}
func (h usHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *usHeap) Push(x any)   { *h = append(*h, x.(usEntry)) }
func (h *usHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// admitToInterior files the day's entrants (in chunk order) in the heaps.
func (m *Model) admitToInterior(d int) {
	for _, c := range m.chunks[:m.nchunks] {
		for _, a := range c.entrants {
			k := m.w.groups[m.ag.rec[a].group].nat
			s := rng.New(m.seed, uint64(a), d, purposeInterior)
			heap.Push(&m.inUS[k], usEntry{at: m.usHazard[k] + s.Exponential(), a: a})
		}
	}
}

// leaveInterior advances each nationality's cumulative hazard by the day's
// rates and returns those who leave the US today by land, appending them to
// out; removals go home directly.
func (m *Model) leaveInterior(d int, out []int32) []int32 {
	ag := &m.ag
	for k := range m.inUS {
		bp := &m.params[1+k].border
		rate := bp.InteriorRemovalRate + bp.InteriorLeaveRate
		m.usHazard[k] += rate
		h := &m.inUS[k]
		for h.Len() > 0 && (*h)[0].at <= m.usHazard[k] {
			e := heap.Pop(h).(usEntry)
			a := e.a
			s := rng.New(m.seed, uint64(a), d, purposeInterior)
			if s.Bernoulli(bp.InteriorRemovalRate / rate) {
				m.dayTally.ev[TotInteriorRemoved]++
				m.sendHome(&m.dayTally, a)
				continue
			}
			m.dayTally.ev[TotLeftUS]++
			grp := &m.w.groups[ag.rec[a].group]
			ag.rec[a].goal = goalHome
			if grp.elsewhere >= 0 && !s.Bernoulli(m.params[1+k].origins[ag.rec[a].group].homeShare) {
				ag.rec[a].goal = goalElsewhere
			}
			ag.state[a] = stAtNode
			ag.rec[a].node = int16(m.w.interior)
			ag.rec[a].since = uint16(d)
			ag.rec[a].wait = waitNone
			out = append(out, a)
		}
	}
	return out
}
