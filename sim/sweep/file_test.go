package sweep

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/migsim/migsim/sim/ensemble"
	"github.com/migsim/migsim/sim/scenario"
)

const gridFile = `# a grid sweep
scenario = "tiny.toml"
replicates = 2
seed = 7
indicators = ["crossing_north", "died"]
set = ["scenario.scale=0.5"]

[[param]]
path = "node.port.meals"
values = [100, 200.5,
  300]      # three values

[[param]]
path = "border.us.cbp_one_open"
values = [true, false]
`

func TestParseGrid(t *testing.T) {
	f, err := Parse("grid.toml", []byte(gridFile))
	if err != nil {
		t.Fatal(err)
	}
	if f.Scenario != "tiny.toml" || f.Replicates != 2 || f.Seed != 7 || f.Design != Grid ||
		strings.Join(f.Indicators, ",") != "crossing_north,died" || len(f.Set) != 1 || len(f.Params) != 2 {
		t.Fatalf("parsed %+v", f)
	}
	if f.Params[0].Line != 8 || f.Params[1].Line != 13 {
		t.Errorf("param lines %d, %d; want 8, 13", f.Params[0].Line, f.Params[1].Line)
	}
	if f.Points() != 6 || f.Runs() != 12 {
		t.Errorf("%d points, %d runs; want 3×2 = 6 and 12", f.Points(), f.Runs())
	}
	// The last parameter varies fastest.
	want := [][]any{{100.0, true}, {100.0, false}, {200.5, true}, {200.5, false}, {300.0, true}, {300.0, false}}
	got := Design(f, 7)
	for i := range want {
		if got[i][0] != want[i][0] || got[i][1] != want[i][1] {
			t.Errorf("point %d = %v, want %v", i, got[i], want[i])
		}
	}
	runs := Runs(f, 7)
	if len(runs) != 12 {
		t.Fatalf("%d runs", len(runs))
	}
	for i, r := range runs {
		if r.ID != i || r.Point != i/2 || r.Replicate != i%2 || r.Seed != ensemble.ReplicateSeed(7, i%2) {
			t.Errorf("run %d = %+v", i, r)
		}
	}
	if runs[0].Seed == runs[1].Seed || runs[0].Seed != runs[2].Seed {
		t.Error("replicates must differ in seed and share it across points (common random numbers)")
	}
}

func TestLatinHypercube(t *testing.T) {
	src := `scenario = "x"
design = "lhs"
samples = 10
[[param]]
path = "a"
range = [0, 10]
[[param]]
path = "b"
range = [100, 200]
[[param]]
path = "c"
range = [0.5, 4.4]
integer = true
`
	f, err := Parse("lhs.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	pts := Design(f, 99)
	if len(pts) != 10 {
		t.Fatalf("%d points, want 10", len(pts))
	}
	// Latin property: along a and b every tenth of the range holds exactly
	// one point.
	for j, p := range f.Params[:2] {
		hit := make([]int, 10)
		for _, pt := range pts {
			v := pt[j].(float64)
			if v < p.Lo || v > p.Hi {
				t.Fatalf("%s = %g outside [%g, %g]", p.Path, v, p.Lo, p.Hi)
			}
			hit[min(9, int(math.Floor((v-p.Lo)/(p.Hi-p.Lo)*10)))]++
		}
		for s, n := range hit {
			if n != 1 {
				t.Errorf("%s: stratum %d holds %d points, want 1 (%v)", p.Path, s, n, hit)
			}
		}
	}
	// Integer samples are whole numbers within [0.5, 4.4], i.e. 1 … 4.
	for _, pt := range pts {
		if v := pt[2].(float64); v != math.Trunc(v) || v < 1 || v > 4 {
			t.Errorf("integer parameter sampled %g", v)
		}
	}
	// A function of the seed.
	again, other := Design(f, 99), Design(f, 100)
	same := true
	for i := range pts {
		for j := range pts[i] {
			if again[i][j] != pts[i][j] {
				t.Fatalf("the same seed gave another design")
			}
			if other[i][j] != pts[i][j] {
				same = false
			}
		}
	}
	if same {
		t.Error("another seed gave the same design")
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string
	}{
		{"syntax", "scenario = \"x\"\nreplicates = = 2\n", []string{"bad.toml:2:"}},
		{"wrong types", "scenario = 5\nreplicates = \"two\"\n[[param]]\npath = \"a\"\nvalues = 1\n", []string{"bad.toml:1: scenario: want text in quotes, not a number", "bad.toml:2: replicates: want a whole number, not text", "bad.toml:5: param[1].values: want an array of values, not a number"}},
		{"no scenario, no params", "replicates = 0\n", []string{
			"bad.toml:1: replicates: 0: want a whole number from 1", "bad.toml: scenario: missing", "param: no [[param]] tables"}},
		{"unknown keys", "scenario = \"x\"\nreplicats = 2\n[[param]]\npath = \"a\"\nvalues = [1]\nvalue = 3\n", []string{
			"bad.toml:2: replicats: unknown key", "bad.toml:6: param[1].value: unknown key"}},
		{"bad design", "scenario = \"x\"\ndesign = \"sobol\"\n[[param]]\npath = \"a\"\nvalues = [1]\n", []string{`bad.toml:2: design: "sobol": want "grid"`}},
		{"lhs without samples", "scenario = \"x\"\ndesign = \"lhs\"\n[[param]]\npath = \"a\"\nrange = [1, 2]\n", []string{"bad.toml:2: design: design = \"lhs\" needs samples"}},
		{"grid with range", "scenario = \"x\"\n[[param]]\npath = \"a\"\nrange = [1, 2]\n", []string{
			"bad.toml:4: param[1].range: a range is for design = \"lhs\"", "bad.toml:2: param[1].values: missing or empty"}},
		{"lhs with values, bad range", "scenario = \"x\"\ndesign = \"lhs\"\nsamples = 3\n[[param]]\npath = \"a\"\nvalues = [1]\nrange = [5, 1]\n", []string{
			"bad.toml:6: param[1].values: values are for design = \"grid\"", "bad.toml:7: param[1].range: lo (5) is above hi (1)"}},
		{"duplicate path and value, mixed kinds", "scenario = \"x\"\n[[param]]\npath = \"a\"\nvalues = [1, 1]\n[[param]]\npath = \"a\"\nvalues = [1, true]\n", []string{
			"bad.toml:4: param[1].values: value 1 is listed twice", `bad.toml:6: param[2].path: "a" is already varied by param[1]`, "bad.toml:7: param[2].values: mixes numbers and true/false"}},
		{"text value", "scenario = \"x\"\n[[param]]\npath = \"a\"\nvalues = [\"high\"]\n", []string{"bad.toml:4: param[1].values: value 1 is text"}},
		{"too many runs", "scenario = \"x\"\nreplicates = 1001\n[[param]]\npath = \"a\"\nvalues = [1,2,3,4,5,6,7,8,9,10]\n[[param]]\npath = \"b\"\nvalues = [1,2,3,4,5,6,7,8,9,10]\n[[param]]\npath = \"c\"\nvalues = [1,2,3,4,5,6,7,8,9,10]\n[[param]]\npath = \"d\"\nvalues = [1,2,3,4,5,6,7,8,9,10]\n", []string{"more than 10000000 runs"}},
		{"duplicate indicator, bad seed", "scenario = \"x\"\nseed = -1\nindicators = [\"died\", \"died\"]\n[[param]]\npath = \"a\"\nvalues = [1]\n", []string{
			"bad.toml:2: seed: -1", `bad.toml:3: indicators: "died" is listed twice`}},
	}
	for _, c := range cases {
		_, err := Parse("bad.toml", []byte(c.src))
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		var list scenario.ErrorList
		if !errors.As(err, &list) {
			t.Errorf("%s: error %T is not a scenario.ErrorList", c.name, err)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error\n%v\nlacks %q", c.name, err, w)
			}
		}
	}
}
