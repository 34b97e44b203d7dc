package main

import (
	"path/filepath"
	"testing"
)

// The README's main command — the default scenario at full scale, one agent
// per person — runs to the end (a regression test: an agent that had left
// its node was once looked up by a stale node index on a deportation day).
func TestFullScaleDefaultRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the default scenario at full scale")
	}
	out := filepath.Join(t.TempDir(), "full")
	code, _, stderr := migsim(t, "run", "--out", out, "--quiet", "--no-plots")
	if code != exitOK {
		t.Fatalf("full-scale default run: exit %d: %s", code, stderr)
	}
	m := readRunJSON(t, out)
	if m["persons_per_agent"] != float64(1) {
		t.Errorf("persons_per_agent = %v, want 1", m["persons_per_agent"])
	}
}
