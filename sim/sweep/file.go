package sweep

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/migsim/migsim/sim/scenario"
)

// Designs of a sweep.
const (
	// Grid runs every combination of the parameters' values (full
	// factorial).
	Grid = "grid"
	// LHS samples the parameters' ranges with a Latin hypercube.
	LHS = "lhs"
)

// MaxRuns bounds the number of runs of one sweep, so that a typo in a grid
// does not start a sweep of billions of runs.
const MaxRuns = 10_000_000

// File is a sweep file: what to run. The TOML keys are
//
//	scenario   = "americas"   # embedded scenario name, or a file relative to the sweep file
//	replicates = 3            # runs per design point (default 1)
//	seed       = 42           # base seed of the replicate seeds (default: the scenario's)
//	design     = "grid"       # "grid" (default) or "lhs"
//	samples    = 20           # number of design points (lhs only)
//	indicators = ["crossing_north", "unmet_need_necocli"]   # default: all
//	set        = ["scenario.scale=0.01"]                     # applied to the base first
//
//	[[param]]
//	path    = "node.necocli.meals"       # a scenario parameter path
//	values  = [2000, 4000, 8000]         # grid: numbers or true/false
//	range   = [500, 2000]                # lhs: lowest and highest value
//	integer = true                       # lhs: round samples to whole numbers
type File struct {
	// Path is the file the sweep was read from.
	Path string
	// Hash is the hex SHA-256 of the file's bytes.
	Hash string
	// Scenario names the base scenario: a file (relative to the sweep
	// file's folder) or an embedded scenario.
	Scenario string
	// Replicates is the number of runs per design point.
	Replicates int
	// Seed is the base seed of the replicate seeds; 0 means the base
	// scenario's seed.
	Seed uint64
	// Design is Grid or LHS.
	Design string
	// Samples is the number of design points of an LHS design.
	Samples int
	// Indicators are the keys of report.Indicators to record; empty means
	// all of them.
	Indicators []string
	// Set are assignments (as for --set) applied to the base scenario before
	// the sweep's parameters.
	Set []string
	// Params are the parameters varied, in the order of the file.
	Params []Param

	lines map[string]int // key path → line, for messages
}

// Param is one parameter of a sweep.
type Param struct {
	// Path is the scenario parameter path.
	Path string
	// Values are a grid parameter's values: float64 or bool.
	Values []any
	// Lo and Hi bound an LHS parameter.
	Lo, Hi float64
	// Integer rounds LHS samples to whole numbers.
	Integer bool
	// Line is where the [[param]] table starts.
	Line int
}

// Load reads and checks the sweep file at path. Problems come back as a
// scenario.ErrorList naming the file, line and key of each.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read sweep file: %w", err)
	}
	return Parse(path, data)
}

// Parse is Load for a sweep file already read; name is its path.
func Parse(name string, data []byte) (*File, error) {
	sum := sha256.Sum256(data)
	f := &File{Path: name, Hash: hex.EncodeToString(sum[:]), lines: scanLines(data)}
	var raw map[string]any
	if _, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, scenario.ErrorList{{File: name, Line: pe.Position.Line, Msg: pe.Message}}
		}
		return nil, scenario.ErrorList{{File: name, Msg: err.Error()}}
	}
	var list scenario.ErrorList
	fail := func(key, format string, args ...any) {
		list = append(list, &scenario.Error{File: name, Line: f.line(key), Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	d := decoder{fail: fail}

	known := []string{"scenario", "replicates", "seed", "design", "samples", "indicators", "set", "param"}
	for _, k := range sortedKeys(raw) {
		if !slices.Contains(known, k) {
			fail(k, "unknown key (known keys: %s, and in [[param]]: path, values, range, integer)", strings.Join(known, ", "))
		}
	}

	f.Scenario = strings.TrimSpace(d.text(raw, "scenario", "scenario"))
	if v, ok := raw["scenario"].(string); ok && strings.TrimSpace(v) == "" {
		fail("scenario", "empty: name the base scenario")
	} else if _, ok := raw["scenario"]; !ok {
		fail("scenario", "missing: name the base scenario (an embedded name such as \"americas\", or a file relative to the sweep file)")
	}
	f.Replicates = 1
	if n, ok := d.integer(raw, "replicates", "replicates"); ok {
		if n < 1 || n > MaxRuns {
			fail("replicates", "%d: want a whole number from 1 to %d", n, MaxRuns)
		} else {
			f.Replicates = int(n)
		}
	}
	if n, ok := d.integer(raw, "seed", "seed"); ok {
		if n <= 0 {
			fail("seed", "%d: want a positive whole number (leave it out to use the scenario's seed)", n)
		} else {
			f.Seed = uint64(n)
		}
	}
	f.Design = d.text(raw, "design", "design")
	if f.Design == "" {
		f.Design = Grid
	}
	samples, hasSamples := d.integer(raw, "samples", "samples")
	switch f.Design {
	case Grid:
		if _, ok := raw["samples"]; ok {
			fail("samples", "only for design = \"lhs\" (a grid runs every combination of values)")
		}
	case LHS:
		if _, ok := raw["samples"]; !ok {
			fail("design", "design = \"lhs\" needs samples = K, the number of design points")
		} else if hasSamples && (samples < 1 || samples > MaxRuns) {
			fail("samples", "%d: want a whole number from 1 to %d", samples, MaxRuns)
		} else if hasSamples {
			f.Samples = int(samples)
		}
	default:
		fail("design", "%q: want \"grid\" (every combination of values) or \"lhs\" (Latin hypercube over ranges)", f.Design)
	}
	f.Indicators = d.texts(raw, "indicators", "indicators")
	seenInd := map[string]bool{}
	for i, k := range f.Indicators {
		if seenInd[k] {
			fail("indicators", "%q is listed twice", k)
		}
		seenInd[k] = true
		if strings.TrimSpace(k) == "" {
			fail("indicators", "entry %d is empty", i+1)
		}
	}
	f.Set = d.texts(raw, "set", "set")

	var rawParams []map[string]any
	switch ps := raw["param"].(type) {
	case nil:
	case []map[string]any:
		rawParams = ps
	case []any:
		for _, p := range ps {
			if m, ok := p.(map[string]any); ok {
				rawParams = append(rawParams, m)
			} else {
				fail("param", "want [[param]] tables, not %s", tomlType(p))
			}
		}
	default:
		fail("param", "want [[param]] tables, not %s", tomlType(ps))
	}
	if len(rawParams) == 0 && raw["param"] == nil {
		fail("param", "no [[param]] tables: a sweep varies at least one parameter")
	}
	seen := map[string]int{}
	for i, rp := range rawParams {
		key := func(k string) string { return fmt.Sprintf("param[%d].%s", i+1, k) }
		for _, k := range sortedKeys(rp) {
			if !slices.Contains([]string{"path", "values", "range", "integer"}, k) {
				fail(key(k), "unknown key (a [[param]] has path, values, range and integer)")
			}
		}
		p := Param{Path: strings.TrimSpace(d.text(rp, "path", key("path"))), Line: f.lines[fmt.Sprintf("param[%d]", i+1)]}
		p.Integer, _ = d.boolean(rp, "integer", key("integer"))
		if p.Path == "" {
			fail(key("path"), "missing: the scenario path of the parameter, e.g. \"node.necocli.meals\"")
		} else if j, dup := seen[p.Path]; dup {
			fail(key("path"), "%q is already varied by param[%d]", p.Path, j+1)
		} else {
			seen[p.Path] = i
		}
		values, hasValues := rp["values"]
		rng, hasRange := rp["range"]
		switch f.Design {
		case Grid:
			if hasRange {
				fail(key("range"), "a range is for design = \"lhs\"; a grid lists values = [...]")
			}
			if _, ok := rp["integer"]; ok {
				fail(key("integer"), "only for design = \"lhs\" (grid values are used as written)")
			}
			vs, _ := values.([]any)
			if !hasValues || len(vs) == 0 {
				if hasValues && !isArray(values) {
					fail(key("values"), "want an array of values, not %s", tomlType(values))
				} else {
					fail(key("values"), "missing or empty: list the values of the grid, e.g. values = [1000, 2000]")
				}
			}
			kinds := map[string]bool{}
			for j, v := range vs {
				switch x := v.(type) {
				case int64:
					p.Values = append(p.Values, float64(x))
					kinds["number"] = true
				case float64:
					if math.IsNaN(x) || math.IsInf(x, 0) {
						fail(key("values"), "value %d is %v: want a finite number", j+1, x)
					}
					p.Values = append(p.Values, x)
					kinds["number"] = true
				case bool:
					p.Values = append(p.Values, x)
					kinds["bool"] = true
				default:
					fail(key("values"), "value %d is %s: want numbers or true/false", j+1, tomlType(v))
				}
			}
			if len(kinds) > 1 {
				fail(key("values"), "mixes numbers and true/false")
			}
			for j := range p.Values {
				for k := 0; k < j; k++ {
					if p.Values[k] == p.Values[j] {
						fail(key("values"), "value %s is listed twice", FormatValue(p.Values[j]))
					}
				}
			}
		case LHS:
			if hasValues {
				fail(key("values"), "values are for design = \"grid\"; an lhs design samples range = [lo, hi]")
			}
			r, _ := rng.([]any)
			var bounds []float64
			for _, v := range r {
				switch x := v.(type) {
				case int64:
					bounds = append(bounds, float64(x))
				case float64:
					bounds = append(bounds, x)
				}
			}
			switch {
			case !hasRange:
				fail(key("range"), "missing: an lhs design samples range = [lo, hi]")
			case len(r) != 2 || len(bounds) != 2:
				fail(key("range"), "want range = [lo, hi], two numbers")
			case math.IsNaN(bounds[0]) || math.IsNaN(bounds[1]) || math.IsInf(bounds[0], 0) || math.IsInf(bounds[1], 0):
				fail(key("range"), "want finite numbers")
			case bounds[0] > bounds[1]:
				fail(key("range"), "lo (%s) is above hi (%s)", FormatValue(bounds[0]), FormatValue(bounds[1]))
			default:
				p.Lo, p.Hi = bounds[0], bounds[1]
				if p.Integer && math.Ceil(p.Lo) > math.Floor(p.Hi) {
					fail(key("range"), "contains no whole number")
				}
			}
		}
		f.Params = append(f.Params, p)
	}
	if len(list) == 0 {
		if n := f.Points(); n*f.Replicates > MaxRuns || n*f.Replicates < 0 {
			fail("param", "%d design points × %d replicates is more than %d runs", n, f.Replicates, MaxRuns)
		}
	}
	if len(list) > 0 {
		sortErrors(list)
		return nil, list
	}
	return f, nil
}

// Points returns the number of design points: the product of the numbers
// of values (grid) or Samples (lhs). It saturates at MaxRuns+1.
func (f *File) Points() int {
	if f.Design == LHS {
		return f.Samples
	}
	n := 1
	for _, p := range f.Params {
		n *= len(p.Values)
		if n > MaxRuns {
			return MaxRuns + 1
		}
	}
	return n
}

// Runs returns the number of runs: Points × Replicates.
func (f *File) Runs() int { return f.Points() * f.Replicates }

// Dir returns the folder of the sweep file, against which a scenario file
// is resolved.
func (f *File) Dir() string { return filepath.Dir(f.Path) }

// line returns the line of a key path, or of its nearest parent that has one.
func (f *File) line(key string) int {
	for key != "" {
		if l, ok := f.lines[key]; ok {
			return l
		}
		i := strings.LastIndexAny(key, ".")
		if i < 0 {
			return 0
		}
		key = key[:i]
	}
	return 0
}

// tomlType names the TOML type of a decoded value.
func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "text"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	case int64, float64:
		return "a number"
	case bool:
		return "true/false"
	}
	return fmt.Sprintf("a %T", v)
}

// FormatValue writes a parameter value as sweep tables do: numbers in the
// shortest form that reads back exactly (never with an exponent), booleans
// as TRUE and FALSE (as R writes them).
func FormatValue(v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "TRUE"
		}
		return "FALSE"
	case float64:
		if x == 0 {
			x = 0 // no "-0"
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// scanLines maps the keys of a sweep file to their lines: "scenario",
// "param[2]" (the header of the second [[param]] table), "param[2].range".
// It reads the subset of TOML a sweep file uses: top-level keys, [[param]]
// tables and their keys; anything else is left to the TOML decoder.
func scanLines(data []byte) map[string]int {
	out := map[string]int{}
	prefix := ""
	params := 0
	depth := 0 // open brackets of a multi-line array
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(stripComment(raw))
		n := i + 1
		if depth > 0 {
			depth += strings.Count(line, "[") - strings.Count(line, "]")
			continue
		}
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "[["):
			name := strings.TrimSpace(strings.Trim(line, "[] "))
			if name == "param" {
				params++
				prefix = fmt.Sprintf("param[%d]", params)
			} else {
				prefix = name
			}
			out[prefix] = n
			continue
		case strings.HasPrefix(line, "["):
			prefix = strings.TrimSpace(strings.Trim(line, "[] "))
			out[prefix] = n
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k = strings.Trim(strings.TrimSpace(k), `"'`)
		if prefix != "" {
			k = prefix + "." + k
		}
		if _, dup := out[k]; !dup {
			out[k] = n
		}
		depth = strings.Count(v, "[") - strings.Count(v, "]")
		if depth < 0 {
			depth = 0
		}
	}
	return out
}

// stripComment removes a # comment that is not inside a string.
func stripComment(s string) string {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			return s[:i]
		}
	}
	return s
}

// sortErrors orders errors by line (errors without a line last), keeping
// the order of errors on one line.
func sortErrors(list scenario.ErrorList) {
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && less(list[j], list[j-1]); j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
}

func less(a, b *scenario.Error) bool {
	if (a.Line == 0) != (b.Line == 0) {
		return b.Line == 0
	}
	return a.Line < b.Line
}

// decoder reads typed values out of a decoded TOML table, reporting a
// value of the wrong type through fail.
type decoder struct {
	fail func(key, format string, args ...any)
}

// text returns m[k] as a string ("" when absent or of another type).
func (d decoder) text(m map[string]any, k, key string) string {
	v, ok := m[k]
	if !ok {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		d.fail(key, "want text in quotes, not %s", tomlType(v))
	}
	return s
}

// integer returns m[k] as a whole number; ok is false when absent or of
// another type.
func (d decoder) integer(m map[string]any, k, key string) (int64, bool) {
	v, ok := m[k]
	if !ok {
		return 0, false
	}
	n, ok := v.(int64)
	if !ok {
		d.fail(key, "want a whole number, not %s", tomlType(v))
	}
	return n, ok
}

// boolean returns m[k] as true/false.
func (d decoder) boolean(m map[string]any, k, key string) (bool, bool) {
	v, ok := m[k]
	if !ok {
		return false, false
	}
	b, ok := v.(bool)
	if !ok {
		d.fail(key, "want true or false, not %s", tomlType(v))
	}
	return b, ok
}

// texts returns m[k] as a list of strings.
func (d decoder) texts(m map[string]any, k, key string) []string {
	v, ok := m[k]
	if !ok {
		return nil
	}
	vs, ok := v.([]any)
	if !ok {
		d.fail(key, "want an array of texts, not %s", tomlType(v))
		return nil
	}
	out := make([]string, 0, len(vs))
	for i, x := range vs {
		s, ok := x.(string)
		if !ok {
			d.fail(key, "entry %d is %s: want text in quotes", i+1, tomlType(x))
			continue
		}
		out = append(out, s)
	}
	return out
}

func isArray(v any) bool {
	switch v.(type) {
	case []any, []map[string]any:
		return true
	}
	return false
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
