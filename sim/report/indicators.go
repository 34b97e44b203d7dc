package report

import (
	"strconv"

	"github.com/migsim/migsim/sim"
)

// Units of indicators.
const (
	UnitPersons    = "persons"
	UnitPersonDays = "person-days"
	UnitUSD        = "USD"
)

// Indicator is one headline number of a run.
type Indicator struct {
	// Key is the machine name, as used in run.json (e.g. "crossing_north").
	Key string
	// Label is a short human description.
	Label string
	// Unit is UnitPersons, UnitPersonDays or UnitUSD.
	Unit string
	// Value is the number, in Unit.
	Value float64
}

// Indicators computes the headline indicators of a run, in a fixed order:
//
//   - crossing_north, crossing_south: persons who started along the watched
//     crossing's northbound (southbound) edges over the whole run, and
//     crossing_north_<year>, crossing_south_<year> for every calendar year
//     the run touches;
//   - departed, entered_us_cbp_one, entered_us_irregular, entered_us_asylum,
//     expelled, deported_flight, gave_up, died: the sums of those daily
//     totals events over the run;
//   - returned_home and settled_elsewhere: the sums of the arrived_home and
//     arrived_elsewhere events;
//   - stranded_peak: the largest daily stranded total; stranded_person_days
//     its sum over the days;
//   - unmet_need_person_days: unmet need summed over all nodes and days, and
//     unmet_need_<node id> for every node with a meals or beds capacity above
//     zero on any day, in node order;
//   - peak_present_<node id> for the focus node, if any;
//   - spent_<category>_usd and lost_to_crime_usd: money summed over the run.
//
// r must have the shape WriteRun checks (one row per day in Flows, Stocks
// and Totals).
func Indicators(r *sim.Result) []Indicator {
	var ind []Indicator
	add := func(key, label, unit string, v float64) {
		ind = append(ind, Indicator{Key: key, Label: label, Unit: unit, Value: v})
	}
	sumTotal := func(t sim.Total) float64 {
		var s float64
		for d := range r.Totals {
			s += r.Totals[d][t]
		}
		return s
	}
	crossing := r.CrossingName
	if crossing == "" {
		crossing = "watched crossing"
	}

	north, south := crossingSums(r)
	add("crossing_north", crossing+", northbound", UnitPersons, float64(sumInts(north)))
	add("crossing_south", crossing+", southbound", UnitPersons, float64(sumInts(south)))
	for _, y := range years(r) {
		ys := strconv.Itoa(y)
		var n, s int64
		for d := range north {
			if r.Date(d).Year() == y {
				n += north[d]
				s += south[d]
			}
		}
		add("crossing_north_"+ys, crossing+", northbound, "+ys, UnitPersons, float64(n))
		add("crossing_south_"+ys, crossing+", southbound, "+ys, UnitPersons, float64(s))
	}

	add("departed", "departed from home", UnitPersons, sumTotal(sim.TotDeparted))
	add("entered_us_cbp_one", "entered the US with a CBP One appointment", UnitPersons, sumTotal(sim.TotEnteredUSCBPOne))
	add("entered_us_irregular", "entered the US irregularly", UnitPersons, sumTotal(sim.TotEnteredUSIrregular))
	add("entered_us_asylum", "entered the US claiming asylum", UnitPersons, sumTotal(sim.TotEnteredUSAsylum))
	add("expelled", "expelled at the US border", UnitPersons, sumTotal(sim.TotExpelled))
	add("deported_flight", "removed by deportation flights", UnitPersons, sumTotal(sim.TotDeportedFlight))
	add("gave_up", "gave up", UnitPersons, sumTotal(sim.TotGaveUp))
	add("returned_home", "returned home", UnitPersons, sumTotal(sim.TotArrivedHome))
	add("settled_elsewhere", "settled elsewhere", UnitPersons, sumTotal(sim.TotArrivedElsewhere))
	add("died", "died", UnitPersons, sumTotal(sim.TotDied))

	var peak float64
	for d := range r.Totals {
		peak = max(peak, r.Totals[d][sim.TotStranded])
	}
	add("stranded_peak", "most persons stranded on one day", UnitPersons, peak)
	add("stranded_person_days", "stranded", UnitPersonDays, sumTotal(sim.TotStranded))

	unmet := make([]int64, len(r.Nodes))
	aid := make([]bool, len(r.Nodes))
	for d := range r.Stocks {
		for n, s := range r.Stocks[d] {
			unmet[n] += s.UnmetNeed
			if s.Meals > 0 || s.Beds > 0 {
				aid[n] = true
			}
		}
	}
	add("unmet_need_person_days", "unmet need, all nodes", UnitPersonDays, float64(sumInts(unmet)))
	for n, nd := range r.Nodes {
		if aid[n] {
			add("unmet_need_"+nd.ID, "unmet need at "+nd.Name, UnitPersonDays, float64(unmet[n]))
		}
	}
	if f := r.FocusNode; f >= 0 && f < len(r.Nodes) {
		var p int64
		for d := range r.Stocks {
			p = max(p, r.Stocks[d][f].Present)
		}
		add("peak_present_"+r.Nodes[f].ID, "most persons present at "+r.Nodes[f].Name, UnitPersons, float64(p))
	}

	for _, t := range []sim.Total{sim.TotSpentTransport, sim.TotSpentSmuggler, sim.TotSpentBoat, sim.TotSpentFee, sim.TotSpentLiving, sim.TotLostToCrime} {
		add(sim.TotalColumns[t], moneyLabel(t), UnitUSD, sumTotal(t))
	}
	return ind
}

// moneyLabel describes a money indicator.
func moneyLabel(t sim.Total) string {
	switch t {
	case sim.TotSpentTransport:
		return "spent on transport"
	case sim.TotSpentSmuggler:
		return "paid to smugglers"
	case sim.TotSpentBoat:
		return "spent on boats"
	case sim.TotSpentFee:
		return "paid in fees"
	case sim.TotSpentLiving:
		return "spent on living costs"
	case sim.TotLostToCrime:
		return "lost to robbery and kidnapping"
	}
	return sim.TotalColumns[t]
}

// crossingSums returns, per day, the persons who started along the watched
// crossing's northbound and southbound edges.
func crossingSums(r *sim.Result) (north, south []int64) {
	north = make([]int64, len(r.Flows))
	south = make([]int64, len(r.Flows))
	for d, row := range r.Flows {
		for _, e := range r.Northbound {
			north[d] += row[e]
		}
		for _, e := range r.Southbound {
			south[d] += row[e]
		}
	}
	return north, south
}

// years lists the calendar years of the run's days, in order.
func years(r *sim.Result) []int {
	if r.Days <= 0 {
		return nil
	}
	var ys []int
	for y := r.Date(0).Year(); y <= r.Date(r.Days-1).Year(); y++ {
		ys = append(ys, y)
	}
	return ys
}

func sumInts(xs []int64) int64 {
	var s int64
	for _, x := range xs {
		s += x
	}
	return s
}

// formatIndicator formats an indicator's value deterministically: USD with
// two decimals, counts in the shortest exact form.
func formatIndicator(in Indicator) string {
	if in.Unit == UnitUSD {
		return formatUSD(in.Value)
	}
	return formatNumber(in.Value)
}
