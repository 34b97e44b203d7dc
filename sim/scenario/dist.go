package scenario

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/migsim/migsim/sim/rng"
)

// Distribution kinds.
const (
	DistFixed      = "fixed"
	DistUniform    = "uniform"
	DistTriangular = "triangular"
	DistLognormal  = "lognormal"
)

// Dist is a probability distribution of a non-negative quantity (a cost in
// USD, a duration in days, a budget). In TOML it is written as
//
//	cost = 45                                  # fixed
//	cost = { min = 40, max = 50 }              # uniform
//	duration = { min = 5, mode = 6, max = 10 } # triangular
//	budget = { median = 1500, sigma = 0.5 }    # lognormal (sigma of the log)
type Dist struct {
	Kind   string
	Value  float64 // fixed
	Min    float64 // uniform, triangular
	Mode   float64 // triangular
	Max    float64 // uniform, triangular
	Median float64 // lognormal
	Sigma  float64 // lognormal
}

// Fixed returns the distribution that always gives v.
func Fixed(v float64) Dist { return Dist{Kind: DistFixed, Value: v} }

// UnmarshalTOML implements toml.Unmarshaler.
func (d *Dist) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case int64:
		*d = Fixed(float64(x))
		return nil
	case float64:
		*d = Fixed(x)
		return nil
	case map[string]any:
		num := func(k string) (float64, bool, error) {
			raw, ok := x[k]
			if !ok {
				return 0, false, nil
			}
			switch n := raw.(type) {
			case int64:
				return float64(n), true, nil
			case float64:
				return n, true, nil
			}
			return 0, true, fmt.Errorf("%s must be a number, not %T", k, raw)
		}
		var keys []string
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			switch k {
			case "value", "min", "mode", "max", "median", "sigma":
			default:
				return fmt.Errorf("unknown distribution key %q (use value, min/max, min/mode/max or median/sigma)", k)
			}
		}
		vals := map[string]float64{}
		for _, k := range keys {
			f, _, err := num(k)
			if err != nil {
				return err
			}
			vals[k] = f
		}
		has := func(ks ...string) bool {
			if len(ks) != len(keys) {
				return false
			}
			for _, k := range ks {
				if _, ok := vals[k]; !ok {
					return false
				}
			}
			return true
		}
		switch {
		case has("value"):
			*d = Fixed(vals["value"])
		case has("min", "max"):
			*d = Dist{Kind: DistUniform, Min: vals["min"], Max: vals["max"]}
		case has("min", "mode", "max"):
			*d = Dist{Kind: DistTriangular, Min: vals["min"], Mode: vals["mode"], Max: vals["max"]}
		case has("median", "sigma"):
			*d = Dist{Kind: DistLognormal, Median: vals["median"], Sigma: vals["sigma"]}
		default:
			return fmt.Errorf("distribution keys {%s} do not make a distribution (use value, min/max, min/mode/max or median/sigma)", strings.Join(keys, ", "))
		}
		return nil
	}
	return fmt.Errorf("a distribution must be a number or a table, not %T", v)
}

// Check reports what is wrong with the distribution's parameters, or nil.
func (d Dist) Check() error {
	for _, v := range [...]float64{d.Value, d.Min, d.Mode, d.Max, d.Median, d.Sigma} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("must have finite parameters (got %s)", d)
		}
	}
	switch d.Kind {
	case DistFixed:
		if d.Value < 0 || math.IsNaN(d.Value) {
			return fmt.Errorf("must not be negative (got %g)", d.Value)
		}
	case DistUniform:
		if d.Min < 0 || d.Max < d.Min {
			return fmt.Errorf("needs 0 <= min <= max (got min %g, max %g)", d.Min, d.Max)
		}
	case DistTriangular:
		if d.Min < 0 || d.Mode < d.Min || d.Max < d.Mode {
			return fmt.Errorf("needs 0 <= min <= mode <= max (got %g, %g, %g)", d.Min, d.Mode, d.Max)
		}
	case DistLognormal:
		if d.Median <= 0 || d.Sigma < 0 {
			return fmt.Errorf("needs median > 0 and sigma >= 0 (got median %g, sigma %g)", d.Median, d.Sigma)
		}
	case "":
		return fmt.Errorf("is missing")
	default:
		return fmt.Errorf("unknown distribution kind %q", d.Kind)
	}
	return nil
}

// Mean returns the expected value.
func (d Dist) Mean() float64 {
	switch d.Kind {
	case DistUniform:
		return (d.Min + d.Max) / 2
	case DistTriangular:
		return (d.Min + d.Mode + d.Max) / 3
	case DistLognormal:
		return d.Median * math.Exp(d.Sigma*d.Sigma/2)
	}
	return d.Value
}

// Scaled returns the distribution with every location parameter multiplied
// by f (the shape, sigma, is kept).
func (d Dist) Scaled(f float64) Dist {
	d.Value *= f
	d.Min *= f
	d.Mode *= f
	d.Max *= f
	d.Median *= f
	return d
}

// Words returns the number of random 32-bit words one draw takes: none for
// a fixed value, two (one 53-bit uniform) for a uniform or triangular, four
// (two uniforms, Box–Muller) for a lognormal.
func (d Dist) Words() int {
	switch d.Kind {
	case DistUniform, DistTriangular:
		return 2
	case DistLognormal:
		return 4
	}
	return 0
}

// SampleWords draws one value from the words w (Words() of them), exactly
// as Sample draws from a stream whose next words they are.
func (d Dist) SampleWords(w []uint32) float64 {
	switch d.Kind {
	case DistUniform:
		return d.Min + (d.Max-d.Min)*rng.Uniform(w[0], w[1])
	case DistTriangular:
		return triangular(d.Min, d.Mode, d.Max, rng.Uniform(w[0], w[1]))
	case DistLognormal:
		u1 := 1 - rng.Uniform(w[0], w[1]) // (0, 1]
		u2 := rng.Uniform(w[2], w[3])
		return d.Median * math.Exp(d.Sigma*(math.Sqrt(-2*math.Log(u1))*math.Cos(2*math.Pi*u2)))
	}
	return d.Value
}

// Sample draws one value using the stream.
func (d Dist) Sample(s *rng.Stream) float64 {
	var w [4]uint32
	n := d.Words()
	for i := 0; i < n; i++ {
		w[i] = s.Uint32()
	}
	return d.SampleWords(w[:n])
}

// triangular inverts the triangular CDF at u.
func triangular(a, c, b, u float64) float64 {
	if b <= a {
		return a
	}
	f := (c - a) / (b - a)
	if u < f {
		return a + math.Sqrt(u*(b-a)*(c-a))
	}
	return b - math.Sqrt((1-u)*(b-a)*(b-c))
}

// String renders the distribution as it is written in TOML.
func (d Dist) String() string {
	switch d.Kind {
	case DistUniform:
		return fmt.Sprintf("{ min = %g, max = %g }", d.Min, d.Max)
	case DistTriangular:
		return fmt.Sprintf("{ min = %g, mode = %g, max = %g }", d.Min, d.Mode, d.Max)
	case DistLognormal:
		return fmt.Sprintf("{ median = %g, sigma = %g }", d.Median, d.Sigma)
	}
	return fmt.Sprintf("%g", d.Value)
}

// CDF returns P(X ≤ x), the chance that a draw is at most x.
func (d Dist) CDF(x float64) float64 {
	switch d.Kind {
	case DistUniform:
		switch {
		case x >= d.Max:
			return 1
		case x < d.Min:
			return 0
		}
		return (x - d.Min) / (d.Max - d.Min)
	case DistTriangular:
		a, c, b := d.Min, d.Mode, d.Max
		switch {
		case x >= b:
			return 1
		case x < a:
			return 0
		case x <= c:
			return (x - a) * (x - a) / ((b - a) * (c - a))
		}
		return 1 - (b-x)*(b-x)/((b-a)*(b-c))
	case DistLognormal:
		if x <= 0 {
			return 0
		}
		if d.Sigma == 0 {
			if x >= d.Median {
				return 1
			}
			return 0
		}
		return 0.5 * math.Erfc(-math.Log(x/d.Median)/(d.Sigma*math.Sqrt2))
	}
	if x >= d.Value {
		return 1
	}
	return 0
}

// Quantile returns the value at which the CDF reaches p, for 0 < p ≤ 1:
// Quantile(U) with U uniform on (0, 1] is a draw of the distribution, and
// Quantile(U·CDF(x)) a draw conditioned on being at most x.
func (d Dist) Quantile(p float64) float64 {
	switch d.Kind {
	case DistUniform:
		return d.Min + p*(d.Max-d.Min)
	case DistTriangular:
		return triangular(d.Min, d.Mode, d.Max, p)
	case DistLognormal:
		return d.Median * math.Exp(-d.Sigma*math.Sqrt2*math.Erfcinv(2*p))
	}
	return d.Value
}
