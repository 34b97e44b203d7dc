package validate

import (
	"os"
	"strings"
	"testing"
	"time"
)

func month(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }

func TestReadSeriesMonthly(t *testing.T) {
	src := "# a comment\nmonth,crossings,source_id\n2021-02,20,X\n2021-01, 10 ,X\n2021-03,NA,X\n2021-04,,X\n2021-05,2.5,X\n"
	s, err := ParseSeries("m.csv", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if !s.Monthly || s.Column != "crossings" {
		t.Errorf("Monthly %v, Column %q", s.Monthly, s.Column)
	}
	want := []time.Time{month(2021, 1), month(2021, 2), month(2021, 5)}
	wantV := []float64{10, 20, 2.5}
	if len(s.Periods) != 3 {
		t.Fatalf("periods %v, want %v (NA and empty skipped, sorted)", s.Periods, want)
	}
	for i := range want {
		if !s.Periods[i].Equal(want[i]) || s.Values[i] != wantV[i] {
			t.Errorf("period %d = %v %g, want %v %g", i, s.Periods[i], s.Values[i], want[i], wantV[i])
		}
	}
	if e := s.PeriodEnd(month(2021, 2)); !e.Equal(time.Date(2021, 2, 28, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("end of February 2021 = %v", e)
	}
	cut, n := s.Until(time.Date(2021, 2, 27, 0, 0, 0, 0, time.UTC))
	if n != 2 || len(cut.Periods) != 1 || !cut.Periods[0].Equal(month(2021, 1)) {
		t.Errorf("Until(27 Feb) kept %v, dropped %d; want January only, 2 dropped", cut.Periods, n)
	}
}

func TestReadSeriesDaily(t *testing.T) {
	s, err := ParseSeries("d.csv", []byte("date,arrivals\n2025-06-01,100\n2025-06-02,120\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Monthly || len(s.Periods) != 2 || s.Values[1] != 120 || !s.PeriodEnd(s.Periods[0]).Equal(s.Periods[0]) {
		t.Errorf("daily series read as %+v", s)
	}
}

func TestReadSeriesErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{"", "b.csv: empty file"},
		{"week,n\n", "b.csv:1: column 1 header \"week\": want month (YYYY-MM) or date (YYYY-MM-DD)"},
		{"month\n", "b.csv:1: header \"month\": want at least two columns"},
		{"month,\n2021-01,1\n", "b.csv:1: column 2 has no header"},
		{"month,n\n2021-01,1\n2021-13,2\n", "b.csv:3: column month: \"2021-13\" is not a month written YYYY-MM"},
		{"date,n\n2021-01,1\n", "b.csv:2: column date: \"2021-01\" is not a date written YYYY-MM-DD"},
		{"month,n\n2021-01,x\n", "b.csv:2: column n: \"x\" is not a number"},
		{"month,n\n2021-01,-3\n", "b.csv:2: column n: -3 is negative"},
		{"month,n\n2021-01,1\n2021-01,2\n", "b.csv:3: column month: 2021-01 already given on line 2"},
		{"month,n\n2021-01\n", "b.csv:2: 1 column(s)"},
		{"month,n\n2021-01,NA\n", "b.csv: no observed values"},
	}
	for _, c := range cases {
		_, err := ParseSeries("b.csv", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want it to contain %q", c.src, err, c.want)
		}
	}
}

// The shipped Darién series sums to the annual totals data/README.md gives.
func TestShippedDarienSeries(t *testing.T) {
	data, err := os.ReadFile("../../scenarios/data/darien_monthly_2021_2024.csv")
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseSeries("darien", data)
	if err != nil {
		t.Fatal(err)
	}
	sums := map[int]float64{}
	for i, p := range s.Periods {
		sums[p.Year()] += s.Values[i]
	}
	want := map[int]float64{2021: 133726, 2022: 248284, 2023: 520085, 2024: 302203}
	for y, w := range want {
		if sums[y] != w {
			t.Errorf("%d: %g, want %g", y, sums[y], w)
		}
	}
	if len(s.Periods) != 48 || !s.Monthly {
		t.Errorf("%d periods, monthly %v", len(s.Periods), s.Monthly)
	}
}
