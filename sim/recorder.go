package sim

// The recorder reduces the day's tallies — the sequential phases' and each
// chunk's, in chunk order — into the Result: flows per edge, stocks per node
// and the totals columns, all in persons (agents × persons per agent) and
// USD. Counts are integers and money integer cents until this point, so the
// sums do not depend on how the agents were split among workers.

// levelColumns are the totals columns whose daily tally is a change of a
// level (a cumulative count), not an event count.
var levelColumns = [...]Total{TotReturnedHome, TotSettledElsewhere, TotDead}

// record closes day d.
func (m *Model) record(d int) {
	nn := len(m.w.nodes)
	k := m.w.personsPer
	var ev [numTotals]int64
	nodes := make([]nodeTally, nn)
	add := func(c *chunk) {
		for i, v := range c.ev {
			ev[i] += v
		}
		for n := range c.nodes {
			x, y := &nodes[n], &c.nodes[n]
			x.present += y.present
			x.waiting += y.waiting
			x.stranded += y.stranded
			x.south += y.south
			x.arrivals += y.arrivals
			x.mealsServed += y.mealsServed
			x.bedsServed += y.bedsServed
			x.unmet += y.unmet
		}
		for j := range c.succ {
			m.news.succ[j] += c.succ[j]
			m.news.fail[j] += c.fail[j]
		}
	}
	add(&m.dayTally)
	add(&m.roomTally)
	for _, c := range m.chunks[:m.nchunks] {
		add(c)
	}
	b := &m.params[0].behaviour
	m.news.close(d, b.NewsWindowDays, k, b.NewsPriorPersons)

	stocks := make([]Stock, nn)
	var present, waiting, stranded int64
	common := m.params[0]
	for n := range nodes {
		x := &nodes[n]
		present += x.present
		waiting += x.waiting
		stranded += x.stranded
		if x.present > 0 {
			m.southShare[n] = float64(x.south) / float64(x.present)
		} else {
			m.southShare[n] = 0
		}
		stocks[n] = Stock{
			Present: x.present * k, Waiting: x.waiting * k, Stranded: x.stranded * k,
			Arrivals: x.arrivals * k, MealsServed: x.mealsServed * k, BedsServed: x.bedsServed * k,
			UnmetNeed: x.unmet * k, Meals: common.nodes[n].meals, Beds: common.nodes[n].beds,
		}
	}
	m.res.Stocks[d] = stocks

	flows := make([]int64, len(m.w.edges))
	for e, f := range m.flows[d] {
		flows[e] = f * k
	}
	m.res.Flows = append(m.res.Flows, flows)
	m.flows[d] = nil

	for _, c := range levelColumns {
		m.cum[c] += ev[c]
		ev[c] = m.cum[c]
	}
	var pool, inUS int64
	for _, p := range m.poolLeft {
		pool += p
	}
	for i := range m.inUS {
		inUS += int64(m.inUS[i].len())
	}
	ev[TotAtHome] = pool
	ev[TotTravelling] = m.travelling
	ev[TotAtNode] = present
	ev[TotWaiting] = waiting
	ev[TotStranded] = stranded
	ev[TotInUS] = inUS
	row := make([]float64, numTotals)
	for i, v := range ev {
		switch {
		case Total(i).IsMoney():
			row[i] = float64(v*k) / 100
		case Total(i) == TotCapsizes:
			row[i] = float64(v) / 1000 // already in real boats (risk.go)
		default:
			row[i] = float64(v * k)
		}
	}
	m.res.Totals[d] = row
	alive := m.travelling + present + inUS
	m.res.AgentSteps += alive
	m.res.AgentUpdates += int64(len(m.active)) + m.room.woken
	m.res.PeakAgents = max(m.res.PeakAgents, alive)
	m.res.AgentsCreated = int64(m.ag.len())
}
