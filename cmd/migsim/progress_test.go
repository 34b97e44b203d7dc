package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeClock returns a clock that advances by step at every reading.
func fakeClock(step time.Duration) func() time.Time {
	t := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(step)
		return t
	}
}

func TestProgressLines(t *testing.T) {
	var buf bytes.Buffer
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	p := newProgress(&buf, start)
	if p.bar {
		t.Fatal("a bytes.Buffer is taken for a terminal")
	}
	p.now = fakeClock(10 * time.Millisecond)
	p.began = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	const total = 365
	for d := 1; d <= total; d++ {
		p.report(d, total)
	}
	p.finish()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 10 {
		t.Fatalf("got %d lines, want one per tenth (10):\n%s", len(lines), buf.String())
	}
	// The first tenth is reached on day ceil(365/10) = 37, whose date is
	// 2021-01-01 + 36 days = 2021-02-06, after 37 readings of 10 ms (370 ms,
	// shown to the nearest 100 ms).
	if want := "2021-02-06: day 37/365 (10%), 400ms"; lines[0] != want {
		t.Errorf("first line %q, want %q", lines[0], want)
	}
	// The last is day 365, 2021-12-31, after 3.65 s.
	if want := "2021-12-31: day 365/365 (100%), 3.7s"; lines[9] != want {
		t.Errorf("last line %q, want %q", lines[9], want)
	}
}

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	p := newProgress(&buf, start)
	p.bar = true
	p.now = fakeClock(10 * time.Millisecond)
	const total = 1000
	for d := 1; d <= total; d++ {
		p.report(d, total)
	}
	p.finish()
	out := buf.String()
	// 1000 reports 10 ms apart span 10 s: at most one redraw per 100 ms
	// makes at most 100 redraws, plus the final one.
	redraws := strings.Count(out, "\r")
	if redraws < 90 || redraws > 101 {
		t.Errorf("%d redraws for 10 s of reports; want about 100", redraws)
	}
	last := out[strings.LastIndex(out, "\r")+1:]
	if !strings.HasPrefix(last, "[##############################] 100%  2023-09-27  day 1000/1000") {
		t.Errorf("final bar %q", last)
	}
	if !strings.HasSuffix(out, "\n") || strings.Count(out, "\n") != 1 {
		t.Errorf("finish should end the bar's line once: %q", out[len(out)-20:])
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) || isTerminal(&bytes.Buffer{}) {
		t.Error("a regular file or a buffer is taken for a terminal")
	}
}
