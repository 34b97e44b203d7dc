package scenarios

import (
	"io/fs"
	"math"
	"path"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/migsim/migsim/sim/scenario"
	"github.com/migsim/migsim/sim/validate"
)

// withIncludes loads americas.toml with the given policy files included.
func withIncludes(t *testing.T, files ...string) (*scenario.Scenario, error) {
	t.Helper()
	base, err := fs.ReadFile(FS(), "americas.toml")
	if err != nil {
		t.Fatal(err)
	}
	var q []string
	for _, f := range files {
		q = append(q, `"`+f+`"`)
	}
	text := "include = [" + strings.Join(q, ", ") + "]\n" + string(base)
	return scenario.Parse("americas.toml", []byte(text), func(name string) ([]byte, error) {
		return fs.ReadFile(FS(), path.Clean(name))
	})
}

// TestPolicyLibrary: every policy file is documented in a comment header,
// holds only [[policy]] entries with a name, a note and a known source, and
// can be included in the default scenario.
func TestPolicyLibrary(t *testing.T) {
	files, err := fs.Glob(FS(), "policies/*.toml")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"aid-cut-necocli.toml", "asylum-bar.toml", "bad-weather-caribbean.toml", "border-troops.toml",
		"cbp-one-off.toml", "cbp-one-on.toml", "cbp-one-slots-double.toml", "darien-closure.toml",
		"deportation-flights.toml", "expel-venezuelans.toml", "interior-raids.toml", "maritime-enforcement.toml"}
	for _, w := range want {
		if !slices.Contains(files, "policies/"+w) {
			t.Errorf("the policy library lacks %s", w)
		}
	}
	ids := sourceIDs(t)
	base, err := withIncludes(t)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, _ := fs.ReadFile(FS(), f)
		head := strings.SplitN(string(data), "\n", 4)
		if !strings.HasPrefix(head[0], "# "+path.Base(f)+" — ") || !strings.HasPrefix(head[2], "# What:") {
			t.Errorf("%s: no documenting header (\"# <file> — <title>\", then \"# What: ...\")", f)
		}
		sc, err := withIncludes(t, f)
		if err != nil {
			t.Errorf("%s cannot be included in americas.toml:\n%v", f, err)
			continue
		}
		added := sc.Policies[len(base.Policies):]
		if len(added) == 0 || len(added) != strings.Count(string(data), "[[policy]]") {
			t.Errorf("%s: %d policies included, %d written", f, len(added), strings.Count(string(data), "[[policy]]"))
		}
		for _, p := range added {
			if p.Name == "" || p.Note == "" || !(p.Source == "assumption" || ids[p.Source]) {
				t.Errorf("%s: policy %q on %s: want a name, a note and a source (a source_id or \"assumption\"), got source %q", f, p.Name, p.Path, p.Source)
			}
			if p.Date.Before(sc.Meta.Start) || p.Date.After(sc.Meta.End) {
				t.Errorf("%s: policy %s starts on %v, outside the default scenario's run", f, p.Name, p.Date)
			}
		}
	}
	// All at once, too: their policies do not clash.
	if _, err := withIncludes(t, files...); err != nil {
		t.Errorf("the whole library cannot be included at once:\n%v", err)
	}
}

// TestCBPOneOnMatchesCorridorShare: cbp-one-on.toml sets the slots that reach
// the corridor's migrants directly, so it must equal 1,450 times the
// default scenario's corridor share.
func TestCBPOneOnMatchesCorridorShare(t *testing.T) {
	sc, err := withIncludes(t, "policies/cbp-one-on.toml")
	if err != nil {
		t.Fatal(err)
	}
	share, slots := math.NaN(), math.NaN()
	for _, p := range sc.Policies {
		if p.Name == "cbp_one_corridor_share" && p.Scale != nil {
			share = *p.Scale
		}
		if p.Name == "cbp_one_stays_open" && p.Path == "border.us.cbp_one_daily_slots" {
			slots = p.Set.(float64)
		}
	}
	if want := math.Round(1450 * share); slots != want {
		t.Errorf("cbp-one-on.toml sets %g slots; 1,450 × the corridor share %g = %g: update the file", slots, share, want)
	}
}

// TestListOnlyScenarios: policy and check files are embedded but not listed.
func TestListOnlyScenarios(t *testing.T) {
	list, err := List()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range list {
		if strings.Contains(in.File, "/") {
			t.Errorf("List lists %s", in.File)
		}
	}
	for _, f := range []string{"policies/cbp-one-on.toml", "checks/forecast_2025.toml"} {
		if _, err := fs.Stat(FS(), f); err != nil {
			t.Errorf("%s is not embedded: %v", f, err)
		}
	}
}

// TestVariantsDifferOnlyWhereIntended: each shipped variant is the default
// scenario with another name and description, some named policies left out
// and some policy files included — and nothing else changed.
func TestVariantsDifferOnlyWhereIntended(t *testing.T) {
	variants := []struct {
		file    string
		drop    []string
		include []string
	}{
		{"no-cbp-one-cancellation.toml", []string{"cbp_one_cancelled"}, nil},
		{"necocli-aid-17.toml", []string{"necocli_aid_17_to_7"}, nil},
		{"necocli-aid-7.toml", []string{"necocli_aid_17_to_7"}, []string{"policies/aid-cut-necocli.toml"}},
		{"necocli-aid-30.toml", []string{"necocli_aid_17_to_7"}, []string{"policies/aid-scale-up-necocli.toml"}},
	}
	americas, err := scenario.LoadFS(FS(), "americas.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range variants {
		got, err := scenario.LoadFS(FS(), v.file)
		if err != nil {
			t.Errorf("%s: %v", v.file, err)
			continue
		}
		want, err := withIncludes(t, v.include...)
		if err != nil {
			t.Fatal(err)
		}
		removed := 0
		want.Policies = slices.DeleteFunc(want.Policies, func(p scenario.Policy) bool {
			if slices.Contains(v.drop, p.Name) {
				removed++
				return true
			}
			return false
		})
		if removed == 0 {
			t.Errorf("%s: americas.toml has no policy %v to leave out", v.file, v.drop)
		}
		if got.Meta.Name == americas.Meta.Name || got.Meta.Description == americas.Meta.Description {
			t.Errorf("%s: name or description not its own", v.file)
		}
		want.Meta.Name, want.Meta.Description = got.Meta.Name, got.Meta.Description
		for _, part := range []struct {
			what      string
			got, want any
		}{
			{"[scenario]", got.Meta, want.Meta},
			{"behaviour", got.Behaviour, want.Behaviour},
			{"border", got.Border, want.Border},
			{"nodes", got.Nodes, want.Nodes},
			{"edges", got.Edges, want.Edges},
			{"origins", got.Origins, want.Origins},
			{"policies", got.Policies, want.Policies},
			{"report", got.Report, want.Report},
			{"observed", got.Observed, want.Observed},
		} {
			if !reflect.DeepEqual(part.got, part.want) {
				t.Errorf("%s: %s differ from americas.toml's beyond the intended changes", v.file, part.what)
			}
		}
	}
}

// TestForecastChecks: the embedded checks file reads, and names only what
// the default scenario has.
func TestForecastChecks(t *testing.T) {
	data, err := fs.ReadFile(FS(), "checks/forecast_2025.toml")
	if err != nil {
		t.Fatal(err)
	}
	checks, err := validate.ReadChecks("checks/forecast_2025.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.LoadFS(FS(), "americas.toml")
	if err != nil {
		t.Fatal(err)
	}
	nodes := map[string]bool{}
	for _, n := range sc.Nodes {
		nodes[n.ID] = true
	}
	edges := map[string]bool{}
	for _, e := range sc.Edges {
		edges[e.ID] = true
	}
	for _, c := range checks {
		if c.Node != "" && !nodes[c.Node] {
			t.Errorf("check %s: no node %s", c.Name, c.Node)
		}
		for _, e := range c.Edges {
			if !edges[e] {
				t.Errorf("check %s: no edge %s", c.Name, e)
			}
		}
		if c.From.Before(validate.CalibrationEnd()) {
			t.Errorf("check %s starts on %v, inside the calibration window", c.Name, c.From)
		}
	}
}
