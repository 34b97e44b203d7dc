// Genscenarios writes the shipped scenarios that are variants of the default
// scenario, scenarios/americas.toml, so that they cannot drift from it:
//
//	scenarios/no-cbp-one-cancellation.toml  CBP One is not cancelled in 2025
//	scenarios/necocli-aid-17.toml           Necoclí keeps 17 organisations' aid
//	scenarios/necocli-aid-7.toml            the cut to 7 comes in January
//	scenarios/necocli-aid-30.toml           aid raised to 30 organisations' worth
//
// Each is americas.toml, calibrated values and all, with its own header and
// [scenario] name and description, some named policies removed and some
// policy files of scenarios/policies/ included. Run it from anywhere inside
// the repository after changing americas.toml:
//
//	go run ./scripts/genscenarios           # rewrite the variants
//	go run ./scripts/genscenarios -check    # list stale variants, write nothing
//
// It only replaces files that it wrote itself (they start with its mark).
// The test of this package fails when a variant differs from what the
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
	"strconv"
	"strings"
)

func main() {
	check := flag.Bool("check", false, "report which variants are stale and write nothing")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./scripts/genscenarios [-check]\n\nWrites the variants of scenarios/americas.toml.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*check, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "genscenarios:", err)
		os.Exit(1)
	}
}

// Variant is a scenario made from americas.toml.
type Variant struct {
	// File is its file name in scenarios/; Name and Description its
	// [scenario] name and description.
	File, Name, Description string
	// About explains it, for its header (one paragraph per entry).
	About []string
	// Drop names the policies of americas.toml it leaves out.
	Drop []string
	// Include lists the policy files it includes (relative to scenarios/).
	Include []string
}

// Variants are the shipped variants.
func Variants() []Variant {
	return []Variant{
		{
			File: "no-cbp-one-cancellation.toml", Name: "no-cbp-one-cancellation",
			Description: "Counterfactual 2025: the Americas corridor as in americas, but CBP One is not cancelled on 2025-01-20",
			About: []string{
				"What if CBP One had not been cancelled on 20 January 2025? Everything else of 2025 still comes: the asylum bar and the troops, the interior raids, the aid cuts. Compare with `migsim compare americas no-cbp-one-cancellation`.",
			},
			Drop: []string{"cbp_one_cancelled"},
		},
		{
			File: "necocli-aid-17.toml", Name: "necocli-aid-17",
			Description: "Necoclí aid planner: 17 organisations' meals and beds through 2025 (no aid cut)",
			About: []string{
				"Necoclí aid planning: the 17 aid organisations of 2024 keep working through 2025 (in americas they fall to 7 on 2025-04-01). Compare with `migsim compare necocli-aid-17 necocli-aid-7 americas necocli-aid-30`: unmet need and stranded people at Necoclí.",
			},
			Drop: []string{"necocli_aid_17_to_7"},
		},
		{
			File: "necocli-aid-7.toml", Name: "necocli-aid-7",
			Description: "Necoclí aid planner: aid cut to 7 organisations' worth from the stop-work order (2025-01-24)",
			About: []string{
				"Necoclí aid planning, worst case: the aid in Necoclí falls to 7 organisations' worth of meals and beds on 2025-01-24, the day of the US stop-work order, instead of 2025-04-01 (policies/aid-cut-necocli.toml).",
			},
			Drop:    []string{"necocli_aid_17_to_7"},
			Include: []string{"policies/aid-cut-necocli.toml"},
		},
		{
			File: "necocli-aid-30.toml", Name: "necocli-aid-30",
			Description: "Necoclí aid planner: aid raised to 30 organisations' worth of meals and beds from 2025-04-01",
			About: []string{
				"Necoclí aid planning, scale-up: instead of the cut, Necoclí's meals and beds rise to 30/17 of the 2024 capacity on 2025-04-01 (policies/aid-scale-up-necocli.toml).",
			},
			Drop:    []string{"necocli_aid_17_to_7"},
			Include: []string{"policies/aid-scale-up-necocli.toml"},
		},
	}
}

// mark starts every file the generator writes.
const mark = "# GENERATED from americas.toml by `go run ./scripts/genscenarios`: do not edit by hand."

// Generate returns the text of variant v of the default scenario's text.
func Generate(americas []byte, v Variant) ([]byte, error) {
	lines := strings.Split(strings.TrimSuffix(string(americas), "\n"), "\n")
	// Leave out americas.toml's own header: the first paragraph of comments.
	i := 0
	for i < len(lines) && strings.HasPrefix(lines[i], "#") {
		i++
	}
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	body := lines[i:]

	var out []string
	rule := "# " + strings.Repeat("=", 77)
	out = append(out, mark, rule, "# "+v.File+" — "+v.Description, "#")
	for _, p := range v.About {
		out = append(out, wrap(p, 77)...)
		out = append(out, "#")
	}
	diff := "Differences from americas.toml: the [scenario] name and description"
	if len(v.Drop) > 0 {
		diff += "; left out, the policies named " + strings.Join(v.Drop, ", ")
	}
	if len(v.Include) > 0 {
		diff += "; included, the policy files " + strings.Join(v.Include, ", ")
	}
	diff += ". Everything else, the calibrated values and their comment block included, is americas.toml's."
	out = append(out, wrap(diff, 77)...)
	out = append(out, rule, "")
	if len(v.Include) > 0 {
		var q []string
		for _, f := range v.Include {
			q = append(q, strconv.Quote(f))
		}
		out = append(out, "include = ["+strings.Join(q, ", ")+"]", "")
	}

	dropped := map[string]int{}
	inScenario := false
	for k := 0; k < len(body); k++ {
		l := body[k]
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[") {
			inScenario = t == "[scenario]"
		}
		if inScenario {
			switch {
			case strings.HasPrefix(t, "name ="):
				l = "name = " + strconv.Quote(v.Name)
			case strings.HasPrefix(t, "description ="):
				l = "description = " + strconv.Quote(v.Description)
			}
		}
		if t == "[[policy]]" {
			// The entry runs to the next blank line.
			end := k + 1
			for end < len(body) && strings.TrimSpace(body[end]) != "" {
				end++
			}
			if name := policyName(body[k:end]); contains(v.Drop, name) {
				dropped[name]++
				// Drop the blank line after it too.
				k = end
				continue
			}
		}
		out = append(out, l)
	}
	for _, name := range v.Drop {
		if dropped[name] == 0 {
			return nil, fmt.Errorf("%s: americas.toml has no policy named %s", v.File, name)
		}
	}
	return []byte(strings.Join(out, "\n") + "\n"), nil
}

// policyName returns the name of a [[policy]] entry's lines.
func policyName(lines []string) string {
	for _, l := range lines {
		if k, v, ok := strings.Cut(l, "="); ok && strings.TrimSpace(k) == "name" {
			if s, err := strconv.Unquote(strings.TrimSpace(v)); err == nil {
				return s
			}
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// wrap breaks a paragraph into comment lines of at most width characters.
func wrap(p string, width int) []string {
	var out []string
	line := "#"
	for _, w := range strings.Fields(p) {
		if len(line)+1+len(w) > width && line != "#" {
			out = append(out, line)
			line = "#"
		}
		line += " " + w
	}
	return append(out, line)
}

// generated is one file the generator writes.
type generated struct {
	path string // relative to the repository root, with forward slashes
	data []byte
}

// generate returns every variant.
func generate(root string) ([]generated, error) {
	americas, err := os.ReadFile(filepath.Join(root, "scenarios", "americas.toml"))
	if err != nil {
		return nil, err
	}
	var out []generated
	for _, v := range Variants() {
		data, err := Generate(americas, v)
		if err != nil {
			return nil, err
		}
		out = append(out, generated{"scenarios/" + v.File, data})
	}
	return out, nil
}

// run generates the variants and writes them, or with check only lists
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
	files, err := generate(root)
	if err != nil {
		return err
	}
	var stale []string
	for _, f := range files {
		path := filepath.Join(root, filepath.FromSlash(f.path))
		old, err := os.ReadFile(path)
		if err == nil && bytes.Equal(old, f.data) {
			continue
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		if err == nil && !bytes.HasPrefix(old, []byte(mark)) {
			return fmt.Errorf("%s exists and was not written by genscenarios: not replacing it", f.path)
		}
		if check {
			stale = append(stale, f.path)
			continue
		}
		if err := report.WriteFileAtomic(path, f.data, true); err != nil {
			return err
		}
		fmt.Fprintln(out, "wrote", f.path)
	}
	if len(stale) > 0 {
		return fmt.Errorf("stale: %s (run go run ./scripts/genscenarios)", strings.Join(stale, ", "))
	}
	return nil
}

// modulePath is the module whose root holds the scenarios.
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
