// Package calibrate fits chosen parameters of a scenario to observed series.
//
// A calibration file (TOML, see ReadSpec) declares the parameters to fit,
// each with bounds, and the objective. The optimiser (gonum's Nelder–Mead,
// or CMA-ES) works on unbounded coordinates z mapped into each parameter's
// bounds by a logistic function (on a log scale for log = true), so every
// point it tries is a valid scenario. The objective at a point is the mean,
// over a fixed set of replicate seeds (common random numbers: every point
// is judged on the same random streams), of a weighted sum of
// the metrics of package validate, computed on observations up to the
// calibration cut-off only: 2024-12-31 (validate.CalibrationEnd), or an
// earlier date the file gives. Runs stop at that date, so nothing after it
// is even simulated.
//
// The result is written as a new scenario: the original text with the
// fitted values put in place and a comment block saying how they were
// obtained (see Rewrite).
package calibrate
