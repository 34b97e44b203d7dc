// Package scenarios holds the embedded scenarios shipped with migsim: the
// default scenario of the Americas corridor (americas.toml), the commented
// template that `migsim init` writes (template.toml), and the data files they
// cite and compare with (data/sources.csv and the observed series).
//
// The files are embedded in the binary, so a scenario shipped here runs with
// no file outside it. Load one with scenario.LoadFS(scenarios.FS(), file).
package scenarios

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

//go:embed *.toml policies/*.toml checks/*.toml data/*.csv data/README.md
var files embed.FS

//go:embed template.toml
var template []byte

// templateFile is the scenario written by `migsim init`; it is not listed.
const templateFile = "template.toml"

// defaultName is the name of the scenario run when none is given.
const defaultName = "americas"

// Baseline is another name of the default scenario, the calibrated history
// (`migsim run baseline`), against which the variants are compared.
const Baseline = "baseline"

// FS returns the embedded files: the scenario files at the root and the data
// files under data/.
func FS() fs.FS { return files }

// Info describes one embedded scenario.
type Info struct {
	// Name is the scenario's [scenario] name.
	Name string
	// File is the embedded file holding it, e.g. "americas.toml".
	File string
	// Description is the scenario's one-line [scenario] description.
	Description string
}

// List returns the embedded scenarios, template excepted, sorted by name.
func List() ([]Info, error) {
	names, err := fs.Glob(files, "*.toml")
	if err != nil {
		return nil, fmt.Errorf("list embedded scenarios: %w", err)
	}
	var out []Info
	for _, f := range names {
		if f == templateFile {
			continue
		}
		data, err := files.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read embedded scenario %s: %w", f, err)
		}
		// Only the [scenario] table is read; the rest is left to the
		// scenario package.
		var head struct {
			Scenario struct {
				Name        string `toml:"name"`
				Description string `toml:"description"`
			} `toml:"scenario"`
		}
		if _, err := toml.Decode(string(data), &head); err != nil {
			return nil, fmt.Errorf("embedded scenario %s: %w", f, err)
		}
		if head.Scenario.Name == "" {
			return nil, fmt.Errorf("embedded scenario %s: [scenario] has no name", f)
		}
		out = append(out, Info{Name: head.Scenario.Name, File: f, Description: head.Scenario.Description})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Default returns the name of the scenario run when none is given.
func Default() string { return defaultName }

// Template returns the text of the commented starting scenario that
// `migsim init` writes.
// The caller gets its own copy.
func Template() []byte { return append([]byte(nil), template...) }

// Lookup returns the embedded file of the scenario with the given name
// ("americas") or file name ("americas.toml"), and whether there is one.
// Baseline names the default. The template is found by its file name only.
func Lookup(name string) (file string, ok bool) {
	if name == "" {
		return "", false
	}
	if name == Baseline {
		name = defaultName
	}
	if strings.HasSuffix(name, ".toml") {
		clean := path.Clean(name)
		if _, err := fs.Stat(files, clean); err == nil && !strings.Contains(clean, "/") {
			return clean, true
		}
		return "", false
	}
	list, err := List()
	if err != nil {
		return "", false
	}
	for _, in := range list {
		if in.Name == name {
			return in.File, true
		}
	}
	return "", false
}
