package synth

import (
	"strings"
	"testing"

	"github.com/migsim/migsim/sim/scenario"
)

// The generated scenario passes the scenario package's checks and has the
// size asked for: exactly cfg.Nodes nodes, cfg.Days days, and origin pools
// adding up to cfg.Agents.
func TestScenarioHasTheRequestedSize(t *testing.T) {
	for _, cfg := range []Config{
		{Agents: 1, Nodes: MinNodes, Days: 1},
		{Agents: 1003, Nodes: 64, Days: 365, Seed: 7},
		{Agents: 10_000_000, Nodes: 500, Days: 30},
	} {
		sc, err := Scenario(cfg)
		if err != nil {
			t.Fatalf("%+v: %v", cfg, err)
		}
		if len(sc.Nodes) != cfg.Nodes {
			t.Errorf("%+v: %d nodes", cfg, len(sc.Nodes))
		}
		if sc.Days() != cfg.Days {
			t.Errorf("%+v: %d days", cfg, sc.Days())
		}
		var pool float64
		for _, o := range sc.Origins {
			pool += o.Pool
		}
		if pool != float64(cfg.Agents) {
			t.Errorf("%+v: pools add up to %v", cfg, pool)
		}
		if sc.Meta.Scale != 1 {
			t.Errorf("%+v: scale %v, want 1 (one agent per person)", cfg, sc.Meta.Scale)
		}
	}
}

// Every rule of the model has something to act on: boats with capacities
// that capsize, a deadly trek, interception, aid, deportation flights, a
// border with CBP One, and policies.
func TestScenarioExercisesEveryRule(t *testing.T) {
	sc, err := Scenario(Default())
	if err != nil {
		t.Fatal(err)
	}
	var boats, deadly, intercept, aid, cbp int
	for _, e := range sc.Edges {
		if e.BoatSize > 0 && e.CapsizeRisk > 0 && e.Capacity > 0 {
			boats++
		}
		if e.DeathRisk > 0 {
			deadly++
		}
		if e.Interception > 0 {
			intercept++
		}
	}
	for _, n := range sc.Nodes {
		if n.Meals > 0 && n.Beds > 0 {
			aid++
		}
		if n.Kind == scenario.KindBorder && n.CBPOneEligible {
			cbp++
		}
	}
	deport := false
	for _, p := range sc.Policies {
		deport = deport || strings.HasSuffix(p.Path, ".deport_flights_per_week")
	}
	if boats == 0 || deadly == 0 || intercept == 0 || aid == 0 || cbp == 0 || !deport || len(sc.Policies) < 5 {
		t.Errorf("boats %d, deadly edges %d, interception %d, aid nodes %d, CBP One borders %d, deportation %v, %d policies",
			boats, deadly, intercept, aid, cbp, deport, len(sc.Policies))
	}
}

func TestBadConfig(t *testing.T) {
	for _, cfg := range []Config{
		{Agents: 0, Nodes: 64, Days: 10},
		{Agents: 10, Nodes: MinNodes - 1, Days: 10},
		{Agents: 10, Nodes: 64, Days: 0},
	} {
		if _, err := Scenario(cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
}
