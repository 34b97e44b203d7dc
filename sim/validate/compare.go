package validate

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"time"

	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/ensemble"
	"github.com/migsim/migsim/sim/scenario"
)

// Target is an observed series with the simulated quantity it measures.
type Target struct {
	// Name names the series (the [[observed]] entry's name).
	Name string
	// Source is the source id of the series.
	Source string
	// Quantity is what it measures.
	Quantity Quantity
	// Series holds the observations.
	Series *Series
}

// Targets reads the series of the scenario's [[observed]] entries. A
// relative file name is looked up in the folder dir (that of the scenario
// file; "" when the scenario was not read from disk); when it is not there
// it is read from fallback (the embedded scenario files, say; nil for
// none). override maps an entry's name to a file that replaces the entry's
// own.
func Targets(sc *scenario.Scenario, dir string, fallback fs.FS, override map[string]string) ([]Target, error) {
	for name := range override {
		if !slices.ContainsFunc(sc.Observed, func(o scenario.Observed) bool { return o.Name == name }) {
			return nil, fmt.Errorf("scenario %s has no [[observed]] entry named %q", sc.Meta.Name, name)
		}
	}
	var out []Target
	for _, o := range sc.Observed {
		s, err := readObserved(dir, o.File, override[o.Name], fallback)
		if err != nil {
			return nil, fmt.Errorf("observed series %s: %w", o.Name, err)
		}
		out = append(out, Target{Name: o.Name, Source: o.Source, Quantity: QuantityOf(o), Series: s})
	}
	return out, nil
}

// readObserved reads an observed file: override as given, else file
// relative to dir on disk, else file in fallback.
func readObserved(dir, file, override string, fallback fs.FS) (*Series, error) {
	if override != "" {
		data, err := os.ReadFile(override)
		if err != nil {
			return nil, fmt.Errorf("read observed series: %w", err)
		}
		return ParseSeries(override, data)
	}
	var tried []string
	if dir != "" || filepath.IsAbs(file) {
		p := filepath.FromSlash(file)
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		data, err := os.ReadFile(p)
		if err == nil {
			return ParseSeries(p, data)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("read observed series: %w", err)
		}
		tried = append(tried, p)
	}
	if fallback != nil {
		name := path.Clean(filepath.ToSlash(file))
		data, err := fs.ReadFile(fallback, name)
		if err == nil {
			return ParseSeries(name, data)
		}
		tried = append(tried, name+" (embedded)")
	}
	return nil, fmt.Errorf("cannot find %s (tried %v)", file, tried)
}

// YearTotal compares the totals of one calendar year.
type YearTotal struct {
	// Year is the calendar year; Periods the number of its periods compared.
	Year, Periods int
	// Observed is the observed total.
	Observed float64
	// Sim is the simulated total: 5 %, 50 % and 95 % quantiles over the
	// replicates.
	Sim ensemble.Interval
	// RelErr is the relative error of the median total, (Sim.Q50 −
	// Observed) / Observed.
	RelErr float64
}

// Comparison is one observed series against an ensemble of runs.
type Comparison struct {
	Target
	// Periods and Observed are the compared periods and observed values:
	// those with an observation, within the run, and not after the cut-off.
	Periods  []time.Time
	Observed []float64
	// Sim[k] is replicate k's value in each compared period.
	Sim [][]float64
	// Band summarises Sim period by period (type-7 quantiles).
	Band ensemble.Band
	// Median are the metrics of the median series Band.Q50.
	Median Metrics
	// Replicates are the metrics of each replicate's own series.
	Replicates []Metrics
	// Years compares annual totals.
	Years []YearTotal
	// Dropped counts observed periods left out because the run does not
	// cover them or they end after the cut-off.
	Dropped int
}

// Compare compares target with the runs results (replicates of one
// scenario). Observed periods ending after until (when not zero) are left
// out.
func Compare(t Target, results []*sim.Result, until time.Time) (*Comparison, error) {
	if len(results) == 0 {
		return nil, errors.New("validate: no runs to compare")
	}
	s, cut := t.Series.Until(until)
	c := &Comparison{Target: t, Dropped: cut}
	state := t.Quantity.IsState()
	var keep []bool
	for k, r := range results {
		daily, err := Daily(r, t.Quantity)
		if err != nil {
			return nil, fmt.Errorf("series %s: %w", t.Name, err)
		}
		vals, ok := Aggregate(daily, r.Start, s, state)
		if k == 0 {
			keep = ok
		} else if !slices.Equal(ok, keep) {
			return nil, fmt.Errorf("series %s: replicate %d covers other dates than replicate 0", t.Name, k)
		}
		var v []float64
		for i := range vals {
			if ok[i] {
				v = append(v, vals[i])
			}
		}
		c.Sim = append(c.Sim, v)
	}
	for i, ok := range keep {
		if ok {
			c.Periods = append(c.Periods, s.Periods[i])
			c.Observed = append(c.Observed, s.Values[i])
		} else {
			c.Dropped++
		}
	}
	if len(c.Periods) == 0 {
		return nil, fmt.Errorf("series %s: no observed period lies within the run (%s + %d days)", t.Name, results[0].Start.Format("2006-01-02"), results[0].Days)
	}
	band, err := ensemble.BandOf(c.Sim)
	if err != nil {
		return nil, err
	}
	c.Band = band
	c.Median = Measure(band.Q50, c.Observed)
	for _, v := range c.Sim {
		c.Replicates = append(c.Replicates, Measure(v, c.Observed))
	}
	c.Years = yearTotals(c.Periods, c.Observed, c.Sim)
	return c, nil
}

// yearTotals sums the compared periods by calendar year.
func yearTotals(periods []time.Time, obs []float64, sim [][]float64) []YearTotal {
	var out []YearTotal
	for i := 0; i < len(periods); {
		y := periods[i].Year()
		j := i
		for j < len(periods) && periods[j].Year() == y {
			j++
		}
		yt := YearTotal{Year: y, Periods: j - i}
		for t := i; t < j; t++ {
			yt.Observed += obs[t]
		}
		tot := make([]float64, len(sim))
		for k := range sim {
			for t := i; t < j; t++ {
				tot[k] += sim[k][t]
			}
		}
		yt.Sim = ensemble.Summarize(tot)
		yt.RelErr = RelErr(yt.Sim.Q50, yt.Observed)
		out = append(out, yt)
		i = j
	}
	return out
}

// MaxAbsYearErr returns the largest |relative error| of the annual totals
// of c (NaN if none).
func (c *Comparison) MaxAbsYearErr() float64 {
	m := math.NaN()
	for _, y := range c.Years {
		if a := math.Abs(y.RelErr); !math.IsNaN(a) && !(a <= m) {
			m = a
		}
	}
	return m
}
