package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// migsim runs the command line args in-process and returns the exit status
// and what was written to stdout and stderr.
func migsim(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return migsimContext(t, context.Background(), args...)
}

// migsimContext is migsim with a context.
func migsimContext(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = execute(ctx, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestVersion(t *testing.T) {
	// A test binary carries no module version, so the fallback applies.
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, errOut := migsim(t, args...)
		if code != exitOK || out != "migsim devel\n" || errOut != "" {
			t.Errorf("migsim %v = %d, stdout %q, stderr %q; want 0, \"migsim devel\\n\", \"\"", args, code, out, errOut)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want []string // in stderr
	}{
		{[]string{"run", "--nope"}, []string{"unknown flag: --nope", "Run 'migsim run --help' for usage."}},
		{[]string{"run", "--workers", "many"}, []string{"--workers", "Run 'migsim run --help'"}},
		{[]string{"run", "--workers", "0"}, []string{"--workers must be at least 1"}},
		{[]string{"run", "a.toml", "b.toml"}, []string{"accepts between 0 and 1 arg(s), received 2"}},
		{[]string{"run", "--svg", "--no-plots"}, []string{"exclude each other"}},
		{[]string{"check"}, []string{"requires at least 1 arg(s)", "Run 'migsim check --help'"}},
		{[]string{"init"}, []string{"accepts 1 arg(s), received 0"}},
		{[]string{"scenarios", "extra"}, []string{"accepts 0 arg(s), received 1"}},
		{[]string{"rnu"}, []string{`unknown command "rnu" for "migsim"`, "did you mean run?", "Run 'migsim --help'"}},
		{[]string{"--bogus"}, []string{"unknown flag: --bogus"}},
	}
	for _, tt := range tests {
		code, out, errOut := migsim(t, tt.args...)
		if code != exitUsage {
			t.Errorf("migsim %v: exit status %d, want %d (stderr %q)", tt.args, code, exitUsage, errOut)
		}
		if out != "" {
			t.Errorf("migsim %v: stdout %q, want nothing", tt.args, out)
		}
		for _, w := range tt.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("migsim %v: stderr %q lacks %q", tt.args, errOut, w)
			}
		}
	}
}

// TestHelp checks that --help on every command names every one of its flags
// with its default and shows an example.
func TestHelp(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Name() == "help" || sub.Name() == "completion" {
				continue
			}
			walk(sub)
		}
		path := strings.Fields(c.CommandPath())[1:]
		code, out, errOut := migsim(t, append(path, "--help")...)
		if code != exitOK || errOut != "" {
			t.Errorf("%s --help: exit status %d, stderr %q", c.CommandPath(), code, errOut)
		}
		if c.Example == "" || !strings.Contains(out, "Examples:\n"+c.Example) {
			t.Errorf("%s --help shows no example:\n%s", c.CommandPath(), out)
		}
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			_, usage := pflag.UnquoteUsage(f)
			if !strings.Contains(out, "--"+f.Name) || !strings.Contains(out, usage) {
				t.Errorf("%s --help does not explain --%s:\n%s", c.CommandPath(), f.Name, out)
			}
		})
	}
	walk(newRootCmd())

	// Defaults that matter are shown.
	_, out, _ := migsim(t, "run", "--help")
	for _, w := range []string{"--seed N ", "0 uses the scenario's seed", "--out DIR ", "(default output/<scenario name>/)",
		"--workers N ", "by default the number of CPUs", "--set path=value ", "deleting everything in it"} {
		if !strings.Contains(out, w) {
			t.Errorf("run --help lacks %q:\n%s", w, out)
		}
	}
}

func TestNoArgsShowsHelp(t *testing.T) {
	code, out, errOut := migsim(t)
	if code != exitOK || errOut != "" || !strings.Contains(out, "Available Commands:") {
		t.Errorf("migsim = %d, stdout %q, stderr %q; want help and status 0", code, out, errOut)
	}
	for _, name := range []string{"run", "check", "scenarios", "init", "version"} {
		if !strings.Contains(out, "\n  "+name+" ") {
			t.Errorf("help does not list %q:\n%s", name, out)
		}
	}
}
