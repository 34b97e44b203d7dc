package sim

import "slices"

// The commit: the seat holders set off, and everybody who set off today is
// filed under the day they arrive, in the pending lists, in a fixed order
// that the arrivals read back; the emptied arrays of journeys are kept for
// reuse.

// commitMoves sets off the seat holders (in parallel) and files, in a fixed
// order — the decisions' chunks in order, then the seat holders in the
// order the seats were given — everybody who set off today under the day
// of their arrival, copying their records from the active list.
func (m *Model) commitMoves(d int) {
	seated := m.seatMoves
	cs := m.cut(&m.movePool, len(seated))
	if len(seated) > 0 {
		m.each(cs, func(c *chunk) {
			// The travel blocks of each batch, drawn at once.
			var ids [batch]uint32
			var travel [batch][4]uint32
			for lo := c.lo; lo < c.hi; lo += batch {
				group := seated[lo:min(lo+batch, c.hi)]
				for j, b := range group {
					ids[j] = uint32(m.active[b.pos].id)
				}
				blocksOf(m.seed, ids[:len(group)], d, purposeTravel, func(j int, b [4]uint32) { travel[j] = b })
				for j, b := range group {
					m.setOff(c, &m.active[b.pos], b.pos, b.e, d, &travel[j])
				}
			}
		})
	}
	// Each journey's place in the array of the journeys filed today for
	// its arrival day, in chunk order: from counts per chunk and day for
	// the next daySpan days (daycounts.go), one by one for those due later.
	// Then one array per arrival day, of the size needed (an emptied array
	// is reused first), and the records copied to their places in
	// parallel. Filing a day's journeys in arrays of their own, rather than
	// growing one array per arrival day, copies no record twice.
	all := slices.Concat(m.chunks[:m.nchunks], cs)
	n := 0
	for _, c := range all {
		n += len(c.moves)
	}
	m.forEach(len(all), n, func(j int) {
		c := all[j]
		c.due = dayCounts{}
		for _, mv := range c.moves {
			if int(mv.due) < m.days {
				c.due.add(int(mv.due) - d)
			}
		}
	})
	end := grow(m.dueCount, m.days)
	clear(end)
	flows := make([]int64, len(m.w.edges))
	far := false
	for o := 1; o < daySpan && d+o < m.days; o++ {
		at := int32(0)
		for _, c := range all {
			at = c.due.place(o, at)
		}
		end[d+o] = at
	}
	for _, c := range all {
		far = far || c.due.far > 0
		m.travelling += int64(len(c.moves))
		for e, f := range c.flows {
			flows[e] += f
		}
	}
	if far {
		for _, c := range all {
			if c.due.far == 0 {
				continue
			}
			c.dst = grow(c.dst, len(c.moves))
			for i, mv := range c.moves {
				if o := int(mv.due) - d; o >= daySpan && int(mv.due) < m.days {
					c.dst[i] = end[mv.due]
					end[mv.due]++
				}
			}
		}
	}
	m.dueCount = end
	for day := d + 1; day < m.days; day++ {
		if k := int(end[day]); k > 0 {
			m.pending[day] = append(m.pending[day], m.takeSpare(k))
		}
	}
	m.forEach(len(all), n, func(j int) {
		c := all[j]
		for i, mv := range c.moves {
			if int(mv.due) >= m.days {
				continue
			}
			var at int32
			if o := int(mv.due) - d; o < daySpan {
				at = c.due.next(o)
			} else {
				at = c.dst[i]
			}
			p := m.pending[mv.due]
			p[len(p)-1][at] = m.active[mv.pos]
		}
	})
	for _, c := range cs {
		m.dayTally.absorb(c)
	}
	m.flows[d] = flows
	m.seatMoves = seated[:0]
}

// journeys are the records of the agents due to arrive on one day, in the
// order they were filed: one array per day of filing.
type journeys [][]slot

// maxSpare is the most emptied arrays of journeys kept for reuse.
const maxSpare = 8

// takeSpare returns an array of n journeys: an emptied one, if one is kept
// with room for n entries and not an eighth more (its room is held until
// the journeys arrive), else a new one; the spares passed over are let go.
func (m *Model) takeSpare(n int) []slot {
	for len(m.spare) > 0 {
		p := m.spare[len(m.spare)-1]
		m.spare = m.spare[:len(m.spare)-1]
		if cap(p) >= n && cap(p) <= n+n/8+64 {
			return p[:n]
		}
	}
	return makeHuge[slot](n, n)
}

// keepSpare keeps an emptied array of journeys for reuse, up to maxSpare.
func (m *Model) keepSpare(p []slot) {
	if len(m.spare) < maxSpare {
		m.spare = append(m.spare, p[:0])
	}
}
