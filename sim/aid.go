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

// destitute reports whether agent a cannot pay for both food and a bed.
func (m *Model) destitute(a int32, np *nodeParams) bool {
	return float64(m.ag.rec[a].budget) < np.food+np.lodging
}

// natNode returns the node parameters in force for agent a's nationality.
func (m *Model) natNode(a int32) *nodeParams {
	return &m.params[1+m.w.groups[m.ag.rec[a].group].nat].nodes[m.ag.rec[a].node]
}

// countDeportable counts, per node, the people heading north in chunk c.
func (m *Model) countDeportable(c *chunk) {
	list := m.active[c.lo : c.lo+c.n]
	for i, a := range list {
		if i%batch == 0 {
			c.sink += m.ag.touch(list[i:min(i+batch, len(list))])
		}
		if r := &m.ag.rec[a]; !m.ag.left(a) && r.goal == goalUS && m.deportSeats[r.node] > 0 {
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
	list := m.active[c.lo : c.lo+c.n]
	for i, a := range list {
		if i%batch == 0 {
			c.sink += m.ag.touch(list[i:min(i+batch, len(list))])
		}
		if m.ag.left(a) {
			continue
		}
		n := m.ag.rec[a].node
		t := &c.nodes[n]
		if m.ag.rec[a].goal == goalUS && t.seatsLeft > 0 {
			t.seatsLeft--
			continue
		}
		if m.destitute(a, m.natNode(a)) {
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
	ag := &m.ag
	list := m.active[c.lo : c.lo+c.n]
	kept := 0
	for i, a := range list {
		if i%batch == 0 {
			c.sink += ag.touch(list[i:min(i+batch, len(list))])
		}
		if ag.left(a) {
			continue
		}
		n := ag.rec[a].node
		t := &c.nodes[n]
		if ag.rec[a].goal == goalUS && t.deportQ > 0 {
			t.deportQ--
			c.ev[TotDeportedFlight]++
			m.sendHome(c, a)
			continue
		}
		np := m.natNode(a)
		cat := 1
		if m.destitute(a, np) {
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
		stranded := ag.rec[a].wait == waitStranded
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
		if float64(ag.rec[a].budget) >= cost {
			c.ev[TotSpentLiving] += cents(ag.pay(a, cost))
		} else {
			if !unable {
				t.unmet++
			}
			unable = true
			if !meal && float64(ag.rec[a].budget) >= np.food {
				c.ev[TotSpentLiving] += cents(ag.pay(a, np.food))
			}
		}
		w := &m.draws[c.lo+i]
		if chance(w[nightRobbery], np.robRisk) {
			c.ev[TotRobbed]++
			c.ev[TotLostToCrime] += cents(ag.pay(a, float64(ag.rec[a].budget)*np.robLoss))
		}
		if chance(w[nightKidnap], np.kidnapRisk) {
			c.ev[TotKidnapped]++
			c.ev[TotLostToCrime] += cents(ag.pay(a, float64(ag.rec[a].budget)*np.kidLoss))
		}
		if (unable || stranded) && chance(w[nightWork], np.workChance) {
			ag.rec[a].budget += float32(np.wage)
			c.ev[TotWorked]++
		}
		t.present++
		switch ag.rec[a].wait {
		case waitStranded:
			t.stranded++
		case waitNone:
		default:
			t.waiting++
		}
		if ag.rec[a].goal != goalUS {
			t.south++
		}
		list[kept] = a
		kept++
	}
	c.n = kept
}
