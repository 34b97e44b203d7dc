package sim

// Aid and living. Every night each person at a node needs a meal and a bed.
// Nodes with aid capacity give up to `meals` meals and `beds` beds a day:
// first to those who could not pay for both (budget below food_cost +
// lodging_cost), then to the others, each group served in the order people
// came to the node (the day's list order), so capacity is never exceeded and
// the allocation does not depend on how the work is split among workers.
// Whoever is not served pays food_cost and lodging_cost; a person who cannot
// pay goes without (buying food before a bed if the money allows) and counts
// one person-day of unmet need. A person stranded (saving for the next
// fare) does not pay for a bed: without an aid bed they sleep rough, which
// is unmet need too. A person without money to move on, or unable
// to pay the night, finds a day's work with chance work_chance and earns
// wage. Robbery and kidnapping for ransom take a share of the money at the
// node's daily risks. Deportation flights (risk.go) take their seats first,
// from the people heading north, in the same order.
//
// The work is split into passes over the day's list, each in parallel over
// fixed chunks: count who is deportable, give each chunk its share of the
// seats (a prefix in list order); count needs, give each chunk its share of
// meals and beds; serve.

// destitute reports whether the agent of record r cannot pay for both
// food and a bed.
func destitute(r *agent, np *nodeParams) bool {
	return float64(r.budget) < np.food+np.lodging
}

// natNode returns the parameters of the node of the agent of record r
// (at a node) in force for its nationality.
func (m *Model) natNode(r *agent) *nodeParams {
	return &m.params[1+m.w.groups[r.group].nat].nodes[r.node]
}

// countDeportable counts, per node, the people heading north in chunk c.
func (m *Model) countDeportable(c *chunk) {
	list := m.active[c.lo:c.hi]
	for i := range list {
		if r := &list[i]; r.wait != waitGone && r.goal == goalUS && m.deportSeats[r.node] > 0 {
			c.nodes[r.node].deportable++
		}
	}
}

// countNeeds counts, per node, who will ask for aid in chunk c: everybody
// present except those taking a deportation seat.
func (m *Model) countNeeds(c *chunk) {
	for i := range c.nodes {
		c.nodes[i].seatsLeft = c.nodes[i].deportQ
	}
	list := m.active[c.lo:c.hi]
	for i := range list {
		r := &list[i].agent
		if r.wait == waitGone {
			continue
		}
		t := &c.nodes[r.node]
		if r.goal == goalUS && t.seatsLeft > 0 {
			t.seatsLeft--
			continue
		}
		if destitute(r, m.natNode(r)) {
			t.need[0]++
		} else {
			t.need[1]++
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
		stranded := r.wait == waitStranded
		cost := 0.0
		if !meal {
			cost += np.food
		}
		if !bed && !stranded {
			cost += np.lodging
		}
		unable := stranded && !bed
		if unable {
			t.unmet++
		}
		if float64(r.budget) >= cost {
			c.ev[TotSpentLiving] += cents(r.pay(cost))
		} else {
			if !unable {
				t.unmet++
			}
			unable = true
			if !meal && float64(r.budget) >= np.food {
				c.ev[TotSpentLiving] += cents(r.pay(np.food))
			}
		}
		x := nights[i]
		if x&nightRobbed != 0 {
			c.ev[TotRobbed]++
			c.ev[TotLostToCrime] += cents(r.pay(float64(r.budget) * np.robLoss))
		}
		if x&nightKidnapped != 0 {
			c.ev[TotKidnapped]++
			c.ev[TotLostToCrime] += cents(r.pay(float64(r.budget) * np.kidLoss))
		}
		if (unable || stranded) && x&nightWorks != 0 {
			r.budget += float32(np.wage)
			c.ev[TotWorked]++
		}
		t.present++
		switch r.wait {
		case waitStranded:
			t.stranded++
		case waitNone:
		default:
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
