package scenario

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Validate checks s: required keys, ids and references, ranges of every
// parameter, distributions, dates, policies and that the route graph lets
// every origin reach its goal and come back. It returns an ErrorList of
// every problem found, or nil.
func (s *Scenario) Validate() error {
	c := &collector{}
	s.validate(c)
	return c.errors(s)
}

// add records a problem at an internal path, unless the path was already
// reported while decoding.
func (c *collector) add(path, format string, args ...any) {
	if c.skipped(path) {
		return
	}
	c.addAt("", 0, path, format, args...)
}

func (s *Scenario) validate(c *collector) {
	s.checkMeta(c)
	s.checkFields(c, "behaviour", "behaviour", reflect.ValueOf(&s.Behaviour).Elem())
	s.checkFields(c, "border.us", "border.us", reflect.ValueOf(&s.Border.US).Elem())

	ids := func(n int, id func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = id(i)
		}
		return out
	}
	nodes := s.checkIDs(c, "node", ids(len(s.Nodes), func(i int) string { return s.Nodes[i].ID }))
	edges := s.checkIDs(c, "edge", ids(len(s.Edges), func(i int) string { return s.Edges[i].ID }))
	s.checkIDs(c, "origin", ids(len(s.Origins), func(i int) string { return s.Origins[i].ID }))

	for i := range s.Nodes {
		n := &s.Nodes[i]
		at := elemPath("node", i)
		required(c, at+".name", n.Name)
		required(c, at+".kind", n.Kind)
		s.checkFields(c, at, "node", reflect.ValueOf(n).Elem())
		if n.Kind == KindBorder && n.DeportFlightsPerWeek > 0 {
			c.add(at+".deport_flights_per_week", "must be 0 at a border node: deportation flights take people from a transit country's list, and those waiting at the US border are in the engine's waiting room (sim/wait.go)")
		}
	}
	for i := range s.Edges {
		e := &s.Edges[i]
		at := elemPath("edge", i)
		s.checkRef(c, at+".from", e.From, nodes)
		s.checkRef(c, at+".to", e.To, nodes)
		if e.From != "" && e.From == e.To {
			c.add(at+".to", "an edge must join two different nodes (from and to are both %q)", e.To)
		}
		required(c, at+".mode", e.Mode)
		required(c, at+".direction", e.Direction)
		s.checkFields(c, at, "edge", reflect.ValueOf(e).Elem())
	}
	for i := range s.Origins {
		o := &s.Origins[i]
		at := elemPath("origin", i)
		s.checkRef(c, at+".node", o.Node, nodes)
		required(c, at+".nationality", o.Nationality)
		if o.Elsewhere == "" && (o.Goal == GoalElsewhere || o.HomeShare < 1) {
			c.add(at+".elsewhere", "is missing: an origin whose goal is %q or whose home_share is below 1 needs an elsewhere destination", GoalElsewhere)
		}
		if o.SeasonAmplitude != 0 && o.SeasonPeakMonth == 0 {
			c.add(at+".season_peak_month", "is missing: a season_amplitude other than 0 needs a peak month (1-12)")
		}
		if o.SemiannualAmplitude != 0 && o.SemiannualPeakMonth == 0 {
			c.add(at+".semiannual_peak_month", "is missing: a semiannual_amplitude other than 0 needs a peak month (1-12)")
		}
		if sum := o.SeasonAmplitude + o.SemiannualAmplitude; sum > 1 && o.SeasonAmplitude <= 1 && o.SemiannualAmplitude <= 1 {
			c.add(at+".semiannual_amplitude", "with season_amplitude adds up to %g: the two together must be at most 1, or the rate would fall below 0", sum)
		}
		s.checkFields(c, at, "origin", reflect.ValueOf(o).Elem())
	}
	s.checkRef(c, "border.us.interior", s.Border.US.Interior, nodes)

	r := &s.Report
	if r.FocusNode != "" {
		s.checkRef(c, "report.focus_node", r.FocusNode, nodes)
	}
	for j, id := range r.Northbound {
		s.checkRef(c, "report.northbound["+strconv.Itoa(j)+"]", id, edges)
	}
	for j, id := range r.Southbound {
		s.checkRef(c, "report.southbound["+strconv.Itoa(j)+"]", id, edges)
	}
	s.checkObserved(c, nodes, edges)
	s.checkPolicies(c)
	s.checkGraph(c, nodes)
}

// elemPath is the internal path of element i of a table array.
func elemPath(sect string, i int) string {
	return sect + "[" + strconv.Itoa(i) + "]"
}

// required reports a missing string.
func required(c *collector, path, v string) {
	if v == "" {
		c.add(path, "is missing")
	}
}

// checkRef checks that a required reference names an element of idx.
func (s *Scenario) checkRef(c *collector, path, id string, idx map[string]int) {
	if id == "" {
		c.add(path, "is missing")
		return
	}
	if _, ok := idx[id]; !ok {
		what := "node"
		if strings.Contains(path, "northbound") || strings.Contains(path, "southbound") || strings.Contains(path, ".edges") {
			what = "edge"
		}
		c.add(path, "unknown %s %q%s", what, id, suggest(id, sortedKeys(idx)))
	}
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkIDs checks the ids of a table array and returns the index of the
// first element with each valid id.
func (s *Scenario) checkIDs(c *collector, sect string, ids []string) map[string]int {
	idx := make(map[string]int, len(ids))
	for i, id := range ids {
		at := elemPath(sect, i) + ".id"
		switch {
		case id == "":
			c.add(at, "is missing")
		case !validID(id):
			c.add(at, "%q: an id may hold only letters, digits, '-' and '_'", id)
		default:
			if j, dup := idx[id]; dup {
				c.add(at, "duplicate id %q (already used by the %s%s)", id, sect, s.lineOf(elemPath(sect, j)))
				continue
			}
			idx[id] = i
		}
	}
	return idx
}

// lineOf returns " at line N" for where path is written, or "".
func (s *Scenario) lineOf(path string) string {
	if s.src == nil {
		return ""
	}
	if p, ok := s.src.lookup(path); ok {
		return " at line " + strconv.Itoa(p.line)
	}
	return ""
}

// checkMeta checks the [scenario] table.
func (s *Scenario) checkMeta(c *collector) {
	m := &s.Meta
	switch {
	case m.Name == "":
		c.add("scenario.name", "is missing")
	case !validName(m.Name):
		c.add("scenario.name", "%q: a scenario name (used as a folder name) may hold only letters, digits, '-', '_' and '.', and may not start with '.'", m.Name)
	}
	if m.Start.IsZero() {
		c.add("scenario.start", "is missing")
	}
	if m.End.IsZero() {
		c.add("scenario.end", "is missing")
	}
	if !m.Start.IsZero() && !m.End.IsZero() && m.End.Before(m.Start) {
		c.add("scenario.end", "%s is before start (%s)", m.End.Format("2006-01-02"), m.Start.Format("2006-01-02"))
	}
	s.checkFields(c, "scenario", "scenario", reflect.ValueOf(m).Elem())
}

// validName reports whether a scenario name is safe as a folder name.
func validName(n string) bool {
	if n == "" || n[0] == '.' {
		return false
	}
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// checkFields checks the value of every field of a struct (rv) by its
// key's rule, and the keys of its cite table.
func (s *Scenario) checkFields(c *collector, path, sect string, rv reflect.Value) {
	t := rv.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		key := tagName(f)
		if !f.IsExported() || key == "" {
			continue
		}
		if key == "cite" {
			cite, _ := rv.Field(i).Interface().(map[string]string)
			keys := make([]string, 0, len(cite))
			for k := range cite {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			known := tagNames(t)
			for _, k := range keys {
				if k == "cite" || !slices.Contains(known, k) {
					c.add(path+".cite."+k, "cites unknown key %q%s", k, suggest(k, known))
				}
			}
			continue
		}
		if msg := s.checkValue(sect, key, rv.Field(i)); msg != "" {
			c.add(path+"."+key, "%s", msg)
		}
	}
}

// checkValue checks one value by its key's rule and returns what is wrong,
// or "". The rules:
//
//   - lat in [-90, 90], lon in [-180, 180];
//   - trend and giveup_* any finite number;
//   - season_peak_month and semiannual_peak_month in [1, 12], or 0 (no
//     season) when the origin's amplitude of that cycle is 0;
//     news_window_days at least 1;
//   - scale in (0, 1] with 1/scale whole;
//   - probabilities in [0, 1]: keys ending in _risk, _loss, _chance, _share
//     or _rate, starting with capsize_, and interception, apprehension,
//     asylum_access, initial_belief, season_amplitude and
//     semiannual_amplitude;
//   - every other number not negative;
//   - distributions as Dist.Check, and a duration at least 1 day;
//   - text parameters with a fixed set of values (kind, mode, direction,
//     spend, interception_to, goal) one of them; origin.elsewhere a node.
func (s *Scenario) checkValue(sect, key string, v reflect.Value) string {
	if v.Type() == distType {
		return distRule(key, v.Interface().(Dist))
	}
	switch v.Kind() {
	case reflect.Float64:
		return numberRule(key, v.Float())
	case reflect.Int:
		return numberRule(key, float64(v.Int()))
	case reflect.String:
		x := v.String()
		if x == "" {
			return ""
		}
		if allowed := enumValues(key); allowed != nil && !slices.Contains(allowed, x) {
			return fmt.Sprintf("must be one of %s (got %q)", strings.Join(allowed, ", "), x)
		}
		if sect == "origin" && key == "elsewhere" {
			for i := range s.Nodes {
				if s.Nodes[i].ID == x {
					return ""
				}
			}
			return fmt.Sprintf("unknown node %q", x)
		}
	}
	return ""
}

// enumValues returns the values a text key may take, or nil for any.
func enumValues(key string) []string {
	switch key {
	case "kind":
		return []string{KindOrigin, KindHub, KindCrossing, KindBorder, KindDestination}
	case "mode":
		return []string{"bus", "foot", "boat", "flight", "crossing"}
	case "direction":
		return []string{North, South}
	case "spend":
		return []string{"transport", "smuggler", "boat", "fee"}
	case "interception_to":
		return []string{"back", "origin"}
	case "goal":
		return []string{GoalUS, GoalElsewhere}
	}
	return nil
}

// isProbability reports whether a key holds a probability or share.
func isProbability(key string) bool {
	for _, suf := range []string{"_risk", "_loss", "_chance", "_share", "_rate"} {
		if strings.HasSuffix(key, suf) {
			return true
		}
	}
	switch key {
	case "interception", "apprehension", "asylum_access", "initial_belief", "season_amplitude", "semiannual_amplitude":
		return true
	}
	return strings.HasPrefix(key, "capsize_")
}

// numberRule checks a number by its key (see checkValue).
func numberRule(key string, v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Sprintf("must be a finite number (got %g)", v)
	}
	between := func(lo, hi float64) string {
		if v < lo || v > hi {
			return fmt.Sprintf("must be between %g and %g (got %g)", lo, hi, v)
		}
		return ""
	}
	switch {
	case key == "lat":
		return between(-90, 90)
	case key == "lon":
		return between(-180, 180)
	case key == "trend" || strings.HasPrefix(key, "giveup_"):
		return ""
	case key == "season_peak_month" || key == "semiannual_peak_month":
		if v == 0 {
			return "" // no season; Validate checks the amplitude is 0 too
		}
		return between(1, 12)
	case key == "news_window_days":
		if v < 1 {
			return fmt.Sprintf("must be at least 1 (got %g)", v)
		}
		return ""
	case key == "scale":
		if !(v > 0 && v <= 1) {
			return fmt.Sprintf("must be more than 0 and at most 1 (got %g)", v)
		}
		if inv := 1 / v; math.Abs(inv-math.Round(inv)) > 1e-9 {
			return fmt.Sprintf("1/scale must be a whole number of persons per agent (got 1/%g = %g)", v, inv)
		}
		return ""
	case isProbability(key):
		return between(0, 1)
	}
	if v < 0 {
		return fmt.Sprintf("must not be negative (got %g)", v)
	}
	return ""
}

// distRule checks a distribution by its key (see checkValue).
func distRule(key string, d Dist) string {
	if err := d.Check(); err != nil {
		return err.Error()
	}
	if key != "duration" {
		return ""
	}
	low := d.Value
	switch d.Kind {
	case DistUniform, DistTriangular:
		low = d.Min
	case DistLognormal:
		if d.Median < 1 {
			return fmt.Sprintf("must have a median of at least 1 day (got %g)", d.Median)
		}
		return ""
	}
	if low < 1 {
		return fmt.Sprintf("must be at least 1 day (got minimum %g)", low)
	}
	return ""
}

// checkObserved checks the [[observed]] entries.
func (s *Scenario) checkObserved(c *collector, nodes, edges map[string]int) {
	for i := range s.Observed {
		o := &s.Observed[i]
		at := elemPath("observed", i)
		required(c, at+".name", o.Name)
		required(c, at+".file", o.File)
		switch o.Quantity {
		case "":
			c.add(at+".quantity", "is missing")
		case "flow":
			if len(o.Edges) == 0 {
				c.add(at+".edges", "is missing: a flow needs the edges it sums")
			}
			for j, id := range o.Edges {
				s.checkRef(c, at+".edges["+strconv.Itoa(j)+"]", id, edges)
			}
		case "arrivals":
			s.checkRef(c, at+".node", o.Node, nodes)
		default:
			if !isColumnName(o.Quantity) {
				c.add(at+".quantity", "%q: want flow, arrivals or the name of a totals column", o.Quantity)
			}
		}
	}
}

// isColumnName reports whether q looks like a totals column name.
func isColumnName(q string) bool {
	for i, r := range q {
		if !(r >= 'a' && r <= 'z' || r == '_' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return q != ""
}

// checkPolicies checks every policy: its fields, its path, that its value
// suits the parameter, and that the value it gives the parameter obeys the
// parameter's own rule.
// fixedAtStart are the parameters the engine reads once, when a run
// starts: policies cannot change them.
var fixedAtStart = map[string]bool{
	"origin.pool": true, "origin.goal": true, "origin.elsewhere": true, "edge.spend": true,
}

// shared are the parameters that hold for everybody at once — capacities
// and the settings of the news — so a policy on them cannot be limited to
// one nationality.
var shared = map[string]bool{
	"node.meals": true, "node.beds": true, "node.deport_flights_per_week": true, "node.deport_seats_per_flight": true,
	"edge.capacity": true, "edge.boat_size": true, "edge.capsize_risk": true, "edge.capsize_fatality": true,
	"border.us.cbp_one_daily_slots": true, "border.us.cbp_one_earliest_share": true, "border.us.cbp_one_lead_days": true,
	"behaviour.initial_belief": true, "behaviour.news_delay_days": true, "behaviour.news_window_days": true,
	"behaviour.belief_news_rate": true, "behaviour.belief_home_rate": true, "behaviour.belief_local_rate": true,
	"behaviour.departure_elasticity": true,
}

func (s *Scenario) checkPolicies(c *collector) {
	nats := s.Nationalities()
	var scratch *Scenario
	for i := range s.Policies {
		p := &s.Policies[i]
		at := elemPath("policy", i)
		required(c, at+".name", p.Name)
		if p.Date.IsZero() {
			c.add(at+".date", "is missing")
		} else if !p.Until.IsZero() && !p.Until.After(p.Date) {
			c.add(at+".until", "%s must be after date (%s)", p.Until.Format("2006-01-02"), p.Date.Format("2006-01-02"))
		}
		if p.Nationality != "" && !slices.Contains(nats, p.Nationality) {
			c.add(at+".nationality", "%q is the nationality of no origin (they are %s)", p.Nationality, strings.Join(nats, ", "))
		}
		var given []string
		if p.Set != nil {
			given = append(given, "set")
		}
		if p.Scale != nil {
			given = append(given, "scale")
		}
		if p.Ramp != nil {
			given = append(given, "ramp")
		}
		fading := len(given) == 2 && p.Scale != nil && p.Ramp != nil
		switch {
		case len(given) == 0:
			c.add(at, "needs one of set, scale or ramp")
		case len(given) == 1, fading:
		default:
			c.add(at+"."+given[1], "give only one of set, scale or ramp, or a scale with a ramp (this policy has %s)", strings.Join(given, " and "))
		}
		if f := strings.Split(p.Path, "."); len(f) == 3 && f[0] == "node" && f[2] == "deport_flights_per_week" {
			if i := slices.IndexFunc(s.Nodes, func(n Node) bool { return n.ID == f[1] }); i >= 0 && s.Nodes[i].Kind == KindBorder {
				c.add(at+".path", "%s: a border node cannot have deportation flights (those waiting there are in the engine's waiting room, sim/wait.go)", p.Path)
			}
		}
		if p.Path == "" {
			c.add(at+".path", "is missing")
			continue
		}
		prm, err := s.param(p.Path)
		if err != nil {
			c.add(at+".path", "%v", err)
			continue
		}
		if prm.sect == "scenario" || fixedAtStart[prm.sect+"."+prm.key] {
			c.add(at+".path", "%s cannot change during a run", p.Path)
			continue
		}
		if p.Nationality != "" && shared[prm.sect+"."+prm.key] {
			c.add(at+".nationality", "%s is shared by all nationalities (a capacity or a setting of the news); a policy on it cannot be limited to %s", p.Path, p.Nationality)
		}
		if len(given) != 1 && !fading {
			continue
		}
		key, ok := s.checkPolicyValue(c, at, p, prm)
		if !ok {
			continue
		}
		// Apply the policy to a scratch copy and check the result by the
		// parameter's own rule.
		if scratch == nil {
			scratch = s.Clone()
		}
		sp, err := scratch.param(p.Path)
		if err != nil {
			continue
		}
		old := reflect.New(sp.v.Type()).Elem()
		old.Set(sp.v)
		// try applies a change to the scratch copy, blames key for what
		// is wrong with the result, and undoes it.
		try := func(key string, change func() error) {
			if err := change(); err != nil {
				c.add(key, "%v", err)
			} else if msg := scratch.checkValue(sp.sect, sp.key, sp.v); msg != "" {
				c.add(key, "%s: %s", sp.base, msg)
			}
			sp.v.Set(old)
		}
		try(key, func() error {
			switch {
			case p.Set != nil:
				return sp.set(p.Path, p.Set)
			case p.Scale != nil:
				return scratch.ScaleParam(p.Path, *p.Scale)
			}
			return sp.set(p.Path, p.Ramp.To)
		})
		if fading {
			// The factor the fading scale ends at must give a valid
			// value too.
			try(at+".ramp.to", func() error { return scratch.ScaleParam(p.Path, p.Ramp.To) })
		}
	}
}

// checkPolicyValue checks that the set, scale or ramp of a policy suits its
// parameter's kind, returning the key to blame for a value out of range.
func (s *Scenario) checkPolicyValue(c *collector, at string, p *Policy, prm param) (string, bool) {
	switch {
	case p.Set != nil:
		key := at + ".set"
		ok := false
		switch prm.kind {
		case Number, Integer:
			var f float64
			f, ok = asNumber(p.Set)
			if ok && prm.kind == Integer && f != math.Trunc(f) {
				c.add(key, "%s is an integer and cannot be set to %g", p.Path, f)
				return key, false
			}
		case Bool:
			_, ok = p.Set.(bool)
		case Text:
			_, ok = p.Set.(string)
		case Distribution:
			_, ok = p.Set.(Dist)
			if _, isNum := asNumber(p.Set); isNum {
				ok = true
			}
		}
		if !ok {
			c.add(key, "%s is %s and cannot be set to %s", p.Path, article(prm.kind), describe(p.Set))
		}
		return key, ok
	case p.Scale != nil:
		key := at + ".scale"
		if prm.kind != Number && prm.kind != Integer && prm.kind != Distribution {
			c.add(key, "%s is %s and cannot be scaled", p.Path, article(prm.kind))
			return key, false
		}
		if math.IsNaN(*p.Scale) || math.IsInf(*p.Scale, 0) {
			c.add(key, "must be a finite number (got %g)", *p.Scale)
			return key, false
		}
		if p.Ramp != nil { // a fading scale
			if p.Ramp.Days < 1 {
				c.add(at+".ramp.days", "must be at least 1 (got %d)", p.Ramp.Days)
			}
			if math.IsNaN(p.Ramp.To) || math.IsInf(p.Ramp.To, 0) {
				c.add(at+".ramp.to", "must be a finite number (got %g)", p.Ramp.To)
				return key, false
			}
		}
		return key, true
	default:
		key := at + ".ramp.to"
		ok := true
		if prm.kind == Distribution {
			c.add(at+".ramp", "%s is a distribution and cannot be ramped; ramp one of its parts (%s.%s)", p.Path, p.Path, strings.Join(distParts(prm.v.Interface().(Dist).Kind), ", "+p.Path+"."))
			ok = false
		} else if prm.kind != Number && prm.kind != Integer {
			c.add(at+".ramp", "%s is %s and cannot be ramped", p.Path, article(prm.kind))
			ok = false
		}
		if p.Ramp.Days < 1 {
			c.add(at+".ramp.days", "must be at least 1 (got %d)", p.Ramp.Days)
		}
		if math.IsNaN(p.Ramp.To) || math.IsInf(p.Ramp.To, 0) {
			c.add(key, "must be a finite number (got %g)", p.Ramp.To)
			ok = false
		}
		return key, ok
	}
}

// checkGraph checks that there are a border and an origin, and that, with
// the edges open at the start, every origin can reach its goal (a border
// node, or its elsewhere node) and get back home from every border node and
// from the US interior.
func (s *Scenario) checkGraph(c *collector, nodes map[string]int) {
	var borders []int
	for i := range s.Nodes {
		if s.Nodes[i].Kind == KindBorder {
			borders = append(borders, i)
		}
	}
	if len(borders) == 0 {
		c.add("node", "no node has kind %q: a scenario needs at least one", KindBorder)
	}
	if len(s.Origins) == 0 {
		c.add("origin", "a scenario needs at least one [[origin]]")
	}
	adj := make([][]int, len(s.Nodes))
	for _, e := range s.Edges {
		f, okF := nodes[e.From]
		t, okT := nodes[e.To]
		if e.Open && okF && okT {
			adj[f] = append(adj[f], t)
		}
	}
	cache := map[int][]bool{}
	reach := func(from int) []bool {
		if r, ok := cache[from]; ok {
			return r
		}
		r := make([]bool, len(s.Nodes))
		r[from] = true
		queue := []int{from}
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			for _, m := range adj[n] {
				if !r[m] {
					r[m] = true
					queue = append(queue, m)
				}
			}
		}
		cache[from] = r
		return r
	}
	interior, hasInterior := nodes[s.Border.US.Interior]
	for oi := range s.Origins {
		o := &s.Origins[oi]
		home, ok := nodes[o.Node]
		if !ok {
			continue
		}
		at := elemPath("origin", oi)
		r := reach(home)
		switch o.Goal {
		case GoalUS:
			found := len(borders) == 0
			for _, b := range borders {
				found = found || r[b]
			}
			if !found {
				c.add(at+".node", "origin %q: no open route from home %q to any border node", o.ID, o.Node)
			}
		case GoalElsewhere:
			if e, ok := nodes[o.Elsewhere]; ok && !r[e] {
				c.add(at+".elsewhere", "origin %q: no open route from home %q to %q", o.ID, o.Node, o.Elsewhere)
			}
		}
		for _, b := range borders {
			if !reach(b)[home] {
				c.add(at+".node", "origin %q: no open route back home to %q from border node %q", o.ID, o.Node, s.Nodes[b].ID)
			}
		}
		if hasInterior && !reach(interior)[home] {
			c.add(at+".node", "origin %q: no open route back home to %q from the US interior %q", o.ID, o.Node, s.Border.US.Interior)
		}
	}
}
