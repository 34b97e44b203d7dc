package sweep

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/report"
	"github.com/migsim/migsim/sim/scenario"
)

// Plan is a sweep ready to run: its file, base seed, indicator columns and
// runs.
type Plan struct {
	// File is the sweep file.
	File *File
	// Scenario and ScenarioHash identify the base scenario.
	Scenario, ScenarioHash string
	// Seed is the base seed of the replicate seeds and of an LHS design.
	Seed uint64
	// Indicators are the indicator keys recorded, in column order.
	Indicators []string
	// Runs are every run of the sweep, in run-id order.
	Runs []Run
}

// NewPlan builds the plan of f with base seed seed, recording the given
// indicator keys; scenario and hash identify the base scenario in the
// manifest.
func NewPlan(f *File, seed uint64, indicators []string, scenario, hash string) *Plan {
	return &Plan{File: f, Scenario: scenario, ScenarioHash: hash, Seed: seed, Indicators: indicators, Runs: Runs(f, seed)}
}

// Header returns the columns of sweep.csv: run_id, one per parameter (its
// path), replicate, seed, one per indicator.
func (p *Plan) Header() []string {
	return header(p.paramNames(), p.Indicators)
}

func (p *Plan) paramNames() []string {
	names := make([]string, len(p.File.Params))
	for i, prm := range p.File.Params {
		names[i] = prm.Path
	}
	return names
}

func header(params, indicators []string) []string {
	h := append([]string{"run_id"}, params...)
	h = append(h, "replicate", "seed")
	return append(h, indicators...)
}

// Bind loads the base scenario of f — a file relative to f's folder if one
// exists there, else the embedded scenario that lookup returns — applies
// f.Set, checks every parameter path and value and every indicator key
// against it, and returns the plan and the base scenario. Problems come back
// as a scenario.ErrorList naming the sweep file's lines.
func Bind(f *File, lookup func(name string) (*scenario.Scenario, error)) (*Plan, *scenario.Scenario, error) {
	base, err := loadBase(f, lookup)
	if err != nil {
		return nil, nil, err
	}
	var list scenario.ErrorList
	fail := func(key, format string, args ...any) {
		list = append(list, &scenario.Error{File: f.Path, Line: f.line(key), Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	if len(f.Set) > 0 {
		if err := base.ApplySets(f.Set); err != nil {
			fail("set", "%v", err)
		} else if err := base.Validate(); err != nil {
			fail("set", "the base scenario with these assignments is not valid:\n%v", err)
		}
	}
	if len(list) > 0 {
		return nil, nil, list
	}

	seed := f.Seed
	if seed == 0 {
		seed = base.Meta.Seed
	}
	keys := IndicatorKeys(base)
	inds := f.Indicators
	if len(inds) == 0 {
		inds = keys
	}
	for _, k := range f.Indicators {
		if !slices.Contains(keys, k) {
			fail("indicators", "%q is not an indicator of scenario %s (known: %s)", k, base.Meta.Name, strings.Join(keys, ", "))
		}
	}

	for i, prm := range f.Params {
		key := fmt.Sprintf("param[%d]", i+1)
		kind, err := base.ParamKind(prm.Path)
		if err != nil {
			fail(key+".path", "%v", err)
			continue
		}
		var values []any
		switch f.Design {
		case Grid:
			values = prm.Values
		case LHS:
			values = []any{prm.Lo, prm.Hi}
			switch kind {
			case scenario.Bool, scenario.Text:
				fail(key+".range", "%s is %s: sample numbers only (a grid can list true and false)", prm.Path, kind)
				continue
			case scenario.Integer:
				if !prm.Integer {
					fail(key+".integer", "%s is a whole number: add integer = true", prm.Path)
					continue
				}
				values = []any{math.Ceil(prm.Lo), math.Floor(prm.Hi)}
			}
		}
		for _, v := range values {
			sc := base.Clone()
			if err := sc.SetParam(prm.Path, v); err != nil {
				fail(key+".values", "%v", err)
				continue
			}
			if err := sc.Validate(); err != nil {
				fail(key, "%s = %s makes the scenario invalid:\n%v", prm.Path, FormatValue(v), err)
			}
		}
	}
	if len(list) > 0 {
		sortErrors(list)
		return nil, nil, list
	}
	return NewPlan(f, seed, inds, base.Meta.Name, base.Hash), base, nil
}

// loadBase reads f's base scenario.
func loadBase(f *File, lookup func(name string) (*scenario.Scenario, error)) (*scenario.Scenario, error) {
	path := f.Scenario
	if !filepath.IsAbs(path) {
		path = filepath.Join(f.Dir(), path)
	}
	if _, err := os.Stat(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return scenario.Load(path)
	}
	if lookup != nil {
		if sc, err := lookup(f.Scenario); err == nil {
			return sc, nil
		}
	}
	return nil, scenario.ErrorList{{File: f.Path, Line: f.line("scenario"), Key: "scenario",
		Msg: fmt.Sprintf("%q: no such file (looked for %s), nor an embedded scenario (see 'migsim scenarios')", f.Scenario, path)}}
}

// IndicatorKeys returns every indicator key a run of sc can have, in the
// order of report.Indicators: those of a run in which every node has aid
// (so every unmet_need_<node> appears). A run in which a node has no aid
// lacks that node's key; sweeps record it as NA.
func IndicatorKeys(sc *scenario.Scenario) []string {
	days := sc.Days()
	r := &sim.Result{Start: sc.Meta.Start, Days: days, FocusNode: -1, CrossingName: sc.Report.CrossingName}
	nodeIndex := map[string]int{}
	for i, n := range sc.Nodes {
		nodeIndex[n.ID] = i
		r.Nodes = append(r.Nodes, sim.NodeInfo{ID: n.ID, Name: n.Name, Country: n.Country, Kind: n.Kind})
	}
	edgeIndex := map[string]int{}
	for i, e := range sc.Edges {
		edgeIndex[e.ID] = i
		r.Edges = append(r.Edges, sim.EdgeInfo{ID: e.ID, From: e.From, To: e.To, FromIndex: nodeIndex[e.From], ToIndex: nodeIndex[e.To]})
	}
	for _, id := range sc.Report.Northbound {
		r.Northbound = append(r.Northbound, edgeIndex[id])
	}
	for _, id := range sc.Report.Southbound {
		r.Southbound = append(r.Southbound, edgeIndex[id])
	}
	if i, ok := nodeIndex[sc.Report.FocusNode]; ok {
		r.FocusNode = i
	}
	flows := make([]int64, len(r.Edges))
	stocks := make([]sim.Stock, len(r.Nodes))
	for i := range stocks {
		stocks[i].Meals = 1
	}
	totals := make([]float64, len(sim.TotalColumns))
	for d := 0; d < days; d++ {
		r.Flows = append(r.Flows, flows)
		r.Stocks = append(r.Stocks, stocks)
		r.Totals = append(r.Totals, totals)
	}
	var keys []string
	for _, in := range report.Indicators(r) {
		keys = append(keys, in.Key)
	}
	return keys
}

// Runner runs one run of a sweep with the given number of workers and
// returns its indicators, in the order of Plan.Indicators (NaN for one the
// run lacks).
type Runner func(ctx context.Context, run Run, workers int) ([]float64, error)

// ScenarioRunner returns the Runner that runs base with the run's
// parameter values set (on a copy), after checking the result, and records
// plan's indicators.
func ScenarioRunner(base *scenario.Scenario, plan *Plan) Runner {
	return func(ctx context.Context, run Run, workers int) ([]float64, error) {
		sc := base.Clone()
		for j, prm := range plan.File.Params {
			if err := sc.SetParam(prm.Path, run.Values[j]); err != nil {
				return nil, err
			}
		}
		if err := sc.Validate(); err != nil {
			return nil, err
		}
		r, err := sim.Run(ctx, sc, sim.Options{Seed: run.Seed, Workers: workers})
		if err != nil {
			return nil, err
		}
		byKey := map[string]float64{}
		for _, in := range report.Indicators(r) {
			byKey[in.Key] = in.Value
		}
		out := make([]float64, len(plan.Indicators))
		for i, k := range plan.Indicators {
			v, ok := byKey[k]
			if !ok {
				v = math.NaN()
			}
			out[i] = v
		}
		return out, nil
	}
}
