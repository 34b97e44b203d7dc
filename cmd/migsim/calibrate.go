package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/migsim/migsim/scenarios"
	"github.com/migsim/migsim/sim/calibrate"
	"github.com/migsim/migsim/sim/report"
	"github.com/migsim/migsim/sim/scenario"
	"github.com/migsim/migsim/sim/validate"
)

// calibrateFlags are the flags of `migsim calibrate`.
type calibrateFlags struct {
	params     string
	observed   []string
	replicates int
	seed       uint64
	scale      float64
	maxEvals   int
	maxTime    time.Duration
	workers    int
	out        string
	overwrite  bool
	quiet      bool
}

// newCalibrateCmd builds `migsim calibrate`.
func newCalibrateCmd() *cobra.Command {
	var f calibrateFlags
	cmd := &cobra.Command{
		Use:   "calibrate scenario.toml --params calib.toml",
		Short: "Fit a scenario's parameters to observed series and write the calibrated scenario",
		Long: `Fit the parameters declared in a calibration file to the scenario's observed
series ([[observed]] entries; --observed replaces an entry's file, NAME=FILE,
or FILE alone when there is one entry), and write a new scenario: the
original text with the fitted values in place, its [scenario] calibration
key set, and a comment block saying how they were obtained.

The calibration file (TOML) has [[param]] tables — name, targets (parameter
paths such as origin.hti_chile.base_rate, or policy fields such as
policy.cbp_one_corridor_share.scale, policy.NAME[PATH].ramp.to or its
ramp.days, a whole number of days), mode
(set, or factor: multiply every target's value), min, max, log, start,
note — an [objective] table — series, weights log_rmse, annual, ard,
correlation, and from/until — and an [optimizer] table — method
(nelder-mead or cmaes), max_evals, step.

Each evaluation runs --replicates replicates with the same seeds (common
random numbers) and averages the objective over them. Only observations up
to 2024-12-31, the end of the calibration window, are used, whatever the
files hold; the runs stop there. --scale thins the scenario for speed (0.01:
one agent per 100 persons; a run of the default scenario then takes about a
second). --max-time bounds the wall time: no evaluation starts after it, and
the best point so far is written. Progress goes to stderr, one line per
evaluation (and the values at each new best). Ctrl-C stops the calibration
and writes nothing.

The output (default <scenario name>-calibrated.toml) is never overwritten
without --overwrite.`,
		Example: `  migsim calibrate americas --params scenarios/calibration/stage5-season.toml \
      --scale 0.1 --replicates 2 --max-time 10m --out americas-calibrated.toml
  migsim calibrate my.toml --params calib.toml --observed counts.csv --out my-fit.toml`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCalibrate(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.params, "params", "", "calibration file `FILE` (TOML): parameters, bounds, objective (required)")
	fl.StringArrayVar(&f.observed, "observed", nil, "replace an observed series' file, `NAME=FILE` or FILE (repeatable)")
	fl.IntVar(&f.replicates, "replicates", 2, "number `N` of replicates per evaluation (common random numbers)")
	fl.Uint64Var(&f.seed, "seed", 0, "base seed `N` of the replicate seeds; 0 uses the scenario's seed")
	fl.Float64Var(&f.scale, "scale", 0, "simulate a fraction `S` of persons as agents (e.g. 0.01), 0 keeps the scenario's")
	fl.IntVar(&f.maxEvals, "max-evals", 0, "at most `K` evaluations of the objective; 0 uses the calibration file's (default 200)")
	fl.DurationVar(&f.maxTime, "max-time", 0, "stop starting evaluations after `D` of wall time (e.g. 20m) and write the best point so far; 0 sets no limit")
	fl.IntVar(&f.workers, "workers", 0, "number `N` of cores to use, by default all")
	fl.StringVar(&f.out, "out", "", "write the calibrated scenario to `FILE` (default <scenario name>-calibrated.toml)")
	fl.BoolVar(&f.overwrite, "overwrite", false, "replace the output file if it exists")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "show no progress on stderr")
	return cmd
}

// runCalibrate carries out `migsim calibrate`.
func runCalibrate(cmd *cobra.Command, arg string, f calibrateFlags) error {
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	switch {
	case f.params == "":
		return usageError(errors.New("--params is required: the calibration file"))
	case f.replicates < 1:
		return usageError(fmt.Errorf("--replicates must be at least 1, not %d", f.replicates))
	case f.scale < 0 || f.scale > 1:
		return usageError(fmt.Errorf("--scale must be in (0, 1], not %g", f.scale))
	case f.maxEvals < 0:
		return usageError(fmt.Errorf("--max-evals must not be negative, not %d", f.maxEvals))
	case f.maxTime < 0:
		return usageError(fmt.Errorf("--max-time must not be negative, not %v", f.maxTime))
	case f.workers < 0:
		return usageError(fmt.Errorf("--workers must be at least 1, not %d", f.workers))
	}
	sc, dir, err := loadForValidation(arg, nil, 0)
	if err != nil {
		printErrors(stderr, err)
		return errReported()
	}
	text, readInclude, err := scenarioText(arg, dir, sc)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(f.params)
	if err != nil {
		return fmt.Errorf("read calibration file: %w", err)
	}
	spec, err := calibrate.ReadSpec(f.params, data)
	if err != nil {
		printErrors(stderr, err)
		return errReported()
	}
	override, err := observedOverrides(sc, f.observed)
	if err != nil {
		return usageError(err)
	}
	targets, err := validate.Targets(sc, dir, scenarios.FS(), override)
	if err != nil {
		return err
	}
	out := f.out
	if out == "" {
		out = sc.Meta.Name + "-calibrated.toml"
	}
	if _, err := os.Stat(out); err == nil && !f.overwrite {
		return fmt.Errorf("%s exists (pass --overwrite to replace it)", out)
	}
	prob, err := calibrate.NewProblem(sc, spec, targets, calibrate.Config{Replicates: f.replicates, Seed: f.seed, Scale: f.scale, Workers: f.workers})
	if err != nil {
		printErrors(stderr, err)
		return errReported()
	}
	seed := f.seed
	if seed == 0 {
		seed = sc.Meta.Seed
	}
	scale := sc.Meta.Scale
	if f.scale > 0 {
		scale = f.scale
	}
	maxEvals := f.maxEvals
	if maxEvals == 0 {
		maxEvals = spec.Optimizer.MaxEvals
	}

	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop)
	var progress calibrate.Progress
	if !f.quiet {
		fmt.Fprintf(stderr, "calibrate: %d parameters (%s), %s, at most %d evaluations of %d replicates at scale %g (base seed %d); runs end %s",
			len(prob.Names()), strings.Join(prob.Names(), ", "), spec.Optimizer.Method, maxEvals, f.replicates, scale, seed, prob.End().Format("2006-01-02"))
		if n := prob.Dropped(); n > 0 {
			fmt.Fprintf(stderr, "; %d observed periods after the calibration window left out", n)
		}
		fmt.Fprintln(stderr)
		progress = progressLines(stderr, prob.Names())
	}
	res, err := prob.Run(ctx, maxEvals, f.maxTime, progress)
	if ctx.Err() != nil {
		return &exitError{code: exitInterrupted, err: errors.New("interrupted; nothing written")}
	}
	if err != nil {
		return err
	}
	command := "migsim " + strings.Join(os.Args[1:], " ")
	if len(os.Args) < 2 || !strings.Contains(command, "calibrate") {
		command = fmt.Sprintf("migsim calibrate %s --params %s --scale %g --replicates %d --seed %d --max-evals %d", arg, f.params, scale, f.replicates, seed, maxEvals)
		if f.maxTime > 0 {
			command += " --max-time " + f.maxTime.String()
		}
	}
	summary, comment := describeCalibration(spec, prob, res, command, f.replicates, seed, scale, time.Now())
	edits, err := prob.Edits(res.Best.X)
	if err != nil {
		return err
	}
	newText, err := calibrate.Rewrite(text, edits, summary, comment)
	if err != nil {
		return fmt.Errorf("write the calibrated values into %s: %w", sc.File, err)
	}
	// The written scenario must load and hold exactly the fitted values.
	check, err := scenario.Parse(out, newText, readInclude)
	if err != nil {
		return fmt.Errorf("the calibrated scenario does not load (nothing written): %w", err)
	}
	if err := prob.Verify(check, res.Best.X); err != nil {
		return fmt.Errorf("the calibrated scenario (nothing written): %w", err)
	}
	if err := report.WriteFileAtomic(out, newText, f.overwrite); err != nil {
		return err
	}
	printCalibration(stdout, res)
	fmt.Fprintf(stdout, "\nCalibrated scenario written to %s\n", out)
	return nil
}

// scenarioText returns the source text of the scenario arg and a reader of
// the files it includes.
func scenarioText(arg, dir string, sc *scenario.Scenario) ([]byte, func(string) ([]byte, error), error) {
	if dir != "" {
		data, err := os.ReadFile(arg)
		if err != nil {
			return nil, nil, fmt.Errorf("read scenario: %w", err)
		}
		base := filepath.Dir(arg)
		return data, func(name string) ([]byte, error) {
			// Includes are resolved against the original file's folder.
			rel, err := filepath.Rel(filepath.Dir(sc.File), filepath.FromSlash(name))
			if err != nil || filepath.IsAbs(name) {
				return os.ReadFile(filepath.FromSlash(name))
			}
			return os.ReadFile(filepath.Join(base, rel))
		}, nil
	}
	data, err := fs.ReadFile(scenarios.FS(), sc.File)
	if err != nil {
		return nil, nil, fmt.Errorf("read embedded scenario: %w", err)
	}
	return data, func(name string) ([]byte, error) {
		rel := name
		if d := path.Dir(sc.File); d != "." {
			rel = strings.TrimPrefix(name, d+"/")
		}
		return fs.ReadFile(scenarios.FS(), path.Clean(rel))
	}, nil
}

// progressLines prints one line per evaluation.
func progressLines(w io.Writer, names []string) calibrate.Progress {
	began := time.Now()
	return func(n int, ev, best calibrate.Evaluation) {
		mark := " "
		if ev.Value == best.Value {
			mark = "*"
		}
		fmt.Fprintf(w, "eval %4d %s f = %.4f (log %.3f, annual %.3f, worst year %4.1f %%)  best %.4f  [%s]\n",
			n, mark, ev.Value, ev.Terms.LogRMSE, ev.Terms.AnnualRMS, 100*ev.Terms.MaxAnnual, best.Value, time.Since(began).Round(time.Second))
		if mark == "*" {
			var parts []string
			for i, name := range names {
				parts = append(parts, name+"="+calibrate.FormatValue(ev.X[i], false))
			}
			fmt.Fprintf(w, "          %s\n", strings.Join(parts, " "))
		}
	}
}

// describeCalibration returns the one-line summary for [scenario]
// calibration and the comment block of a calibrated scenario.
func describeCalibration(spec *calibrate.Spec, prob *calibrate.Problem, res *calibrate.Result, command string, reps int, seed uint64, scale float64, now time.Time) (string, []string) {
	o := spec.Objective
	summary := fmt.Sprintf("migsim calibrate on %s: %d parameters fitted to %s up to %s (%s, %d evaluations of %d replicates at scale %g, base seed %d); objective %.4f, error on log counts %.3f; see the comment block above [scenario]",
		now.Format("2006-01-02"), len(res.Names), strings.Join(prob.Series(), ", "), o.Until.Format("2006-01-02"), spec.Optimizer.Method, res.Evals, reps, scale, seed, res.Best.Value, res.Best.Terms.LogRMSE)
	var c []string
	para := func(format string, args ...any) {
		c = append(c, wrapText(fmt.Sprintf(format, args...), 76, "")...)
	}
	para("Calibrated on %s by migsim %s with:", now.Format("2006-01-02"), version())
	c = append(c, "  "+command)
	para("Observed series: %s, from %s through %s. The calibration window ends on 2024-12-31: the runs stopped at %s, so nothing after it was simulated or fitted.",
		strings.Join(prob.Series(), ", "), prob.FirstPeriod().Format("2006-01"), o.Until.Format("2006-01-02"), prob.End().Format("2006-01-02"))
	para("Objective, the mean over replicates (summed over series) of %s.", objectiveFormula(o))
	para("Replicates: %d per evaluation, seeds derived from base seed %d, the same at every evaluation (common random numbers); thinned to scale %g. Optimiser: %s on logistic-transformed bounded parameters, %d evaluations (%s), %s wall time.",
		reps, seed, scale, spec.Optimizer.Method, res.Evals, res.Status, res.Wall.Round(time.Second))
	para("Objective at the start %.4f (error on log counts %.3f, RMS annual error %.3f, worst year %.1f\u00a0%%); at the fitted values %.4f (%.3f, %.3f, %.1f\u00a0%%).",
		res.Start.Value, res.Start.Terms.LogRMSE, res.Start.Terms.AnnualRMS, 100*res.Start.Terms.MaxAnnual,
		res.Best.Value, res.Best.Terms.LogRMSE, res.Best.Terms.AnnualRMS, 100*res.Best.Terms.MaxAnnual)
	c = append(c, "Fitted parameters: value [min, max], start; what it sets or multiplies:")
	for i, p := range prob.Params() {
		how := "sets"
		if p.Mode == calibrate.ModeFactor {
			how = "multiplies"
		}
		line := fmt.Sprintf("%s = %s [%s, %s], start %s; %s %s", p.Name, calibrate.FormatValue(res.Best.X[i], false),
			calibrate.FormatValue(p.Min, false), calibrate.FormatValue(p.Max, false), calibrate.FormatValue(res.Start.X[i], false), how, strings.Join(p.Targets, ", "))
		c = append(c, wrapText(line, 76, "  ")...)
	}
	c = append(c, wrapText("Inline comments elsewhere in this file may describe values as they were before calibration.", 76, "")...)
	return summary, c
}

// wrapText breaks text into lines of at most width characters (a word
// longer than that stands alone), the first indented by indent and the
// others by indent and two spaces.
func wrapText(text string, width int, indent string) []string {
	var out []string
	line := indent
	// Split at plain spaces only: "43.3\u00a0%" stays together.
	for _, w := range strings.Split(text, " ") {
		if w == "" {
			continue
		}
		if strings.TrimSpace(line) != "" && len([]rune(line))+1+len([]rune(w)) > width {
			out = append(out, line)
			line = indent + "  "
		}
		if strings.TrimSpace(line) != "" {
			line += " "
		}
		line += w
	}
	return append(out, line)
}

// objectiveFormula writes the weighted objective in words.
func objectiveFormula(o calibrate.Objective) string {
	var terms []string
	add := func(w float64, what string) {
		if w != 0 {
			terms = append(terms, fmt.Sprintf("%g × %s", w, what))
		}
	}
	add(o.LogRMSE, "RMSE of log(1+counts)")
	add(o.Annual, "RMS relative error of annual totals")
	add(o.ARD, "averaged relative difference")
	add(o.Correlation, "(1 − Pearson r)")
	return strings.Join(terms, " + ")
}

// printCalibration prints the result.
func printCalibration(w io.Writer, res *calibrate.Result) {
	fmt.Fprintf(w, "%d evaluations (%s) in %s\n", res.Evals, res.Status, res.Wall.Round(time.Second))
	fmt.Fprintf(w, "objective: start %.4f, fitted %.4f (error on log counts %.3f, annual RMS %.3f, worst year %.1f %%)\n",
		res.Start.Value, res.Best.Value, res.Best.Terms.LogRMSE, res.Best.Terms.AnnualRMS, 100*res.Best.Terms.MaxAnnual)
	for i, n := range res.Names {
		change := ""
		if s := res.Start.X[i]; s != 0 {
			change = fmt.Sprintf(" (%+.0f %%)", 100*(res.Best.X[i]/s-1))
		}
		if math.IsNaN(res.Best.X[i]) {
			change = ""
		}
		fmt.Fprintf(w, "  %-28s %12s -> %-12s%s\n", n, calibrate.FormatValue(res.Start.X[i], false), calibrate.FormatValue(res.Best.X[i], false), change)
	}
}
