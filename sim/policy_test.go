package sim

import (
	"math"
	"testing"
	"time"

	"github.com/migsim/migsim/sim/scenario"
)

// TestFadingScale: a scale given with a ramp moves the factor from scale to
// ramp.to over ramp.days. The test line's base rate is 0.01; a scale of 0.2
// fading to 1 over 4 days from day 10 gives, on the k-th day of the ramp,
// 0.01 × (0.2 + 0.8 k/4): 0.004, 0.006, 0.008, then 0.01 from day 13 on.
func TestFadingScale(t *testing.T) {
	sc := loadLine(t, func(sc *scenario.Scenario) {
		at := func(d int) time.Time { return sc.Meta.Start.AddDate(0, 0, d) }
		scale := 0.2
		sc.Policies = append(sc.Policies, scenario.Policy{
			Name: "fade", Date: at(10), Path: "origin.ven.base_rate", Scale: &scale,
			Ramp: &scenario.Ramp{To: 1, Days: 4}, Source: "assumption",
		})
	})
	want := map[int]float64{9: 0.01, 10: 0.004, 11: 0.006, 12: 0.008, 13: 0.01, 14: 0.01, 40: 0.01}
	run(t, sc, 1, func(m *Model, d int) {
		if w, ok := want[d]; ok {
			if got := m.params[0].origins[0].baseRate; math.Abs(got-w) > 1e-15 {
				t.Errorf("day %d: base rate %v, want %v", d, got, w)
			}
		}
	})
}
