package sim

import (
	"fmt"
	"time"
)

// Result is what one run produced: daily series in persons (agent counts
// multiplied back by the scenario's thinning) and USD. It is plain data:
// package output writes it as CSV and JSON and package plots draws it.
type Result struct {
	// Scenario is the scenario's name, Hash the hex SHA-256 of its source.
	Scenario string
	Hash     string
	// Seed and Workers are those the run used.
	Seed    uint64
	Workers int
	// Start is the date of day 0; Days the number of days.
	Start time.Time
	Days  int
	// PersonsPerAgent is 1/scale: every count below is agents × this.
	PersonsPerAgent int64
	// Nodes and Edges describe the graph, in scenario order.
	Nodes []NodeInfo
	Edges []EdgeInfo
	// Flows[d][e] is the number of persons who started along edge e on day d.
	Flows [][]int64
	// Stocks[d][n] is node n's state at the end of day d.
	Stocks [][]Stock
	// Totals[d][c] is total column c (see TotalColumns) on day d.
	Totals [][]float64
	// Report copies the scenario's watched crossing and focus node.
	CrossingName      string
	Northbound        []int // edge indices
	Southbound        []int // edge indices
	FocusNode         int   // node index, -1 if none
	AgentSteps        int64 // agent-days simulated (agents in the system × days)
	AgentUpdates      int64 // agent updates actually executed
	PeakAgents        int64 // most agents alive in the system on one day
	AgentsCreated     int64
	PolicyChangeDays  int
	RoutingRecomputes int
}

// NodeInfo describes a node in a Result.
type NodeInfo struct {
	ID, Name, Country, Kind string
	Lat, Lon                float64
}

// EdgeInfo describes an edge in a Result.
type EdgeInfo struct {
	ID, From, To, Mode, Direction string
	FromIndex, ToIndex            int
}

// Stock is the state of one node at the end of one day, in persons.
type Stock struct {
	// Present counts everybody at the node (not on an edge).
	Present int64
	// Waiting counts those waiting for a seat, a slot or an appointment.
	Waiting int64
	// Stranded counts those without money to move on.
	Stranded int64
	// Arrivals counts persons who arrived at the node that day.
	Arrivals int64
	// MealsServed and BedsServed count aid given that day.
	MealsServed int64
	BedsServed  int64
	// UnmetNeed counts persons who went without food or a bed that day
	// (person-days).
	UnmetNeed int64
	// Meals and Beds are the aid capacities in force that day.
	Meals float64
	Beds  float64
}

// Total identifies a column of Result.Totals.
type Total int

// The totals columns. States are stocks at the end of the day; events are
// counts during the day; spent_* are USD during the day.
const (
	TotAtHome Total = iota // potential migrants still in the pools
	TotTravelling
	TotAtNode
	TotWaiting
	TotStranded
	TotInUS
	TotReturnedHome
	TotSettledElsewhere
	TotDead
	TotDeparted
	TotEnteredUSCBPOne
	TotEnteredUSIrregular
	TotEnteredUSAsylum
	TotApprehended
	TotExpelled
	TotRemoved
	TotDeportedFlight
	TotInteriorRemoved
	TotLeftUS
	TotGaveUp
	TotArrivedHome
	TotArrivedElsewhere
	TotDied
	TotDiedCapsize
	TotCapsizes // boats that capsized; when thinned, persons aboard them over the boat size
	TotRobbed
	TotKidnapped
	TotIntercepted
	TotCBPRegistered
	TotCBPBooked
	TotCBPVoided
	TotWorked
	TotSpentTransport
	TotSpentSmuggler
	TotSpentBoat
	TotSpentFee
	TotSpentLiving
	TotLostToCrime
	numTotals
)

// TotalColumns are the column names of Result.Totals, indexed by Total.
var TotalColumns = [numTotals]string{
	TotAtHome:             "at_home",
	TotTravelling:         "travelling",
	TotAtNode:             "at_node",
	TotWaiting:            "waiting",
	TotStranded:           "stranded",
	TotInUS:               "in_us",
	TotReturnedHome:       "returned_home",
	TotSettledElsewhere:   "settled_elsewhere",
	TotDead:               "dead",
	TotDeparted:           "departed",
	TotEnteredUSCBPOne:    "entered_us_cbp_one",
	TotEnteredUSIrregular: "entered_us_irregular",
	TotEnteredUSAsylum:    "entered_us_asylum",
	TotApprehended:        "apprehended",
	TotExpelled:           "expelled",
	TotRemoved:            "removed",
	TotDeportedFlight:     "deported_flight",
	TotInteriorRemoved:    "interior_removed",
	TotLeftUS:             "left_us",
	TotGaveUp:             "gave_up",
	TotArrivedHome:        "arrived_home",
	TotArrivedElsewhere:   "arrived_elsewhere",
	TotDied:               "died",
	TotDiedCapsize:        "died_capsize",
	TotCapsizes:           "capsizes",
	TotRobbed:             "robbed",
	TotKidnapped:          "kidnapped",
	TotIntercepted:        "intercepted",
	TotCBPRegistered:      "cbp_one_registered",
	TotCBPBooked:          "cbp_one_booked",
	TotCBPVoided:          "cbp_one_voided",
	TotWorked:             "worked",
	TotSpentTransport:     "spent_transport_usd",
	TotSpentSmuggler:      "spent_smuggler_usd",
	TotSpentBoat:          "spent_boat_usd",
	TotSpentFee:           "spent_fee_usd",
	TotSpentLiving:        "spent_living_usd",
	TotLostToCrime:        "lost_to_crime_usd",
}

// IsMoney reports whether the column is in USD rather than persons.
func (t Total) IsMoney() bool { return t >= TotSpentTransport }

// Date returns the calendar date of day d.
func (r *Result) Date(d int) time.Time { return r.Start.AddDate(0, 0, d) }

// Check reports whether r's tables have the shape its header promises (a
// row per day, a column per edge, node and totals column, indices in
// range), so writers and plots can index them without checking again.
func (r *Result) Check() error {
	if r == nil {
		return fmt.Errorf("no result")
	}
	if r.Days < 0 || len(r.Flows) != r.Days || len(r.Stocks) != r.Days || len(r.Totals) != r.Days {
		return fmt.Errorf("result of %d days has %d rows of flows, %d of stocks and %d of totals",
			r.Days, len(r.Flows), len(r.Stocks), len(r.Totals))
	}
	for d := 0; d < r.Days; d++ {
		if len(r.Flows[d]) != len(r.Edges) {
			return fmt.Errorf("day %d: %d flows for %d edges", d, len(r.Flows[d]), len(r.Edges))
		}
		if len(r.Stocks[d]) != len(r.Nodes) {
			return fmt.Errorf("day %d: %d stocks for %d nodes", d, len(r.Stocks[d]), len(r.Nodes))
		}
		if len(r.Totals[d]) != len(TotalColumns) {
			return fmt.Errorf("day %d: %d totals for %d columns", d, len(r.Totals[d]), len(TotalColumns))
		}
	}
	for _, e := range append(append([]int(nil), r.Northbound...), r.Southbound...) {
		if e < 0 || e >= len(r.Edges) {
			return fmt.Errorf("crossing edge index %d out of range [0,%d)", e, len(r.Edges))
		}
	}
	for i, e := range r.Edges {
		if e.FromIndex < 0 || e.FromIndex >= len(r.Nodes) || e.ToIndex < 0 || e.ToIndex >= len(r.Nodes) {
			return fmt.Errorf("edge %d (%s): node index out of range [0,%d)", i, e.ID, len(r.Nodes))
		}
	}
	if r.FocusNode < -1 || r.FocusNode >= len(r.Nodes) {
		return fmt.Errorf("focus node index %d out of range [-1,%d)", r.FocusNode, len(r.Nodes))
	}
	return nil
}
