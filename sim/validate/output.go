package validate

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/bands"
	"github.com/migsim/migsim/sim/ensemble"
)

// periodWord names a series' period in tables ("month" or "day").
func periodWord(s *Series, n int) string {
	w := "day"
	if s.Monthly {
		w = "month"
	}
	if n != 1 {
		w += "s"
	}
	return w
}

// fmtMetric writes a metric with three decimals (a bar such as 0.35 must
// be told from 0.347), or NA.
func fmtMetric(v float64) string {
	if math.IsNaN(v) {
		return "NA"
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

// fmtPercent writes a fraction as a signed percentage with one decimal.
func fmtPercent(v float64) string {
	if math.IsNaN(v) {
		return "NA"
	}
	return strconv.FormatFloat(100*v, 'f', 1, 64) + " %"
}

// PrintTable writes the comparisons as a plain-text table.
func PrintTable(w io.Writer, cs []*Comparison) error {
	for i, c := range cs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s (%s): %s\n", c.Name, c.Source, c.Quantity)
		fmt.Fprintf(w, "  %d %s compared, %d replicate(s); metrics of the median series\n", len(c.Periods), periodWord(c.Series, len(c.Periods)), len(c.Sim))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  averaged relative difference\t%s\t(%d %s with observations > 0)\n", fmtMetric(c.Median.ARD), c.Median.ARDPoints, periodWord(c.Series, c.Median.ARDPoints))
		fmt.Fprintf(tw, "  error on log counts (RMSE)\t%s\t\n", fmtMetric(c.Median.LogRMSE))
		fmt.Fprintf(tw, "  correlation (Pearson r)\t%s\t\n", fmtMetric(c.Median.Pearson))
		if err := tw.Flush(); err != nil {
			return err
		}
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "  year\tperiods\tobserved\tsimulated median\t5 %%\t95 %%\terror\t\n")
		for _, y := range c.Years {
			fmt.Fprintf(tw, "  %d\t%d\t%s\t%s\t%s\t%s\t%s\t\n", y.Year, y.Periods, thousands(y.Observed), thousands(y.Sim.Q50), thousands(y.Sim.Q05), thousands(y.Sim.Q95), fmtPercent(y.RelErr))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// PrintChecks writes evaluated checks as a plain-text table.
func PrintChecks(w io.Writer, rs []CheckResult) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "check\treported\tsimulated median [5 %%, 95 %%]\tverdict\tsource\n")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%s\t%s [%s, %s]\t%s\t%s\n", r.Label, describeReported(&r.Check),
			formatValue(r.Sim.Q50, r.Statistic), formatValue(r.Sim.Q05, r.Statistic), formatValue(r.Sim.Q95, r.Statistic), r.Verdict(), r.Source)
	}
	return tw.Flush()
}

// csvBytes renders rows (the first is the header) as CSV.
func csvBytes(rows [][]string) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// MetricsCSV returns metrics.csv: one row per series, with the metrics of
// the median series and the mean over replicates of each replicate's log
// error.
func MetricsCSV(cs []*Comparison) ([]byte, error) {
	rows := [][]string{{"series", "quantity", "source", "periods", "replicates", "ard", "ard_points", "log_rmse", "pearson_r", "log_rmse_replicate_mean", "max_abs_annual_error"}}
	for _, c := range cs {
		var m float64
		for _, r := range c.Replicates {
			m += r.LogRMSE
		}
		m /= float64(len(c.Replicates))
		rows = append(rows, []string{c.Name, c.Quantity.String(), c.Source, strconv.Itoa(len(c.Periods)), strconv.Itoa(len(c.Sim)),
			ensemble.Format(c.Median.ARD), strconv.Itoa(c.Median.ARDPoints), ensemble.Format(c.Median.LogRMSE), ensemble.Format(c.Median.Pearson),
			ensemble.Format(m), ensemble.Format(c.MaxAbsYearErr())})
	}
	return csvBytes(rows)
}

// AnnualCSV returns annual.csv: one row per series and year.
func AnnualCSV(cs []*Comparison) ([]byte, error) {
	rows := [][]string{{"series", "year", "periods", "observed", "sim_q05", "sim_q50", "sim_q95", "rel_error"}}
	for _, c := range cs {
		for _, y := range c.Years {
			rows = append(rows, []string{c.Name, strconv.Itoa(y.Year), strconv.Itoa(y.Periods), ensemble.Format(y.Observed),
				ensemble.Format(y.Sim.Q05), ensemble.Format(y.Sim.Q50), ensemble.Format(y.Sim.Q95), ensemble.Format(y.RelErr)})
		}
	}
	return csvBytes(rows)
}

// PeriodsCSV returns periods.csv: one row per series and compared period.
func PeriodsCSV(cs []*Comparison) ([]byte, error) {
	rows := [][]string{{"series", "period", "observed", "sim_q05", "sim_q50", "sim_q95"}}
	for _, c := range cs {
		layout := "2006-01-02"
		if c.Series.Monthly {
			layout = "2006-01"
		}
		for i, p := range c.Periods {
			rows = append(rows, []string{c.Name, p.Format(layout), ensemble.Format(c.Observed[i]),
				ensemble.Format(c.Band.Q05[i]), ensemble.Format(c.Band.Q50[i]), ensemble.Format(c.Band.Q95[i])})
		}
	}
	return csvBytes(rows)
}

// ChecksCSV returns checks.csv: one row per check.
func ChecksCSV(rs []CheckResult) ([]byte, error) {
	rows := [][]string{{"check", "label", "statistic", "from", "to", "reported", "relation", "sim_q05", "sim_q50", "sim_q95", "verdict", "source"}}
	for _, r := range rs {
		rep := "NA"
		if r.Reported != nil {
			rep = ensemble.Format(*r.Reported)
		}
		rows = append(rows, []string{r.Name, r.Label, r.Statistic, r.From.Format("2006-01-02"), r.To.Format("2006-01-02"), rep, r.Relation,
			ensemble.Format(r.Sim.Q05), ensemble.Format(r.Sim.Q50), ensemble.Format(r.Sim.Q95), r.Verdict(), r.Source})
	}
	return csvBytes(rows)
}

// PlotOptions say how a comparison is drawn.
type PlotOptions struct {
	// Cutoff, if not zero, draws a dashed vertical line at the end of the
	// calibration window.
	Cutoff time.Time
}

// Plot draws the observed series of t against the simulated median and
// 90 % band (5–95 %) over the results, over the whole run: each period's
// total drawn as a step across its days, the observed values as points
// joined by a black line.
func Plot(t Target, results []*sim.Result, opt PlotOptions) (*plot.Plot, error) {
	if len(results) == 0 {
		return nil, fmt.Errorf("validate: no runs to plot")
	}
	r0 := results[0]
	frame := Months(r0.Start, r0.Days)
	if !t.Series.Monthly {
		frame = &Series{}
		for d := 0; d < r0.Days; d++ {
			frame.Periods = append(frame.Periods, r0.Start.AddDate(0, 0, d))
			frame.Values = append(frame.Values, 0)
		}
	}
	if len(frame.Periods) == 0 {
		return nil, fmt.Errorf("series %s: the run covers no whole period", t.Name)
	}
	state := t.Quantity.IsState()
	per := make([][]float64, len(results))
	for k, r := range results {
		daily, err := Daily(r, t.Quantity)
		if err != nil {
			return nil, fmt.Errorf("series %s: %w", t.Name, err)
		}
		per[k], _ = Aggregate(daily, r.Start, frame, state)
	}
	band, err := ensemble.BandOf(per)
	if err != nil {
		return nil, err
	}
	// Spread each period's value over its days: a step.
	start := frame.Periods[0]
	days := dayOf(start, frame.PeriodEnd(frame.Periods[len(frame.Periods)-1])) + 1
	step := func(v []float64) []float64 {
		out := make([]float64, days)
		for i, p := range frame.Periods {
			for d := dayOf(start, p); d <= dayOf(start, frame.PeriodEnd(p)); d++ {
				out[d] = v[i]
			}
		}
		return out
	}
	unit := "persons per month"
	if !t.Series.Monthly {
		unit = "persons per day"
	}
	if state {
		unit = "persons (end of month)"
		if !t.Series.Monthly {
			unit = "persons"
		}
	}
	title := fmt.Sprintf("%s: observed (%s) and simulated, %d replicate(s)", t.Name, t.Source, len(results))
	p, err := bands.Draw(bands.Chart{Title: title, YLabel: unit, Start: start, Series: []bands.Series{{
		Label: "simulated", Color: bands.Palette(0),
		Lo: step(band.Q05), Mid: step(band.Q50), Hi: step(band.Q95),
	}}})
	if err != nil {
		return nil, err
	}
	var pts plotter.XYs
	for i, per := range t.Series.Periods {
		mid := per.Add(t.Series.PeriodEnd(per).Add(24*time.Hour).Sub(per) / 2)
		if !t.Series.Monthly {
			mid = per
		}
		if mid.Before(start) || mid.After(start.AddDate(0, 0, days)) {
			continue
		}
		pts = append(pts, plotter.XY{X: float64(mid.Unix()), Y: t.Series.Values[i]})
	}
	if len(pts) > 0 {
		black := color.RGBA{A: 255}
		l, s, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		l.LineStyle = draw.LineStyle{Color: black, Width: vg.Points(1)}
		s.GlyphStyle = draw.GlyphStyle{Color: black, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
		p.Add(l, s)
		p.Legend.Add("observed: "+t.Series.Column, l, s)
	}
	if !opt.Cutoff.IsZero() {
		x := float64(opt.Cutoff.AddDate(0, 0, 1).Unix())
		if x > p.X.Min && x < p.X.Max {
			top := p.Y.Max
			for _, pt := range pts {
				top = math.Max(top, pt.Y)
			}
			l, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: top}})
			if err != nil {
				return nil, err
			}
			l.LineStyle = draw.LineStyle{Color: color.RGBA{R: 120, G: 120, B: 120, A: 255}, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
			p.Add(l)
			p.Legend.Add("end of calibration window ("+opt.Cutoff.Format("2006-01-02")+")", l)
		}
	}
	return p, nil
}

// safeName turns a series name into a file-name stem.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

// FigureName returns the file name (without folder) of a series' plot.
func FigureName(t Target, format string) string { return safeName(t.Name) + "." + format }
