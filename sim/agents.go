package sim

// state is where an agent is in its journey.
type state uint8

const (
	stAtNode    state = iota // at a node, deciding each day
	stTravel                 // on an edge, until its due day
	stInUS                   // in the US interior
	stHome                   // returned home (terminal)
	stElsewhere              // settled elsewhere (terminal)
	stDead                   // dead (terminal)
)

// goal is what an agent is heading for.
type goal uint8

const (
	goalUS goal = iota
	goalHome
	goalElsewhere
)

// waitReason says why an agent at a node did not move on.
type waitReason uint8

const (
	waitNone        waitReason = iota
	waitSeat                   // no seat on a capacity-limited edge today
	waitCBPQueue               // registered with CBP One, no slot yet
	waitAppointment            // slot booked, appointment pending
	waitBlocked                // no open route
	waitBorder                 // at the border without registration, not crossing today
	waitStranded               // no money to move on
	waitGone                   // left the node today: set off, or died at sea
)

// cbpStatus is an agent's standing with CBP One.
type cbpStatus uint8

const (
	cbpNone cbpStatus = iota
	cbpRegistered
	cbpBooked
)

// agents is the agent population, indexed by agent id; ids are given in
// creation order. The fields every daily pass reads live together in one
// 16-byte record (rec), so that a pass over the day's list touches one
// cache line per agent rather than one per field; the state, the CBP One
// standing and the appointment day, which are also scanned on their own
// (conservation, the CBP One queue), live in arrays of their own. 20 bytes
// per agent.
type agents struct {
	state []state
	cbp   []cbpStatus
	appt  []uint16 // day of the CBP One appointment (when booked)
	rec   []agent
}

// agent is the record of one agent's hot fields: 16 bytes, four to a
// cache line. An agent on an edge has no node, and one at a node no edge,
// so one field holds either: node is the edge being travelled while the
// state is stTravel.
type agent struct {
	budget   float32 // USD
	belief   float32 // perceived chance of entering the US
	node     int16   // current node; while travelling, the edge (see below)
	since    uint16  // day of arrival at the current node
	group    uint8   // origin group
	goal     goal
	wait     waitReason
	failures uint8 // failed attempts (capped at 255)
}

// add appends an agent at a node and returns its id.
func (a *agents) add(g uint8, node int16, gl goal, budget, belief float32, day int) int32 {
	id := int32(len(a.state))
	a.state = append(a.state, stAtNode)
	a.cbp = append(a.cbp, cbpNone)
	a.appt = append(a.appt, 0)
	a.rec = append(a.rec, agent{budget: budget, belief: belief, node: node, since: uint16(day), group: g, goal: gl})
	return id
}

func (a *agents) len() int { return len(a.state) }

// reserve makes room for n more agents when atHome persons are still in
// the pools (see reserve).
func (a *agents) reserve(n, atHome int64) {
	a.state = reserve(a.state, n, atHome)
	a.cbp = reserve(a.cbp, n, atHome)
	a.appt = reserve(a.appt, n, atHome)
	a.rec = reserve(a.rec, n, atHome)
}

// reserve returns s with room for n more elements, out of at most atHome
// still to come. When it must grow, it grows to hold them and by a quarter
// more, but when n is half or more of atHome, to hold all atHome at once:
// a run where everybody leaves on the first day (a stress test) then
// allocates its agents once, exactly, with no slack and no copy.
func reserve[T any](s []T, n, atHome int64) []T {
	need := int64(len(s)) + n
	if need <= int64(cap(s)) {
		return s
	}
	c := max(need, int64(cap(s))+int64(cap(s))/4)
	if 2*n >= atHome {
		c = int64(len(s)) + atHome
	}
	t := make([]T, len(s), c)
	copy(t, s)
	return t
}

// fail records a failed attempt.
func (a *agents) fail(id int32) {
	if r := &a.rec[id]; r.failures < 255 {
		r.failures++
	}
}

// pay takes up to usd from the agent's budget and returns what was paid.
func (a *agents) pay(id int32, usd float64) float64 {
	r := &a.rec[id]
	b := float64(r.budget)
	if usd > b {
		usd = b
	}
	r.budget = float32(b - usd)
	return usd
}

// batch is the number of list entries a pass touches (see touch) before
// working on them: their records fit in the first-level cache.
const batch = 256

// touch reads a word of the record of every agent in list and returns a
// value that depends on them, so that the caller can keep it. A pass over
// the day's list visits agents in no order of their ids, so each record is
// a cache miss; a loop that does nothing else lets the processor have many
// misses in flight at once, where the pass itself, long between two loads,
// would wait for each in turn.
func (a *agents) touch(list []int32) uint32 {
	var x uint32
	for _, id := range list {
		x += uint32(a.rec[id].node)
	}
	return x
}

// left reports whether agent a, still at its node after deciding, has gone
// since (a seat was given: it set off; its boat capsized: it died).
func (a *agents) left(id int32) bool { return a.rec[id].wait == waitGone }
