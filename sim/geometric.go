package sim

import "math"

// Geometric gaps: the number of failures before the first success of daily
// trials of chance p, drawn from a uniform word u as ⌊ln(1 − u/2³²) /
// ln(1 − p)⌋ (inversion of the geometric law). The waiting room draws one
// for each kind of event at every wake (geometricDay), the stranded's
// nights one for each night of an event (gapOf).

// geometricDay returns the first success after day from of daily trials
// of chance p, from the uniform word u: from + 1 + ⌊ln(1−u)/ln(1−p)⌋ (the
// geometric law), or until+1 when that is later than until. The chance of
// a success within k days, 1 − (1−p)^k, is at most k·p, so u ≥ k·p rules
// one out without a logarithm.
func geometricDay(from, until int, u uint32, p float64) int {
	k := until - from
	if !(p > 0) || float64(u) >= float64(k)*p*(1<<32) {
		return until + 1
	}
	if p >= 1 {
		return from + 1
	}
	return from + 1 + int(min(geometricGap(u, p), float64(k)))
}

// lnUniform returns ln(1 − u/2³²), the logarithm of a uniform draw on
// (0, 1] made of the word u. 1 − u/2³² is exact in a float64, so math.Log
// (in assembly on amd64) is as accurate here as math.Log1p, and faster.
func lnUniform(u uint32) float64 {
	return math.Log(float64(uint64(1)<<32-uint64(u)) / (1 << 32))
}

// geometricGap returns ⌊lnUniform(u) / math.Log1p(−p)⌋ for 0 < p < 1,
// the very float64 that expression gives, mostly without its two
// logarithms (fastGap, with ln1mFast for the denominator).
func geometricGap(u uint32, p float64) float64 {
	if u != 0 {
		if g, ok := fastGap(u, ln1mFast(p)); ok {
			return g
		}
	}
	return math.Floor(lnUniform(u) / math.Log1p(-p))
}

// gapOf returns the gap ⌊lnUniform(u) / lnq⌋ before the next night of a
// chain of chance p, lnq = ln(1 − p), drawn from the word u: the number of
// failures before a success of daily trials of chance p (the geometric
// law). It gives the very float64 of that expression, mostly without the
// logarithm (fastGap).
func gapOf(u uint32, lnq float64) float64 {
	if u != 0 {
		if g, ok := fastGap(u, lnq); ok {
			return g
		}
	}
	return math.Floor(lnUniform(u) / lnq)
}

// fastGap returns ⌊lnFast(1 − u/2³²) / lnq⌋, and whether it is surely the
// floor that the exact quotient of lnUniform(u) and ln(1 − p) gives, for
// a denominator lnq within 10⁻¹⁰ of ln(1 − p) relative (ln1mFast is within
// a few 10⁻¹³): lnFast's error is a few 10⁻¹⁵, against 10⁻¹² allowed for
// here, and when no whole number lies within the allowance around the
// quotient, its floor is that of the exact quotient, whose own errors are
// a few ulps. The callers compute the exact expression otherwise (a
// quotient within the allowance of a whole number: a few draws in 10⁹ at
// the chances the scenarios use). TestGeometricGapAsTheLogarithms checks
// both callers against their expressions around every whole quotient of
// many chances; over all 2³² words at p = 0.3 and 0.0123 geometricGap gave
// the same float64 for every one. u must not be 0.
func fastGap(u uint32, lnq float64) (float64, bool) {
	y := lnFast(float64(uint64(1)<<32-uint64(u)), 32) / lnq
	d := y*1e-10 + 1e-12/-lnq + 1e-12
	lo := math.Floor(y - d)
	return lo, lo == math.Floor(y+d)
}

// lnFast returns ln(x·2^−shift) for a normal float64 x > 0, to within a
// few 10⁻¹⁵ plus 10⁻¹⁵ of its size: the exponent's multiple of ln 2, the
// step's logarithm (logSteps) and five terms of the series of ln(1 + r),
// |r| ≤ 1/512 (the sixth is below 10⁻¹⁷).
func lnFast(x float64, shift int) float64 {
	bits := math.Float64bits(x)
	e := int(bits>>52) - 1023 - shift
	s := &logSteps[(bits>>44)&0xFF]
	m := math.Float64frombits(bits&(1<<52-1) | 1023<<52)
	r := m*s.inv - 1
	return float64(e)*math.Ln2 + s.ln + r*(1+r*(-1./2+r*(1./3+r*(-1./4+r*(1./5)))))
}

// ln1mFast returns ln(1 − p) for 0 < p < 1 to within a few 10⁻¹³ of its
// size: the series −(p + p²/2 + … + p⁶/6) below 2⁻¹⁰ (the rest is below
// 10⁻¹⁸ of it), else lnFast of 1 − p, rounded by at most 2⁻⁵⁴, which is
// 2.3·10⁻¹³ of |ln(1 − p)| ≥ 9.8·10⁻⁴ at most.
func ln1mFast(p float64) float64 {
	if p < 1./1024 {
		return -p * (1 + p*(1./2+p*(1./3+p*(1./4+p*(1./5+p*(1./6))))))
	}
	return lnFast(1-p, 0)
}
