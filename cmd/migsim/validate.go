package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/migsim/migsim/scenarios"
	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/bands"
	"github.com/migsim/migsim/sim/ensemble"
	"github.com/migsim/migsim/sim/report"
	"github.com/migsim/migsim/sim/scenario"
	"github.com/migsim/migsim/sim/validate"
)

// validateFlags are the flags of `migsim validate`.
type validateFlags struct {
	observed   []string
	checks     []string
	replicates int
	seed       uint64
	workers    int
	scale      float64
	sets       []string
	out        string
	markdown   string
	notes      string
	notesText  string // the contents of notes, read before the runs
	overwrite  bool
	svg        bool
	noPlots    bool
	quiet      bool
}

// newValidateCmd builds `migsim validate`.
func newValidateCmd() *cobra.Command {
	var f validateFlags
	cmd := &cobra.Command{
		Use:   "validate [scenario.toml | name]",
		Short: "Compare a scenario's runs with observed series: metrics, table, CSV and plots",
		Long: `Run a scenario --replicates times and compare it with the observed series its
[[observed]] entries name (with no argument, the embedded default scenario).

Each entry says which simulated quantity a series measures: "flow" (persons
starting along the listed edges, summed), "arrivals" (persons arriving at a
node), a node's present, waiting, stranded or unmet_need (with node = ...),
or a column of totals.csv. Simulated daily values are summed over each
observed month (or day; states take the value on the period's last day)
and compared by:

  ARD      averaged relative difference, as Flee reports it:
           mean over periods with obs > 0 of |sim - obs| / obs
           (periods with obs = 0 are left out)
  log err  root mean square of ln(1 + sim) - ln(1 + obs)
  r        Pearson correlation of sim and obs
  annual   (sim total - obs total) / obs total for each calendar year

computed on the median over replicates, with the 5 % and 95 % quantiles of
the annual totals (type 7). The table is printed; the output folder
(default output/<scenario>-validation/) receives metrics.csv, annual.csv,
periods.csv, checks.csv and a plot per series of the observed values
against the simulated median and 90 % band, plus the ensemble's band plots.

--observed replaces an entry's file: NAME=FILE, or FILE alone when the
scenario has one entry. --checks adds forecast checks (a TOML file of
[[check]] tables, or the name of an embedded one: forecast_2025) that
compare a quantity over a period with a figure a source reports.
--markdown writes a Markdown report (docs/validation.md) that links the
figures in the output folder.

The observed CSV format: a header line whose first column is month
(YYYY-MM) or date (YYYY-MM-DD) and whose second column is the count; one
line per period; NA or empty for a period not observed; # for comments.`,
		Example: `  migsim validate --scale 0.01 --replicates 5
  migsim validate my.toml --observed darien_monthly=my_counts.csv
  migsim validate --scale 0.1 --replicates 10 --checks forecast_2025 \
      --out docs/validation --markdown docs/validation.md --overwrite`,
		Args: rangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			}
			return runValidate(cmd, arg, f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.observed, "observed", nil, "replace an observed series' file, `NAME=FILE` or FILE (repeatable)")
	fl.StringArrayVar(&f.checks, "checks", nil, "forecast checks `FILE` (TOML) or embedded name, e.g. forecast_2025 (repeatable)")
	fl.IntVar(&f.replicates, "replicates", 5, "number `N` of replicates")
	fl.Uint64Var(&f.seed, "seed", 0, "base seed `N` of the replicate seeds; 0 uses the scenario's seed")
	fl.IntVar(&f.workers, "workers", 0, "number `N` of cores to use, by default all")
	fl.Float64Var(&f.scale, "scale", 0, "simulate a fraction `S` of persons as agents (e.g. 0.01), 0 keeps the scenario's")
	fl.StringArrayVar(&f.sets, "set", nil, "set a scenario parameter `path=value` (repeatable)")
	fl.StringVar(&f.out, "out", "", "output folder `DIR` (default output/<scenario>-validation/)")
	fl.StringVar(&f.markdown, "markdown", "", "also write a Markdown report to `FILE`")
	fl.StringVar(&f.notes, "notes", "", "put the Markdown of `FILE` (written by hand: what limits the fit, say) into the report")
	fl.BoolVar(&f.overwrite, "overwrite", false, "replace existing output files")
	fl.BoolVar(&f.svg, "svg", false, "draw plots as SVG instead of PNG")
	fl.BoolVar(&f.noPlots, "no-plots", false, "draw no plots")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "show no progress on stderr")
	return cmd
}

// runValidate carries out `migsim validate`.
func runValidate(cmd *cobra.Command, arg string, f validateFlags) error {
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	switch {
	case f.replicates < 1:
		return usageError(fmt.Errorf("--replicates must be at least 1, not %d", f.replicates))
	case f.workers < 0:
		return usageError(fmt.Errorf("--workers must be at least 1, not %d", f.workers))
	case f.scale < 0 || f.scale > 1:
		return usageError(fmt.Errorf("--scale must be in (0, 1], not %g", f.scale))
	case f.svg && f.noPlots:
		return usageError(errors.New("--svg and --no-plots exclude each other"))
	case f.markdown != "" && f.noPlots:
		return usageError(errors.New("--markdown needs the plots: drop --no-plots"))
	case f.notes != "" && f.markdown == "":
		return usageError(errors.New("--notes goes with --markdown"))
	}
	sc, dir, err := loadForValidation(arg, f.sets, f.scale)
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
	if len(targets) == 0 {
		return fmt.Errorf("scenario %s has no [[observed]] entries: nothing to validate against", sc.Meta.Name)
	}
	var checks []validate.Check
	for _, c := range f.checks {
		cs, err := readChecks(c)
		if err != nil {
			printErrors(stderr, err)
			return errReported()
		}
		checks = append(checks, cs...)
	}
	out := f.out
	if out == "" {
		out = filepath.Join("output", sc.Meta.Name+"-validation")
	}
	format := "png"
	if f.svg {
		format = "svg"
	}
	files := []string{"metrics.csv", "annual.csv", "periods.csv"}
	if len(checks) > 0 {
		files = append(files, "checks.csv")
	}
	if !f.noPlots {
		for _, t := range targets {
			files = append(files, validate.FigureName(t, format))
		}
		for _, n := range []string{ensemble.CrossingBandFigure, ensemble.FocusBandFigure, ensemble.OutcomesBandFigure} {
			files = append(files, n+"."+format)
		}
	}
	if f.notes != "" {
		data, err := os.ReadFile(f.notes)
		if err != nil {
			return fmt.Errorf("read --notes: %w", err)
		}
		f.notesText = strings.TrimSpace(string(data))
	}
	if err := checkTargets(out, files, f.markdown, f.overwrite); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop)
	base := f.seed
	if base == 0 {
		base = sc.Meta.Seed
	}
	var progress func(done, total int)
	if !f.quiet {
		fmt.Fprintf(stderr, "validate: %d replicates of %s at scale %g (seeds from base seed %d)\n", f.replicates, sc.Meta.Name, sc.Meta.Scale, base)
		progress = runCounter(stderr, "validate")
	}
	results, err := ensemble.Run(ctx, sc, ensemble.Options{Replicates: f.replicates, Workers: f.workers, BaseSeed: base, Only: -1, Progress: progress})
	if ctx.Err() != nil {
		return &exitError{code: exitInterrupted, err: errors.New("interrupted; nothing written")}
	}
	if err != nil {
		return err
	}
	var comps []*validate.Comparison
	for _, t := range targets {
		// Validation compares every observation; calibration alone is held
		// to the calibration window.
		c, err := validate.Compare(t, results, time.Time{})
		if err != nil {
			return err
		}
		comps = append(comps, c)
	}
	checked, err := validate.Evaluate(checks, results)
	if err != nil {
		return err
	}
	if err := writeValidation(out, format, f, arg, sc, targets, comps, checked, results, base); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Scenario %s (sha256 %.12s), %d replicates at scale %g, base seed %d\n\n", sc.Meta.Name, sc.Hash, f.replicates, sc.Meta.Scale, base)
	if err := validate.PrintTable(stdout, comps); err != nil {
		return err
	}
	if len(checked) > 0 {
		fmt.Fprintln(stdout)
		if err := validate.PrintChecks(stdout, checked); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "\nFiles written to %s\n", out)
	if f.markdown != "" {
		fmt.Fprintf(stdout, "Report written to %s\n", f.markdown)
	}
	return nil
}

// loadForValidation loads the scenario arg (see loadScenario), applies the
// --set assignments and the --scale thinning, checks it, and returns it
// with the folder its relative data files are read from ("" for an
// embedded scenario).
func loadForValidation(arg string, sets []string, scale float64) (*scenario.Scenario, string, error) {
	if scale > 0 {
		sets = append([]string{fmt.Sprintf("scenario.scale=%g", scale)}, sets...)
	}
	sc, err := loadScenario(arg, sets)
	if err != nil {
		return nil, "", err
	}
	dir := ""
	if arg != "" {
		if fi, err := os.Stat(arg); err == nil && !fi.IsDir() {
			dir = filepath.Dir(arg)
		}
	}
	return sc, dir, nil
}

// observedOverrides parses the --observed values against the scenario's
// [[observed]] entries.
func observedOverrides(sc *scenario.Scenario, vals []string) (map[string]string, error) {
	out := map[string]string{}
	for _, v := range vals {
		name, file, ok := strings.Cut(v, "=")
		if !ok {
			if len(sc.Observed) != 1 {
				return nil, fmt.Errorf("--observed %s: scenario %s has %d [[observed]] entries; write NAME=FILE", v, sc.Meta.Name, len(sc.Observed))
			}
			name, file = sc.Observed[0].Name, v
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("--observed: %s given twice", name)
		}
		out[name] = file
	}
	return out, nil
}

// readChecks reads a checks file, or the embedded checks file of that name.
func readChecks(arg string) ([]validate.Check, error) {
	if _, err := os.Stat(arg); err == nil {
		data, err := os.ReadFile(arg)
		if err != nil {
			return nil, fmt.Errorf("read checks: %w", err)
		}
		return validate.ReadChecks(arg, data)
	}
	name := "checks/" + strings.TrimSuffix(arg, ".toml") + ".toml"
	data, err := fs.ReadFile(scenarios.FS(), name)
	if err != nil {
		return nil, fmt.Errorf("--checks %s: no such file, nor an embedded checks file", arg)
	}
	return validate.ReadChecks(name, data)
}

// checkTargets refuses, before any run, to replace existing output files
// without --overwrite, and creates the output folder.
func checkTargets(dir string, files []string, markdown string, overwrite bool) error {
	if !overwrite {
		for _, f := range append(files, markdown) {
			if f == "" {
				continue
			}
			p := f
			if f != markdown {
				p = filepath.Join(dir, f)
			}
			if _, err := os.Stat(p); err == nil {
				return fmt.Errorf("%s exists (pass --overwrite to replace it)", p)
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create output folder: %w", err)
	}
	return nil
}

// writeValidation writes the CSV files, the plots and the Markdown report.
func writeValidation(dir, format string, f validateFlags, arg string, sc *scenario.Scenario, targets []validate.Target,
	comps []*validate.Comparison, checked []validate.CheckResult, results []*sim.Result, base uint64) error {
	type file struct {
		name string
		make func([]*validate.Comparison) ([]byte, error)
	}
	for _, fl := range []file{{"metrics.csv", validate.MetricsCSV}, {"annual.csv", validate.AnnualCSV}, {"periods.csv", validate.PeriodsCSV}} {
		data, err := fl.make(comps)
		if err != nil {
			return err
		}
		if err := report.WriteFileAtomic(filepath.Join(dir, fl.name), data, f.overwrite); err != nil {
			return err
		}
	}
	if len(checked) > 0 {
		data, err := validate.ChecksCSV(checked)
		if err != nil {
			return err
		}
		if err := report.WriteFileAtomic(filepath.Join(dir, "checks.csv"), data, f.overwrite); err != nil {
			return err
		}
	}
	if f.noPlots {
		return nil
	}
	figures := map[string]string{}
	for _, t := range targets {
		p, err := validate.Plot(t, results, validate.PlotOptions{Cutoff: validate.CalibrationEnd()})
		if err != nil {
			return err
		}
		path := filepath.Join(dir, validate.FigureName(t, format))
		if err := bands.SavePlot(path, format, p); err != nil {
			return err
		}
		figures[t.Name] = path
	}
	more, err := ensemble.DrawBands(dir, results, format)
	if err != nil {
		return err
	}
	if f.markdown == "" {
		return nil
	}
	rel := func(p string) string {
		r, err := filepath.Rel(filepath.Dir(f.markdown), p)
		if err != nil {
			return filepath.ToSlash(p)
		}
		return filepath.ToSlash(r)
	}
	doc := validate.Doc{
		Command: validateCommand(arg, f), Scenario: sc.Meta.Name, Hash: sc.Hash, Calibration: sc.Meta.Calibration,
		Version: version(), Replicates: f.replicates, Seed: base, Scale: sc.Meta.Scale,
		Comparisons: comps, Checks: checked, Figures: map[string]string{},
	}
	for name, p := range figures {
		doc.Figures[name] = rel(p)
	}
	captions := map[string]string{
		ensemble.CrossingBandFigure: "persons starting the watched crossing per day, each way",
		ensemble.FocusBandFigure:    "population, unmet need and meals capacity at the focus node",
		ensemble.OutcomesBandFigure: "cumulative outcomes",
	}
	for _, p := range more {
		stem := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
		doc.Bands = append(doc.Bands, [2]string{captions[stem], rel(p)})
	}
	doc.Notes = f.notesText
	var b strings.Builder
	if err := validate.WriteMarkdown(&b, doc); err != nil {
		return err
	}
	return report.WriteFileAtomic(f.markdown, []byte(b.String()), f.overwrite)
}

// validateCommand writes the command line that reproduces a validation,
// from its flags (so that a report names it the same way wherever it was
// run).
func validateCommand(arg string, f validateFlags) string {
	parts := []string{"migsim", "validate"}
	if arg != "" {
		parts = append(parts, arg)
	}
	for _, o := range f.observed {
		parts = append(parts, "--observed", o)
	}
	for _, c := range f.checks {
		parts = append(parts, "--checks", c)
	}
	parts = append(parts, "--replicates", fmt.Sprint(f.replicates))
	if f.seed != 0 {
		parts = append(parts, "--seed", fmt.Sprint(f.seed))
	}
	if f.scale != 0 {
		parts = append(parts, "--scale", fmt.Sprint(f.scale))
	}
	for _, s := range f.sets {
		parts = append(parts, "--set", s)
	}
	parts = append(parts, "--out", f.out, "--markdown", f.markdown)
	if f.notes != "" {
		parts = append(parts, "--notes", f.notes)
	}
	if f.svg {
		parts = append(parts, "--svg")
	}
	return strings.Join(parts, " ")
}
