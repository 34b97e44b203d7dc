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

	"github.com/spf13/cobra"

	"github.com/migsim/migsim/sim/ensemble"
	"github.com/migsim/migsim/sim/report"
	"github.com/migsim/migsim/sim/scenario"
)

// compareFlags are the flags of `migsim compare`.
type compareFlags struct {
	replicates int
	seed       uint64
	workers    int
	out        string
	sets       []string
	overwrite  bool
	svg        bool
	noPlots    bool
	quiet      bool
}

// newCompareCmd builds `migsim compare`.
func newCompareCmd() *cobra.Command {
	var f compareFlags
	cmd := &cobra.Command{
		Use:   "compare SCENARIO SCENARIO [SCENARIO...]",
		Short: "Compare scenarios side by side, with intervals, under common random numbers",
		Long: `Compare two or more scenarios: run each --replicates times and print a
table of headline indicators (persons through the watched crossing each way,
US entries by pathway, gave up, returned home, stranded peak and
person-days, unmet need at each aid node, deaths, money paid to smugglers
and for boats, ...) with the median and the 5 % and 95 % quantiles over the
replicates, and the difference from the first scenario.

Each argument is a scenario file or the name of an embedded scenario.
Replicate k of every scenario runs with the same seed (common random
numbers), so a difference is computed replicate by replicate and then
summarised: its interval shows the effect of the change, not the noise of
independent runs. The seeds derive from --seed, or else from the first
scenario's seed. The scenarios must cover the same dates.

The output folder (default output/compare/) receives compare.csv (scenario,
indicator, label, unit, q05, q50, q95, diff_q50_vs_first, diff_q05,
diff_q95; quantiles of type 7, as R's default) and overlay plots
compare_<measure>.png, one band per scenario. --set applies to every
scenario. Ctrl-C stops the runs and writes nothing (exit status 130).`,
		Example: `  migsim compare necocli-17.toml necocli-7.toml --replicates 20
  migsim compare americas my.toml --replicates 10 --set scenario.scale=0.01 --out cmp/`,
		Args: minArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCompare(cmd, args, f)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.replicates, "replicates", 10, "number `N` of replicates of each scenario")
	fl.Uint64Var(&f.seed, "seed", 0, "base seed `N` of the replicate seeds; 0 uses the first scenario's seed")
	fl.IntVar(&f.workers, "workers", 0, "number `N` of cores to use, by default all; runs go in parallel, each with its share")
	fl.StringVar(&f.out, "out", "", "output folder `DIR` (default output/compare/)")
	fl.StringArrayVar(&f.sets, "set", nil, "set a parameter of every scenario, `path=value` (repeatable)")
	fl.BoolVar(&f.overwrite, "overwrite", false, "replace an output folder that is not empty, deleting everything in it")
	fl.BoolVar(&f.svg, "svg", false, "draw plots as SVG instead of PNG")
	fl.BoolVar(&f.noPlots, "no-plots", false, "write no plots")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "show no progress on stderr")
	return cmd
}

// runCompare carries out `migsim compare`.
func runCompare(cmd *cobra.Command, args []string, f compareFlags) error {
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	switch {
	case f.replicates < 1:
		return usageError(fmt.Errorf("--replicates must be at least 1, not %d", f.replicates))
	case f.workers < 0:
		return usageError(fmt.Errorf("--workers must be at least 1, not %d", f.workers))
	case f.svg && f.noPlots:
		return usageError(errors.New("--svg and --no-plots exclude each other"))
	}
	var scs []*scenario.Scenario
	failed := false
	for _, arg := range args {
		sc, err := loadScenario(arg, f.sets)
		if err != nil {
			printErrors(stderr, err)
			failed = true
			continue
		}
		scs = append(scs, sc)
	}
	if failed {
		return errReported()
	}
	for i, sc := range scs[1:] {
		if !sc.Meta.Start.Equal(scs[0].Meta.Start) || !sc.Meta.End.Equal(scs[0].Meta.End) {
			return fmt.Errorf("%s runs %s to %s and %s runs %s to %s: compared scenarios must cover the same dates",
				args[i+1], sc.Meta.Start.Format("2006-01-02"), sc.Meta.End.Format("2006-01-02"),
				args[0], scs[0].Meta.Start.Format("2006-01-02"), scs[0].Meta.End.Format("2006-01-02"))
		}
	}
	names := scenarioLabels(args, scs)
	dir := f.out
	if dir == "" {
		dir = filepath.Join("output", "compare")
	}
	if err := report.CheckDir(dir, f.overwrite); err != nil {
		return err
	}
	base := f.seed
	if base == 0 {
		base = scs[0].Meta.Seed
	}

	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop)
	total := len(scs) * f.replicates
	var progress func(done, total int)
	if !f.quiet {
		fmt.Fprintf(stderr, "compare: %d scenarios × %d replicates = %d runs (seeds from base seed %d)\n", len(scs), f.replicates, total, base)
		progress = runCounter(stderr, "compare")
	}
	results, err := ensemble.RunScenarios(ctx, scs, f.replicates, base, f.workers, progress)
	if ctx.Err() != nil {
		return &exitError{code: exitInterrupted, err: errors.New("interrupted; nothing written")}
	}
	if err != nil {
		return err
	}
	rows, err := ensemble.Compare(names, results)
	if err != nil {
		return err
	}
	format := "png"
	if f.svg {
		format = "svg"
	}
	if err := ensemble.WriteComparison(dir, names, results, rows, ensemble.ComparisonOptions{Overwrite: f.overwrite, PlotFormat: format, NoPlots: f.noPlots}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d replicates per scenario; median, 5 %% and 95 %% quantiles; Δ = paired difference from %s\n\n", f.replicates, names[0])
	if err := ensemble.PrintComparison(stdout, rows); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nFiles written to %s\n", dir)
	return nil
}

// scenarioLabels names the compared scenarios: by their scenario names, or,
// where two share a name, by the file name (and then by position).
func scenarioLabels(args []string, scs []*scenario.Scenario) []string {
	count := map[string]int{}
	for _, sc := range scs {
		count[sc.Meta.Name]++
	}
	names := make([]string, len(scs))
	seen := map[string]bool{}
	for i, sc := range scs {
		name := sc.Meta.Name
		if count[name] > 1 {
			name = strings.TrimSuffix(filepath.Base(args[i]), filepath.Ext(args[i]))
		}
		if seen[name] {
			name = fmt.Sprintf("%s#%d", name, i+1)
		}
		seen[name] = true
		names[i] = name
	}
	return names
}

// runCounter returns a progress callback that writes "<what>: run k/n done"
// lines to w, at most one per 5 % of the runs (and the last).
func runCounter(w io.Writer, what string) func(done, total int) {
	var mu sync.Mutex
	last := -1
	return func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		step := 20 * done / max(1, total)
		if step == last && done != total {
			return
		}
		last = step
		fmt.Fprintf(w, "%s: %d/%d runs done\n", what, done, total)
	}
}
