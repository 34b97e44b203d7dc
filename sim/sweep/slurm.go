package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/migsim/migsim/sim/ensemble"
	"github.com/migsim/migsim/sim/report"
)

// Slurm script file names, in the sweep directory.
const (
	ArrayScript = "sweep.sbatch"
	MergeScript = "merge.sbatch"
)

// SlurmOptions describe the Slurm jobs of a sweep: a job array with one
// shard per task and a merge job.
type SlurmOptions struct {
	// Exe is the absolute path of the migsim binary the jobs run; SweepFile
	// and Dir are the absolute paths of the sweep file and directory. All
	// three must be visible from the compute nodes (a shared file system).
	Exe, SweepFile, Dir string
	// Name names the jobs (migsim-sweep-<Name>, migsim-merge-<Name>).
	Name string
	// Runs is the number of runs of the sweep; Tasks the number of array
	// tasks (shards), at most Runs.
	Runs, Tasks int
	// CPUsPerTask is the cores of each task: its runs share them.
	CPUsPerTask int
	// Mem is each task's memory request as sbatch writes it ("4G"); empty
	// means an estimate of 1 GiB per run in parallel plus 512 MiB.
	Mem string
	// RunTime is the wall time of one run on one core, from which the
	// tasks' time limit is estimated.
	RunTime time.Duration
	// Partition and Account, if set, are passed to sbatch.
	Partition, Account string
	// PlotFormat is the merge's plot format ("png" or "svg"); NoPlots
	// skips the plots.
	PlotFormat string
	NoPlots    bool
}

// DefaultTasks is the number of array tasks used when none is asked for:
// about four runs per core of a task, at least 1 and at most 1000.
func DefaultTasks(runs, cpusPerTask int) int {
	per := 4 * max(1, cpusPerTask)
	return min(1000, max(1, (runs+per-1)/per))
}

// TaskTime estimates the time limit of one array task: the task's runs go
// in waves of Plan(runs per task, cores) runs at once, each wave taking
// RunTime divided by the workers of each run; the estimate is doubled,
// 5 minutes are added, and the result is at least 10 minutes, rounded up
// to the minute.
func (o SlurmOptions) TaskTime() time.Duration {
	perTask := (o.Runs + o.Tasks - 1) / max(1, o.Tasks)
	parallel, workers := ensemble.Plan(perTask, max(1, o.CPUsPerTask))
	waves := (perTask + parallel - 1) / parallel
	est := time.Duration(waves) * o.RunTime / time.Duration(workers)
	t := 2*est + 5*time.Minute
	if t < 10*time.Minute {
		t = 10 * time.Minute
	}
	if r := t % time.Minute; r != 0 {
		t += time.Minute - r
	}
	return t
}

// TaskMem returns the memory request of a task: Mem, or the estimate.
func (o SlurmOptions) TaskMem() string {
	if o.Mem != "" {
		return o.Mem
	}
	perTask := (o.Runs + o.Tasks - 1) / max(1, o.Tasks)
	parallel, _ := ensemble.Plan(perTask, max(1, o.CPUsPerTask))
	return fmt.Sprintf("%dM", parallel*1024+512)
}

// SlurmTime formats a duration as sbatch's --time: days-hours:minutes:seconds.
func SlurmTime(d time.Duration) string {
	s := int64(d / time.Second)
	return fmt.Sprintf("%d-%02d:%02d:%02d", s/86400, s/3600%24, s/60%60, s%60)
}

// check reports options sbatch could not use.
func (o SlurmOptions) check() error {
	for what, p := range map[string]string{"migsim binary": o.Exe, "sweep file": o.SweepFile, "sweep directory": o.Dir} {
		if !filepath.IsAbs(p) {
			return fmt.Errorf("slurm: the %s path %q must be absolute", what, p)
		}
	}
	if strings.ContainsAny(o.Dir, " \t\n%'\"\\") {
		return fmt.Errorf("slurm: the sweep directory %q has a space, quote, backslash or %%: #SBATCH --output cannot hold it; choose another --out", o.Dir)
	}
	if o.Runs < 1 || o.Tasks < 1 || o.Tasks > o.Runs {
		return fmt.Errorf("slurm: %d array tasks for %d runs: want 1 to %d tasks", o.Tasks, o.Runs, max(1, o.Runs))
	}
	if o.CPUsPerTask < 1 {
		return fmt.Errorf("slurm: %d cores per task: want at least 1", o.CPUsPerTask)
	}
	return nil
}

// quote quotes s for the shell.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// Scripts returns the text of the job-array script (sweep.sbatch) and of
// the merge script (merge.sbatch).
func Scripts(o SlurmOptions) (array, merge string, err error) {
	if err := o.check(); err != nil {
		return "", "", err
	}
	name := o.Name
	if name == "" {
		name = "sweep"
	}
	arrayPath, mergePath := filepath.Join(o.Dir, ArrayScript), filepath.Join(o.Dir, MergeScript)
	extra := func(b *strings.Builder) {
		if o.Partition != "" {
			fmt.Fprintf(b, "#SBATCH --partition=%s\n", o.Partition)
		}
		if o.Account != "" {
			fmt.Fprintf(b, "#SBATCH --account=%s\n", o.Account)
		}
	}
	var a strings.Builder
	fmt.Fprintf(&a, `#!/bin/bash
# A migsim sweep as a Slurm job array, written by 'migsim sweep --slurm'.
# %d runs of %s
# in %d shards, one per array task: task i runs the runs whose id mod %d is i,
# journals each run in %s/runs/ and writes %s/parts/part-i-of-%d.csv.
#
# Submit it, then the merge once every task has succeeded:
#   jid=$(sbatch --parsable %s)
#   sbatch --dependency=afterok:${jid%%%%;*} %s
# (migsim sweep FILE --slurm --submit does both.) A task that failed or was
# cut off can be submitted again alone, e.g. task %d: sbatch --array=%d %s
# (each task resumes from the journal; the shard count is fixed below).
#SBATCH --job-name=migsim-sweep-%s
#SBATCH --array=0-%d
#SBATCH --cpus-per-task=%d
#SBATCH --mem=%s
#SBATCH --time=%s
#SBATCH --output=%s/slurm-%%A_%%a.out
`, o.Runs, o.SweepFile, o.Tasks, o.Tasks, o.Dir, o.Dir, o.Tasks, arrayPath, mergePath, o.Tasks-1, o.Tasks-1, arrayPath,
		name, o.Tasks-1, o.CPUsPerTask, o.TaskMem(), SlurmTime(o.TaskTime()), o.Dir)
	extra(&a)
	fmt.Fprintf(&a, `set -euo pipefail
exec %s sweep %s \
  --shard "${SLURM_ARRAY_TASK_ID}/%d" --out %s --resume \
  --workers "${SLURM_CPUS_PER_TASK:-%d}" --quiet
`, quote(o.Exe), quote(o.SweepFile), o.Tasks, quote(o.Dir), o.CPUsPerTask)

	var m strings.Builder
	fmt.Fprintf(&m, `#!/bin/bash
# Merge of the migsim sweep in %s, written by 'migsim sweep --slurm':
# combines the %d parts into sweep.csv, failures.csv and plots/.
# Submit it after the array: sbatch --dependency=afterok:ARRAY_JOB_ID %s
#SBATCH --job-name=migsim-merge-%s
#SBATCH --cpus-per-task=1
#SBATCH --mem=2G
#SBATCH --time=0-00:30:00
#SBATCH --output=%s/slurm-merge-%%j.out
`, o.Dir, o.Tasks, mergePath, name, o.Dir)
	extra(&m)
	flags := ""
	switch {
	case o.NoPlots:
		flags = " --no-plots"
	case o.PlotFormat == "svg":
		flags = " --svg"
	}
	fmt.Fprintf(&m, "set -euo pipefail\nexec %s merge %s%s\n", quote(o.Exe), quote(o.Dir), flags)
	return a.String(), m.String(), nil
}

// WriteScripts writes the two scripts into dir (atomically, executable)
// and returns their paths.
func WriteScripts(dir, array, merge string) (arrayPath, mergePath string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", err
	}
	arrayPath, mergePath = filepath.Join(dir, ArrayScript), filepath.Join(dir, MergeScript)
	for path, text := range map[string]string{arrayPath: array, mergePath: merge} {
		if err := report.WriteFileWith(path, true, func(w io.Writer) error {
			_, err := w.Write([]byte(text))
			return err
		}); err != nil {
			return "", "", err
		}
		if err := os.Chmod(path, 0o755); err != nil {
			return "", "", err
		}
	}
	return arrayPath, mergePath, nil
}

// Submit submits the array script and then the merge script with a
// dependency on the array's success (afterok), through sbatch --parsable,
// and returns both job ids.
func Submit(ctx context.Context, arrayPath, mergePath string) (arrayID, mergeID string, err error) {
	arrayID, err = sbatch(ctx, arrayPath)
	if err != nil {
		return "", "", err
	}
	mergeID, err = sbatch(ctx, "--dependency=afterok:"+arrayID, mergePath)
	if err != nil {
		return arrayID, "", fmt.Errorf("%w (the array, job %s, is submitted; submit the merge by hand: sbatch --dependency=afterok:%s %s)", err, arrayID, arrayID, mergePath)
	}
	return arrayID, mergeID, nil
}

// sbatch runs sbatch --parsable with args and returns the job id (without
// the ";cluster" suffix of a federated cluster).
func sbatch(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "sbatch", append([]string{"--parsable"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		msg := strings.TrimSpace(stderr.String())
		if errors.As(err, &ee) && msg != "" {
			return "", fmt.Errorf("sbatch %s: %s", strings.Join(args, " "), msg)
		}
		return "", fmt.Errorf("sbatch %s: %w", strings.Join(args, " "), err)
	}
	id, _, _ := strings.Cut(strings.TrimSpace(stdout.String()), ";")
	if id == "" || strings.ContainsAny(id, " \n") {
		return "", fmt.Errorf("sbatch %s: unexpected answer %q", strings.Join(args, " "), stdout.String())
	}
	return id, nil
}
