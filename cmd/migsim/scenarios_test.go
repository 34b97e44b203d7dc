package main

import (
	"strings"
	"testing"
)

func TestScenarios(t *testing.T) {
	code, out, errOut := migsim(t, "scenarios")
	if code != exitOK || errOut != "" {
		t.Fatalf("scenarios = %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("scenarios printed %q; want a header and at least one scenario", out)
	}
	header := lines[0]
	fileCol, descCol := strings.Index(header, "FILE"), strings.Index(header, "DESCRIPTION")
	if !strings.HasPrefix(header, "NAME ") || fileCol < 0 || descCol < fileCol {
		t.Fatalf("header %q", header)
	}
	found := false
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "americas ") {
			continue
		}
		found = true
		if !strings.HasPrefix(l, "americas (baseline) ") {
			t.Errorf("the default's line %q does not give its other name, baseline", l)
		}
		// Columns line up under the header.
		if strings.Index(l, "americas.toml") != fileCol {
			t.Errorf("file column of %q is not under FILE (column %d)", l, fileCol)
		}
		if len(l) <= descCol || l[descCol-1] != ' ' || l[descCol] == ' ' {
			t.Errorf("no description under DESCRIPTION (column %d) in %q", descCol, l)
		}
	}
	if !found {
		t.Errorf("scenarios does not list americas:\n%s", out)
	}
}
