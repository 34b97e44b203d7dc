package ensemble

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/bands"
	"github.com/migsim/migsim/sim/report"
	"github.com/migsim/migsim/sim/scenario"
)

// CompareFile is the comparison table WriteComparison writes.
const CompareFile = "compare.csv"

// RunScenarios runs replicates 0 … n−1 of every scenario with common random
// numbers: replicate k of each scenario runs with ReplicateSeed(base, k),
// so differences between scenarios are paired. All runs share one pool of
// cpus cores (0: all). It returns results[s][k].
func RunScenarios(ctx context.Context, scs []*scenario.Scenario, n int, base uint64, cpus int, progress func(done, total int)) ([][]*sim.Result, error) {
	if n < 1 {
		return nil, fmt.Errorf("ensemble: %d replicates: want at least 1", n)
	}
	out := make([][]*sim.Result, len(scs))
	for s := range out {
		out[s] = make([]*sim.Result, n)
	}
	err := ForEach(ctx, len(scs)*n, cpus, progress, func(ctx context.Context, i, workers int) error {
		s, k := i/n, i%n
		seed := ReplicateSeed(base, k)
		r, err := sim.Run(ctx, scs[s].Clone(), sim.Options{Seed: seed, Workers: workers})
		if err != nil {
			return fmt.Errorf("scenario %s, replicate %d (seed %d): %w", scs[s].Meta.Name, k, seed, err)
		}
		out[s][k] = r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ensemble: %w", err)
	}
	return out, nil
}

// ComparisonRow is one indicator of one scenario in a comparison.
type ComparisonRow struct {
	// Scenario is the scenario's label.
	Scenario string
	// Key, Label and Unit describe the indicator (report.Indicators).
	Key, Label, Unit string
	// Value summarises the indicator over the scenario's replicates.
	Value Interval
	// Diff summarises, over replicate pairs (k of this scenario, k of the
	// first), this scenario's value minus the first's: with common random
	// numbers the pairs share their seeds, so the interval reflects the
	// effect of the change rather than the noise of two independent runs.
	// HasDiff is false when the first scenario lacks the indicator.
	Diff    Interval
	HasDiff bool
}

// Compare summarises the indicators of results[s][k] (scenario s, replicate
// k, every scenario with the same replicates) into rows, scenario by
// scenario in the indicator order of report.Indicators.
func Compare(names []string, results [][]*sim.Result) ([]ComparisonRow, error) {
	if len(names) != len(results) || len(results) == 0 {
		return nil, fmt.Errorf("ensemble: %d names for %d scenarios", len(names), len(results))
	}
	n := len(results[0])
	inds := make([][]map[string]report.Indicator, len(results))
	var orders [][]report.Indicator
	for s, rs := range results {
		if len(rs) != n || n == 0 {
			return nil, fmt.Errorf("ensemble: scenario %s has %d replicates, the first %d: common random numbers pair replicates one to one", names[s], len(rs), n)
		}
		inds[s] = make([]map[string]report.Indicator, n)
		var order []report.Indicator
		seen := map[string]bool{}
		for k, r := range rs {
			inds[s][k] = map[string]report.Indicator{}
			for _, in := range report.Indicators(r) {
				inds[s][k][in.Key] = in
				if !seen[in.Key] {
					seen[in.Key] = true
					order = append(order, in)
				}
			}
		}
		orders = append(orders, order)
	}
	var rows []ComparisonRow
	for s, order := range orders {
		for _, in := range order {
			row := ComparisonRow{Scenario: names[s], Key: in.Key, Label: in.Label, Unit: in.Unit}
			var vals, diffs []float64
			paired := true
			for k := 0; k < n; k++ {
				v, ok := inds[s][k][in.Key]
				if !ok {
					paired = false
					continue
				}
				vals = append(vals, v.Value)
				if f, ok := inds[0][k][in.Key]; ok {
					diffs = append(diffs, v.Value-f.Value)
				} else {
					paired = false
				}
			}
			row.Value = Summarize(vals)
			if paired {
				row.Diff, row.HasDiff = Summarize(diffs), true
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// perYear reports whether key is a per-year breakdown ("…_2023"), which
// the printed table leaves out (compare.csv has them).
func perYear(key string) bool {
	if len(key) < 5 || key[len(key)-5] != '_' {
		return false
	}
	for _, c := range key[len(key)-4:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// PrintComparison writes rows as an aligned text table, grouped by
// indicator, one line per scenario: the median and 5 % and 95 % quantiles
// over replicates, and the same of the paired differences from the first
// scenario (Δ). Per-year breakdowns are left to the CSV.
func PrintComparison(w io.Writer, rows []ComparisonRow) error {
	table := [][]string{{"indicator", "unit", "scenario", "median", "5 %", "95 %", "Δ median", "Δ 5 %", "Δ 95 %"}}
	var keys []string
	byKey := map[string][]ComparisonRow{}
	for _, r := range rows {
		if perYear(r.Key) {
			continue
		}
		if _, ok := byKey[r.Key]; !ok {
			keys = append(keys, r.Key)
		}
		byKey[r.Key] = append(byKey[r.Key], r)
	}
	for _, key := range keys {
		for i, r := range byKey[key] {
			line := []string{"", "", r.Scenario, human(r.Value.Q50, false), human(r.Value.Q05, false), human(r.Value.Q95, false), "", "", ""}
			if i == 0 {
				line[0], line[1] = r.Label, r.Unit
			}
			switch {
			case r.HasDiff && r.Scenario == rows[0].Scenario:
				line[6] = "reference"
			case r.HasDiff:
				line[6], line[7], line[8] = human(r.Diff.Q50, true), human(r.Diff.Q05, true), human(r.Diff.Q95, true)
			}
			table = append(table, line)
		}
	}
	// Text columns left-aligned, numbers right-aligned.
	width := make([]int, len(table[0]))
	for _, line := range table {
		for c, cell := range line {
			width[c] = max(width[c], utf8.RuneCountInString(cell))
		}
	}
	var b strings.Builder
	for _, line := range table {
		var l strings.Builder
		for c, cell := range line {
			pad := strings.Repeat(" ", width[c]-utf8.RuneCountInString(cell))
			if c > 0 {
				l.WriteString("  ")
			}
			if c < 3 {
				l.WriteString(cell + pad)
			} else {
				l.WriteString(pad + cell)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// human formats v for the printed table: whole numbers with thousands
// separators, fractions with one decimal below 100; sign optional.
func human(v float64, sign bool) string {
	if math.IsNaN(v) {
		return "NA"
	}
	var s string
	if math.Abs(v) < 100 && v != math.Trunc(v) {
		s = fmt.Sprintf("%.1f", math.Abs(v))
	} else {
		digits := fmt.Sprintf("%.0f", math.Abs(v))
		var b strings.Builder
		for i, c := range digits {
			if i > 0 && (len(digits)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(c)
		}
		s = b.String()
	}
	switch {
	case v < 0 && s != "0" && s != "0.0":
		return "-" + s
	case sign && v > 0:
		return "+" + s
	}
	return s
}

// ComparisonOptions control WriteComparison.
type ComparisonOptions struct {
	// Overwrite allows replacing a non-empty output directory.
	Overwrite bool
	// PlotFormat is "png" (default) or "svg".
	PlotFormat string
	// NoPlots skips the overlay figures.
	NoPlots bool
}

// WriteComparison writes compare.csv (scenario, indicator, label, unit,
// q05, q50, q95, diff_q50_vs_first, diff_q05, diff_q95) and the overlay
// figures compare_<measure>.<format> (one band per scenario) into dir,
// atomically as a whole.
func WriteComparison(dir string, names []string, results [][]*sim.Result, rows []ComparisonRow, opt ComparisonOptions) error {
	format := opt.PlotFormat
	if format == "" {
		format = "png"
	}
	if format != "png" && format != "svg" {
		return fmt.Errorf("ensemble: plot format %q: want png or svg", opt.PlotFormat)
	}
	err := report.WriteDir(dir, opt.Overwrite, func(staging string) error {
		recs := make([][]string, len(rows))
		for i, r := range rows {
			d05, d50, d95 := "NA", "NA", "NA"
			if r.HasDiff {
				d05, d50, d95 = Format(r.Diff.Q05), Format(r.Diff.Q50), Format(r.Diff.Q95)
			}
			recs[i] = []string{r.Scenario, r.Key, r.Label, r.Unit, Format(r.Value.Q05), Format(r.Value.Q50), Format(r.Value.Q95), d50, d05, d95}
		}
		header := []string{"scenario", "indicator", "label", "unit", "q05", "q50", "q95", "diff_q50_vs_first", "diff_q05", "diff_q95"}
		if err := writeCSVFile(filepath.Join(staging, CompareFile), header, recs); err != nil {
			return err
		}
		if opt.NoPlots {
			return nil
		}
		_, err := DrawComparison(staging, names, results, format)
		return err
	})
	if err != nil {
		return fmt.Errorf("ensemble: %w", err)
	}
	return nil
}

// ComparedMeasures are the measures WriteComparison overlays, by name.
func ComparedMeasures() []string {
	return []string{"crossing_north", "crossing_south", "focus_present", "focus_unmet_need",
		"entered_us", "gave_up", "returned_home", "stranded", "died"}
}

// DrawComparison draws, for each of ComparedMeasures, one figure
// compare_<measure>.<format> in dir with one band per scenario, and returns
// the paths written. Scenarios must share their calendar; a measure that
// some scenario lacks (no focus node) is skipped.
func DrawComparison(dir string, names []string, results [][]*sim.Result, format string) ([]string, error) {
	if len(results) == 0 || len(results[0]) == 0 {
		return nil, fmt.Errorf("no results to draw")
	}
	r0 := results[0][0]
	for s, rs := range results {
		if err := CheckCompatible(rs); err != nil {
			return nil, fmt.Errorf("scenario %s: %w", names[s], err)
		}
		if !rs[0].Start.Equal(r0.Start) || rs[0].Days != r0.Days {
			return nil, fmt.Errorf("scenario %s covers %s + %d days, %s covers %s + %d days: overlays need one calendar",
				names[s], rs[0].Start.Format(dateLayout), rs[0].Days, names[0], r0.Start.Format(dateLayout), r0.Days)
		}
	}
	var paths []string
	for _, name := range ComparedMeasures() {
		var series []bands.Series
		var title, ylabel string
		for s, rs := range results {
			var m *Measure
			for _, mm := range Measures(rs[0]) {
				if mm.Name == name {
					m = &mm
					break
				}
			}
			if m == nil {
				series = nil
				break
			}
			if s == 0 {
				title, ylabel = m.Label, m.YLabel
			}
			b, ok, err := MeasureBand(*m, rs)
			if err != nil {
				return paths, fmt.Errorf("%s: %w", name, err)
			}
			if !ok {
				series = nil
				break
			}
			series = append(series, bands.Series{Label: names[s], Color: bands.Palette(s), Lo: b.Q05, Mid: b.Q50, Hi: b.Q95})
		}
		if series == nil {
			continue
		}
		path := filepath.Join(dir, "compare_"+name+"."+format)
		chart := bands.Chart{Title: fmt.Sprintf("%s: %d replicates per scenario", title, len(results[0])), YLabel: ylabel, Start: r0.Start, Series: series}
		if err := bands.Save(path, format, chart); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}
