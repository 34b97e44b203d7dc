package ensemble

import (
	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/plots"
)

// Measure is a daily quantity of a run that ensembles and comparisons draw
// as a band.
type Measure struct {
	// Name is the file-name stem and key of the measure ("crossing_north").
	Name string
	// Label names it in legends and titles.
	Label string
	// YLabel is the y-axis label of its plots.
	YLabel string
	// Series computes the daily values of one run (nil if the run has no such
	// quantity, e.g. no focus node).
	Series func(r *sim.Result) []float64
}

// Cumulative returns the running sum of ys.
func Cumulative(ys []float64) []float64 {
	out := make([]float64, len(ys))
	var s float64
	for i, y := range ys {
		s += y
		out[i] = s
	}
	return out
}

func crossingName(r *sim.Result) string {
	if r.CrossingName != "" {
		return r.CrossingName
	}
	return "watched crossing"
}

func focusStock(r *sim.Result, get func(sim.Stock) float64) []float64 {
	if r.FocusNode < 0 || r.FocusNode >= len(r.Nodes) {
		return nil
	}
	return StockSeries(r, r.FocusNode, StockVariable{Get: get})
}

// Measures returns the measures drawn for an ensemble of r's scenario, in
// order: the crossing each way (7-day mean of persons per day), the focus
// node's population, unmet need and aid capacity, the cumulative outcomes
// and the stranded stock.
func Measures(r *sim.Result) []Measure {
	cr := crossingName(r)
	ms := []Measure{
		{"crossing_north", cr + ", northbound", "persons per day (7-day mean)", func(r *sim.Result) []float64 {
			n, _ := CrossingSeries(r)
			return plots.MovingAverage(n, 7)
		}},
		{"crossing_south", cr + ", southbound", "persons per day (7-day mean)", func(r *sim.Result) []float64 {
			_, s := CrossingSeries(r)
			return plots.MovingAverage(s, 7)
		}},
	}
	if r.FocusNode >= 0 && r.FocusNode < len(r.Nodes) {
		name := r.Nodes[r.FocusNode].Name
		ms = append(ms,
			Measure{"focus_present", "persons present at " + name, "persons", func(r *sim.Result) []float64 {
				return focusStock(r, func(s sim.Stock) float64 { return float64(s.Present) })
			}},
			Measure{"focus_unmet_need", "unmet need at " + name, "persons without food or a bed", func(r *sim.Result) []float64 {
				return focusStock(r, func(s sim.Stock) float64 { return float64(s.UnmetNeed) })
			}},
			Measure{"focus_meals_capacity", "meals capacity at " + name, "meals per day", func(r *sim.Result) []float64 {
				return focusStock(r, func(s sim.Stock) float64 { return s.Meals })
			}},
		)
	}
	cum := func(name, label string, ts ...sim.Total) Measure {
		return Measure{name, label, "persons, cumulative", func(r *sim.Result) []float64 {
			ys := make([]float64, r.Days)
			for _, t := range ts {
				for d, v := range TotalSeries(r, t) {
					ys[d] += v
				}
			}
			return Cumulative(ys)
		}}
	}
	ms = append(ms,
		cum("entered_us", "entered the US (all pathways)", sim.TotEnteredUSCBPOne, sim.TotEnteredUSIrregular, sim.TotEnteredUSAsylum),
		cum("entered_us_cbp_one", "entered the US: CBP One", sim.TotEnteredUSCBPOne),
		cum("entered_us_irregular", "entered the US: irregular", sim.TotEnteredUSIrregular),
		cum("entered_us_asylum", "entered the US: asylum", sim.TotEnteredUSAsylum),
		cum("gave_up", "gave up", sim.TotGaveUp),
		cum("returned_home", "returned home", sim.TotArrivedHome),
		cum("settled_elsewhere", "settled elsewhere", sim.TotArrivedElsewhere),
		cum("died", "died", sim.TotDied),
		Measure{"stranded", "stranded", "persons", func(r *sim.Result) []float64 { return TotalSeries(r, sim.TotStranded) }},
	)
	return ms
}

// MeasureBand returns the band of m over the results, or ok = false if a
// result lacks the measure.
func MeasureBand(m Measure, results []*sim.Result) (b Band, ok bool, err error) {
	series := make([][]float64, len(results))
	for k, r := range results {
		series[k] = m.Series(r)
		if series[k] == nil {
			return Band{}, false, nil
		}
	}
	b, err = BandOf(series)
	return b, err == nil, err
}
