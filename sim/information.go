package sim

// Information: beliefs move toward what people hear.
//
// The news of a nationality is the share of its members' outcomes at the US
// border that were entries (through CBP One, between ports or by asylum)
// rather than failures (expulsion, removal, a voided appointment), over the
// recent past: successes and failures are each averaged over calendar days
// with an exponential moving average of weight 1/news_window_days — a day
// without outcomes counts as a day with none — and the news is the ratio of
// the two averages, shrunk toward the news of the day before by a prior
// worth news_prior_persons outcomes a day:
//
//	news(t) = (S + w × news(t−1)) / (S + F + w)
//
// with S and F the averaged successes and failures in persons a day, w the
// prior's weight, and news(−1) the initial belief. Averaging the counts
// rather than the daily shares, and counting them in persons, makes the
// news the same, in expectation, at every scale: thinning a run changes
// neither. The prior keeps a handful of outcomes — a nationality only a few
// have taken to the border yet, or a border where hardly anyone tries any
// more — from setting the news on their own; with no outcomes at all the
// news stays where it was. It reaches people news_delay_days later.
//
// An announcement can lift what people hear: the news heard is at least
// the nationality's announced_entry_chance (0 unless a dated policy sets
// it; the court ruling of November 2022 that was to end the expulsions of
// Title 42 in December is one).
//
// Would-be migrants at home move their belief toward the news at
// belief_home_rate a day; people on the way at belief_news_rate. People at a
// node also hear the stories of those heading back south there: each day
// their belief falls by belief_local_rate × (share of people at the node who
// are southbound, yesterday) × belief.

// newsTracker keeps each nationality's news signal and its history.
type newsTracker struct {
	succ, fail       []int64     // today's outcomes per nationality (agents)
	avgSucc, avgFail []float64   // moving averages of the daily counts
	signal           []float64   // current news per nationality
	history          [][]float64 // signal per nationality per day
}

func newNewsTracker(nats, days int, initial float64) *newsTracker {
	t := &newsTracker{
		succ: make([]int64, nats), fail: make([]int64, nats),
		avgSucc: make([]float64, nats), avgFail: make([]float64, nats),
		signal: make([]float64, nats), history: make([][]float64, nats),
	}
	for i := range t.signal {
		t.signal[i] = initial
		t.history[i] = make([]float64, days)
	}
	return t
}

// close folds day d's outcomes into the averages and stores the news;
// personsPer converts the agents counted to persons, and prior is the
// weight of the day before's news in persons a day.
func (t *newsTracker) close(d int, window int, personsPer int64, prior float64) {
	if window < 1 {
		window = 1
	}
	lambda := 1 / float64(window)
	k2p := float64(personsPer)
	for k := range t.signal {
		t.avgSucc[k] += lambda * (float64(t.succ[k]) - t.avgSucc[k])
		t.avgFail[k] += lambda * (float64(t.fail[k]) - t.avgFail[k])
		if n := (t.avgSucc[k]+t.avgFail[k])*k2p + prior; n > 0 {
			t.signal[k] = (t.avgSucc[k]*k2p + prior*t.signal[k]) / n
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
