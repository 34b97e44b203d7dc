package sim

import (
	"math"
	"testing"
	"time"

	"github.com/migsim/migsim/sim/scenario"
)

// TestNewsAveragesCountsOverCalendarDays works the moving averages out by
// hand for a window of 4 days (weight 1/4): the news is the ratio of the
// averaged successes to the averaged outcomes, and a day without outcomes
// decays both averages alike, leaving the ratio where it was.
func TestNewsAveragesCountsOverCalendarDays(t *testing.T) {
	tr := newNewsTracker(1, 4, 0.6)
	steps := []struct {
		succ, fail int64
		want       float64
	}{
		{0, 0, 0.6},                              // nobody at the border yet: the initial belief
		{3, 1, 0.75},                             // S = 0.75, F = 0.25
		{0, 0, 0.75},                             // S = 0.5625, F = 0.1875
		{0, 4, 0.421875 / (0.421875 + 1.140625)}, // S = 0.421875, F = 0.140625 + 1
	}
	for d, s := range steps {
		tr.succ[0], tr.fail[0] = s.succ, s.fail
		tr.close(d, 4, 1, 0)
		if got := tr.history[0][d]; math.Abs(got-s.want) > 1e-12 {
			t.Errorf("day %d: news %v, want %v", d, got, s.want)
		}
	}
	if got := tr.heard(0, 3, 1, 0.6); got != tr.history[0][1] {
		t.Errorf("heard on day 3 with a delay of 1 = %v, want the signal closed on day 1 (%v)", got, tr.history[0][1])
	}
	if got := tr.heard(0, 1, 1, 0.6); got != 0.6 {
		t.Errorf("heard before any signal = %v, want the initial belief 0.6", got)
	}
}

// TestNewsDoesNotDependOnScale checks that thinning leaves the news as it
// is: the same outcomes counted as agents of 20 persons (scale 0.05) and as
// twenty times as many agents of one person (scale 1) give the same signal
// every day, prior included, and outcomes
// that come on one day in three give the same ratio as the same outcomes
// spread evenly when successes and failures keep their proportion.
func TestNewsDoesNotDependOnScale(t *testing.T) {
	small := newNewsTracker(1, 60, 0.5)
	big := newNewsTracker(1, 60, 0.5)
	for d := range 60 {
		s, f := int64(d%5), int64((d*7)%3)
		small.succ[0], small.fail[0] = s, f
		big.succ[0], big.fail[0] = 20*s, 20*f
		small.close(d, 9, 20, 5)
		big.close(d, 9, 1, 5)
		if math.Abs(small.history[0][d]-big.history[0][d]) > 1e-12 {
			t.Fatalf("day %d: news %v at one scale, %v at twenty times it", d, small.history[0][d], big.history[0][d])
		}
	}
	sparse := newNewsTracker(1, 30, 0.5)
	for d := range 30 {
		if d%3 == 0 {
			sparse.succ[0], sparse.fail[0] = 3, 6
		}
		sparse.close(d, 9, 1, 0)
		if math.Abs(sparse.history[0][d]-1.0/3) > 1e-12 {
			t.Fatalf("day %d: news %v from outcomes one day in three, all of them one success in three; want 1/3", d, sparse.history[0][d])
		}
	}
}

// TestNewsPrior works the prior out by hand: with a weight of 2 persons a
// day on the day before's news, starting from the initial belief 0.6, and a
// window of 4 days, 3 successes and 1 failure (agents of 10 persons) on the
// first day give averages of 7.5 and 2.5 persons, so the news is
// (7.5 + 2 × 0.6) / (10 + 2) = 0.725. A day without outcomes decays the
// averages to 5.625 and 1.875: (5.625 + 2 × 0.725) / (7.5 + 2). A
// nationality with no outcomes keeps the initial belief.
func TestNewsPrior(t *testing.T) {
	tr := newNewsTracker(2, 2, 0.6)
	tr.succ[0], tr.fail[0] = 3, 1
	tr.close(0, 4, 10, 2)
	tr.close(1, 4, 10, 2)
	for d, want := range []float64{0.725, (5.625 + 2*0.725) / 9.5} {
		if got := tr.history[0][d]; math.Abs(got-want) > 1e-12 {
			t.Errorf("day %d: news %v, want %v", d, got, want)
		}
		if got := tr.history[1][d]; got != 0.6 {
			t.Errorf("day %d: news without outcomes %v, want the initial belief 0.6", d, got)
		}
	}
}

// TestAnnouncedEntryChanceLiftsTheNews: on the test line nobody reaches the
// border in the first weeks, so the news heard is the initial belief, 0.8. A
// policy that announces an entry chance of 0.95 from day 10 until day 20
// makes the news heard 0.95 on exactly those days; one that announces 0.5,
// below the news, from day 30 until day 40 changes nothing.
func TestAnnouncedEntryChanceLiftsTheNews(t *testing.T) {
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "origin.ven.base_rate", 0.0)
		at := func(d int) time.Time { return sc.Meta.Start.AddDate(0, 0, d) }
		sc.Policies = append(sc.Policies,
			scenario.Policy{Name: "ruling", Date: at(10), Until: at(20), Path: "behaviour.announced_entry_chance", Set: 0.95, Source: "assumption"},
			scenario.Policy{Name: "weak", Date: at(30), Until: at(40), Path: "behaviour.announced_entry_chance", Set: 0.5, Source: "assumption"},
		)
	})
	run(t, sc, 1, func(m *Model, d int) {
		if d >= 50 {
			return
		}
		want := 0.8
		if d >= 10 && d < 20 {
			want = 0.95
		}
		if got := m.todayNews[0]; math.Abs(got-want) > 1e-12 {
			t.Errorf("day %d: news heard %v, want %v", d, got, want)
		}
	})
}
