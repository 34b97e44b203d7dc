// Package ensemble runs a scenario many times with different seeds and
// summarises the runs: replicate seeds derived from one base seed, a parallel
// runner that keeps every core busy without oversubscribing it, R's type-7
// quantiles, quantile files and band plots of every daily series, and the
// comparison of scenarios under common random numbers.
//
// Replicate k of a scenario always runs with ReplicateSeed(base, k), so one
// replicate of an ensemble can be rerun on its own and gives the same bytes.
package ensemble
