package plots

import (
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/scenario"
)

// Line widths of the map, in points.
const (
	minEdgeWidth = 0.8 // an edge that carried a single person
	maxEdgeWidth = 7.0 // the busiest edge
	noFlowWidth  = 0.6
)

// edgeWidth is the line width of an edge that carried persons over the run,
// when the busiest edge carried top: the area of the line grows with the
// persons, so the width grows with their square root.
func edgeWidth(persons, top float64) float64 {
	if persons <= 0 || top <= 0 {
		return noFlowWidth
	}
	return minEdgeWidth + (maxEdgeWidth-minEdgeWidth)*math.Sqrt(persons/top)
}

// mapFigure draws the route network at lon/lat: nodes as labelled points and
// edges as lines whose width grows with the persons who started along them
// over the run, northbound and southbound in two colours. An edge and its
// reverse are drawn side by side, each shifted to the right of its
// direction of travel.
func mapFigure(r *sim.Result) (figure, error) {
	title := "Route network: persons along each edge over the run"
	if r.Days > 0 {
		title = "Route network: persons along each edge, " + r.Date(0).Format("2 Jan 2006") + " to " + r.Date(r.Days-1).Format("2 Jan 2006")
	}
	p := newPlot(title, "longitude (°)", "latitude (°)")
	p.Legend.Left = false

	total := make([]float64, len(r.Edges))
	var top float64
	for _, row := range r.Flows {
		for e, v := range row {
			total[e] += float64(v)
		}
	}
	for _, t := range total {
		top = max(top, t)
	}

	// Extent of the nodes, with room for labels on the right.
	lonMin, lonMax, latMin, latMax := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, n := range r.Nodes {
		lonMin, lonMax = min(lonMin, n.Lon), max(lonMax, n.Lon)
		latMin, latMax = min(latMin, n.Lat), max(latMax, n.Lat)
	}
	if len(r.Nodes) == 0 {
		lonMin, lonMax, latMin, latMax = -1, 1, -1, 1
	}
	span := max(lonMax-lonMin, latMax-latMin, 1)
	p.X.Min, p.X.Max = lonMin-0.06*span, lonMax+0.06*span
	p.Y.Min, p.Y.Max = latMin-0.04*span, latMax+0.04*span
	shift := 0.004 * span
	p.X.Tick.Marker = degreeTicks{}
	p.Y.Tick.Marker = degreeTicks{}

	// Roughly equal degrees on both axes: height from the extent, within
	// sensible bounds.
	w := figWidth
	h := vg.Length(float64(w) * (p.Y.Max - p.Y.Min) / (p.X.Max - p.X.Min))
	h = min(max(h, 6*vg.Inch), 12*vg.Inch)

	// Busiest edges first, so thin lines stay visible on top of thick ones.
	order := make([]int, len(r.Edges))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return total[order[a]] > total[order[b]] })
	for _, e := range order {
		ed := r.Edges[e]
		from, to := r.Nodes[ed.FromIndex], r.Nodes[ed.ToIndex]
		dx, dy := to.Lon-from.Lon, to.Lat-from.Lat
		var ox, oy float64
		if l := math.Hypot(dx, dy); l > 0 {
			ox, oy = shift*dy/l, -shift*dx/l
		}
		l, err := plotter.NewLine(plotter.XYs{{X: from.Lon + ox, Y: from.Lat + oy}, {X: to.Lon + ox, Y: to.Lat + oy}})
		if err != nil {
			return figure{}, err
		}
		l.LineStyle = edgeStyle(ed.Direction, total[e], top)
		p.Add(l)
	}

	pts := make(plotter.XYs, len(r.Nodes))
	for i, n := range r.Nodes {
		pts[i].X, pts[i].Y = n.Lon, n.Lat
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return figure{}, err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
	p.Add(sc)
	if err := addNodeLabels(p, r, total, w, h); err != nil {
		return figure{}, err
	}

	mapLegend(p, top)

	return figure{name: "map", p: p, w: w, h: h}, nil
}

// edgeStyle is the line style of an edge of the given direction that
// carried persons when the busiest edge carried top.
func edgeStyle(direction string, persons, top float64) draw.LineStyle {
	if persons <= 0 {
		return draw.LineStyle{Color: unusedColor(), Width: vg.Points(noFlowWidth), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}
	}
	c := color.RGBA{R: 90, G: 90, B: 90, A: 255}
	switch direction {
	case scenario.North:
		c = northColor()
	case scenario.South:
		c = southColor()
	}
	return draw.LineStyle{Color: c, Width: vg.Points(edgeWidth(persons, top))}
}

// mapLegend explains the colours and, for three round numbers of persons,
// the line widths.
func mapLegend(p *plot.Plot, top float64) {
	addLegendLine(p, "northbound", northColor(), 3)
	addLegendLine(p, "southbound", southColor(), 3)
	addLegendLine(p, "no flow", unusedColor(), noFlowWidth, vg.Points(2), vg.Points(2))
	if top <= 0 {
		return
	}
	grey := color.RGBA{R: 110, G: 110, B: 110, A: 255}
	seen := map[float64]bool{}
	for _, f := range []float64{1, 0.25, 1.0 / 16} {
		v := roundSignificant(top*f, 2)
		if v < 1 || seen[v] {
			continue
		}
		seen[v] = true
		addLegendLine(p, humanCount(v)+" persons", grey, edgeWidth(v, top))
	}
}

// roundSignificant rounds v to n significant digits.
func roundSignificant(v float64, n int) float64 {
	if v == 0 {
		return 0
	}
	e := math.Pow(10, math.Floor(math.Log10(math.Abs(v)))-float64(n-1))
	return math.Round(v/e) * e
}

// humanCount formats a count with a k or M suffix from ten thousand on.
func humanCount(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e6:
		return humanNumber(v, 1e6) + "M"
	case a >= 1e4:
		return humanNumber(v, 1e3) + "k"
	}
	return humanNumber(v, 1)
}

// Label placements around a node's dot.
const (
	labelRight = iota
	labelLeft
	labelAbove
	labelBelow
	numPlacements
)

// labelGap is the distance in points between a dot and its label.
const labelGap = 5

// box is a rectangle in points on the figure.
type box struct{ x0, y0, x1, y1 float64 }

func (a box) overlaps(b box) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }

// addNodeLabels names the nodes of the map without letting names overlap:
// in order of importance (the focus node, then by persons through the
// node), each name goes to the right of, left of, above or below its dot,
// the first of these that overlaps no name already placed and no dot;
// a node with no free place stays unnamed (its dot is still drawn). The
// figure is w × h; positions are estimated from the axes' ranges.
func addNodeLabels(p *plot.Plot, r *sim.Result, total []float64, w, h vg.Length) error {
	through := make([]float64, len(r.Nodes))
	for e, ed := range r.Edges {
		through[ed.FromIndex] += total[e]
		through[ed.ToIndex] += total[e]
	}
	order := make([]int, len(r.Nodes))
	for i := range order {
		order[i] = i
	}
	rank := func(i int) float64 {
		if i == r.FocusNode {
			return math.Inf(1)
		}
		return through[i]
	}
	sort.SliceStable(order, func(a, b int) bool { return rank(order[a]) > rank(order[b]) })

	// The data area is the figure less the axes and title, roughly.
	aw, ah := float64(w)-80, float64(h)-90
	toPt := func(lon, lat float64) (float64, float64) {
		return (lon - p.X.Min) / (p.X.Max - p.X.Min) * aw, (lat - p.Y.Min) / (p.Y.Max - p.Y.Min) * ah
	}
	sty := text.Style{Font: font.From(plot.DefaultFont, vg.Points(9)), Handler: p.TextHandler}
	var taken []box
	for _, n := range r.Nodes {
		x, y := toPt(n.Lon, n.Lat)
		taken = append(taken, box{x - 4, y - 4, x + 4, y + 4})
	}
	var groups [numPlacements]plotter.XYLabels
	for _, i := range order {
		n := r.Nodes[i]
		x, y := toPt(n.Lon, n.Lat)
		tw, th := float64(sty.Width(n.Name)), float64(sty.Height(n.Name))
		cands := [numPlacements]box{
			labelRight: {x + labelGap, y - th/2, x + labelGap + tw, y + th/2},
			labelLeft:  {x - labelGap - tw, y - th/2, x - labelGap, y + th/2},
			labelAbove: {x - tw/2, y + labelGap, x + tw/2, y + labelGap + th},
			labelBelow: {x - tw/2, y - labelGap - th, x + tw/2, y - labelGap},
		}
	place:
		for pl, c := range cands {
			if c.x0 < 0 || c.x1 > aw || c.y0 < 0 || c.y1 > ah {
				continue
			}
			for _, t := range taken {
				if c.overlaps(t) {
					continue place
				}
			}
			taken = append(taken, c)
			groups[pl].XYs = append(groups[pl].XYs, plotter.XY{X: n.Lon, Y: n.Lat})
			groups[pl].Labels = append(groups[pl].Labels, n.Name)
			break
		}
	}
	for pl, g := range groups {
		if len(g.XYs) == 0 {
			continue
		}
		l, err := plotter.NewLabels(g)
		if err != nil {
			return err
		}
		for i := range l.TextStyle {
			st := &l.TextStyle[i]
			st.Font.Size = vg.Points(9)
			switch pl {
			case labelRight:
				st.XAlign, st.YAlign = draw.XLeft, draw.YCenter
			case labelLeft:
				st.XAlign, st.YAlign = draw.XRight, draw.YCenter
			case labelAbove:
				st.XAlign, st.YAlign = draw.XCenter, draw.YBottom
			case labelBelow:
				st.XAlign, st.YAlign = draw.XCenter, draw.YTop
			}
		}
		l.Offset = [numPlacements]vg.Point{
			labelRight: {X: labelGap},
			labelLeft:  {X: -labelGap},
			labelAbove: {Y: labelGap},
			labelBelow: {Y: -labelGap},
		}[pl]
		p.Add(l)
	}
	return nil
}
