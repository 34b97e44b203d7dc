package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/migsim/migsim/scenarios"
	"github.com/migsim/migsim/sim/report"
)

// newInitCmd builds `migsim init`.
func newInitCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "init FILE",
		Short: "Write a commented scenario to start from",
		Long: `Write a complete, commented scenario to FILE, to edit and run. FILE must not
exist yet: init never overwrites a file.`,
		Example: `  migsim init my.toml
  migsim check my.toml
  migsim run my.toml`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			file := args[0]
			exists := fmt.Errorf("%s exists; choose another name", file)
			if _, err := os.Lstat(file); err == nil {
				return exists
			}
			err := report.WriteFileAtomic(file, scenarios.Template(), false)
			if errors.Is(err, fs.ErrExist) {
				return exists
			}
			if err != nil {
				return fmt.Errorf("init: %w", err)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "wrote %s; edit it, then run: migsim check %s\n", file, file)
			return err
		},
	}
}
