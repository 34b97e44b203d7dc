package sim

import "sync/atomic"

// Aid and living. Every night each person at a node needs a meal and a bed.
// Nodes with aid capacity give up to `meals` meals and `beds` beds a day:
// first to those who could not pay for both (budget below food_cost +
// lodging_cost), then to the others, each group served in the order people
// came to the node (the day's list order), so capacity is never exceeded and
// the allocation does not depend on how the work is split among workers.
// Whoever is not served pays food_cost and lodging_cost; a person who cannot
// pay goes without (buying food before a bed if the money allows) and counts
// one person-day of unmet need. A person unable to pay the night finds a
// day's work with chance work_chance and earns wage. Robbery and kidnapping for ransom take a share of the money at the
// node's daily risks. Deportation flights (risk.go) take their seats first,
// from the people heading north, in the same order. People heading for the
// US who wait at a border node live by the night rule of wait.go instead,
// and the stranded (without money to move on) by that of stranded.go.
//
// The work is split among fixed chunks of the day's list: the decisions
// count, chunk by chunk, who will be at each node tonight, by need, and who
// is deportable; each chunk gets its share of the deportation seats (a
// prefix in list order), then of meals and beds; then the night serves each
// chunk, in parallel.

// destitute reports whether the agent of record r cannot pay for both
// food and a bed.
func destitute(r *agent, np *nodeParams) bool {
	return float64(r.budget) < np.aidLine
}

// natNode returns the parameters of the node of the agent of record r
// (at a node) in force for its nationality.
func (m *Model) natNode(r *agent) *nodeParams {
	return &m.params[1+m.w.groups[r.group].nat].nodes[r.node]
}

// planDeport sets today's deportation seats of every node, before the
// decisions count who may take them.
func (m *Model) planDeport() {
	common := m.params[0]
	m.anyDeport = false
	for n := range m.w.nodes {
		m.deportSeats[n] = int64(m.carry(&m.deportCarry[n], common.nodes[n].deportSeatsPerDay))
		m.anyDeport = m.anyDeport || m.deportSeats[n] > 0
	}
}

// needOf returns the aid category of the agent of record r at a node with
// parameters np: 0 if it cannot pay for both food and a bed, else 1.
func needOf(r *agent, np *nodeParams) int {
	if destitute(r, np) {
		return 0
	}
	return 1
}

// countNight counts, in chunk c, an agent of record r who stays at its node
// tonight as far as the decisions go, np the node's parameters for it: it
// needs aid of its category, and may take a deportation seat if it heads
// north. The decisions count the agents this way, while their records are
// at hand; those given a seat, or drowned, later are taken out again
// (uncountNight), and so are those who take a deportation seat
// (excludeDeported).
func (m *Model) countNight(c *chunk, r *agent, np *nodeParams) {
	t := &c.nodes[r.node]
	if r.goal == goalUS && m.deportSeats[r.node] > 0 {
		t.deportable++
	}
	t.need[needOf(r, np)]++
}

// uncountNight takes out of the night's counts the agent at pos in the
// active list, counted by countNight, who has left since (seats are
// resolved after the decisions). The boats of several edges do it side by
// side, so the counts are taken down atomically.
func (m *Model) uncountNight(pos int32) {
	c := m.chunks[int(pos)/chunkSize(len(m.active))]
	r := &m.active[pos].agent
	t := &c.nodes[r.node]
	if r.goal == goalUS && m.deportSeats[r.node] > 0 {
		atomic.AddInt64(&t.deportable, -1)
	}
	atomic.AddInt64(&t.need[needOf(r, m.natNode(r))], -1)
}

// excludeDeported takes out of chunk c's needs those who will take its
// deportation seats: at each node the first deportQ people heading north, in
// list order. It stops when the chunk's seats are all taken.
func (m *Model) excludeDeported(c *chunk) {
	var seats int64
	for i := range c.nodes {
		c.nodes[i].seatsLeft = c.nodes[i].deportQ
		seats += c.nodes[i].deportQ
	}
	list := m.active[c.lo:c.hi]
	for i := 0; i < len(list) && seats > 0; i++ {
		r := &list[i].agent
		if r.wait == waitGone || r.goal != goalUS {
			continue
		}
		if t := &c.nodes[r.node]; t.seatsLeft > 0 {
			t.seatsLeft--
			t.need[needOf(r, m.natNode(r))]--
			seats--
		}
	}
}

// shareOut gives each chunk, in chunk order, its prefix share of a node
// capacity, first to need category 0 then 1 (for aid), or of deport seats.
func (m *Model) shareAid(n int, meals, beds int64) {
	for cat := 0; cat < 2; cat++ {
		for _, c := range m.chunks[:m.nchunks] {
			t := &c.nodes[n]
			q := min(meals, t.need[cat])
			t.mealsQ[cat] = q
			meals -= q
			q = min(beds, t.need[cat])
			t.bedsQ[cat] = q
			beds -= q
		}
	}
}

func (m *Model) shareDeport(n int, seats int64) {
	for _, c := range m.chunks[:m.nchunks] {
		t := &c.nodes[n]
		q := min(seats, t.deportable)
		t.deportQ = q
		seats -= q
	}
}

// nightCrime applies the night's robbery and kidnapping, as drawn in x, to
// the agent of record r at a node with parameters np.
func nightCrime(c *chunk, r *agent, np *nodeParams, x nightDraws) {
	crime(c, r, np, x&nightRobbed != 0, x&nightKidnapped != 0)
}

// crime robs the agent of record r at a node with parameters np of
// robbery_loss of its budget if robbed, then of kidnap_loss of what is left
// if kidnapped, and tallies it in chunk c.
func crime(c *chunk, r *agent, np *nodeParams, robbed, kidnapped bool) {
	if robbed {
		c.ev[TotRobbed]++
		c.ev[TotLostToCrime] += cents(r.pay(float64(r.budget) * np.robLoss))
	}
	if kidnapped {
		c.ev[TotKidnapped]++
		c.ev[TotLostToCrime] += cents(r.pay(float64(r.budget) * np.kidLoss))
	}
}

// overnight serves chunk c: deportation seats, aid, living costs, crime and
// work, and tallies the node stocks.
func (m *Model) overnight(c *chunk, d int) {
	list := m.active[c.lo:c.hi]
	nights := m.nights[c.lo:c.hi]
	kept := 0
	for i := range list {
		s := &list[i]
		r := &s.agent
		if r.wait == waitGone {
			continue
		}
		n := r.node
		t := &c.nodes[n]
		if r.goal == goalUS && t.deportQ > 0 {
			t.deportQ--
			c.ev[TotDeportedFlight]++
			m.sendHome(c, r, s.id)
			continue
		}
		np := m.natNode(r)
		if r.goal == goalUS && m.w.isBorder[n] {
			// Waiting at the border (wait.go): crime only, then the
			// waiting room.
			nightCrime(c, r, np, nights[i])
			c.toRoom = append(c.toRoom, *s)
			continue
		}
		if r.wait == waitStranded {
			// Stranded (stranded.go): the waiting room, where it may wait.
			m.nightStranded(c, r, np, nights[i])
			if m.room.strandOK[n] {
				c.toRoom = append(c.toRoom, *s)
				continue
			}
			t.present++
			t.stranded++
			t.unmet++
			if r.goal != goalUS {
				t.south++
			}
			list[kept] = *s
			kept++
			continue
		}
		cat := 1
		if destitute(r, np) {
			cat = 0
		}
		meal, bed := false, false
		if t.mealsQ[cat] > 0 {
			t.mealsQ[cat]--
			meal = true
			t.mealsServed++
		}
		if t.bedsQ[cat] > 0 {
			t.bedsQ[cat]--
			bed = true
			t.bedsServed++
		}
		cost := 0.0
		if !meal {
			cost += np.food
		}
		if !bed {
			cost += np.lodging
		}
		unable := false
		if float64(r.budget) >= cost {
			c.ev[TotSpentLiving] += cents(r.pay(cost))
		} else {
			t.unmet++
			unable = true
			if !meal && float64(r.budget) >= np.food {
				c.ev[TotSpentLiving] += cents(r.pay(np.food))
			}
		}
		x := nights[i]
		nightCrime(c, r, np, x)
		if unable && x&nightWorks != 0 {
			r.budget += float32(np.wage)
			c.ev[TotWorked]++
		}
		t.present++
		if r.wait != waitNone {
			t.waiting++
		}
		if r.goal != goalUS {
			t.south++
		}
		if kept != i {
			list[kept] = *s
		}
		kept++
	}
	c.n = kept
}
