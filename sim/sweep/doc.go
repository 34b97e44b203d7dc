// Package sweep runs parameter sweeps of a scenario: a sweep file names a
// base scenario, the parameters to vary (by their scenario paths, as a grid
// of values or as ranges sampled by a Latin hypercube), the replicates and
// the indicators to record. The runs execute in parallel; each finished run
// is journalled in a file of its own, so an interrupted sweep resumes
// without losing or repeating a run. A sweep can be split into shards
// (run id mod n) that run anywhere — one per task of a Slurm job array —
// and merged into exactly the table a single machine writes.
//
// A sweep directory holds
//
//	sweep.json               the manifest: which sweep this is (checked on resume)
//	runs/run-000042.json     the journal: one file per finished run
//	sweep.csv                run_id, one column per parameter, replicate, seed,
//	                         one column per indicator (rows by run id)
//	failures.csv             the runs that failed, with their errors
//	plots/                   each indicator against each parameter
//	parts/part-I-of-N.csv    what shard I of N wrote (sharded sweeps)
//	sweep.sbatch, merge.sbatch, slurm-*.out   (sweeps run by Slurm)
package sweep
