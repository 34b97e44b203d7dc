package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

const fakeSweep = `scenario = "fake"
replicates = 2
seed = 5
indicators = ["double", "seedmod"]

[[param]]
path = "a"
values = [1, 2.5, 4]

[[param]]
path = "b"
values = [true, false]
`

// fakePlan is a 12-run sweep (3 × 2 points × 2 replicates) over a fake
// model whose indicators are 2·a (+1 if b) and seed mod 1000.
func fakePlan(t *testing.T) *Plan {
	t.Helper()
	f, err := Parse("fake.toml", []byte(fakeSweep))
	if err != nil {
		t.Fatal(err)
	}
	return NewPlan(f, 5, f.Indicators, "fake", "hash")
}

func fakeValues(r Run) []float64 {
	v := 2 * r.Values[0].(float64)
	if r.Values[1].(bool) {
		v++
	}
	return []float64{v, float64(r.Seed % 1000)}
}

// fakeRunner counts calls per run id and fails run `fail`, panics in run
// `panicky` (-1: none).
type fakeRunner struct {
	mu            sync.Mutex
	calls         map[int]int
	fail, panicky int
}

func newFake(fail, panicky int) *fakeRunner {
	return &fakeRunner{calls: map[int]int{}, fail: fail, panicky: panicky}
}

func (f *fakeRunner) run(ctx context.Context, r Run, workers int) ([]float64, error) {
	f.mu.Lock()
	f.calls[r.ID]++
	f.mu.Unlock()
	if workers < 1 {
		return nil, fmt.Errorf("%d workers", workers)
	}
	switch r.ID {
	case f.fail:
		return nil, errors.New("boom: capacity exploded")
	case f.panicky:
		panic("index out of range")
	}
	return fakeValues(r), nil
}

func (f *fakeRunner) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		n += c
	}
	return n
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestExecuteWholeSweep(t *testing.T) {
	p := fakePlan(t)
	dir := filepath.Join(t.TempDir(), "sw")
	fr := newFake(-1, -1)
	out, err := Execute(context.Background(), p, fr.run, Options{Dir: dir, Workers: 2, NoPlots: true})
	if err != nil {
		t.Fatal(err)
	}
	if out.Runs != 12 || out.Ran != 12 || len(out.Failed) != 0 || fr.total() != 12 {
		t.Fatalf("outcome %+v, %d calls", out, fr.total())
	}
	lines := strings.Split(strings.TrimSuffix(read(t, filepath.Join(dir, TableFile)), "\n"), "\n")
	if lines[0] != "run_id,a,b,replicate,seed,double,seedmod" {
		t.Errorf("header %s", lines[0])
	}
	if len(lines) != 13 {
		t.Fatalf("%d lines, want 13", len(lines))
	}
	// Points: (1, T), (1, F), (2.5, T), (2.5, F), … Run 5 = point 2
	// (a = 2.5, b = true), replicate 1: double = 2·2.5 + 1 = 6. Run 6 =
	// point 3 (a = 2.5, b = false), replicate 0: double = 5.
	s0, s1 := p.Runs[0].Seed, p.Runs[1].Seed
	want5 := fmt.Sprintf("5,2.5,TRUE,1,%d,6,%d", s1, s1%1000)
	want6 := fmt.Sprintf("6,2.5,FALSE,0,%d,5,%d", s0, s0%1000)
	if lines[6] != want5 || lines[7] != want6 {
		t.Errorf("rows 5, 6 =\n%s\n%s\nwant\n%s\n%s", lines[6], lines[7], want5, want6)
	}
	if got := read(t, filepath.Join(dir, FailuresFile)); got != "run_id,a,b,replicate,seed,error\n" {
		t.Errorf("failures.csv = %q, want the header only", got)
	}
	m, err := ReadManifest(dir)
	if err != nil || m.Runs != 12 || m.Seed != 5 {
		t.Errorf("manifest %+v, %v", m, err)
	}
	// The directory is not empty now: a new sweep into it is refused.
	if _, err := Execute(context.Background(), p, fr.run, Options{Dir: dir, NoPlots: true}); err == nil || !strings.Contains(err.Error(), "--resume") {
		t.Errorf("second sweep into %s: %v, want a refusal mentioning --resume", dir, err)
	}
	// Resuming a finished sweep runs nothing and writes the same table.
	before := read(t, filepath.Join(dir, TableFile))
	out, err = Execute(context.Background(), p, fr.run, Options{Dir: dir, Resume: true, NoPlots: true})
	if err != nil || out.Ran != 0 || out.Journalled != 12 || fr.total() != 12 {
		t.Errorf("resume of a finished sweep: %+v, %v, %d calls", out, err, fr.total())
	}
	if read(t, filepath.Join(dir, TableFile)) != before {
		t.Error("resume changed sweep.csv")
	}
}

func TestFailedRunsAreRecordedAndDoNotStopTheOthers(t *testing.T) {
	p := fakePlan(t)
	dir := t.TempDir()
	fr := newFake(3, 8)
	out, err := Execute(context.Background(), p, fr.run, Options{Dir: dir, Workers: 2, NoPlots: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Failed) != 2 || out.Failed[0].RunID != 3 || out.Failed[1].RunID != 8 || fr.total() != 12 {
		t.Fatalf("failed %+v after %d calls", out.Failed, fr.total())
	}
	table := read(t, filepath.Join(dir, TableFile))
	if !strings.Contains(table, fmt.Sprintf("\n3,1,FALSE,1,%d,NA,NA\n", p.Runs[3].Seed)) {
		t.Errorf("sweep.csv lacks run 3 with NA indicators:\n%s", table)
	}
	fails := read(t, filepath.Join(dir, FailuresFile))
	if !strings.Contains(fails, "boom: capacity exploded") || !strings.Contains(fails, "panic: index out of range") {
		t.Errorf("failures.csv = %s", fails)
	}
	// On resume only the failed runs run again; now they succeed.
	fr2 := newFake(-1, -1)
	out, err = Execute(context.Background(), p, fr2.run, Options{Dir: dir, Resume: true, NoPlots: true})
	if err != nil || len(out.Failed) != 0 || fr2.total() != 2 || fr2.calls[3] != 1 || fr2.calls[8] != 1 {
		t.Errorf("resume: %+v, %v, calls %v", out, err, fr2.calls)
	}
	if got := read(t, filepath.Join(dir, FailuresFile)); got != "run_id,a,b,replicate,seed,error\n" {
		t.Errorf("failures.csv after the fix = %q", got)
	}
}

func TestInterruptedSweepResumesWithoutLossOrDuplicates(t *testing.T) {
	p := fakePlan(t)
	ref := t.TempDir()
	if _, err := Execute(context.Background(), p, newFake(-1, -1).run, Options{Dir: ref, NoPlots: true}); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var finished atomic.Int32
	first := newFake(-1, -1)
	// The "Ctrl-C" comes while the fifth run is in progress; that run then
	// fails with the context's error and is not journalled.
	interrupt := func(ctx context.Context, r Run, w int) ([]float64, error) {
		if finished.Add(1) == 5 {
			cancel()
			first.run(ctx, r, w)
			return nil, ctx.Err()
		}
		return first.run(ctx, r, w)
	}
	_, err := Execute(ctx, p, interrupt, Options{Dir: dir, Workers: 1, NoPlots: true})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted sweep returned %v", err)
	}
	journalled, _ := readJournal(dir, func(int) bool { return true })
	if len(journalled) != 4 {
		t.Fatalf("%d runs journalled after the interruption, want the 4 that finished", len(journalled))
	}
	if _, err := os.Stat(filepath.Join(dir, TableFile)); err == nil {
		t.Error("an interrupted sweep wrote sweep.csv")
	}
	// A kill -9 during a journal write leaves a temporary file: ignored.
	os.WriteFile(filepath.Join(dir, RunsDir, ".run-000009.json.tmp123"), []byte("{garb"), 0o644)

	second := newFake(-1, -1)
	out, err := Execute(context.Background(), p, second.run, Options{Dir: dir, Resume: true, Workers: 2, NoPlots: true})
	if err != nil {
		t.Fatal(err)
	}
	if out.Journalled != 4 || out.Ran != 8 {
		t.Errorf("resume found %d and ran %d, want 4 and 8", out.Journalled, out.Ran)
	}
	for id := 0; id < 12; id++ {
		if journalled[id] != nil && second.calls[id] != 0 {
			t.Errorf("run %d finished before the interruption and ran again", id)
		}
		if journalled[id] == nil && second.calls[id] != 1 {
			t.Errorf("run %d ran %d times on resume, want 1", id, second.calls[id])
		}
	}
	if a, b := read(t, filepath.Join(ref, TableFile)), read(t, filepath.Join(dir, TableFile)); a != b {
		t.Errorf("resumed sweep.csv differs from an uninterrupted one:\n%s\n---\n%s", b, a)
	}
}

func TestShardsMergeToTheSingleMachineTable(t *testing.T) {
	p := fakePlan(t)
	single := t.TempDir()
	if _, err := Execute(context.Background(), p, newFake(7, -1).run, Options{Dir: single}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i := 0; i < 3; i++ {
		fr := newFake(7, -1)
		out, err := Execute(context.Background(), p, fr.run, Options{Dir: dir, Shard: Shard{i, 3}})
		if err != nil {
			t.Fatalf("shard %d: %v", i, err)
		}
		for id := range fr.calls {
			if id%3 != i {
				t.Errorf("shard %d/3 ran run %d", i, id)
			}
		}
		if out.Runs != 4 || fr.total() != 4 {
			t.Errorf("shard %d ran %d of %d runs", i, fr.total(), out.Runs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, TableFile)); err == nil {
		t.Error("a shard wrote sweep.csv")
	}
	out, err := Merge(dir, MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Failed) != 1 || out.Failed[0].RunID != 7 {
		t.Errorf("merge failures %+v, want run 7", out.Failed)
	}
	for _, name := range []string{TableFile, FailuresFile} {
		a, b := read(t, filepath.Join(single, name)), read(t, filepath.Join(dir, name))
		if a != b {
			t.Errorf("%s: merged differs from single machine:\n%s\n---\n%s", name, b, a)
		}
	}
	// Summary plots: 2 indicators × 2 parameters, identical bytes too.
	for _, ind := range p.Indicators {
		for _, prm := range []string{"a", "b"} {
			name := filepath.Join(PlotsDir, PlotName(ind, prm, "png"))
			a, err1 := os.ReadFile(filepath.Join(single, name))
			b, err2 := os.ReadFile(filepath.Join(dir, name))
			if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
				t.Errorf("plot %s: single %v, merged %v, equal %v", name, err1, err2, bytes.Equal(a, b))
			}
		}
	}
	if _, err := Merge(dir, MergeOptions{}); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("second merge: %v, want a refusal mentioning --force", err)
	}
	if _, err := Merge(dir, MergeOptions{Force: true, NoPlots: true}); err != nil {
		t.Errorf("forced merge: %v", err)
	}
	// A shard that already finished is not run again without --resume.
	if _, err := Execute(context.Background(), p, newFake(-1, -1).run, Options{Dir: dir, Shard: Shard{1, 3}}); err == nil || !strings.Contains(err.Error(), "--resume") {
		t.Errorf("rerun of a finished shard: %v", err)
	}
}

// shardedDir runs the three shards of the fake sweep into a fresh
// directory without plots.
func shardedDir(t *testing.T) string {
	t.Helper()
	p := fakePlan(t)
	dir := t.TempDir()
	for i := 0; i < 3; i++ {
		if _, err := Execute(context.Background(), p, newFake(-1, -1).run, Options{Dir: dir, Shard: Shard{i, 3}, NoPlots: true}); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestMergeRefusesIncompleteOrInconsistentParts(t *testing.T) {
	part := func(dir string, i int) string { return filepath.Join(dir, PartsDir, PartName(i, 3)) }
	edit := func(t *testing.T, path string, f func(lines []string) []string) {
		lines := strings.Split(strings.TrimSuffix(read(t, path), "\n"), "\n")
		os.WriteFile(path, []byte(strings.Join(f(lines), "\n")+"\n"), 0o644)
	}
	cases := []struct {
		name  string
		spoil func(t *testing.T, dir string)
		want  string
	}{
		{"missing part", func(t *testing.T, dir string) { os.Remove(part(dir, 1)) }, "1 of 3 parts missing in " + "%s: part-1-of-3.csv (shard 1/3)"},
		{"duplicated run", func(t *testing.T, dir string) {
			edit(t, part(dir, 0), func(l []string) []string { return append(l, l[1]) })
		}, "run 0 appears twice: in part-0-of-3.csv and in part-0-of-3.csv"},
		{"run in the wrong part", func(t *testing.T, dir string) {
			var moved string
			edit(t, part(dir, 1), func(l []string) []string { moved = l[1]; return append(l[:1], l[2:]...) })
			edit(t, part(dir, 0), func(l []string) []string { return append(l, moved) })
		}, "run 1 belongs to shard 1/3, not 0/3"},
		{"missing run", func(t *testing.T, dir string) {
			edit(t, part(dir, 2), func(l []string) []string { return append(l[:2], l[3:]...) })
		}, "1 of 12 runs missing from the parts: 5"},
		{"parts of two splits", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, PartsDir, PartName(0, 2)), []byte("x\n"), 0o644)
		}, "parts of different splits"},
		{"wrong columns", func(t *testing.T, dir string) {
			edit(t, part(dir, 2), func(l []string) []string { l[0] = strings.Replace(l[0], "double", "triple", 1); return l })
		}, "does not have the sweep's columns"},
		{"no parts", func(t *testing.T, dir string) { os.RemoveAll(filepath.Join(dir, PartsDir)) }, "has no parts"},
	}
	for _, c := range cases {
		dir := shardedDir(t)
		c.spoil(t, dir)
		want := c.want
		if strings.Contains(want, "%s") {
			want = fmt.Sprintf(want, filepath.Join(dir, PartsDir))
		}
		_, err := Merge(dir, MergeOptions{NoPlots: true})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: merge error %v, want %q", c.name, err, want)
		}
		if _, err := os.Stat(filepath.Join(dir, TableFile)); err == nil {
			t.Errorf("%s: merge wrote sweep.csv anyway", c.name)
		}
	}
}

func TestAnotherSweepInTheSameDirectoryIsRefused(t *testing.T) {
	p := fakePlan(t)
	dir := t.TempDir()
	if _, err := Execute(context.Background(), p, newFake(-1, -1).run, Options{Dir: dir, Shard: Shard{0, 2}, NoPlots: true}); err != nil {
		t.Fatal(err)
	}
	other := NewPlan(p.File, 6, p.Indicators, "fake", "hash") // another seed
	_, err := Execute(context.Background(), other, newFake(-1, -1).run, Options{Dir: dir, Shard: Shard{1, 2}, NoPlots: true})
	if err == nil || !strings.Contains(err.Error(), "holds another sweep") {
		t.Errorf("got %v, want a refusal: the directory holds another sweep", err)
	}
}

func TestParseShard(t *testing.T) {
	for in, want := range map[string]Shard{"0/1": {0, 1}, "2/3": {2, 3}, " 1 / 4 ": {1, 4}} {
		if got, err := ParseShard(in); err != nil || got != want {
			t.Errorf("ParseShard(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"3/3", "-1/2", "1/0", "a/b", "2", ""} {
		if _, err := ParseShard(in); err == nil {
			t.Errorf("ParseShard(%q) accepted", in)
		}
	}
	s := Shard{1, 3}
	if !s.Has(4) || s.Has(5) || !(Shard{}).Has(5) {
		t.Error("Has: run 4 is in shard 1/3, 5 is not; the whole sweep has every run")
	}
}
