package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/migsim/migsim/sim"
)

// dateLayout is the ISO 8601 calendar date used in every table.
const dateLayout = "2006-01-02"

// writeCSV creates dir/name and writes header and the rows that fill
// produces, through encoding/csv with "\n" line ends.
func writeCSV(dir, name string, header []string, fill func(w *csv.Writer) error) error {
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	w := csv.NewWriter(bw)
	if err := w.Write(header); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := fill(w); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// dates returns the ISO date of every day of the run.
func dates(r *sim.Result) []string {
	ds := make([]string, r.Days)
	for d := range ds {
		ds[d] = r.Date(d).Format(dateLayout)
	}
	return ds
}

// writeFlows writes flows.csv: one row per day and edge, zeros included.
func writeFlows(dir string, r *sim.Result) error {
	header := []string{"date", "from", "to", "edge", "mode", "direction", "persons"}
	return writeCSV(dir, "flows.csv", header, func(w *csv.Writer) error {
		rec := make([]string, len(header))
		for d, date := range dates(r) {
			for e, ed := range r.Edges {
				rec[0], rec[1], rec[2], rec[3], rec[4], rec[5] = date, ed.From, ed.To, ed.ID, ed.Mode, ed.Direction
				rec[6] = strconv.FormatInt(r.Flows[d][e], 10)
				if err := w.Write(rec); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// writeStocks writes stocks.csv: one row per day and node.
func writeStocks(dir string, r *sim.Result) error {
	header := []string{"date", "node", "present", "waiting", "stranded", "arrivals",
		"aid_served", "beds_served", "unmet_need", "meals_capacity", "beds_capacity"}
	return writeCSV(dir, "stocks.csv", header, func(w *csv.Writer) error {
		rec := make([]string, len(header))
		for d, date := range dates(r) {
			for n, nd := range r.Nodes {
				s := r.Stocks[d][n]
				rec[0], rec[1] = date, nd.ID
				rec[2] = strconv.FormatInt(s.Present, 10)
				rec[3] = strconv.FormatInt(s.Waiting, 10)
				rec[4] = strconv.FormatInt(s.Stranded, 10)
				rec[5] = strconv.FormatInt(s.Arrivals, 10)
				rec[6] = strconv.FormatInt(s.MealsServed, 10)
				rec[7] = strconv.FormatInt(s.BedsServed, 10)
				rec[8] = strconv.FormatInt(s.UnmetNeed, 10)
				rec[9] = formatNumber(s.Meals)
				rec[10] = formatNumber(s.Beds)
				if err := w.Write(rec); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// writeTotals writes totals.csv: one row per day, one column per total;
// persons as integers, USD with two decimals.
func writeTotals(dir string, r *sim.Result) error {
	header := make([]string, 0, 1+len(sim.TotalColumns))
	header = append(header, "date")
	header = append(header, sim.TotalColumns[:]...)
	return writeCSV(dir, "totals.csv", header, func(w *csv.Writer) error {
		rec := make([]string, len(header))
		for d, date := range dates(r) {
			rec[0] = date
			for c, v := range r.Totals[d] {
				if sim.Total(c).IsMoney() {
					rec[1+c] = formatUSD(v)
				} else {
					rec[1+c] = formatCount(v)
				}
			}
			if err := w.Write(rec); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeNodes writes nodes.csv, the node table that stocks.csv joins on.
func writeNodes(dir string, r *sim.Result) error {
	header := []string{"id", "name", "country", "kind", "lat", "lon"}
	return writeCSV(dir, "nodes.csv", header, func(w *csv.Writer) error {
		for _, n := range r.Nodes {
			if err := w.Write([]string{n.ID, n.Name, n.Country, n.Kind, formatNumber(n.Lat), formatNumber(n.Lon)}); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeEdges writes edges.csv, the edge table that flows.csv joins on.
func writeEdges(dir string, r *sim.Result) error {
	header := []string{"id", "from", "to", "mode", "direction"}
	return writeCSV(dir, "edges.csv", header, func(w *csv.Writer) error {
		for _, e := range r.Edges {
			if err := w.Write([]string{e.ID, e.From, e.To, e.Mode, e.Direction}); err != nil {
				return err
			}
		}
		return nil
	})
}

// formatNumber formats v in the shortest form that reads back exactly,
// without an exponent.
func formatNumber(v float64) string {
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// formatCount formats a count of persons as an integer.
func formatCount(v float64) string {
	v = math.Round(v)
	if v == 0 {
		v = 0
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// formatUSD formats money with two decimals.
func formatUSD(v float64) string {
	v = math.Round(v*100) / 100
	if v == 0 {
		v = 0
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}
