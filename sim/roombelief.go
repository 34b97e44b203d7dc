package sim

// The waiting room's beliefs. A sleeper's belief follows the news and the
// local stories day by day like anyone's (information.go), but is worked
// out only when the sleeper wakes or is drawn anew: the room keeps each
// day's inputs (keepDay) and a wake catches the belief up from the day its
// record was last current (beliefsAt), four entries at a time.

// keepBelief gives entry e the belief b it has at the end of day d (from
// beliefsAt, which leaves it unclamped) and makes the record current as of
// day d.
func (e *roomEntry) keepBelief(d int, b float64) {
	e.belief = float32(min(1, max(0, b)))
	e.last = uint16(max(int(e.last), d))
}

// dayOfNews returns belief b after a day of news: b moves towards the news
// heard at the news rate, then keeps the share keep the local stories of
// those heading south leave (keepDay). It stays in [0, 1]: the rates and
// the shares are in [0, 1].
func dayOfNews(b, rate, news, keep float64) float64 {
	return keep * (b + rate*(news-b))
}

// beliefsAt sets out[j] to the belief of the entry at poss[j] (at most
// wakeBatchSize) at the end of day d, before it is kept as a float32 in
// [0, 1]: the days' updates since the entry's record was current, one
// after the other (dayOfNews). Each day's update waits for the one before
// (four floating-point operations in a row), so one entry alone leaves the
// core idle most of the time: the entries are worked out four at a time,
// their updates overlapping, the same operations in the same order for each
// (TestBeliefsAtGivesBeliefAt compares them with the entries done one by
// one). The entries are taken in the order of the days they have to catch
// up, so that the four of a group mostly start together.
func (m *Model) beliefsAt(poss []int32, d int, out []float64) {
	r := &m.room
	// The order: a counting sort by days to catch up, most first (the
	// first bucket holds all from 63 up; the order changes only how the
	// groups are made, not the numbers).
	const buckets = 64
	var count [buckets + 1]int
	var key [wakeBatchSize]uint8
	for j, pos := range poss {
		key[j] = uint8(buckets - 1 - min(max(d-int(r.entries[pos].last), 0), buckets-1))
		count[key[j]+1]++
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	var order [wakeBatchSize]int32
	ord := order[:len(poss)]
	for j := range poss {
		ord[count[key[j]]] = int32(j)
		count[key[j]]++
	}
	series := func(j int32) (b float64, lo int, news, keep []float64) {
		e := &r.entries[poss[j]]
		k := m.w.groups[e.group].nat
		return float64(e.belief), int(e.last) + 1, r.news[k*m.days : k*m.days+d+1], r.keep[int(e.node)*m.days : int(e.node)*m.days+d+1]
	}
	rates := r.newsRate[:d+1]
	for g := 0; g < len(ord); g += 4 {
		// An idle lane (past the last entry) starts after day d.
		b0, lo0, n0, k0 := series(ord[g])
		b1, lo1, n1, k1 := 0.0, d+1, n0, k0
		b2, lo2, n2, k2 := 0.0, d+1, n0, k0
		b3, lo3, n3, k3 := 0.0, d+1, n0, k0
		if g+1 < len(ord) {
			b1, lo1, n1, k1 = series(ord[g+1])
		}
		if g+2 < len(ord) {
			b2, lo2, n2, k2 = series(ord[g+2])
		}
		if g+3 < len(ord) {
			b3, lo3, n3, k3 = series(ord[g+3])
		}
		// Of the length of rates, so that t indexes them without checks.
		n0, n1, n2, n3 = n0[:len(rates)], n1[:len(rates)], n2[:len(rates)], n3[:len(rates)]
		k0, k1, k2, k3 = k0[:len(rates)], k1[:len(rates)], k2[:len(rates)], k3[:len(rates)]
		for t := max(min(lo0, lo1, lo2, lo3), 0); t < len(rates); t++ {
			rate := rates[t]
			if t >= lo0 {
				b0 = dayOfNews(b0, rate, n0[t], k0[t])
			}
			if t >= lo1 {
				b1 = dayOfNews(b1, rate, n1[t], k1[t])
			}
			if t >= lo2 {
				b2 = dayOfNews(b2, rate, n2[t], k2[t])
			}
			if t >= lo3 {
				b3 = dayOfNews(b3, rate, n3[t], k3[t])
			}
		}
		for i, b := range [4]float64{b0, b1, b2, b3} {
			if g+i < len(ord) {
				out[ord[g+i]] = b
			}
		}
	}
}

// keepDay keeps day d's inputs to beliefs (before the decisions).
func (m *Model) keepDay(d int) {
	r := &m.room
	for k, v := range m.todayNews {
		r.news[k*m.days+d] = v
	}
	for n, v := range m.southShare {
		r.keep[n*m.days+d] = 1 - m.rates.local*v
	}
	r.newsRate[d] = m.rates.news
}
