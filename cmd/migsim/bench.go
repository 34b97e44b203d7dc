package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/migsim/migsim/scenarios"
	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/scenario"
	"github.com/migsim/migsim/sim/synth"
)

// benchFlags are the flags of `migsim bench`.
type benchFlags struct {
	which      string
	workers    []int
	agents     int64
	nodes      int
	days       int
	scale      float64
	repeat     int
	cpuProfile string
	memProfile string
	json       bool
	markdown   bool
}

// Definitions printed with the results, so that the numbers cannot be read
// as something else.
const (
	defAgentStep = "agent-step: one agent alive in the system (at a node, on an edge or in the US) for one simulated day; " +
		"agents still at home are pool counts and the settled, returned and dead are finished, so neither counts"
	defUpdate = "agent update: one agent at a node stepped by the day's phases (decisions, night); " +
		"agents on an edge or in the US are not touched until their arrival or departure day"
	defPerCore = "per core: divided by the cores used, min(workers, GOMAXPROCS); ns/agent-step is core time (wall × cores / agent-steps); " +
		"CPU time is the process's user and system time during the run (getrusage), which other programs on the machine do not inflate; " +
		"wall and CPU times leave out the bench's own sampling of memory between days (reported beside them); " +
		"parallel efficiency: the first worker count's core time over this one's (wall × cores), for runs of one workload with several --workers; " +
		"with --repeat, each worker count runs that many times, in turns, and the figures are those of its fastest run, the median wall time beside them"
	defMemory = "engine state: the capacity of every slice of the model (agents, lists, queues, buffers), peak over the run, per agent created; " +
		"peak RSS: the process's resident high-water mark (VmHWM, reset before each run), which includes the Go runtime, garbage not yet collected and the Result's daily series"
)

// newBenchCmd builds `migsim bench`.
func newBenchCmd() *cobra.Command {
	var f benchFlags
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure the engine's speed and memory",
		Long: `Measure the engine's speed and memory on two workloads:

  corridor   the embedded default scenario (americas, 2021-2025) at the scale
             of --scale (1: one agent per person);
  synthetic  --agents agents who all leave home at the start and move on a
             generated layered route graph of --nodes nodes for --days days,
             under exactly the corridor model's rules (boats with capacities,
             the trek, aid, the border with CBP One, the US interior, giving
             up and going back, policies).

For each it prints agents, agent-steps, agent updates, wall time, agent-steps
per second per core, nanoseconds per agent-step and per update, peak memory
(engine state and resident set) per agent, the workers used and the time
spent in each phase of the daily step.

An agent-step is one agent alive in the system for one day (at a node, on an
edge or in the US); an agent update is one agent at a node stepped by the
day's phases. Nothing is written but the profiles asked for.`,
		Example: `  migsim bench
  migsim bench --which corridor --workers 2
  migsim bench --which synthetic --agents 1000000 --days 120 --cpuprofile cpu.prof
  migsim bench --which both --markdown`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error { return runBench(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.which, "which", "both", "workloads to run: corridor, synthetic or both")
	fl.IntSliceVar(&f.workers, "workers", []int{runtime.NumCPU()}, "numbers of goroutines stepping agents: each workload runs once per number, e.g. 1,2 (parallel efficiency is reported against the first)")
	fl.Int64Var(&f.agents, "agents", synth.Default().Agents, "agents of the synthetic scenario")
	fl.IntVar(&f.nodes, "nodes", synth.Default().Nodes, fmt.Sprintf("nodes of the synthetic route graph (at least %d)", synth.MinNodes))
	fl.IntVar(&f.days, "days", synth.Default().Days, "days of the synthetic scenario (the corridor runs its own 2021-2025)")
	fl.Float64Var(&f.scale, "scale", 1, "scale of the corridor scenario: the fraction of persons simulated as agents (1/scale a whole number)")
	fl.IntVar(&f.repeat, "repeat", 1, "runs of each workload and worker count, in turns; the fastest is reported, with the median wall time (for a machine whose speed varies)")
	fl.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the runs to `FILE` (go tool pprof)")
	fl.StringVar(&f.memProfile, "memprofile", "", "write a heap profile, taken at the end of the last run, to `FILE`")
	fl.BoolVar(&f.json, "json", false, "print the results as JSON")
	fl.BoolVar(&f.markdown, "markdown", false, "print the results as a Markdown section (machine, commands, tables), as in docs/performance.md")
	return cmd
}

// benchResult is the measurement of one workload.
type benchResult struct {
	Name               string             `json:"name"`
	Scenario           string             `json:"scenario"`
	Setup              string             `json:"setup"`
	Days               int                `json:"days"`
	Workers            int                `json:"workers"`
	Cores              int                `json:"cores"`
	Agents             int64              `json:"agents"`
	PeakAgents         int64              `json:"peak_agents"`
	AgentSteps         int64              `json:"agent_steps"`
	AgentUpdates       int64              `json:"agent_updates"`
	WallSeconds        float64            `json:"wall_seconds"`
	CPUSeconds         float64            `json:"cpu_seconds"`
	SamplingSeconds    float64            `json:"memory_sampling_seconds"`
	CPUNsPerStep       float64            `json:"cpu_ns_per_agent_step"`
	StepsPerSecPerCore float64            `json:"agent_steps_per_second_per_core"`
	NsPerStep          float64            `json:"ns_per_agent_step"`
	NsPerUpdate        float64            `json:"ns_per_agent_update"`
	StateBytes         int64              `json:"engine_state_bytes_peak"`
	StateParts         map[string]int64   `json:"engine_state_parts_at_peak"`
	StateBytesPerAgent float64            `json:"engine_state_bytes_per_agent"`
	HeapBytes          uint64             `json:"go_heap_bytes_peak"`
	GoBytes            uint64             `json:"go_runtime_bytes_peak"`
	RSSBytes           int64              `json:"peak_rss_bytes"`
	RSSBytesPerAgent   float64            `json:"peak_rss_bytes_per_agent"`
	Phases             map[string]float64 `json:"phase_seconds"`
	Efficiency         float64            `json:"parallel_efficiency,omitempty"`
	Runs               int                `json:"runs"`
	WallAll            []float64          `json:"wall_seconds_of_each_run"`
	WallMedian         float64            `json:"wall_seconds_median"`
	EfficiencyMedian   float64            `json:"parallel_efficiency_of_medians,omitempty"`
	LoadBefore         string             `json:"load_average_before"`
}

// runBench carries out `migsim bench`.
func runBench(cmd *cobra.Command, f benchFlags) error {
	stdout := cmd.OutOrStdout()
	var which []string
	switch f.which {
	case "corridor", "synthetic":
		which = []string{f.which}
	case "both":
		which = []string{"corridor", "synthetic"}
	default:
		return usageError(fmt.Errorf("--which must be corridor, synthetic or both, not %q", f.which))
	}
	if len(f.workers) == 0 {
		return usageError(errors.New("--workers needs at least one number"))
	}
	if f.repeat < 1 {
		return usageError(fmt.Errorf("--repeat must be at least 1, not %d", f.repeat))
	}
	for _, w := range f.workers {
		if w < 1 {
			return usageError(fmt.Errorf("--workers must be at least 1, not %d", w))
		}
	}
	if f.json && f.markdown {
		return usageError(errors.New("--json and --markdown exclude each other"))
	}
	if f.cpuProfile != "" && f.cpuProfile == f.memProfile {
		return usageError(errors.New("--cpuprofile and --memprofile name the same file"))
	}
	// Build every scenario first, so that a bad flag fails before any run.
	scs := make([]*scenario.Scenario, len(which))
	setups := make([]string, len(which))
	for i, w := range which {
		var err error
		scs[i], setups[i], err = benchScenario(w, f)
		if err != nil {
			return usageError(err)
		}
	}

	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if f.cpuProfile != "" {
		pf, err := createNew(f.cpuProfile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return fmt.Errorf("start CPU profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	var results []benchResult
	for i, w := range which {
		// Worker counts take turns, so that a spell when the machine is
		// slow does not fall on one of them only.
		best := make([]benchResult, len(f.workers))
		walls := make([][]float64, len(f.workers))
		for rep := range f.repeat {
			for j, workers := range f.workers {
				if !f.json && !f.markdown {
					fmt.Fprintf(cmd.ErrOrStderr(), "bench: running %s (%s) with %d workers (run %d of %d)…\n", w, setups[i], workers, rep+1, f.repeat)
				}
				r, err := benchOne(ctx, w, setups[i], scs[i], workers)
				if ctx.Err() != nil {
					return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
				}
				if err != nil {
					return err
				}
				walls[j] = append(walls[j], r.WallSeconds)
				if rep == 0 || r.WallSeconds < best[j].WallSeconds {
					best[j] = r
				}
				if i == len(which)-1 && j == len(f.workers)-1 && rep == f.repeat-1 && f.memProfile != "" {
					if err := writeHeapProfile(f.memProfile); err != nil {
						return err
					}
				}
			}
		}
		for j := range f.workers {
			r := best[j]
			r.Runs, r.WallAll, r.WallMedian = len(walls[j]), walls[j], median(walls[j])
			if len(f.workers) > 1 {
				b := best[0]
				r.Efficiency = b.WallSeconds * float64(b.Cores) / (r.WallSeconds * float64(r.Cores))
				r.EfficiencyMedian = median(walls[0]) * float64(b.Cores) / (r.WallMedian * float64(r.Cores))
			}
			results = append(results, r)
		}
	}
	switch {
	case f.json:
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(results)
	case f.markdown:
		return printBenchMarkdown(stdout, results, f)
	}
	printBenchText(stdout, results)
	return nil
}

// median returns the median of xs (the mean of the middle two for an even
// count).
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// benchScenario builds the scenario of workload w and describes its setup.
func benchScenario(w string, f benchFlags) (*scenario.Scenario, string, error) {
	if w == "corridor" {
		if !(f.scale > 0 && f.scale <= 1) {
			return nil, "", fmt.Errorf("--scale must be more than 0 and at most 1, not %g", f.scale)
		}
		file, ok := scenarios.Lookup("americas")
		if !ok {
			return nil, "", errors.New("the embedded americas scenario is missing")
		}
		sc, err := scenario.LoadFS(scenarios.FS(), file)
		if err != nil {
			return nil, "", fmt.Errorf("corridor scenario: %w", err)
		}
		if err := errors.Join(sc.ApplySets([]string{"scenario.scale=" + strconv.FormatFloat(f.scale, 'g', -1, 64)}), sc.Validate()); err != nil {
			return nil, "", fmt.Errorf("--scale: %w", err)
		}
		setup := fmt.Sprintf("%s %s to %s, scale %g", sc.Meta.Name, sc.Meta.Start.Format("2006-01-02"), sc.Meta.End.Format("2006-01-02"), f.scale)
		return sc, setup, nil
	}
	cfg := synth.Config{Agents: f.agents, Nodes: f.nodes, Days: f.days, Seed: 1}
	sc, err := synth.Scenario(cfg)
	if err != nil {
		return nil, "", fmt.Errorf("--agents, --nodes, --days: %w", err)
	}
	setup := fmt.Sprintf("%d agents, %d nodes, %d edges, %d days", f.agents, len(sc.Nodes), len(sc.Edges), f.days)
	return sc, setup, nil
}

// benchOne runs one workload and measures it.
func benchOne(ctx context.Context, name, setup string, sc *scenario.Scenario, workers int) (benchResult, error) {
	// Start from a clean heap and a fresh resident high-water mark, so the
	// peak is this run's.
	runtime.GC()
	debug.FreeOSMemory()
	resetPeakRSS()
	load := loadAverage()
	mem := newMemSampler()
	var (
		m     *sim.Model
		state int64
	)
	// Sampling is done every day so that the peak is not missed. It is
	// the bench's work, not the engine's, and its time is taken out of the
	// wall and CPU times (and reported): about 30 µs a day on the
	// corridor and 0.3 ms a day at 10 M agents (the waiting room's
	// thousands of batches, each with its buffers), 0.05–0.07 and 0.09–0.14
	// s of the runs as measured.
	var (
		parts                 []sim.MemoryPart
		sampling, samplingCPU time.Duration
	)
	sample := func(_, _ int) {
		began, cpu := time.Now(), cpuTime()
		mem.sample()
		if n := m.StateBytes(); n > state {
			state, parts = n, m.Memory()
		}
		sampling += time.Since(began)
		samplingCPU += cpuTime() - cpu
	}
	m, err := sim.New(sc, sim.Options{Workers: workers, Progress: sample})
	if err != nil {
		return benchResult{}, fmt.Errorf("%s: %w", name, err)
	}
	cpu0 := cpuTime()
	began := time.Now()
	res, err := m.Run(ctx)
	wall := time.Since(began) - sampling
	cpu := cpuTime() - cpu0 - samplingCPU
	if err != nil {
		return benchResult{}, fmt.Errorf("%s: %w", name, err)
	}
	days := sc.Days()
	cores := min(workers, runtime.GOMAXPROCS(0))
	r := benchResult{
		Name: name, Scenario: sc.Meta.Name, Setup: setup, Days: days, Workers: workers, Cores: cores,
		Agents: res.AgentsCreated, PeakAgents: res.PeakAgents, AgentSteps: res.AgentSteps, AgentUpdates: res.AgentUpdates,
		WallSeconds: wall.Seconds(), CPUSeconds: cpu.Seconds(), SamplingSeconds: sampling.Seconds(), StateBytes: state, HeapBytes: mem.heap, GoBytes: mem.total, RSSBytes: peakRSS(),
		Phases: map[string]float64{}, StateParts: map[string]int64{}, LoadBefore: load,
	}
	for _, p := range parts {
		r.StateParts[p.Name] = p.Bytes
	}
	coreNs := float64(wall.Nanoseconds()) * float64(cores)
	if r.AgentSteps > 0 {
		r.StepsPerSecPerCore = float64(r.AgentSteps) / wall.Seconds() / float64(cores)
		r.NsPerStep = coreNs / float64(r.AgentSteps)
		r.CPUNsPerStep = float64(cpu.Nanoseconds()) / float64(r.AgentSteps)
	}
	if r.AgentUpdates > 0 {
		r.NsPerUpdate = coreNs / float64(r.AgentUpdates)
	}
	if r.Agents > 0 {
		r.StateBytesPerAgent = float64(r.StateBytes) / float64(r.Agents)
		r.RSSBytesPerAgent = float64(r.RSSBytes) / float64(r.Agents)
	}
	for p, t := range m.PhaseTimes() {
		r.Phases[sim.PhaseNames[p]] = t.Seconds()
	}
	return r, nil
}

// memSampler keeps the high-water marks of the Go runtime's memory.
type memSampler struct {
	samples     []metrics.Sample
	heap, total uint64
}

func newMemSampler() *memSampler {
	return &memSampler{samples: []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/total:bytes"},
	}}
}

func (s *memSampler) sample() {
	metrics.Read(s.samples)
	if v := s.samples[0].Value; v.Kind() == metrics.KindUint64 {
		s.heap = max(s.heap, v.Uint64())
	}
	if v := s.samples[1].Value; v.Kind() == metrics.KindUint64 {
		s.total = max(s.total, v.Uint64())
	}
}

// resetPeakRSS resets the process's resident high-water mark (Linux; a
// no-op elsewhere or where it is not allowed).
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSS returns the process's resident high-water mark in bytes (VmHWM,
// Linux), or 0 where it cannot be read.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kb * 1024
		}
	}
	return 0
}

// createNew creates a file that must not exist yet (profiles never
// overwrite a file).
func createNew(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	return f, nil
}

// writeHeapProfile writes the heap profile to a new file.
func writeHeapProfile(path string) error {
	f, err := createNew(path)
	if err != nil {
		return err
	}
	runtime.GC() // up-to-date in-use figures
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return fmt.Errorf("write heap profile: %w", err)
	}
	return f.Close()
}

// si formats n with a metric suffix.
func si(n float64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.2f G", n/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.2f M", n/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.2f k", n/1e3)
	}
	return fmt.Sprintf("%.0f ", n)
}

// mib formats a byte count in MiB.
func mib(b float64) string { return fmt.Sprintf("%.1f MiB", b/(1<<20)) }

// stateShares lists the parts of the engine state at its peak, in bytes
// per agent, largest first.
func stateShares(r benchResult) string {
	names := make([]string, 0, len(r.StateParts))
	for name := range r.StateParts {
		names = append(names, name)
	}
	slices.SortFunc(names, func(x, y string) int {
		if c := cmp.Compare(r.StateParts[y], r.StateParts[x]); c != 0 {
			return c
		}
		return strings.Compare(x, y)
	})
	var parts []string
	for _, name := range names {
		if b := r.StateParts[name]; b > 0 && r.Agents > 0 {
			parts = append(parts, fmt.Sprintf("%s %.1f", name, float64(b)/float64(r.Agents)))
		}
	}
	return strings.Join(parts, ", ")
}

// phaseShares lists the phases with their share of the wall time.
func phaseShares(r benchResult) string {
	var parts []string
	for _, name := range sim.PhaseNames {
		t := r.Phases[name]
		if r.WallSeconds > 0 {
			parts = append(parts, fmt.Sprintf("%s %.2fs (%.0f%%)", name, t, 100*t/r.WallSeconds))
		}
	}
	return strings.Join(parts, ", ")
}

// secondsList formats wall times in seconds.
func secondsList(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.2f", x)
	}
	return strings.Join(parts, ", ")
}

// printBenchText prints the results for a reader.
func printBenchText(w io.Writer, results []benchResult) {
	for _, r := range results {
		fmt.Fprintf(w, "%s: %s, %d workers (%d cores), load average before %s\n", r.Name, r.Setup, r.Workers, r.Cores, r.LoadBefore)
		fmt.Fprintf(w, "  agents created       %d (peak alive %d)\n", r.Agents, r.PeakAgents)
		fmt.Fprintf(w, "  agent-steps          %d\n", r.AgentSteps)
		fmt.Fprintf(w, "  agent updates        %d\n", r.AgentUpdates)
		fmt.Fprintf(w, "  wall time            %.3f s (CPU time %.3f s; the bench's memory sampling between days, %.3f s, not counted)\n", r.WallSeconds, r.CPUSeconds, r.SamplingSeconds)
		if r.Runs > 1 {
			fmt.Fprintf(w, "  runs                 %d: the fastest above; median wall time %.3f s (%s)\n", r.Runs, r.WallMedian, secondsList(r.WallAll))
		}
		fmt.Fprintf(w, "  agent-steps/s/core   %sagent-steps/s\n", si(r.StepsPerSecPerCore))
		fmt.Fprintf(w, "  ns/agent-step        %.2f (per update %.1f; CPU ns/agent-step %.2f)\n", r.NsPerStep, r.NsPerUpdate, r.CPUNsPerStep)
		fmt.Fprintf(w, "  engine state peak    %s (%.1f bytes/agent: %s)\n", mib(float64(r.StateBytes)), r.StateBytesPerAgent, stateShares(r))
		fmt.Fprintf(w, "  Go heap peak         %s (runtime total %s)\n", mib(float64(r.HeapBytes)), mib(float64(r.GoBytes)))
		fmt.Fprintf(w, "  peak RSS (VmHWM)     %s (%.1f bytes/agent)\n", mib(float64(r.RSSBytes)), r.RSSBytesPerAgent)
		fmt.Fprintf(w, "  phases               %s\n", phaseShares(r))
		if r.Efficiency > 0 {
			fmt.Fprintf(w, "  parallel efficiency  %.0f%% (against the first worker count of this workload)", 100*r.Efficiency)
			if r.Runs > 1 {
				fmt.Fprintf(w, "; of the median wall times %.0f%%", 100*r.EfficiencyMedian)
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "\n%s\n%s\n%s\n%s\n", defAgentStep, defUpdate, defPerCore, defMemory)
}

// loadAverage returns the machine's 1-, 5- and 15-minute load averages
// (Linux), or "" where they cannot be read: the other programs running
// while a benchmark runs.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// cpuModel returns the CPU model name from /proc/cpuinfo, or "unknown".
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// printBenchMarkdown prints the results as the generated section of
// docs/performance.md.
func printBenchMarkdown(w io.Writer, results []benchResult, f benchFlags) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p("Measured %s on: %d CPUs (%s), GOMAXPROCS %d, %s %s/%s, migsim %s, PGO %s.\n\n",
		time.Now().UTC().Format("2006-01-02"), runtime.NumCPU(), cpuModel(), runtime.GOMAXPROCS(0),
		runtime.Version(), runtime.GOOS, runtime.GOARCH, version(), pgoProfile())
	ws := make([]string, len(f.workers))
	for i, w := range f.workers {
		ws[i] = strconv.Itoa(w)
	}
	p("Command: `migsim bench --which %s --workers %s --agents %d --nodes %d --days %d --scale %g --repeat %d --markdown`\n\n",
		f.which, strings.Join(ws, ","), f.agents, f.nodes, f.days, f.scale, f.repeat)
	if f.repeat > 1 {
		p("Each row is the fastest of %d runs, the worker counts taking turns; the median wall time and the efficiency of the medians are beside it.\n\n", f.repeat)
	}
	p("| workload | setup | workers | load avg before | agents | peak alive | agent-steps | agent updates | wall s | median wall s | CPU s | memory sampling s | agent-steps/s/core | ns/agent-step | CPU ns/agent-step | ns/update | parallel eff. | eff. of medians | engine B/agent | peak RSS | RSS B/agent |\n")
	p("|---|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, r := range results {
		eff, effMed := "—", "—"
		if r.Efficiency > 0 {
			eff = fmt.Sprintf("%.0f%%", 100*r.Efficiency)
			effMed = fmt.Sprintf("%.0f%%", 100*r.EfficiencyMedian)
		}
		p("| %s | %s | %d | %s | %d | %d | %d | %d | %.2f | %.2f | %.2f | %.2f | %s | %.1f | %.1f | %.1f | %s | %s | %.1f | %s | %.1f |\n",
			r.Name, r.Setup, r.Workers, r.LoadBefore, r.Agents, r.PeakAgents, r.AgentSteps, r.AgentUpdates, r.WallSeconds, r.WallMedian, r.CPUSeconds, r.SamplingSeconds,
			si(r.StepsPerSecPerCore), r.NsPerStep, r.CPUNsPerStep, r.NsPerUpdate, eff, effMed, r.StateBytesPerAgent, mib(float64(r.RSSBytes)), r.RSSBytesPerAgent)
	}
	p("\nEngine state at its peak, bytes per agent: ")
	for i, r := range results {
		if i > 0 {
			p("; ")
		}
		p("%s (%d workers): %s", r.Name, r.Workers, stateShares(r))
	}
	p(".\n")
	p("\nTime per phase (wall seconds, share of the run):\n\n")
	p("| workload |")
	for _, name := range sim.PhaseNames {
		p(" %s |", name)
	}
	p("\n|---|")
	for range sim.PhaseNames {
		p("--:|")
	}
	p("\n")
	for _, r := range results {
		p("| %s, %d workers |", r.Name, r.Workers)
		for _, name := range sim.PhaseNames {
			p(" %.2f (%.0f%%) |", r.Phases[name], 100*r.Phases[name]/r.WallSeconds)
		}
		p("\n")
	}
	p("\n- %s.\n- %s.\n- %s.\n- %s.\n", defAgentStep, defUpdate, defPerCore, defMemory)
	return bw.Flush()
}
