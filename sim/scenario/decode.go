package scenario

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The TOML text is parsed by BurntSushi/toml into plain maps; decoder then
// moves the values into the Go structs itself, by the toml tags, so that it
// can report every unknown key and every wrong type at once, each at its
// element's own line (BurntSushi stops at the first wrong type and does not
// number the elements of arrays of tables).

var (
	timeType = reflect.TypeFor[time.Time]()
	distType = reflect.TypeFor[Dist]()
)

// decoder moves parsed TOML values into Go values, recording problems.
type decoder struct {
	file string
	pos  positions // where the keys of file are written
	c    *collector
}

// fail records a problem at path and marks path as reported.
func (d *decoder) fail(path, format string, args ...any) {
	p, _ := d.pos.lookup(path)
	d.c.addAt(d.file, p.line, path, format, args...)
	if d.c.skip == nil {
		d.c.skip = map[string]bool{}
	}
	d.c.skip[path] = true
}

// typeErr records that the value at path has the wrong type.
func (d *decoder) typeErr(path, want string, raw any) {
	d.fail(path, "must be %s, not %s", want, tomlType(raw))
}

// tomlType names the TOML type of a parsed value.
func tomlType(raw any) string {
	switch v := raw.(type) {
	case string:
		return fmt.Sprintf("a string (%q)", v)
	case int64:
		return fmt.Sprintf("an integer (%d)", v)
	case float64:
		return fmt.Sprintf("a float (%g)", v)
	case bool:
		return fmt.Sprintf("a boolean (%t)", v)
	case time.Time:
		return "a date"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", raw)
}

// tableElems returns the elements of an array of tables.
func tableElems(raw any) ([]map[string]any, bool) {
	switch v := raw.(type) {
	case []map[string]any:
		return v, true
	case []any:
		out := make([]map[string]any, len(v))
		for i, e := range v {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, false
			}
			out[i] = m
		}
		return out, true
	}
	return nil, false
}

// fieldByTag returns the index of the field of struct type t whose toml
// tag is key, or -1.
func fieldByTag(t reflect.Type, key string) int {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		if tagName(f) == key {
			return i
		}
	}
	return -1
}

// tagName returns the toml key of a struct field ("" for none).
func tagName(f reflect.StructField) string {
	tag, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	if tag == "-" {
		return ""
	}
	return tag
}

// tagNames lists the toml keys of struct type t.
func tagNames(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.IsExported() && tagName(f) != "" {
			out = append(out, tagName(f))
		}
	}
	return out
}

// decodeStruct moves the table m into the struct rv.
func (d *decoder) decodeStruct(path string, m map[string]any, rv reflect.Value) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t := rv.Type()
	for _, k := range keys {
		kp := join(path, k)
		i := fieldByTag(t, k)
		if i < 0 {
			d.fail(kp, "unknown key%s", suggest(k, tagNames(t)))
			continue
		}
		d.decodeValue(kp, m[k], rv.Field(i))
	}
}

// decodeValue moves one parsed value into rv.
func (d *decoder) decodeValue(path string, raw any, rv reflect.Value) {
	switch rv.Type() {
	case timeType:
		t, ok := raw.(time.Time)
		if !ok {
			if s, isStr := raw.(string); isStr {
				d.fail(path, "must be a date like 2021-01-01 written without quotes, not the string %q", s)
				return
			}
			d.typeErr(path, "a date like 2021-01-01", raw)
			return
		}
		if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0 {
			d.fail(path, "must be a date like 2021-01-01, without a time of day")
			return
		}
		rv.Set(reflect.ValueOf(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)))
		return
	case distType:
		var dist Dist
		if err := dist.UnmarshalTOML(raw); err != nil {
			d.fail(path, "%v", err)
			return
		}
		rv.Set(reflect.ValueOf(dist))
		return
	}
	switch rv.Kind() {
	case reflect.String:
		s, ok := raw.(string)
		if !ok {
			d.typeErr(path, "a string", raw)
			return
		}
		rv.SetString(s)
	case reflect.Float64:
		f, ok := toNumber(raw)
		if !ok {
			d.typeErr(path, "a number", raw)
			return
		}
		rv.SetFloat(f)
	case reflect.Int, reflect.Uint64:
		f, ok := toNumber(raw)
		if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			d.typeErr(path, "a whole number", raw)
			return
		}
		if rv.Kind() == reflect.Uint64 {
			if f < 0 {
				d.fail(path, "must not be negative (got %g)", f)
				return
			}
			rv.SetUint(uint64(f))
			return
		}
		rv.SetInt(int64(f))
	case reflect.Bool:
		b, ok := raw.(bool)
		if !ok {
			d.typeErr(path, "true or false", raw)
			return
		}
		rv.SetBool(b)
	case reflect.Slice:
		d.decodeSlice(path, raw, rv)
	case reflect.Map:
		m, ok := raw.(map[string]any)
		if !ok {
			d.typeErr(path, "a table of strings", raw)
			return
		}
		out := reflect.MakeMapWithSize(rv.Type(), len(m))
		for k, v := range m {
			s, ok := v.(string)
			if !ok {
				d.typeErr(join(path, k), "a string", v)
				continue
			}
			out.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(s))
		}
		rv.Set(out)
	case reflect.Struct:
		m, ok := raw.(map[string]any)
		if !ok {
			d.typeErr(path, "a table", raw)
			return
		}
		d.decodeStruct(path, m, rv)
	case reflect.Pointer:
		elem := reflect.New(rv.Type().Elem())
		d.decodeValue(path, raw, elem.Elem())
		rv.Set(elem)
	case reflect.Interface:
		v, ok := d.setValue(path, raw)
		if ok {
			rv.Set(reflect.ValueOf(v))
		}
	default:
		d.fail(path, "cannot be decoded into %s", rv.Type())
	}
}

// decodeSlice moves an array into a slice of strings or of structs.
func (d *decoder) decodeSlice(path string, raw any, rv reflect.Value) {
	et := rv.Type().Elem()
	if et.Kind() == reflect.Struct {
		elems, ok := tableElems(raw)
		if !ok {
			d.typeErr(path, "an array of tables ([["+path+"]])", raw)
			return
		}
		out := reflect.MakeSlice(rv.Type(), len(elems), len(elems))
		for i, m := range elems {
			e := out.Index(i)
			setElemDefaults(e)
			d.decodeStruct(path+"["+strconv.Itoa(i)+"]", m, e)
		}
		rv.Set(out)
		return
	}
	arr, ok := raw.([]any)
	if !ok {
		d.typeErr(path, "an array", raw)
		return
	}
	out := reflect.MakeSlice(rv.Type(), len(arr), len(arr))
	for i, v := range arr {
		d.decodeValue(path+"["+strconv.Itoa(i)+"]", v, out.Index(i))
	}
	rv.Set(out)
}

// setValue converts the value of a policy's set: a number (as float64), a
// boolean, a string or a distribution.
func (d *decoder) setValue(path string, raw any) (any, bool) {
	switch v := raw.(type) {
	case int64:
		return float64(v), true
	case float64, bool, string:
		return v, true
	case map[string]any:
		var dist Dist
		if err := dist.UnmarshalTOML(v); err != nil {
			d.fail(path, "%v", err)
			return nil, false
		}
		return dist, true
	}
	d.typeErr(path, "a number, true or false, a string or a distribution", raw)
	return nil, false
}

// toNumber converts a parsed TOML number.
func toNumber(raw any) (float64, bool) {
	switch v := raw.(type) {
	case int64:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

// setDefaults gives a scenario the values of the keys a file may leave out.
func setDefaults(s *Scenario) {
	s.Meta.Scale = 1
	s.Meta.Seed = 1
	s.Border.US.CBPOneEarliestShare = 0.5
	s.Border.US.CBPOneLeadDays = 14
	s.Behaviour.NewsWindowDays = 30
	s.Report.CrossingName = "crossing"
}

// setElemDefaults gives an element of a table array the values of the keys
// a file may leave out.
func setElemDefaults(rv reflect.Value) {
	switch e := rv.Addr().Interface().(type) {
	case *Edge:
		e.Open = true
		e.InterceptionTo = "back"
		e.Spend = "transport"
		e.CapsizeFatality = 1
	case *Origin:
		e.Goal = GoalUS
		e.HomeShare = 1
		e.MinBudgetShare = 1
	}
}

// suggest returns ` (did you mean "x"?)` for the known word closest to w,
// or "" when none is close.
func suggest(w string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if dd := editDistance(w, k); dd < bestD {
			best, bestD = k, dd
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
