package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tinyVariant writes a copy of the tiny scenario named name whose port
// serves meals meals a day.
func tinyVariant(t *testing.T, dir, name, meals string) string {
	t.Helper()
	src, err := os.ReadFile(tinyFile)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(src), `name = "tiny"`, `name = "`+name+`"`, 1)
	s = strings.Replace(s, "meals = 300 ", "meals = "+meals+" ", 1)
	if s == string(src) || !strings.Contains(s, "meals = "+meals+" ") {
		t.Fatal("tiny.toml no longer has the lines this test edits")
	}
	path := filepath.Join(dir, name+".toml")
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCompareWithCommonRandomNumbers(t *testing.T) {
	tmp := t.TempDir()
	noAid := tinyVariant(t, tmp, "noaid", "0")
	out := filepath.Join(tmp, "cmp")
	code, stdout, stderr := migsim(t, "compare", tinyFile, noAid, "--replicates", "4", "--out", out, "--quiet")
	if code != exitOK {
		t.Fatalf("compare = %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "unmet need at Port") || !strings.Contains(stdout, "reference") {
		t.Errorf("table lacks the port's unmet need:\n%s", stdout)
	}
	rows := readLines(t, filepath.Join(out, "compare.csv"))
	if rows[0] != "scenario,indicator,label,unit,q05,q50,q95,diff_q50_vs_first,diff_q05,diff_q95" {
		t.Errorf("header %s", rows[0])
	}
	var port string
	for _, r := range rows {
		if strings.HasPrefix(r, "noaid,unmet_need_port,") {
			port = r
		}
	}
	f := strings.Split(port, ",")
	if len(f) != 10 || f[7] == "0" || strings.HasPrefix(f[7], "-") {
		t.Errorf("without meals at the port its unmet need should rise: %q", port)
	}
	if plots := filesWithExt(t, out, ".png"); len(plots) < 5 {
		t.Errorf("%d overlay plots", len(plots))
	}

	// A scenario compared with itself: with common random numbers every
	// replicate pair is the same run, so every difference is exactly 0.
	same := filepath.Join(tmp, "same")
	code, _, stderr = migsim(t, "compare", tinyFile, tinyFile, "--replicates", "3", "--out", same, "--quiet", "--no-plots")
	if code != exitOK {
		t.Fatalf("compare with itself = %d: %s", code, stderr)
	}
	for _, r := range readLines(t, filepath.Join(same, "compare.csv"))[1:] {
		f := strings.Split(r, ",")
		if n := len(f); f[n-3] != "0" || f[n-2] != "0" || f[n-1] != "0" {
			t.Errorf("identical scenarios differ: %s", r)
		}
	}

	// The folder is not empty now: refused before running.
	code, _, stderr = migsim(t, "compare", tinyFile, noAid, "--replicates", "2", "--out", out, "--quiet")
	if code != exitFailure || !strings.Contains(stderr, "--overwrite") {
		t.Errorf("compare into a full folder = %d, %q", code, stderr)
	}
}

func TestCompareBadInput(t *testing.T) {
	tmp := t.TempDir()
	short, _ := os.ReadFile(tinyFile)
	shorter := strings.Replace(string(short), "end = 2023-06-30", "end = 2023-05-31", 1)
	p := filepath.Join(tmp, "short.toml")
	os.WriteFile(p, []byte(shorter), 0o644)
	code, _, stderr := migsim(t, "compare", tinyFile, p, "--replicates", "2", "--out", filepath.Join(tmp, "x"), "--quiet")
	if code != exitFailure || !strings.Contains(stderr, "must cover the same dates") {
		t.Errorf("different dates = %d, %q", code, stderr)
	}
	for _, args := range [][]string{{"compare", tinyFile}, {"compare", tinyFile, tinyFile, "--replicates", "0"}} {
		if code, _, _ := migsim(t, args...); code != exitUsage {
			t.Errorf("migsim %v = %d, want a usage error", args, code)
		}
	}
	code, _, stderr = migsim(t, "compare", tinyFile, filepath.Join(tmp, "missing.toml"), "--quiet")
	if code != exitFailure || !strings.Contains(stderr, "missing.toml") {
		t.Errorf("missing scenario = %d, %q", code, stderr)
	}
}
