// Package report writes a run's results as tidy CSV and JSON, atomically.
//
// WriteRun fills a fresh staging directory next to the output directory
// with
//
//	flows.csv   date,from,to,edge,mode,direction,persons   (one row per day × edge)
//	stocks.csv  date,node,present,waiting,stranded,arrivals,aid_served,
//	            beds_served,unmet_need,meals_capacity,beds_capacity (day × node)
//	totals.csv  date and one column per sim.TotalColumns entry (one row per day)
//	nodes.csv   id,name,country,kind,lat,lon
//	edges.csv   id,from,to,mode,direction
//	run.json    provenance, run statistics and headline indicators
//
// and the plots of package plots, then renames it into place, so that the
// output directory holds either a complete run or nothing new. Numbers are
// formatted deterministically: identical Results give byte-identical files.
package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/plots"
)

// RunInfo is what a run's outputs record about how it was made, beyond the
// Result itself.
type RunInfo struct {
	// Scenario is the scenario's name and ScenarioFile the file it was read
	// from ("" or an embedded name for built-in scenarios); Hash is the hex
	// SHA-256 of its source. Empty Scenario and Hash fall back to the
	// Result's.
	Scenario, ScenarioFile, Hash string
	// Seed is the seed the run used; 0 falls back to the Result's.
	Seed uint64
	// Workers is the number of workers; 0 falls back to the Result's.
	Workers int
	// Version is migsim's version.
	Version string
	// WallSeconds is the run's wall-clock time in seconds.
	WallSeconds float64
	// Replicate is the run's index in an ensemble, -1 when not part of one.
	Replicate int
	// Extra holds further fields for run.json's "extra" object (omitted
	// when empty); values must be encodable by encoding/json.
	Extra map[string]any
}

// Options control WriteRun.
type Options struct {
	// Overwrite allows replacing an existing, non-empty output directory.
	Overwrite bool
	// PlotFormat is "png" (the default when empty) or "svg".
	PlotFormat string
	// NoPlots skips the plots.
	NoPlots bool
}

// WriteRun writes r's tables, run.json and (unless opt.NoPlots) plots to
// dir, atomically: everything is written to a staging directory next to dir
// and renamed into place at the end. A missing dir (and its missing parents)
// is created then; an empty dir is replaced; a non-empty dir is replaced
// only with opt.Overwrite, else WriteRun fails and says so. On any error
// nothing is left behind and dir is untouched.
func WriteRun(dir string, r *sim.Result, info RunInfo, opt Options) error {
	format := opt.PlotFormat
	if format == "" {
		format = "png"
	}
	if format != "png" && format != "svg" {
		return fmt.Errorf("report: plot format %q: want png or svg", opt.PlotFormat)
	}
	if err := r.Check(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	err := WriteDir(dir, opt.Overwrite, func(staging string) error {
		for _, write := range []func(string, *sim.Result) error{writeFlows, writeStocks, writeTotals, writeNodes, writeEdges} {
			if err := write(staging, r); err != nil {
				return fmt.Errorf("%s: %w", dir, err)
			}
		}
		if !opt.NoPlots {
			if _, err := plots.Draw(staging, r, format); err != nil {
				return fmt.Errorf("%s: %w", dir, err)
			}
		}
		js, err := runJSON(r, info)
		if err != nil {
			return fmt.Errorf("%s: run.json: %w", dir, err)
		}
		if err := os.WriteFile(filepath.Join(staging, "run.json"), js, 0o644); err != nil {
			return fmt.Errorf("%s: %w", dir, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// runFile is the layout of run.json, fields in this order.
type runFile struct {
	Scenario          string                 `json:"scenario"`
	ScenarioFile      string                 `json:"scenario_file"`
	Hash              string                 `json:"hash"`
	Seed              uint64                 `json:"seed"`
	Workers           int                    `json:"workers"`
	Version           string                 `json:"version"`
	Replicate         int                    `json:"replicate"`
	WallSeconds       json.Number            `json:"wall_seconds"`
	Start             string                 `json:"start"`
	End               string                 `json:"end"`
	Days              int                    `json:"days"`
	PersonsPerAgent   int64                  `json:"persons_per_agent"`
	AgentSteps        int64                  `json:"agent_steps"`
	AgentUpdates      int64                  `json:"agent_updates"`
	AgentsCreated     int64                  `json:"agents_created"`
	PeakAgents        int64                  `json:"peak_agents"`
	PolicyChangeDays  int                    `json:"policy_change_days"`
	RoutingRecomputes int                    `json:"routing_recomputes"`
	Crossing          string                 `json:"crossing"`
	FocusNode         string                 `json:"focus_node"`
	Indicators        map[string]json.Number `json:"indicators"`
	Extra             map[string]any         `json:"extra,omitempty"`
}

// runJSON encodes run.json, indented, with a final newline.
func runJSON(r *sim.Result, info RunInfo) ([]byte, error) {
	rf := runFile{
		Scenario:          info.Scenario,
		ScenarioFile:      info.ScenarioFile,
		Hash:              info.Hash,
		Seed:              info.Seed,
		Workers:           info.Workers,
		Version:           info.Version,
		Replicate:         info.Replicate,
		WallSeconds:       json.Number(strconv.FormatFloat(info.WallSeconds, 'f', 3, 64)),
		Days:              r.Days,
		PersonsPerAgent:   r.PersonsPerAgent,
		AgentSteps:        r.AgentSteps,
		AgentUpdates:      r.AgentUpdates,
		AgentsCreated:     r.AgentsCreated,
		PeakAgents:        r.PeakAgents,
		PolicyChangeDays:  r.PolicyChangeDays,
		RoutingRecomputes: r.RoutingRecomputes,
		Crossing:          r.CrossingName,
		Indicators:        map[string]json.Number{},
		Extra:             info.Extra,
	}
	if rf.Scenario == "" {
		rf.Scenario = r.Scenario
	}
	if rf.Hash == "" {
		rf.Hash = r.Hash
	}
	if rf.Seed == 0 {
		rf.Seed = r.Seed
	}
	if rf.Workers == 0 {
		rf.Workers = r.Workers
	}
	if r.Days > 0 {
		rf.Start = r.Date(0).Format(dateLayout)
		rf.End = r.Date(r.Days - 1).Format(dateLayout)
	}
	if r.FocusNode >= 0 {
		rf.FocusNode = r.Nodes[r.FocusNode].ID
	}
	for _, in := range Indicators(r) {
		rf.Indicators[in.Key] = json.Number(formatIndicator(in))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
