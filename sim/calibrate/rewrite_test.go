package calibrate

import (
	"strings"
	"testing"
)

const scenarioText = `# head comment
[scenario]
name = "t"   # the name
start = 2023-01-01
end = 2023-06-30

[behaviour]
departure_elasticity = 2 # squared

[border.us]
interior = "us"
irregular_cost = { median = 300, sigma = 1.0 }
cbp_one_lead_days = 14

[[node]]
id = "a"
meals = 100
[node.cite]
meals = "assumption"

[[node]]
id = "b"
meals = 200

[[origin]]
id = "o"
base_rate = 0.0000025

[[policy]]
name = "p"
path = "node.a.meals"
scale = 0.4

[[policy]]
name = "p"
path = "node.b.meals"
ramp = { to = 50, days = 30 }

[[policy]]
name = "q"
path = "node.b.meals"
set = 10

[[policy]]
name = "r"
path = "node.a.meals"
ramp = { to = 40, days = 90 }
`

func TestRewrite(t *testing.T) {
	edits := []Edit{
		{Target: "behaviour.departure_elasticity", Values: []float64{2.345678}},
		{Target: "border.us.irregular_cost.median", Values: []float64{412.5}},
		{Target: "border.us.cbp_one_lead_days", Values: []float64{9.6}, Integer: true},
		{Target: "node.b.meals", Values: []float64{250}},
		{Target: "node.a.meals", Values: []float64{120}},
		{Target: "origin.o.base_rate", Values: []float64{0.00001234567}},
		{Target: "policy.p[node.a.meals].scale", Values: []float64{0.25}},
		{Target: "policy.p[node.b.meals].ramp.to", Values: []float64{75}},
		{Target: "policy.q.set", Values: []float64{12}},
		{Target: "policy.r.ramp.days", Values: []float64{45}, Integer: true},
	}
	out, err := Rewrite([]byte(scenarioText), edits, "fitted", []string{"line one", "", "line three"})
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, want := range []string{
		"# head comment\n" + blockBegin + "\n# line one\n#\n# line three\n" + blockEnd + "\n\n[scenario]\n",
		"name = \"t\"   # the name\nstart = 2023-01-01\nend = 2023-06-30\ncalibration = \"fitted\"\n",
		"departure_elasticity = 2.346 # squared\n",
		"irregular_cost = { median = 412.5, sigma = 1.0 }\n",
		"cbp_one_lead_days = 10\n",
		"id = \"a\"\nmeals = 120.0\n[node.cite]\nmeals = \"assumption\"\n", // the cite table is left alone
		"id = \"b\"\nmeals = 250.0\n",
		"base_rate = 1.235e-05\n",
		"path = \"node.a.meals\"\nscale = 0.25\n",
		"ramp = { to = 75.0, days = 30 }\n",
		"set = 12.0\n",
		"ramp = { to = 40, days = 45 }\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("rewritten text lacks %q:\n%s", want, got)
		}
	}
	// A second calibration replaces the block and the summary.
	again, err := Rewrite(out, nil, "refitted", []string{"new"})
	if err != nil {
		t.Fatal(err)
	}
	history := blockBegin + "\n# new\n# The values this calibration started from came from an earlier one:\n# > line one\n# >\n# > line three\n" + blockEnd + "\n\n[scenario]"
	if strings.Count(string(again), blockBegin) != 1 || !strings.Contains(string(again), history) ||
		!strings.Contains(string(again), "calibration = \"refitted\"\n") {
		t.Errorf("second rewrite:\n%s", again)
	}
	if !strings.HasSuffix(string(again), "days = 45 }\n") {
		t.Error("the text lost its final newline")
	}
}

func TestRewriteErrors(t *testing.T) {
	cases := []struct {
		e    Edit
		want string
	}{
		{Edit{Target: "behaviour.risk_aversion", Values: []float64{1}}, "risk_aversion is not written in the scenario"},
		{Edit{Target: "node.zz.meals", Values: []float64{1}}, `no [[node]] with id "zz"`},
		{Edit{Target: "border.us.irregular_cost.mode", Values: []float64{1}}, "has no part mode"},
		{Edit{Target: "node.a.meals.median", Values: []float64{1}}, "is not an inline table"},
		{Edit{Target: "policy.p.scale", Values: []float64{1, 2, 3}}, "the text has 2 such [[policy]] entries, the scenario 3"},
		{Edit{Target: "policy.q.scale", Values: []float64{1}}, "has no scale written"},
		{Edit{Target: "report.x", Values: []float64{1}}, "cannot be written"},
	}
	for _, c := range cases {
		if _, err := Rewrite([]byte(scenarioText), []Edit{c.e}, "", nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.e.Target, err, c.want)
		}
	}
}

func TestFormatValue(t *testing.T) {
	cases := []struct {
		v    float64
		int  bool
		want string
	}{
		{0.0000025, false, "2.5e-06"},
		{1234.5678, false, "1235.0"},
		{0.4118, false, "0.4118"},
		{3, false, "3.0"},
		{9.6, true, "10"},
		{-1.23456, false, "-1.235"},
	}
	for _, c := range cases {
		if got := FormatValue(c.v, c.int); got != c.want {
			t.Errorf("FormatValue(%g, %v) = %q, want %q", c.v, c.int, got, c.want)
		}
	}
}

// TestEditsVerify: the edits of a problem write values that read back as
// exactly what was evaluated.
func TestEditsVerify(t *testing.T) {
	sc := loadTiny(t)
	s, err := ReadSpec("c.toml", []byte(strings.Replace(goodSpec, `series = ["departed"]`, "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	bs, err := s.bind(sc)
	if err != nil {
		t.Fatal(err)
	}
	p := &Problem{spec: s, params: bs}
	x := []float64{0.0031234, 1.23456}
	edits, err := p.Edits(x)
	if err != nil {
		t.Fatal(err)
	}
	if len(edits) != 3 || edits[0].Values[0] != 0.003123 || edits[1].Values[0] != 74.07 || edits[2].Values[0] != 0.6173 {
		t.Errorf("edits %+v", edits)
	}
	c := sc.Clone()
	if err := apply(c, bs, x); err != nil {
		t.Fatal(err)
	}
	if err := p.Verify(c, x); err != nil {
		t.Errorf("Verify of the applied values: %v", err)
	}
	if err := p.Verify(sc, x); err == nil {
		t.Error("Verify of the original values passed")
	}
}
