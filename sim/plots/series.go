package plots

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot/vg"

	"github.com/migsim/migsim/sim"
)

// crossingFigure plots persons per day through the watched crossing,
// northbound against southbound, daily and as a 7-day mean.
func crossingFigure(r *sim.Result) (figure, error) {
	name := r.CrossingName
	if name == "" {
		name = "Watched crossing"
	}
	t := newTimePlot(r.Start, r.Days, name+": persons starting the crossing per day", "persons per day")
	north := make([]float64, r.Days)
	south := make([]float64, r.Days)
	for d, row := range r.Flows {
		for _, e := range r.Northbound {
			north[d] += float64(row[e])
		}
		for _, e := range r.Southbound {
			south[d] += float64(row[e])
		}
	}
	lines := []struct {
		ys    []float64
		name  string
		c     color.Color
		width float64
	}{
		{north, "", lighter(northColor(), 0.6), 0.7},
		{south, "", lighter(southColor(), 0.6), 0.7},
		{MovingAverage(north, 7), "northbound (7-day mean)", northColor(), 2.2},
		{MovingAverage(south, 7), "southbound (7-day mean)", southColor(), 2.2},
	}
	for _, l := range lines {
		if err := t.line(l.ys, l.name, l.c, l.width); err != nil {
			return figure{}, err
		}
	}
	// Daily values are drawn first (underneath) but listed last.
	t.legendLine("northbound (daily)", lighter(northColor(), 0.6), 0.7)
	t.legendLine("southbound (daily)", lighter(southColor(), 0.6), 0.7)
	return t.figure("crossing"), nil
}

// focusFigure plots the population present at the focus node against its
// meals and beds capacity, and the unmet need.
func focusFigure(r *sim.Result) (figure, error) {
	n := r.Nodes[r.FocusNode]
	t := newTimePlot(r.Start, r.Days, n.Name+": population and aid capacity",
		"persons; meals per day; beds")
	present := make([]float64, r.Days)
	meals := make([]float64, r.Days)
	beds := make([]float64, r.Days)
	unmet := make([]float64, r.Days)
	for d := range r.Stocks {
		s := r.Stocks[d][r.FocusNode]
		present[d] = float64(s.Present)
		meals[d] = s.Meals
		beds[d] = s.Beds
		unmet[d] = float64(s.UnmetNeed)
	}
	if err := t.line(present, "persons present", color.Black, 1.8); err != nil {
		return figure{}, err
	}
	if err := t.line(meals, "meals capacity (per day)", color.RGBA{R: 0, G: 140, B: 72, A: 255}, 1.8, vg.Points(7), vg.Points(3)); err != nil {
		return figure{}, err
	}
	if err := t.line(beds, "beds capacity", color.RGBA{R: 102, G: 44, B: 145, A: 255}, 1.8, vg.Points(2), vg.Points(2)); err != nil {
		return figure{}, err
	}
	if err := t.line(unmet, "unmet need (persons without food or a bed)", color.RGBA{R: 210, G: 30, B: 35, A: 255}, 1.2); err != nil {
		return figure{}, err
	}
	return t.figure("focus_node"), nil
}

// outcomesFigure plots cumulative outcomes: entries into the US by pathway,
// giving up, returns home, settling elsewhere and deaths.
func outcomesFigure(r *sim.Result) (figure, error) {
	t := newTimePlot(r.Start, r.Days, "Outcomes over time (cumulative)", "persons, cumulative")
	series := []struct {
		t      sim.Total
		name   string
		c      color.Color
		dashes []vg.Length
	}{
		{sim.TotEnteredUSCBPOne, "entered the US: CBP One", color.RGBA{R: 24, G: 90, B: 169, A: 255}, nil},
		{sim.TotEnteredUSIrregular, "entered the US: irregular", color.RGBA{R: 90, G: 155, B: 212, A: 255}, nil},
		{sim.TotEnteredUSAsylum, "entered the US: asylum", color.RGBA{R: 0, G: 140, B: 72, A: 255}, nil},
		{sim.TotGaveUp, "gave up", color.RGBA{R: 244, G: 125, B: 35, A: 255}, []vg.Length{vg.Points(6), vg.Points(3)}},
		{sim.TotArrivedHome, "returned home", color.RGBA{R: 162, G: 29, B: 33, A: 255}, []vg.Length{vg.Points(6), vg.Points(3)}},
		{sim.TotArrivedElsewhere, "settled elsewhere", color.RGBA{R: 180, G: 56, B: 148, A: 255}, []vg.Length{vg.Points(2), vg.Points(2)}},
		{sim.TotDied, "died", color.Black, []vg.Length{vg.Points(2), vg.Points(2)}},
	}
	for _, s := range series {
		ys := make([]float64, r.Days)
		var cum float64
		for d := range r.Totals {
			cum += r.Totals[d][s.t]
			ys[d] = cum
		}
		if err := t.line(ys, s.name, s.c, 2, s.dashes...); err != nil {
			return figure{}, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return t.figure("outcomes"), nil
}
