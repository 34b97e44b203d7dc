// Package bands draws ensemble summaries with gonum/plot: daily series as a
// median line inside a shaded band from the 5 % to the 95 % quantile, one
// colour per series, on a calendar axis. Ensembles draw one band per
// quantity; comparisons overlay one band per scenario.
package bands

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/migsim/migsim/sim/report"
)

// Figure size and raster resolution (those of package plots).
const (
	width  = 10 * vg.Inch
	height = 5 * vg.Inch
	pngDPI = 144
)

// Series is one band: for each day, the low (5 %), middle (median) and
// high (95 %) values. A series whose Lo and Hi are nil is drawn as a line
// only.
type Series struct {
	// Label names the series in the legend.
	Label string
	// Color is the line colour; the band is the same colour, translucent.
	// nil picks Palette(i) for the i-th series.
	Color color.Color
	// Dashed draws the median line dashed (for reference lines such as a
	// capacity).
	Dashed bool
	// Lo, Mid and Hi are the daily values; Lo and Hi may be nil.
	Lo, Mid, Hi []float64
}

// Chart is one figure of bands over a calendar period.
type Chart struct {
	// Title and YLabel label the figure.
	Title, YLabel string
	// Start is the date of day 0 of every series.
	Start time.Time
	// Series are drawn in order, bands first, then lines, so that no band
	// hides a median.
	Series []Series
}

// Palette returns the i-th colour of a palette of eight distinguishable
// colours (Okabe–Ito), cycling after eight.
func Palette(i int) color.RGBA {
	p := [...]color.RGBA{
		{R: 0, G: 114, B: 178, A: 255},   // blue
		{R: 213, G: 94, B: 0, A: 255},    // vermilion
		{R: 0, G: 158, B: 115, A: 255},   // bluish green
		{R: 204, G: 121, B: 167, A: 255}, // reddish purple
		{R: 230, G: 159, B: 0, A: 255},   // orange
		{R: 86, G: 180, B: 233, A: 255},  // sky blue
		{R: 0, G: 0, B: 0, A: 255},       // black
		{R: 240, G: 228, B: 66, A: 255},  // yellow
	}
	return p[((i%len(p))+len(p))%len(p)]
}

// translucent returns c with the given opacity (0–255), premultiplied as
// image/color expects.
func translucent(c color.Color, alpha uint8) color.Color {
	r, g, b, _ := c.RGBA()
	a := uint32(alpha)
	return color.RGBA{R: uint8(r >> 8 * a / 255), G: uint8(g >> 8 * a / 255), B: uint8(b >> 8 * a / 255), A: alpha}
}

// Draw builds the plot of c. Every series must have the same, non-zero
// number of days.
func Draw(c Chart) (*plot.Plot, error) {
	if len(c.Series) == 0 {
		return nil, errors.New("bands: chart has no series")
	}
	days := len(c.Series[0].Mid)
	if days == 0 {
		return nil, errors.New("bands: series have no days")
	}
	for _, s := range c.Series {
		if len(s.Mid) != days || (s.Lo != nil && len(s.Lo) != days) || (s.Hi != nil && len(s.Hi) != days) || (s.Lo == nil) != (s.Hi == nil) {
			return nil, fmt.Errorf("bands: series %q: want %d days of median, and both or neither of low and high", s.Label, days)
		}
	}
	p := plot.New()
	p.Title.Text = c.Title
	p.Title.TextStyle.Font.Size = vg.Points(15)
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text = "date"
	p.Y.Label.Text = c.YLabel
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font.Size = vg.Points(12)
		ax.Tick.Label.Font.Size = vg.Points(10)
	}
	p.Legend.TextStyle.Font.Size = vg.Points(10)
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs = vg.Points(8)
	p.Legend.YOffs = -vg.Points(4)
	p.Legend.ThumbnailWidth = vg.Points(28)
	g := plotter.NewGrid()
	g.Vertical.Color = color.RGBA{R: 220, G: 220, B: 220, A: 255}
	g.Horizontal.Color = g.Vertical.Color
	p.Add(g)

	xs := make([]float64, days)
	for d := range xs {
		xs[d] = float64(c.Start.AddDate(0, 0, d).Unix())
	}
	p.X.Min, p.X.Max = xs[0], xs[days-1]
	if days == 1 {
		p.X.Max = xs[0] + 86400
	}
	p.X.Tick.Marker = calendarTicks(days)
	p.Y.Min = math.Min(0, minOf(c.Series))

	polys := make([]*plotter.Polygon, len(c.Series))
	for i, s := range c.Series {
		if s.Lo == nil {
			continue
		}
		col := s.Color
		if col == nil {
			col = Palette(i)
		}
		ring := make(plotter.XYs, 0, 2*days)
		for d := 0; d < days; d++ {
			ring = append(ring, plotter.XY{X: xs[d], Y: s.Lo[d]})
		}
		for d := days - 1; d >= 0; d-- {
			ring = append(ring, plotter.XY{X: xs[d], Y: s.Hi[d]})
		}
		poly, err := plotter.NewPolygon(ring)
		if err != nil {
			return nil, fmt.Errorf("bands: series %q: %w", s.Label, err)
		}
		poly.Color = translucent(col, 64)
		poly.LineStyle.Width = 0
		p.Add(poly)
		polys[i] = poly
	}
	for i, s := range c.Series {
		col := s.Color
		if col == nil {
			col = Palette(i)
		}
		pts := make(plotter.XYs, days)
		for d := range pts {
			pts[d] = plotter.XY{X: xs[d], Y: s.Mid[d]}
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, fmt.Errorf("bands: series %q: %w", s.Label, err)
		}
		l.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(2)}
		if s.Dashed {
			l.LineStyle.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		}
		p.Add(l)
		if s.Label == "" {
			continue
		}
		if polys[i] != nil {
			p.Legend.Add(s.Label+" (median, 5–95 %)", polys[i], l)
		} else {
			p.Legend.Add(s.Label, l)
		}
	}
	return p, nil
}

// minOf returns the smallest value of any series, 0 if none is negative.
func minOf(series []Series) float64 {
	m := 0.0
	for _, s := range series {
		for _, v := range s.Lo {
			m = math.Min(m, v)
		}
		for _, v := range s.Mid {
			m = math.Min(m, v)
		}
	}
	return m
}

// Save draws c and writes it to path as "png" or "svg", atomically (a
// temporary file in the same directory renamed into place).
func Save(path, format string, c Chart) error {
	if format != "png" && format != "svg" {
		return fmt.Errorf("bands: format %q: want png or svg", format)
	}
	p, err := Draw(c)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return SavePlot(path, format, p)
}

// SavePlot writes any plot as Save does: 10 × 5 inches, PNG at 144 dpi or
// SVG, atomically.
func SavePlot(path, format string, p *plot.Plot) error {
	var buf bytes.Buffer
	switch format {
	case "png":
		c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(pngDPI))
		p.Draw(draw.New(c))
		if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
			return fmt.Errorf("bands: %s: %w", path, err)
		}
	case "svg":
		c := vgsvg.New(width, height)
		p.Draw(draw.New(c))
		if _, err := c.WriteTo(&buf); err != nil {
			return fmt.Errorf("bands: %s: %w", path, err)
		}
	default:
		return fmt.Errorf("bands: format %q: want png or svg", format)
	}
	if err := report.WriteFileAtomic(path, buf.Bytes(), true); err != nil {
		return fmt.Errorf("bands: %w", err)
	}
	return nil
}
