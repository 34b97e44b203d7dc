package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSweepShardsAndMerge(t *testing.T) {
	tmp := t.TempDir()
	single := filepath.Join(tmp, "single")
	code, stdout, stderr := migsim(t, "sweep", tinySweep, "--out", single, "--quiet")
	if code != exitOK || stderr != "" {
		t.Fatalf("sweep = %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "8 runs: 8 run now, 0 journalled before, 0 failed") {
		t.Errorf("summary %q", stdout)
	}
	lines := readLines(t, filepath.Join(single, "sweep.csv"))
	if len(lines) != 9 || lines[0] != "run_id,node.port.meals,replicate,seed,crossing_north,entered_us_cbp_one,gave_up,unmet_need_port,died" {
		t.Fatalf("sweep.csv:\n%s", strings.Join(lines, "\n"))
	}
	// Run 2 is the second value of the grid (100 meals), replicate 0; run 3
	// replicate 1. Replicate k has the same seed at every point.
	r0, r2, r3 := strings.Split(lines[1], ","), strings.Split(lines[3], ","), strings.Split(lines[4], ",")
	if r2[0] != "2" || r2[1] != "100" || r2[2] != "0" || r3[2] != "1" || r2[3] != r0[3] || r3[3] == r2[3] {
		t.Errorf("rows 0, 2, 3: %v / %v / %v", r0, r2, r3)
	}
	if plots := filesWithExt(t, filepath.Join(single, "plots"), ".png"); len(plots) != 5 {
		t.Errorf("%d summary plots, want 5 indicators × 1 parameter", len(plots))
	}

	// Into the same folder again: refused; with --resume nothing is rerun.
	code, _, stderr = migsim(t, "sweep", tinySweep, "--out", single, "--quiet")
	if code != exitFailure || !strings.Contains(stderr, "--resume") {
		t.Errorf("second sweep into %s = %d, %q", single, code, stderr)
	}
	code, stdout, _ = migsim(t, "sweep", tinySweep, "--out", single, "--quiet", "--resume")
	if code != exitOK || !strings.Contains(stdout, "8 runs: 0 run now, 8 journalled before, 0 failed") {
		t.Errorf("resume of a finished sweep = %d, %q", code, stdout)
	}

	// Three shards and a merge give the same bytes.
	sharded := filepath.Join(tmp, "sharded")
	for _, s := range []string{"0/3", "1/3", "2/3"} {
		if code, stdout, stderr := migsim(t, "sweep", tinySweep, "--out", sharded, "--shard", s, "--quiet"); code != exitOK {
			t.Fatalf("shard %s = %d\n%s%s", s, code, stdout, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(sharded, "sweep.csv")); err == nil {
		t.Error("shards wrote sweep.csv before the merge")
	}
	code, stdout, stderr = migsim(t, "merge", sharded)
	if code != exitOK || !strings.Contains(stdout, "Merged 8 runs") {
		t.Fatalf("merge = %d\n%s%s", code, stdout, stderr)
	}
	for _, name := range []string{"sweep.csv", "failures.csv"} {
		a, _ := os.ReadFile(filepath.Join(single, name))
		b, _ := os.ReadFile(filepath.Join(sharded, name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: merged shards differ from the single-machine sweep", name)
		}
	}

	// A missing part is named.
	os.Remove(filepath.Join(sharded, "parts", "part-1-of-3.csv"))
	code, _, stderr = migsim(t, "merge", sharded, "--force")
	if code != exitFailure || !strings.Contains(stderr, "part-1-of-3.csv (shard 1/3)") {
		t.Errorf("merge with a missing part = %d, %q", code, stderr)
	}
}

func TestSweepBadInput(t *testing.T) {
	tmp := t.TempDir()
	bad := filepath.Join(tmp, "bad.toml")
	src := `scenario = "` + filepath.Join(mustAbs(t, "../../sim/scenario/testdata"), "tiny.toml") + `"
indicators = ["crossing_north", "no_such_indicator"]

[[param]]
path = "node.nowhere.meals"
values = [1]

[[param]]
path = "node.port.meals"
values = [-5]
`
	os.WriteFile(bad, []byte(src), 0o644)
	out := filepath.Join(tmp, "out")
	code, _, stderr := migsim(t, "sweep", bad, "--out", out)
	if code != exitFailure {
		t.Errorf("bad sweep = %d", code)
	}
	for _, want := range []string{
		bad + `:2: indicators: "no_such_indicator" is not an indicator of scenario tiny`,
		bad + ":5: param[1].path:",
		bad + ":8: param[2]: node.port.meals = -5 makes the scenario invalid",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a bad sweep created its output folder")
	}

	for _, args := range [][]string{
		{"sweep", tinySweep, "--submit"},
		{"sweep", tinySweep, "--slurm", "--shard", "0/2"},
		{"sweep", tinySweep, "--shard", "2/2"},
		{"sweep", tinySweep, "--tasks", "3"},
		{"sweep"},
		{"merge"},
	} {
		if code, _, stderr := migsim(t, args...); code != exitUsage {
			t.Errorf("migsim %v = %d, want a usage error; stderr %q", args, code, stderr)
		}
	}
}

func TestSweepSlurmScripts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sw")
	code, stdout, stderr := migsim(t, "sweep", tinySweep, "--out", dir, "--slurm", "--dry-run", "--tasks", "4", "--cpus-per-task", "1", "--run-time", "2m")
	if code != exitOK {
		t.Fatalf("dry run = %d\n%s", code, stderr)
	}
	for _, want := range []string{"#SBATCH --array=0-3\n", "#SBATCH --cpus-per-task=1\n", "#SBATCH --time=0-00:13:00\n",
		"#SBATCH --output=" + dir + "/slurm-%A_%a.out\n", `--shard "${SLURM_ARRAY_TASK_ID}/4" --out '` + dir + `' --resume`,
		"sweep '" + mustAbs(t, tinySweep) + "'", "merge '" + dir + "'"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("dry run lacks %q:\n%s", want, stdout)
		}
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("--dry-run wrote something")
	}
	code, stdout, _ = migsim(t, "sweep", tinySweep, "--out", dir, "--slurm", "--tasks", "4", "--cpus-per-task", "1", "--run-time", "2m")
	if code != exitOK || !strings.Contains(stdout, "Submit with:") {
		t.Fatalf("--slurm = %d\n%s", code, stdout)
	}
	for _, name := range []string{"sweep.sbatch", "merge.sbatch"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.Mode()&0o100 == 0 {
			t.Errorf("%s: %v, mode %v", name, err, fi)
		}
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
