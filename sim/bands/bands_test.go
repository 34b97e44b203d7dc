package bands

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func chart(days int) Chart {
	lo, mid, hi := make([]float64, days), make([]float64, days), make([]float64, days)
	for d := range mid {
		lo[d], mid[d], hi[d] = 0, 50, 100
	}
	return Chart{
		Title: "test", YLabel: "persons", Start: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC),
		Series: []Series{{Label: "a", Lo: lo, Mid: mid, Hi: hi}, {Label: "cap", Mid: hi, Dashed: true}},
	}
}

func TestSavePNGDrawsTheBand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "band.png")
	if err := Save(path, "png", chart(90)); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	// 10 × 5 inches at 144 dpi.
	if got := img.Bounds().Size(); got.X != 1440 || got.Y != 720 {
		t.Errorf("image is %v, want 1440×720", got)
	}
	// The band is Palette(0) = (0,114,178) at opacity 64/255 over white:
	// 255 − (255 − c)·64/255 ≈ (191, 220, 236).
	want := [3]float64{191, 220, 236}
	found := 0
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y += 2 {
		for x := bd.Min.X; x < bd.Max.X; x += 2 {
			r, g, b, _ := img.At(x, y).RGBA()
			if abs(float64(r>>8)-want[0]) <= 3 && abs(float64(g>>8)-want[1]) <= 3 && abs(float64(b>>8)-want[2]) <= 3 {
				found++
			}
		}
	}
	// The band covers roughly the plot area between 0 and 100 on the y axis:
	// a large share of the image, certainly more than 10 000 sampled pixels.
	if found < 10000 {
		t.Errorf("found %d band-coloured pixels, want a filled band", found)
	}
	if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*")); len(matches) != 0 {
		t.Errorf("temporary files left behind: %v", matches)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestSaveSVG(t *testing.T) {
	path := filepath.Join(t.TempDir(), "band.svg")
	if err := Save(path, "svg", chart(3)); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "<svg") || !strings.Contains(string(b), "a (median, 5–95 %)") {
		t.Errorf("SVG lacks the svg element or the legend entry:\n%.300s", b)
	}
}

func TestBadCharts(t *testing.T) {
	dir := t.TempDir()
	bad := chart(5)
	bad.Series[1].Mid = bad.Series[1].Mid[:4]
	for name, c := range map[string]Chart{"no series": {}, "lengths differ": bad, "no days": chart(0)} {
		if _, err := Draw(c); err == nil {
			t.Errorf("%s: Draw accepted it", name)
		}
	}
	if err := Save(filepath.Join(dir, "x.gif"), "gif", chart(5)); err == nil {
		t.Error("Save accepted format gif")
	}
	if err := Save(filepath.Join(dir, "x.png"), "png", bad); err == nil {
		t.Error("Save accepted a bad chart")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed saves left files: %v", entries)
	}
}
