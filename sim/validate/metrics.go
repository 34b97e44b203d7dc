package validate

import (
	"math"
	"time"
)

// The metrics compare a simulated series sim with an observed series obs of
// the same length N, point by point (a point is a month or a day).

// ARD returns the averaged relative difference, as Flee reports it for a
// single location:
//
//	ARD = (1/N₊) Σ_{t : obs_t > 0} |sim_t − obs_t| / obs_t
//
// where N₊ is the number of points with obs_t > 0, also returned. Points
// where nothing was observed (obs_t = 0) are left out: a relative difference
// is undefined there. (Flee sums over locations before dividing,
// Σ_i |sim_i − obs_i| / Σ_i obs_i at each time, and averages that over time;
// with one location the two are the same.) It returns NaN when N₊ = 0.
func ARD(sim, obs []float64) (ard float64, n int) {
	var s float64
	for t := range obs {
		if obs[t] > 0 {
			s += math.Abs(sim[t]-obs[t]) / obs[t]
			n++
		}
	}
	if n == 0 {
		return math.NaN(), 0
	}
	return s / float64(n), n
}

// LogRMSE returns the root mean square error on log counts,
//
//	LogRMSE = √( (1/N) Σ_t (ln(1 + sim_t) − ln(1 + obs_t))² )
//
// with natural logarithms; the 1 keeps zeros finite. A value of 0.35 means
// a typical point is off by a factor of about e^0.35 ≈ 1.4. It returns NaN
// for N = 0.
func LogRMSE(sim, obs []float64) float64 {
	if len(obs) == 0 {
		return math.NaN()
	}
	var s float64
	for t := range obs {
		d := math.Log1p(sim[t]) - math.Log1p(obs[t])
		s += d * d
	}
	return math.Sqrt(s / float64(len(obs)))
}

// Pearson returns Pearson's correlation coefficient of x and y,
//
//	r = Σ (x_t − x̄)(y_t − ȳ) / √( Σ (x_t − x̄)² Σ (y_t − ȳ)² )
//
// or NaN when there are fewer than two points or either series is
// constant.
func Pearson(x, y []float64) float64 {
	n := len(x)
	if n < 2 {
		return math.NaN()
	}
	var mx, my float64
	for t := range x {
		mx += x[t]
		my += y[t]
	}
	mx /= float64(n)
	my /= float64(n)
	var sxy, sxx, syy float64
	for t := range x {
		dx, dy := x[t]-mx, y[t]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return sxy / math.Sqrt(sxx*syy)
}

// RelErr returns the relative error (sim − obs) / obs of a total, or NaN
// when obs is 0.
func RelErr(sim, obs float64) float64 {
	if obs == 0 {
		return math.NaN()
	}
	return (sim - obs) / obs
}

// Metrics are the point-by-point metrics of one comparison.
type Metrics struct {
	// N is the number of points compared.
	N int
	// ARD is the averaged relative difference over the ARDPoints points
	// with a positive observed value.
	ARD       float64
	ARDPoints int
	// LogRMSE is the root mean square error on log counts.
	LogRMSE float64
	// Pearson is the correlation of the simulated and observed values.
	Pearson float64
}

// Measure computes the metrics of sim against obs (of equal length).
func Measure(sim, obs []float64) Metrics {
	ard, n := ARD(sim, obs)
	return Metrics{N: len(obs), ARD: ard, ARDPoints: n, LogRMSE: LogRMSE(sim, obs), Pearson: Pearson(sim, obs)}
}

// CalibrationEnd returns the last day of the calibration window,
// 2024-12-31: observations after it are a forecast's test, and calibration
// never uses them.
func CalibrationEnd() time.Time { return time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC) }
