package plots

import (
	"image/color"
	"math"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Colours shared by the figures.
func northColor() color.RGBA  { return color.RGBA{R: 24, G: 90, B: 169, A: 255} }
func southColor() color.RGBA  { return color.RGBA{R: 230, G: 110, B: 20, A: 255} }
func gridColor() color.RGBA   { return color.RGBA{R: 220, G: 220, B: 220, A: 255} }
func unusedColor() color.RGBA { return color.RGBA{R: 170, G: 170, B: 170, A: 255} }

// lighter mixes c with white: f = 0 keeps c, f = 1 gives white.
func lighter(c color.RGBA, f float64) color.RGBA {
	mix := func(v uint8) uint8 { return uint8(math.Round(float64(v) + f*(255-float64(v)))) }
	return color.RGBA{R: mix(c.R), G: mix(c.G), B: mix(c.B), A: 255}
}

// newPlot returns a plot with the title, axis labels, fonts and legend
// placement every figure uses.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(15)
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font.Size = vg.Points(12)
		ax.Tick.Label.Font.Size = vg.Points(10)
	}
	p.Legend.TextStyle.Font.Size = vg.Points(11)
	p.Legend.Padding = vg.Points(2)
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.XOffs = vg.Points(8)
	p.Legend.YOffs = -vg.Points(4)
	p.Legend.ThumbnailWidth = vg.Points(28)
	g := plotter.NewGrid()
	g.Vertical.Color = gridColor()
	g.Horizontal.Color = gridColor()
	p.Add(g)
	return p
}

// MovingAverage returns the trailing k-day mean of ys (over the days
// available at the start).
func MovingAverage(ys []float64, k int) []float64 {
	out := make([]float64, len(ys))
	var s float64
	for i, y := range ys {
		s += y
		if i >= k {
			s -= ys[i-k]
		}
		out[i] = s / float64(min(i+1, k))
	}
	return out
}

// calendarStep is a tick interval in calendar units.
type calendarStep struct{ months, days int }

func (s calendarStep) add(t time.Time) time.Time { return t.AddDate(0, s.months, s.days) }

// floor returns the first tick at or before t: the first of a month whose
// index is a multiple of the step for month steps, t's midnight for day
// steps.
func (s calendarStep) floor(t time.Time) time.Time {
	t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if s.months == 0 {
		return t
	}
	m := (int(t.Month()) - 1) / s.months * s.months
	return time.Date(t.Year(), time.Month(m+1), 1, 0, 0, 0, 0, time.UTC)
}

// calendarTicker puts major ticks every major step and minor ticks every
// minor step, on calendar boundaries.
type calendarTicker struct{ major, minor calendarStep }

// Ticks implements plot.Ticker. Major ticks carry a placeholder label that
// plot.TimeTicks replaces with the formatted date.
func (c calendarTicker) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	tlo, thi := time.Unix(int64(math.Floor(lo)), 0).UTC(), time.Unix(int64(math.Ceil(hi)), 0).UTC()
	majors := map[int64]bool{}
	for t := c.major.floor(tlo); !t.After(thi); t = c.major.add(t) {
		if !t.Before(tlo) {
			majors[t.Unix()] = true
			ticks = append(ticks, plot.Tick{Value: float64(t.Unix()), Label: "|"})
		}
	}
	for t := c.minor.floor(tlo); !t.After(thi); t = c.minor.add(t) {
		if !t.Before(tlo) && !majors[t.Unix()] {
			ticks = append(ticks, plot.Tick{Value: float64(t.Unix())})
		}
	}
	return ticks
}

// timeTicks chooses calendar ticks and a date format for a period of the
// given number of days.
func timeTicks(days int) plot.TimeTicks {
	var c calendarTicker
	var layout string
	switch {
	case days <= 14:
		c, layout = calendarTicker{major: calendarStep{days: 1}, minor: calendarStep{days: 1}}, "2 Jan"
	case days <= 62:
		c, layout = calendarTicker{major: calendarStep{days: 7}, minor: calendarStep{days: 1}}, "2 Jan"
	case days <= 400:
		c, layout = calendarTicker{major: calendarStep{months: 1}, minor: calendarStep{days: 7}}, "Jan 2006"
	case days <= 1100:
		c, layout = calendarTicker{major: calendarStep{months: 3}, minor: calendarStep{months: 1}}, "Jan 2006"
	default:
		c, layout = calendarTicker{major: calendarStep{months: 12}, minor: calendarStep{months: 3}}, "2006"
	}
	return plot.TimeTicks{Ticker: c, Format: layout, Time: plot.UTCUnixTime}
}

// niceTicks returns labelled ticks at the multiples of a round step (1, 2,
// 2.5 or 5 × 10^k) that put about n steps across [lo, hi], an unlabelled
// tick halfway between neighbours, and the step. Labels are a placeholder
// for the caller to replace.
func niceTicks(lo, hi float64, n int) ([]plot.Tick, float64) {
	if !(hi > lo) || n < 1 {
		return []plot.Tick{{Value: lo, Label: "|"}}, 1
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw*(1-1e-9) {
			step = m * mag
			break
		}
	}
	eps := 1e-9 * step
	half := step / 2
	var ticks []plot.Tick
	for k := math.Ceil((lo - eps) / half); k*half <= hi+eps; k++ {
		if math.Mod(k, 2) == 0 {
			ticks = append(ticks, plot.Tick{Value: k * half, Label: "|"})
		} else {
			ticks = append(ticks, plot.Tick{Value: k * half})
		}
	}
	return ticks, step
}

// countTicks label about six round values for counts of persons: plain
// below ten thousand, then with a k or M suffix ("250k", "1.5M").
type countTicks struct{}

// Ticks implements plot.Ticker.
func (countTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks, step := niceTicks(lo, hi, 6)
	var top float64
	for _, t := range ticks {
		if t.Label != "" {
			top = max(top, math.Abs(t.Value))
		}
	}
	scale, suffix := 1.0, ""
	switch {
	case top >= 1e6:
		scale, suffix = 1e6, "M"
	case top >= 1e4:
		scale, suffix = 1e3, "k"
	}
	for i := range ticks {
		switch {
		case ticks[i].Label == "":
		case math.Abs(ticks[i].Value) < 1e-6*step:
			ticks[i].Label = "0"
		default:
			ticks[i].Label = humanNumber(ticks[i].Value, scale) + suffix
		}
	}
	return ticks
}

// degreeTicks label about six round values of degrees.
type degreeTicks struct{}

// Ticks implements plot.Ticker.
func (degreeTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks, step := niceTicks(lo, hi, 6)
	for i := range ticks {
		switch {
		case ticks[i].Label == "":
		case math.Abs(ticks[i].Value) < 1e-6*step:
			ticks[i].Label = "0"
		default:
			ticks[i].Label = humanNumber(ticks[i].Value, 1)
		}
	}
	return ticks
}

// humanNumber formats v/scale with at most three decimals, thousands
// separated.
func humanNumber(v, scale float64) string {
	x := math.Round(v/scale*1000) / 1000
	if x == 0 {
		x = 0
	}
	s := strconv.FormatFloat(x, 'f', -1, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// addLegendLine adds a legend entry showing a line style without drawing
// any data.
func addLegendLine(p *plot.Plot, name string, c color.Color, width float64, dashes ...vg.Length) {
	p.Legend.Add(name, &plotter.Line{LineStyle: draw.LineStyle{Color: c, Width: vg.Points(width), Dashes: dashes}})
}
