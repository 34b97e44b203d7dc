package plots

import (
	"image/color"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// timePlot is a figure of daily series over a period: dates on the x axis
// (calendar ticks through plot.TimeTicks), counts on the y axis from zero,
// and a legend kept clear of the data. Every time-series figure, of one run
// or of an ensemble's bands, is built on one.
type timePlot struct {
	p      *plot.Plot
	xs     []float64   // x of each day: Unix seconds of its midnight UTC
	series [][]float64 // every series drawn, to keep the legend clear of it
	names  []string    // the legend's entries
}

// newTimePlot starts a time-series figure of days days from start.
func newTimePlot(start time.Time, days int, title, ylabel string) *timePlot {
	t := &timePlot{p: newPlot(title, "date", ylabel), xs: dayXs(start, days)}
	t.p.X.Tick.Marker = timeTicks(days)
	t.p.Y.Tick.Marker = countTicks{}
	t.p.Y.Min = 0
	if days > 0 {
		t.p.X.Min, t.p.X.Max = t.xs[0], t.xs[days-1]
	}
	return t
}

// dayXs returns the x coordinate of each of days days from start.
func dayXs(start time.Time, days int) []float64 {
	xs := make([]float64, days)
	for d := range xs {
		xs[d] = float64(start.AddDate(0, 0, d).Unix())
	}
	return xs
}

// line draws the daily series ys as a line of the given colour, width in
// points and dash pattern, with a legend entry name (none if empty).
func (t *timePlot) line(ys []float64, name string, c color.Color, width float64, dashes ...vg.Length) error {
	pts := make(plotter.XYs, len(t.xs))
	for i := range t.xs {
		pts[i].X, pts[i].Y = t.xs[i], ys[i]
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return err
	}
	l.LineStyle = draw.LineStyle{Color: c, Width: vg.Points(width), Dashes: dashes}
	t.p.Add(l)
	t.series = append(t.series, ys)
	if name != "" {
		t.p.Legend.Add(name, l)
		t.names = append(t.names, name)
	}
	return nil
}

// legendLine adds a legend entry for a line style without drawing data.
func (t *timePlot) legendLine(name string, c color.Color, width float64, dashes ...vg.Length) {
	addLegendLine(t.p, name, c, width, dashes...)
	t.names = append(t.names, name)
}

// figure fits the legend and returns the figure to save under name, at the
// standard size.
func (t *timePlot) figure(name string) figure {
	t.fitLegend(figWidth, figHeight)
	return figure{name: name, p: t.p, w: figWidth, h: figHeight}
}

// fitLegend puts the legend in the top corner, left or right, where the data
// beneath it are lowest, and raises the top of the y axis until the data
// there stay below it. Sizes are estimated from the figure size w × h.
func (t *timePlot) fitLegend(w, h vg.Length) {
	n := len(t.xs)
	if len(t.names) == 0 || n == 0 {
		return
	}
	lg := &t.p.Legend
	var textW vg.Length
	for _, s := range t.names {
		textW = max(textW, lg.TextStyle.Width(s))
	}
	entryH := max(lg.TextStyle.Height("Xg"), vg.Points(8)) + lg.Padding
	// The data area is the figure less the title and axes, roughly.
	aw, ah := float64(w)-90, float64(h)-80
	legW := float64(lg.ThumbnailWidth+lg.TextStyle.Width(" ")+textW-lg.XOffs) + 8
	legH := 1.15*float64(entryH)*float64(len(t.names)) + 12
	fw, fh := min(legW/aw, 1), min(legH/ah, 0.8)

	var left, right, all float64
	for _, ys := range t.series {
		for i, y := range ys {
			f := float64(i) / float64(max(n-1, 1))
			all = max(all, y)
			if f <= fw {
				left = max(left, y)
			}
			if f >= 1-fw {
				right = max(right, y)
			}
		}
	}
	side := left
	lg.Top, lg.Left = true, true
	if right < left {
		side = right
		lg.Left = false
		lg.XOffs = -lg.XOffs
	}
	t.p.Y.Max = max(all, side/(1-fh), 1)
}
