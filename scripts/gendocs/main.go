// Gendocs writes migsim's generated documentation from the Go source and
// the default scenario, so that the documents cannot drift from the code:
//
//	docs/scenario.md  the scenario reference: every table and key, from the
//	                  doc comments and toml tags of sim/scenario
//	docs/outputs.md   every output file and column, from package report and
//	                  sim.TotalColumns
//	docs/model.md     the model in the ODD protocol, with the rules' own
//	                  documentation from package sim and the parameters and
//	                  policy timeline of scenarios/americas.toml
//
// The prose around the generated parts is in templates/*.md.tmpl. Run it
// from anywhere inside the repository:
//
//	go run ./scripts/gendocs           # rewrite the documents
//	go run ./scripts/gendocs -check    # list stale documents, write nothing
//
// The test of this package fails when a document differs from what the
// generator would write now.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"github.com/migsim/migsim/sim/report"
	"io"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	check := flag.Bool("check", false, "report which documents are stale and write nothing")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./scripts/gendocs [-check]\n\nWrites docs/scenario.md, docs/outputs.md and docs/model.md from the source.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*check, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

// run generates the documents and writes them, or with check only lists
// those that are stale (an error when any is).
func run(check bool, out io.Writer) error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root, err := findRoot(wd)
	if err != nil {
		return err
	}
	docs, err := generate(root)
	if err != nil {
		return err
	}
	var stale []string
	for _, d := range docs {
		path := filepath.Join(root, filepath.FromSlash(d.path))
		old, err := os.ReadFile(path)
		if err == nil && bytes.Equal(old, d.data) {
			continue
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		if check {
			stale = append(stale, d.path)
			continue
		}
		if err := report.WriteFileAtomic(path, d.data, true); err != nil {
			return err
		}
		fmt.Fprintln(out, "wrote", d.path)
	}
	if len(stale) > 0 {
		return fmt.Errorf("stale: %s (run go run ./scripts/gendocs)", strings.Join(stale, ", "))
	}
	return nil
}

// modulePath is the module whose root holds the documents.
const modulePath = "github.com/migsim/migsim"

// findRoot returns the nearest directory at or above dir whose go.mod
// declares migsim's module.
func findRoot(dir string) (string, error) {
	for d := dir; ; {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			for _, line := range strings.Split(string(data), "\n") {
				if strings.TrimSpace(line) == "module "+modulePath {
					return d, nil
				}
			}
		}
		up := filepath.Dir(d)
		if up == d {
			return "", fmt.Errorf("no go.mod of module %s at or above %s", modulePath, dir)
		}
		d = up
	}
}
