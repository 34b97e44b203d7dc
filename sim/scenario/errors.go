package scenario

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Error is one problem of a scenario, located by file, line and key.
//
// Key names the offending key as a user would look for it: the parameter
// path where the element has a usable id ("edge.necocli-capurgana.capacity",
// "border.us.apprehension"), else the table array and the element's number
// in its file, counted from 1 ("policy[3].set" is the third [[policy]] of
// File). An error caused by a --set assignment has the assignment as Key and
// no File.
type Error struct {
	File string // file name; "" when not known
	Line int    // line, counted from 1; 0 when not known
	Key  string // offending key; "" when the error concerns no key
	Msg  string // what is wrong
}

// Error formats the error as "file:line: key: msg", leaving out the parts
// that are not known.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Line))
		}
	}
	if e.Key != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Key)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every problem found in a scenario, ordered by file (the main
// file first, then included files in the order of inclusion, then errors
// without a file) and by line.
type ErrorList []*Error

// Error prints the errors one per line.
func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap returns the errors, so that errors.As finds any of them.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// problem is an error not yet given its display key: path is the internal
// key path ("edge[2].cost.min", indices counted from 0 over the whole
// scenario).
type problem struct {
	file string
	line int
	path string
	msg  string
}

// collector gathers the problems of one load or validation.
type collector struct {
	probs []problem
	// skip holds internal paths already reported while decoding: checks of
	// these paths, or of keys beneath them, are not reported again.
	skip map[string]bool
}

// addAt records a problem at an explicit file and line.
func (c *collector) addAt(file string, line int, path, format string, args ...any) {
	c.probs = append(c.probs, problem{file: file, line: line, path: path, msg: fmt.Sprintf(format, args...)})
}

// skipped reports whether path or one of its parents was reported while
// decoding.
func (c *collector) skipped(path string) bool {
	if len(c.skip) == 0 {
		return false
	}
	for p := path; p != ""; p = parentPath(p) {
		if c.skip[p] {
			return true
		}
	}
	return false
}

// errors turns the problems into an ErrorList with display keys, sorted;
// nil when there are none.
func (c *collector) errors(s *Scenario) error {
	if len(c.probs) == 0 {
		return nil
	}
	rank := map[string]int{}
	if s.src != nil {
		for i, f := range s.src.files {
			rank[f] = i + 1
		}
	}
	type keyed struct {
		e    *Error
		rank int
		n    int
	}
	ks := make([]keyed, 0, len(c.probs))
	seen := map[Error]bool{}
	for i, p := range c.probs {
		e := s.display(p)
		if seen[*e] {
			continue
		}
		seen[*e] = true
		r, ok := rank[e.File]
		switch {
		case e.File == "":
			r = len(rank) + 2
		case !ok:
			r = len(rank) + 1
		}
		ks = append(ks, keyed{e, r, i})
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		if a.e.File != b.e.File {
			return strings.Compare(a.e.File, b.e.File)
		}
		if a.e.Line != b.e.Line {
			return a.e.Line - b.e.Line
		}
		return a.n - b.n
	})
	list := make(ErrorList, len(ks))
	for i, k := range ks {
		list[i] = k.e
	}
	return list
}

// parentPath strips the last segment (".key" or "[i]") of an internal path.
func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// splitElem splits an internal path "edge[2].cost.min" into the table array
// name ("edge"), the index (2) and the rest ("cost.min"). For a path that
// does not start with an element of a table array, idx is -1.
func splitElem(p string) (sect string, idx int, rest string) {
	i := strings.IndexAny(p, ".[")
	if i < 0 || p[i] != '[' {
		return p, -1, ""
	}
	j := strings.IndexByte(p[i:], ']')
	if j < 0 {
		return p, -1, ""
	}
	n, err := strconv.Atoi(p[i+1 : i+j])
	if err != nil {
		return p, -1, ""
	}
	rest = strings.TrimPrefix(p[i+j+1:], ".")
	return p[:i], n, rest
}

// stripIndices removes "[i]" segments (elements of plain arrays).
func stripIndices(p string) string {
	if !strings.Contains(p, "[") {
		return p
	}
	var b strings.Builder
	depth := 0
	for _, r := range p {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// display turns a problem into an Error: it finds the line when the problem
// has none, and names the key by id where it can.
func (s *Scenario) display(p problem) *Error {
	e := &Error{File: p.file, Line: p.line, Msg: p.msg}
	if e.File == "" && e.Line == 0 && s.src != nil {
		if pos, ok := s.src.lookup(p.path); ok {
			e.File, e.Line = pos.file, pos.line
		} else {
			e.File = s.src.fileOf(p.path)
		}
	}
	if p.path == "" {
		return e
	}
	sect, idx, rest := splitElem(p.path)
	var key string
	switch {
	case idx < 0 || !isTableArray(sect):
		key = stripIndices(p.path)
	default:
		id := s.elemID(sect, idx)
		if id != "" {
			key = sect + "." + id
		} else {
			n := idx
			if sect == "policy" && s.src != nil {
				n = s.src.policyLocal(idx)
			}
			key = sect + "[" + strconv.Itoa(n+1) + "]"
		}
		if rest != "" {
			key += "." + stripIndices(rest)
		}
	}
	e.Key = key
	if a, ok := s.overrideFor(key); ok {
		e.File, e.Line, e.Key = "", 0, "--set "+a
	}
	return e
}

// isTableArray reports whether a top-level key is an array of tables.
func isTableArray(key string) bool {
	switch key {
	case "node", "edge", "origin", "policy", "observed":
		return true
	}
	return false
}

// elemID returns the id of element idx of a table array when it is a valid
// id that no other element of the array has, else "".
func (s *Scenario) elemID(sect string, idx int) string {
	var ids []string
	switch sect {
	case "node":
		for _, n := range s.Nodes {
			ids = append(ids, n.ID)
		}
	case "edge":
		for _, e := range s.Edges {
			ids = append(ids, e.ID)
		}
	case "origin":
		for _, o := range s.Origins {
			ids = append(ids, o.ID)
		}
	default:
		return ""
	}
	if idx >= len(ids) || !validID(ids[idx]) {
		return ""
	}
	for i, id := range ids {
		if i != idx && id == ids[idx] {
			return ""
		}
	}
	return ids[idx]
}

// overrideFor returns the --set assignment that last changed the parameter
// named by key (or the distribution key is a part of), if any.
func (s *Scenario) overrideFor(key string) (string, bool) {
	if len(s.overrides) == 0 {
		return "", false
	}
	a, ok := s.overrides[key]
	return a, ok
}

// validID reports whether id is usable in a parameter path: letters, digits,
// '-' and '_'.
func validID(id string) bool {
	if id == "" {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
