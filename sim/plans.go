package sim

import "sync/atomic"

// plans collect, for one worker of a parallel pass of the waiting room,
// the changes to the tallies of planned nights (wait.go, stranded.go), to
// be added to the room's arrays after the pass. The tallies are integer
// sums, so neither the order in which changes are added nor which worker
// gathers which matters. Changes to the nights of the planSpan days from
// the pass's day are summed in a window per node — a plan covers at most
// the horizon — and the rest (the far end of a border waiter's plan of
// living costs) are listed as they come and added after the pass too.
type plans struct {
	base, days int
	win        [][]int64 // per node: [(night−base)*numTallies + a]; nil until touched
	touched    []int16   // nodes whose window holds changes
	marked     []bool    // by node: in touched
	far        []farChange
	tally      *[numTallies][]int64 // the tally arrays the changes go to
}

// farChange is a change of v to tally at&7 at index at>>3 of its array, for
// a night outside a plans window. (Added at once, atomically, these made
// two workers wait for each other's cache lines.) A change that does not
// fit is added at once, atomically, as before.
type farChange struct {
	at uint32
	v  int32
}

// The kinds of tally fit in the three bits farChange gives them.
const _ = uint(8 - numTallies)

// planSpan is the number of nights of a plans window.
const planSpan = waitHorizon + 2

// The tally arrays of planned nights, indexed [node*(days+1) + night]: for
// the border, the change in the number paying and in what they pay from
// the night before; for the stranded, the change in what they pay for food
// from the night before, what they lose, and how many are robbed,
// kidnapped and work.
const (
	tallyPaying = iota
	tallySpent
	tallyFoodDiff
	tallyLost
	tallyRobbed
	tallyKidnapped
	tallyWorked
	numTallies
)

// start empties p for a pass on day base of a run of days days on nodes
// nodes, whose changes go to the tally arrays t.
func (p *plans) start(base, days, nodes int, t *[numTallies][]int64) {
	p.base, p.days, p.tally = base, days, t
	if len(p.win) != nodes {
		p.win = make([][]int64, nodes)
		p.marked = make([]bool, nodes)
	}
	p.touched = p.touched[:0]
	p.far = p.far[:0]
}

// add adds v to tally a of node and night (nights past the run's end are
// dropped).
func (p *plans) add(node int16, night, a int, v int64) {
	off := night - p.base
	switch {
	case night > p.days:
		return
	case off < 0 || off >= planSpan:
		i := int(node)*(p.days+1) + night
		if i < 1<<29 && v == int64(int32(v)) {
			p.far = append(p.far, farChange{uint32(i<<3 | a), int32(v)})
		} else {
			atomic.AddInt64(&p.tally[a][i], v)
		}
		return
	}
	w := p.win[node]
	if w == nil {
		w = make([]int64, planSpan*numTallies)
		p.win[node] = w
	}
	if !p.marked[node] {
		p.marked[node] = true
		p.touched = append(p.touched, node)
	}
	w[off*numTallies+a] += v
}

// apply adds the changes of p's window to the tally arrays and empties p.
func (p *plans) apply() {
	t := p.tally
	for _, n := range p.touched {
		w := p.win[n]
		row := int(n)*(p.days+1) + p.base
		for off := 0; off < planSpan && p.base+off <= p.days; off++ {
			for a := range numTallies {
				if v := w[off*numTallies+a]; v != 0 {
					t[a][row+off] += v
					w[off*numTallies+a] = 0
				}
			}
		}
		p.marked[n] = false
	}
	p.touched = p.touched[:0]
	for _, f := range p.far {
		t[f.at&7][f.at>>3] += int64(f.v)
	}
	p.far = p.far[:0]
}

// bytes returns the memory p holds.
func (p *plans) bytes() int64 {
	n := bytesOf(p.win) + bytesOf(p.touched) + bytesOf(p.marked) + bytesOf(p.far)
	for _, w := range p.win {
		n += bytesOf(w)
	}
	return n
}
