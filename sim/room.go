package sim

import (
	"slices"
	"sort"
	"strings"

	"github.com/migsim/migsim/sim/scenario"
)

// The waiting room. People who only wait — at a border node heading for
// the US (wait.go), or stranded without the money to move on (stranded.go)
// — leave the day's list for the room: an entry each (the record, current
// as of the day it was last brought up to date, and the next wake), filed
// by a token under the day of the next wake. Each day the tokens due are
// woken in fixed batches, in parallel, each entry by the batch of its live
// token; what the wakes change in the room as a whole is applied after the
// pass — the free positions and the tokens of the next wakes in batch
// order, the counts per node as integer sums gathered per worker — and
// what the members pay and lose on the nights ahead is kept as planned
// tallies, integer sums gathered per worker too (plans.go), so the room
// gives the same results for any number of workers. A policy day that
// changes what a member's draws read wakes them to draw anew (redrawRoom).

// roomEntry is a person in the waiting room: the record, current as of the
// end of day last, and the next wake.
type roomEntry struct {
	slot
	last    uint16 // the day up to which the record is current, its night included
	wake    uint16 // the day of the next wake
	paidTo  uint16 // the last night the budget pays for, at nightly each
	gen     uint16 // bumped at each new draw; older tokens are stale
	nightly uint16 // food + lodging in whole cents, as planned
	cand    uint8  // the candidate events of that day
}

// wakeBatch is a fixed slice of the day's tokens, woken by one worker, with
// what its wakes did: tallies, and the changes to the room filed after the
// pass in batch order (so the room is the same for any number of workers).
type wakeBatch struct {
	chunk              // tallies, registrations, entrants
	lo, hi  int        // the batch's tokens
	woken   int64      // wakes done
	back    []slot     // who gave up and moves on today
	left    []int32    // positions of those who left the room
	wakeups []dayToken // next wakes
	counts  dayCounts  // of them, by day (fileParts)
	plans   *plans     // changes to the planned nights' tallies: the worker's

	// standing is the batch's CBP One standings or-ed together: nothing
	// reads it, but reading them all before the wakes, one after the
	// other, lets their cache misses overlap, where each wake would
	// otherwise wait for its own.
	standing cbpStatus
}

// wakeBatchSize is the number of tokens per batch: a wake costs several
// times a day of an agent in the list, so batches are smaller than chunks,
// and the last batch of a pass, which one worker may be left doing alone,
// is short (with 512 a batch, the corridor's main goroutine waited 0.20–0.23
// s for the other worker at the ends of passes; with 256, 0.16–0.17 s). The
// batch size changes no result: the batches are reduced in order.
const wakeBatchSize = 256

// waitRoom holds the people waiting at border nodes.
type waitRoom struct {
	entries []roomEntry
	free    []int32       // positions of entries let go
	at      []int32       // position of each agent in entries, or -1 (by id)
	wakes   [][]wakeToken // tokens by day
	count   []int64       // members per node

	// The nights the members pay for, planned ahead: per node and night,
	// the change in the number who pay (payDiff) and in what they pay, in
	// cents (spentDiff), from the night before; summed night by night into
	// paying and spending. Wakes change them in parallel (atomic adds).
	tally            [numTallies][]int64 // [node*(days+1) + night]
	paying, spending []int64             // per node, tonight

	// The days' inputs to beliefs, kept for the catch-ups (dayOfNews): the
	// news heard by nationality, the share of belief the local stories
	// leave by node, the news rate by day.
	news     []float64 // [k*days + day]
	keep     []float64 // [node*days + day]: 1 − local rate × southbound share
	newsRate []float64

	strandCount, strandSouth []int64 // stranded members per node, and of them heading south
	strandSpending           []int64 // what the stranded pay for food per node, tonight (cents)
	strandOK                 []bool  // nodes where the stranded wait in the room (no deportation flights)

	scratch     []int32       // positions being admitted or drawn anew
	offs        []int         // where each chunk's admissions begin in scratch
	members     [][]int64     // per worker: members admitted or let go in a pass, by kind × nodes + node (workerMembers)
	top         []int32       // per worker: the highest id admitted
	tokens      []dayToken    // their tokens
	tokenCounts []dayCounts   // of them, by batch and day (fileParts)
	moved       []movedTokens // days whose arrays fileParts makes larger (scratch)
	filed       []int         // tokens per batch of bookAll (scratch)
	bufs        []*plans      // per worker: changes to the planned nights' tallies
	keys        []waitKey     // per nationality: the parameters the bounds read
	woken       int64         // wakes today
	batches     []*wakeBatch
}

// waitKey is what the bounds and the plans of a nationality's waiters
// read; when it changes, its waiters are woken to draw anew.
type waitKey struct {
	rules  waitRules
	routes *routeTable // where the stranded can go, and at what fare
	nodes  []waitNode
}

// waitRules are the behaviour and border parameters in a waitKey.
type waitRules struct {
	giveUp                        giveUpRule
	register, attempt, queueShare float64
	open                          bool
	cost                          scenario.Dist
}

// waitNode is what the bounds, the plans and the tallies read of a node.
type waitNode struct {
	eligible                              bool
	food, aid, wage                       float64
	robRisk, robLoss, kidnapRisk, kidLoss float64
	robT, kidnapT, workT                  uint64
}

// Whom a change of the parameters concerns (bits).
const (
	redrawBorder   uint8 = 1 << iota // those waiting at the border
	redrawStranded                   // the stranded
	redrawFares                      // the stranded whose fare to move on changed (fareChanged)
)

// changes returns whom the change from key o to key k concerns: the
// stranded read the nodes' living and the give-up rule with its stranded
// term, and of the routes only the fare that lets them move on, and
// whether they can (moveThreshold), so a new routing table concerns only
// those whose fare it changed (redrawFares; redrawStranded, when also
// set, concerns them all); those at the border read the crossing and the
// border nodes; both giving up and registering. A new table, most often of
// a changed risk of a boat elsewhere, leaves most fares as they were, and
// a plan whose parameters are all the same stands: its nights and
// candidate days are as likely as any drawn anew.
func (m *Model) changes(k, o *waitKey) uint8 {
	var c uint8
	a, b := k.rules, o.rules
	g, h := a.giveUp, b.giveUp
	if g.base != h.base || g.perMonth != h.perMonth || g.perFailure != h.perFailure ||
		g.belief != h.belief || a.register != b.register || a.open != b.open {
		c |= redrawBorder | redrawStranded
	}
	if g.stranded != h.stranded {
		c |= redrawStranded
	}
	if k.routes != o.routes {
		c |= redrawFares
	}
	if a.attempt != b.attempt || a.queueShare != b.queueShare || a.cost != b.cost {
		c |= redrawBorder
	}
	if len(k.nodes) != len(o.nodes) {
		return redrawBorder | redrawStranded
	}
	for n := range k.nodes {
		if k.nodes[n] != o.nodes[n] {
			c |= redrawStranded
			if m.w.isBorder[n] {
				c |= redrawBorder
			}
		}
	}
	return c
}

// fareChanged reports whether the fare with which the stranded entry e
// can move on, or whether it can, differs between the routing tables was
// and is.
func (m *Model) fareChanged(e *roomEntry, was, is *routeTable) bool {
	a, okA := m.moveThresholdIn(was, &e.agent)
	b, okB := m.moveThresholdIn(is, &e.agent)
	return okA != okB || a != b
}

// kindBit returns the redraw bit of entry e.
func kindBit(e *roomEntry) uint8 {
	if e.wait == waitStranded {
		return redrawStranded
	}
	return redrawBorder
}

// newWaitRoom makes the waiting room's arrays for the model's nodes,
// nationalities and days.
func (m *Model) newWaitRoom() {
	nk, nn := len(m.w.nats), len(m.w.nodes)
	r := &m.room
	r.wakes = make([][]wakeToken, m.days)
	r.count = make([]int64, nn)
	for a := range r.tally {
		r.tally[a] = make([]int64, nn*(m.days+1))
	}
	r.paying = make([]int64, nn)
	r.spending = make([]int64, nn)
	r.news = make([]float64, nk*m.days)
	r.keep = make([]float64, nn*m.days)
	r.newsRate = make([]float64, m.days)
	r.strandCount = make([]int64, nn)
	r.strandSouth = make([]int64, nn)
	r.strandSpending = make([]int64, nn)
	r.strandOK = make([]bool, nn)
	deport := map[string]bool{}
	for _, p := range m.sc.Policies {
		if f := strings.Split(p.Path, "."); len(f) == 3 && f[0] == "node" && strings.HasPrefix(f[2], "deport_") {
			deport[f[1]] = true
		}
	}
	for n, node := range m.sc.Nodes {
		r.strandOK[n] = !deport[node.ID] && node.DeportFlightsPerWeek == 0
	}
	r.keys = make([]waitKey, nk)
}

// keyOf returns the waitKey of parameter set ps with routing table rt.
func (m *Model) keyOf(ps *paramSet, rt *routeTable) waitKey {
	b, bp := &ps.behaviour, &ps.border
	k := waitKey{rules: waitRules{
		giveUp:   ruleOf(b),
		register: bp.CBPOneRegisterChance, attempt: bp.IrregularAttemptChance, queueShare: bp.CBPOneQueueAttemptShare,
		open: bp.CBPOneOpen, cost: bp.IrregularCost,
	}, routes: rt, nodes: make([]waitNode, 0, len(ps.nodes))}
	for _, np := range ps.nodes {
		k.nodes = append(k.nodes, waitNode{
			eligible: np.cbpEligible, food: np.food, aid: np.aidLine, wage: np.wage,
			robRisk: np.robRisk, robLoss: np.robLoss, kidnapRisk: np.kidnapRisk, kidLoss: np.kidLoss,
			robT: np.robT, kidnapT: np.kidnapT, workT: np.workT,
		})
	}
	return k
}

// admitToRoom files the agents of the chunks' toRoom lists in the waiting
// room, current as of the end of day d: those who stay at a border node
// tonight heading for the US, and the stranded (stranded.go). Positions are
// given in chunk order — the free ones first, from the top of the free
// list, then new ones — so the j-th admission's position is known from j
// alone, and the entries, their plans and their wakes are made in parallel;
// the wakes are filed in that order.
func (m *Model) admitToRoom(d int) {
	r := &m.room
	chunks := m.chunks[:m.nchunks]
	// Where each chunk's admissions begin.
	offs := grow(r.offs, len(chunks)+1)
	n := 0
	for i, c := range chunks {
		offs[i] = n
		n += len(c.toRoom)
	}
	offs[len(chunks)] = n
	r.offs = offs
	if n == 0 {
		return
	}
	// Who they are: the counts by kind and node, and the highest id,
	// gathered per worker (sums and a maximum: the same for any number of
	// workers).
	nn := len(r.count)
	joining := r.workerMembers(m)
	for len(r.top) < m.workers {
		r.top = append(r.top, -1)
	}
	for w := range m.workers {
		r.top[w] = -1
	}
	m.forEachWorker(len(chunks), n, func(w, i int) {
		count, top := joining[w], r.top[w]
		for j := range chunks[i].toRoom {
			s := &chunks[i].toRoom[j]
			count[memberKind(&s.agent)*nn+int(s.node)]++
			top = max(top, s.id)
		}
		r.top[w] = top
	})
	r.addWorkerMembers(1)
	top := int32(-1)
	for w := range m.workers {
		top = max(top, r.top[w])
	}
	if k := int(top) + 1 - len(r.at); k > 0 {
		had := len(r.at)
		r.at = grown(m, r.at, k)[:had+k]
		for i := had; i < had+k; i++ {
			r.at[i] = -1
		}
	}
	// The positions: the last nf of the free list, from its top, then
	// new entries from base on.
	nf := min(n, len(r.free))
	freed := r.free[len(r.free)-nf:]
	r.free = r.free[:len(r.free)-nf]
	base := len(r.entries)
	r.entries = grown(m, r.entries, n-nf)[:base+n-nf]
	posOf := func(j int) int32 {
		if j < nf {
			return freed[nf-1-j]
		}
		return int32(base + j - nf)
	}
	poss := grow(r.scratch, n)
	r.scratch = poss
	m.drawAll(poss, func(buf *plans, lo, hi int, toks []dayToken) {
		// The entries first, then the blocks of the batch, drawn at once.
		var ids [wakeBatchSize]uint32
		var need [wakeBatchSize]uint8
		c := sort.Search(len(chunks), func(i int) bool { return offs[i+1] > lo })
		for j := lo; j < hi; j++ {
			for offs[c+1] <= j {
				c++
			}
			s := &chunks[c].toRoom[j-offs[c]]
			poss[j] = posOf(j)
			e := &r.entries[poss[j]]
			*e = roomEntry{slot: *s, last: uint16(d), gen: e.gen + 1}
			r.at[s.id] = poss[j]
			ids[j-lo] = uint32(s.id)
			need[j-lo] = e.admitNeeds()
		}
		var draws [wakeBatchSize]admitDraws
		drawAdmitBlocks(m.seed, ids[:hi-lo], need[:hi-lo], d, draws[:hi-lo])
		for j := lo; j < hi; j++ {
			pos, a := poss[j], &draws[j-lo]
			e := &r.entries[pos]
			if e.wait == waitStranded {
				toks[j-lo] = m.drawStrandedWake(buf, pos, d, a.wait, &a.chains)
				continue
			}
			m.planNights(buf, e, d, m.natNode(&e.agent).aidLine, true)
			toks[j-lo] = m.drawWake(pos, d, a.wait, a.more)
		}
	})
}

// planAll runs f(buf, lo, hi) for the positions poss[lo:hi] of each batch
// of poss, in parallel; f must touch only the entries at those positions
// and the plans it is given. The changes to the planned nights' tallies,
// gathered per worker, are applied after the pass.
func (m *Model) planAll(poss []int32, f func(buf *plans, lo, hi int)) {
	r := &m.room
	nb := (len(poss) + wakeBatchSize - 1) / wakeBatchSize
	bufs := r.workerPlans(m)
	m.forEachWorker(nb, 32*len(poss), func(w, i int) { // a plan walks up to 60 nights
		f(bufs[w], i*wakeBatchSize, min((i+1)*wakeBatchSize, len(poss)))
	})
	r.applyPlans()
}

// drawAll is planAll for draws that return the entries' next wakes: draw
// fills toks[j−lo] with the token of poss[j] for each j of the batch; the
// entries get their tokens' generations in the pass, and the tokens are
// filed in the order of poss after it.
func (m *Model) drawAll(poss []int32, draw func(buf *plans, lo, hi int, toks []dayToken)) {
	r := &m.room
	toks := grow(r.tokens, len(poss))
	r.tokens = toks
	nb := (len(poss) + wakeBatchSize - 1) / wakeBatchSize
	counts := grow(r.tokenCounts, nb)
	r.tokenCounts = counts
	m.planAll(poss, func(buf *plans, lo, hi int) {
		draw(buf, lo, hi, toks[lo:hi])
		for _, t := range toks[lo:hi] {
			r.entries[t.tok.pos].gen = t.tok.gen
		}
		counts[lo/wakeBatchSize].count(toks[lo:hi], m.day)
	})
	m.fileParts(counts, func(i int) []dayToken {
		return toks[i*wakeBatchSize : min((i+1)*wakeBatchSize, len(toks))]
	})
}

// workerPlans returns one emptied plans per worker, for a pass on today.
// The planned nights' tallies are sums of integers, so it does not matter
// which worker gathers which change: the tallies are the same for any
// number of workers.
func (r *waitRoom) workerPlans(m *Model) []*plans {
	for len(r.bufs) < m.workers {
		r.bufs = append(r.bufs, &plans{})
	}
	for _, b := range r.bufs {
		b.start(m.day, m.days, len(m.w.nodes), &r.tally)
	}
	return r.bufs
}

// applyPlans adds the workers' changes to the planned nights' tallies.
func (r *waitRoom) applyPlans() {
	for _, b := range r.bufs {
		b.apply()
	}
}

// Kinds of members, as counted per node.
const (
	memberBorder      = iota // waiting at the border: count
	memberStranded           // stranded heading for the US: strandCount
	memberStrandSouth        // stranded heading elsewhere: strandCount and strandSouth
	numMemberKinds
)

// memberKind returns the kind of member the agent of record r is.
func memberKind(r *agent) int {
	switch {
	case r.wait != waitStranded:
		return memberBorder
	case r.goal != goalUS:
		return memberStrandSouth
	}
	return memberStranded
}

// addMembers adds n members of kind at node to the counts per node.
func (r *waitRoom) addMembers(kind, node int, n int64) {
	switch kind {
	case memberBorder:
		r.count[node] += n
	case memberStrandSouth:
		r.strandSouth[node] += n
		fallthrough
	default:
		r.strandCount[node] += n
	}
}

// workerMembers returns, for a pass that admits members or lets them go,
// one count per worker of them by kind and node (kind × nodes + node),
// emptied; addWorkerMembers applies them after the pass. They are sums, so
// the counts per node are the same for any number of workers.
func (r *waitRoom) workerMembers(m *Model) [][]int64 {
	for len(r.members) < m.workers {
		r.members = append(r.members, nil)
	}
	for w := range m.workers {
		r.members[w] = grow(r.members[w], numMemberKinds*len(r.count))
		clear(r.members[w])
	}
	return r.members[:m.workers]
}

// addWorkerMembers adds sign × the workers' counts of members
// (workerMembers) to the counts per node.
func (r *waitRoom) addWorkerMembers(sign int64) {
	nn := len(r.count)
	for _, count := range r.members {
		for i, v := range count {
			if v != 0 {
				r.addMembers(i/nn, i%nn, sign*v)
			}
		}
	}
}

// leaveRoom lets the entry at pos go: it is marked gone now, and counted
// in leaving, the waking worker's count (workerMembers), which is taken
// out of the counts per node after the pass, when the position returns to
// the free list (applyLeft).
func (m *Model) leaveRoom(leaving []int64, pos int32) {
	r := &m.room
	e := &r.entries[pos]
	leaving[memberKind(&e.agent)*len(r.count)+int(e.node)]++
	r.at[e.id] = -1
	e.id = -1
	e.gen++
}

// applyLeft frees the positions of those who left the room in batch b, in
// the batch's order.
func (r *waitRoom) applyLeft(b *wakeBatch) {
	r.free = append(r.free, b.left...)
}

// settle brings the entry at pos up to the end of day d−1 and takes back
// what was planned from night d on, with the parameters in force until day
// d−1 (a policy is changing them): the first half of a rewake. belief is
// the entry's belief at the end of day d−1 as beliefsAt gives it.
func (m *Model) settleBefore(buf *plans, pos int32, d int, belief float64) {
	e := &m.room.entries[pos]
	if e.wait == waitStranded {
		m.settleStranded(buf, e, d, belief)
		return
	}
	e.payUpTo(d - 1)
	e.keepBelief(d-1, belief)
	m.unplanNights(buf, e, d)
}

// rewake draws anew, on day d before anything happened that day and after
// settleBefore, the wake of the entry at pos with the parameters of day d,
// and returns its token, which carries the entry's next generation (the caller
// gives it to the entry and files the token).
func (m *Model) rewake(buf *plans, pos int32, d int) dayToken {
	e := &m.room.entries[pos]
	if e.wait == waitStranded {
		return m.drawStrandedWake(buf, pos, d-1, block(m.seed, uint64(e.id), d-1, purposeWait), nil)
	}
	m.planNights(buf, e, d, m.natNode(&e.agent).aidLine, false)
	id := uint64(e.id)
	return m.drawWake(pos, d-1, block(m.seed, id, d-1, purposeWait), block(m.seed, id, d-1, purposeWaitMore))
}

// wakeRoom wakes the people of the waiting room whose day it is, in
// batches of the day's tokens, in parallel. Those who give up and move on
// join the day's list (appended to out), to choose their way like anyone;
// the rest of the day's outcomes are tallied in the room's chunk. What
// changes the room as a whole is applied after the pass, batch by batch.
func (m *Model) wakeRoom(d int, out []slot) []slot {
	r := &m.room
	m.keepDay(d)
	t := &m.roomTally
	t.reset(len(m.w.nodes), len(m.w.nats))
	r.woken = 0
	toks := r.wakes[d]
	r.wakes[d] = nil
	nb := (len(toks) + wakeBatchSize - 1) / wakeBatchSize
	for len(r.batches) < nb {
		r.batches = append(r.batches, &wakeBatch{})
	}
	bs := r.batches[:nb]
	bufs := r.workerPlans(m)
	leaving := r.workerMembers(m)
	for i, b := range bs {
		b.chunk.resetOutcomes(len(m.w.nats))
		b.lo, b.hi = i*wakeBatchSize, min((i+1)*wakeBatchSize, len(toks))
		b.woken = 0
		b.back, b.left, b.wakeups = b.back[:0], b.left[:0], trim(b.wakeups)
	}
	// First the stale tokens are struck out (pos −1): a token is stale once
	// its entry was drawn anew or let go, which changed the entry's
	// generation. Then each live entry is woken by the batch of its token,
	// the only one to read or write it in the pass: its next wake, drawn
	// there, gives it its next generation. A wake (a plan of up to 60
	// nights for the stranded) costs many times a list entry's day.
	m.forEach(nb, 2*len(toks), func(i int) {
		for j := bs[i].lo; j < bs[i].hi; j++ {
			if tk := &toks[j]; r.entries[tk.pos].gen != tk.gen {
				tk.pos = -1
			}
		}
	})
	m.forEachWorker(nb, 16*len(toks), func(w, i int) {
		b := bs[i]
		b.plans = bufs[w]
		// The blocks of the batch's wakes, drawn at once.
		var ids [wakeBatchSize]uint32
		var need [wakeBatchSize]uint8
		var poss [wakeBatchSize]int32
		var draws [wakeBatchSize]wakeDraws
		n := 0
		var standing cbpStatus
		for _, tk := range toks[b.lo:b.hi] {
			if tk.pos >= 0 {
				e := &r.entries[tk.pos]
				ids[n], poss[n] = uint32(e.id), tk.pos
				need[n] = e.wakeNeeds()
				standing |= m.ag.cbp[e.id]
				n++
			}
		}
		b.standing = standing
		drawWakeBlocks(m.seed, ids[:n], need[:n], d, draws[:n])
		// And their beliefs up to yesterday, worked out together.
		var beliefs [wakeBatchSize]float64
		m.beliefsAt(poss[:n], d-1, beliefs[:n])
		j := 0
		for _, tk := range toks[b.lo:b.hi] {
			if tk.pos < 0 {
				continue
			}
			b.woken++
			if r.entries[tk.pos].wait == waitStranded {
				m.wakeStranded(b, tk.pos, d, &draws[j], beliefs[j])
			} else {
				m.wake(b, tk.pos, d, &draws[j], beliefs[j])
			}
			j++
		}
		for _, pos := range b.left {
			m.leaveRoom(leaving[w], pos)
		}
		for _, t := range b.wakeups {
			r.entries[t.tok.pos].gen = t.tok.gen
		}
		b.counts.count(b.wakeups, d)
	})
	n := 0
	for _, b := range bs {
		n += len(b.back)
	}
	out = grown(m, out, n)
	for _, b := range bs {
		r.woken += b.woken
		t.absorbAll(&b.chunk)
		out = append(out, b.back...)
		r.applyLeft(b)
		b.plans = nil
	}
	r.addWorkerMembers(-1)
	counts := grow(r.tokenCounts, nb)
	r.tokenCounts = counts
	for i, b := range bs {
		counts[i] = b.counts
	}
	m.fileParts(counts, func(i int) []dayToken { return bs[i].wakeups })
	r.applyPlans()
	return out
}

// absorbAll adds to t everything chunk c tallied and collected: events,
// border outcomes, CBP One registrations and entrants.
func (t *chunk) absorbAll(c *chunk) {
	for i, v := range c.ev {
		t.ev[i] += v
	}
	for k := range c.succ {
		t.succ[k] += c.succ[k]
		t.fail[k] += c.fail[k]
	}
	t.cbpReg = append(t.cbpReg, c.cbpReg...)
	t.entrants = append(t.entrants, c.entrants...)
}

// roomNight tallies night d of the waiting room's members at each node:
// present and waiting, what they pay, and the aid left after the others at
// the node, served to those who cannot pay.
func (m *Model) roomNight(d int, aid [][2]int64) {
	r := &m.room
	c := &m.roomTally
	tl := &r.tally
	for n, cnt := range r.count {
		row := n*(m.days+1) + d
		r.paying[n] += tl[tallyPaying][row]
		r.spending[n] += tl[tallySpent][row]
		sc := r.strandCount[n]
		if cnt == 0 && sc == 0 {
			continue
		}
		meals, beds := aid[n][0], aid[n][1]
		for _, x := range m.chunks[:m.nchunks] {
			meals -= x.nodes[n].mealsServed
			beds -= x.nodes[n].bedsServed
		}
		meals, beds = max(0, meals), max(0, beds)
		t := &c.nodes[n]
		r.strandSpending[n] += tl[tallyFoodDiff][row]
		if sc > 0 {
			// The stranded: served first of the room, all in need; a night
			// without both an aid meal and an aid bed is a night of unmet
			// need.
			sm, sb := min(meals, sc), min(beds, sc)
			meals, beds = meals-sm, beds-sb
			t.present += sc
			t.stranded += sc
			t.south += r.strandSouth[n]
			t.mealsServed += sm
			t.bedsServed += sb
			t.unmet += sc - min(sm, sb)
			c.ev[TotSpentLiving] += r.strandSpending[n]
			c.ev[TotLostToCrime] += tl[tallyLost][row]
			c.ev[TotRobbed] += tl[tallyRobbed][row]
			c.ev[TotKidnapped] += tl[tallyKidnapped][row]
			c.ev[TotWorked] += tl[tallyWorked][row]
		}
		if cnt == 0 {
			continue
		}
		poor := cnt - r.paying[n]
		meals, beds = min(meals, poor), min(beds, poor)
		t.present += cnt
		t.waiting += cnt
		t.mealsServed += meals
		t.bedsServed += beds
		t.unmet += poor - min(meals, beds)
		c.ev[TotSpentLiving] += r.spending[n]
	}
}

// redrawRoom wakes, on day d before anything happened that day, every
// waiter of nationality k of the kinds in redraw[k] to draw anew (their
// bounds, living costs or routes changed), and with redrawFares the
// stranded whose fare changed between yesterday's routing tables,
// oldRoutes, and today's: each is brought up to date with the parameters
// of yesterday, old, and drawn anew with today's.
func (m *Model) redrawRoom(redraw []uint8, old []*paramSet, oldRoutes []*routeTable, d int) {
	if !slices.ContainsFunc(redraw, func(x uint8) bool { return x != 0 }) {
		return
	}
	r := &m.room
	todo := r.scratch[:0]
	for i := range r.entries {
		e := &r.entries[i]
		if e.id < 0 {
			continue
		}
		k := m.w.groups[e.group].nat
		if redraw[k]&kindBit(e) != 0 ||
			redraw[k]&redrawFares != 0 && e.wait == waitStranded && m.fareChanged(e, oldRoutes[1+k], m.routes[1+k]) {
			todo = append(todo, int32(i))
		}
	}
	r.scratch = todo
	now := m.params
	m.params = old
	m.planAll(todo, func(buf *plans, lo, hi int) {
		var beliefs [wakeBatchSize]float64
		m.beliefsAt(todo[lo:hi], d-1, beliefs[:hi-lo])
		for j, pos := range todo[lo:hi] {
			m.settleBefore(buf, pos, d, beliefs[j])
		}
	})
	m.params = now
	m.drawAll(todo, func(buf *plans, lo, hi int, toks []dayToken) {
		for j, pos := range todo[lo:hi] {
			toks[j] = m.rewake(buf, pos, d)
		}
	})
}
