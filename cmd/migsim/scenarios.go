package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/migsim/migsim/scenarios"
)

// newScenariosCmd builds `migsim scenarios`.
func newScenariosCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "scenarios",
		Short: "List the embedded scenarios",
		Long: `List the scenarios built into migsim: name, file and a one-line description.
Any of them runs with 'migsim run NAME'; the default, the calibrated history,
also answers to the name baseline.`,
		Example: `  migsim scenarios
  migsim run americas`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			list, err := scenarios.List()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tFILE\tDESCRIPTION")
			for _, e := range list {
				name := e.Name
				if name == scenarios.Default() {
					name += " (" + scenarios.Baseline + ")"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", name, e.File, e.Description)
			}
			return tw.Flush()
		},
	}
}
