package ensemble

import (
	"encoding/csv"
	"io"
	"path/filepath"
	"slices"

	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/report"
)

// The quantile files WriteQuantiles writes, in long (tidy) form.
const (
	// FlowsQuantilesFile has columns date, from, to, edge, direction, q05, q50, q95.
	FlowsQuantilesFile = "flows_quantiles.csv"
	// StocksQuantilesFile has columns date, node, variable, q05, q50, q95.
	StocksQuantilesFile = "stocks_quantiles.csv"
	// TotalsQuantilesFile has columns date, variable, q05, q50, q95.
	TotalsQuantilesFile = "totals_quantiles.csv"
	// CrossingQuantilesFile has columns date, direction, q05, q50, q95: the
	// persons per day through the watched crossing (the Darién).
	CrossingQuantilesFile = "crossing_quantiles.csv"
)

const dateLayout = "2006-01-02"

// quantileRow summarises x (which it sorts in place) into the three
// formatted quantile fields.
func quantileRow(x []float64) []string {
	slices.Sort(x)
	return []string{Format(Quantile7(x, P05)), Format(Quantile7(x, P50)), Format(Quantile7(x, P95))}
}

// WriteQuantiles writes the quantile files of a compatible set of results
// (see CheckCompatible) into dir, each atomically: for every day and key,
// the 5 %, 50 % and 95 % type-7 quantiles across the results.
func WriteQuantiles(dir string, results []*sim.Result) error {
	if err := CheckCompatible(results); err != nil {
		return err
	}
	r0 := results[0]
	x := make([]float64, len(results))
	writeCSV := func(name string, header []string, rows func(w *csv.Writer) error) error {
		return report.WriteFileWith(filepath.Join(dir, name), true, func(w io.Writer) error {
			cw := csv.NewWriter(w)
			if err := cw.Write(header); err != nil {
				return err
			}
			if err := rows(cw); err != nil {
				return err
			}
			cw.Flush()
			return cw.Error()
		})
	}
	err := writeCSV(FlowsQuantilesFile, []string{"date", "from", "to", "edge", "direction", "q05", "q50", "q95"}, func(w *csv.Writer) error {
		for d := 0; d < r0.Days; d++ {
			date := r0.Date(d).Format(dateLayout)
			for e, info := range r0.Edges {
				for k, r := range results {
					x[k] = float64(r.Flows[d][e])
				}
				if err := w.Write(append([]string{date, info.From, info.To, info.ID, info.Direction}, quantileRow(x)...)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	vars := StockVariables()
	err = writeCSV(StocksQuantilesFile, []string{"date", "node", "variable", "q05", "q50", "q95"}, func(w *csv.Writer) error {
		for d := 0; d < r0.Days; d++ {
			date := r0.Date(d).Format(dateLayout)
			for n, info := range r0.Nodes {
				for _, v := range vars {
					for k, r := range results {
						x[k] = v.Get(r.Stocks[d][n])
					}
					if err := w.Write(append([]string{date, info.ID, v.Name}, quantileRow(x)...)); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = writeCSV(TotalsQuantilesFile, []string{"date", "variable", "q05", "q50", "q95"}, func(w *csv.Writer) error {
		for d := 0; d < r0.Days; d++ {
			date := r0.Date(d).Format(dateLayout)
			for c, name := range sim.TotalColumns {
				for k, r := range results {
					x[k] = r.Totals[d][c]
				}
				if err := w.Write(append([]string{date, name}, quantileRow(x)...)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	north := make([][]float64, len(results))
	south := make([][]float64, len(results))
	for k, r := range results {
		north[k], south[k] = CrossingSeries(r)
	}
	return writeCSV(CrossingQuantilesFile, []string{"date", "direction", "q05", "q50", "q95"}, func(w *csv.Writer) error {
		for d := 0; d < r0.Days; d++ {
			date := r0.Date(d).Format(dateLayout)
			for _, dir := range []struct {
				name   string
				series [][]float64
			}{{"north", north}, {"south", south}} {
				for k := range results {
					x[k] = dir.series[k][d]
				}
				if err := w.Write(append([]string{date, dir.name}, quantileRow(x)...)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
