package calibrate

import (
	"testing"

	"github.com/migsim/migsim/sim/scenario"
)

// A ramp's length is a whole number of days: the target reads it, and
// setting 44.6 writes 45 into that entry alone.
func TestTargetRampDays(t *testing.T) {
	sc := &scenario.Scenario{Policies: []scenario.Policy{
		{Name: "p", Path: "node.b.meals", Ramp: &scenario.Ramp{To: 50, Days: 30}},
		{Name: "r", Path: "node.a.meals", Ramp: &scenario.Ramp{To: 40, Days: 90}},
		{Name: "q", Path: "node.b.meals", Set: 10.0},
	}}
	tg, err := parseTarget(sc, "policy.r.ramp.days")
	if err != nil {
		t.Fatal(err)
	}
	if tg.kind != scenario.Integer {
		t.Errorf("kind %v, want a whole number", tg.kind)
	}
	got, err := tg.get(sc)
	if err != nil || len(got) != 1 || got[0] != 90 {
		t.Fatalf("get = %v, %v; want [90]", got, err)
	}
	if err := tg.set(sc, []float64{44.6}); err != nil {
		t.Fatal(err)
	}
	for _, p := range sc.Policies {
		if p.Name == "r" && (p.Ramp.Days != 45 || p.Ramp.To != 40) {
			t.Errorf("ramp after set: %+v, want to 40 over 45 days", *p.Ramp)
		}
		if p.Name == "p" && p.Ramp != nil && p.Ramp.Days != 30 {
			t.Errorf("policy p's ramp changed: %+v", *p.Ramp)
		}
	}
	if _, err := parseTarget(sc, "policy.q.ramp.days"); err == nil {
		t.Error("policy q has no ramp, yet ramp.days was accepted")
	}
}
