package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/migsim/migsim/sim/scenario"
)

const tinyCalibration = `
[objective]
log_rmse = 1
annual = 1

[optimizer]
max_evals = 6

[[param]]
name = "rate"
targets = ["origin.ven.base_rate"]
min = 0.0005
max = 0.01
log = true

[[param]]
name = "boat"
targets = ["edge.port-landing.capacity", "policy.boat cut.scale"]
mode = "factor"
min = 0.5
max = 2
`

func TestCalibrateCommand(t *testing.T) {
	dir := t.TempDir()
	sc := tinyObserved(t, dir)
	params := filepath.Join(dir, "calib.toml")
	if err := os.WriteFile(params, []byte(tinyCalibration), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "fitted.toml")
	code, stdout, stderr := migsim(t, "calibrate", sc, "--params", params, "--replicates", "2", "--seed", "5", "--out", out)
	if code != exitOK {
		t.Fatalf("calibrate = %d\n%s%s", code, stdout, stderr)
	}
	for _, w := range []string{"calibrate: 2 parameters (rate, boat), nelder-mead, at most 6 evaluations of 2 replicates", "eval    1 * f = "} {
		if !strings.Contains(stderr, w) {
			t.Errorf("progress lacks %q:\n%s", w, stderr)
		}
	}
	for _, w := range []string{"6 evaluations", "objective: start ", "rate", "Calibrated scenario written to " + out} {
		if !strings.Contains(stdout, w) {
			t.Errorf("stdout lacks %q:\n%s", w, stdout)
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// Undo the wrapping of the comment block's lines.
	text := strings.NewReplacer("\n#     ", " ", "\n#   ", " ").Replace(string(data))
	for _, w := range []string{
		"# ---- calibration: written by migsim calibrate; do not edit by hand ----",
		" migsim calibrate ", "seeds derived from base seed 5", "Replicates: 2 per evaluation",
		" rate = ", "multiplies edge.port-landing.capacity, policy.boat cut.scale",
		"\ncalibration = \"migsim calibrate on ",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("calibrated scenario lacks %q", w)
		}
	}
	// It loads, and only the calibrated values (and the comments) changed.
	fitted, err := scenario.Load(out)
	if err != nil {
		t.Fatalf("the calibrated scenario does not load: %v", err)
	}
	orig, err := scenario.Load(sc)
	if err != nil {
		t.Fatal(err)
	}
	fitted.Origins[0].BaseRate = orig.Origins[0].BaseRate
	fitted.Edges[2].Capacity = orig.Edges[2].Capacity
	fitted.Policies[0].Scale = orig.Policies[0].Scale
	fitted.Meta.Calibration = orig.Meta.Calibration
	if a, b := summary(t, fitted), summary(t, orig); a != b {
		t.Errorf("the calibrated scenario differs elsewhere:\n%s\n%s", a, b)
	}

	// Never overwritten without --overwrite.
	code, _, stderr = migsim(t, "calibrate", sc, "--params", params, "--out", out, "--quiet")
	if code != exitFailure || !strings.Contains(stderr, "exists (pass --overwrite to replace it)") {
		t.Errorf("second calibrate = %d, %q", code, stderr)
	}
	// A calibration file that reaches past 2024-12-31 is refused.
	late := filepath.Join(dir, "late.toml")
	if err := os.WriteFile(late, []byte("[objective]\nuntil = 2025-03-31\n"+tinyCalibration[strings.Index(tinyCalibration, "[optimizer]"):]), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = migsim(t, "calibrate", sc, "--params", late, "--out", filepath.Join(dir, "x.toml"), "--quiet")
	if code != exitFailure || !strings.Contains(stderr, late+":2: objective.until: 2025-03-31 is after 2024-12-31") {
		t.Errorf("until 2025: %d, %q", code, stderr)
	}
	if code, _, _ := migsim(t, "calibrate", sc); code != exitUsage {
		t.Errorf("without --params: exit %d", code)
	}
}

// summary renders the parameters and policies of a scenario.
func summary(t *testing.T, sc *scenario.Scenario) string {
	t.Helper()
	var b strings.Builder
	for _, p := range sc.Params() {
		if v, err := sc.Number(p); err == nil && !strings.HasPrefix(p, "scenario.") {
			fmt.Fprintf(&b, "%s=%g\n", p, v)
		}
	}
	for _, p := range sc.Policies {
		fmt.Fprintf(&b, "%s %s %v\n", p.Name, p.Path, p.Scale != nil && *p.Scale == 0.5)
	}
	return b.String()
}
