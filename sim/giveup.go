package sim

import (
	"math"

	"github.com/migsim/migsim/sim/rng"
	"github.com/migsim/migsim/sim/scenario"
)

// Giving up: each day a person heading for the US who is at a node gives up
// with probability logistic(x), where
//
//	x = giveup_base
//	  + giveup_per_month_waited × days waited here / 30
//	  + giveup_per_failure × failed attempts
//	  + giveup_stranded × [had no money to move on yesterday]
//	  + giveup_belief × belief
//
// so hope decays with waiting, failures, money running out and bad news
// (belief, see information.go). Those who give up stay where they are with
// the node's settle_share (they settle there, as many did in Mexico);
// the others go home with the origin's home_share, and elsewhere
// otherwise, along the reverse routes. A CBP One
// registration or appointment is abandoned. Giving up is not news from the
// border: what the giver-up tells reaches others through the local stories
// of people heading south (information.go), not the border's outcomes. (It
// once counted as a failure there, which closed a loop — bad news, more
// giving up, worse news — that made the runs bistable.)

// giveUpLogit returns the logit x of the daily chance of giving up,
// logistic(x); decide draws the trial with logisticChance.
func giveUpLogit(b *scenario.Behaviour, waited int, failures uint8, stranded bool, belief float64) float64 {
	x := b.GiveUpBase + b.GiveUpPerMonthWaited*float64(waited)/30 +
		b.GiveUpPerFailure*float64(failures) + b.GiveUpBelief*belief
	if stranded {
		x += b.GiveUpStranded
	}
	return x
}

// logistic is 1 / (1 + e^−x).
func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// logisticChance is chance(u, logistic(x)), mostly without the
// exponential: see logisticFails.
func logisticChance(u uint32, x float64) bool {
	if x < 0 && u > 0 && logisticFails(float64(u), -x) {
		return false
	}
	return chance(u, logistic(x))
}

// logisticChanceOver is chance(u, logistic(x)/b), for a bound b > 0,
// mostly without the exponential: see logisticFails.
func logisticChanceOver(u uint32, x, b float64) bool {
	if x < 0 && u > 0 && logisticFails(float64(u)*b, -x) {
		return false
	}
	return chance(u, logistic(x)/b)
}

// logisticFails reports, for v = u·b and y = −x > 0, that the trial
// chance(u, logistic(x)/b) fails, when it can without the exponential: the
// trial succeeds only if v·e^y < 2³² − v, and e^y is at least 1 + y, and
// at least 1 + y + y²/2 + y³/6 + y⁴/24, so when v times either bound
// already reaches 2³² − v (with a margin far above rounding) it fails.
// False means it may or may not.
func logisticFails(v, y float64) bool {
	rest := ((1 << 32) - v) * (1 + 1e-9)
	return v*(1+y) >= rest || v*(1+y*(1+y*(1./2+y*(1./6+y*(1./24))))) >= rest
}

// giveUp turns the agent of slot s around: it now heads home or
// elsewhere. It reports whether the agent is already where it now wants to
// be (and so is done).
func (m *Model) giveUp(c *chunk, s *slot, grp *group, ps *paramSet, g int, d int) bool {
	r, a := &s.agent, s.id
	n := r.node
	c.ev[TotGaveUp]++
	m.leaveQueue(a)
	m.ag.cbp[a] = cbpNone
	st := rng.New(m.seed, uint64(a), d, purposeGiveUp)
	if grp.elsewhere >= 0 && !st.Bernoulli(ps.origins[g].homeShare) {
		r.goal = goalElsewhere
	} else {
		r.goal = goalHome
	}
	if share := ps.nodes[n].settleShare; share > 0 && st.Bernoulli(share) {
		r.goal = goalElsewhere
		m.ag.state[a] = stElsewhere
		c.ev[TotSettledElsewhere]++
		return true
	}
	if int32(n) == m.w.goalNode(grp, r.goal) {
		m.settle(c, r, a)
		return true
	}
	return false
}

// settle ends the journey of agent a, of record r, standing at its goal
// node.
func (m *Model) settle(c *chunk, r *agent, a int32) {
	if r.goal == goalElsewhere {
		m.ag.state[a] = stElsewhere
		c.ev[TotArrivedElsewhere]++
		c.ev[TotSettledElsewhere]++
		return
	}
	m.ag.state[a] = stHome
	c.ev[TotArrivedHome]++
	c.ev[TotReturnedHome]++
}
