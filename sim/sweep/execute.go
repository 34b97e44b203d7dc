package sweep

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/migsim/migsim/sim/ensemble"
)

// Shard is part I of a sweep split into N: the runs whose id mod N is I.
// The zero value means the whole sweep.
type Shard struct{ I, N int }

// ParseShard parses "i/n" (0 ≤ i < n).
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("shard %q: want i/n, e.g. 0/4 for the first of four shards", s)
	}
	if n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("shard %q: want 0 ≤ i < n", s)
	}
	return Shard{i, n}, nil
}

// Whole reports whether s is the whole sweep.
func (s Shard) Whole() bool { return s.N <= 1 }

// Has reports whether run id belongs to the shard.
func (s Shard) Has(id int) bool { return s.Whole() || id%s.N == s.I }

// String writes s as i/n.
func (s Shard) String() string {
	if s.Whole() {
		return "0/1"
	}
	return fmt.Sprintf("%d/%d", s.I, s.N)
}

// PartName is the file (under parts/) where shard i of n writes its rows.
func PartName(i, n int) string { return fmt.Sprintf("part-%d-of-%d.csv", i, n) }

// Options control Execute.
type Options struct {
	// Dir is the sweep directory.
	Dir string
	// Shard is the part of the sweep to run (zero: all of it).
	Shard Shard
	// Resume continues a sweep in Dir: journalled runs are kept, failed
	// ones are run again. Without it an existing non-empty Dir is refused
	// (for a shard: a Dir where the shard has already journalled runs).
	Resume bool
	// Workers is the number of cores to use (0: all).
	Workers int
	// Version is migsim's version, recorded in the manifest.
	Version string
	// PlotFormat ("png", "svg") and NoPlots control the summary plots.
	PlotFormat string
	NoPlots    bool
	// Progress, if not nil, is called after each run with the number of
	// runs done and to do in this invocation, and the run's record.
	Progress func(done, total int, rec *Record)
}

// Outcome says what Execute or Merge did.
type Outcome struct {
	// Runs is the number of runs in the shard (or sweep); Journalled those
	// found already done; Ran those run now.
	Runs, Journalled, Ran int
	// Failed are the records of the runs that failed, by run id.
	Failed []*Record
	// Files are the files written.
	Files []string
}

// Execute runs the runs of plan in opt.Shard that the journal in opt.Dir
// does not hold yet, in parallel, journalling each as it finishes. A run
// that fails is journalled with its error and does not stop the others. A
// cancelled ctx stops the sweep: runs in progress are abandoned (not
// journalled) and Execute returns ctx's error; run again with Resume to
// finish. When every run of the shard is journalled, Execute writes the
// shard's part (parts/part-I-of-N.csv) or, for the whole sweep, sweep.csv,
// failures.csv and the plots.
func Execute(ctx context.Context, plan *Plan, run Runner, opt Options) (*Outcome, error) {
	dir := opt.Dir
	if dir == "" {
		return nil, errors.New("sweep: no output directory")
	}
	shard := opt.Shard
	if err := prepareDir(dir, shard, opt.Resume); err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, RunsDir), 0o755); err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	if err := writeManifest(dir, plan.Manifest(opt.Version)); err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	journal, err := readJournal(dir, shard.Has)
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	var mine, todo []Run
	for _, r := range plan.Runs {
		if !shard.Has(r.ID) {
			continue
		}
		mine = append(mine, r)
		rec, ok := journal[r.ID]
		if ok {
			if err := plan.checkRecord(rec, r); err != nil {
				return nil, fmt.Errorf("sweep: %s: %w", dir, err)
			}
		}
		if !ok || rec.Failed() {
			todo = append(todo, r)
		}
	}
	for id := range journal {
		if id >= len(plan.Runs) {
			return nil, fmt.Errorf("sweep: %s: journal holds run %d, the sweep has %d runs", dir, id, len(plan.Runs))
		}
	}
	out := &Outcome{Runs: len(mine), Journalled: len(mine) - len(todo)}

	var (
		mu         sync.Mutex
		done       int
		journalErr error
	)
	finished := func(rec *Record) error {
		if err := writeRecord(dir, rec); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		journal[rec.RunID] = rec
		done++
		out.Ran++
		if opt.Progress != nil {
			opt.Progress(done, len(todo), rec)
		}
		return nil
	}
	parallel, workers := ensemble.Plan(len(todo), opt.Workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan Run)
	var wg sync.WaitGroup
	for w := 0; w < parallel; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range next {
				if ctx.Err() != nil {
					continue // stopping: start nothing new
				}
				rec := plan.newRecord(r)
				start := time.Now()
				vals, err := safeRun(ctx, run, r, workers)
				rec.WallSeconds = roundSeconds(time.Since(start))
				if err != nil && ctx.Err() != nil {
					continue // interrupted: not journalled, so a resume runs it again
				}
				if err != nil {
					rec.Error = err.Error()
				} else if len(vals) != len(plan.Indicators) {
					rec.Error = fmt.Sprintf("run gave %d indicators, want %d", len(vals), len(plan.Indicators))
				} else {
					rec.Indicators = make([]string, len(vals))
					for i, v := range vals {
						rec.Indicators[i] = ensemble.Format(v)
					}
				}
				if err := finished(rec); err != nil {
					mu.Lock()
					if journalErr == nil {
						journalErr = err
					}
					mu.Unlock()
					cancel()
				}
			}
		}()
	}
feed:
	for _, r := range todo {
		select {
		case next <- r:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if journalErr != nil {
		return out, fmt.Errorf("sweep: %w", journalErr)
	}
	if err := ctx.Err(); err != nil {
		return out, fmt.Errorf("sweep: interrupted after %d of %d runs (all journalled; rerun with --resume to finish): %w", out.Ran, len(todo), err)
	}

	rows := make([]row, len(mine))
	for i, r := range mine {
		rec := journal[r.ID]
		rows[i] = row{id: r.ID, fields: rec.Row(len(plan.Indicators)), err: rec.Error}
		if rec.Failed() {
			out.Failed = append(out.Failed, rec)
		}
	}
	m := plan.Manifest(opt.Version)
	if shard.Whole() {
		files, err := writeOutputs(dir, m, rows, opt.PlotFormat, opt.NoPlots)
		out.Files = files
		if err != nil {
			return out, fmt.Errorf("sweep: %w", err)
		}
		return out, nil
	}
	path, err := writePart(dir, m, shard, rows)
	if err != nil {
		return out, fmt.Errorf("sweep: %w", err)
	}
	out.Files = []string{path}
	return out, nil
}

// safeRun runs one run, turning a panic into an error so that one bad run
// does not stop the sweep.
func safeRun(ctx context.Context, run Runner, r Run, workers int) (vals []float64, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return run(ctx, r, workers)
}

func roundSeconds(d time.Duration) float64 {
	return float64(d.Round(time.Millisecond)) / float64(time.Second)
}

// prepareDir refuses a directory that holds results this invocation would
// mix with, unless resuming.
func prepareDir(dir string, shard Shard, resume bool) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s exists and is not a directory", dir)
	}
	if resume {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if shard.Whole() {
		if len(entries) > 0 {
			return fmt.Errorf("%s exists and is not empty: pass --resume to continue the sweep in it, or choose another --out", dir)
		}
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, PartsDir, PartName(shard.I, shard.N))); err == nil {
		return fmt.Errorf("shard %s has already finished in %s: pass --resume to run it again", shard, dir)
	}
	runs, err := os.ReadDir(filepath.Join(dir, RunsDir))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for _, e := range runs {
		if id, ok := parseRecordName(e.Name()); ok && shard.Has(id) {
			return fmt.Errorf("shard %s already has runs journalled in %s: pass --resume to continue it", shard, dir)
		}
	}
	return nil
}

// row is a row of sweep.csv with its run's error.
type row struct {
	id     int
	fields []string
	err    string
}

func sortRows(rows []row) {
	sort.Slice(rows, func(i, j int) bool { return rows[i].id < rows[j].id })
}
