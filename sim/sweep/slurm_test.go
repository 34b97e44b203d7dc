package sweep

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func slurmOpts() SlurmOptions {
	return SlurmOptions{Exe: "/opt/migsim/bin/migsim", SweepFile: "/home/ana/aid sweep.toml", Dir: "/scratch/ana/aid",
		Name: "aid", Runs: 100, Tasks: 10, CPUsPerTask: 2, RunTime: time.Minute, Partition: "short"}
}

func TestTaskTimeAndMem(t *testing.T) {
	o := slurmOpts()
	// 10 runs per task, 2 at a time with 1 worker each: 5 waves of 1 min;
	// doubled plus 5 min = 15 min.
	if got := SlurmTime(o.TaskTime()); got != "0-00:15:00" {
		t.Errorf("time %s, want 0-00:15:00", got)
	}
	if got := o.TaskMem(); got != "2560M" { // 2 runs at once × 1 GiB + 512 MiB
		t.Errorf("mem %s, want 2560M", got)
	}
	o.RunTime = time.Second // short runs: the 10-minute floor
	if got := SlurmTime(o.TaskTime()); got != "0-00:10:00" {
		t.Errorf("time %s, want 0-00:10:00", got)
	}
	// 1000 runs in one task of 4 cores: 250 waves of 10 min = 2500 min;
	// doubled plus 5 = 5005 min = 3 days 11 h 25 min.
	o = SlurmOptions{Runs: 1000, Tasks: 1, CPUsPerTask: 4, RunTime: 10 * time.Minute, Mem: "16G"}
	if got := SlurmTime(o.TaskTime()); got != "3-11:25:00" {
		t.Errorf("time %s, want 3-11:25:00", got)
	}
	if o.TaskMem() != "16G" {
		t.Errorf("an explicit --mem was not kept: %s", o.TaskMem())
	}
	// One run on 4 cores: 4 workers, 90 s / 4 = 22.5 s → 2·22.5 s + 5 min
	// = 5 min 45 s → the 10-minute floor.
	o = SlurmOptions{Runs: 1, Tasks: 1, CPUsPerTask: 4, RunTime: 90 * time.Second}
	if got := SlurmTime(o.TaskTime()); got != "0-00:10:00" {
		t.Errorf("time %s, want 0-00:10:00", got)
	}
	if DefaultTasks(100, 2) != 13 || DefaultTasks(3, 4) != 1 || DefaultTasks(10_000_000, 1) != 1000 {
		t.Errorf("DefaultTasks: %d %d %d", DefaultTasks(100, 2), DefaultTasks(3, 4), DefaultTasks(10_000_000, 1))
	}
}

func TestScripts(t *testing.T) {
	array, merge, err := Scripts(slurmOpts())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"#!/bin/bash\n",
		"\n#SBATCH --job-name=migsim-sweep-aid\n",
		"\n#SBATCH --array=0-9\n",
		"\n#SBATCH --cpus-per-task=2\n",
		"\n#SBATCH --mem=2560M\n",
		"\n#SBATCH --time=0-00:15:00\n",
		"\n#SBATCH --output=/scratch/ana/aid/slurm-%A_%a.out\n",
		"\n#SBATCH --partition=short\n",
		"\nexec '/opt/migsim/bin/migsim' sweep '/home/ana/aid sweep.toml' \\\n  --shard \"${SLURM_ARRAY_TASK_ID}/10\" --out '/scratch/ana/aid' --resume \\\n  --workers \"${SLURM_CPUS_PER_TASK:-2}\" --quiet\n",
		"sbatch --dependency=afterok:${jid%%;*} /scratch/ana/aid/merge.sbatch",
	} {
		if !strings.Contains(array, want) {
			t.Errorf("array script lacks %q:\n%s", want, array)
		}
	}
	// Every #SBATCH line comes before the first command.
	if i, j := strings.LastIndex(array, "#SBATCH"), strings.Index(array, "set -euo"); i > j {
		t.Error("an #SBATCH line follows a command; sbatch would ignore it")
	}
	for _, want := range []string{
		"\n#SBATCH --job-name=migsim-merge-aid\n",
		"\n#SBATCH --output=/scratch/ana/aid/slurm-merge-%j.out\n",
		"\nexec '/opt/migsim/bin/migsim' merge '/scratch/ana/aid'\n",
	} {
		if !strings.Contains(merge, want) {
			t.Errorf("merge script lacks %q:\n%s", want, merge)
		}
	}
	o := slurmOpts()
	o.Exe = "/it's/migsim"
	array, _, _ = Scripts(o)
	if !strings.Contains(array, `exec '/it'\''s/migsim' sweep`) {
		t.Errorf("quote in the path not escaped:\n%s", array)
	}
	for name, spoil := range map[string]func(*SlurmOptions){
		"relative exe":     func(o *SlurmOptions) { o.Exe = "migsim" },
		"space in dir":     func(o *SlurmOptions) { o.Dir = "/scratch/my sweep" },
		"more tasks":       func(o *SlurmOptions) { o.Tasks = 101 },
		"no cores":         func(o *SlurmOptions) { o.CPUsPerTask = 0 },
		"relative out dir": func(o *SlurmOptions) { o.Dir = "out" },
	} {
		o := slurmOpts()
		spoil(&o)
		if _, _, err := Scripts(o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestSubmitWithAFakeSbatch(t *testing.T) {
	bin := t.TempDir()
	log := filepath.Join(bin, "calls")
	fake := `#!/bin/sh
echo "$@" >> ` + log + `
n=$(wc -l < ` + log + `)
if [ "$n" = 1 ]; then echo "41;clusterA"; else echo 42; fi
`
	if err := os.WriteFile(filepath.Join(bin, "sbatch"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	a, m, err := Submit(context.Background(), "/d/sweep.sbatch", "/d/merge.sbatch")
	if err != nil {
		t.Fatal(err)
	}
	if a != "41" || m != "42" {
		t.Errorf("job ids %q, %q; want 41 and 42", a, m)
	}
	calls, _ := os.ReadFile(log)
	if got := string(calls); got != "--parsable /d/sweep.sbatch\n--parsable --dependency=afterok:41 /d/merge.sbatch\n" {
		t.Errorf("sbatch calls:\n%s", got)
	}

	failing := "#!/bin/sh\necho 'sbatch: error: invalid partition specified: nope' >&2\nexit 1\n"
	os.WriteFile(filepath.Join(bin, "sbatch"), []byte(failing), 0o755)
	if _, _, err := Submit(context.Background(), "/d/sweep.sbatch", "/d/merge.sbatch"); err == nil || !strings.Contains(err.Error(), "invalid partition") {
		t.Errorf("failing sbatch: %v, want its message", err)
	}
}
