package ensemble

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"

	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/report"
)

// Files WriteEnsemble writes at the top of an ensemble's directory, besides
// the quantile files and band figures.
const (
	// ReplicatesFile has columns replicate, seed, dir.
	ReplicatesFile = "replicates.csv"
	// IndicatorsQuantilesFile has columns indicator, label, unit, q05, q50, q95.
	IndicatorsQuantilesFile = "indicators_quantiles.csv"
	// EnsembleJSON records provenance: scenario, hash, version, base seed,
	// replicate seeds and the indicator quantiles.
	EnsembleJSON = "ensemble.json"
)

// ReplicateDir returns the name of replicate k's directory: rep-000,
// rep-001, …
func ReplicateDir(k int) string { return fmt.Sprintf("rep-%03d", k) }

// WriteOptions control WriteEnsemble.
type WriteOptions struct {
	// Options are those of every replicate's report.WriteRun; Overwrite
	// applies to the ensemble's directory as a whole.
	report.Options
	// BaseSeed is the ensemble's base seed, recorded in ensemble.json.
	BaseSeed uint64
}

// WriteEnsemble writes an ensemble's results into dir, atomically (the
// whole directory is staged and renamed into place): replicate k's tables,
// run.json and plots (report.WriteRun) in rep-000/, rep-001/ …, and at the
// top the quantile files (flows_, stocks_, totals_, crossing_ and
// indicators_quantiles.csv), replicates.csv, ensemble.json and, unless
// opt.NoPlots, the band figures. results[k] is replicate k. info is the
// provenance shared by the replicates (its Seed and Replicate are set per
// replicate; WallSeconds is the ensemble's).
func WriteEnsemble(dir string, results []*sim.Result, info report.RunInfo, opt WriteOptions) error {
	if err := CheckCompatible(results); err != nil {
		return err
	}
	format := opt.PlotFormat
	if format == "" {
		format = "png"
	}
	if format != "png" && format != "svg" {
		return fmt.Errorf("ensemble: plot format %q: want png or svg", opt.PlotFormat)
	}
	err := report.WriteDir(dir, opt.Overwrite, func(staging string) error {
		for k, r := range results {
			ri := info
			ri.Seed, ri.Workers, ri.Replicate = r.Seed, r.Workers, k
			if err := report.WriteRun(filepath.Join(staging, ReplicateDir(k)), r, ri, report.Options{PlotFormat: format, NoPlots: opt.NoPlots}); err != nil {
				return fmt.Errorf("replicate %d: %w", k, err)
			}
		}
		if err := WriteQuantiles(staging, results); err != nil {
			return err
		}
		ind := IndicatorQuantiles(results)
		if err := writeIndicatorQuantiles(filepath.Join(staging, IndicatorsQuantilesFile), ind); err != nil {
			return err
		}
		if err := writeReplicates(filepath.Join(staging, ReplicatesFile), results); err != nil {
			return err
		}
		if err := writeEnsembleJSON(filepath.Join(staging, EnsembleJSON), results, info, opt.BaseSeed, ind); err != nil {
			return err
		}
		if !opt.NoPlots {
			if _, err := DrawBands(staging, results, format); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ensemble: %w", err)
	}
	return nil
}

// IndicatorSummary is one headline indicator summarised over replicates.
type IndicatorSummary struct {
	Key, Label, Unit string
	Interval
	// N is the number of replicates that have the indicator.
	N int
}

// IndicatorQuantiles summarises report.Indicators over the results, in the
// order the indicators first appear.
func IndicatorQuantiles(results []*sim.Result) []IndicatorSummary {
	var order []report.Indicator
	values := map[string][]float64{}
	for _, r := range results {
		for _, in := range report.Indicators(r) {
			if _, seen := values[in.Key]; !seen {
				order = append(order, in)
			}
			values[in.Key] = append(values[in.Key], in.Value)
		}
	}
	out := make([]IndicatorSummary, len(order))
	for i, in := range order {
		v := values[in.Key]
		out[i] = IndicatorSummary{Key: in.Key, Label: in.Label, Unit: in.Unit, Interval: Summarize(v), N: len(v)}
	}
	return out
}

func writeCSVFile(path string, header []string, rows [][]string) error {
	return report.WriteFileWith(path, true, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(header); err != nil {
			return err
		}
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
		return cw.Error()
	})
}

func writeIndicatorQuantiles(path string, ind []IndicatorSummary) error {
	rows := make([][]string, len(ind))
	for i, s := range ind {
		rows[i] = []string{s.Key, s.Label, s.Unit, Format(s.Q05), Format(s.Q50), Format(s.Q95)}
	}
	return writeCSVFile(path, []string{"indicator", "label", "unit", "q05", "q50", "q95"}, rows)
}

func writeReplicates(path string, results []*sim.Result) error {
	rows := make([][]string, len(results))
	for k, r := range results {
		rows[k] = []string{strconv.Itoa(k), strconv.FormatUint(r.Seed, 10), ReplicateDir(k)}
	}
	return writeCSVFile(path, []string{"replicate", "seed", "dir"}, rows)
}

func writeEnsembleJSON(path string, results []*sim.Result, info report.RunInfo, base uint64, ind []IndicatorSummary) error {
	type q struct {
		Q05 any `json:"q05"`
		Q50 any `json:"q50"`
		Q95 any `json:"q95"`
	}
	num := func(v float64) any { // a number, or null when there is none
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return json.Number(Format(v))
	}
	doc := struct {
		Scenario     string       `json:"scenario"`
		ScenarioFile string       `json:"scenario_file"`
		Hash         string       `json:"hash"`
		Version      string       `json:"version"`
		BaseSeed     uint64       `json:"base_seed"`
		Replicates   int          `json:"replicates"`
		Seeds        []uint64     `json:"seeds"`
		WallSeconds  any          `json:"wall_seconds"`
		Quantiles    string       `json:"quantiles"`
		Indicators   map[string]q `json:"indicators"`
	}{
		Scenario: info.Scenario, ScenarioFile: info.ScenarioFile, Hash: info.Hash, Version: info.Version,
		BaseSeed: base, Replicates: len(results), WallSeconds: num(info.WallSeconds),
		Quantiles: "type 7 (R's default), 5 %, 50 %, 95 %", Indicators: map[string]q{},
	}
	if doc.Scenario == "" {
		doc.Scenario = results[0].Scenario
	}
	if doc.Hash == "" {
		doc.Hash = results[0].Hash
	}
	for _, r := range results {
		doc.Seeds = append(doc.Seeds, r.Seed)
	}
	for _, s := range ind {
		doc.Indicators[s.Key] = q{num(s.Q05), num(s.Q50), num(s.Q95)}
	}
	js, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return report.WriteFileWith(path, true, func(w io.Writer) error {
		_, err := w.Write(append(js, '\n'))
		return err
	})
}
