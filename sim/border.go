package sim

import (
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

// atBorder runs the border rules for the agent of slot s (goal US) at
// border node n and reports whether the agent is still there.
func (m *Model) atBorder(c *chunk, s *slot, d int, ps *paramSet, k int, bw *lazyBlock) bool {
	r, a := &s.agent, s.id
	bp := &ps.border
	attempt := bp.IrregularAttemptChance
	idle := waitBorder
	switch m.ag.cbp[a] {
	case cbpBooked:
		if d >= int(m.ag.appt[a]) {
			m.enterUS(c, s, d, k, TotEnteredUSCBPOne)
			return false
		}
		r.wait = waitAppointment
		return true
	case cbpRegistered:
		attempt *= bp.CBPOneQueueAttemptShare
		idle = waitCBPQueue
	}
	if attempt <= 0 || !chance(bw.get(m.seed, a, d)[wordAttempt], attempt*float64(r.belief)) {
		r.wait = idle
		return true
	}
	return m.cross(c, s, d, ps, k, false)
}

// cross is the try of the agent of slot s to cross between ports on day d,
// and reports whether the agent is still at the border. The smuggler's
// price is drawn from irregular_cost; a person who cannot pay it stays.
// With affordable set, the try is known to be one the person can pay (the
// waiting room, wait.go, draws only those), and the price is drawn
// conditioned on being within the budget.
func (m *Model) cross(c *chunk, s *slot, d int, ps *paramSet, k int, affordable bool) bool {
	r, a := &s.agent, s.id
	bp := &ps.border
	st := rng.New(m.seed, uint64(a), d, purposeBorder)
	var cost float64
	if affordable {
		cost = bp.IrregularCost.Quantile((1 - st.Float64()) * bp.IrregularCost.CDF(float64(r.budget)))
		cost = min(cost, float64(r.budget))
	} else {
		cost = bp.IrregularCost.Sample(&st)
	}
	if float64(r.budget) < cost {
		r.wait = m.borderWait(a)
		return true
	}
	c.ev[TotSpentSmuggler] += cents(r.pay(cost))
	if !st.Bernoulli(bp.Apprehension) {
		m.enterUS(c, s, d, k, TotEnteredUSIrregular)
		return false
	}
	c.ev[TotApprehended]++
	if st.Bernoulli(bp.AsylumAccess) {
		m.enterUS(c, s, d, k, TotEnteredUSAsylum)
		return false
	}
	c.fail[k]++
	r.fail()
	if st.Bernoulli(bp.ExpulsionShare) {
		c.ev[TotExpelled]++
		r.wait = m.borderWait(a) // an expelled registrant keeps the registration
		return true
	}
	c.ev[TotRemoved]++
	m.sendHome(c, r, a)
	return false
}

// enterUS moves the agent of slot s, of nationality k, into the US
// interior on day d: its record goes with it, and the exponential
// threshold of its departure is drawn now, in the parallel pass, and
// offset by the day's cumulative hazard when it is filed
// (admitToInterior).
func (m *Model) enterUS(c *chunk, s *slot, d, k int, pathway Total) {
	a := s.id
	c.ev[pathway]++
	c.succ[k]++
	m.ag.state[a] = stInUS
	s.node = int16(m.w.interior)
	m.leaveQueue(a)
	m.ag.cbp[a] = cbpNone
	s.wait = waitNone
	st := rng.New(m.seed, uint64(a), d, purposeInterior)
	c.entrants = append(c.entrants, usEntry{
		at: st.Exponential(), id: a,
		budget: s.budget, belief: s.belief, group: s.group, failures: s.failures,
	})
}

// sendHome removes agent a, of record r, to its origin (deportation,
// removal).
func (m *Model) sendHome(c *chunk, r *agent, a int32) {
	m.ag.state[a] = stHome
	r.goal = goalHome
	m.leaveQueue(a)
	m.ag.cbp[a] = cbpNone
	r.node = int16(m.w.groups[r.group].home)
	c.ev[TotReturnedHome]++
}

// register enrols the agent of slot s with CBP One if it may and chooses
// to today.
func (m *Model) register(c *chunk, s *slot, d int, ps *paramSet, bw *lazyBlock) {
	a := s.id
	if !ps.border.CBPOneOpen || !ps.nodes[s.node].cbpEligible || m.ag.cbp[a] != cbpNone {
		return
	}
	if chance(bw.get(m.seed, a, d)[wordRegister], ps.border.CBPOneRegisterChance) {
		m.registerCBP(c, a)
	}
}

// allocateCBP gives the day's CBP One slots (deterministic: the lottery is
// sequential; the places it draws are found in the queue, and the bookings
// made, in parallel).
func (m *Model) allocateCBP(d int) {
	m.fileRegistered()
	bp := &m.params[0].border
	if !bp.CBPOneOpen {
		return
	}
	q := &m.cbpQ
	n := q.registered()
	slots := m.carry(&m.slotCarry, bp.CBPOneDailySlots)
	if slots <= 0 || n == 0 {
		return
	}
	slots = min(slots, n)
	earliest := int(math.Round(float64(slots) * bp.CBPOneEarliestShare))
	// The earliest registered get the first slots; the rest draw lots for
	// the other slots (the queue itself keeps its order of registration).
	// The places drawn, then who holds them.
	picks := m.cbpPicks[:0]
	for i := range earliest {
		picks = append(picks, int32(i))
	}
	if m.lotteryMoved == nil {
		m.lotteryMoved = make(map[int32]int32)
	}
	s := rng.New(m.seed, entityCBP, d, purposeLottery)
	lotteryPicks(&s, n-earliest, slots-earliest, m.lotteryMoved, func(i int32) {
		picks = append(picks, int32(earliest)+i)
	})
	m.cbpPicks = picks
	m.lotteryMost = max(m.lotteryMost, len(m.lotteryMoved))
	nb := (len(picks) + wakeBatchSize - 1) / wakeBatchSize
	m.forEach(nb, 16*len(picks), func(i int) {
		for j := i * wakeBatchSize; j < min((i+1)*wakeBatchSize, len(picks)); j++ {
			picks[j] = q.at(int(picks[j]), m.ag.cbp)
		}
	})
	m.dayTally.ev[TotCBPBooked] += int64(len(picks))
	m.bookAll(picks, d, uint16(min(d+bp.CBPOneLeadDays, 65535)))
}

// bookAll books the appointment of day appt for each agent of picks, on
// day d, in parallel, and wakes those asleep in the waiting room at the
// border on the appointment's day (booked), their tokens filed in the order
// of picks. The picks are distinct, since an agent is in the CBP One queue
// at most once: it registers only with no standing, and no way out of a
// registration (a booking, giving up, a cancellation, entering the US,
// death) lets it register again before the next filtering drops it.
func (m *Model) bookAll(picks []int32, d int, appt uint16) {
	r := &m.room
	nb := (len(picks) + wakeBatchSize - 1) / wakeBatchSize
	toks := grow(r.tokens, len(picks))
	r.tokens = toks
	counts := grow(r.tokenCounts, nb)
	r.tokenCounts = counts
	filed := grow(r.filed, nb)
	r.filed = filed
	m.forEach(nb, 4*len(picks), func(i int) {
		lo := i * wakeBatchSize
		k := lo
		for _, a := range picks[lo:min(lo+wakeBatchSize, len(picks))] {
			m.leaveQueue(a)
			m.ag.cbp[a] = cbpBooked
			m.ag.appt[a] = appt
			if t, ok := m.booked(a, d); ok {
				toks[k] = t
				k++
			}
		}
		filed[i] = k - lo
		counts[i].count(toks[lo:k], d)
	})
	m.fileParts(counts, func(i int) []dayToken {
		lo := i * wakeBatchSize
		return toks[lo : lo+filed[i]]
	})
}

// lotteryPicks draws k of the places [0, n) by a partial Fisher–Yates
// shuffle on s and calls pick with each, in the order drawn. Only the
// places a swap has touched differ from the identity, so they alone are
// kept, in moved (emptied first): the work is k's, not n's.
func lotteryPicks(s *rng.Stream, n, k int, moved map[int32]int32, pick func(int32)) {
	clear(moved)
	at := func(i int32) int32 {
		if v, ok := moved[i]; ok {
			return v
		}
		return i
	}
	for i := 0; i < k; i++ {
		j := int32(i + s.Intn(n-i))
		// Swap places i and j, then pick place i: place i is never read
		// again, so only place j has to keep what i held.
		picked := at(j)
		moved[j] = at(int32(i))
		pick(picked)
	}
}

// queueSegment is the number of queue places filtered by one task of
// compactQueue.
const queueSegment = 16384

// voidCBP voids every registration and appointment of nationality k. It
// runs before the day's arrivals, when the records of those who may hold
// one are in the active list (at a node) or a pending list (travelling);
// the dead who held one count too.
func (m *Model) voidCBP(k int) {
	ag := &m.ag
	const segment = 1 << 16
	// The records first, in parallel segments of each array: they read
	// the standings, which the second pass clears.
	var parts [][]slot
	cut := func(list []slot) {
		for lo := 0; lo < len(list); lo += segment {
			parts = append(parts, list[lo:min(lo+segment, len(list))])
		}
	}
	cut(m.active)
	for _, due := range m.pending {
		for _, p := range due {
			cut(p)
		}
	}
	entries := m.room.entries
	nr := (len(entries) + segment - 1) / segment
	m.forEach(len(parts)+nr, len(m.active)+len(entries), func(i int) {
		if i < len(parts) {
			for j := range parts[i] {
				if r := &parts[i][j]; ag.cbp[r.id] != cbpNone && m.w.groups[r.group].nat == k {
					r.fail()
					if r.wait == waitAppointment || r.wait == waitCBPQueue {
						r.wait = waitBorder
					}
				}
			}
			return
		}
		lo := (i - len(parts)) * segment
		for j := lo; j < min(lo+segment, len(entries)); j++ {
			if e := &entries[j]; e.id >= 0 && ag.cbp[e.id] != cbpNone && m.w.groups[e.group].nat == k {
				e.fail()
				if e.wait != waitStranded {
					e.wait = waitBorder
				}
			}
		}
	})
	// Then the standings, counted per segment.
	na := (len(ag.group) + segment - 1) / segment
	voided := make([]int64, na)
	m.forEach(na, len(ag.group), func(i int) {
		lo := i * segment
		for a := lo; a < min(lo+segment, len(ag.group)); a++ {
			if ag.cbp[a] != cbpNone && m.w.groups[ag.group[a]].nat == k {
				m.leaveQueue(int32(a))
				ag.cbp[a] = cbpNone
				voided[i]++
			}
		}
	})
	for _, v := range voided {
		m.dayTally.ev[TotCBPVoided] += v
		m.dayTally.fail[k] += v
	}
	// Those voided may register again, once CBP One is open to them: the
	// queue must no longer hold their old places, which would then read as
	// registered (cbpqueue.go).
	m.compactQueue(m.cbpQ.registered())
}

// usEntry is a person in the US with the cumulative hazard at which they
// leave and what their record keeps while they are there (the node is the
// interior, the goal the US; the arrival day and the wait are set anew when
// they leave): 24 bytes.
type usEntry struct {
	at       float64
	id       int32
	budget   float32
	belief   float32
	group    uint8
	failures uint8
}

// admitToInterior files the day's entrants (in chunk order) in the queues,
// their thresholds offset by the cumulative hazard so far.
func (m *Model) admitToInterior() {
	for _, c := range append([]*chunk{&m.roomTally}, m.chunks[:m.nchunks]...) {
		for _, e := range c.entrants {
			k := m.w.groups[e.group].nat
			e.at += m.usHazard[k]
			m.inUS[k].push(e)
		}
	}
	for k := range m.inUS {
		m.inUS[k].seal(m.forEach)
	}
}

// leaveInterior advances each nationality's cumulative hazard by the day's
// rates and returns those who leave the US today by land, appending them to
// out in the order they come due; removals go home directly. Who comes due
// is taken from the queue in order; what each one does is drawn in
// parallel (from the agent's own stream).
func (m *Model) leaveInterior(d int, out []slot) []slot {
	for k := range m.inUS {
		bp := &m.params[1+k].border
		rate := bp.InteriorRemovalRate + bp.InteriorLeaveRate
		m.usHazard[k] += rate
		q := &m.inUS[k]
		due := m.usDue[:0]
		for q.sealed() && q.first().at <= m.usHazard[k] {
			due = append(due, q.pop())
		}
		m.usDue = due
		if len(due) == 0 {
			continue
		}
		// Each one's way out, side by side, written in its place in the
		// list; then the removed are dropped, in order.
		base := len(out)
		out = grown(m, out, len(due))[:base+len(due)]
		cs := m.cut(&m.usPool, len(due))
		m.each(cs, func(c *chunk) {
			for j := c.lo; j < c.hi; j++ {
				e := &due[j]
				a := e.id
				sl := slot{agent{budget: e.budget, belief: e.belief, node: int16(m.w.interior), group: e.group, goal: goalUS, failures: e.failures}, a}
				r := &sl.agent
				s := rng.New(m.seed, uint64(a), d, purposeInterior)
				if s.Bernoulli(bp.InteriorRemovalRate / rate) {
					c.ev[TotInteriorRemoved]++
					m.sendHome(c, r, a)
					out[base+j].id = -1
					continue
				}
				c.ev[TotLeftUS]++
				grp := &m.w.groups[r.group]
				r.goal = goalHome
				if grp.elsewhere >= 0 && !s.Bernoulli(m.params[1+k].origins[r.group].homeShare) {
					r.goal = goalElsewhere
				}
				m.ag.state[a] = stAtNode
				r.since = uint16(d)
				r.wait = waitNone
				out[base+j] = sl
			}
		})
		for _, c := range cs {
			m.dayTally.absorb(c)
		}
		n := base
		for _, sl := range out[base:] {
			if sl.id >= 0 {
				out[n] = sl
				n++
			}
		}
		out = out[:n]
	}
	return out
}
