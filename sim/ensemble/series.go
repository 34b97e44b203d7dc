package ensemble

import (
	"errors"
	"fmt"
	"slices"

	"github.com/migsim/migsim/sim"
)

// Band is one daily series summarised across replicates: for each day the
// 5 %, 50 % and 95 % type-7 quantiles of the replicates' values.
type Band struct {
	Q05, Q50, Q95 []float64
}

// Flat reports whether the band has zero width on every day: all
// replicates agree.
func (b Band) Flat() bool {
	for d := range b.Q05 {
		if b.Q05[d] != b.Q95[d] {
			return false
		}
	}
	return true
}

// BandOf summarises series[k][d], the value of replicate k on day d, into a
// band. Every replicate must have the same number of days.
func BandOf(series [][]float64) (Band, error) {
	if len(series) == 0 {
		return Band{}, errors.New("ensemble: no replicates to summarise")
	}
	days := len(series[0])
	if err := checkSameShape("series", series, days); err != nil {
		return Band{}, err
	}
	b := Band{make([]float64, days), make([]float64, days), make([]float64, days)}
	x := make([]float64, len(series))
	for d := 0; d < days; d++ {
		for k, s := range series {
			x[k] = s[d]
		}
		slices.Sort(x)
		b.Q05[d], b.Q50[d], b.Q95[d] = Quantile7(x, P05), Quantile7(x, P50), Quantile7(x, P95)
	}
	return b, nil
}

// CrossingSeries returns the persons per day who started along the watched
// crossing's northbound and southbound edges (Result.Northbound and
// Result.Southbound).
func CrossingSeries(r *sim.Result) (north, south []float64) {
	return edgeSum(r, r.Northbound), edgeSum(r, r.Southbound)
}

func edgeSum(r *sim.Result, edges []int) []float64 {
	out := make([]float64, r.Days)
	for d := 0; d < r.Days && d < len(r.Flows); d++ {
		var s int64
		for _, e := range edges {
			s += r.Flows[d][e]
		}
		out[d] = float64(s)
	}
	return out
}

// TotalSeries returns column c of r.Totals as a daily series.
func TotalSeries(r *sim.Result, c sim.Total) []float64 {
	out := make([]float64, r.Days)
	for d := 0; d < r.Days && d < len(r.Totals); d++ {
		out[d] = r.Totals[d][c]
	}
	return out
}

// StockVariable names a field of sim.Stock in the quantile files.
type StockVariable struct {
	// Name is the value of the variable column ("present", "unmet_need", ...).
	Name string
	// Get extracts the field.
	Get func(sim.Stock) float64
}

// StockVariables returns the node variables summarised in
// stocks_quantiles.csv, in the order they are written.
func StockVariables() []StockVariable {
	return []StockVariable{
		{"present", func(s sim.Stock) float64 { return float64(s.Present) }},
		{"waiting", func(s sim.Stock) float64 { return float64(s.Waiting) }},
		{"stranded", func(s sim.Stock) float64 { return float64(s.Stranded) }},
		{"arrivals", func(s sim.Stock) float64 { return float64(s.Arrivals) }},
		{"aid_served", func(s sim.Stock) float64 { return float64(s.MealsServed) }},
		{"beds_served", func(s sim.Stock) float64 { return float64(s.BedsServed) }},
		{"unmet_need", func(s sim.Stock) float64 { return float64(s.UnmetNeed) }},
		{"meals_capacity", func(s sim.Stock) float64 { return s.Meals }},
		{"beds_capacity", func(s sim.Stock) float64 { return s.Beds }},
	}
}

// StockSeries returns variable v of node n as a daily series.
func StockSeries(r *sim.Result, n int, v StockVariable) []float64 {
	out := make([]float64, r.Days)
	for d := 0; d < r.Days && d < len(r.Stocks); d++ {
		out[d] = v.Get(r.Stocks[d][n])
	}
	return out
}

// CheckCompatible reports an error unless every result has the calendar,
// nodes and edges of the first: only then can their series be summarised
// day by day and key by key.
func CheckCompatible(results []*sim.Result) error {
	if len(results) == 0 {
		return errors.New("ensemble: no results")
	}
	a := results[0]
	for k, b := range results[1:] {
		switch {
		case b == nil || a == nil:
			return fmt.Errorf("ensemble: result %d is missing", k+1)
		case !b.Start.Equal(a.Start) || b.Days != a.Days:
			return fmt.Errorf("ensemble: result %d covers %s + %d days, the first %s + %d days",
				k+1, b.Start.Format("2006-01-02"), b.Days, a.Start.Format("2006-01-02"), a.Days)
		case len(b.Nodes) != len(a.Nodes) || len(b.Edges) != len(a.Edges):
			return fmt.Errorf("ensemble: result %d has %d nodes and %d edges, the first %d and %d",
				k+1, len(b.Nodes), len(b.Edges), len(a.Nodes), len(a.Edges))
		}
		for i := range a.Nodes {
			if a.Nodes[i].ID != b.Nodes[i].ID {
				return fmt.Errorf("ensemble: node %d of result %d is %q, of the first %q", i, k+1, b.Nodes[i].ID, a.Nodes[i].ID)
			}
		}
		for i := range a.Edges {
			if a.Edges[i].ID != b.Edges[i].ID {
				return fmt.Errorf("ensemble: edge %d of result %d is %q, of the first %q", i, k+1, b.Edges[i].ID, a.Edges[i].ID)
			}
		}
	}
	for k, r := range results {
		if len(r.Flows) != r.Days || len(r.Stocks) != r.Days || len(r.Totals) != r.Days {
			return fmt.Errorf("ensemble: result %d has %d/%d/%d days of flows/stocks/totals, want %d",
				k, len(r.Flows), len(r.Stocks), len(r.Totals), r.Days)
		}
	}
	return nil
}
