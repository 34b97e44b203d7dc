package scenario

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"

	"github.com/BurntSushi/toml"
)

// Load reads the scenario file at path, with the policy files it includes,
// applies the defaults, checks it, and returns it. Problems in the files
// come back as an ErrorList naming file, line and key; a file that cannot
// be read comes back as an error naming it.
func Load(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read scenario: %w", err)
	}
	return Parse(path, data, func(name string) ([]byte, error) {
		return os.ReadFile(filepath.FromSlash(name))
	})
}

// LoadFS is Load for a file of fsys (an embedded scenario, say); included
// files are read from fsys too.
func LoadFS(fsys fs.FS, name string) (*Scenario, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read scenario: %w", err)
	}
	return Parse(name, data, func(inc string) ([]byte, error) {
		return fs.ReadFile(fsys, path.Clean(inc))
	})
}

// Parse is Load for a scenario already read: file names it in messages and
// is the base of relative include paths; readFile reads an included file,
// by its path joined to file's folder with forward slashes (nil: includes
// are an error).
func Parse(file string, data []byte, readFile func(name string) ([]byte, error)) (*Scenario, error) {
	s := &Scenario{File: file}
	s.src = &sources{files: []string{file}, pos: positions{}, policyFirst: []int{0}}
	setDefaults(s)
	c := &collector{}
	h := sha256.New()
	h.Write(data)

	raw, ok := parseTOML(c, file, data)
	if !ok {
		return nil, c.errors(s)
	}
	scanPositions(file, data, s.src.pos, nil)
	d := &decoder{file: file, pos: s.src.pos, c: c}
	d.decodeStruct("", raw, reflect.ValueOf(s).Elem())
	for range s.Policies {
		s.src.policyFile = append(s.src.policyFile, 0)
	}

	seen := map[string]bool{}
	for k, inc := range s.Include {
		ipath := "include[" + strconv.Itoa(k) + "]"
		name := includePath(file, inc)
		if seen[name] {
			d.fail(ipath, "%q is included twice", inc)
			continue
		}
		seen[name] = true
		if readFile == nil {
			d.fail(ipath, "cannot read %q: no way to read included files here", inc)
			continue
		}
		idata, err := readFile(name)
		if err != nil {
			d.fail(ipath, "cannot read included file %q: %v", inc, err)
			continue
		}
		h.Write(idata)
		s.src.files = append(s.src.files, name)
		s.src.policyFirst = append(s.src.policyFirst, len(s.Policies))
		s.readInclude(c, name, idata, len(s.src.files)-1)
	}
	s.Hash = hex.EncodeToString(h.Sum(nil))

	s.validate(c)
	if err := c.errors(s); err != nil {
		return nil, err
	}
	return s, nil
}

// includePath resolves an include entry against the including file.
func includePath(file, inc string) string {
	if path.IsAbs(inc) || filepath.IsAbs(inc) {
		return inc
	}
	return path.Join(path.Dir(filepath.ToSlash(file)), inc)
}

// parseTOML parses data with BurntSushi/toml into plain maps.
func parseTOML(c *collector, file string, data []byte) (map[string]any, bool) {
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := pe.Message
			if pe.Usage != "" {
				msg += " (" + pe.Usage + ")"
			}
			c.probs = append(c.probs, problem{file: file, line: pe.Position.Line, path: pe.LastKey, msg: "TOML syntax: " + msg})
		} else {
			c.addAt(file, 0, "", "TOML: %v", err)
		}
		return nil, false
	}
	return raw, true
}

// readInclude appends the policies of an included file (number fi of
// s.src.files); such a file may hold nothing else.
func (s *Scenario) readInclude(c *collector, name string, data []byte, fi int) {
	raw, ok := parseTOML(c, name, data)
	if !ok {
		return
	}
	local := positions{}
	first := len(s.Policies)
	scanPositions(name, data, local, map[string]int{"policy": first})
	d := &decoder{file: name, pos: local, c: c}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k != "policy" {
			d.fail(k, "an included file may hold only [[policy]] entries")
			continue
		}
		elems, ok := tableElems(raw[k])
		if !ok {
			d.typeErr(k, "an array of tables ([[policy]])", raw[k])
			continue
		}
		for i, m := range elems {
			var p Policy
			d.decodeStruct("policy["+strconv.Itoa(first+i)+"]", m, reflect.ValueOf(&p).Elem())
			s.Policies = append(s.Policies, p)
			s.src.policyFile = append(s.src.policyFile, fi)
		}
	}
	for k, v := range local {
		if sect, idx, _ := splitElem(k); sect == "policy" && idx >= first {
			s.src.pos[k] = v
		}
	}
}
