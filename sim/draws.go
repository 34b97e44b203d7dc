package sim

import (
	"math"

	"github.com/migsim/migsim/sim/rng"
	"github.com/migsim/migsim/sim/scenario"
)

// Cheap draws. The rules that draw for every agent at a node every day —
// giving up, robbery, kidnapping, work — take their numbers from one Philox
// block: the first block of the agent's stream (seed, agent, day,
// purposeDaily), four uniform 32-bit words, one word per rule, so no rule's
// draw shifts another's. A Bernoulli trial compares one word with p·2³²
// (chance), so one block serves four trials. Rules that draw rarely keep
// streams of their own (rng.Stream).

// The words of an agent's daily block.
const (
	wordGiveUp = iota
	wordRobbery
	wordKidnap
	wordWork
)

// nightDraws are the outcomes of the night's trials of an agent still at
// its node after deciding — robbery, kidnapping, work — one bit each. Their
// words are those of the daily block, and their chances those of the
// agent's node for its nationality, which do not change in the day; so the
// trials are drawn while the block is at hand, in the decisions, and the
// night (aid.go) applies those its rules call for. One byte per entry of
// the day's list instead of the three words.
type nightDraws uint8

// The bits of nightDraws.
const (
	nightRobbed nightDraws = 1 << iota
	nightKidnapped
	nightWorks
)

// drawNight draws the night's trials of an agent at a node with parameters
// np from the robbery, kidnapping and work words of its daily block.
func drawNight(rob, kidnap, work uint32, np *nodeParams) nightDraws {
	var x nightDraws
	if uint64(rob) < np.robT {
		x |= nightRobbed
	}
	if uint64(kidnap) < np.kidnapT {
		x |= nightKidnapped
	}
	if uint64(work) < np.workT {
		x |= nightWorks
	}
	return x
}

// wakeDraws are the blocks a wake in the waiting room on day d reads, all
// keyed by (seed, agent, d): the wake's own events (purposeWake) and the
// candidate days of the next wake (purposeWait, purposeWaitMore; wait.go).
// A batch of wakes draws them at once (drawWakeBlocks).
type wakeDraws struct {
	wake, wait, more [4]uint32
}

// The blocks a wake or an admission reads, by what it is: a stranded
// person's wake on the morning they can move on reads none, another
// stranded person's wake reads wake and wait, a border wake reads all
// three; an admission reads wait, and more (at the border) or the chains
// (stranded). A block is a function of (seed, agent, day, purpose) alone,
// so which are drawn ahead changes no number, only the work.
const (
	needWake   uint8 = 1 << iota // wakeDraws.wake and wait
	needMore                     // wakeDraws.more, admitDraws.more
	needChains                   // admitDraws.chains
)

// wakeNeeds returns the blocks the wake of entry e reads.
func (e *roomEntry) wakeNeeds() uint8 {
	switch {
	case e.wait != waitStranded:
		return needWake | needMore
	case e.cand&candMove == 0:
		return needWake
	}
	return 0 // stranded, woken to move on: back to the list
}

// admitNeeds returns the blocks the admission of entry e reads besides
// wait.
func (e *roomEntry) admitNeeds() uint8 {
	if e.wait == waitStranded {
		return needChains
	}
	return needMore
}

// drawWakeBlocks draws the wakeDraws of the agents ids on day d that
// need[i] asks for into out[:len(ids)] (blocksOf); the others are left
// as they are. At most wakeBatchSize ids.
func drawWakeBlocks(seed uint64, ids []uint32, need []uint8, d int, out []wakeDraws) {
	var p picked
	sub := p.pick(ids, need, needWake)
	blocksOf(seed, sub, d, purposeWake, func(j int, b [4]uint32) { out[p.at[j]].wake = b })
	blocksOf(seed, sub, d, purposeWait, func(j int, b [4]uint32) { out[p.at[j]].wait = b })
	sub = p.pick(ids, need, needMore)
	blocksOf(seed, sub, d, purposeWaitMore, func(j int, b [4]uint32) { out[p.at[j]].more = b })
}

// admitDraws are the blocks an admission to the waiting room on day d
// reads, all keyed by (seed, agent, d): the candidate days of the first
// wake (purposeWait, purposeWaitMore; wait.go) and, for the stranded, the
// first block of each chain of nights of the plan (work, robbery,
// kidnapping; stranded.go).
type admitDraws struct {
	wait, more [4]uint32
	chains     [3][4]uint32
}

// drawAdmitBlocks draws the admitDraws of the agents ids on day d into
// out[:len(ids)] (blocksOf): wait for all, more and the chains for those
// whose need[i] asks for them (the others are left as they are). At most
// wakeBatchSize ids.
func drawAdmitBlocks(seed uint64, ids []uint32, need []uint8, d int, out []admitDraws) {
	blocksOf(seed, ids, d, purposeWait, func(i int, b [4]uint32) { out[i].wait = b })
	var p picked
	sub := p.pick(ids, need, needMore)
	blocksOf(seed, sub, d, purposeWaitMore, func(j int, b [4]uint32) { out[p.at[j]].more = b })
	sub = p.pick(ids, need, needChains)
	for k, purpose := range strandedChains() {
		blocksOf(seed, sub, d, purpose, func(j int, b [4]uint32) { out[p.at[j]].chains[k] = b })
	}
}

// picked holds the ids of a batch that need a kind of block, and where
// each is in the batch.
type picked struct {
	ids [blocksAtOnce]uint32
	at  [blocksAtOnce]int32
}

// pick returns the ids whose need has bit, in order; p.at gives their
// places in ids.
func (p *picked) pick(ids []uint32, need []uint8, bit uint8) []uint32 {
	n := 0
	for i, id := range ids {
		if need[i]&bit != 0 {
			p.ids[n], p.at[n] = id, int32(i)
			n++
		}
	}
	return p.ids[:n]
}

// blocksOf draws the blocks (seed, ids[i], d, purpose) of up to
// blocksAtOnce agents all at once, with vector instructions where the
// processor has them (rng.Blocks: the same words block gives), and hands
// each to put.
func blocksOf(seed uint64, ids []uint32, d int, purpose rng.Purpose, put func(i int, b [4]uint32)) {
	var w [4][blocksAtOnce]uint32
	s := [4][]uint32{w[0][:len(ids)], w[1][:len(ids)], w[2][:len(ids)], w[3][:len(ids)]}
	rng.Blocks(seed, ids, d, purpose, &s)
	for i := range ids {
		put(i, [4]uint32{w[0][i], w[1][i], w[2][i], w[3][i]})
	}
}

// blocksAtOnce is the most agents whose blocks blocksOf draws at once: a
// batch of the list's entries or of the waiting room's wakes.
const blocksAtOnce = max(batch, wakeBatchSize)

// The words of an agent's border block (purposeBorderDay), drawn at the US
// border only.
const (
	wordRegister = iota
	wordAttempt
)

// block returns the first block of the stream rng.New(seed, entity, day,
// purpose).
func block(seed, entity uint64, day int, purpose rng.Purpose) [4]uint32 {
	return rng.Block(seed, entity, day, purpose)
}

// dailyBlocks computes the daily blocks (purposeDaily) of the agents of
// list on day d: word j of the block of list[i] goes to w[j][i]. It draws
// them all at once, with vector instructions where the processor has them
// (rng.Blocks): the same words block gives.
func dailyBlocks(seed uint64, list []slot, d int, ids []uint32, w *[4][]uint32) {
	ids = ids[:len(list)]
	for i := range list {
		ids[i] = uint32(list[i].id)
	}
	rng.Blocks(seed, ids, d, purposeDaily, w)
}

// borderBlocks draws at once, with vector instructions where the processor
// has them, the border blocks (purposeBorderDay) of the entries of list on
// day d that head for the US at a border node — nearly all of whom draw
// theirs today, to try to cross (border.go). Entry i's block goes to
// w[·][at[i]]; at[i] is -1 for the others, whose block, if ever needed (to
// register with CBP One on the way), is drawn when first needed. A block is
// a function of (seed, agent, day, purpose) alone, so drawing it ahead
// changes no number.
func (m *Model) borderBlocks(list []slot, d int, ids []uint32, at []int16, w *[4][]uint32) {
	n := 0
	for i := range list {
		at[i] = -1
		if s := &list[i]; s.goal == goalUS && m.w.isBorder[s.node] {
			at[i] = int16(n)
			ids[n] = uint32(s.id)
			n++
		}
	}
	if n > 0 {
		rng.Blocks(m.seed, ids[:n], d, purposeBorderDay, w)
	}
}

// chance reports whether the uniform word u falls below probability p: a
// Bernoulli trial that succeeds with probability p rounded up to a multiple
// of 2⁻³² — never for p ≤ 0, always for p ≥ 1.
func chance(u uint32, p float64) bool { return float64(u) < p*(1<<32) }

// threshold returns the t for which uint64(u) < t is chance(u, p) for every
// word u: the least integer at or above p·2³², within [0, 2³²] (0 for NaN).
// A word u is below the real number x exactly when it is below ⌈x⌉.
func threshold(p float64) uint64 {
	x := math.Ceil(p * (1 << 32))
	switch {
	case !(x > 0):
		return 0
	case x > 1<<32:
		return 1 << 32
	}
	return uint64(x)
}

// lazyBlock is an agent's border block for the day, drawn when first needed.
type lazyBlock struct {
	w  [4]uint32
	ok bool
}

// get returns agent a's border block of day d.
func (l *lazyBlock) get(seed uint64, a int32, d int) *[4]uint32 {
	if !l.ok {
		l.w = block(seed, uint64(a), d, purposeBorderDay)
		l.ok = true
	}
	return &l.w
}

// dist is a scenario.Dist with the number of words one draw takes, looked
// up once when the parameters are compiled rather than at every draw.
type dist struct {
	scenario.Dist
	words int8
}

func compileDist(d scenario.Dist) dist { return dist{d, int8(d.Words())} }

// sample draws from d with the words w (d.words of them).
func (d *dist) sample(w []uint32) float64 { return d.SampleWords(w) }

// pair draws x from dx and then y from dy from the stream (seed, entity,
// day, purpose), as x = dx.Sample(s); y = dy.Sample(s) would, but from one
// block when both draws fit in its four words: fb, the stream's first
// block, if not nil (drawn ahead with others), else drawn here.
func pair(dx, dy *dist, fb *[4]uint32, seed, entity uint64, day int, purpose rng.Purpose) (x, y float64) {
	n := int(dx.words) + int(dy.words)
	switch {
	case n == 0:
		return dx.Value, dy.Value
	case n <= 4:
		var w [4]uint32
		if fb != nil {
			w = *fb
		} else {
			w = block(seed, entity, day, purpose)
		}
		return dx.sample(w[:dx.words]), dy.sample(w[dx.words:n])
	}
	s := rng.New(seed, entity, day, purpose)
	return dx.Sample(&s), dy.Sample(&s)
}
