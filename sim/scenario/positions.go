package scenario

import (
	"strconv"
	"strings"
)

// BurntSushi/toml does not tell where a key is written, so a small scanner
// of its own finds the line of every key. It runs only on text that the
// TOML parser has accepted, so it can be lenient about malformed input.
//
// Keys are recorded as internal paths: table names and keys joined by dots,
// elements of arrays (of tables, or plain arrays) by their index counted
// from 0: "edge[2].cost.min", "report.northbound[1]".

// pos is where a key is written.
type pos struct {
	file string
	line int
}

// positions maps an internal key path ("edge[3].capacity",
// "border.us.apprehension") to where the key is written.
type positions map[string]pos

// lookup returns where path, or failing that its nearest written parent
// (the table that should have held a missing key), is written.
func (p positions) lookup(path string) (pos, bool) {
	for ; path != ""; path = parentPath(path) {
		if q, ok := p[path]; ok {
			return q, true
		}
	}
	return pos{}, false
}

// sources records the files a scenario was read from and where its keys
// are written. It is not changed after loading, so clones share it.
type sources struct {
	files []string // the main file, then each included file
	pos   positions
	// policyFile is, for each policy, the index in files of the file that
	// holds it; policyFirst is, for each file, the index of its first policy.
	policyFile  []int
	policyFirst []int
}

// lookup returns where an internal path is written.
func (src *sources) lookup(path string) (pos, bool) {
	return src.pos.lookup(path)
}

// fileOf returns the file that holds the element an internal path is in:
// the policy's own file for a policy, else the main file.
func (src *sources) fileOf(path string) string {
	if sect, i, _ := splitElem(path); sect == "policy" && i >= 0 && i < len(src.policyFile) {
		return src.files[src.policyFile[i]]
	}
	return src.files[0]
}

// policyLocal converts the index of a policy in the scenario to its index
// among the policies of its own file.
func (src *sources) policyLocal(i int) int {
	if i < 0 || i >= len(src.policyFile) {
		return i
	}
	return i - src.policyFirst[src.policyFile[i]]
}

// lineScanner walks TOML text, recording the line of every key.
type lineScanner struct {
	src  string
	i    int
	line int
	file string
	out  positions
	// arrays counts the elements of each array of tables seen so far, by
	// internal path.
	arrays map[string]int
}

// scanPositions records in out the line of every key of the TOML text
// data. arrays gives the number of elements that arrays of tables already
// have (so that the [[policy]] entries of an included file continue the
// numbering of those before them); it may be nil.
func scanPositions(file string, data []byte, out positions, arrays map[string]int) {
	if arrays == nil {
		arrays = map[string]int{}
	}
	s := &lineScanner{src: string(data), line: 1, file: file, out: out, arrays: arrays}
	s.run()
}

func (s *lineScanner) eof() bool { return s.i >= len(s.src) }

// adv moves one byte on, counting lines.
func (s *lineScanner) adv() {
	if s.src[s.i] == '\n' {
		s.line++
	}
	s.i++
}

// skipSpace skips blanks, and with newlines also newlines and comments.
func (s *lineScanner) skipSpace(newlines bool) {
	for !s.eof() {
		switch c := s.src[s.i]; {
		case c == ' ' || c == '\t' || c == '\r':
			s.i++
		case newlines && c == '\n':
			s.adv()
		case newlines && c == '#':
			s.skipLine()
		default:
			return
		}
	}
}

// skipLine skips to the end of the line (leaving the newline).
func (s *lineScanner) skipLine() {
	for !s.eof() && s.src[s.i] != '\n' {
		s.i++
	}
}

func (s *lineScanner) record(path string, line int) {
	if _, ok := s.out[path]; !ok {
		s.out[path] = pos{file: s.file, line: line}
	}
}

func (s *lineScanner) run() {
	prefix := ""
	for {
		s.skipSpace(true)
		if s.eof() {
			return
		}
		start := s.i
		if s.src[s.i] == '[' {
			array := strings.HasPrefix(s.src[s.i:], "[[")
			line := s.line
			s.i++
			if array {
				s.i++
			}
			segs := s.key()
			prefix = s.header(segs, array, line)
			s.record(prefix, line)
			s.skipLine()
		} else {
			s.keyValue(prefix)
			s.skipLine()
		}
		if s.i == start {
			s.adv() // never loop on input the scanner does not understand
		}
	}
}

// key reads a dotted key and returns its segments.
func (s *lineScanner) key() []string {
	var segs []string
	for {
		s.skipSpace(false)
		if s.eof() {
			return segs
		}
		switch s.src[s.i] {
		case '"':
			segs = append(segs, s.basicString())
		case '\'':
			segs = append(segs, s.literalString())
		default:
			j := s.i
			for j < len(s.src) && isBare(s.src[j]) {
				j++
			}
			if j == s.i {
				return segs
			}
			segs = append(segs, s.src[s.i:j])
			s.i = j
		}
		s.skipSpace(false)
		if s.eof() || s.src[s.i] != '.' {
			return segs
		}
		s.i++
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// header resolves a [table] or [[array]] header written at line to an
// internal path, recording the line of the tables it opens.
func (s *lineScanner) header(segs []string, array bool, line int) string {
	path := ""
	for k, seg := range segs {
		path = join(path, seg)
		s.record(path, line)
		if array && k == len(segs)-1 {
			n := s.arrays[path]
			s.arrays[path] = n + 1
			path += "[" + strconv.Itoa(n) + "]"
		} else if n := s.arrays[path]; n > 0 {
			path += "[" + strconv.Itoa(n-1) + "]"
		}
	}
	return path
}

// keyValue reads "key = value" under prefix.
func (s *lineScanner) keyValue(prefix string) {
	line := s.line
	segs := s.key()
	if len(segs) == 0 {
		return
	}
	path := prefix
	for _, seg := range segs {
		path = join(path, seg)
		s.record(path, line)
	}
	s.skipSpace(false)
	if s.eof() || s.src[s.i] != '=' {
		return
	}
	s.i++
	s.value(path)
}

// value reads a value whose key path is path.
func (s *lineScanner) value(path string) {
	s.skipSpace(false)
	if s.eof() {
		return
	}
	switch s.src[s.i] {
	case '{':
		s.i++
		for {
			s.skipSpace(true)
			if s.eof() {
				return
			}
			switch s.src[s.i] {
			case '}':
				s.i++
				return
			case ',':
				s.i++
				continue
			}
			start := s.i
			s.keyValue(path)
			if s.i == start {
				s.adv()
			}
		}
	case '[':
		s.i++
		for n := 0; ; {
			s.skipSpace(true)
			if s.eof() {
				return
			}
			switch s.src[s.i] {
			case ']':
				s.i++
				return
			case ',':
				s.i++
				continue
			}
			elem := path + "[" + strconv.Itoa(n) + "]"
			s.record(elem, s.line)
			start := s.i
			s.value(elem)
			if s.i == start {
				s.adv()
			}
			n++
		}
	case '"':
		s.basicString()
	case '\'':
		s.literalString()
	default:
		for !s.eof() {
			c := s.src[s.i]
			if c == ',' || c == ']' || c == '}' || c == '\n' || c == '#' {
				return
			}
			s.i++
		}
	}
}

// basicString reads a "string" or """multi-line string""" and returns its
// text with escapes left as written (enough for keys).
func (s *lineScanner) basicString() string {
	if strings.HasPrefix(s.src[s.i:], `"""`) {
		s.i += 3
		start := s.i
		for !s.eof() {
			switch {
			case s.src[s.i] == '\\':
				s.adv()
				if !s.eof() {
					s.adv()
				}
			case strings.HasPrefix(s.src[s.i:], `"""`):
				text := s.src[start:s.i]
				s.i += 3
				for k := 0; k < 2 && !s.eof() && s.src[s.i] == '"'; k++ {
					s.i++
				}
				return text
			default:
				s.adv()
			}
		}
		return s.src[start:]
	}
	s.i++
	start := s.i
	for !s.eof() {
		switch s.src[s.i] {
		case '\\':
			s.i++
			if !s.eof() && s.src[s.i] != '\n' {
				s.i++
			}
		case '"':
			text := s.src[start:s.i]
			s.i++
			return text
		case '\n':
			return s.src[start:s.i]
		default:
			s.i++
		}
	}
	return s.src[start:]
}

// literalString reads a 'string' or a ”'multi-line string”'.
func (s *lineScanner) literalString() string {
	if strings.HasPrefix(s.src[s.i:], "'''") {
		s.i += 3
		start := s.i
		for !s.eof() {
			if strings.HasPrefix(s.src[s.i:], "'''") {
				text := s.src[start:s.i]
				s.i += 3
				for k := 0; k < 2 && !s.eof() && s.src[s.i] == '\''; k++ {
					s.i++
				}
				return text
			}
			s.adv()
		}
		return s.src[start:]
	}
	s.i++
	start := s.i
	for !s.eof() && s.src[s.i] != '\'' && s.src[s.i] != '\n' {
		s.i++
	}
	text := s.src[start:s.i]
	if !s.eof() && s.src[s.i] == '\'' {
		s.i++
	}
	return text
}

// join appends a key to an internal path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
