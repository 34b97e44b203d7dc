package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/ensemble"
	"github.com/migsim/migsim/sim/report"
	"github.com/migsim/migsim/sim/scenario"
)

// runFlags are the flags of `migsim run`.
type runFlags struct {
	seed      uint64
	workers   int
	out       string
	sets      []string
	overwrite bool
	svg       bool
	noPlots   bool
	quiet     bool
	// replicates > 1 runs an ensemble; replicate ≥ 0 reruns one replicate.
	replicates int
	replicate  int
}

// newRunCmd builds `migsim run`.
func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [scenario.toml | name]",
		Short: "Run a scenario and write its results and plots",
		Long: `Run a scenario and write its results and plots.

With no argument, run the embedded default scenario. The argument is a
scenario file, or else the name of an embedded scenario (see 'migsim
scenarios').

The run writes flows.csv, stocks.csv, totals.csv, nodes.csv, edges.csv,
run.json and the plots into the output folder (default
output/<scenario name>/) and prints a summary of key indicators. The folder
appears complete or not at all. A folder that is not empty is refused
before the run starts, unless --overwrite is given: then the whole folder,
anything else in it included, is replaced.

A scenario with errors is reported, every error with its file, line and
key, and nothing is written (exit status 1). Ctrl-C stops the run and
writes nothing (exit status 130).

Progress goes to stderr: a bar on a terminal, a line at every tenth of the
run otherwise.

With --replicates N the scenario runs N times with seeds derived from the
seed (replicate k always gets the same one), in parallel across cores, and
the folder holds each replicate's files in rep-000/, rep-001/ … and, at the
top, quantile files (5 %, median, 95 %; R's type 7) of every daily series
and plots with a median line and a band. --replicate k reruns replicate k
alone, exactly as it ran in the ensemble.`,
		Example: `  migsim run
  migsim run americas --seed 7 --out results/
  migsim run my.toml --workers 2 --set border.us.cbp_one_daily_slots=0
  migsim run --set scenario.scale=0.01 --svg --overwrite
  migsim run --set scenario.scale=0.01 --replicates 20 --out ens/
  migsim run --set scenario.scale=0.01 --replicates 20 --replicate 7 --out rep7/`,
		Args: rangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			}
			return runRun(cmd, arg, f)
		},
	}
	fl := cmd.Flags()
	fl.Uint64Var(&f.seed, "seed", 0, "random seed `N`; 0 uses the scenario's seed")
	fl.IntVar(&f.workers, "workers", runtime.NumCPU(), "number `N` of goroutines stepping agents, by default the number of CPUs; results do not depend on it")
	fl.StringVar(&f.out, "out", "", "output folder `DIR` (default output/<scenario name>/)")
	fl.StringArrayVar(&f.sets, "set", nil, "set a scenario parameter `path=value` (repeatable), e.g. --set node.necocli.meals=500")
	fl.BoolVar(&f.overwrite, "overwrite", false, "replace an output folder that is not empty, deleting everything in it")
	fl.BoolVar(&f.svg, "svg", false, "draw plots as SVG instead of PNG")
	fl.BoolVar(&f.noPlots, "no-plots", false, "write no plots")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "show no progress on stderr")
	fl.IntVar(&f.replicates, "replicates", 1, "run an ensemble of `N` replicates with derived seeds and write quantiles and bands")
	fl.IntVar(&f.replicate, "replicate", -1, "rerun only replicate `k` (0-based) of the ensemble, with its seed")
	return cmd
}

// runRun carries out `migsim run` on the scenario arg ("" for the default).
func runRun(cmd *cobra.Command, arg string, f runFlags) error {
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	if f.workers < 1 {
		return usageError(fmt.Errorf("--workers must be at least 1, not %d", f.workers))
	}
	if f.svg && f.noPlots {
		return usageError(errors.New("--svg and --no-plots exclude each other"))
	}
	if f.replicates < 1 {
		return usageError(fmt.Errorf("--replicates must be at least 1, not %d", f.replicates))
	}
	if f.replicate >= f.replicates {
		return usageError(fmt.Errorf("--replicate %d does not exist with --replicates %d (replicates are numbered from 0)", f.replicate, f.replicates))
	}
	sc, err := loadScenario(arg, f.sets)
	if err != nil {
		printErrors(stderr, err)
		return errReported()
	}
	dir := f.out
	if dir == "" {
		dir = filepath.Join("output", sc.Meta.Name)
	}
	// Refuse before spending the run's time, not after.
	if err := report.CheckDir(dir, f.overwrite); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal, a second one kills the process as usual. A
	// signal that comes while the results are being written is held until
	// they are complete (WriteRun publishes a whole folder or nothing).
	context.AfterFunc(ctx, stop)

	format := "png"
	if f.svg {
		format = "svg"
	}
	opts := report.Options{Overwrite: f.overwrite, PlotFormat: format, NoPlots: f.noPlots}
	if f.replicates > 1 || f.replicate >= 0 {
		return runEnsemble(ctx, stdout, stderr, sc, dir, f, opts)
	}

	opt := sim.Options{Seed: f.seed, Workers: f.workers}
	var prog *progress
	if !f.quiet {
		prog = newProgress(stderr, sc.Meta.Start)
		opt.Progress = prog.report
	}
	began := time.Now()
	res, err := sim.Run(ctx, sc, opt)
	wall := time.Since(began)
	if prog != nil {
		prog.finish()
	}
	if ctx.Err() != nil {
		return &exitError{code: exitInterrupted, err: errors.New("interrupted; nothing written")}
	}
	if err != nil {
		return fmt.Errorf("run %s: %w", sc.Meta.Name, err)
	}

	info := report.RunInfo{
		Scenario:     sc.Meta.Name,
		ScenarioFile: sc.File,
		Hash:         sc.Hash,
		Workers:      f.workers,
		Version:      version(),
		WallSeconds:  wall.Seconds(),
		Replicate:    -1,
	}
	if len(f.sets) > 0 {
		// run.json records the parameters the command line changed.
		info.Extra = map[string]any{"set": f.sets}
	}
	if err := report.WriteRun(dir, res, info, opts); err != nil {
		return err
	}
	report.PrintSummary(stdout, res, dir)
	return nil
}

// runEnsemble carries out `migsim run --replicates N` (or --replicate k).
func runEnsemble(ctx context.Context, stdout, stderr io.Writer, sc *scenario.Scenario, dir string, f runFlags, opts report.Options) error {
	base := f.seed
	if base == 0 {
		base = sc.Meta.Seed
	}
	eopt := ensemble.Options{Replicates: f.replicates, Workers: f.workers, BaseSeed: base, Only: f.replicate}
	if !f.quiet {
		eopt.Progress = func(done, total int) {
			fmt.Fprintf(stderr, "replicate %d/%d done\n", done, total)
		}
	}
	began := time.Now()
	res, err := ensemble.Run(ctx, sc, eopt)
	if ctx.Err() != nil {
		return &exitError{code: exitInterrupted, err: errors.New("interrupted; nothing written")}
	}
	if err != nil {
		return fmt.Errorf("run %s: %w", sc.Meta.Name, err)
	}
	info := report.RunInfo{
		Scenario: sc.Meta.Name, ScenarioFile: sc.File, Hash: sc.Hash,
		Workers: f.workers, Version: version(), WallSeconds: time.Since(began).Seconds(), Replicate: -1,
	}
	if len(f.sets) > 0 {
		info.Extra = map[string]any{"set": f.sets}
	}
	if f.replicate >= 0 {
		info.Replicate, info.Seed = f.replicate, res[0].Seed
		if err := report.WriteRun(dir, res[0], info, opts); err != nil {
			return err
		}
		report.PrintSummary(stdout, res[0], dir)
		return nil
	}
	if err := ensemble.WriteEnsemble(dir, res, info, ensemble.WriteOptions{Options: opts, BaseSeed: base}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d replicates of %s (base seed %d) written to %s\n", len(res), sc.Meta.Name, base, dir)
	return nil
}
