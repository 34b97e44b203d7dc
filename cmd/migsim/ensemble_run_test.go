package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// An ensemble writes every replicate and the quantile files; rerunning
// replicate k alone reproduces its files byte for byte.
func TestRunReplicates(t *testing.T) {
	dir := t.TempDir()
	ens := filepath.Join(dir, "ens")
	if code, _, stderr := migsim(t, "run", tinyFile, "--replicates", "3", "--out", ens, "--quiet", "--no-plots"); code != exitOK {
		t.Fatalf("ensemble run = %d: %s", code, stderr)
	}
	for _, f := range []string{"rep-000/totals.csv", "rep-001/totals.csv", "rep-002/totals.csv", "totals_quantiles.csv", "flows_quantiles.csv", "stocks_quantiles.csv"} {
		if _, err := os.Stat(filepath.Join(ens, f)); err != nil {
			t.Errorf("ensemble folder lacks %s: %v", f, err)
		}
	}
	one := filepath.Join(dir, "one")
	if code, _, stderr := migsim(t, "run", tinyFile, "--replicates", "3", "--replicate", "1", "--out", one, "--quiet", "--no-plots"); code != exitOK {
		t.Fatalf("replicate run = %d: %s", code, stderr)
	}
	for _, f := range []string{"totals.csv", "flows.csv", "stocks.csv"} {
		a, errA := os.ReadFile(filepath.Join(ens, "rep-001", f))
		b, errB := os.ReadFile(filepath.Join(one, f))
		if errA != nil || errB != nil {
			t.Fatalf("read %s: %v %v", f, errA, errB)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("--replicate 1 wrote a %s different from the ensemble's rep-001", f)
		}
	}
	other, _ := os.ReadFile(filepath.Join(ens, "rep-000", "totals.csv"))
	mine, _ := os.ReadFile(filepath.Join(one, "totals.csv"))
	if bytes.Equal(other, mine) {
		t.Errorf("replicates 0 and 1 are identical: seeds are not derived per replicate")
	}
	if code, _, _ := migsim(t, "run", tinyFile, "--replicates", "2", "--replicate", "2", "--out", filepath.Join(dir, "x")); code != exitUsage {
		t.Errorf("--replicate 2 of 2 = exit %d, want a usage error", code)
	}
}
