package main

import (
	"bytes"
	"debug/buildinfo"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPGOComputesTheSame builds migsim as `go build` does, with the
// profile cmd/migsim/default.pgo, and without profile-guided optimisation,
// runs the default scenario thinned to scale 0.05 with each, and checks
// that every file written is byte for byte the same (run.json but for its
// wall time): the profile may change how fast migsim runs, never what it
// computes.
func TestPGOComputesTheSame(t *testing.T) {
	if testing.Short() {
		t.Skip("builds migsim twice")
	}
	dir := t.TempDir()
	outs := map[string]string{}
	for _, pgo := range []string{"auto", "off"} {
		exe := filepath.Join(dir, "migsim-pgo-"+pgo)
		if out, err := exec.Command("go", "build", "-pgo="+pgo, "-o", exe, ".").CombinedOutput(); err != nil {
			t.Fatalf("go build -pgo=%s: %v\n%s", pgo, err, out)
		}
		bi, err := buildinfo.ReadFile(exe)
		if err != nil {
			t.Fatal(err)
		}
		var setting string
		for _, s := range bi.Settings {
			if s.Key == "-pgo" {
				setting = s.Value
			}
		}
		if want := pgo == "auto"; (filepath.Base(setting) == "default.pgo") != want {
			t.Fatalf("go build -pgo=%s: the binary's -pgo setting is %q", pgo, setting)
		}
		outs[pgo] = filepath.Join(dir, "out-"+pgo)
		cmd := exec.Command(exe, "run", "--set", "scenario.scale=0.05", "--seed", "3", "--workers", "2", "--out", outs[pgo])
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("migsim run (-pgo=%s): %v\n%s", pgo, err, out)
		}
	}
	files, err := os.ReadDir(outs["auto"])
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 5 {
		t.Fatalf("the run wrote %d files", len(files))
	}
	for _, f := range files {
		a, err := os.ReadFile(filepath.Join(outs["auto"], f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(outs["off"], f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if f.Name() == "run.json" {
			a, b = withoutLines(a, "wall_seconds"), withoutLines(b, "wall_seconds")
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between the builds with and without PGO", f.Name())
		}
	}
}

// withoutLines returns data without the lines that contain s.
func withoutLines(data []byte, s string) []byte {
	var keep []string
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.Contains(line, s) {
			keep = append(keep, line)
		}
	}
	return []byte(strings.Join(keep, "\n"))
}
