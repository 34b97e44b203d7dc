package sim

import "time"

// Phase names a part of the daily step, for timing the engine.
type Phase int

// The phases of a day, in the order Step runs them.
const (
	PhasePolicies   Phase = iota // policies in force, news, pools' beliefs
	PhaseArrivals                // journeys ending today
	PhaseDepartures              // new agents leaving the pools
	PhaseInterior                // people leaving the US, entrants filed
	PhaseWaiting                 // the waiting room's wakes (wait.go)
	PhaseDecisions               // every agent at a node decides (parallel)
	PhaseResolution              // seats on limited edges, CBP One slots
	PhaseCommit                  // setting off along edges
	PhaseNight                   // deportation seats, aid, living, crime, work
	PhaseRecord                  // metrics reduced, tomorrow's active list
	NumPhases
)

// PhaseNames are the names of the phases, indexed by Phase.
var PhaseNames = [NumPhases]string{
	PhasePolicies:   "policies",
	PhaseArrivals:   "arrivals",
	PhaseDepartures: "departures",
	PhaseInterior:   "interior",
	PhaseWaiting:    "waiting room",
	PhaseDecisions:  "decisions",
	PhaseResolution: "resolution",
	PhaseCommit:     "commit",
	PhaseNight:      "night",
	PhaseRecord:     "record",
}

// PhaseTimes returns the wall time the model has spent in each phase so
// far. Timing costs two clock readings per phase per day.
func (m *Model) PhaseTimes() [NumPhases]time.Duration { return m.phaseTime }

// lap charges the time since *t to phase p and restarts *t.
func (m *Model) lap(p Phase, t *time.Time) {
	now := time.Now()
	m.phaseTime[p] += now.Sub(*t)
	*t = now
}
