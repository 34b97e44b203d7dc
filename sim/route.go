package sim

import "math"

// Route choice: each agent at a node moves along the next edge of its best
// route to its goal. Routes minimise a generalized cost
//
//	money + value_of_time × days + risk_aversion × death probability
//
// over the edges open today. Among the routes a person can afford (whose
// money cost to the goal is within the budget) the generalized-cost route is
// preferred, then the cheapest one in money. A person who can afford neither
// goes as far as the money allows along the cheapest route, one edge at a
// time, hoping to earn the rest on the way; one who cannot pay even the next
// fare is stranded. Routing tables are recomputed only when a policy changes the
// parameters, never per agent per day.

// routeTable holds, for every target and node, the next edge of the best and
// of the cheapest route and what the rest of each route costs in money.
type routeTable struct {
	bestNext   [][]int16 // [target][node], -1 when none
	bestMoney  [][]float64
	bestCost   [][]float64 // generalized cost of the best route, +Inf when none
	cheapNext  [][]int16
	cheapMoney [][]float64
	fare       []float64 // mean cost of each edge
	general    []float64 // generalized cost of each edge
}

// noRoute marks a node from which a target cannot be reached.
const noRoute = -1

// buildRoutes computes the routing table of one parameter set.
func buildRoutes(w *world, p *paramSet) *routeTable {
	nt := len(w.targets)
	rt := &routeTable{
		bestNext: make([][]int16, nt), bestMoney: make([][]float64, nt), bestCost: make([][]float64, nt),
		cheapNext: make([][]int16, nt), cheapMoney: make([][]float64, nt),
	}
	b := p.behaviour
	for e := range p.edges {
		ep := &p.edges[e]
		rt.fare = append(rt.fare, ep.meanCost)
		rt.general = append(rt.general, ep.meanCost+b.ValueOfTime*ep.meanDays+
			b.RiskAversion*(ep.deathRisk+ep.capsizeRisk*ep.capsizeFatality))
	}
	general := func(e int) float64 { return rt.general[e] }
	// The cheapest route breaks ties in money by time.
	cheap := func(e int) float64 { return p.edges[e].meanCost + 1e-3*p.edges[e].meanDays }
	for t := range w.targets {
		var sources []int32
		if t == 0 {
			for n, isB := range w.isBorder {
				if isB {
					sources = append(sources, int32(n))
				}
			}
		} else {
			sources = []int32{w.targets[t]}
		}
		rt.bestNext[t], rt.bestMoney[t], rt.bestCost[t] = shortestNext(w, p, sources, general)
		rt.cheapNext[t], rt.cheapMoney[t], _ = shortestNext(w, p, sources, cheap)
	}
	return rt
}

// sameRoutes reports whether parameter sets p and q have the same routing
// table: the same open edges, mean costs and days, risks, value of time and
// risk aversion — everything buildRoutes reads.
func sameRoutes(p, q *paramSet) bool {
	if p.behaviour.ValueOfTime != q.behaviour.ValueOfTime || p.behaviour.RiskAversion != q.behaviour.RiskAversion {
		return false
	}
	for e := range p.edges {
		x, y := &p.edges[e], &q.edges[e]
		if x.open != y.open || x.meanCost != y.meanCost || x.meanDays != y.meanDays ||
			x.deathRisk != y.deathRisk || x.capsizeRisk != y.capsizeRisk || x.capsizeFatality != y.capsizeFatality {
			return false
		}
	}
	return true
}

// shortestNext runs Dijkstra from the sources over reversed open edges and
// returns, for every node, the first edge of its shortest path to a source,
// the money cost along that path and its length (+Inf when there is none).
// Ties are broken by edge index, so the table is deterministic.
func shortestNext(w *world, p *paramSet, sources []int32, weight func(e int) float64) ([]int16, []float64, []float64) {
	n := len(w.nodes)
	dist := make([]float64, n)
	money := make([]float64, n)
	next := make([]int16, n)
	done := make([]bool, n)
	for i := range dist {
		dist[i] = math.Inf(1)
		next[i] = noRoute
	}
	for _, s := range sources {
		dist[s] = 0
	}
	for {
		u := -1
		for i := 0; i < n; i++ {
			if !done[i] && !math.IsInf(dist[i], 1) && (u < 0 || dist[i] < dist[u]) {
				u = i
			}
		}
		if u < 0 {
			break
		}
		done[u] = true
		for _, e := range w.inEdges[u] {
			if !p.edges[e].open {
				continue
			}
			v := w.from[e]
			if done[v] {
				continue
			}
			d := dist[u] + weight(int(e))
			if d < dist[v] || (d == dist[v] && next[v] >= 0 && int16(e) < next[v]) {
				dist[v] = d
				next[v] = int16(e)
				money[v] = money[u] + p.edges[e].meanCost
			}
		}
	}
	return next, money, dist
}

// chooseEdge returns the edge an agent at node n with the given budget takes
// towards target t, or noRoute with blocked=true when no open route exists,
// or noRoute with blocked=false when not even the next fare is affordable
// (stranded).
func (rt *routeTable) chooseEdge(t int, n int16, budget float64) (e int16, blocked bool) {
	best := rt.bestNext[t][n]
	if best == noRoute {
		return noRoute, true
	}
	if budget >= rt.bestMoney[t][n] {
		return best, false
	}
	c := rt.cheapNext[t][n]
	if c != noRoute && (budget >= rt.cheapMoney[t][n] || budget >= rt.fare[c]) {
		return c, false
	}
	return noRoute, false
}

// targetOf returns the routing target of an agent's goal.
func (w *world) target(g *group, gl goal) int {
	switch gl {
	case goalHome:
		return g.homeTarget
	case goalElsewhere:
		if g.elseTarget >= 0 {
			return g.elseTarget
		}
		return g.homeTarget
	}
	return 0
}

// goalNode returns the node where an agent with goal gl has arrived, or -1
// for the US goal (reached through the border rules).
func (w *world) goalNode(g *group, gl goal) int32 {
	switch gl {
	case goalHome:
		return g.home
	case goalElsewhere:
		if g.elsewhere >= 0 {
			return g.elsewhere
		}
		return g.home
	}
	return -1
}
