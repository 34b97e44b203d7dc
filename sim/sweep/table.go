package sweep

import (
	"github.com/migsim/migsim/sim/report"

	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// writeCSV writes header and records to path atomically.
func writeCSV(path string, header []string, records [][]string) error {
	return report.WriteFileWith(path, true, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(header); err != nil {
			return err
		}
		if err := cw.WriteAll(records); err != nil {
			return err
		}
		return cw.Error()
	})
}

// writeOutputs writes the whole sweep's sweep.csv, failures.csv (header
// only when nothing failed) and, unless noPlots, the summary plots, from
// its rows.
func writeOutputs(dir string, m *Manifest, rows []row, format string, noPlots bool) ([]string, error) {
	sortRows(rows)
	table := make([][]string, len(rows))
	var failures [][]string
	nParams := len(m.Params)
	for i, r := range rows {
		table[i] = r.fields
		if r.err != "" {
			// run_id, parameters, replicate, seed, error
			failures = append(failures, append(slices.Clone(r.fields[:nParams+3]), r.err))
		}
	}
	var files []string
	path := filepath.Join(dir, TableFile)
	if err := writeCSV(path, m.Header(), table); err != nil {
		return files, err
	}
	files = append(files, path)
	path = filepath.Join(dir, FailuresFile)
	fh := append(append([]string{"run_id"}, m.Params...), "replicate", "seed", "error")
	if err := writeCSV(path, fh, failures); err != nil {
		return files, err
	}
	files = append(files, path)
	if noPlots {
		return files, nil
	}
	plots, err := drawSummary(filepath.Join(dir, PlotsDir), m, rows, format)
	files = append(files, plots...)
	return files, err
}

// writePart writes shard s's rows, with their errors in a last column, to
// parts/part-I-of-N.csv.
func writePart(dir string, m *Manifest, s Shard, rows []row) (string, error) {
	if err := os.MkdirAll(filepath.Join(dir, PartsDir), 0o755); err != nil {
		return "", err
	}
	sortRows(rows)
	records := make([][]string, len(rows))
	for i, r := range rows {
		records[i] = append(slices.Clone(r.fields), r.err)
	}
	path := filepath.Join(dir, PartsDir, PartName(s.I, s.N))
	return path, writeCSV(path, append(m.Header(), "error"), records)
}

// MergeOptions control Merge.
type MergeOptions struct {
	// Force replaces an existing sweep.csv.
	Force bool
	// PlotFormat ("png", "svg") and NoPlots control the summary plots.
	PlotFormat string
	NoPlots    bool
}

// parsePartName returns i and n of a file named part-I-of-N.csv.
func parsePartName(name string) (i, n int, ok bool) {
	s, ok1 := strings.CutPrefix(name, "part-")
	s, ok2 := strings.CutSuffix(s, ".csv")
	a, b, ok3 := strings.Cut(s, "-of-")
	if !ok1 || !ok2 || !ok3 {
		return 0, 0, false
	}
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || i < 0 || n < 1 || PartName(i, n) != name {
		return 0, 0, false
	}
	return i, n, true
}

// Merge combines the parts that the shards of a sweep wrote into dir into
// sweep.csv, failures.csv and the summary plots — the files a single
// machine writes for the same sweep, byte for byte. It refuses, naming what
// is wrong, when a part is missing, when parts disagree on the number of
// shards, when a run is missing, appears twice or sits in the wrong part,
// or when a part does not have the sweep's columns.
func Merge(dir string, opt MergeOptions) (*Outcome, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	if !opt.Force {
		if _, err := os.Stat(filepath.Join(dir, TableFile)); err == nil {
			return nil, fmt.Errorf("merge: %s already exists (pass --force to merge again and replace it)", filepath.Join(dir, TableFile))
		}
	}
	entries, err := os.ReadDir(filepath.Join(dir, PartsDir))
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(entries) == 0) {
		return nil, fmt.Errorf("merge: %s has no parts: run the shards first (migsim sweep FILE --shard i/n --out %s)", dir, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	n := -1
	present := map[int]string{}
	for _, e := range entries {
		i, k, ok := parsePartName(e.Name())
		if !ok {
			continue
		}
		if n >= 0 && k != n {
			return nil, fmt.Errorf("merge: parts of different splits in %s: %s and %s (remove the parts of the split you abandoned)",
				filepath.Join(dir, PartsDir), present[firstKey(present)], e.Name())
		}
		n = k
		present[i] = e.Name()
	}
	if n < 0 {
		return nil, fmt.Errorf("merge: %s holds no part-I-of-N.csv files", filepath.Join(dir, PartsDir))
	}
	var missing []string
	for i := 0; i < n; i++ {
		if _, ok := present[i]; !ok {
			missing = append(missing, fmt.Sprintf("%s (shard %d/%d)", PartName(i, n), i, n))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("merge: %d of %d parts missing in %s: %s — those shards have not finished; rerun each with --shard i/%d --resume",
			len(missing), n, filepath.Join(dir, PartsDir), strings.Join(missing, ", "), n)
	}
	head := append(m.Header(), "error")
	seen := map[int]string{}
	var rows []row
	for i := 0; i < n; i++ {
		name := present[i]
		path := filepath.Join(dir, PartsDir, name)
		recs, err := readCSV(path)
		if err != nil {
			return nil, fmt.Errorf("merge: %w", err)
		}
		if len(recs) == 0 || !slices.Equal(recs[0], head) {
			return nil, fmt.Errorf("merge: %s does not have the sweep's columns (%s)", path, strings.Join(head, ","))
		}
		for line, rec := range recs[1:] {
			id, err := strconv.Atoi(rec[0])
			if err != nil || id < 0 || id >= m.Runs {
				return nil, fmt.Errorf("merge: %s:%d: run id %q is not one of the sweep's 0 … %d", path, line+2, rec[0], m.Runs-1)
			}
			if id%n != i {
				return nil, fmt.Errorf("merge: %s:%d: run %d belongs to shard %d/%d, not %d/%d", path, line+2, id, id%n, n, i, n)
			}
			if other, dup := seen[id]; dup {
				return nil, fmt.Errorf("merge: run %d appears twice: in %s and in %s", id, other, name)
			}
			seen[id] = name
			rows = append(rows, row{id: id, fields: rec[:len(rec)-1], err: rec[len(rec)-1]})
		}
	}
	if len(seen) != m.Runs {
		var ids []string
		for id := 0; id < m.Runs && len(ids) < 20; id++ {
			if _, ok := seen[id]; !ok {
				ids = append(ids, strconv.Itoa(id))
			}
		}
		more := ""
		if m.Runs-len(seen) > len(ids) {
			more = fmt.Sprintf(" and %d more", m.Runs-len(seen)-len(ids))
		}
		return nil, fmt.Errorf("merge: %d of %d runs missing from the parts: %s%s", m.Runs-len(seen), m.Runs, strings.Join(ids, ", "), more)
	}
	out := &Outcome{Runs: m.Runs, Journalled: m.Runs}
	for _, r := range rows {
		if r.err != "" {
			out.Failed = append(out.Failed, &Record{RunID: r.id, Error: r.err})
		}
	}
	slices.SortFunc(out.Failed, func(a, b *Record) int { return a.RunID - b.RunID })
	files, err := writeOutputs(dir, m, rows, opt.PlotFormat, opt.NoPlots)
	out.Files = files
	if err != nil {
		return out, fmt.Errorf("merge: %w", err)
	}
	return out, nil
}

func firstKey(m map[int]string) int {
	first := -1
	for k := range m {
		if first < 0 || k < first {
			first = k
		}
	}
	return first
}

// readCSV reads a whole CSV file; every record must have the header's
// number of fields.
func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return recs, nil
}
