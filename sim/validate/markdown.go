package validate

import (
	_ "embed"
	"fmt"
	"io"
	"math"
	"strings"
	"text/template"
)

//go:embed validation.md.tmpl
var markdownTemplate string

// Doc is what a Markdown validation report shows.
type Doc struct {
	// Command is the command line that wrote the report.
	Command string
	// Scenario, Hash and Calibration describe the scenario (its name, the
	// SHA-256 of its source, its [scenario] calibration note).
	Scenario, Hash, Calibration string
	// Version is migsim's version.
	Version string
	// Replicates, Seed and Scale describe the runs.
	Replicates int
	Seed       uint64
	Scale      float64
	// Comparisons and Checks are the results.
	Comparisons []*Comparison
	Checks      []CheckResult
	// Figures maps a series name to its figure's path relative to the
	// report; Bands lists the ensemble's band figures (caption, path).
	Figures map[string]string
	Bands   [][2]string
	// Notes is Markdown written by hand (what limits the fit, say), put
	// after the results; "" for none.
	Notes string
}

// WriteMarkdown writes the report.
func WriteMarkdown(w io.Writer, d Doc) error {
	funcs := template.FuncMap{
		"metric":    fmtMetric,
		"percent":   fmtPercent,
		"thousands": thousands,
		"value":     formatValue,
		"reported":  func(c Check) string { return describeReported(&c) },
		"periods":   periodWord,
		"date":      func(c Check) string { return c.From.Format("2006-01-02") + " – " + c.To.Format("2006-01-02") },
		"abs":       math.Abs,
		"short":     func(h string) string { return h[:min(12, len(h))] },
		"within": func(c *Comparison, tol float64) bool {
			m := c.MaxAbsYearErr()
			return !math.IsNaN(m) && m <= tol
		},
		"join": strings.Join,
		"div1": func(x float64) float64 { return 1 / x },
	}
	t, err := template.New("validation.md").Funcs(funcs).Parse(markdownTemplate)
	if err != nil {
		return fmt.Errorf("validate: the report template: %w", err)
	}
	if err := t.Execute(w, d); err != nil {
		return fmt.Errorf("validate: writing the report: %w", err)
	}
	return nil
}
