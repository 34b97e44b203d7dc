package sim

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/migsim/migsim/sim/synth"
)

// The benchmarks run a synthetic scenario (package synth: the corridor's
// rules on a generated graph) of benchAgents agents for benchDays days, a
// whole run per iteration, and report time per agent-step — an agent alive
// in the system for one day — and per agent update (an agent at a node
// stepped by the day's phases). `migsim bench` runs the full-size workloads.
const (
	benchAgents = 200_000
	benchNodes  = 64
	benchDays   = 120
)

// benchRuns runs the benchmark scenario b.N times with the given workers
// and returns the agent-steps, agent updates, wall time and phase times.
func benchRuns(b *testing.B, workers int) (steps, updates int64, wall time.Duration, phases [NumPhases]time.Duration) {
	b.Helper()
	sc, err := synth.Scenario(synth.Config{Agents: benchAgents, Nodes: benchNodes, Days: benchDays, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		m, err := New(sc, Options{Workers: workers})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		began := time.Now()
		r, err := m.Run(context.Background())
		wall += time.Since(began)
		if err != nil {
			b.Fatal(err)
		}
		steps += r.AgentSteps
		updates += r.AgentUpdates
		for p, t := range m.PhaseTimes() {
			phases[p] += t
		}
	}
	return steps, updates, wall, phases
}

// report reports time t spent on the given agent-steps and updates: core
// nanoseconds per agent-step and per update, and agent-steps per second
// per core.
func report(b *testing.B, t time.Duration, cores int, steps, updates int64) {
	ns := float64(t.Nanoseconds()) * float64(cores)
	b.ReportMetric(ns/float64(steps), "ns/agent-step")
	b.ReportMetric(ns/float64(updates), "ns/update")
	b.ReportMetric(float64(steps)/(ns/1e9), "agent-steps/s")
}

// BenchmarkStep is the whole daily step, with 1 and 2 workers.
func BenchmarkStep(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			steps, updates, wall, _ := benchRuns(b, workers)
			report(b, wall, workers, steps, updates)
		})
	}
}

// BenchmarkPhase is each phase of the daily step on one worker: the metrics
// count only the time spent in that phase.
func BenchmarkPhase(b *testing.B) {
	for p := Phase(0); p < NumPhases; p++ {
		b.Run(PhaseNames[p], func(b *testing.B) {
			steps, updates, _, phases := benchRuns(b, 1)
			report(b, phases[p], 1, steps, updates)
		})
	}
}
