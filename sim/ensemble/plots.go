package ensemble

import (
	"fmt"
	"path/filepath"

	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/bands"
)

// The band figures DrawBands writes (with the format's extension).
const (
	// CrossingBandFigure: the crossing each way, median and 5–95 % band.
	CrossingBandFigure = "crossing_band"
	// FocusBandFigure: persons present and unmet need at the focus node, with
	// its meals capacity.
	FocusBandFigure = "focus_band"
	// OutcomesBandFigure: cumulative outcomes.
	OutcomesBandFigure = "outcomes_band"
)

// DrawBands draws the band figures of a compatible set of results into dir
// as "png" or "svg" and returns the paths written. The focus figure is
// skipped when the scenario has no focus node.
func DrawBands(dir string, results []*sim.Result, format string) ([]string, error) {
	if err := CheckCompatible(results); err != nil {
		return nil, err
	}
	r0 := results[0]
	byName := map[string]Measure{}
	for _, m := range Measures(r0) {
		byName[m.Name] = m
	}
	series := func(names ...string) ([]bands.Series, error) {
		var out []bands.Series
		for i, name := range names {
			m, ok := byName[name]
			if !ok {
				continue
			}
			b, ok, err := MeasureBand(m, results)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			if !ok {
				continue
			}
			s := bands.Series{Label: m.Label, Color: bands.Palette(i), Lo: b.Q05, Mid: b.Q50, Hi: b.Q95}
			if b.Flat() { // a quantity no replicate varies (a capacity): a dashed line
				s.Lo, s.Hi, s.Dashed = nil, nil, true
			}
			out = append(out, s)
		}
		return out, nil
	}
	n := len(results)
	figs := []struct {
		name, title, ylabel string
		measures            []string
	}{
		{CrossingBandFigure, fmt.Sprintf("%s: persons starting the crossing per day, %d replicates", crossingName(r0), n),
			"persons per day (7-day mean)", []string{"crossing_north", "crossing_south"}},
		{FocusBandFigure, fmt.Sprintf("focus node: population, unmet need and meals capacity, %d replicates", n),
			"persons; meals per day", []string{"focus_present", "focus_unmet_need", "focus_meals_capacity"}},
		{OutcomesBandFigure, fmt.Sprintf("Outcomes over time (cumulative), %d replicates", n),
			"persons, cumulative", []string{"entered_us_cbp_one", "entered_us_irregular", "entered_us_asylum", "gave_up", "returned_home", "settled_elsewhere", "died"}},
	}
	if r0.FocusNode >= 0 && r0.FocusNode < len(r0.Nodes) {
		figs[1].title = fmt.Sprintf("%s: population, unmet need and meals capacity, %d replicates", r0.Nodes[r0.FocusNode].Name, n)
	}
	var paths []string
	for _, f := range figs {
		ss, err := series(f.measures...)
		if err != nil {
			return paths, err
		}
		if len(ss) == 0 {
			continue
		}
		path := filepath.Join(dir, f.name+"."+format)
		if err := bands.Save(path, format, bands.Chart{Title: f.title, YLabel: f.ylabel, Start: r0.Start, Series: ss}); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}
