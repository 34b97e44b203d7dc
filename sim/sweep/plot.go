package sweep

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/migsim/migsim/sim/bands"
	"github.com/migsim/migsim/sim/ensemble"
)

// PlotName is the file (under plots/) of the summary plot of indicator
// against parameter.
func PlotName(indicator, param, format string) string {
	return indicator + "_vs_" + param + "." + format
}

// number reads a sweep.csv field as a number: TRUE and FALSE as 1 and 0;
// ok is false for NA.
func number(s string) (float64, bool) {
	switch s {
	case "TRUE":
		return 1, true
	case "FALSE":
		return 0, true
	case "NA", "":
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && !math.IsNaN(v)
}

// drawSummary draws, for every indicator and parameter, the indicator of
// every successful run against the parameter's value (points), with the
// median over the runs that share a value (a line), into dir.
func drawSummary(dir string, m *Manifest, rows []row, format string) ([]string, error) {
	if format == "" {
		format = "png"
	}
	if format != "png" && format != "svg" {
		return nil, fmt.Errorf("plot format %q: want png or svg", format)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	nP := len(m.Params)
	var files []string
	for i, ind := range m.Indicators {
		for j, prm := range m.Params {
			var pts plotter.XYs
			groups := map[float64][]float64{}
			boolean := true
			for _, r := range rows {
				if r.err != "" {
					continue
				}
				xs := r.fields[1+j]
				if xs != "TRUE" && xs != "FALSE" {
					boolean = false
				}
				x, okx := number(xs)
				y, oky := number(r.fields[nP+3+i])
				if !okx || !oky {
					continue
				}
				pts = append(pts, plotter.XY{X: x, Y: y})
				groups[x] = append(groups[x], y)
			}
			if len(pts) == 0 {
				continue
			}
			xs := make([]float64, 0, len(groups))
			for x := range groups {
				xs = append(xs, x)
			}
			slices.Sort(xs)
			med := make(plotter.XYs, len(xs))
			for k, x := range xs {
				med[k] = plotter.XY{X: x, Y: ensemble.Summarize(groups[x]).Q50}
			}
			p, err := summaryPlot(ind, prm, pts, med, boolean)
			if err != nil {
				return files, fmt.Errorf("plot %s against %s: %w", ind, prm, err)
			}
			path := filepath.Join(dir, PlotName(ind, prm, format))
			if err := bands.SavePlot(path, format, p); err != nil {
				return files, err
			}
			files = append(files, path)
		}
	}
	return files, nil
}

// summaryPlot draws points and the median line.
func summaryPlot(ind, param string, pts, med plotter.XYs, boolean bool) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = ind + " against " + param
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.X.Label.Text = param
	p.Y.Label.Text = ind
	g := plotter.NewGrid()
	g.Vertical.Color = color.RGBA{R: 220, G: 220, B: 220, A: 255}
	g.Horizontal.Color = g.Vertical.Color
	p.Add(g)
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: color.NRGBA{R: 0, G: 114, B: 178, A: 140}, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
	p.Add(sc)
	p.Legend.Add("run", sc)
	line, err := plotter.NewLine(med)
	if err != nil {
		return nil, err
	}
	line.LineStyle = draw.LineStyle{Color: color.RGBA{R: 213, G: 94, B: 0, A: 255}, Width: vg.Points(2)}
	p.Add(line)
	p.Legend.Add("median per value", line)
	p.Legend.Top, p.Legend.Left = true, true
	// Leave a margin so that points at the ends are drawn whole.
	pad := func(ax *plot.Axis) {
		span := ax.Max - ax.Min
		if span == 0 {
			span = math.Max(1, math.Abs(ax.Max))
		}
		ax.Min, ax.Max = ax.Min-0.04*span, ax.Max+0.04*span
	}
	if boolean {
		p.X.Tick.Marker = plot.ConstantTicks([]plot.Tick{{Value: 0, Label: "FALSE"}, {Value: 1, Label: "TRUE"}})
		p.X.Min, p.X.Max = -0.5, 1.5
	} else {
		pad(&p.X)
	}
	pad(&p.Y)
	if strings.HasSuffix(ind, "_usd") {
		p.Y.Label.Text += " (USD)"
	}
	return p, nil
}
