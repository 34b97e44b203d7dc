package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/migsim/migsim/scenarios"
	"github.com/migsim/migsim/sim/scenario"
)

// loadScenario reads the scenario a command names: the embedded default
// when arg is empty, the file arg when it exists, else the embedded scenario
// called arg. It then applies the --set assignments and checks the result.
// Errors in the scenario come back as returned by the scenario package, with
// file, line and key; printErrors prints them one per line.
func loadScenario(arg string, sets []string) (*scenario.Scenario, error) {
	sc, err := readScenario(arg)
	if err != nil {
		return nil, err
	}
	if len(sets) == 0 {
		return sc, nil
	}
	// Check again even when some assignments failed, so that the ones that
	// went in are checked too and every error is reported at once.
	setErr := sc.ApplySets(sets)
	if err := errors.Join(setErr, sc.Validate()); err != nil {
		return nil, err
	}
	return sc, nil
}

// readScenario loads and checks the scenario named by arg (see loadScenario).
func readScenario(arg string) (*scenario.Scenario, error) {
	if arg == "" {
		arg = scenarios.Default()
	} else if _, err := os.Stat(arg); !errors.Is(err, fs.ErrNotExist) {
		// A file (or something that cannot be told from one: let Load say
		// what is wrong with it).
		return scenario.Load(arg)
	}
	file, ok := scenarios.Lookup(arg)
	if !ok {
		return nil, fmt.Errorf("%s: no such file, nor an embedded scenario (see 'migsim scenarios')", arg)
	}
	return scenario.LoadFS(scenarios.FS(), file)
}

// printErrors prints err to w, one line per error when err joins several
// (as the scenario package's error list does).
func printErrors(w io.Writer, err error) {
	if multi, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range multi.Unwrap() {
			printErrors(w, e)
		}
		return
	}
	fmt.Fprintln(w, err)
}
