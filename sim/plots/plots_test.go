package plots

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/migsim/migsim/sim"
)

// testResult is a hand-made run of the given days from 2023-01-01 over
// nodes a, b, c and edges a→b (north, watched), b→a (south, watched) and
// b→c (north, never used).
func testResult(days int) *sim.Result {
	r := &sim.Result{
		Scenario:        "tiny",
		Start:           time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC),
		Days:            days,
		PersonsPerAgent: 1,
		Nodes: []sim.NodeInfo{
			{ID: "a", Name: "Necoclí", Country: "COL", Kind: "hub", Lat: 8.42, Lon: -76.78},
			{ID: "b", Name: "Bajo Chiquito", Country: "PAN", Kind: "crossing", Lat: 8.0, Lon: -77.9},
			{ID: "c", Name: "Panama City", Country: "PAN", Kind: "hub", Lat: 8.98, Lon: -79.52},
		},
		Edges: []sim.EdgeInfo{
			{ID: "ab", From: "a", To: "b", Mode: "foot", Direction: "north", FromIndex: 0, ToIndex: 1},
			{ID: "ba", From: "b", To: "a", Mode: "boat", Direction: "south", FromIndex: 1, ToIndex: 0},
			{ID: "bc", From: "b", To: "c", Mode: "bus", Direction: "north", FromIndex: 1, ToIndex: 2},
		},
		CrossingName: "Darién",
		Northbound:   []int{0},
		Southbound:   []int{1},
		FocusNode:    0,
	}
	for d := 0; d < days; d++ {
		north := int64(1000 + 800*math.Sin(float64(d)/40))
		south := int64(d * d / 400)
		r.Flows = append(r.Flows, []int64{north, south, 0})
		r.Stocks = append(r.Stocks, []sim.Stock{
			{Present: 3 * north, Meals: 2000, Beds: 800, UnmetNeed: max(0, 3*north-2000)},
			{Present: north},
			{},
		})
		tot := make([]float64, len(sim.TotalColumns))
		tot[sim.TotEnteredUSCBPOne] = float64(north / 3)
		tot[sim.TotEnteredUSIrregular] = float64(north / 4)
		tot[sim.TotGaveUp] = float64(south)
		tot[sim.TotArrivedHome] = float64(south / 2)
		tot[sim.TotDied] = 1
		r.Totals = append(r.Totals, tot)
	}
	return r
}

func TestDrawPNG(t *testing.T) {
	dir := t.TempDir()
	paths, err := Draw(dir, testResult(400), "png")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"crossing.png", "focus_node.png", "outcomes.png", "map.png"}
	if len(paths) != len(want) {
		t.Fatalf("Draw wrote %v, want %v", paths, want)
	}
	for i, p := range paths {
		if p != filepath.Join(dir, want[i]) {
			t.Errorf("path %d = %s, want %s", i, p, filepath.Join(dir, want[i]))
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil {
			t.Errorf("%s: not a PNG: %v", p, err)
			continue
		}
		// 10 inches at 144 dpi; time series 5 inches high, the map at
		// least 6.
		if cfg.Width != 1440 {
			t.Errorf("%s: width %d px, want 1440", p, cfg.Width)
		}
		if minH := map[bool]int{true: 864, false: 720}[strings.HasPrefix(filepath.Base(p), "map")]; cfg.Height < minH {
			t.Errorf("%s: height %d px, want at least %d", p, cfg.Height, minH)
		}
		f, _ = os.Open(p)
		_, err = png.Decode(f)
		f.Close()
		if err != nil {
			t.Errorf("%s: decoding: %v", p, err)
		}
	}
}

func TestDrawSVG(t *testing.T) {
	dir := t.TempDir()
	r := testResult(30)
	r.FocusNode = -1 // no focus node: no focus_node figure
	paths, err := Draw(dir, r, "svg")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte("<svg")) {
			t.Errorf("%s: no <svg element", p)
		}
		dec := xml.NewDecoder(bytes.NewReader(b))
		for {
			if _, err := dec.Token(); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Errorf("%s: not well-formed XML: %v", p, err)
				break
			}
		}
	}
	if got := strings.Join(names, ","); got != "crossing.svg,outcomes.svg,map.svg" {
		t.Errorf("files %s, want crossing.svg,outcomes.svg,map.svg", got)
	}
}

func TestDrawErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Draw(dir, testResult(3), "gif"); err == nil || !strings.Contains(err.Error(), `"gif"`) {
		t.Errorf("format gif: err = %v", err)
	}
	r := testResult(3)
	r.Northbound = []int{5}
	if _, err := Draw(dir, r, "png"); err == nil || !strings.Contains(err.Error(), "index 5") {
		t.Errorf("bad crossing edge: err = %v", err)
	}
	r = testResult(3)
	r.Stocks = r.Stocks[:1]
	if _, err := Draw(dir, r, "png"); err == nil {
		t.Error("short stocks: no error")
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Errorf("failed draws wrote %d files", len(es))
	}
	if _, err := Draw(filepath.Join(dir, "missing"), testResult(3), "png"); err == nil {
		t.Error("missing directory: no error")
	}
}

func TestMovingAverage(t *testing.T) {
	got := MovingAverage([]float64{7, 0, 14, 7, 7, 7, 7, 14, 0}, 7)
	// Days 0-5 average what is there; from day 6 on, the last seven.
	want := []float64{7, 3.5, 7, 7, 7, 7, 7, 8, 8}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("MovingAverage[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestTimeTicks(t *testing.T) {
	unix := func(y int, m time.Month, d int) float64 {
		return float64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix())
	}
	cases := []struct {
		days   int
		lo, hi float64
		labels string
		minors int
	}{
		// Five years: labelled years, minor ticks every quarter (3 a year).
		{1826, unix(2021, 1, 1), unix(2025, 12, 31), "2021,2022,2023,2024,2025", 15},
		// Two years from mid-May 2023: quarters labelled with month and
		// year; minor ticks on the other first days of months (24 months
		// from June 2023 to May 2025, less the 8 quarters).
		{731, unix(2023, 5, 15), unix(2025, 5, 14), "Jul 2023,Oct 2023,Jan 2024,Apr 2024,Jul 2024,Oct 2024,Jan 2025,Apr 2025", 16},
		// Three days: every day.
		{3, unix(2023, 12, 30), unix(2024, 1, 1), "30 Dec,31 Dec,1 Jan", 0},
	}
	for _, c := range cases {
		var labels []string
		minors := 0
		for _, tk := range timeTicks(c.days).Ticks(c.lo, c.hi) {
			if tk.Label == "" {
				minors++
			} else {
				labels = append(labels, tk.Label)
			}
			if tk.Value < c.lo || tk.Value > c.hi {
				t.Errorf("%d days: tick at %v outside [%v, %v]", c.days, tk.Value, c.lo, c.hi)
			}
		}
		if got := strings.Join(labels, ","); got != c.labels {
			t.Errorf("%d days: labels %s, want %s", c.days, got, c.labels)
		}
		if minors != c.minors {
			t.Errorf("%d days: %d minor ticks, want %d", c.days, minors, c.minors)
		}
	}
}

func TestCountTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		want   string
	}{
		// About six steps of 1, 2, 2.5 or 5 × 10^k: (hi-lo)/6 = 417k
		// gives steps of 500k.
		{0, 2.5e6, "0|0.5M|1M|1.5M|2M|2.5M"},
		{0, 50000, "0|10k|20k|30k|40k|50k"},
		// Below ten thousand, plain numbers.
		{0, 5000, "0|1,000|2,000|3,000|4,000|5,000"},
		// 7800/6 = 1300: the next round step is 2000.
		{0, 7800, "0|2,000|4,000|6,000"},
		// 1.5/6 = 0.25, a round step.
		{0, 1.5, "0|0.25|0.5|0.75|1|1.25|1.5"},
		// 2600/6 = 433: steps of 500.
		{0, 2600, "0|500|1,000|1,500|2,000|2,500"},
		// 40000/6 = 6667: steps of 10k.
		{-20000, 20000, "-20k|-10k|0|10k|20k"},
	}
	for _, c := range cases {
		var ls []string
		for _, tk := range (countTicks{}).Ticks(c.lo, c.hi) {
			if tk.Label != "" {
				ls = append(ls, tk.Label)
			}
		}
		if got := strings.Join(ls, "|"); got != c.want {
			t.Errorf("ticks on [%v, %v]: %s, want %s", c.lo, c.hi, got, c.want)
		}
	}
}

func TestEdgeWidthAndLegendNumbers(t *testing.T) {
	if w := edgeWidth(400, 400); w != maxEdgeWidth {
		t.Errorf("busiest edge width %v, want %v", w, maxEdgeWidth)
	}
	// A quarter of the persons: half the extra width.
	if w := edgeWidth(100, 400); math.Abs(w-(minEdgeWidth+(maxEdgeWidth-minEdgeWidth)/2)) > 1e-12 {
		t.Errorf("quarter edge width %v", w)
	}
	if w := edgeWidth(0, 400); w != noFlowWidth {
		t.Errorf("unused edge width %v, want %v", w, noFlowWidth)
	}
	for v, want := range map[float64]float64{123456: 120000, 987: 990, 0.0456: 0.046, 15: 15} {
		if got := roundSignificant(v, 2); math.Abs(got-want) > 1e-9*want {
			t.Errorf("roundSignificant(%v, 2) = %v, want %v", v, got, want)
		}
	}
	for v, want := range map[float64]string{1200000: "1.2M", 250000: "250k", 9500: "9,500", 12: "12"} {
		if got := humanCount(v); got != want {
			t.Errorf("humanCount(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestFitLegend(t *testing.T) {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	falling := make([]float64, 100)
	flat := make([]float64, 100)
	for i := range falling {
		falling[i] = float64(100 - i)
		flat[i] = 100
	}

	// Falling data: the right corner is free, the axis stays at the data.
	tp := newTimePlot(start, 100, "t", "y")
	if err := tp.line(falling, "falling", northColor(), 1); err != nil {
		t.Fatal(err)
	}
	tp.figure("x")
	if tp.p.Legend.Left || !tp.p.Legend.Top {
		t.Error("falling series: legend not in the top right corner")
	}
	if tp.p.Y.Max != 100 {
		t.Errorf("falling series: y max %v, want 100 (the data's)", tp.p.Y.Max)
	}

	// Flat data: no free corner; the axis is raised above the data by the
	// legend's share of the height.
	tp = newTimePlot(start, 100, "t", "y")
	for _, name := range []string{"one", "two", "three", "four"} {
		if err := tp.line(flat, name, northColor(), 1); err != nil {
			t.Fatal(err)
		}
	}
	tp.figure("x")
	if !tp.p.Legend.Left {
		t.Error("flat series: legend not in the top left corner")
	}
	// Four entries of about 13 pt in a data area of about 280 pt: the
	// legend takes a fifth to a third of the height.
	if tp.p.Y.Max < 100/(1-0.2) || tp.p.Y.Max > 100/(1-1.0/3) {
		t.Errorf("flat series: y max %v, want between 125 and 150", tp.p.Y.Max)
	}
}
