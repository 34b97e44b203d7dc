package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// readLines returns the lines of a file without the final newline.
func readLines(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// readRunJSON decodes a run.json.
func readRunJSON(t *testing.T, dir string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("run.json: %v", err)
	}
	return m
}

// filesWithExt lists the files of dir whose names end in ext.
func filesWithExt(t *testing.T, dir, ext string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*"+ext))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRunTiny(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := migsim(t, "run", tinyFile, "--out", out, "--quiet")
	if code != exitOK || stderr != "" {
		t.Fatalf("run = %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, "Scenario tiny") || !strings.HasSuffix(stdout, "Files written to "+out+"\n") {
		t.Errorf("summary %q does not name the scenario and the folder", stdout)
	}
	// tiny runs 181 days (2023-01-01 to 2023-06-30) over its nodes and
	// edges: the tidy tables have one row per day (× node, × edge) and a
	// header.
	const days = 181
	nodes, edges := countTables(t, tinyFile, "node"), countTables(t, tinyFile, "edge")
	for _, tc := range []struct {
		file string
		rows int
	}{
		{"totals.csv", days},
		{"stocks.csv", days * nodes},
		{"flows.csv", days * edges},
	} {
		lines := readLines(t, filepath.Join(out, tc.file))
		if len(lines) != tc.rows+1 {
			t.Errorf("%s has %d rows, want %d", tc.file, len(lines)-1, tc.rows)
		}
		if len(lines) > 1 && !strings.HasPrefix(lines[1], "2023-01-01,") {
			t.Errorf("%s starts %q, want the first day", tc.file, lines[1])
		}
	}
	rj := readRunJSON(t, out)
	rjFirst := rj
	// Seed 0 (the default) means the scenario's: tiny's is 42.
	if rj["seed"] != 42.0 || rj["scenario"] != "tiny" {
		t.Errorf("run.json has seed %v, scenario %v; want 42, tiny", rj["seed"], rj["scenario"])
	}
	if len(filesWithExt(t, out, ".png")) == 0 {
		t.Errorf("no PNG plots in %s", out)
	}

	// A second run into the same folder is refused before it runs, and
	// the folder is left as it was.
	before, _ := os.ReadFile(filepath.Join(out, "run.json"))
	code, stdout, stderr = migsim(t, "run", tinyFile, "--out", out, "--seed", "7", "--quiet")
	if code != exitFailure || stdout != "" || !strings.Contains(stderr, "--overwrite") {
		t.Errorf("second run = %d, stdout %q, stderr %q; want 1 and a hint at --overwrite", code, stdout, stderr)
	}
	if after, _ := os.ReadFile(filepath.Join(out, "run.json")); string(after) != string(before) {
		t.Error("a refused run changed run.json")
	}

	// With --overwrite it replaces the files; the flags reach the run.
	code, _, stderr = migsim(t, "run", tinyFile, "--out", out, "--seed", "7", "--workers", "2",
		"--set", "border.us.cbp_one_daily_slots=0", "--svg", "--overwrite", "--quiet")
	if code != exitOK {
		t.Fatalf("run --overwrite = %d, stderr %q", code, stderr)
	}
	rj = readRunJSON(t, out)
	extra, _ := rj["extra"].(map[string]any)
	if rj["seed"] != 7.0 || rj["workers"] != 2.0 || extra == nil ||
		len(extra["set"].([]any)) != 1 || extra["set"].([]any)[0] != "border.us.cbp_one_daily_slots=0" {
		t.Errorf("run.json has seed %v, workers %v, extra %v; want 7, 2 and the --set", rj["seed"], rj["workers"], rj["extra"])
	}
	if len(filesWithExt(t, out, ".svg")) == 0 || len(filesWithExt(t, out, ".png")) != 0 {
		t.Errorf("--svg --overwrite: want SVG plots only, got %v %v", filesWithExt(t, out, ".svg"), filesWithExt(t, out, ".png"))
	}
	// No CBP One slots on any day: nobody enters with an appointment, while
	// the run without the --set above had some.
	if n := sumColumn(t, filepath.Join(out, "totals.csv"), "entered_us_cbp_one"); n != 0 {
		t.Errorf("with no CBP One slots, %v persons entered with CBP One", n)
	}
	if ind, _ := rjFirst["indicators"].(map[string]any); ind["entered_us_cbp_one"] == 0.0 {
		t.Errorf("the baseline run had no CBP One entries, so the --set test proves nothing")
	}
}

// sumColumn returns the sum of the named column of a CSV file of numbers.
func sumColumn(t *testing.T, file, column string) float64 {
	t.Helper()
	lines := readLines(t, file)
	col := indexOf(strings.Split(lines[0], ","), column)
	if col < 0 {
		t.Fatalf("%s has no column %s", file, column)
	}
	sum := 0.0
	for _, l := range lines[1:] {
		v, err := strconv.ParseFloat(strings.Split(l, ",")[col], 64)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		sum += v
	}
	return sum
}

// indexOf returns the index of s in list, or -1.
func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func TestRunNoPlots(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := migsim(t, "run", tinyFile, "--out", out, "--no-plots", "-q"); code != exitOK {
		t.Fatalf("run --no-plots = %d, stderr %q", code, stderr)
	}
	if p := append(filesWithExt(t, out, ".png"), filesWithExt(t, out, ".svg")...); len(p) != 0 {
		t.Errorf("--no-plots drew %v", p)
	}
}

func TestRunProgressLines(t *testing.T) {
	// stderr is not a terminal: one plain line at every tenth of the run.
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := migsim(t, "run", tinyFile, "--out", out, "--no-plots")
	if code != exitOK {
		t.Fatalf("run = %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if len(lines) != 10 || !strings.HasPrefix(lines[9], "2023-06-30: day 181/181 (100%)") {
		t.Errorf("progress:\n%s\nwant 10 lines ending with day 181/181", stderr)
	}
}

func TestRunBadScenarioWritesNothing(t *testing.T) {
	want := planted(t)
	for _, args := range [][]string{
		{"run", badFile},
		{"run", tinyFile, "--set", "edge.port-landing.capacity=-1"},
		{"run", tinyFile, "--set", "nope=1"},
		{"run", "no-such-scenario"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		code, stdout, stderr := migsim(t, append(args, "--out", out)...)
		if code != exitFailure || stdout != "" || stderr == "" {
			t.Errorf("migsim %v = %d, stdout %q, stderr %q; want 1, nothing, errors", args, code, stdout, stderr)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("migsim %v created %s", args, out)
		}
		if args[1] == badFile {
			for _, w := range want {
				if !strings.Contains(stderr, w) {
					t.Errorf("run %s: stderr lacks %q:\n%s", badFile, w, stderr)
				}
			}
		}
	}
}

func TestRunCancelledWritesNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := migsimContext(t, ctx, "run", tinyFile, "--out", out, "-q")
	if code != exitInterrupted || stdout != "" || !strings.Contains(stderr, "interrupted; nothing written") {
		t.Errorf("cancelled run = %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a cancelled run created %s", out)
	}
}

// TestRunDefaultThinned runs the embedded default scenario end to end,
// thinned to one agent per 100 persons, into the default output folder.
func TestRunDefaultThinned(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole default scenario")
	}
	t.Chdir(t.TempDir())
	code, stdout, stderr := migsim(t, "run", "--set", "scenario.scale=0.01", "--quiet")
	if code != exitOK || stderr != "" {
		t.Fatalf("run = %d, stderr %q", code, stderr)
	}
	out := filepath.Join("output", "americas")
	if !strings.Contains(stdout, "Scenario americas") || !strings.HasSuffix(stdout, "Files written to "+out+"\n") {
		t.Errorf("summary:\n%s", stdout)
	}
	// 2021-01-01 to 2025-12-31: 5×365+1 = 1826 days.
	if n := len(readLines(t, filepath.Join(out, "totals.csv"))) - 1; n != 1826 {
		t.Errorf("totals.csv has %d days, want 1826", n)
	}
	for _, f := range []string{"flows.csv", "stocks.csv", "run.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	rj := readRunJSON(t, out)
	// One agent per 100 persons: counts are scaled back by 100.
	if rj["scenario"] != "americas" || rj["persons_per_agent"] != 100.0 || rj["days"] != 1826.0 {
		t.Errorf("run.json: scenario %v, persons_per_agent %v, days %v", rj["scenario"], rj["persons_per_agent"], rj["days"])
	}
	if len(filesWithExt(t, out, ".png")) == 0 {
		t.Errorf("no plots in %s", out)
	}
}
