package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// `migsim bench --json` on tiny workloads: the counts hang together — every
// agent of the synthetic pool is created on the first days, an agent-step
// is an agent alive for a day so there are at most agents × days of them,
// every update is an agent-step, and the rates are the counts over the
// time.
func TestBenchJSON(t *testing.T) {
	const agents, days = 3000, 20
	code, out, errOut := migsim(t, "bench", "--which", "both", "--scale", "0.01", "--agents", "3000", "--days", "20", "--workers", "2", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rs []benchResult
	if err := json.Unmarshal([]byte(out), &rs); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	if len(rs) != 2 || rs[0].Name != "corridor" || rs[1].Name != "synthetic" {
		t.Fatalf("got %d results: %+v", len(rs), rs)
	}
	for _, r := range rs {
		if r.Workers != 2 || r.Cores < 1 || r.Cores > 2 {
			t.Errorf("%s: workers %d, cores %d", r.Name, r.Workers, r.Cores)
		}
		if r.AgentSteps <= 0 || r.AgentUpdates <= 0 || r.AgentUpdates > r.AgentSteps || r.AgentSteps > r.Agents*int64(r.Days) {
			t.Errorf("%s: %d agents, %d days, %d agent-steps, %d updates", r.Name, r.Agents, r.Days, r.AgentSteps, r.AgentUpdates)
		}
		if r.PeakAgents <= 0 || r.PeakAgents > r.Agents {
			t.Errorf("%s: peak %d of %d agents", r.Name, r.PeakAgents, r.Agents)
		}
		if r.WallSeconds <= 0 {
			t.Fatalf("%s: wall %v", r.Name, r.WallSeconds)
		}
		rate := float64(r.AgentSteps) / r.WallSeconds / float64(r.Cores)
		if d := r.StepsPerSecPerCore/rate - 1; d > 1e-9 || d < -1e-9 {
			t.Errorf("%s: %v agent-steps/s/core, want %v", r.Name, r.StepsPerSecPerCore, rate)
		}
		if ns := r.WallSeconds * 1e9 * float64(r.Cores) / float64(r.AgentSteps); r.NsPerStep/ns-1 > 1e-9 || r.NsPerStep/ns-1 < -1e-9 {
			t.Errorf("%s: %v ns/agent-step, want %v", r.Name, r.NsPerStep, ns)
		}
		if r.StateBytes <= 0 || r.StateBytesPerAgent != float64(r.StateBytes)/float64(r.Agents) {
			t.Errorf("%s: engine state %d bytes, %v per agent", r.Name, r.StateBytes, r.StateBytesPerAgent)
		}
		var phases float64
		for _, s := range r.Phases {
			phases += s
		}
		if phases <= 0 || phases > r.WallSeconds*1.01 {
			t.Errorf("%s: phases add up to %vs of a %vs run", r.Name, phases, r.WallSeconds)
		}
		// The memory is sampled once a day, and that time is left out of
		// the wall time, which the phases (timed inside the steps) fill.
		if r.SamplingSeconds <= 0 || r.SamplingSeconds > r.WallSeconds {
			t.Errorf("%s: memory sampling %vs of a %vs run", r.Name, r.SamplingSeconds, r.WallSeconds)
		}
	}
	if syn := rs[1]; syn.Days != days || syn.Agents < agents*99/100 || syn.Agents > agents {
		t.Errorf("synthetic: %d agents created over %d days, want nearly all %d over %d", syn.Agents, syn.Days, agents, days)
	}
	if cor := rs[0]; cor.Days != 1826 {
		t.Errorf("corridor: %d days, want 2021-2025 (1826)", cor.Days)
	}
}

// The text and Markdown reports name every measure and define the
// agent-step; profiles are written and never overwrite a file.
func TestBenchTextMarkdownAndProfiles(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	args := []string{"bench", "--which", "synthetic", "--agents", "500", "--days", "5"}
	code, out, errOut := migsim(t, append(args, "--cpuprofile", cpu, "--memprofile", mem)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"agent-steps", "agent updates", "wall time", "agent-steps/s/core", "ns/agent-step", "bytes/agent", "peak RSS", "agent-step: one agent alive"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{cpu, mem} {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("profile %s: %v", f, err)
		}
	}
	if code, _, errOut := migsim(t, append(args, "--cpuprofile", cpu)...); code != exitFailure || !strings.Contains(errOut, "exists") {
		t.Errorf("existing profile: exit %d, %q", code, errOut)
	}
	code, out, errOut = migsim(t, append(args, "--markdown")...)
	if code != exitOK {
		t.Fatalf("markdown: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"| workload |", "| synthetic |", "Command: `migsim bench", "GOMAXPROCS", ", PGO "} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
}

// --workers 1,2 runs each workload once per number of workers, in that
// order, and reports the parallel efficiency against the first: core time
// of the first over core time of each, 1 for the first itself.
func TestBenchWorkerList(t *testing.T) {
	code, out, errOut := migsim(t, "bench", "--which", "synthetic", "--agents", "2000", "--days", "10", "--workers", "1,2", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rs []benchResult
	if err := json.Unmarshal([]byte(out), &rs); err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Workers != 1 || rs[1].Workers != 2 {
		t.Fatalf("got %+v", rs)
	}
	if rs[0].Efficiency != 1 {
		t.Errorf("efficiency of the first run %v, want 1", rs[0].Efficiency)
	}
	want := rs[0].WallSeconds * float64(rs[0].Cores) / (rs[1].WallSeconds * float64(rs[1].Cores))
	if d := rs[1].Efficiency/want - 1; d > 1e-9 || d < -1e-9 {
		t.Errorf("efficiency %v, want %v", rs[1].Efficiency, want)
	}
	if rs[0].AgentSteps != rs[1].AgentSteps || rs[0].AgentUpdates != rs[1].AgentUpdates {
		t.Errorf("agent-steps %d and %d, updates %d and %d: the workload changed with the workers",
			rs[0].AgentSteps, rs[1].AgentSteps, rs[0].AgentUpdates, rs[1].AgentUpdates)
	}
}

// --repeat 3 runs each worker count three times: each result is its
// fastest run, with the median of the three wall times, and the
// efficiencies are those of the fastest runs and of the medians.
func TestBenchRepeat(t *testing.T) {
	code, out, errOut := migsim(t, "bench", "--which", "synthetic", "--agents", "2000", "--days", "10", "--workers", "1,2", "--repeat", "3", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rs []benchResult
	if err := json.Unmarshal([]byte(out), &rs); err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 {
		t.Fatalf("got %d results, want one per worker count", len(rs))
	}
	for _, r := range rs {
		if r.Runs != 3 || len(r.WallAll) != 3 {
			t.Fatalf("%d workers: %d runs, %d wall times; want 3", r.Workers, r.Runs, len(r.WallAll))
		}
		w := slices.Sorted(slices.Values(r.WallAll))
		if r.WallSeconds != w[0] || r.WallMedian != w[1] {
			t.Errorf("%d workers: wall %v and median %v of runs %v; want %v and %v", r.Workers, r.WallSeconds, r.WallMedian, r.WallAll, w[0], w[1])
		}
	}
	want := rs[0].WallMedian * float64(rs[0].Cores) / (rs[1].WallMedian * float64(rs[1].Cores))
	if d := rs[1].EfficiencyMedian/want - 1; d > 1e-9 || d < -1e-9 {
		t.Errorf("efficiency of the medians %v, want %v", rs[1].EfficiencyMedian, want)
	}
	if want := rs[0].WallSeconds * float64(rs[0].Cores) / (rs[1].WallSeconds * float64(rs[1].Cores)); math.Abs(rs[1].Efficiency/want-1) > 1e-9 {
		t.Errorf("efficiency %v, want %v", rs[1].Efficiency, want)
	}
}

func TestBenchUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "--which", "everything"},
		{"bench", "--workers", "0"},
		{"bench", "--workers", "1,x"},
		{"bench", "--agents", "0", "--which", "synthetic"},
		{"bench", "--nodes", "3", "--which", "synthetic"},
		{"bench", "--scale", "0.3", "--which", "corridor"},
		{"bench", "--json", "--markdown"},
		{"bench", "--repeat", "0"},
		{"bench", "extra"},
	} {
		if code, _, errOut := migsim(t, args...); code != exitUsage || errOut == "" {
			t.Errorf("migsim %v: exit %d, stderr %q; want %d and a message", args, code, errOut, exitUsage)
		}
	}
}
