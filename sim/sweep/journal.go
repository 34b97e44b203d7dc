package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/migsim/migsim/sim/report"
)

// Names of the files and folders of a sweep directory.
const (
	ManifestFile = "sweep.json"
	RunsDir      = "runs"
	PartsDir     = "parts"
	TableFile    = "sweep.csv"
	FailuresFile = "failures.csv"
	PlotsDir     = "plots"
)

// Record is the journal entry of one finished run, stored as
// runs/run-NNNNNN.json. Params and Indicators hold the values exactly as
// sweep.csv writes them.
type Record struct {
	RunID       int      `json:"run_id"`
	Point       int      `json:"point"`
	Replicate   int      `json:"replicate"`
	Seed        uint64   `json:"seed"`
	Params      []string `json:"params"`
	Indicators  []string `json:"indicators,omitempty"`
	Error       string   `json:"error,omitempty"`
	WallSeconds float64  `json:"wall_seconds"`
}

// Failed reports whether the run failed.
func (r *Record) Failed() bool { return r.Error != "" }

// Row returns the record as a row of sweep.csv (indicators NA when the run
// failed).
func (r *Record) Row(nIndicators int) []string {
	row := append([]string{strconv.Itoa(r.RunID)}, r.Params...)
	row = append(row, strconv.Itoa(r.Replicate), strconv.FormatUint(r.Seed, 10))
	if r.Failed() || len(r.Indicators) != nIndicators {
		for i := 0; i < nIndicators; i++ {
			row = append(row, "NA")
		}
		return row
	}
	return append(row, r.Indicators...)
}

// recordName is the journal file of run id.
func recordName(id int) string { return fmt.Sprintf("run-%06d.json", id) }

// parseRecordName returns the run id of a journal file name.
func parseRecordName(name string) (int, bool) {
	s, ok := strings.CutPrefix(name, "run-")
	if !ok {
		return 0, false
	}
	s, ok = strings.CutSuffix(s, ".json")
	if !ok {
		return 0, false
	}
	id, err := strconv.Atoi(s)
	return id, err == nil && id >= 0
}

// newRecord makes the record of run r of plan p.
func (p *Plan) newRecord(r Run) *Record {
	rec := &Record{RunID: r.ID, Point: r.Point, Replicate: r.Replicate, Seed: r.Seed, Params: make([]string, len(r.Values))}
	for i, v := range r.Values {
		rec.Params[i] = FormatValue(v)
	}
	return rec
}

// writeRecord journals rec in dir atomically.
func writeRecord(dir string, rec *Record) error {
	js, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return fmt.Errorf("journal run %d: %w", rec.RunID, err)
	}
	return report.WriteFileWith(filepath.Join(dir, RunsDir, recordName(rec.RunID)), true, func(w io.Writer) error {
		_, err := w.Write(append(js, '\n'))
		return err
	})
}

// readJournal returns the journalled records of dir whose run ids satisfy
// keep, by run id. Temporary files of writes in progress (or killed) are
// ignored.
func readJournal(dir string, keep func(id int) bool) (map[int]*Record, error) {
	entries, err := os.ReadDir(filepath.Join(dir, RunsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return map[int]*Record{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read journal: %w", err)
	}
	out := map[int]*Record{}
	for _, e := range entries {
		id, ok := parseRecordName(e.Name())
		if !ok || !keep(id) {
			continue
		}
		path := filepath.Join(dir, RunsDir, e.Name())
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read journal: %w", err)
		}
		var rec Record
		if err := json.Unmarshal(b, &rec); err != nil {
			return nil, fmt.Errorf("journal %s: %w", path, err)
		}
		if rec.RunID != id {
			return nil, fmt.Errorf("journal %s: holds run %d", path, rec.RunID)
		}
		out[id] = &rec
	}
	return out, nil
}

// checkRecord reports an error unless rec is a record of run r of p.
func (p *Plan) checkRecord(rec *Record, r Run) error {
	want := p.newRecord(r)
	if rec.Seed != want.Seed || rec.Replicate != want.Replicate || !slices.Equal(rec.Params, want.Params) ||
		(!rec.Failed() && len(rec.Indicators) != len(p.Indicators)) {
		return fmt.Errorf("journal %s does not match this sweep (run %d: seed %d, parameters %v; the sweep has seed %d, parameters %v)",
			filepath.Join(RunsDir, recordName(r.ID)), r.ID, rec.Seed, rec.Params, want.Seed, want.Params)
	}
	return nil
}

// Manifest identifies the sweep a directory holds, so that a resumed or
// sharded sweep never mixes runs of different sweeps.
type Manifest struct {
	// Format is the version of the directory layout (1).
	Format int `json:"format"`
	// SweepFile is the sweep file's path, for the record.
	SweepFile string `json:"sweep_file"`
	// Scenario and ScenarioHash identify the base scenario; Set its
	// assignments.
	Scenario     string   `json:"scenario"`
	ScenarioHash string   `json:"scenario_hash"`
	Set          []string `json:"set"`
	// Version is migsim's version.
	Version string `json:"version"`
	// Design, Seed, Replicates and Runs describe the runs; DesignHash is the
	// SHA-256 of every run's id, parameter values and seed.
	Design     string `json:"design"`
	Seed       uint64 `json:"seed"`
	Replicates int    `json:"replicates"`
	Runs       int    `json:"runs"`
	DesignHash string `json:"design_hash"`
	// Params and Indicators name the columns of sweep.csv.
	Params     []string `json:"params"`
	Indicators []string `json:"indicators"`
}

// Header returns the columns of sweep.csv.
func (m *Manifest) Header() []string { return header(m.Params, m.Indicators) }

// Manifest returns p's manifest.
func (p *Plan) Manifest(version string) *Manifest {
	h := sha256.New()
	for _, r := range p.Runs {
		rec := p.newRecord(r)
		fmt.Fprintf(h, "%d,%s,%d\n", r.ID, strings.Join(rec.Params, ","), r.Seed)
	}
	return &Manifest{
		Format: 1, SweepFile: p.File.Path, Scenario: p.Scenario, ScenarioHash: p.ScenarioHash,
		Set: p.File.Set, Version: version, Design: p.File.Design, Seed: p.Seed, Replicates: p.File.Replicates,
		Runs: len(p.Runs), DesignHash: hex.EncodeToString(h.Sum(nil)), Params: p.paramNames(), Indicators: p.Indicators,
	}
}

// sameSweep reports how m and o differ as sweeps ("" if they do not).
func (m *Manifest) sameSweep(o *Manifest) string {
	switch {
	case m.ScenarioHash != o.ScenarioHash:
		return "the base scenario changed"
	case !slices.Equal(m.Set, o.Set):
		return "the set assignments changed"
	case m.Version != o.Version:
		return fmt.Sprintf("it was run by migsim %s, this is %s", o.Version, m.Version)
	case m.Runs != o.Runs || m.DesignHash != o.DesignHash || m.Seed != o.Seed:
		return "the design (parameters, values, replicates or seed) changed"
	case !slices.Equal(m.Params, o.Params) || !slices.Equal(m.Indicators, o.Indicators):
		return "the columns (parameters or indicators) changed"
	}
	return ""
}

// ReadManifest reads the manifest of a sweep directory.
func ReadManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestFile)
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s is not a sweep directory: %s is missing", dir, ManifestFile)
		}
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if m.Format != 1 {
		return nil, fmt.Errorf("%s: layout format %d, this migsim reads format 1", path, m.Format)
	}
	return &m, nil
}

// writeManifest writes m into dir unless a manifest is there already, in
// which case it must describe the same sweep. Concurrent shards starting
// together agree: the first write wins and the others compare with it.
func writeManifest(dir string, m *Manifest) error {
	js, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(dir, ManifestFile)
	err = report.WriteFileAtomic(path, append(js, '\n'), false)
	if err == nil {
		return nil
	}
	old, rerr := ReadManifest(dir)
	if rerr != nil {
		if _, serr := os.Stat(path); serr != nil {
			return err // the write failed for another reason
		}
		return rerr
	}
	if why := m.sameSweep(old); why != "" {
		return fmt.Errorf("%s holds another sweep (%s, from %s): choose another --out", dir, why, old.SweepFile)
	}
	return nil
}
