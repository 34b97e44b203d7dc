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
	cbpLapsed // registered when they died: out of the queue, but voided like the registered if CBP One is cancelled
)

// agents is what is known of every agent by its id (ids are given in
// creation order): its state, its CBP One standing and appointment day
// (read by id: the CBP One queue, conservation) and its origin group. The
// rest of an agent's record moves with the agent: it is in the agent's
// slot of the day's active list while the agent is at a node, of a pending
// list while it travels, of a heap entry while it is in the US, so that
// every pass reads the records it works on in order; the record of an
// agent who has finished (returned, settled, dead) is let go. 5 bytes per
// agent.
type agents struct {
	state []state
	cbp   []cbpStatus
	appt  []uint16 // day of the CBP One appointment (when booked)
	group []uint8  // origin group; the rest of the record (budget, belief, node or edge, arrival day, goal, wait, failures) moves with the agent, in its slot of the active list, a pending list or the US queue
}

// agent is the record of one agent: 16 bytes. An agent on an edge has no
// node, and one at a node no edge, so one field holds either: node is the
// edge being travelled while the state is stTravel.
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

// slot is an agent's record with its id, the key of its random streams: an
// entry of the day's active list (agents at nodes) or of a pending list
// (agents travelling). 20 bytes.
type slot struct {
	agent
	id int32
}

// add creates an agent at a node and returns its slot.
func (a *agents) add(g uint8, node int16, gl goal, budget, belief float32, day int) slot {
	id := a.extend(1)
	a.born(id, g)
	return slot{agent{budget: budget, belief: belief, node: node, since: uint16(day), group: g, goal: gl}, id}
}

// extend adds n agents and returns the first one's id; each is then to be
// made with born.
func (a *agents) extend(n int) int32 {
	id := len(a.state)
	a.state = extended(a.state, n)
	a.cbp = extended(a.cbp, n)
	a.appt = extended(a.appt, n)
	a.group = extended(a.group, n)
	return int32(id)
}

// extended returns s lengthened by n elements: in its array if it has
// room, else in a new one as large as append would make it (makeHuge),
// with s copied in.
func extended[T any](s []T, n int) []T {
	if cap(s)-len(s) >= n {
		return s[:len(s)+n]
	}
	q := makeHuge[T](len(s)+n, grownCap(len(s)+n, cap(s)))
	copy(q, s)
	return q
}

// born makes agent id, of origin group g, one who has just left home: at
// a node, with no CBP One standing.
func (a *agents) born(id int32, g uint8) {
	a.state[id] = stAtNode
	a.cbp[id] = cbpNone
	a.appt[id] = 0
	a.group[id] = g
}

func (a *agents) len() int { return len(a.state) }

// die marks agent id dead. If it was in the CBP One queue q, its
// registration lapses and it leaves the queue (cbpqueue.go).
func (a *agents) die(id int32, q *cbpQueue) {
	a.state[id] = stDead
	if a.cbp[id] == cbpRegistered {
		q.leave(a.appt[id])
		a.cbp[id] = cbpLapsed
	}
}

// reserve makes room for n more agents when atHome persons are still in
// the pools (see reserve).
func (a *agents) reserve(m *Model, n, atHome int64) {
	a.state = reserve(m, a.state, n, atHome)
	a.cbp = reserve(m, a.cbp, n, atHome)
	a.appt = reserve(m, a.appt, n, atHome)
	a.group = reserve(m, a.group, n, atHome)
}

// reserve returns s with room for n more elements, out of at most atHome
// still to come. When it must grow, it grows to hold them and by a quarter
// more, but when n is half or more of atHome, to hold all atHome at once:
// a run where everybody leaves on the first day (a stress test) then
// allocates its agents once, exactly, with no slack and no copy. The
// elements are copied in parallel (grownTo).
func reserve[T any](m *Model, s []T, n, atHome int64) []T {
	need := int64(len(s)) + n
	if need <= int64(cap(s)) {
		return s
	}
	c := max(need, int64(cap(s))+int64(cap(s))/4)
	if 2*n >= atHome {
		c = int64(len(s)) + atHome
	}
	return grownTo(m, s, int(c))
}

// fail records a failed attempt.
func (r *agent) fail() {
	if r.failures < 255 {
		r.failures++
	}
}

// pay takes up to usd from the agent's budget and returns what was paid.
func (r *agent) pay(usd float64) float64 {
	b := float64(r.budget)
	if usd > b {
		usd = b
	}
	r.budget = float32(b - usd)
	return usd
}

// grown returns s with room for n more elements: when it needs a larger
// array — as large as append would make it, a quarter more than the old
// one for a long slice — the elements are copied to it in parallel. It is
// for the arrays that grow in the sequential parts of the day (the day's
// list, the waiting room, the US queues), whose copies and fresh pages
// would otherwise keep the other workers waiting.
func grown[T any](m *Model, s []T, n int) []T {
	if cap(s)-len(s) >= n {
		return s
	}
	return grownTo(m, s, grownCap(len(s)+n, cap(s)))
}

// grownCap returns the capacity of the array that holds size elements in
// place of one of capacity c, too small: as large as append would make it,
// a quarter more than the old one for a long slice.
func grownCap(size, c int) int {
	switch {
	case size > 2*c:
		c = size
	case c < 256:
		c = 2 * c
	default:
		for c < size {
			c += (c + 3*256) / 4
		}
	}
	return c
}

// grownTo returns a new array of capacity c holding s, copied in parallel.
func grownTo[T any](m *Model, s []T, c int) []T {
	const segment = 1 << 16
	q := makeHuge[T](len(s), c)
	m.forEach((len(s)+segment-1)/segment, len(s)/4, func(i int) {
		lo, hi := i*segment, min((i+1)*segment, len(s))
		copy(q[lo:hi], s[lo:hi])
	})
	return q
}
