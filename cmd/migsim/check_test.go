package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
)

// tinyFile is the small valid scenario of package scenario's tests.
const tinyFile = "../../sim/scenario/testdata/tiny.toml"

// badFile is tiny.toml with planted errors, each marked "# planted:".
const badFile = "testdata/bad.toml"

// countTables counts the entries of a TOML table array ("[[node]]") in a
// file, by its text.
func countTables(t *testing.T, file, table string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "[["+table+"]]" {
			n++
		}
	}
	return n
}

func TestCheckGood(t *testing.T) {
	code, out, errOut := migsim(t, "check", tinyFile)
	if code != exitOK || errOut != "" {
		t.Fatalf("check %s = %d, stderr %q; want 0 and no errors", tinyFile, code, errOut)
	}
	// tiny.toml runs 2023-01-01 to 2023-06-30: 31+28+31+30+31+30 = 181 days.
	want := fmt.Sprintf("%s: OK (%d nodes, %d edges, 1 origin, %d policies, 181 days 2023-01-01–2023-06-30)\n",
		tinyFile, countTables(t, tinyFile, "node"), countTables(t, tinyFile, "edge"), countTables(t, tinyFile, "policy"))
	if countTables(t, tinyFile, "origin") != 1 {
		t.Fatalf("tiny.toml has changed: the expected line assumes one origin")
	}
	if out != want {
		t.Errorf("check printed %q, want %q", out, want)
	}
}

func TestCheckEmbedded(t *testing.T) {
	code, out, errOut := migsim(t, "check", "americas")
	// 2021-01-01 to 2025-12-31: five years, 2024 a leap year: 5×365+1 days.
	if code != exitOK || errOut != "" || !strings.HasPrefix(out, "americas: OK (") ||
		!strings.HasSuffix(out, ", 1826 days 2021-01-01–2025-12-31)\n") {
		t.Errorf("check americas = %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// planted returns the errors planted in badFile: for each marked line, the
// "file:line: key: " prefix its error must carry.
func planted(t *testing.T) []string {
	t.Helper()
	keys := map[string]string{
		"end before start":  "scenario.end",
		"unknown key":       "node.port.meels",
		"unknown node":      "edge.port-home.to",
		"negative capacity": "edge.port-landing.capacity",
	}
	f, err := os.Open(badFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []string
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		_, what, ok := strings.Cut(sc.Text(), "# planted: ")
		if !ok || line <= 3 { // the header mentions the marker
			continue
		}
		key, ok := keys[what]
		if !ok {
			t.Fatalf("%s:%d: planted error %q has no expected key", badFile, line, what)
		}
		want = append(want, fmt.Sprintf("%s:%d: %s: ", badFile, line, key))
		delete(keys, what)
	}
	if len(keys) > 0 {
		t.Fatalf("%s lacks planted errors %v", badFile, keys)
	}
	return want
}

func TestCheckBad(t *testing.T) {
	want := planted(t)
	code, out, errOut := migsim(t, "check", badFile)
	if code != exitFailure {
		t.Errorf("check %s: exit status %d, want %d", badFile, code, exitFailure)
	}
	if out != "" {
		t.Errorf("check %s: stdout %q, want nothing", badFile, out)
	}
	lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
	for _, w := range want {
		found := false
		for _, l := range lines {
			found = found || strings.HasPrefix(l, w)
		}
		if !found {
			t.Errorf("no error line starts with %q; stderr:\n%s", w, errOut)
		}
	}
	// Every error is on a line of its own and names the file.
	for _, l := range lines {
		if !strings.HasPrefix(l, badFile+":") {
			t.Errorf("error line %q does not name %s", l, badFile)
		}
	}
}

func TestCheckSeveral(t *testing.T) {
	// A bad file among good ones: the good ones are still reported OK, in
	// order, and the status is 1.
	code, out, errOut := migsim(t, "check", tinyFile, badFile, "americas")
	if code != exitFailure {
		t.Errorf("exit status %d, want %d", code, exitFailure)
	}
	lines := strings.Split(out, "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], tinyFile+": OK") || !strings.HasPrefix(lines[1], "americas: OK") {
		t.Errorf("stdout %q, want OK lines for %s and americas", out, tinyFile)
	}
	if !strings.Contains(errOut, badFile+":") {
		t.Errorf("stderr %q lacks the errors of %s", errOut, badFile)
	}
}

func TestCheckSet(t *testing.T) {
	// Every bad assignment is reported at once: one names nothing, one is
	// out of range, one is not a whole number of persons per agent.
	code, out, errOut := migsim(t, "check", tinyFile,
		"--set", "nope.x=1", "--set", "border.us.apprehension=2", "--set", "scenario.scale=0.5")
	if code != exitFailure || out != "" {
		t.Errorf("exit status %d, stdout %q; want 1 and nothing", code, out)
	}
	for _, w := range []string{"--set nope.x=1: ", "--set border.us.apprehension=2: "} {
		if !strings.Contains(errOut, "\n"+w) && !strings.HasPrefix(errOut, w) {
			t.Errorf("stderr lacks a line starting %q:\n%s", w, errOut)
		}
	}
	if strings.Contains(errOut, "scenario.scale=0.5") {
		t.Errorf("a valid assignment is blamed:\n%s", errOut)
	}

	// A good assignment passes.
	code, out, errOut = migsim(t, "check", tinyFile, "--set", "border.us.cbp_one_daily_slots=0")
	if code != exitOK || errOut != "" || !strings.HasPrefix(out, tinyFile+": OK (") {
		t.Errorf("check --set border.us.cbp_one_daily_slots=0 = %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestCheckMissing(t *testing.T) {
	code, out, errOut := migsim(t, "check", "no-such.toml")
	if code != exitFailure || out != "" || !strings.Contains(errOut, "no-such.toml: no such file, nor an embedded scenario") {
		t.Errorf("check no-such.toml = %d, stdout %q, stderr %q", code, out, errOut)
	}
}
