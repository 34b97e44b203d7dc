// Package sim is migsim's engine: it moves every migrant of a scenario as an
// agent across the route graph, one day at a time, and records daily flows,
// stocks and totals.
//
// Each model rule lives in a file of its own — departure.go, route.go,
// capacity.go, spill.go, border.go, giveup.go, aid.go, risk.go,
// information.go — so a reader finds
// one behaviour in one place. A day is stepped in phases (policies →
// decisions in parallel over shards of agents → deterministic resolution of
// shared capacities → commit → metrics reduced in a fixed order), and every
// random draw comes from a counter-based stream keyed by (seed, agent, day,
// purpose), so outputs are byte-identical for any number of workers.
//
// The engine's cost is proportional to the agents at a node: people at home
// are pool counts, travellers are filed under the day they arrive, people in
// the US under the cumulative hazard at which they leave, and the finished
// are not visited again. The machinery that makes the daily passes cheap —
// one Philox block per agent-day, drawn sixteen at a time (draws.go,
// rng.Blocks), agent records that move with the agents so that every pass
// reads them in list order (agents.go), seats resolved in linear time
// (capacity.go), huge pages for the large arrays (hugepages_linux.go), the
// phase timers and the memory count (phases.go, memory.go) — is described
// in docs/performance.md.
//
// The engine knows nothing of files, flags or plots: it takes a checked
// *scenario.Scenario and returns a *Result.
package sim
