package sim

// Information: beliefs move toward what people hear.
//
// The news of a nationality is a moving average of what happened to its
// members at the US border: the share of outcomes there that were entries
// (through CBP One, between ports or by asylum) rather than failures
// (expulsion, removal, a voided appointment, giving up at the border). It is
// an exponential moving average with weight 1/news_window_days, and it
// reaches people news_delay_days later. Days without outcomes leave it as it
// was; before anybody reaches the border it is the initial belief.
//
// Would-be migrants at home move their belief toward the news at
// belief_home_rate a day; people on the way at belief_news_rate. People at a
// node also hear the stories of those heading back south there: each day
// their belief falls by belief_local_rate × (share of people at the node who
// are southbound, yesterday) × belief.

// newsTracker keeps each nationality's news signal and its history.
type newsTracker struct {
	succ, fail []int64     // today's outcomes per nationality (agents)
	signal     []float64   // current moving average per nationality
	history    [][]float64 // signal per nationality per day
}

func newNewsTracker(nats, days int, initial float64) *newsTracker {
	t := &newsTracker{succ: make([]int64, nats), fail: make([]int64, nats), signal: make([]float64, nats), history: make([][]float64, nats)}
	for i := range t.signal {
		t.signal[i] = initial
		t.history[i] = make([]float64, days)
	}
	return t
}

// close folds day d's outcomes into the signal and stores it.
func (t *newsTracker) close(d int, window int) {
	if window < 1 {
		window = 1
	}
	lambda := 1 / float64(window)
	for k := range t.signal {
		if n := t.succ[k] + t.fail[k]; n > 0 {
			r := float64(t.succ[k]) / float64(n)
			t.signal[k] += lambda * (r - t.signal[k])
		}
		t.history[k][d] = t.signal[k]
		t.succ[k], t.fail[k] = 0, 0
	}
}

// heard returns the news of nationality k as heard on day d (delayed).
func (t *newsTracker) heard(k, d, delay int, initial float64) float64 {
	src := d - 1 - delay // signal closed at the end of that day
	if src < 0 {
		return initial
	}
	return t.history[k][src]
}

// updateBelief returns a traveller's belief after one day of news and local
// stories.
func updateBelief(b, news, southShare float64, bh *behaviourRates) float64 {
	b += bh.news * (news - b)
	b -= bh.local * southShare * b
	if b < 0 {
		return 0
	}
	if b > 1 {
		return 1
	}
	return b
}

// behaviourRates caches the belief rates of the day's common parameters.
type behaviourRates struct {
	news, local, home float64
}
