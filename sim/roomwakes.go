package sim

// The waiting room's wake tokens. Each entry of the room is filed under
// the day of its next wake (room.wakes[day]) by a token that carries its
// generation; a token whose entry was drawn anew or let go since is stale
// and is struck out when its day comes (wakeRoom). The day's order of the
// tokens is the order in which they were filed — the order of the batches
// that drew them — and fileParts keeps it while the batches write their
// tokens side by side.

// wakeToken files a room entry under the day of its wake.
type wakeToken struct {
	pos int32
	gen uint16 // a token lives at most waitHorizon days, far fewer than 2¹⁶ draws
}

// dayToken is a wakeToken and its day, filed after a parallel pass.
type dayToken struct {
	day int32
	tok wakeToken
}

// file files a wake token under its day (none past the last day).
func (m *Model) file(t dayToken) {
	if int(t.day) < m.days {
		m.room.wakes[t.day] = append(m.room.wakes[t.day], t.tok)
	}
}

// count counts the tokens toks, on day d (daycounts.go); those due before
// today count as due later: they are filed one by one.
func (c *dayCounts) count(toks []dayToken, d int) {
	*c = dayCounts{}
	for _, t := range toks {
		if o := int(t.day) - d; o >= 0 {
			c.add(o)
		} else {
			c.far++
		}
	}
}

// fileParts files the tokens of the parts of a pass — part(i) the tokens of
// part i, counts[i] their counts — as file would, one after the other in
// the order of the parts: each day's array is grown once to hold the
// day's new tokens, each part's places in it follow from the counts of the
// parts before it, and the parts write their tokens in parallel, while the
// tokens filed before are copied to the arrays that had to be made larger.
// Then those due later than daySpan days from today are filed in order
// (daycounts.go).
func (m *Model) fileParts(counts []dayCounts, part func(i int) []dayToken) {
	r, d := &m.room, m.day
	n := 0
	moved := r.moved[:0] // days whose tokens filed before move to a larger array
	for o := 0; o < daySpan && d+o < m.days; o++ {
		w := r.wakes[d+o]
		end := int32(len(w))
		for i := range counts {
			end = counts[i].place(o, end)
		}
		at := int(end)
		switch {
		case at == len(w):
			continue
		case at > cap(w):
			moved = append(moved, movedTokens{d + o, w})
			r.wakes[d+o] = makeHuge[wakeToken](at, grownCap(at, cap(w)))
		default:
			r.wakes[d+o] = w[:at]
		}
		n += at - len(w)
	}
	r.moved = moved
	m.forEach(len(counts)+len(moved), n, func(i int) {
		if i >= len(counts) {
			mv := &moved[i-len(counts)]
			copy(r.wakes[mv.day], mv.old)
			return
		}
		c := &counts[i]
		for _, t := range part(i) {
			if o := int(t.day) - d; o >= 0 && o < daySpan && int(t.day) < m.days {
				r.wakes[t.day][c.next(o)] = t.tok
			}
		}
	})
	clear(moved) // let the old arrays go
	for i := range counts {
		if counts[i].far == 0 {
			continue
		}
		for _, t := range part(i) {
			if o := int(t.day) - d; o < 0 || o >= daySpan {
				m.file(t)
			}
		}
	}
}

// movedTokens are the tokens filed before on a day whose array fileParts
// made larger.
type movedTokens struct {
	day int
	old []wakeToken
}
