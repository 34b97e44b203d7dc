package validate

import (
	"bufio"
	"bytes"
	"strings"
)

// keyLine returns the line (1-based) of key in the index-th [[table]]
// element of a TOML text, or of the element's header when the key is not
// written there, or 0. It reads lines only: it serves error messages.
func keyLine(data []byte, table string, index int, key string) int {
	sc := bufio.NewScanner(bytes.NewReader(data))
	line, elem, header := 0, -1, 0
	in := false
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(t, "[") {
			in = false
			if strings.HasPrefix(t, "[["+table+"]]") {
				elem++
				if elem == index {
					in, header = true, line
				}
			} else if elem >= index && header > 0 {
				break
			}
			continue
		}
		if !in || key == "" {
			continue
		}
		k, _, ok := strings.Cut(t, "=")
		if ok && strings.Trim(strings.TrimSpace(k), `"`) == key {
			return line
		}
	}
	return header
}
