package validate

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Series is an observed series: one value per period, a period being a
// calendar month or a day.
type Series struct {
	// File names the file the series was read from, for messages.
	File string
	// Column is the header of the value column (e.g. "crossings").
	Column string
	// Monthly is true for a series of months, false for one of days.
	Monthly bool
	// Periods are the first days of the periods, in increasing order.
	Periods []time.Time
	// Values are the observed counts, one per period.
	Values []float64
}

// PeriodEnd returns the last day of the period that starts on p.
func (s *Series) PeriodEnd(p time.Time) time.Time {
	if s.Monthly {
		return p.AddDate(0, 1, -1)
	}
	return p
}

// Until returns the part of s whose periods end on or before the date
// until (all of s when until is the zero time), and the number of periods
// left out.
func (s *Series) Until(until time.Time) (*Series, int) {
	if until.IsZero() {
		return s, 0
	}
	out := &Series{File: s.File, Column: s.Column, Monthly: s.Monthly}
	for i, p := range s.Periods {
		if s.PeriodEnd(p).After(until) {
			continue
		}
		out.Periods = append(out.Periods, p)
		out.Values = append(out.Values, s.Values[i])
	}
	return out, len(s.Periods) - len(out.Periods)
}

// ReadSeries reads an observed series in CSV from r; file names it in error
// messages. The format:
//
//   - The first line is a header. The first column is "month" (values
//     written YYYY-MM) or "date" (values written YYYY-MM-DD); the second
//     column holds the observed count of persons in that month or on that
//     day, under any header (e.g. "crossings"). Further columns (a source_id,
//     a note) are ignored.
//   - Each further line is one period. A count is a number ≥ 0; an empty
//     count or NA means "not observed" and the period is skipped. A period
//     may appear only once; lines may come in any order.
//   - Lines starting with # are comments.
//
// Every error names the file, the line and the column.
func ReadSeries(file string, r io.Reader) (*Series, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty file: want a header line such as month,crossings", file)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	line, _ := cr.FieldPos(0)
	if len(header) < 2 {
		return nil, fmt.Errorf("%s:%d: header %q: want at least two columns, a period (month or date) and a count", file, line, strings.Join(header, ","))
	}
	s := &Series{File: file, Column: strings.TrimSpace(header[1])}
	switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(header[0], "\ufeff"))) {
	case "month":
		s.Monthly = true
	case "date":
	default:
		return nil, fmt.Errorf("%s:%d: column 1 header %q: want month (YYYY-MM) or date (YYYY-MM-DD)", file, line, header[0])
	}
	if s.Column == "" {
		return nil, fmt.Errorf("%s:%d: column 2 has no header: name the count (e.g. crossings)", file, line)
	}
	layout, what, form := "2006-01-02", "date", "YYYY-MM-DD"
	if s.Monthly {
		layout, what, form = "2006-01", "month", "YYYY-MM"
	}
	seen := map[time.Time]int{}
	type row struct {
		p time.Time
		v float64
	}
	var rows []row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) < 2 {
			return nil, fmt.Errorf("%s:%d: %d column(s): want a %s and a count", file, line, len(rec), what)
		}
		p, err := time.Parse(layout, strings.TrimSpace(rec[0]))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: column %s: %q is not a %s written %s", file, line, header[0], rec[0], what, form)
		}
		if prev, ok := seen[p]; ok {
			return nil, fmt.Errorf("%s:%d: column %s: %s already given on line %d", file, line, header[0], rec[0], prev)
		}
		seen[p] = line
		txt := strings.TrimSpace(rec[1])
		if txt == "" || strings.EqualFold(txt, "NA") {
			continue
		}
		v, err := strconv.ParseFloat(txt, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s:%d: column %s: %q is not a number", file, line, s.Column, txt)
		}
		if v < 0 {
			return nil, fmt.Errorf("%s:%d: column %s: %g is negative; a count is ≥ 0", file, line, s.Column, v)
		}
		rows = append(rows, row{p, v})
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no observed values", file)
	}
	slices.SortFunc(rows, func(a, b row) int { return a.p.Compare(b.p) })
	for _, r := range rows {
		s.Periods = append(s.Periods, r.p)
		s.Values = append(s.Values, r.v)
	}
	return s, nil
}

// ParseSeries is ReadSeries on bytes already read.
func ParseSeries(file string, data []byte) (*Series, error) {
	return ReadSeries(file, bytes.NewReader(data))
}
