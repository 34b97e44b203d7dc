// Command migsim runs agent-based simulations of migration along the
// Americas corridor, from a TOML scenario to tidy CSV files and plots.
//
// Usage:
//
//	migsim run [scenario.toml | name] [flags]   run a scenario
//	migsim check FILE...                         validate scenarios
//	migsim scenarios                             list the embedded scenarios
//	migsim init FILE                             write a scenario to start from
//	migsim version                               print the version
//
// Every command explains its flags with --help. The exit status is 0 on
// success, 1 when a command fails (a bad scenario, an unwritable output),
// 2 on a usage error (an unknown flag or command, a wrong number of
// arguments) and 130 when a run is interrupted.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitInterrupted = 130
)

func main() {
	os.Exit(execute(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// execute runs the command line args with the given output streams and
// returns the process exit status. It is main without the process: tests
// call it directly.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		ee = &exitError{code: exitFailure, err: err}
	}
	if ee.err != nil {
		fmt.Fprintf(stderr, "migsim: %v\n", ee.err)
	}
	if ee.code == exitUsage && cmd != nil {
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	return ee.code
}

// newRootCmd builds the migsim command and its subcommands. Each subcommand
// lives in a file of its own and is added here by its constructor.
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "migsim",
		Short: "Agent-based simulation of migration along the Americas corridor",
		Long: `migsim moves every migrant of the Americas corridor (Venezuela, Ecuador and
Colombia through Necoclí, the Darién, Central America and Mexico to the US
border, and back south) as an agent across a route network, under dated
policy shocks read from a TOML scenario, and writes tidy CSV files and plots.`,
		Example: `  migsim run                              # the embedded default scenario
  migsim run my.toml --seed 7 --out results/
  migsim check my.toml
  migsim scenarios
  migsim init my.toml`,
		Version: version(),
		// Args and RunE make an unknown command a usage error (exit 2)
		// rather than a plain failure.
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				msg += "; did you mean " + strings.Join(s, " or ") + "?"
			}
			return usageError(errors.New(msg))
		},
		SilenceErrors: true,
		SilenceUsage:  true,
		// Suggest commands within two edits of a mistyped one.
		SuggestionsMinimumDistance: 2,
	}
	root.SetVersionTemplate("migsim {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageError(err)
	})
	root.AddCommand(
		newRunCmd(),
		newCheckCmd(),
		newScenariosCmd(),
		newInitCmd(),
		newVersionCmd(),
	)
	root.AddCommand(newBenchCmd())
	root.AddCommand(newCompareCmd())
	root.AddCommand(newSweepCmd())
	root.AddCommand(newMergeCmd())
	root.AddCommand(newValidateCmd())
	root.AddCommand(newCalibrateCmd())
	return root
}

// newVersionCmd builds `migsim version`.
func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version of migsim",
		Long:    "Print the module version of migsim, or \"devel\" for a build outside a released module.",
		Example: "  migsim version\n  migsim --version",
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "migsim %s\n", version())
			return err
		},
	}
}

// version returns the module version of the running binary, or "devel" when
// the build carries none (go run, go test, a build from a work tree).
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Version == "" || bi.Main.Version == "(devel)" {
		return "devel"
	}
	return bi.Main.Version
}

// pgoProfile returns the base name of the profile this binary was built
// with for profile-guided optimisation (cmd/migsim/default.pgo unless the
// build said otherwise), or "off".
func pgoProfile() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "off"
	}
	for _, s := range bi.Settings {
		if s.Key == "-pgo" && s.Value != "" && s.Value != "off" {
			return filepath.Base(s.Value)
		}
	}
	return "off"
}

// exitError is an error with the exit status it causes. A nil err means the
// message was already printed.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError marks err as a usage error (exit status 2).
func usageError(err error) error { return &exitError{code: exitUsage, err: err} }

// errReported returns a failure (exit status 1) whose messages were already
// printed.
func errReported() error { return &exitError{code: exitFailure} }

// exactArgs is cobra.ExactArgs with a usage error.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(cmd, args); err != nil {
			return usageError(err)
		}
		return nil
	}
}

// rangeArgs is cobra.RangeArgs with a usage error.
func rangeArgs(min, max int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.RangeArgs(min, max)(cmd, args); err != nil {
			return usageError(err)
		}
		return nil
	}
}

// minArgs is cobra.MinimumNArgs with a usage error.
func minArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.MinimumNArgs(n)(cmd, args); err != nil {
			return usageError(err)
		}
		return nil
	}
}
