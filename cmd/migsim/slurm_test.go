package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tinySweep is the 8-run sweep of the tiny scenario used by the sweep,
// merge and Slurm tests.
const tinySweep = "testdata/tiny-sweep.toml"

// requireSlurm skips the test when no Slurm cluster answers, except under
// CI=true, where a missing cluster is a failure: CI starts one with
// scripts/local-slurm.sh.
func requireSlurm(t *testing.T) {
	t.Helper()
	out, err := exec.Command("scontrol", "ping").CombinedOutput()
	if err == nil && strings.Contains(string(out), "UP") {
		return
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	msg := fmt.Sprintf("no Slurm cluster: 'scontrol ping' gave %q", first)
	if err != nil {
		msg += " (" + err.Error() + ")"
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s; CI must start one with 'scripts/local-slurm.sh start'", msg)
	}
	t.Skipf("%s; start one with 'sudo scripts/local-slurm.sh start' to run this test", msg)
}

// buildMigsim builds the migsim binary into a temporary folder (Slurm jobs
// run a real executable, not the test binary).
func buildMigsim(t *testing.T) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "migsim")
	cmd := exec.Command("go", "build", "-o", exe, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return exe
}

// finalState reports whether a Slurm job state will not change.
func finalState(s string) bool {
	switch s {
	case "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "SPECIAL_EXIT":
		return true
	}
	return false
}

// waitJobs polls squeue until every task of the jobs has a final state
// and returns the state of each task ("12_0" → "COMPLETED"). A job whose
// dependency can never be satisfied counts as final.
func waitJobs(t *testing.T, timeout time.Duration, ids ...string) map[string]string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		out, err := exec.Command("squeue", "-h", "-t", "all", "-j", strings.Join(ids, ","), "-o", "%i %T %r").CombinedOutput()
		if err != nil {
			t.Fatalf("squeue: %v\n%s", err, out)
		}
		states := map[string]string{}
		pending := false
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			f := strings.Fields(line)
			if len(f) < 2 {
				continue
			}
			states[f[0]] = f[1]
			if !finalState(f[1]) && !(len(f) > 2 && f[2] == "DependencyNeverSatisfied") {
				pending = true
			}
		}
		if len(states) > 0 && !pending {
			return states
		}
		if time.Now().After(deadline) {
			exec.Command("scancel", ids...).Run()
			t.Fatalf("jobs %v not finished after %v:\n%s", ids, timeout, out)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// TestSweepOnSlurm runs the tiny sweep as a real Slurm job array (three
// shards, one per task) with its dependent merge job, and checks that the
// merged sweep.csv equals the single-machine one byte for byte.
func TestSweepOnSlurm(t *testing.T) {
	requireSlurm(t)
	exe := buildMigsim(t)
	tmp := t.TempDir()
	sweepFile, err := filepath.Abs(tinySweep)
	if err != nil {
		t.Fatal(err)
	}

	single := filepath.Join(tmp, "single")
	if out, err := exec.Command(exe, "sweep", sweepFile, "--out", single, "--quiet").CombinedOutput(); err != nil {
		t.Fatalf("single-machine sweep: %v\n%s", err, out)
	}

	dir := filepath.Join(tmp, "slurm")
	cmd := exec.Command(exe, "sweep", sweepFile, "--out", dir, "--slurm", "--submit",
		"--tasks", "3", "--cpus-per-task", "1", "--run-time", "1s")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("sweep --slurm --submit: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	m := regexp.MustCompile(`Submitted array job (\d+) and merge job (\d+)`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("no job ids in:\n%s", stdout.String())
	}
	arrayID, mergeID := m[1], m[2]
	states := waitJobs(t, 3*time.Minute, arrayID, mergeID)
	t.Logf("Slurm jobs: %v", states)
	logs, _ := filepath.Glob(filepath.Join(dir, "slurm-*.out"))
	for task, state := range states {
		if state != "COMPLETED" {
			var all strings.Builder
			for _, l := range logs {
				b, _ := os.ReadFile(l)
				all.WriteString(l + ":\n" + string(b))
			}
			t.Fatalf("job %s ended %s (states %v)\n%s", task, state, states, all.String())
		}
	}
	for i := 0; i < 3; i++ {
		if _, ok := states[arrayID+"_"+strconv.Itoa(i)]; !ok {
			t.Errorf("array task %s_%d not seen; states %v", arrayID, i, states)
		}
	}
	if len(logs) != 4 { // three array tasks and the merge
		t.Errorf("Slurm logs %v, want 4", logs)
	}
	for _, name := range []string{"sweep.csv", "failures.csv"} {
		want, err := os.ReadFile(filepath.Join(single, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("the merge job wrote no %s: %v", name, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s from Slurm differs from the single-machine sweep:\n%s\n---\n%s", name, got, want)
		}
	}
	// The table has the 8 runs.
	if lines := bytes.Count(mustRead(t, filepath.Join(dir, "sweep.csv")), []byte("\n")); lines != 9 {
		t.Errorf("sweep.csv has %d lines, want a header and 8 runs", lines)
	}
	// Merging again by hand gives the same table.
	if out, err := exec.CommandContext(context.Background(), exe, "merge", dir, "--force", "--no-plots").CombinedOutput(); err != nil {
		t.Fatalf("merge: %v\n%s", err, out)
	}
	if !bytes.Equal(mustRead(t, filepath.Join(dir, "sweep.csv")), mustRead(t, filepath.Join(single, "sweep.csv"))) {
		t.Error("a second merge changed sweep.csv")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
