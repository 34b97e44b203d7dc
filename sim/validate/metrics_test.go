package validate

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// TestARD checks the averaged relative difference against a hand sum:
// periods with obs > 0 are 100, 100 and 40, with relative differences
// 10/100, 10/100 and 10/40, whose mean is 0.45/3 = 0.15; the period with
// obs = 0 is left out.
func TestARD(t *testing.T) {
	ard, n := ARD([]float64{110, 90, 7, 50}, []float64{100, 100, 0, 40})
	if n != 3 || !near(ard, 0.15, 1e-15) {
		t.Errorf("ARD = %g over %d points, want 0.15 over 3", ard, n)
	}
	if ard, n := ARD([]float64{1, 2}, []float64{0, 0}); n != 0 || !math.IsNaN(ard) {
		t.Errorf("ARD with no positive observation = %g, %d; want NaN, 0", ard, n)
	}
}

// TestLogRMSE: with sim + 1 = e² (obs + 1) at one of two points and equal
// values at the other, the log differences are 2 and 0, so the RMSE is
// √((4 + 0)/2) = √2.
func TestLogRMSE(t *testing.T) {
	e2 := math.Exp(2)
	got := LogRMSE([]float64{e2*10 - 1, 5}, []float64{9, 5})
	if !near(got, math.Sqrt2, 1e-12) {
		t.Errorf("LogRMSE = %.15g, want √2", got)
	}
	// Zeros are finite: ln(1+0) = 0, and ln(1 + (e−1)) = 1.
	if got := LogRMSE([]float64{math.E - 1}, []float64{0}); !near(got, 1, 1e-12) {
		t.Errorf("LogRMSE at a zero observation = %g, want 1", got)
	}
	if !math.IsNaN(LogRMSE(nil, nil)) {
		t.Error("LogRMSE of nothing is not NaN")
	}
}

// TestPearson: x = 1..4, y = (1, 3, 2, 4): deviations (−1.5, −.5, .5, 1.5)
// and (−1.5, .5, −.5, 1.5) give Σxy = 4, Σx² = Σy² = 5, so r = 0.8.
func TestPearson(t *testing.T) {
	cases := []struct {
		x, y []float64
		want float64
	}{
		{[]float64{1, 2, 3, 4}, []float64{1, 3, 2, 4}, 0.8},
		{[]float64{1, 2, 3}, []float64{2, 4, 6}, 1},
		{[]float64{1, 2, 3}, []float64{3, 2, 1}, -1},
	}
	for _, c := range cases {
		if got := Pearson(c.x, c.y); !near(got, c.want, 1e-12) {
			t.Errorf("Pearson(%v, %v) = %g, want %g", c.x, c.y, got, c.want)
		}
	}
	if !math.IsNaN(Pearson([]float64{1, 2}, []float64{3, 3})) || !math.IsNaN(Pearson([]float64{1}, []float64{1})) {
		t.Error("Pearson of a constant series or one point is not NaN")
	}
}

func TestRelErrAndMeasure(t *testing.T) {
	if got := RelErr(110, 100); !near(got, 0.1, 1e-15) {
		t.Errorf("RelErr(110, 100) = %g", got)
	}
	if got := RelErr(80, 100); !near(got, -0.2, 1e-15) {
		t.Errorf("RelErr(80, 100) = %g", got)
	}
	if !math.IsNaN(RelErr(1, 0)) {
		t.Error("RelErr against 0 is not NaN")
	}
	m := Measure([]float64{1, 3, 2, 4}, []float64{1, 2, 3, 4})
	// |0|/1, 1/2, 1/3, 0 → (0.5 + 1/3)/4; logs: ln(4/3), ln(3/4) → √(2 ln²(4/3)/4).
	if m.N != 4 || m.ARDPoints != 4 || !near(m.ARD, (0.5+1.0/3)/4, 1e-15) ||
		!near(m.LogRMSE, math.Sqrt(2*math.Pow(math.Log(4.0/3), 2)/4), 1e-12) || !near(m.Pearson, 0.8, 1e-12) {
		t.Errorf("Measure = %+v", m)
	}
}
