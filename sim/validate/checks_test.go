package validate

import (
	"math"
	"strings"
	"testing"

	"github.com/migsim/migsim/sim"
)

const checksFile = `
[[check]]
name = "feb"
label = "February on a-b"
quantity = "flow"
edges = ["a-b"]
from = 2021-02-01
to = 2021-02-28
reported = 50
source = "S"

[[check]]
name = "feb_daily"
quantity = "crossing_north"
from = 2021-02-01
to = 2021-02-28
statistic = "daily_mean"
reported = 4
relation = "at_least"

[[check]]
name = "change"
quantity = "crossing_north"
from = 2021-02-01
to = 2021-02-28
statistic = "change"
ref_from = 2021-01-01
ref_to = 2021-01-31
reported = -0.5

[[check]]
name = "stranded"
quantity = "stranded"
from = 2021-01-01
to = 2021-01-31
`

// On the fake runs (k = 1, 2, 3 persons a day in January, twice that in
// February): February sums 56k, its daily mean is 2k, its change from
// January is 56/31 − 1; the stranded total (a state) on 31 January is 30.
func TestChecks(t *testing.T) {
	checks, err := ReadChecks("c.toml", []byte(checksFile))
	if err != nil {
		t.Fatal(err)
	}
	if checks[0].Statistic != StatSum || checks[0].Relation != About || checks[3].Label != "stranded" {
		t.Errorf("defaults: %+v", checks)
	}
	rs, err := Evaluate(checks, []*sim.Result{fakeRun(1), fakeRun(2), fakeRun(3)})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{112, 4, 56.0/31 - 1, 30}
	for i, r := range rs {
		if !near(r.Sim.Q50, want[i], 1e-12) {
			t.Errorf("%s: median %g, want %g", r.Name, r.Sim.Q50, want[i])
		}
	}
	if !near(rs[0].Sim.Q05, 56+0.1*56, 1e-12) || !near(rs[0].Sim.Q95, 168-0.1*56, 1e-12) {
		t.Errorf("feb interval %+v", rs[0].Sim)
	}
	verdicts := []string{"too high (×2.2)", "consistent (at least)", "off by +131 points", "(no figure reported)"}
	for i, r := range rs {
		if v := r.Verdict(); v != verdicts[i] {
			t.Errorf("%s: verdict %q, want %q", r.Name, v, verdicts[i])
		}
	}
	var b strings.Builder
	if err := PrintChecks(&b, rs); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"February on a-b", "≈ 50", "112 [62, 162]", "≥ 4.0", "-50.0 %", "80.6 %"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("checks table lacks %q:\n%s", w, b.String())
		}
	}
	data, err := ChecksCSV(rs)
	if err != nil || !strings.Contains(string(data), "\nfeb,February on a-b,sum,2021-02-01,2021-02-28,50,about,61.6,112,162.4,too high (×2.2),S\n") {
		t.Errorf("checks.csv (%v):\n%s", err, data)
	}
	// A period outside the run is an error.
	out := checks[:1]
	out[0].To = out[0].To.AddDate(0, 1, 0)
	if _, err := Evaluate(out, []*sim.Result{fakeRun(1)}); err == nil || !strings.Contains(err.Error(), "outside the run") {
		t.Errorf("period outside the run: %v", err)
	}
}

func TestCheckVerdicts(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	cases := []struct {
		stat, rel string
		rep, sim  float64
		want      string
	}{
		{StatSum, About, 100, 150, "consistent (within a factor of 2)"},
		{StatSum, About, 100, 40, "too low (×0.40)"},
		{StatSum, About, 100, 0, "none simulated"},
		{StatSum, AtMost, 100, 90, "consistent (at most)"},
		{StatSum, AtLeast, 9000, 100, "too low (×0.01)"},
		{StatChange, About, -0.98, -0.95, "consistent"},
		{StatChange, About, -0.98, -0.5, "off by +48 points"},
	}
	for _, c := range cases {
		r := CheckResult{Check: Check{Statistic: c.stat, Relation: c.rel, Reported: f(c.rep)}}
		r.Sim.Q50 = c.sim
		if got := r.Verdict(); got != c.want {
			t.Errorf("%s %s %g vs %g: %q, want %q", c.stat, c.rel, c.sim, c.rep, got, c.want)
		}
	}
	if thousands(-1234567.4) != "-1,234,567" || thousands(999) != "999" || thousands(math.NaN()) != "NA" {
		t.Errorf("thousands: %s %s", thousands(-1234567.4), thousands(999))
	}
}

func TestReadChecksErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{"[[check]]\nname = \"a\"\nquantity = \"flow\"\nfrom = 2025-01-01\nto = 2024-01-01\n", "c.toml:5: check[0].to: 2024-01-01 is before from"},
		{"[[check]]\nname = \"a\"\nquantity = \"flow\"\nfrom = 2025-01-01\nto = 2025-02-01\nstatistic = \"median\"\n", "c.toml:6: check[0].statistic: \"median\": want sum, daily_mean or change"},
		{"[[check]]\nname = \"a\"\nquantity = \"flow\"\nfrom = 2025-01-01\nto = 2025-02-01\nstatistic = \"change\"\n", "check[0].ref_from: a change needs ref_from and ref_to"},
		{"[[check]]\nname = \"a\"\nquantity = \"flow\"\nfrom = 2025-01-01\nto = 2025-02-01\ncolour = 1\n", "c.toml:6: check[0].colour: unknown key"},
		{"[[check]]\nquantity = \"flow\"\nfrom = 2025-01-01\nto = 2025-02-01\n", "c.toml:1: check[0].name: is missing"},
		{"x = 1\n", "c.toml: x: unknown key"},
		{"[[check]\n", "c.toml:2: expected end of table array name delimiter"},
	}
	for _, c := range cases {
		_, err := ReadChecks("c.toml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.src, err, c.want)
		}
	}
}
