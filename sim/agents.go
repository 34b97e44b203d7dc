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
)

// cbpStatus is an agent's standing with CBP One.
type cbpStatus uint8

const (
	cbpNone cbpStatus = iota
	cbpRegistered
	cbpBooked
)

// agents is the agent population as a struct of arrays: one slice per
// field, indexed by agent id. Ids are given in creation order. About 24
// bytes per agent.
type agents struct {
	state    []state
	goal     []goal
	wait     []waitReason
	cbp      []cbpStatus
	group    []uint8   // origin group
	failures []uint8   // failed attempts (capped at 255)
	node     []int16   // current node, or the node an edge leads to
	edge     []int16   // edge being travelled, -1 at a node
	since    []uint16  // day of arrival at the current node
	appt     []uint16  // day of the CBP One appointment (when booked)
	budget   []float32 // USD
	belief   []float32 // perceived chance of entering the US
}

// add appends an agent at a node and returns its id.
func (a *agents) add(g uint8, node int16, gl goal, budget, belief float32, day int) int32 {
	id := int32(len(a.state))
	a.state = append(a.state, stAtNode)
	a.goal = append(a.goal, gl)
	a.wait = append(a.wait, waitNone)
	a.cbp = append(a.cbp, cbpNone)
	a.group = append(a.group, g)
	a.failures = append(a.failures, 0)
	a.node = append(a.node, node)
	a.edge = append(a.edge, -1)
	a.since = append(a.since, uint16(day))
	a.appt = append(a.appt, 0)
	a.budget = append(a.budget, budget)
	a.belief = append(a.belief, belief)
	return id
}

func (a *agents) len() int { return len(a.state) }

// fail records a failed attempt.
func (a *agents) fail(id int32) {
	if a.failures[id] < 255 {
		a.failures[id]++
	}
}

// pay takes up to usd from the agent's budget and returns what was paid.
func (a *agents) pay(id int32, usd float64) float64 {
	b := float64(a.budget[id])
	if usd > b {
		usd = b
	}
	a.budget[id] = float32(b - usd)
	return usd
}
