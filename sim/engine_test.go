package sim

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/migsim/migsim/sim/scenario"
)

// loadLine reads the engine's test line (testdata/line.toml) and lets the
// test change it before checking it again.
func loadLine(t *testing.T, edit func(sc *scenario.Scenario)) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Load("testdata/line.toml")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if edit != nil {
		edit(sc)
		if err := sc.Validate(); err != nil {
			t.Fatalf("edited scenario is invalid: %v", err)
		}
	}
	return sc
}

func set(t *testing.T, sc *scenario.Scenario, path string, v any) {
	t.Helper()
	if err := sc.SetParam(path, v); err != nil {
		t.Fatalf("set %s: %v", path, err)
	}
}

func run(t *testing.T, sc *scenario.Scenario, workers int, audit func(m *Model, d int)) *Result {
	t.Helper()
	m, err := New(sc, Options{Workers: workers})
	if err != nil {
		t.Fatalf("new: %v", err)
	}
	if audit != nil {
		m.audit = func(d int) { audit(m, d) }
	}
	r, err := m.Run(context.Background())
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return r
}

func col(r *Result, d int, c Total) float64 { return r.Totals[d][c] }

func edgeIdx(r *Result, id string) int {
	for i, e := range r.Edges {
		if e.ID == id {
			return i
		}
	}
	panic("no edge " + id)
}

func nodeIdx(r *Result, id string) int {
	for i, n := range r.Nodes {
		if n.ID == id {
			return i
		}
	}
	panic("no node " + id)
}

// busy turns every mechanism on: crossing, asylum, expulsion, CBP One,
// giving up, the interior, capsizes, deaths, crime, aid and work.
func busy(t *testing.T, sc *scenario.Scenario) {
	set(t, sc, "origin.ven.pool", 30000.0)
	set(t, sc, "origin.ven.base_rate", 0.02)
	set(t, sc, "origin.ven.budget", scenario.Dist{Kind: scenario.DistLognormal, Median: 400, Sigma: 0.8})
	set(t, sc, "behaviour.giveup_base", -5.0)
	set(t, sc, "behaviour.giveup_per_month_waited", 1.0)
	set(t, sc, "behaviour.giveup_stranded", 1.0)
	set(t, sc, "behaviour.belief_news_rate", 0.1)
	set(t, sc, "behaviour.belief_local_rate", 0.2)
	set(t, sc, "behaviour.belief_home_rate", 0.05)
	set(t, sc, "behaviour.departure_elasticity", 1.0)
	set(t, sc, "border.us.cbp_one_open", true)
	set(t, sc, "border.us.cbp_one_daily_slots", 40.0)
	set(t, sc, "border.us.cbp_one_register_chance", 0.2)
	set(t, sc, "border.us.irregular_attempt_chance", 0.3)
	set(t, sc, "border.us.interior_removal_rate", 0.002)
	set(t, sc, "border.us.interior_leave_rate", 0.003)
	set(t, sc, "edge.port-across.capacity", 150.0)
	set(t, sc, "edge.port-across.boat_size", 30.0)
	set(t, sc, "edge.port-across.capsize_risk", 0.02)
	set(t, sc, "edge.port-across.capsize_fatality", 0.5)
	set(t, sc, "edge.across-port.boat_size", 20.0)
	set(t, sc, "edge.across-port.capsize_risk", 0.05)
	set(t, sc, "edge.across-border.death_risk", 0.01)
	set(t, sc, "edge.across-border.robbery_risk", 0.2)
	set(t, sc, "edge.across-border.robbery_loss", 0.5)
	set(t, sc, "edge.across-border.interception", 0.1)
	set(t, sc, "node.port.meals", 300.0)
	set(t, sc, "node.port.beds", 100.0)
	set(t, sc, "node.port.work_chance", 0.3)
	set(t, sc, "node.port.wage", 15.0)
	set(t, sc, "node.port.robbery_risk", 0.01)
	set(t, sc, "node.port.robbery_loss", 0.3)
	set(t, sc, "node.across.deport_flights_per_week", 2.0)
	set(t, sc, "node.across.deport_seats_per_flight", 35.0)
}

// Conservation: every day, the persons created equal the sum over all
// states, counted by scanning every agent — independently of the tallies
// the recorder keeps.
func TestConservationEveryDay(t *testing.T) {
	sc := loadLine(t, func(sc *scenario.Scenario) { busy(t, sc) })
	pool := 30000.0
	r := run(t, sc, 2, func(m *Model, d int) {
		var count [6]int64
		for _, s := range m.ag.state {
			count[s]++
		}
		row := m.res.Totals[d]
		created := float64(m.ag.len())
		want := map[Total]int64{
			TotAtNode: count[stAtNode], TotTravelling: count[stTravel], TotInUS: count[stInUS],
			TotReturnedHome: count[stHome], TotSettledElsewhere: count[stElsewhere], TotDead: count[stDead],
		}
		var sum float64
		for c, n := range want {
			if row[c] != float64(n) {
				t.Fatalf("day %d: %s = %v, but %d agents are in that state", d, TotalColumns[c], row[c], n)
			}
			sum += row[c]
		}
		if sum != created {
			t.Fatalf("day %d: states sum to %v, created %v", d, sum, created)
		}
		if row[TotAtHome]+created != pool {
			t.Fatalf("day %d: at home %v + created %v != pool %v", d, row[TotAtHome], created, pool)
		}
	})
	// The run must have exercised the mechanisms the audit is about.
	last := r.Days - 1
	for _, c := range []Total{TotInUS, TotReturnedHome, TotDead, TotSettledElsewhere} {
		if col(r, last, c) == 0 {
			t.Errorf("%s stayed 0: the test scenario does not exercise it", TotalColumns[c])
		}
	}
	var departed float64
	for d := 0; d < r.Days; d++ {
		departed += col(r, d, TotDeparted)
	}
	if departed != float64(r.AgentsCreated) {
		t.Errorf("sum of departed = %v, agents created = %d", departed, r.AgentsCreated)
	}
}

// Determinism: the same scenario and seed give identical results whatever
// the number of workers, with enough agents for many chunks.
func TestSameResultsForAnyWorkerCount(t *testing.T) {
	sc := loadLine(t, func(sc *scenario.Scenario) {
		busy(t, sc)
		set(t, sc, "origin.ven.pool", 200000.0)
	})
	base := run(t, sc, 1, nil)
	if base.PeakAgents < 3*4096 {
		t.Fatalf("peak %d agents: too few to split into several chunks", base.PeakAgents)
	}
	for _, w := range []int{2, 8} {
		r := run(t, sc, w, nil)
		r.Workers = base.Workers
		if !reflect.DeepEqual(base, r) {
			t.Errorf("workers=%d: results differ from workers=1", w)
		}
	}
	other := loadLine(t, func(sc *scenario.Scenario) {
		busy(t, sc)
		set(t, sc, "origin.ven.pool", 200000.0)
		set(t, sc, "scenario.seed", int64(43))
	})
	if reflect.DeepEqual(base.Totals, run(t, other, 2, nil).Totals) {
		t.Errorf("a different seed gave identical totals")
	}
}

// Departures: with belief fixed, each of P persons leaves with a daily
// chance r, so after D days P(1−r)^D remain at home in expectation.
func TestDeparturesFollowTheBaseRate(t *testing.T) {
	const pool, rate = 100000.0, 0.01
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "origin.ven.pool", pool)
		set(t, sc, "origin.ven.base_rate", rate)
	})
	r := run(t, sc, 2, nil)
	days := float64(r.Days)
	want := pool * math.Pow(1-rate, days)
	got := col(r, r.Days-1, TotAtHome)
	// The remaining count is close to binomial: sd = sqrt(P q (1−q)).
	q := want / pool
	sd := math.Sqrt(pool * q * (1 - q))
	if math.Abs(got-want) > 5*sd {
		t.Errorf("at home after %v days = %v, want %.0f ± %.0f", days, got, want, 5*sd)
	}
}

// A boat edge with a capacity never carries more than its capacity a day,
// and carries exactly that while people wait for it.
func TestBoatNeverExceedsCapacity(t *testing.T) {
	const capacity = 20
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "origin.ven.base_rate", 0.1)
		set(t, sc, "edge.port-across.capacity", float64(capacity))
	})
	r := run(t, sc, 2, nil)
	e, port := edgeIdx(r, "port-across"), nodeIdx(r, "port")
	full := 0
	for d := 0; d < r.Days; d++ {
		f := r.Flows[d][e]
		if f > capacity {
			t.Fatalf("day %d: %d persons on a boat of capacity %d", d, f, capacity)
		}
		if r.Stocks[d][port].Waiting > 0 {
			full++
			if f != capacity {
				t.Errorf("day %d: %d waiting at the port but the boat carried %d of %d", d, r.Stocks[d][port].Waiting, f, capacity)
			}
		}
	}
	if full < 10 {
		t.Errorf("only %d days with a queue: the test does not exercise the limit", full)
	}
}

// A boat that capsizes loses its passengers: with capsize_risk 1 and
// fatality 1 everyone who boards dies, boat by boat.
func TestCapsizedBoatLosesItsPassengers(t *testing.T) {
	const size = 10
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "edge.port-across.boat_size", float64(size))
		set(t, sc, "edge.port-across.capsize_risk", 1.0)
		set(t, sc, "edge.port-across.capsize_fatality", 1.0)
	})
	r := run(t, sc, 2, nil)
	port, across := nodeIdx(r, "port"), nodeIdx(r, "across")
	var reachedPort, died int64
	for d := 0; d < r.Days; d++ {
		reachedPort += r.Stocks[d][port].Arrivals
		if r.Stocks[d][across].Arrivals != 0 {
			t.Fatalf("day %d: %d arrived across a sea where every boat capsizes", d, r.Stocks[d][across].Arrivals)
		}
		n := col(r, d, TotDiedCapsize)
		died += int64(n)
		if boats := math.Ceil(n / size); col(r, d, TotCapsizes) != boats {
			t.Errorf("day %d: %v drowned in %v capsizes, want %v boats of %d", d, n, col(r, d, TotCapsizes), boats, size)
		}
	}
	// Everyone who reached the port boarded the same day.
	if died != reachedPort || died == 0 {
		t.Errorf("%d drowned, want everyone who reached the port: %d", died, reachedPort)
	}
	if col(r, r.Days-1, TotDead) != float64(died) {
		t.Errorf("dead = %v, drowned = %d", col(r, r.Days-1, TotDead), died)
	}
}

// Aid never exceeds capacity: each night min(present, capacity) meals and
// beds are given at the port; with money to pay, nobody goes without.
func TestAidNeverExceedsCapacity(t *testing.T) {
	const meals, beds = 7, 3
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "origin.ven.base_rate", 0.05)
		set(t, sc, "edge.port-across.capacity", 10.0)
		set(t, sc, "node.port.meals", float64(meals))
		set(t, sc, "node.port.beds", float64(beds))
	})
	r := run(t, sc, 2, nil)
	port := nodeIdx(r, "port")
	for d := 0; d < r.Days; d++ {
		s := r.Stocks[d][port]
		if s.MealsServed != min(s.Present, meals) || s.BedsServed != min(s.Present, beds) {
			t.Fatalf("day %d: present %d, meals %d (cap %d), beds %d (cap %d)", d, s.Present, s.MealsServed, meals, s.BedsServed, beds)
		}
		if s.UnmetNeed != 0 {
			t.Fatalf("day %d: unmet need %d though everybody can pay", d, s.UnmetNeed)
		}
	}
}

// An agent who cannot pay the next fare is stranded: with US$55, a person
// pays the US$10 bus to the port and cannot pay the US$50 boat. Stranded,
// they sleep rough (the port has no beds: one person-day of unmet need a
// night each) and buy food (US$5) unless the port's 4 meals feed them.
func TestAgentWhoCannotPayIsStranded(t *testing.T) {
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "origin.ven.budget", 55.0)
		set(t, sc, "node.port.meals", 4.0)
	})
	r := run(t, sc, 2, nil)
	port, boat := nodeIdx(r, "port"), edgeIdx(r, "port-across")
	var spent float64
	for d := 0; d < r.Days; d++ {
		s := r.Stocks[d][port]
		if s.Stranded != s.Present {
			t.Fatalf("day %d: %d present at the port but %d stranded", d, s.Present, s.Stranded)
		}
		if r.Flows[d][boat] != 0 {
			t.Fatalf("day %d: %d took a boat they cannot pay", d, r.Flows[d][boat])
		}
		if s.MealsServed != min(s.Present, 4) {
			t.Fatalf("day %d: %d meals for %d present, capacity 4", d, s.MealsServed, s.Present)
		}
		if s.UnmetNeed != s.Present {
			t.Fatalf("day %d: unmet need %d, want everybody present (%d): no beds", d, s.UnmetNeed, s.Present)
		}
		spent += col(r, d, TotSpentLiving)
	}
	if r.Stocks[r.Days-1][port].Stranded == 0 {
		t.Errorf("nobody stranded")
	}
	// Nobody pays for a bed, and food is US$5 a day: at most US$45 each.
	if arrived := float64(r.AgentsCreated); spent > 45*arrived {
		t.Errorf("spent %v on living, more than US$45 × %v persons", spent, arrived)
	}
}

// With a constant hazard h of giving up and nobody able to move on, the
// number still heading north after t days is N(1−h)^t.
func TestGiveUpHazard(t *testing.T) {
	const h = 0.02
	sc := loadLine(t, func(sc *scenario.Scenario) {
		set(t, sc, "origin.ven.pool", 20000.0)
		set(t, sc, "origin.ven.base_rate", 1.0) // everybody leaves on day 0
		set(t, sc, "behaviour.giveup_base", math.Log(h/(1-h)))
		// With US$15 people reach the port with US$5 and stay there,
		// whichever way they are heading.
		set(t, sc, "origin.ven.budget", 15.0)
	})
	r := run(t, sc, 2, nil)
	var gaveUp float64
	for d := 0; d < r.Days; d++ {
		gaveUp += col(r, d, TotGaveUp)
	}
	// Day 0 the agents are created at home and give up there with chance h
	// (those who do are home at once); from day 0 on, one draw a day.
	n := 20000.0
	want := n * (1 - math.Pow(1-h, float64(r.Days)))
	sd := math.Sqrt(n * (want / n) * (1 - want/n))
	if math.Abs(gaveUp-want) > 5*sd {
		t.Errorf("gave up %v, want %.0f ± %.0f", gaveUp, want, 5*sd)
	}
}

// TestLongJourneysFiledOnce: journeys of 1 to 80 days (busy line, the
// first edge's duration uniform on [1, 80], 200 days), some due within the
// 64 days whose places commitMoves works out from counts per chunk and day,
// some later, some after the run's end. Every day, with 1 and 2 workers,
// the pending lists hold nobody twice and only travellers, and until 80
// days before the end (when a journey may end after the run, filed
// nowhere) every traveller.
func TestLongJourneysFiledOnce(t *testing.T) {
	sc := loadLine(t, func(sc *scenario.Scenario) {
		busy(t, sc)
		set(t, sc, "edge.home-port.duration", scenario.Dist{Kind: scenario.DistUniform, Min: 1, Max: 80})
		sc.Meta.End = sc.Meta.Start.AddDate(0, 0, 199)
	})
	for _, workers := range []int{1, 2} {
		far := 0
		run(t, sc, workers, func(m *Model, d int) {
			seen := make(map[int32]bool)
			for day := d + 1; day < m.days; day++ {
				for _, p := range m.pending[day] {
					for _, s := range p {
						if seen[s.id] {
							t.Fatalf("%d workers, day %d: agent %d pending twice", workers, d, s.id)
						}
						seen[s.id] = true
						if m.ag.state[s.id] != stTravel {
							t.Fatalf("%d workers, day %d: agent %d pending for day %d in state %d", workers, d, s.id, day, m.ag.state[s.id])
						}
						if day-d >= daySpan {
							far++
						}
					}
				}
			}
			if d+80 >= m.days {
				return // a journey may now end after the run, filed nowhere
			}
			for a, st := range m.ag.state {
				if st == stTravel && !seen[int32(a)] {
					t.Fatalf("%d workers, day %d: agent %d travelling but in no pending list", workers, d, a)
				}
			}
		})
		if far == 0 {
			t.Fatalf("%d workers: no journey was due %d days or more ahead: the check checked nothing", workers, daySpan)
		}
	}
}
