package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/migsim/migsim/sim/scenario"
)

// newCheckCmd builds `migsim check`.
func newCheckCmd() *cobra.Command {
	var sets []string
	cmd := &cobra.Command{
		Use:   "check FILE...",
		Short: "Load and validate scenarios without running them",
		Long: `Load and validate each scenario file (or embedded scenario name) and print,
for each, either a one-line summary or every error found, with file, line
and key. The exit status is 1 if any scenario has errors.`,
		Example: `  migsim check my.toml
  migsim check a.toml b.toml
  migsim check my.toml --set border.us.cbp_one_daily_slots=0`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
			failed := false
			for _, arg := range args {
				sc, err := loadScenario(arg, sets)
				if err != nil {
					printErrors(stderr, err)
					failed = true
					continue
				}
				fmt.Fprintf(stdout, "%s: OK (%s)\n", arg, describe(sc))
			}
			if failed {
				return errReported()
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&sets, "set", nil, "set a scenario parameter `path=value` before checking (repeatable)")
	return cmd
}

// describe summarizes the size and calendar of a scenario, e.g.
// "30 nodes, 61 edges, 4 origins, 25 policies, 1826 days 2021-01-01–2025-12-31".
func describe(sc *scenario.Scenario) string {
	return fmt.Sprintf("%s, %s, %s, %s, %s %s–%s",
		count(len(sc.Nodes), "node"), count(len(sc.Edges), "edge"),
		count(len(sc.Origins), "origin"), count(len(sc.Policies), "policy"),
		count(sc.Days(), "day"),
		sc.Meta.Start.Format(time.DateOnly), sc.Meta.End.Format(time.DateOnly))
}

// count returns "n noun" with noun in the plural unless n is 1.
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if noun == "policy" {
		return fmt.Sprintf("%d policies", n)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
