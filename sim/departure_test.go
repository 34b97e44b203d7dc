package sim

import (
	"math"
	"testing"
	"time"
)

// The season's factor of the departure rate, worked out by hand from the
// formula of departure.go: with a yearly cycle of ±0.3 peaking in August
// and a half-yearly one of ±0.2 peaking in March (and September), on the
// first of August the yearly term is +0.3 and the half-yearly one
// 0.2·cos(4π·5/12) = +0.1 (factor 1.4); on the first of March the yearly
// term is 0.3·cos(2π·5/12) = −0.3·√3/2 and the half-yearly one +0.2
// (factor 0.9402); on the first of June the yearly term is 0.3·cos(2π/6)
// = +0.15 and the half-yearly one 0.2·cos(4π·3/12) = −0.2 (factor 0.95,
// 1.15 without it). A yearly cycle of ±0.8 with a half-yearly one of
// ±0.2, both peaking in August, gives 1 − 0.8 + 0.2 = 0.4 on the first of
// February and 1 + 0 − 0.2 = 0.8 on the first of May. Amplitudes that add
// up to more than 1 (a scenario cannot have them, a policy could set them)
// give 0, not a negative rate.
func TestDepartureSeason(t *testing.T) {
	sc := loadLine(t, nil)
	m, err := New(sc, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.applyPolicies(0); err != nil { // the parameters in force
		t.Fatal(err)
	}
	setSeason := func(amp, peak, half, halfPeak float64) {
		for _, ps := range m.params {
			if ps == nil {
				continue // a nationality with no parameters of its own
			}
			for g := range ps.origins {
				o := &ps.origins[g]
				o.seasonAmplitude, o.seasonPeak = amp, peak
				o.semiannualAmplitude, o.semiannualPeak = half, halfPeak
			}
		}
	}
	start := sc.Meta.Start
	dayOf := func(month time.Month) int {
		y := start.Year()
		if month < start.Month() || (month == start.Month() && start.Day() > 1) {
			y++
		}
		return int(time.Date(y, month, 1, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)
	}
	for _, c := range []struct {
		month                     time.Month
		amp, peak, half, halfPeak float64
		want                      float64
	}{
		{time.August, 0.3, 8, 0.2, 3, 1.4},
		{time.March, 0.3, 8, 0.2, 3, 1 - 0.3*math.Sqrt(3)/2 + 0.2},
		{time.June, 0.3, 8, 0.2, 3, 0.95},
		{time.June, 0.3, 8, 0, 0, 1.15},
		{time.February, 0.8, 8, 0.2, 8, 0.4},
		{time.May, 0.8, 8, 0.2, 8, 0.8},
		{time.February, 0.9, 8, 0.3, 5, 0}, // 1 − 0.9 − 0.3 < 0, as a policy could set it
	} {
		d := dayOf(c.month)
		setSeason(0, 0, 0, 0)
		flat := m.departureRate(0, d)
		setSeason(c.amp, c.peak, c.half, c.halfPeak)
		got := m.departureRate(0, d) / flat
		if math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%v (yearly ±%g peak %g, half-yearly ±%g peak %g): season factor %.15g, want %.15g", c.month, c.amp, c.peak, c.half, c.halfPeak, got, c.want)
		}
	}
}
