// Package plots draws a run's results with gonum/plot.
//
// Draw writes four figures into a directory:
//
//	crossing.<fmt>    persons per day through the watched crossing, north vs south
//	focus_node.<fmt>  population at the focus node vs its meals and beds capacity
//	outcomes.<fmt>    cumulative outcomes over time
//	map.<fmt>         the route network at lon/lat, line widths by persons carried
//
// Time series share one setup (newTimePlot: calendar ticks, count labels,
// grid, legend), so later figures such as ensemble bands reuse it.
package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/migsim/migsim/sim"
)

// Default figure size and raster resolution.
const (
	figWidth  = 10 * vg.Inch
	figHeight = 5 * vg.Inch
	pngDPI    = 144
)

// figure is one drawn plot waiting to be saved.
type figure struct {
	name string // file name without extension
	p    *plot.Plot
	w, h vg.Length
}

// Draw draws r's figures into dir (which must exist) as "png" or "svg" files
// and returns the paths written, in the order listed in the package
// documentation. focus_node is skipped when r has no focus node. Files are
// written in place: callers that need atomicity draw into a staging
// directory, as package report does.
func Draw(dir string, r *sim.Result, format string) ([]string, error) {
	if format != "png" && format != "svg" {
		return nil, fmt.Errorf("plots: format %q: want png or svg", format)
	}
	if err := r.Check(); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	builders := []struct {
		name  string
		build func(*sim.Result) (figure, error)
	}{
		{"crossing", crossingFigure},
		{"focus_node", focusFigure},
		{"outcomes", outcomesFigure},
		{"map", mapFigure},
	}
	var figs []figure
	for _, b := range builders {
		if b.name == "focus_node" && r.FocusNode < 0 {
			continue
		}
		f, err := b.build(r)
		if err != nil {
			return nil, fmt.Errorf("plots: %s: %w", b.name, err)
		}
		figs = append(figs, f)
	}

	var paths []string
	for _, f := range figs {
		path := filepath.Join(dir, f.name+"."+format)
		if err := save(f, format, path); err != nil {
			return paths, fmt.Errorf("plots: %s: %w", f.name, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// save renders f and writes it to path.
func save(f figure, format, path string) error {
	var buf bytes.Buffer
	switch format {
	case "png":
		img := vgimg.NewWith(vgimg.UseWH(f.w, f.h), vgimg.UseDPI(pngDPI), vgimg.UseBackgroundColor(color.White))
		f.p.Draw(draw.New(img))
		if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
			return err
		}
	case "svg":
		svg := vgsvg.New(f.w, f.h)
		f.p.Draw(draw.New(svg))
		if _, err := svg.WriteTo(&buf); err != nil {
			return err
		}
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
