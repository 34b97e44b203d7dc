package scenario

import (
	"os"
	"strings"
	"testing"
)

func TestScanPositions(t *testing.T) {
	text := `# comment [not.a.table]
title = "a # not a comment"
desc = """
[[edge]]
fake = 1
"""
[scenario]
name = 'x' # comment
dates.start = 2024-01-01

[[edge]]
id = "a"
cost = { min = 1,
  max = 2 }
[edge.cite]
cost = "src"

[[edge]]
id = 'b'
"quoted key" = 3
list = [
  1,
  { k = 2 },
]
[[edge.stop]]
x = 1
[[edge.stop]]
x = 2
lit = '''
y = 3
'''
[border.us]
apprehension = 0.5
`
	want := map[string]int{
		"title":                  2,
		"desc":                   3,
		"scenario":               7,
		"scenario.name":          8,
		"scenario.dates":         9,
		"scenario.dates.start":   9,
		"edge":                   11,
		"edge[0]":                11,
		"edge[0].id":             12,
		"edge[0].cost":           13,
		"edge[0].cost.min":       13,
		"edge[0].cost.max":       14,
		"edge[0].cite":           15,
		"edge[0].cite.cost":      16,
		"edge[1]":                18,
		"edge[1].id":             19,
		"edge[1].quoted key":     20,
		"edge[1].list":           21,
		"edge[1].list[0]":        22,
		"edge[1].list[1]":        23,
		"edge[1].list[1].k":      23,
		"edge[1].stop":           25,
		"edge[1].stop[0]":        25,
		"edge[1].stop[0].x":      26,
		"edge[1].stop[1]":        27,
		"edge[1].stop[1].x":      28,
		"edge[1].stop[1].lit":    29,
		"border":                 32,
		"border.us":              32,
		"border.us.apprehension": 33,
	}
	got := positions{}
	scanPositions("f", []byte(text), got, nil)
	for k, line := range want {
		if got[k].line != line || got[k].file != "f" {
			t.Errorf("%s at %v, want line %d", k, got[k], line)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected key %q at line %d", k, got[k].line)
		}
	}
	// A missing key is found at its table.
	if p, ok := got.lookup("edge[1].stop[1].nothing"); !ok || p.line != 27 {
		t.Errorf("lookup of a missing key: %v", p)
	}
}

// TestScanTiny checks every key position found in tiny.toml against the
// text: the line must hold the key's last segment (its own key, or the
// header of its table).
func TestScanTiny(t *testing.T) {
	data, err := os.ReadFile(tinyPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	got := positions{}
	scanPositions(tinyPath, data, got, nil)
	if len(got) < 200 {
		t.Fatalf("only %d keys found", len(got))
	}
	for k, p := range got {
		last := stripIndices(k)
		if i := strings.LastIndexByte(last, '.'); i >= 0 {
			last = last[i+1:]
		}
		if p.line < 1 || p.line > len(lines) || !strings.Contains(lines[p.line-1], last) {
			t.Errorf("%s at line %d: %q", k, p.line, lines[p.line-1])
		}
	}
	if got["edge[2].capacity"].line != 155 || got["policy[1].nationality"].line != 251 {
		t.Errorf("edge[2].capacity at %d (want 155), policy[1].nationality at %d (want 251)", got["edge[2].capacity"].line, got["policy[1].nationality"].line)
	}
}
