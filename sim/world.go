package sim

import (
	"fmt"
	"math"

	"github.com/migsim/migsim/sim/scenario"
)

// world is the static structure of the route graph: what does not change
// when policies do (ids, endpoints, kinds). Parameters live in paramSet.
type world struct {
	nodes     []scenario.Node // base copy, for ids and kinds
	edges     []scenario.Edge
	nodeIndex map[string]int
	edgeIndex map[string]int
	from, to  []int32 // edge endpoints
	outEdges  [][]int32
	inEdges   [][]int32
	north     []bool // edge direction is north
	isBorder  []bool // node kind is border
	interior  int32  // node index of the US interior
	nats      []string
	groups    []group
	// targets are the route destinations: target 0 is "any border node",
	// the others single nodes (homes and elsewhere destinations).
	targets    []int32 // node index per target (-1 for target 0)
	targetOf   map[int32]int
	spend      []spendCategory
	boat       []bool
	personsPer int64 // persons per agent (1/scale)
	scale      float64
}

// group is an origin group: potential migrants of one nationality at one node.
type group struct {
	id            string
	nat           int // index into world.nats
	home          int32
	elsewhere     int32 // -1 if none
	homeTarget    int
	elseTarget    int // -1 if none
	goalElsewhere bool
}

type spendCategory uint8

const (
	spendTransport spendCategory = iota
	spendSmuggler
	spendBoat
	spendFee
)

func spendOf(s string) spendCategory {
	switch s {
	case "smuggler":
		return spendSmuggler
	case "boat":
		return spendBoat
	case "fee":
		return spendFee
	}
	return spendTransport
}

func (c spendCategory) total() Total {
	switch c {
	case spendSmuggler:
		return TotSpentSmuggler
	case spendBoat:
		return TotSpentBoat
	case spendFee:
		return TotSpentFee
	}
	return TotSpentTransport
}

// newWorld compiles the static graph of a checked scenario.
func newWorld(sc *scenario.Scenario) (*world, error) {
	w := &world{
		nodes:     append([]scenario.Node(nil), sc.Nodes...),
		edges:     append([]scenario.Edge(nil), sc.Edges...),
		nodeIndex: map[string]int{},
		edgeIndex: map[string]int{},
		targetOf:  map[int32]int{},
		nats:      sc.Nationalities(),
		scale:     sc.Meta.Scale,
	}
	if w.scale <= 0 || w.scale > 1 {
		return nil, fmt.Errorf("scenario.scale %g must be in (0, 1]", w.scale)
	}
	w.personsPer = int64(math.Round(1 / w.scale))
	if len(sc.Nodes) > math.MaxInt16 || len(sc.Edges) > math.MaxInt16 {
		return nil, fmt.Errorf("at most %d nodes and edges are supported", math.MaxInt16)
	}
	for i, n := range sc.Nodes {
		w.nodeIndex[n.ID] = i
		w.isBorder = append(w.isBorder, n.Kind == scenario.KindBorder)
	}
	w.outEdges = make([][]int32, len(sc.Nodes))
	w.inEdges = make([][]int32, len(sc.Nodes))
	for i, e := range sc.Edges {
		w.edgeIndex[e.ID] = i
		f, okf := w.nodeIndex[e.From]
		t, okt := w.nodeIndex[e.To]
		if !okf || !okt {
			return nil, fmt.Errorf("edge %s: unknown endpoint", e.ID)
		}
		w.from = append(w.from, int32(f))
		w.to = append(w.to, int32(t))
		w.outEdges[f] = append(w.outEdges[f], int32(i))
		w.inEdges[t] = append(w.inEdges[t], int32(i))
		w.north = append(w.north, e.Direction == scenario.North)
		w.spend = append(w.spend, spendOf(e.Spend))
		w.boat = append(w.boat, e.Mode == "boat")
	}
	in, ok := w.nodeIndex[sc.Border.US.Interior]
	if !ok {
		return nil, fmt.Errorf("border.us.interior: unknown node %q", sc.Border.US.Interior)
	}
	w.interior = int32(in)
	w.targets = []int32{-1}
	addTarget := func(n int32) int {
		if t, ok := w.targetOf[n]; ok {
			return t
		}
		w.targets = append(w.targets, n)
		w.targetOf[n] = len(w.targets) - 1
		return len(w.targets) - 1
	}
	natIndex := map[string]int{}
	for i, n := range w.nats {
		natIndex[n] = i
	}
	for _, o := range sc.Origins {
		g := group{id: o.ID, nat: natIndex[o.Nationality], home: int32(w.nodeIndex[o.Node]), elsewhere: -1, elseTarget: -1}
		g.homeTarget = addTarget(g.home)
		if o.Elsewhere != "" {
			g.elsewhere = int32(w.nodeIndex[o.Elsewhere])
			g.elseTarget = addTarget(g.elsewhere)
		}
		g.goalElsewhere = o.Goal == scenario.GoalElsewhere && g.elsewhere >= 0
		w.groups = append(w.groups, g)
	}
	if len(w.groups) > math.MaxUint8 {
		return nil, fmt.Errorf("at most %d origins are supported", math.MaxUint8)
	}
	return w, nil
}

// nodeParams are the parameters of one node in force on one day.
type nodeParams struct {
	food, lodging       float64
	meals, beds         float64
	workChance, wage    float64
	robRisk, robLoss    float64
	kidnapRisk, kidLoss float64
	cbpEligible         bool
	settleShare         float64
	deportSeatsPerDay   float64

	// Compiled for the passes over agents: food + lodging, and the night's
	// chances as thresholds of a 32-bit word (see threshold).
	aidLine              float64
	robT, kidnapT, workT uint64
	// ln(1 − chance) of the stranded's nights, and the gaps' table of the
	// nights they work (stranded.go).
	lnNoWork, lnNoRob, lnNoKidnap float64
	workGaps                      *gapTable
}

// edgeParams are the parameters of one edge in force on one day.
type edgeParams struct {
	open                         bool
	cost, duration               dist
	meanCost, meanDays           float64
	capacity, boatSize           float64
	capsizeRisk, capsizeFatality float64
	deathRisk                    float64
	robRisk, robLoss             float64
	interception                 float64
	interceptToOrigin            bool
}

// originParams are the parameters of one origin group in force on one day.
type originParams struct {
	pool, baseRate, trend               float64
	seasonAmplitude, seasonPeak         float64
	semiannualAmplitude, semiannualPeak float64
	budget                              scenario.Dist
	minBudgetShare, homeShare           float64
}

// paramSet is every parameter in force on one day for one nationality (or,
// for the common set, for everybody: shared capacities are read there).
type paramSet struct {
	nodes     []nodeParams
	edges     []edgeParams
	origins   []originParams
	border    scenario.Border
	behaviour scenario.Behaviour
	costUp    []float64          // costUp[i] = P(smuggler's price ≤ 2^(i/8)): see affordUp
	upTo      *[costGrid]float64 // the grid's budgets (gridBudgets)
	giveUpUp  *giveUpBounds      // the give-up bounds of behaviour's rule (giveUpBound)
}

// affordUp returns an upper bound on the chance that the smuggler's price
// is within budget b, cheaper than the CDF itself: the CDF at the next
// point of a grid of eight points per doubling, costUp[⌈8·log₂ b⌉]. The
// index is found among the grid's budgets (gridBudgets) from the octave of
// b, read from its exponent, in a few comparisons instead of a logarithm.
func (p *paramSet) affordUp(b float64) float64 {
	if !(b >= 1) {
		return p.costUp[0]
	}
	i := 8 * (int(math.Float64bits(b)>>52) - 1023) // ⌈8·log₂ b⌉ ≥ 8·⌊log₂ b⌋
	for i < len(p.upTo) && b > p.upTo[i] {
		i++
	}
	if i >= len(p.costUp) {
		return 1
	}
	return p.costUp[i]
}

// costGrid is the number of points of affordUp's grid.
const costGrid = 8*24 + 1

// gridIndex is ⌈8·log₂ b⌉, affordUp's index of budget b ≥ 1 as math.Log2
// works it out.
func gridIndex(b float64) int { return int(math.Ceil(8 * math.Log2(b))) }

// gridBudgets returns, for each point i of affordUp's grid, the largest
// budget whose gridIndex is at most i, found by bisection over the
// float64s (their bits order them); TestAffordUpAsLogarithm checks that
// affordUp gives gridIndex's point around each of them and at random
// budgets.
func gridBudgets() (t [costGrid]float64) {
	for i := range t {
		lo, hi := math.Float64bits(1), math.Float64bits(math.Exp2(float64(i+1)/8)) // gridIndex(lo) ≤ i < gridIndex(hi)
		for hi-lo > 1 {
			if mid := lo + (hi-lo)/2; gridIndex(math.Float64frombits(mid)) <= i {
				lo = mid
			} else {
				hi = mid
			}
		}
		t[i] = math.Float64frombits(lo)
	}
	return t
}

// paramTables holds the tables compiled parameters look up, made once
// for each value that needs one and shared by every set of parameters
// that has it: the gaps' tables by chance, the give-up bounds by rule, the
// grid's budgets of affordUp and the price's CDF on that grid by the
// smugglers' price distribution.
type paramTables struct {
	gaps   map[float64]*gapTable
	giveUp map[giveUpRule]*giveUpBounds
	grid   *[costGrid]float64
	costUp map[scenario.Dist][]float64
}

// newParamTables returns empty tables.
func newParamTables() *paramTables {
	grid := gridBudgets()
	return &paramTables{gaps: make(map[float64]*gapTable), giveUp: make(map[giveUpRule]*giveUpBounds), grid: &grid,
		costUp: make(map[scenario.Dist][]float64)}
}

// compileParams reads the parameters of an (effective) scenario; tab
// holds the tables made so far, and gets those it lacks.
func compileParams(sc *scenario.Scenario, tab *paramTables) *paramSet {
	p := &paramSet{border: sc.Border.US, behaviour: sc.Behaviour, upTo: tab.grid,
		nodes: make([]nodeParams, 0, len(sc.Nodes)), edges: make([]edgeParams, 0, len(sc.Edges)),
		origins: make([]originParams, 0, len(sc.Origins))}
	rule := ruleOf(&p.behaviour)
	if _, ok := tab.giveUp[rule]; !ok {
		tab.giveUp[rule] = newGiveUpBounds(&p.behaviour)
	}
	p.giveUpUp = tab.giveUp[rule]
	price := sc.Border.US.IrregularCost
	if _, ok := tab.costUp[price]; !ok {
		up := make([]float64, costGrid)
		for i := range up {
			up[i] = price.CDF(math.Exp2(float64(i) / 8))
		}
		tab.costUp[price] = up
	}
	p.costUp = tab.costUp[price]
	for _, n := range sc.Nodes {
		if _, ok := tab.gaps[n.WorkChance]; !ok {
			tab.gaps[n.WorkChance] = newGapTable(n.WorkChance)
		}
		p.nodes = append(p.nodes, nodeParams{
			food: n.FoodCost, lodging: n.LodgingCost, meals: n.Meals, beds: n.Beds,
			workChance: n.WorkChance, wage: n.Wage,
			robRisk: n.RobberyRisk, robLoss: n.RobberyLoss, kidnapRisk: n.KidnapRisk, kidLoss: n.KidnapLoss,
			cbpEligible:       n.CBPOneEligible,
			settleShare:       n.SettleShare,
			deportSeatsPerDay: n.DeportFlightsPerWeek * n.DeportSeatsPerFlight / 7,
			aidLine:           n.FoodCost + n.LodgingCost,
			robT:              threshold(n.RobberyRisk),
			kidnapT:           threshold(n.KidnapRisk),
			workT:             threshold(n.WorkChance),
			lnNoWork:          math.Log1p(-n.WorkChance),
			lnNoRob:           math.Log1p(-n.RobberyRisk),
			lnNoKidnap:        math.Log1p(-n.KidnapRisk),
			workGaps:          tab.gaps[n.WorkChance],
		})
	}
	for _, e := range sc.Edges {
		p.edges = append(p.edges, edgeParams{
			open: e.Open, cost: compileDist(e.Cost), duration: compileDist(e.Duration),
			meanCost: e.Cost.Mean(), meanDays: math.Max(1, e.Duration.Mean()),
			capacity: e.Capacity, boatSize: e.BoatSize,
			capsizeRisk: e.CapsizeRisk, capsizeFatality: e.CapsizeFatality,
			deathRisk: e.DeathRisk, robRisk: e.RobberyRisk, robLoss: e.RobberyLoss,
			interception: e.Interception, interceptToOrigin: e.InterceptionTo == "origin",
		})
	}
	for _, o := range sc.Origins {
		p.origins = append(p.origins, originParams{
			pool: o.Pool, baseRate: o.BaseRate, trend: o.Trend,
			seasonAmplitude: o.SeasonAmplitude, seasonPeak: o.SeasonPeakMonth,
			semiannualAmplitude: o.SemiannualAmplitude, semiannualPeak: o.SemiannualPeakMonth,
			budget: o.Budget, minBudgetShare: o.MinBudgetShare, homeShare: o.HomeShare,
		})
	}
	return p
}
