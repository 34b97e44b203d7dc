package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/migsim/migsim/scenarios"
	"github.com/migsim/migsim/sim/scenario"
	"github.com/migsim/migsim/sim/sweep"
)

// sweepFlags are the flags of `migsim sweep`.
type sweepFlags struct {
	out     string
	resume  bool
	shard   string
	workers int
	svg     bool
	noPlots bool
	quiet   bool

	slurm       bool
	submit      bool
	dryRun      bool
	tasks       int
	cpusPerTask int
	mem         string
	runTime     time.Duration
	partition   string
	account     string
}

// newSweepCmd builds `migsim sweep`.
func newSweepCmd() *cobra.Command {
	var f sweepFlags
	cmd := &cobra.Command{
		Use:   "sweep SWEEP.toml",
		Short: "Run a parameter sweep, here, as one shard, or as a Slurm job array",
		Long: `Run the parameter sweep a sweep file describes: a base scenario, the
parameters to vary (a grid of values, or ranges sampled by a Latin
hypercube), the replicates and the indicators to record (see
docs/ensembles.md for every key).

The runs go in parallel on --workers cores. Each finished run is journalled
in DIR/runs/, so a sweep stopped by Ctrl-C, kill -9 or a lost node resumes
with --resume, losing no finished run and running none twice. A run that
fails is recorded with its error and does not stop the others; the exit
status is then 1. Without --resume an output folder that is not empty is
refused.

The whole sweep writes DIR/sweep.csv (run_id, one column per parameter,
replicate, seed, one column per indicator; failed runs have NA),
DIR/failures.csv and DIR/plots/ (each indicator against each parameter).

--shard i/n runs only the runs whose id mod n is i and writes
DIR/parts/part-i-of-n.csv; 'migsim merge DIR' then combines the n parts
into the sweep.csv a single machine writes, byte for byte.

--slurm writes DIR/sweep.sbatch (a job array, one shard per task) and
DIR/merge.sbatch (the merge); --submit also submits them (the merge with
--dependency=afterok on the array); --dry-run prints them and writes
nothing. The task time limit is estimated from the time of one run, measured
here on one core unless --run-time gives it.`,
		Example: `  migsim sweep aid.toml --out results/aid
  migsim sweep aid.toml --out results/aid --resume
  migsim sweep aid.toml --out /shared/aid --shard 2/8
  migsim sweep aid.toml --out /shared/aid --slurm --tasks 8 --cpus-per-task 4 --submit
  migsim sweep aid.toml --out /shared/aid --slurm --dry-run`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSweep(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.out, "out", "", "sweep folder `DIR` (default output/sweep-<sweep file name>/)")
	fl.BoolVar(&f.resume, "resume", false, "continue the sweep in DIR: keep journalled runs, run the rest and the failed ones")
	fl.StringVar(&f.shard, "shard", "", "run only shard `i/n` (the runs whose id mod n is i) and write DIR/parts/part-i-of-n.csv")
	fl.IntVar(&f.workers, "workers", 0, "number `N` of cores to use, by default all; runs go in parallel, each with its share")
	fl.BoolVar(&f.svg, "svg", false, "draw plots as SVG instead of PNG")
	fl.BoolVar(&f.noPlots, "no-plots", false, "write no plots")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "show no progress on stderr")
	fl.BoolVar(&f.slurm, "slurm", false, "write Slurm scripts DIR/sweep.sbatch (job array) and DIR/merge.sbatch instead of running")
	fl.BoolVar(&f.submit, "submit", false, "with --slurm: submit the array and the dependent merge with sbatch and print the job ids")
	fl.BoolVar(&f.dryRun, "dry-run", false, "with --slurm: print the scripts and write nothing")
	fl.IntVar(&f.tasks, "tasks", 0, "with --slurm: number `N` of array tasks (shards), by default one per 4 runs per core")
	fl.IntVar(&f.cpusPerTask, "cpus-per-task", 2, "with --slurm: cores `N` of each array task")
	fl.StringVar(&f.mem, "mem", "", "with --slurm: memory `SIZE` of each task, as sbatch --mem reads it (default 1 GiB per run in parallel + 512 MiB)")
	fl.DurationVar(&f.runTime, "run-time", 0, "with --slurm: wall time `D` of one run on one core, e.g. 90s (default: time one run here)")
	fl.StringVar(&f.partition, "partition", "", "with --slurm: Slurm partition `NAME`")
	fl.StringVar(&f.account, "account", "", "with --slurm: Slurm account `NAME`")
	return cmd
}

// lookupEmbedded loads the embedded scenario called name.
func lookupEmbedded(name string) (*scenario.Scenario, error) {
	file, ok := scenarios.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("no embedded scenario %q", name)
	}
	return scenario.LoadFS(scenarios.FS(), file)
}

// runSweep carries out `migsim sweep`.
func runSweep(cmd *cobra.Command, file string, f sweepFlags) error {
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	switch {
	case f.workers < 0:
		return usageError(fmt.Errorf("--workers must be at least 1, not %d", f.workers))
	case f.svg && f.noPlots:
		return usageError(errors.New("--svg and --no-plots exclude each other"))
	case (f.submit || f.dryRun) && !f.slurm:
		return usageError(errors.New("--submit and --dry-run go with --slurm"))
	case f.submit && f.dryRun:
		return usageError(errors.New("--submit and --dry-run exclude each other"))
	case f.slurm && f.shard != "":
		return usageError(errors.New("--slurm and --shard exclude each other: the scripts run the shards"))
	}
	if !f.slurm {
		for _, name := range []string{"tasks", "cpus-per-task", "mem", "run-time", "partition", "account"} {
			if cmd.Flags().Changed(name) {
				return usageError(fmt.Errorf("--%s goes with --slurm", name))
			}
		}
	}
	var shard sweep.Shard
	if f.shard != "" {
		s, err := sweep.ParseShard(f.shard)
		if err != nil {
			return usageError(err)
		}
		shard = s
	}
	sf, err := sweep.Load(file)
	if err != nil {
		printErrors(stderr, err)
		return errReported()
	}
	plan, base, err := sweep.Bind(sf, lookupEmbedded)
	if err != nil {
		printErrors(stderr, err)
		return errReported()
	}
	dir := f.out
	if dir == "" {
		dir = filepath.Join("output", "sweep-"+strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)))
	}
	format := "png"
	if f.svg {
		format = "svg"
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop)
	runner := sweep.ScenarioRunner(base, plan)
	if f.slurm {
		return runSlurm(ctx, stdout, stderr, file, dir, plan, runner, f)
	}

	if !f.quiet {
		what := fmt.Sprintf("%d runs (%d design points × %d replicates)", len(plan.Runs), len(plan.Runs)/sf.Replicates, sf.Replicates)
		if !shard.Whole() {
			what = fmt.Sprintf("shard %s of %s", shard, what)
		}
		fmt.Fprintf(stderr, "sweep %s: %s of scenario %s into %s\n", file, what, plan.Scenario, dir)
	}
	opt := sweep.Options{Dir: dir, Shard: shard, Resume: f.resume, Workers: f.workers, Version: version(),
		PlotFormat: format, NoPlots: f.noPlots}
	if !f.quiet {
		opt.Progress = sweepProgress(stderr)
	}
	out, err := sweep.Execute(ctx, plan, runner, opt)
	if ctx.Err() != nil {
		resume := fmt.Sprintf("migsim sweep %s --out %s --resume", file, dir)
		if !shard.Whole() {
			resume += " --shard " + shard.String()
		}
		ran := 0
		if out != nil {
			ran = out.Ran
		}
		return &exitError{code: exitInterrupted, err: fmt.Errorf("interrupted: %d finished runs are journalled in %s; to finish: %s", ran, dir, resume)}
	}
	if err != nil {
		return err
	}
	return reportSweep(stdout, out, dir, shard)
}

// reportSweep prints what a sweep did and returns a failure when runs
// failed.
func reportSweep(w io.Writer, out *sweep.Outcome, dir string, shard sweep.Shard) error {
	fmt.Fprintf(w, "%d runs: %d run now, %d journalled before, %d failed\n", out.Runs, out.Ran, out.Journalled, len(out.Failed))
	if shard.Whole() {
		fmt.Fprintf(w, "Files written to %s (sweep.csv, failures.csv, plots/)\n", dir)
	} else {
		fmt.Fprintf(w, "Shard %s written to %s; when every shard is done: migsim merge %s\n", shard, out.Files[0], dir)
	}
	return reportFailures(w, out, dir)
}

// reportFailures lists the failed runs (the first ten) and returns an
// error when there are any.
func reportFailures(w io.Writer, out *sweep.Outcome, dir string) error {
	for i, rec := range out.Failed {
		if i == 10 {
			fmt.Fprintf(w, "  ... and %d more\n", len(out.Failed)-10)
			break
		}
		fmt.Fprintf(w, "  run %d failed: %s\n", rec.RunID, rec.Error)
	}
	if len(out.Failed) > 0 {
		return fmt.Errorf("%d of %d runs failed (see %s); fix the cause and rerun with --resume to run them again",
			len(out.Failed), out.Runs, filepath.Join(dir, sweep.FailuresFile))
	}
	return nil
}

// sweepProgress returns a progress callback writing a line per failed run
// and one per 5 % of the runs.
func sweepProgress(w io.Writer) func(done, total int, rec *sweep.Record) {
	var mu sync.Mutex
	last := -1
	return func(done, total int, rec *sweep.Record) {
		mu.Lock()
		defer mu.Unlock()
		if rec.Failed() {
			fmt.Fprintf(w, "sweep: run %d failed: %s\n", rec.RunID, rec.Error)
		}
		step := 20 * done / max(1, total)
		if step == last && done != total {
			return
		}
		last = step
		fmt.Fprintf(w, "sweep: %d/%d runs done\n", done, total)
	}
}

// runSlurm writes (and maybe submits) the Slurm scripts of a sweep.
func runSlurm(ctx context.Context, stdout, stderr io.Writer, file, dir string, plan *sweep.Plan, runner sweep.Runner, f sweepFlags) error {
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		return fmt.Errorf("slurm: cannot find the running migsim binary: %w", err)
	}
	if strings.Contains(exe, "go-build") {
		fmt.Fprintf(stderr, "warning: %s is a temporary binary of 'go run', gone when it exits; build migsim (go build -o migsim ./cmd/migsim) and run that\n", exe)
	}
	absFile, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if f.cpusPerTask < 1 {
		return usageError(fmt.Errorf("--cpus-per-task must be at least 1, not %d", f.cpusPerTask))
	}
	runs := len(plan.Runs)
	tasks := f.tasks
	if tasks == 0 {
		tasks = sweep.DefaultTasks(runs, f.cpusPerTask)
	}
	if tasks < 1 || tasks > runs {
		return usageError(fmt.Errorf("--tasks must be from 1 to the %d runs, not %d", runs, tasks))
	}
	if !f.dryRun && !f.resume {
		if entries, err := os.ReadDir(absDir); err == nil && len(entries) > 0 {
			return fmt.Errorf("%s exists and is not empty: pass --resume to rewrite the scripts of the sweep in it, or choose another --out", dir)
		}
	}
	runTime := f.runTime
	if runTime <= 0 {
		fmt.Fprintf(stderr, "slurm: timing run 0 on one core to estimate the time limit (give --run-time to skip)...\n")
		start := time.Now()
		if _, err := runner(ctx, plan.Runs[0], 1); err != nil {
			if ctx.Err() != nil {
				return &exitError{code: exitInterrupted, err: errors.New("interrupted; nothing written")}
			}
			return fmt.Errorf("slurm: the timing run failed: %w", err)
		}
		runTime = time.Since(start)
		fmt.Fprintf(stderr, "slurm: one run took %v\n", runTime.Round(time.Millisecond))
	}
	opt := sweep.SlurmOptions{
		Exe: exe, SweepFile: absFile, Dir: absDir,
		Name: strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)),
		Runs: runs, Tasks: tasks, CPUsPerTask: f.cpusPerTask, Mem: f.mem, RunTime: runTime,
		Partition: f.partition, Account: f.account, NoPlots: f.noPlots,
	}
	if f.svg {
		opt.PlotFormat = "svg"
	}
	array, merge, err := sweep.Scripts(opt)
	if err != nil {
		return err
	}
	if f.dryRun {
		fmt.Fprintf(stdout, "# ---- %s ----\n%s\n# ---- %s ----\n%s", filepath.Join(absDir, sweep.ArrayScript), array, filepath.Join(absDir, sweep.MergeScript), merge)
		return nil
	}
	arrayPath, mergePath, err := sweep.WriteScripts(absDir, array, merge)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote %s (%d tasks × %d cores, --time=%s, --mem=%s) and %s\n",
		arrayPath, tasks, f.cpusPerTask, sweep.SlurmTime(opt.TaskTime()), opt.TaskMem(), mergePath)
	if !f.submit {
		fmt.Fprintf(stdout, "Submit with:\n  jid=$(sbatch --parsable %s)\n  sbatch --dependency=afterok:${jid%%%%;*} %s\n", arrayPath, mergePath)
		return nil
	}
	arrayID, mergeID, err := sweep.Submit(ctx, arrayPath, mergePath)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Submitted array job %s and merge job %s (after the array succeeds)\n", arrayID, mergeID)
	fmt.Fprintf(stdout, "Watch with: squeue -j %s,%s; logs: %s/slurm-*.out; results: %s/sweep.csv\n", arrayID, mergeID, absDir, absDir)
	return nil
}
