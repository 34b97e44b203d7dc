package sim

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"time"

	"github.com/migsim/migsim/sim/rng"
	"github.com/migsim/migsim/sim/scenario"
)

// Options are the settings of one run that are not part of the scenario.
type Options struct {
	// Seed is the random seed; 0 means the scenario's seed.
	Seed uint64
	// Workers is the number of goroutines that step agents; 0 means
	// runtime.NumCPU(). Results do not depend on it.
	Workers int
	// Progress, if not nil, is called after each simulated day with the
	// number of days done and the total.
	Progress func(done, total int)
}

// Random stream purposes: one per rule, so a rule's draws never shift
// another's.
const (
	purposeDeparture rng.Purpose = iota + 1
	purposeBudget
	purposeGiveUp    // where those who give up turn to
	purposeBorder    // an irregular crossing: its cost and outcome
	purposeBorderDay // registering with CBP One, trying to cross (draws.go)
	purposeLottery
	purposeInterior
	purposeSeat
	purposeCapsize
	purposeCapsizeDeath
	purposeEdgeRisk
	purposeTravel
	purposeDaily           // giving up, robbery, kidnapping, work (draws.go)
	purposeWait            // the next wake in the waiting room (wait.go)
	purposeWake            // the events of a wake (wait.go)
	purposeWaitMore        // the next wake in the waiting room: more words
	purposeStrandedWork    // the next night a stranded person works (stranded.go)
	purposeStrandedRobbery // the next night a stranded person is robbed
	purposeStrandedKidnap  // the next night a stranded person is kidnapped
)

// Entity id spaces beside agent ids (agents use 0 … 2^32−1).
const (
	entityOrigin = 1 << 40
	entityBoat   = 2 << 40
	entityCBP    = 3 << 40
	entitySpill  = 4 << 40 // + node: the lottery for free seats (spill.go)
)

// Model is one run of a scenario in progress. Its state is the agents, the
// pools, the queues and the recorder; all randomness comes from counter-based
// streams keyed by the run's seed.
type Model struct {
	sc      *scenario.Scenario
	w       *world
	seed    uint64
	workers int
	days    int
	day     int
	opt     Options

	sched  *schedule
	params []*paramSet   // [0] common, [1+k] nationality k
	tables *paramTables  // the tables the parameter sets look up, made so far
	routes []*routeTable // per parameter set
	rates  behaviourRates

	ag         agents
	active     []slot       // agents at nodes, in list order, with their records
	nights     []nightDraws // the night's draws of each entry (draws.go)
	pending    []journeys   // travelling agents by due day, with their records
	travelling int64

	poolLeft    []int64      // agents still in each origin pool
	departing   []int64      // agents leaving each pool today (scratch)
	departParts []departPart // them, in parts (scratch)
	poolBelief  []float64    // each pool's belief
	news        *newsTracker
	todayNews   []float64 // news heard today, per nationality
	southShare  []float64 // share southbound at each node, yesterday
	cbpOpen     []bool    // CBP One open yesterday, per nationality

	cbpQ         cbpQueue        // the CBP One queue (cbpqueue.go)
	lotteryMoved map[int32]int32 // the CBP One lottery's swapped places (scratch)
	cbpPicks     []int32         // the day's booked, in order (scratch)
	lotteryMost  int             // the most places lotteryMoved has held
	slotCarry    float64
	capCarry     []float64
	aidCarry     [][2]float64
	deportCarry  []float64
	deportSeats  []int64 // today's seats per node, in agents
	anyDeport    bool    // some node has deportation seats today

	inUS     []usQueue
	usHazard []float64

	room      waitRoom   // people waiting at the border (wait.go)
	roomTally chunk      // what the waiting room did today
	aidToday  [][2]int64 // meals and beds given out at each node tonight

	chunks     []*chunk // today's chunks of the active list: chunks[:nchunks]
	nchunks    int
	arrPool    []*chunk  // chunks of the day's arrivals
	arrAt      []int     // where each chunk's arrivals join the list (scratch)
	movePool   []*chunk  // chunks of the day's seat holders setting off
	usPool     []*chunk  // chunks of the day's leavers of the US
	usDue      []usEntry // the day's leavers of the US, in order (scratch)
	spare      [][]slot  // emptied arrays of journeys, for reuse
	dueCount   []int32   // journeys filed today for each day (scratch)
	dayTally   chunk     // sequential phases tally here
	seatBuf    []seatRequest
	seatStart  []int32 // requests per edge, then where each edge's begin
	seatNext   []int32
	seatEdges  []int16     // edges with requests today
	desks      []*seatDesk // one per edge (capacity.go)
	deskList   []*seatDesk // the desks of today's edges with requests
	spillDesks []*seatDesk // scratch of spill.go
	spillLeft  []seatRequest
	spillLot   seatDesk // the node's line for free seats
	seatMoves  []boarding

	flows  [][]int64
	res    *Result
	audit  func(d int) // test hook: called at the end of each day
	totals [numTotals]int64
	cum    [numTotals]int64

	phaseTime [NumPhases]time.Duration
	crew      *crew // helpers of the parallel passes, from the first
}

// chunk is a fixed slice of a list of agents (the day's active list, the
// day's arrivals or the seat holders setting off) and everything the agents
// in it produced; chunks are reduced in order.
type chunk struct {
	lo, hi    int
	list      []slot           // the arrivals: the array of journeys the chunk is a part of (cutJourneys)
	ev        [numTotals]int64 // persons in agents, money in cents
	nodes     []nodeTally
	n         int       // entries at the front of the chunk still at a node (after the night, or the arrivals)
	moves     []move    // journeys started, to be filed in order
	dst       []int32   // each journey's place in its pending list, for those due after daySpan days (commitMoves)
	due       dayCounts // journeys started by the day they are due (commitMoves)
	flows     []int64   // journeys started per edge
	seats     []seatRequest
	seatCount []int32 // requests per edge
	seatOff   []int32 // where this chunk's requests for each edge go
	cbpReg    []int32
	entrants  []usEntry // agents who entered the US, with their records
	toRoom    []slot    // agents who wait at the border from tonight (wait.go)

	succ []int64 // border outcomes per nationality
	fail []int64
}

// nodeTally counts one node's people in one chunk.
type nodeTally struct {
	present, waiting, stranded, south, arrivals int64
	mealsServed, bedsServed, unmet              int64
	need                                        [2]int64 // destitute, others
	deportable, deportQ, seatsLeft              int64
	mealsQ, bedsQ                               [2]int64
}

func (c *chunk) reset(nodes, nats int) {
	if len(c.nodes) != nodes {
		c.nodes = make([]nodeTally, nodes)
	} else {
		clear(c.nodes)
	}
	c.resetOutcomes(nats)
	c.n = 0
	c.moves = trim(c.moves)
	c.dst = trim(c.dst)
	c.seats = trim(c.seats)
	c.toRoom = trim(c.toRoom)
}

// resetOutcomes empties what a chunk of the waiting room's wakes tallies
// and collects (absorbAll): events, border outcomes, CBP One registrations
// and entrants; the wakes keep no tallies per node.
func (c *chunk) resetOutcomes(nats int) {
	c.ev = [numTotals]int64{}
	if len(c.succ) != nats {
		c.succ = make([]int64, nats)
		c.fail = make([]int64, nats)
	} else {
		clear(c.succ)
		clear(c.fail)
	}
	c.cbpReg = trim(c.cbpReg)
	c.entrants = trim(c.entrants)
}

// New builds the world and agents of a checked scenario.
func New(sc *scenario.Scenario, opt Options) (*Model, error) {
	w, err := newWorld(sc)
	if err != nil {
		return nil, fmt.Errorf("building the world of %s: %w", sc.Meta.Name, err)
	}
	m := &Model{sc: sc, w: w, opt: opt, seed: opt.Seed, workers: opt.Workers, days: sc.Days()}
	if m.seed == 0 {
		m.seed = sc.Meta.Seed
	}
	if m.workers <= 0 {
		m.workers = runtime.NumCPU()
	}
	if m.days < 1 || m.days > 65000 {
		return nil, fmt.Errorf("scenario %s: %d days is outside 1…65000", sc.Meta.Name, m.days)
	}
	nn, ne, nk := len(w.nodes), len(w.edges), len(w.nats)
	m.sched = newSchedule(sc)
	m.tables = newParamTables()
	m.params = make([]*paramSet, 1+nk)
	m.routes = make([]*routeTable, 1+nk)
	m.pending = make([]journeys, m.days)
	m.capCarry = make([]float64, ne)
	m.aidCarry = make([][2]float64, nn)
	m.deportCarry = make([]float64, nn)
	m.deportSeats = make([]int64, nn)
	m.southShare = make([]float64, nn)
	m.cbpOpen = make([]bool, nk)
	m.cbpQ.shift = minShift
	m.inUS = make([]usQueue, nk)
	m.usHazard = make([]float64, nk)
	m.todayNews = make([]float64, nk)
	m.news = newNewsTracker(nk, m.days, sc.Behaviour.InitialBelief)
	m.dayTally.reset(nn, nk)
	m.roomTally.reset(nn, nk)
	m.aidToday = make([][2]int64, nn)
	m.newWaitRoom()
	for _, o := range sc.Origins {
		m.poolLeft = append(m.poolLeft, int64(math.Round(o.Pool*w.scale)))
		m.poolBelief = append(m.poolBelief, sc.Behaviour.InitialBelief)
	}
	m.flows = make([][]int64, m.days)
	m.res = &Result{
		Scenario: sc.Meta.Name, Hash: sc.Hash, Seed: m.seed, Workers: m.workers,
		Start: sc.Meta.Start, Days: m.days, PersonsPerAgent: w.personsPer,
		Stocks: make([][]Stock, m.days), Totals: make([][]float64, m.days),
		CrossingName: sc.Report.CrossingName, FocusNode: -1,
	}
	for _, n := range sc.Nodes {
		m.res.Nodes = append(m.res.Nodes, NodeInfo{ID: n.ID, Name: n.Name, Country: n.Country, Kind: n.Kind, Lat: n.Lat, Lon: n.Lon})
	}
	for i, e := range sc.Edges {
		m.res.Edges = append(m.res.Edges, EdgeInfo{ID: e.ID, From: e.From, To: e.To, Mode: e.Mode, Direction: e.Direction, FromIndex: int(w.from[i]), ToIndex: int(w.to[i])})
	}
	for _, id := range sc.Report.Northbound {
		m.res.Northbound = append(m.res.Northbound, w.edgeIndex[id])
	}
	for _, id := range sc.Report.Southbound {
		m.res.Southbound = append(m.res.Southbound, w.edgeIndex[id])
	}
	if i, ok := w.nodeIndex[sc.Report.FocusNode]; ok {
		m.res.FocusNode = i
	}
	return m, nil
}

// Run steps the model to the scenario's end (or until ctx is cancelled) and
// returns the recorded result.
func (m *Model) Run(ctx context.Context) (*Result, error) {
	for m.day < m.days {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("run of %s stopped on day %d: %w", m.sc.Meta.Name, m.day, err)
		}
		if err := m.Step(); err != nil {
			return nil, err
		}
		if m.opt.Progress != nil {
			m.opt.Progress(m.day, m.days)
		}
	}
	return m.res, nil
}

// Run is New followed by Model.Run.
func Run(ctx context.Context, sc *scenario.Scenario, opt Options) (*Result, error) {
	m, err := New(sc, opt)
	if err != nil {
		return nil, err
	}
	return m.Run(ctx)
}

// Step simulates one day.
func (m *Model) Step() error {
	d := m.day
	if d >= m.days {
		return fmt.Errorf("the run of %s is over", m.sc.Meta.Name)
	}
	t := time.Now()
	m.dayTally.reset(len(m.w.nodes), len(m.w.nats))
	// Phase 1: policies.
	if err := m.applyPolicies(d); err != nil {
		return err
	}
	m.inform(d)
	m.lap(PhasePolicies, &t)
	// Phase 2: arrivals, departures, the US interior.
	list := m.active
	list = m.arrive(d, list)
	m.lap(PhaseArrivals, &t)
	list = m.depart(d, list)
	m.lap(PhaseDepartures, &t)
	list = m.leaveInterior(d, list)
	m.lap(PhaseInterior, &t)
	list = m.wakeRoom(d, list)
	m.active = list
	m.nights = grow(m.nights, len(list))
	m.makeChunks()
	m.lap(PhaseWaiting, &t)
	// Phase 3: decisions, in parallel over chunks; they count the night's
	// needs too.
	m.planDeport()
	m.parallel(func(c *chunk) { m.decideChunk(c, d) })
	m.lap(PhaseDecisions, &t)
	// Phase 4: deterministic resolution of shared capacities, then commit.
	m.resolveSeats(d)
	m.allocateCBP(d)
	m.lap(PhaseResolution, &t)
	m.commitMoves(d)
	m.lap(PhaseCommit, &t)
	m.admitToInterior()
	m.lap(PhaseInterior, &t)
	// Phase 5: the night — deportation seats, aid, living, crime, work.
	m.night(d)
	m.lap(PhaseNight, &t)
	// Phase 6: metrics, reduced in chunk order; tomorrow's list.
	m.record(d)
	m.compact()
	m.lap(PhaseRecord, &t)
	if m.audit != nil {
		m.audit(d)
	}
	m.day++
	return nil
}

// applyPolicies recomputes the parameters in force when they change.
func (m *Model) applyPolicies(d int) error {
	if !m.sched.changes(d) {
		return nil
	}
	old := slices.Clone(m.params) // the waiting room settles with them (wait.go)
	oldRoutes := slices.Clone(m.routes)
	for k := -1; k < len(m.w.nats); k++ {
		nat := ""
		if k >= 0 {
			nat = m.w.nats[k]
			if !m.sched.ownActive(d, nat) {
				// No policy aimed at this nationality is in force:
				// its parameters are the common ones.
				m.params[k+1], m.routes[k+1] = m.params[0], m.routes[0]
				continue
			}
		}
		eff, err := m.sched.effective(d, nat)
		if err != nil {
			return fmt.Errorf("day %d (%s): %w", d, m.sc.Meta.Start.AddDate(0, 0, d).Format("2006-01-02"), err)
		}
		ps := compileParams(eff, m.tables)
		// Routing tables depend on few parameters: reuse yesterday's
		// table of this set, or the common one, when those are the same.
		switch {
		case m.params[k+1] != nil && sameRoutes(m.params[k+1], ps):
			// m.routes[k+1] stands.
		case k >= 0 && sameRoutes(m.params[0], ps):
			m.routes[k+1] = m.routes[0]
		default:
			m.routes[k+1] = buildRoutes(m.w, ps)
			m.res.RoutingRecomputes++
		}
		m.params[k+1] = ps
	}
	m.res.PolicyChangeDays++
	b := &m.params[0].behaviour
	m.rates = behaviourRates{news: b.BeliefNewsRate, local: b.BeliefLocalRate, home: b.BeliefHomeRate}
	redraw := make([]uint8, len(m.w.nats))
	for k := range m.w.nats {
		open := m.params[1+k].border.CBPOneOpen
		if d > 0 && m.cbpOpen[k] && !open {
			m.voidCBP(k)
			redraw[k] = redrawBorder | redrawStranded
		}
		m.cbpOpen[k] = open
		key := m.keyOf(m.params[1+k], m.routes[1+k])
		redraw[k] |= m.changes(&key, &m.room.keys[k])
		m.room.keys[k] = key
	}
	m.redrawRoom(redraw, old, oldRoutes, d)
	return nil
}

// inform updates the news heard today and the pools' beliefs.
func (m *Model) inform(d int) {
	b := &m.params[0].behaviour
	for k := range m.w.nats {
		heard := m.news.heard(k, d, b.NewsDelayDays, b.InitialBelief)
		m.todayNews[k] = max(heard, m.natSet(k).behaviour.AnnouncedEntryChance)
	}
	for g := range m.w.groups {
		k := m.w.groups[g].nat
		m.poolBelief[g] += m.rates.home * (m.todayNews[k] - m.poolBelief[g])
	}
}

// natSet returns the parameter set of nationality k.
func (m *Model) natSet(k int) *paramSet { return m.params[1+k] }

// batch is the number of list entries whose daily blocks the decisions
// draw at once, before working on them.
const batch = 256

// decideChunk makes the day's decision of every agent in chunk c. Those
// who leave their node are marked waitGone where they are: the night skips
// them, and the journeys started are copied from there into the pending
// lists (commitMoves).
func (m *Model) decideChunk(c *chunk, d int) {
	list := m.active[c.lo:c.hi]
	seed, nights := m.seed, m.nights[c.lo:c.hi]
	var ids [batch]uint32
	var words, border [4][batch]uint32
	var travel [batch][4]uint32
	var atBorder [batch]int16 // where an entry's border block is in border, or -1
	w := [4][]uint32{words[0][:], words[1][:], words[2][:], words[3][:]}
	bw := [4][]uint32{border[0][:], border[1][:], border[2][:], border[3][:]}
	for lo := 0; lo < len(list); lo += batch {
		hi := min(lo+batch, len(list))
		dailyBlocks(seed, list[lo:hi], d, ids[:], &w)
		// (dailyBlocks left the batch's ids in ids.)
		blocksOf(seed, ids[:hi-lo], d, purposeTravel, func(j int, b [4]uint32) { travel[j] = b })
		m.borderBlocks(list[lo:hi], d, ids[:], atBorder[:], &bw)
		for i := lo; i < hi; i++ {
			j := i - lo
			s := &list[i]
			ps := m.params[1+m.w.groups[s.group].nat]
			var blk lazyBlock
			if k := atBorder[j]; k >= 0 {
				blk = lazyBlock{w: [4]uint32{border[0][k], border[1][k], border[2][k], border[3][k]}, ok: true}
			}
			if m.decide(c, s, ps, int32(c.lo+i), d, words[wordGiveUp][j], &blk, &travel[j]) {
				np := &ps.nodes[s.node] // the node is still the agent's
				nights[i] = drawNight(words[wordRobbery][j], words[wordKidnap][j], words[wordWork][j], np)
				if (s.goal != goalUS || !m.w.isBorder[s.node]) && s.wait != waitStranded {
					// (Those waiting at the border and the stranded get no
					// aid from the list: wait.go, stranded.go.)
					m.countNight(c, &s.agent, np)
				}
			} else {
				s.wait = waitGone
			}
		}
	}
}

// decide is one agent's day at a node: hear the news, perhaps give up,
// deal with the border, or choose the next edge, tallying in chunk c; s is
// the agent's slot, at pos in the active list, ps its nationality's
// parameters, u the give-up word of its daily block, bw its border block
// (drawn ahead for those at a border node, else when first needed), tw
// its travel block (purposeTravel), for setting off. It reports whether the agent
// is still at the node tonight, as far as today's decision goes (a seat
// asked for may yet be given).
func (m *Model) decide(c *chunk, s *slot, ps *paramSet, pos int32, d int, u uint32, bw *lazyBlock, tw *[4]uint32) bool {
	r := &s.agent
	g := int(r.group)
	grp := &m.w.groups[g]
	k := grp.nat
	n := r.node
	b := updateBelief(float64(r.belief), m.todayNews[k], m.southShare[n], &m.rates)
	r.belief = float32(b)
	wasStranded := r.wait == waitStranded
	r.wait = waitNone
	if r.goal == goalUS {
		x := giveUpLogit(&ps.behaviour, d-int(r.since), r.failures, wasStranded, b)
		if logisticChance(u, x) && m.giveUp(c, s, grp, ps, g, d) {
			return false
		}
	}
	if r.goal == goalUS {
		m.register(c, s, d, ps, bw)
		if m.w.isBorder[n] {
			return m.atBorder(c, s, d, ps, k, bw)
		}
	}
	t := m.w.target(grp, r.goal)
	e, blocked := m.routes[1+k].chooseEdge(t, n, float64(r.budget))
	if e == noRoute {
		if blocked {
			r.wait = waitBlocked
		} else {
			r.wait = waitStranded
		}
		return true
	}
	if ep := &m.params[0].edges[e]; ep.capacity > 0 || ep.boatSize > 0 {
		c.seats = append(c.seats, seatRequest{pos: pos, e: e, since: r.since})
		c.seatCount[e]++
		r.wait = waitSeat
		return true
	}
	m.setOff(c, s, pos, e, d, tw)
	return false
}

// absorb adds the event and node tallies of chunk c to t.
func (t *chunk) absorb(c *chunk) {
	for i, v := range c.ev {
		t.ev[i] += v
	}
	for n := range c.nodes {
		t.nodes[n].arrivals += c.nodes[n].arrivals
	}
}

// night runs the overnight passes (aid.go).
func (m *Model) night(d int) {
	common := m.params[0]
	if m.anyDeport {
		for n, seats := range m.deportSeats {
			if seats > 0 {
				m.shareDeport(n, seats)
			}
		}
		m.parallel(m.excludeDeported)
	}
	for n := range m.w.nodes {
		np := &common.nodes[n]
		m.aidToday[n] = [2]int64{}
		if np.meals > 0 || np.beds > 0 {
			meals := m.carry(&m.aidCarry[n][0], np.meals)
			beds := m.carry(&m.aidCarry[n][1], np.beds)
			m.aidToday[n] = [2]int64{int64(meals), int64(beds)}
			m.shareAid(n, int64(meals), int64(beds))
		}
	}
	m.parallel(func(c *chunk) { m.overnight(c, d) })
	m.admitToRoom(d)
	m.roomNight(d, m.aidToday)
}

// compact keeps in the active list, in order, the agents still at a node,
// with their records: those the night kept at the front of each chunk,
// chunk by chunk.
func (m *Model) compact() {
	day := len(m.active) // the day's list
	w := 0
	for _, c := range m.chunks[:m.nchunks] {
		w += copy(m.active[w:], m.active[c.lo:c.lo+c.n])
	}
	m.active = m.active[:w]
	// After a day whose list was much shorter than its array (a stress
	// test's first weeks, when the crowd of the first day moves on), let
	// the array go for one sized to the day's list: 20 bytes an entry. Not
	// to the agents kept tonight, who may be few: those who sleep in the
	// waiting room or travel come back to the list on later days, and an
	// array sized to the night would be made anew, and grown, every day.
	if cap(m.active) > 2*day+4096 {
		m.active = append(makeHuge[slot](0, day+day/4), m.active...)
	}
}

// cents converts USD to integer cents, so money sums are exact and do not
// depend on the order of addition: usd·100 rounded half away from zero, as
// math.Round does it, but from math.Floor (one instruction on amd64): for
// x ≥ 0, x − ⌊x⌋ is exact, so comparing it with one half rounds exactly.
func cents(usd float64) int64 {
	x := usd * 100
	if x < 0 {
		return -roundHalfUp(-x)
	}
	return roundHalfUp(x)
}

// roundHalfUp is int64(math.Round(x)) for x ≥ 0 (and NaN, and infinities).
func roundHalfUp(x float64) int64 {
	t := math.Floor(x)
	if x-t >= 0.5 {
		t++
	}
	return int64(t)
}
