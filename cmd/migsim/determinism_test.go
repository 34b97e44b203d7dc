package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The same scenario and seed write byte-identical tables and plots whatever
// the number of workers. The thinned default scenario has enough agents
// (about ten thousand at its peak) to be split into several chunks.
func TestOutputsIdenticalForAnyWorkerCount(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the thinned default scenario three times")
	}
	dir := t.TempDir()
	var first string
	for _, workers := range []string{"1", "2", "8"} {
		out := filepath.Join(dir, "w"+workers)
		code, _, stderr := migsim(t, "run", "--set", "scenario.scale=0.01", "--workers", workers, "--out", out, "--quiet")
		if code != exitOK {
			t.Fatalf("workers=%s: exit %d: %s", workers, code, stderr)
		}
		if first == "" {
			first = out
			continue
		}
		for _, f := range []string{"flows.csv", "stocks.csv", "totals.csv", "nodes.csv", "edges.csv", "crossing.png", "focus_node.png", "outcomes.png", "map.png"} {
			a, errA := os.ReadFile(filepath.Join(first, f))
			b, errB := os.ReadFile(filepath.Join(out, f))
			if errA != nil || errB != nil {
				t.Fatalf("%s: %v %v", f, errA, errB)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("workers=%s: %s differs from workers=1", workers, f)
			}
		}
	}
}
