package validate

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/migsim/migsim/sim"
	"github.com/migsim/migsim/sim/ensemble"
)

// Statistics a check computes over its period.
const (
	// StatSum is the sum of the daily values over the period (the value on
	// its last day for a state).
	StatSum = "sum"
	// StatDailyMean is the mean of the daily values over the period.
	StatDailyMean = "daily_mean"
	// StatChange is the relative change of the sum over the period from the
	// sum over the reference period: sum / reference − 1.
	StatChange = "change"
)

// Relations between a simulated value and the figure a source reports.
const (
	// About: the source gives an approximate value.
	About = "about"
	// AtLeast: the source gives a lower bound.
	AtLeast = "at_least"
	// AtMost: the source gives an upper bound.
	AtMost = "at_most"
)

// Check compares a simulated quantity over a period with a figure reported
// in a source: a sanity check of a forecast, not a fitting target.
type Check struct {
	// Name identifies the check; Label describes it in a table.
	Name  string `toml:"name"`
	Label string `toml:"label"`
	// Quantity, Edges and Node say what is measured, as in Quantity.
	Quantity string   `toml:"quantity"`
	Edges    []string `toml:"edges"`
	Node     string   `toml:"node"`
	// From and To are the first and last days of the period.
	From time.Time `toml:"from"`
	To   time.Time `toml:"to"`
	// Statistic is sum (the default), daily_mean or change.
	Statistic string `toml:"statistic"`
	// RefFrom and RefTo bound the reference period of a change.
	RefFrom time.Time `toml:"ref_from"`
	RefTo   time.Time `toml:"ref_to"`
	// Reported is the figure the source reports (for a change, a fraction:
	// −0.98 for "98 % below"); leave it out for a quantity merely shown.
	Reported *float64 `toml:"reported"`
	// Relation is about (the default), at_least or at_most.
	Relation string `toml:"relation"`
	// Source is the source id of the figure; Note says what it says.
	Source string `toml:"source"`
	Note   string `toml:"note"`
}

// Measured returns the quantity the check measures.
func (c *Check) Measured() Quantity { return Quantity{Kind: c.Quantity, Edges: c.Edges, Node: c.Node} }

// ReadChecks parses a checks file: [[check]] tables with the keys of Check.
// Errors name the file, the line and the key.
func ReadChecks(file string, data []byte) ([]Check, error) {
	var doc struct {
		Check []Check `toml:"check"`
	}
	md, err := toml.Decode(string(data), &doc)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d: %s", file, pe.Position.Line, pe.Message)
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var errs []error
	fail := func(i int, key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: check[%d].%s: %s", file, keyLine(data, "check", i, key), i, key, fmt.Sprintf(format, args...)))
	}
	for _, k := range md.Undecoded() {
		path := k.String()
		if len(k) >= 2 && k[0] == "check" {
			// The index is not in the key; find the first element that has it.
			i := 0
			for ; i < len(doc.Check); i++ {
				if l := keyLine(data, "check", i, k[1]); l > 0 && l != keyLine(data, "check", i, "") {
					break
				}
			}
			fail(i, k[1], "unknown key")
			continue
		}
		errs = append(errs, fmt.Errorf("%s: %s: unknown key (a checks file holds [[check]] tables only)", file, path))
	}
	if len(doc.Check) == 0 && len(errs) == 0 {
		return nil, fmt.Errorf("%s: no [[check]] tables", file)
	}
	seen := map[string]bool{}
	for i := range doc.Check {
		c := &doc.Check[i]
		if c.Name == "" {
			fail(i, "name", "is missing")
		} else if seen[c.Name] {
			fail(i, "name", "%q is used twice", c.Name)
		}
		seen[c.Name] = true
		if c.Label == "" {
			c.Label = c.Name
		}
		if c.Quantity == "" {
			fail(i, "quantity", "is missing")
		}
		if c.From.IsZero() || c.To.IsZero() {
			fail(i, "from", "from and to are both required")
		} else if c.To.Before(c.From) {
			fail(i, "to", "%s is before from (%s)", c.To.Format("2006-01-02"), c.From.Format("2006-01-02"))
		}
		switch c.Statistic {
		case "":
			c.Statistic = StatSum
		case StatSum, StatDailyMean:
		case StatChange:
			if c.RefFrom.IsZero() || c.RefTo.IsZero() || c.RefTo.Before(c.RefFrom) {
				fail(i, "ref_from", "a change needs ref_from and ref_to, in order")
			}
		default:
			fail(i, "statistic", "%q: want sum, daily_mean or change", c.Statistic)
		}
		switch c.Relation {
		case "":
			c.Relation = About
		case About, AtLeast, AtMost:
		default:
			fail(i, "relation", "%q: want about, at_least or at_most", c.Relation)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return doc.Check, nil
}

// CheckResult is a check evaluated on an ensemble.
type CheckResult struct {
	Check
	// Sim is the simulated value: 5 %, 50 % and 95 % quantiles over the
	// replicates.
	Sim ensemble.Interval
}

// Verdict says in a few words how the simulated median compares with the
// reported figure: "consistent", or how far off it is.
func (r *CheckResult) Verdict() string {
	if r.Reported == nil {
		return "(no figure reported)"
	}
	rep, m := *r.Reported, r.Sim.Q50
	if r.Statistic == StatChange {
		d := 100 * (m - rep)
		switch {
		case r.Relation == AtLeast && m >= rep, r.Relation == AtMost && m <= rep, math.Abs(d) <= 5:
			return "consistent"
		}
		return fmt.Sprintf("off by %+.0f points", d)
	}
	switch r.Relation {
	case AtLeast:
		if m >= rep {
			return "consistent (at least)"
		}
	case AtMost:
		if m <= rep {
			return "consistent (at most)"
		}
	default:
		if rep > 0 && m >= rep/2 && m <= 2*rep {
			return "consistent (within a factor of 2)"
		}
	}
	if rep <= 0 {
		return "off"
	}
	if m == 0 {
		return "none simulated"
	}
	if m > rep {
		return "too high (×" + strconv.FormatFloat(m/rep, 'f', 1, 64) + ")"
	}
	return "too low (×" + strconv.FormatFloat(m/rep, 'f', 2, 64) + ")"
}

// Evaluate computes each check over the results.
func Evaluate(checks []Check, results []*sim.Result) ([]CheckResult, error) {
	var out []CheckResult
	for _, c := range checks {
		vals := make([]float64, len(results))
		for k, r := range results {
			v, err := c.value(r)
			if err != nil {
				return nil, fmt.Errorf("check %s: %w", c.Name, err)
			}
			vals[k] = v
		}
		out = append(out, CheckResult{Check: c, Sim: ensemble.Summarize(vals)})
	}
	return out, nil
}

// value computes the check's statistic on one run.
func (c *Check) value(r *sim.Result) (float64, error) {
	q := c.Measured()
	daily, err := Daily(r, q)
	if err != nil {
		return 0, err
	}
	sum := func(from, to time.Time) (float64, int, error) {
		lo, hi := dayOf(r.Start, from), dayOf(r.Start, to)
		if lo < 0 || hi >= len(daily) {
			return 0, 0, fmt.Errorf("%s to %s is outside the run (%s + %d days)", from.Format("2006-01-02"), to.Format("2006-01-02"), r.Start.Format("2006-01-02"), r.Days)
		}
		if q.IsState() && c.Statistic != StatDailyMean {
			return daily[hi], hi - lo + 1, nil
		}
		var s float64
		for d := lo; d <= hi; d++ {
			s += daily[d]
		}
		return s, hi - lo + 1, nil
	}
	s, n, err := sum(c.From, c.To)
	if err != nil {
		return 0, err
	}
	switch c.Statistic {
	case StatDailyMean:
		return s / float64(n), nil
	case StatChange:
		ref, _, err := sum(c.RefFrom, c.RefTo)
		if err != nil {
			return 0, err
		}
		if ref == 0 {
			return math.NaN(), nil
		}
		return s/ref - 1, nil
	}
	return s, nil
}

// describeReported writes the reported figure with its relation.
func describeReported(c *Check) string {
	if c.Reported == nil {
		return "—"
	}
	v := formatValue(*c.Reported, c.Statistic)
	switch c.Relation {
	case AtLeast:
		return "≥ " + v
	case AtMost:
		return "≤ " + v
	}
	return "≈ " + v
}

// formatValue writes a check value: a change as a percentage, a daily mean
// with one decimal, a sum as a whole number with thousands separators.
func formatValue(v float64, stat string) string {
	switch {
	case math.IsNaN(v):
		return "NA"
	case stat == StatChange:
		return strconv.FormatFloat(100*v, 'f', 1, 64) + " %"
	case stat == StatDailyMean:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return thousands(v)
}

// thousands writes v rounded to a whole number with commas between
// thousands.
func thousands(v float64) string {
	if math.IsNaN(v) {
		return "NA"
	}
	s := strconv.FormatFloat(math.Abs(math.Round(v)), 'f', 0, 64)
	var b strings.Builder
	if v < 0 && math.Round(v) != 0 {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
