package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestVariantsUpToDate fails when a shipped variant differs from what the
// generator writes from the current americas.toml.
func TestVariantsUpToDate(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root, err := findRoot(wd)
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		old, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.path)))
		if err != nil {
			t.Errorf("%s: %v (run go run ./scripts/genscenarios)", f.path, err)
			continue
		}
		if !bytes.Equal(old, f.data) {
			t.Errorf("%s is stale: run go run ./scripts/genscenarios", f.path)
		}
	}
}

func TestGenerate(t *testing.T) {
	src := []byte("# header\n# more\n\n# block\n[scenario]\nname = \"americas\"\ndescription = \"x\"\n\n[[policy]]\nname = \"a\"\nset = 1\n\n[[policy]]\nname = \"b\"\nset = 2\n\n[report]\nname = \"keep\"\n")
	v := Variant{File: "v.toml", Name: "v", Description: "d", About: []string{"about"}, Drop: []string{"a"}, Include: []string{"policies/p.toml"}}
	got, err := Generate(src, v)
	if err != nil {
		t.Fatal(err)
	}
	want := mark + "\n# " + string(bytes.Repeat([]byte("="), 77)) + "\n# v.toml — d\n#\n# about\n#\n" +
		"# Differences from americas.toml: the [scenario] name and description; left\n# out, the policies named a; included, the policy files policies/p.toml.\n" +
		"# Everything else, the calibrated values and their comment block included, is\n# americas.toml's.\n" +
		"# " + string(bytes.Repeat([]byte("="), 77)) + "\n\ninclude = [\"policies/p.toml\"]\n\n" +
		"# block\n[scenario]\nname = \"v\"\ndescription = \"d\"\n\n[[policy]]\nname = \"b\"\nset = 2\n\n[report]\nname = \"keep\"\n"
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	v.Drop = []string{"zz"}
	if _, err := Generate(src, v); err == nil {
		t.Error("dropping a policy that does not exist is not an error")
	}
}
