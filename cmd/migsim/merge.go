package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/migsim/migsim/sim/sweep"
)

// mergeFlags are the flags of `migsim merge`.
type mergeFlags struct {
	force   bool
	svg     bool
	noPlots bool
}

// newMergeCmd builds `migsim merge`.
func newMergeCmd() *cobra.Command {
	var f mergeFlags
	cmd := &cobra.Command{
		Use:   "merge DIR",
		Short: "Combine the parts of a sharded sweep into its table and plots",
		Long: `Combine the parts that the shards of a sweep (migsim sweep --shard i/n, or
the tasks of a Slurm job array) wrote into DIR/parts/ into DIR/sweep.csv,
DIR/failures.csv and DIR/plots/: the files a single machine writes for the
same sweep, byte for byte.

Merge refuses, and says which, when a part is missing (a shard has not
finished: rerun it with --shard i/n --resume), when parts of different
splits are mixed, or when a run is missing, duplicated or in the wrong
part. It refuses to replace an existing sweep.csv unless --force is given.
The exit status is 1 when some runs failed (see failures.csv).`,
		Example: `  migsim merge results/aid
  migsim merge /shared/aid --force --svg`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.svg && f.noPlots {
				return usageError(errors.New("--svg and --no-plots exclude each other"))
			}
			format := "png"
			if f.svg {
				format = "svg"
			}
			out, err := sweep.Merge(args[0], sweep.MergeOptions{Force: f.force, PlotFormat: format, NoPlots: f.noPlots})
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "Merged %d runs from %s (%d failed)\n", out.Runs, filepath.Join(args[0], sweep.PartsDir), len(out.Failed))
			return reportFailures(w, out, args[0])
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.force, "force", false, "replace an existing sweep.csv (merge again)")
	fl.BoolVar(&f.svg, "svg", false, "draw plots as SVG instead of PNG")
	fl.BoolVar(&f.noPlots, "no-plots", false, "write no plots")
	return cmd
}
