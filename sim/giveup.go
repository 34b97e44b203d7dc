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
// (belief, see information.go). Those who give up go home with the origin's
// home_share, and elsewhere otherwise, along the reverse routes. A CBP One
// registration or appointment is abandoned. Giving up at the border counts
// as a failure in the news.

// giveUpChance returns the daily chance of giving up.
func giveUpChance(b *scenario.Behaviour, waited int, failures uint8, stranded bool, belief float64) float64 {
	x := b.GiveUpBase + b.GiveUpPerMonthWaited*float64(waited)/30 +
		b.GiveUpPerFailure*float64(failures) + b.GiveUpBelief*belief
	if stranded {
		x += b.GiveUpStranded
	}
	return 1 / (1 + math.Exp(-x))
}

// giveUp turns agent a around: it now heads home or elsewhere. It reports
// whether the agent is already where it now wants to be (and so is done).
func (m *Model) giveUp(c *chunk, a int32, grp *group, ps *paramSet, g int, d int) bool {
	ag := &m.ag
	n := ag.node[a]
	c.ev[TotGaveUp]++
	if m.w.isBorder[n] {
		c.fail[grp.nat]++
	}
	ag.cbp[a] = cbpNone
	s := rng.New(m.seed, uint64(a), d, purposeGiveUp)
	if grp.elsewhere >= 0 && !s.Bernoulli(ps.origins[g].homeShare) {
		ag.goal[a] = goalElsewhere
	} else {
		ag.goal[a] = goalHome
	}
	if int32(n) == m.w.goalNode(grp, ag.goal[a]) {
		m.settle(c, a)
		return true
	}
	return false
}

// settle ends the journey of an agent standing at its goal node.
func (m *Model) settle(c *chunk, a int32) {
	if m.ag.goal[a] == goalElsewhere {
		m.ag.state[a] = stElsewhere
		c.ev[TotArrivedElsewhere]++
		c.ev[TotSettledElsewhere]++
		return
	}
	m.ag.state[a] = stHome
	c.ev[TotArrivedHome]++
	c.ev[TotReturnedHome]++
}
