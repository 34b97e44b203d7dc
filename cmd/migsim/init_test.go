package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsim/migsim/scenarios"
)

func TestInit(t *testing.T) {
	file := filepath.Join(t.TempDir(), "my.toml")
	code, out, errOut := migsim(t, "init", file)
	if code != exitOK || errOut != "" || !strings.HasPrefix(out, "wrote "+file) {
		t.Fatalf("init = %d, stdout %q, stderr %q", code, out, errOut)
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, scenarios.Template()) {
		t.Errorf("init wrote %d bytes that differ from the template (%d bytes)", len(got), len(scenarios.Template()))
	}

	// What init writes is a valid scenario.
	code, out, errOut = migsim(t, "check", file)
	if code != exitOK || errOut != "" || !strings.HasPrefix(out, file+": OK (") {
		t.Errorf("check of the written template = %d, stdout %q, stderr %q", code, out, errOut)
	}

	// init never overwrites, not even its own file: a user's edits survive.
	if err := os.WriteFile(file, []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = migsim(t, "init", file)
	if code != exitFailure || out != "" || errOut != "migsim: "+file+" exists; choose another name\n" {
		t.Errorf("second init = %d, stdout %q, stderr %q; want 1 and \"FILE exists\"", code, out, errOut)
	}
	if got, _ := os.ReadFile(file); string(got) != "# mine\n" {
		t.Errorf("init changed an existing file: %q", got)
	}
}

func TestInitNoFolder(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "missing", "my.toml")
	code, _, errOut := migsim(t, "init", file)
	if code != exitFailure || !strings.Contains(errOut, file) {
		t.Errorf("init into a missing folder = %d, stderr %q; want 1 and an error naming the file", code, errOut)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("init into a missing folder left %d entries behind", len(entries))
	}
}
