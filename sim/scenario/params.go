package scenario

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// Parameter paths are the one way policies, the --set flag and sweeps
// address a parameter:
//
//	scenario.<key>        scenario.scale, scenario.seed
//	behaviour.<key>       behaviour.value_of_time
//	border.us.<key>       border.us.cbp_one_daily_slots
//	node.<id>.<key>       node.necocli.meals
//	edge.<id>.<key>       edge.necocli-capurgana.capacity
//	origin.<id>.<key>     origin.ven-caracas.base_rate
//
// where <key> is the key as written in TOML. A distribution-valued key also
// has paths for its parts, <path>.<part>, where part is one of those of its
// current kind: value (fixed), min and max (uniform), min, mode and max
// (triangular), median and sigma (lognormal).
//
// Keys that define the graph or name things (id, name, from, to, kind,
// cite, a node's country, lat and lon, an edge's mode and direction, an
// origin's node and nationality, border.us.interior, and scenario keys other
// than seed and scale) are not parameters.

// ParamKind is the type of a parameter.
type ParamKind int

// Parameter kinds.
const (
	// Number is a real number (float64).
	Number ParamKind = iota + 1
	// Integer is a whole number (int or uint64).
	Integer
	// Bool is true or false.
	Bool
	// Distribution is a Dist.
	Distribution
	// Text is a string.
	Text
)

// String returns the kind's name in lower case.
func (k ParamKind) String() string {
	switch k {
	case Number:
		return "number"
	case Integer:
		return "integer"
	case Bool:
		return "bool"
	case Distribution:
		return "distribution"
	case Text:
		return "text"
	}
	return fmt.Sprintf("ParamKind(%d)", int(k))
}

// isParamKey reports whether key of section sect is a parameter.
func isParamKey(sect, key string) bool {
	switch key {
	case "id", "name", "kind", "cite", "":
		return false
	}
	switch sect {
	case "scenario":
		return key == "seed" || key == "scale"
	case "border.us":
		return key != "interior"
	case "node":
		return key != "country" && key != "lat" && key != "lon"
	case "edge":
		return key != "from" && key != "to" && key != "mode" && key != "direction"
	case "origin":
		return key != "node" && key != "nationality"
	}
	return true
}

// kindOf returns the parameter kind of a field's type (0 for none).
func kindOf(t reflect.Type) ParamKind {
	if t == distType {
		return Distribution
	}
	switch t.Kind() {
	case reflect.Float64:
		return Number
	case reflect.Int, reflect.Uint64:
		return Integer
	case reflect.Bool:
		return Bool
	case reflect.String:
		return Text
	}
	return 0
}

// param is a resolved parameter path.
type param struct {
	v    reflect.Value // the field, addressable
	kind ParamKind     // of the path: Number for a part of a distribution
	sect string        // scenario, behaviour, border.us, node, edge or origin
	elem int           // index of the node, edge or origin; -1 otherwise
	key  string        // the field's TOML key
	part string        // the distribution part, or ""
	base string        // the path without the part
}

// distParts lists the parts of a distribution kind.
func distParts(kind string) []string {
	switch kind {
	case DistFixed:
		return []string{"value"}
	case DistUniform:
		return []string{"min", "max"}
	case DistTriangular:
		return []string{"min", "mode", "max"}
	case DistLognormal:
		return []string{"median", "sigma"}
	}
	return nil
}

// partOf returns a pointer to the named part of d, or an error naming the
// parts d has.
func partOf(d *Dist, part string) (*float64, error) {
	for _, p := range distParts(d.Kind) {
		if p != part {
			continue
		}
		switch part {
		case "value":
			return &d.Value, nil
		case "min":
			return &d.Min, nil
		case "mode":
			return &d.Mode, nil
		case "max":
			return &d.Max, nil
		case "median":
			return &d.Median, nil
		case "sigma":
			return &d.Sigma, nil
		}
	}
	if d.Kind == "" {
		return nil, fmt.Errorf("the distribution is not set, so it has no part %q", part)
	}
	return nil, fmt.Errorf("a %s distribution has no part %q (it has %s)", d.Kind, part, strings.Join(distParts(d.Kind), ", "))
}

// section returns the struct a path's section names, with the element
// index for nodes, edges and origins, and the remaining path segments.
func (s *Scenario) section(parts []string) (rv reflect.Value, sect string, elem int, rest []string, err error) {
	elem = -1
	switch parts[0] {
	case "scenario":
		return reflect.ValueOf(&s.Meta).Elem(), "scenario", -1, parts[1:], nil
	case "behaviour":
		return reflect.ValueOf(&s.Behaviour).Elem(), "behaviour", -1, parts[1:], nil
	case "border":
		if len(parts) < 2 || parts[1] != "us" {
			return rv, "", -1, nil, fmt.Errorf("the only border is border.us")
		}
		return reflect.ValueOf(&s.Border.US).Elem(), "border.us", -1, parts[2:], nil
	case "node", "edge", "origin":
		if len(parts) < 2 || parts[1] == "" {
			return rv, "", -1, nil, fmt.Errorf("want %s.<id>.<key>", parts[0])
		}
		id := parts[1]
		switch parts[0] {
		case "node":
			for i := range s.Nodes {
				if s.Nodes[i].ID == id {
					return reflect.ValueOf(&s.Nodes[i]).Elem(), "node", i, parts[2:], nil
				}
			}
		case "edge":
			for i := range s.Edges {
				if s.Edges[i].ID == id {
					return reflect.ValueOf(&s.Edges[i]).Elem(), "edge", i, parts[2:], nil
				}
			}
		case "origin":
			for i := range s.Origins {
				if s.Origins[i].ID == id {
					return reflect.ValueOf(&s.Origins[i]).Elem(), "origin", i, parts[2:], nil
				}
			}
		}
		return rv, "", -1, nil, fmt.Errorf("no %s has id %q", parts[0], id)
	}
	return rv, "", -1, nil, fmt.Errorf("a parameter path starts with scenario, behaviour, border.us, node.<id>, edge.<id> or origin.<id>, not %q", parts[0])
}

// param resolves a parameter path.
func (s *Scenario) param(path string) (param, error) {
	fail := func(err error) (param, error) {
		return param{}, fmt.Errorf("unknown parameter %q: %w", path, err)
	}
	if path == "" {
		return fail(fmt.Errorf("the path is empty"))
	}
	parts := strings.Split(path, ".")
	rv, sect, elem, rest, err := s.section(parts)
	if err != nil {
		return fail(err)
	}
	prefix := strings.Join(parts[:len(parts)-len(rest)], ".")
	if len(rest) == 0 || rest[0] == "" {
		return fail(fmt.Errorf("want %s.<key>", prefix))
	}
	key := rest[0]
	i := fieldByTag(rv.Type(), key)
	if i < 0 || !isParamKey(sect, key) || kindOf(rv.Type().Field(i).Type) == 0 {
		return fail(fmt.Errorf("%s has no parameter %q%s", prefix, key, suggest(key, paramKeys(rv.Type(), sect))))
	}
	p := param{v: rv.Field(i), kind: kindOf(rv.Type().Field(i).Type), sect: sect, elem: elem, key: key, base: prefix + "." + key}
	switch len(rest) {
	case 1:
		return p, nil
	case 2:
		if p.kind != Distribution {
			return fail(fmt.Errorf("%s is a %s, not a distribution with parts", p.base, p.kind))
		}
		d := p.v.Addr().Interface().(*Dist)
		if _, err := partOf(d, rest[1]); err != nil {
			return fail(fmt.Errorf("%s: %w", p.base, err))
		}
		p.part, p.kind = rest[1], Number
		return p, nil
	}
	return fail(fmt.Errorf("too many parts after %s.%s", prefix, key))
}

// paramKeys lists the parameter keys of a section's struct type.
func paramKeys(t reflect.Type, sect string) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if k := tagName(f); f.IsExported() && isParamKey(sect, k) && kindOf(f.Type) != 0 {
			out = append(out, k)
		}
	}
	return out
}

// ParamKind returns the kind of the parameter at path, or an error when the
// path names no parameter of s. A part of a distribution is a Number.
func (s *Scenario) ParamKind(path string) (ParamKind, error) {
	p, err := s.param(path)
	if err != nil {
		return 0, err
	}
	return p.kind, nil
}

// Number returns the value of a numeric parameter: a Number or an Integer,
// the mean of a Distribution, or a part of a distribution.
func (s *Scenario) Number(path string) (float64, error) {
	p, err := s.param(path)
	if err != nil {
		return 0, err
	}
	if p.part != "" {
		f, _ := partOf(p.v.Addr().Interface().(*Dist), p.part)
		return *f, nil
	}
	switch p.kind {
	case Number:
		return p.v.Float(), nil
	case Integer:
		if p.v.Kind() == reflect.Uint64 {
			return float64(p.v.Uint()), nil
		}
		return float64(p.v.Int()), nil
	case Distribution:
		return p.v.Interface().(Dist).Mean(), nil
	}
	return 0, fmt.Errorf("%s is %s, not a number", path, article(p.kind))
}

// article returns "a bool", "an integer", ...
func article(k ParamKind) string {
	if k == Integer {
		return "an integer"
	}
	return "a " + k.String()
}

// asNumber converts a Go number to float64.
func asNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case float32:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint64:
		return float64(x), true
	}
	return 0, false
}

// describe names the type of a value given to SetParam.
func describe(v any) string {
	switch v.(type) {
	case bool:
		return "true/false"
	case string:
		return "text"
	case Dist:
		return "a distribution"
	case nil:
		return "nothing"
	}
	if _, ok := asNumber(v); ok {
		return "a number"
	}
	return fmt.Sprintf("a %T", v)
}

// SetParam sets the parameter at path to v: a number (float64, int64 or
// int) for a Number, an Integer (v must be whole) or a part of a
// distribution; a bool for a Bool; a string for a Text; a Dist, or a number
// meaning Fixed(v), for a Distribution. It does not check the value's range:
// Validate does.
func (s *Scenario) SetParam(path string, v any) error {
	p, err := s.param(path)
	if err != nil {
		return err
	}
	return p.set(path, v)
}

// set sets a resolved parameter.
func (p param) set(path string, v any) error {
	bad := func() error {
		return fmt.Errorf("%s is %s and cannot be set to %s", path, article(p.kind), describe(v))
	}
	if p.part != "" {
		f, ok := asNumber(v)
		if !ok {
			return bad()
		}
		ptr, _ := partOf(p.v.Addr().Interface().(*Dist), p.part)
		*ptr = f
		return nil
	}
	switch p.kind {
	case Number:
		f, ok := asNumber(v)
		if !ok {
			return bad()
		}
		p.v.SetFloat(f)
	case Integer:
		f, ok := asNumber(v)
		if !ok {
			return bad()
		}
		return p.setInteger(path, f)
	case Bool:
		b, ok := v.(bool)
		if !ok {
			return bad()
		}
		p.v.SetBool(b)
	case Text:
		t, ok := v.(string)
		if !ok {
			return bad()
		}
		p.v.SetString(t)
	case Distribution:
		if d, ok := v.(Dist); ok {
			p.v.Set(reflect.ValueOf(d))
			return nil
		}
		f, ok := asNumber(v)
		if !ok {
			return bad()
		}
		p.v.Set(reflect.ValueOf(Fixed(f)))
	}
	return nil
}

// setInteger sets an int or uint64 field to a whole number.
func (p param) setInteger(path string, f float64) error {
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return fmt.Errorf("%s must be a whole number (got %g)", path, f)
	}
	if p.v.Kind() == reflect.Uint64 {
		if f < 0 {
			return fmt.Errorf("%s must not be negative (got %g)", path, f)
		}
		p.v.SetUint(uint64(f))
		return nil
	}
	p.v.SetInt(int64(f))
	return nil
}

// ScaleParam multiplies the parameter at path by f: a Number; an Integer,
// rounded to the nearest whole number; a Distribution, by Dist.Scaled; or a
// part of a distribution.
func (s *Scenario) ScaleParam(path string, f float64) error {
	p, err := s.param(path)
	if err != nil {
		return err
	}
	if p.part != "" {
		ptr, _ := partOf(p.v.Addr().Interface().(*Dist), p.part)
		*ptr *= f
		return nil
	}
	switch p.kind {
	case Number:
		p.v.SetFloat(p.v.Float() * f)
	case Integer:
		x, _ := s.Number(path)
		return p.setInteger(path, math.Round(x*f))
	case Distribution:
		p.v.Set(reflect.ValueOf(p.v.Interface().(Dist).Scaled(f)))
	default:
		return fmt.Errorf("%s is %s and cannot be scaled", path, article(p.kind))
	}
	return nil
}

// Params returns every parameter path of s, sorted: each parameter, and
// the parts of each distribution under its current kind.
func (s *Scenario) Params() []string {
	var out []string
	add := func(prefix, sect string, rv reflect.Value) {
		t := rv.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			k := tagName(f)
			if !f.IsExported() || !isParamKey(sect, k) || kindOf(f.Type) == 0 {
				continue
			}
			path := prefix + "." + k
			out = append(out, path)
			if f.Type == distType {
				for _, part := range distParts(rv.Field(i).Interface().(Dist).Kind) {
					out = append(out, path+"."+part)
				}
			}
		}
	}
	add("scenario", "scenario", reflect.ValueOf(&s.Meta).Elem())
	add("behaviour", "behaviour", reflect.ValueOf(&s.Behaviour).Elem())
	add("border.us", "border.us", reflect.ValueOf(&s.Border.US).Elem())
	for i := range s.Nodes {
		if validID(s.Nodes[i].ID) {
			add("node."+s.Nodes[i].ID, "node", reflect.ValueOf(&s.Nodes[i]).Elem())
		}
	}
	for i := range s.Edges {
		if validID(s.Edges[i].ID) {
			add("edge."+s.Edges[i].ID, "edge", reflect.ValueOf(&s.Edges[i]).Elem())
		}
	}
	for i := range s.Origins {
		if validID(s.Origins[i].ID) {
			add("origin."+s.Origins[i].ID, "origin", reflect.ValueOf(&s.Origins[i]).Elem())
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// ApplySets applies assignments "path=value", as given to the --set flag,
// where value is a TOML value: 0, 1450, true, "text" (a bare word is taken
// as text for a text parameter), or { min = 1, max = 2 } for a
// distribution. Every bad assignment is reported, as an ErrorList whose
// keys name the assignments. Ranges are not checked here: run Validate
// afterwards, which blames the assignment for a value out of range.
func (s *Scenario) ApplySets(assignments []string) error {
	var list ErrorList
	for _, a := range assignments {
		if err := s.applySet(a); err != nil {
			list = append(list, &Error{Key: "--set " + a, Msg: err.Error()})
		}
	}
	if len(list) > 0 {
		return list
	}
	return nil
}

// applySet applies one assignment.
func (s *Scenario) applySet(a string) error {
	path, val, ok := strings.Cut(a, "=")
	path, val = strings.TrimSpace(path), strings.TrimSpace(val)
	if !ok || path == "" || val == "" {
		return fmt.Errorf("want path=value, e.g. border.us.cbp_one_daily_slots=0")
	}
	p, err := s.param(path)
	if err != nil {
		return err
	}
	v, err := parseValue(val, p.kind)
	if err != nil {
		return err
	}
	if err := p.set(path, v); err != nil {
		return err
	}
	if s.overrides == nil {
		s.overrides = map[string]string{}
	}
	s.overrides[p.base] = a
	return nil
}

// parseValue parses the value of an assignment as TOML.
func parseValue(val string, kind ParamKind) (any, error) {
	var m map[string]any
	if _, err := toml.Decode("v = "+val, &m); err != nil {
		if kind == Text {
			return val, nil
		}
		return nil, fmt.Errorf("%s is not a TOML value (write numbers as 1450 or 0.5, true or false, \"text\", or a distribution as { min = 1, max = 2 })", val)
	}
	switch v := m["v"].(type) {
	case int64, float64, bool, string:
		return v, nil
	case map[string]any:
		if kind != Distribution {
			return nil, fmt.Errorf("a table is only for a distribution, and this parameter is %s", article(kind))
		}
		var d Dist
		if err := d.UnmarshalTOML(v); err != nil {
			return nil, err
		}
		return d, nil
	default:
		return nil, fmt.Errorf("%s is %s; want a number, true or false, text or a distribution", val, tomlType(v))
	}
}
