package bands

import (
	"math"
	"time"

	"gonum.org/v1/plot"
)

// calendarTicker puts ticks on calendar boundaries: every step months (or
// every 7 days when step is 0), labelled with plot.TimeTicks.
type calendarTicker struct{ months int }

// Ticks implements plot.Ticker.
func (c calendarTicker) Ticks(lo, hi float64) []plot.Tick {
	tlo := time.Unix(int64(math.Floor(lo)), 0).UTC()
	thi := time.Unix(int64(math.Ceil(hi)), 0).UTC()
	var t time.Time
	if c.months == 0 {
		t = time.Date(tlo.Year(), tlo.Month(), tlo.Day(), 0, 0, 0, 0, time.UTC)
	} else {
		m := (int(tlo.Month()) - 1) / c.months * c.months
		t = time.Date(tlo.Year(), time.Month(m+1), 1, 0, 0, 0, 0, time.UTC)
	}
	var ticks []plot.Tick
	for ; !t.After(thi); t = c.next(t) {
		if !t.Before(tlo) {
			ticks = append(ticks, plot.Tick{Value: float64(t.Unix()), Label: "|"})
		}
	}
	return ticks
}

func (c calendarTicker) next(t time.Time) time.Time {
	if c.months == 0 {
		return t.AddDate(0, 0, 7)
	}
	return t.AddDate(0, c.months, 0)
}

// calendarTicks chooses ticks and a date format for a period of days.
func calendarTicks(days int) plot.TimeTicks {
	c, layout := calendarTicker{months: 12}, "2006"
	switch {
	case days <= 62:
		c, layout = calendarTicker{}, "2 Jan"
	case days <= 400:
		c, layout = calendarTicker{months: 1}, "Jan 2006"
	case days <= 1100:
		c, layout = calendarTicker{months: 3}, "Jan 2006"
	}
	return plot.TimeTicks{Ticker: c, Format: layout, Time: plot.UTCUnixTime}
}
