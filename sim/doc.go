// Package sim is migsim's engine: it moves every migrant of a scenario as an
// agent across the route graph, one day at a time, and records daily flows,
// stocks and totals.
//
// Each model rule lives in a file of its own — departure.go, route.go,
// border.go, giveup.go, aid.go, risk.go, information.go — so a reader finds
// one behaviour in one place. A day is stepped in phases (policies →
// decisions in parallel over shards of agents → deterministic resolution of
// shared capacities → commit → metrics reduced in a fixed order), and every
// random draw comes from a counter-based stream keyed by (seed, agent, day,
// purpose), so outputs are byte-identical for any number of workers.
//
// The engine knows nothing of files, flags or plots: it takes a checked
// *scenario.Scenario and returns a *Result.
package sim
