package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// progress reports how far a run has got. On a terminal it redraws a bar
// in place at most ten times a second; elsewhere (a log file, a pipe, a
// Slurm job) it writes one plain line at every tenth of the run.
type progress struct {
	w     io.Writer
	start time.Time // date of day 0
	bar   bool      // draw a bar (w is a terminal)
	now   func() time.Time

	mu      sync.Mutex
	began   time.Time // wall time when the run began
	drawn   time.Time // wall time of the last redraw
	tenth   int       // tenths of the run reported so far (plain lines)
	dirty   bool      // a bar is on screen without its newline
	lastLen int       // length of the last bar drawn
}

// newProgress returns a reporter writing to w for a run whose day 0 is
// start. It draws a bar when w is a terminal.
func newProgress(w io.Writer, start time.Time) *progress {
	return &progress{w: w, start: start, bar: isTerminal(w), now: time.Now, began: time.Now()}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

// report is the engine's progress callback: done of total days are
// simulated. It is safe for concurrent use.
func (p *progress) report(done, total int) {
	if total <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if p.bar {
		if done < total && now.Sub(p.drawn) < 100*time.Millisecond {
			return
		}
		p.drawn = now
		p.drawBar(done, total, now)
		return
	}
	tenth := 10 * done / total
	if tenth <= p.tenth {
		return
	}
	p.tenth = tenth
	fmt.Fprintf(p.w, "%s: day %d/%d (%d%%), %s\n", p.date(done), done, total, 100*done/total, p.elapsed(now))
}

// drawBar redraws the bar line in place.
func (p *progress) drawBar(done, total int, now time.Time) {
	const width = 30
	n := width * done / total
	line := fmt.Sprintf("[%s%s] %3d%%  %s  day %d/%d  %s",
		strings.Repeat("#", n), strings.Repeat("-", width-n),
		100*done/total, p.date(done), done, total, p.elapsed(now))
	pad := ""
	if len(line) < p.lastLen {
		pad = strings.Repeat(" ", p.lastLen-len(line))
	}
	p.lastLen = len(line)
	fmt.Fprintf(p.w, "\r%s%s", line, pad)
	p.dirty = true
}

// finish ends the bar's line, if one is on screen.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dirty {
		fmt.Fprintln(p.w)
		p.dirty = false
	}
}

// date returns the calendar date of the last simulated day when done days
// are done.
func (p *progress) date(done int) string {
	return p.start.AddDate(0, 0, max(done-1, 0)).Format(time.DateOnly)
}

// elapsed returns the wall time since the run began, rounded.
func (p *progress) elapsed(now time.Time) string {
	return now.Sub(p.began).Round(100 * time.Millisecond).String()
}
