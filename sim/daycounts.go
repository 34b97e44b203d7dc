package sim

// Filing by day in parallel. A pass's parts (chunks of the list, batches
// of wakes) file items under a day: journeys under their arrival day (the
// commit), wake tokens under their wake day (fileParts). To file them side
// by side in the order a sequential pass would give — part by part — each
// part counts its items due on each of the next daySpan days; a walk over
// the parts in order turns each day's counts into where each part's first
// item of the day goes (place); then each part writes its own (next).
// Items due later are few and filed one by one, in order: all the items of
// a day go one way or the other, so each day's order is kept.

// daySpan is the number of days, from today, whose items are placed from
// counts.
const daySpan = 64

// dayCounts counts a part's items due on each of the daySpan days from
// today, and those due later.
type dayCounts struct {
	near [daySpan]int32
	far  int
}

// add counts an item due o ≥ 0 days from today.
func (c *dayCounts) add(o int) {
	if o < daySpan {
		c.near[o]++
	} else {
		c.far++
	}
}

// place turns the count of day o into the place of the part's first item
// of the day, at (where the parts before it end), and returns where the
// part's items of the day end.
func (c *dayCounts) place(o int, at int32) int32 {
	k := c.near[o]
	c.near[o] = at
	return at + k
}

// next returns the place of the part's next item of day o.
func (c *dayCounts) next(o int) int32 {
	at := c.near[o]
	c.near[o]++
	return at
}
