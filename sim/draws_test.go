package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"

	"github.com/migsim/migsim/sim/rng"
	"github.com/migsim/migsim/sim/scenario"
)

// block is the first block of the stream rng.New gives for the same keys:
// the same four words as its first four Uint32 calls.
func TestBlockIsTheStreamsFirstBlock(t *testing.T) {
	seeds := []uint64{0, 1, 42, 1<<32 + 7, math.MaxUint64}
	entities := []uint64{0, 1, 123456, 1 << 31, entityOrigin + 3, entityBoat + 200, math.MaxUint32}
	for _, seed := range seeds {
		for _, e := range entities {
			for _, day := range []int{0, 1, 365, 1825, 65000} {
				for _, p := range []rng.Purpose{purposeDaily, purposeBorderDay, purposeSeat, 1, 0xffff} {
					s := rng.New(seed, e, day, p)
					want := [4]uint32{s.Uint32(), s.Uint32(), s.Uint32(), s.Uint32()}
					if got := block(seed, e, day, p); got != want {
						t.Fatalf("block(%d, %d, %d, %d) = %x, want %x", seed, e, day, p, got, want)
					}
				}
			}
		}
	}
}

// chance(u, p) succeeds for exactly ceil(p·2³²) of the 2³² words: check
// the edges of the range and the boundary word.
func TestChance(t *testing.T) {
	for _, tt := range []struct {
		u    uint32
		p    float64
		want bool
	}{
		{0, 0, false}, {0, -1, false}, {0, math.NaN(), false},
		{math.MaxUint32, 1, true}, {math.MaxUint32, 2, true}, {0, 1e-300, true},
		{1 << 31, 0.5, false}, {1<<31 - 1, 0.5, true},
		{42, 43.0 / (1 << 32), true}, {43, 43.0 / (1 << 32), false},
		{math.MaxUint32, 1 - 1.0/(1<<32), false}, {math.MaxUint32 - 1, 1 - 1.0/(1<<32), true},
	} {
		if got := chance(tt.u, tt.p); got != tt.want {
			t.Errorf("chance(%d, %v) = %v, want %v", tt.u, tt.p, got, tt.want)
		}
	}
}

func BenchmarkBlock(b *testing.B) {
	var x uint32
	for i := 0; i < b.N; i++ {
		w := block(1, uint64(i), 100, purposeDaily)
		x ^= w[0] ^ w[3]
	}
	sinkWord = x
}

var sinkWord uint32

// logisticChance decides as chance(u, logistic(x)) does, and
// logisticChanceOver as chance(u, logistic(x)/b), for logits from
// very negative to positive and words across the whole range, the
// boundary word included.
func TestLogisticChance(t *testing.T) {
	xs := []float64{-60, -30, -12, -8.5, -5, -2, -0.5, -1e-6, 0, 1e-6, 0.3, 2, 9}
	for _, x := range xs {
		p := logistic(x)
		edge := uint32(math.Min(math.Ceil(p*(1<<32)), math.MaxUint32))
		words := []uint32{0, 1, 2, edge - 1, edge, edge + 1, 1 << 20, 1 << 28, 1 << 31, math.MaxUint32}
		for i := uint32(0); i < 2000; i++ {
			words = append(words, block(5, uint64(i), 0, purposeDaily)[0], i*2654435761)
		}
		for _, u := range words {
			if got, want := logisticChance(u, x), chance(u, p); got != want {
				t.Fatalf("logisticChance(%d, %v) = %v, chance(u, %v) = %v", u, x, got, p, want)
			}
		}
		// Over a bound: at the words around each bound's own edge too.
		for _, b := range []float64{1, 0.9, 0.5, 0.1, 1e-3, p, p * 1.0000001, math.Nextafter(p, 2), 0.3 * p} {
			q := p / b
			e := uint32(math.Min(math.Ceil(q*(1<<32)), math.MaxUint32))
			for _, u := range append(words, e-1, e, e+1) {
				if got, want := logisticChanceOver(u, x, b), chance(u, q); got != want {
					t.Fatalf("logisticChanceOver(%d, %v, %v) = %v, chance(u, %v) = %v", u, x, b, got, q, want)
				}
			}
		}
	}
}

func BenchmarkBlockLoop(b *testing.B) {
	ids := make([]int32, 4096)
	out := make([][4]uint32, 4096)
	for i := range ids {
		ids[i] = int32(i * 7919)
	}
	seed := uint64(12345)
	b.ResetTimer()
	for n := 0; n < b.N; n += len(ids) {
		for i, a := range ids {
			out[i] = block(seed, uint64(a), n, purposeDaily)
		}
	}
}

// The agent record is 16 bytes: four to a cache line, none straddling two.
func TestAgentRecordSize(t *testing.T) {
	if n := unsafe.Sizeof(agent{}); n != 16 {
		t.Errorf("agent record is %d bytes, want 16", n)
	}
}

// pair draws what two Dist.Sample calls on the same stream draw, for every
// pair of distribution kinds (one block, or the stream when they need more
// words).
func TestPairDrawsAsDistSample(t *testing.T) {
	dists := []scenario.Dist{
		scenario.Fixed(7),
		{Kind: scenario.DistUniform, Min: 2, Max: 5},
		{Kind: scenario.DistTriangular, Min: 1, Mode: 2, Max: 9},
		{Kind: scenario.DistTriangular, Min: 3, Mode: 3, Max: 3},
		{Kind: scenario.DistLognormal, Median: 400, Sigma: 0.8},
	}
	for _, x := range dists {
		for _, y := range dists {
			dx, dy := compileDist(x), compileDist(y)
			for a := uint64(0); a < 300; a++ {
				s := rng.New(11, a, 40, purposeTravel)
				wantX, wantY := x.Sample(&s), y.Sample(&s)
				gotX, gotY := pair(&dx, &dy, nil, 11, a, 40, purposeTravel)
				if gotX != wantX || gotY != wantY {
					t.Fatalf("%v then %v, agent %d: pair = %v, %v; Dist.Sample = %v, %v", x, y, a, gotX, gotY, wantX, wantY)
				}
				// The same with the first block drawn ahead, as the
				// decisions draw it for a batch.
				fb := block(11, a, 40, purposeTravel)
				if gotX, gotY := pair(&dx, &dy, &fb, 11, a, 40, purposeTravel); gotX != wantX || gotY != wantY {
					t.Fatalf("%v then %v, agent %d, block drawn ahead: pair = %v, %v; Dist.Sample = %v, %v", x, y, a, gotX, gotY, wantX, wantY)
				}
			}
		}
	}
}

// dailyBlocks gives, word by word, the blocks block gives.
func TestDailyBlocks(t *testing.T) {
	for _, n := range []int{1, 2, 16, 17, 255, 256} {
		list := make([]slot, n)
		for i := range list {
			list[i].id = int32(i*7919 + 3)
		}
		var ids [batch]uint32
		var words [4][batch]uint32
		w := [4][]uint32{words[0][:], words[1][:], words[2][:], words[3][:]}
		d := n % 400
		dailyBlocks(77, list, d, ids[:], &w)
		for i, s := range list {
			b := block(77, uint64(s.id), d, purposeDaily)
			for j := range b {
				if words[j][i] != b[j] {
					t.Fatalf("n %d: word %d of agent %d's daily block %#x, block gives %#x", n, j, s.id, words[j][i], b[j])
				}
			}
		}
	}
}

func BenchmarkDailyBlocks(b *testing.B) {
	list := make([]slot, batch)
	for i := range list {
		list[i].id = int32(i * 7919)
	}
	var ids [batch]uint32
	var words [4][batch]uint32
	w := [4][]uint32{words[0][:], words[1][:], words[2][:], words[3][:]}
	for n := 0; n < b.N; n++ {
		dailyBlocks(12345, list, n, ids[:], &w)
	}
}

// threshold decides every trial as chance does: for probabilities at the
// edges and random ones, and for the words around the cut.
func TestThresholdIsChance(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6)) // test data only
	ps := []float64{0, -1, 1, 2, math.NaN(), math.Inf(1), math.Inf(-1), 0.5, 1e-12, 1 - 1e-12, 0x1p-32, 0x1p-33, 3 * 0x1p-32}
	for i := 0; i < 2000; i++ {
		ps = append(ps, r.Float64(), r.Float64()*1e-6)
	}
	for _, p := range ps {
		th := threshold(p)
		us := []uint32{0, 1, 1<<32 - 1, 1 << 31}
		for k := -2; k <= 2; k++ {
			if v := int64(th) + int64(k); v >= 0 && v < 1<<32 {
				us = append(us, uint32(v))
			}
		}
		for j := 0; j < 20; j++ {
			us = append(us, r.Uint32())
		}
		for _, u := range us {
			if got, want := uint64(u) < th, chance(u, p); got != want {
				t.Fatalf("p %v, word %d: threshold %d says %v, chance %v", p, u, th, got, want)
			}
		}
	}
}

// cents rounds usd·100 as math.Round does, halfway cases, negatives,
// huge values and the non-finite included.
func TestCentsIsRound(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8)) // test data only
	xs := []float64{0, math.Copysign(0, -1), 0.005, 0.015, 0.025, -0.005, -0.015, 0.49999999999999994 / 100, 1e300, -1e300, 0x1p52, 0x1p53 + 1, math.NaN(), math.Inf(1), math.Inf(-1)}
	for i := 0; i < 100000; i++ {
		xs = append(xs, r.Float64()*1000, -r.Float64()*10, float64(r.IntN(1000000))/200, float64(r.IntN(1000))+0.5)
	}
	for _, usd := range xs {
		want := int64(math.Round(usd * 100))
		if got := cents(usd); got != want {
			t.Fatalf("cents(%v) = %d, math.Round gives %d", usd, got, want)
		}
	}
}

// drawWakeBlocks and drawAdmitBlocks give, block by block, the blocks
// block gives for the purposes of a wake and of an admission, for those
// whose need asks for them, and leave the others as they were.
func TestDrawWakeBlocks(t *testing.T) {
	for _, n := range []int{1, 15, 16, 17, wakeBatchSize} {
		ids := make([]uint32, n)
		need := make([]uint8, n)
		for i := range ids {
			ids[i] = uint32(i*104729 + 5)
			need[i] = []uint8{0, needWake, needWake | needMore, needMore, needChains, needMore | needChains}[i*7%6]
		}
		out := make([]wakeDraws, n)
		drawWakeBlocks(13, ids, need, 77, out)
		for i, id := range ids {
			var want wakeDraws
			if need[i]&needWake != 0 {
				want.wake = block(13, uint64(id), 77, purposeWake)
				want.wait = block(13, uint64(id), 77, purposeWait)
			}
			if need[i]&needMore != 0 {
				want.more = block(13, uint64(id), 77, purposeWaitMore)
			}
			if out[i] != want {
				t.Fatalf("%d ids, #%d (agent %d, need %b): %v, want %v", n, i, id, need[i], out[i], want)
			}
		}
		adm := make([]admitDraws, n)
		drawAdmitBlocks(13, ids, need, 77, adm)
		for i, id := range ids {
			want := admitDraws{wait: block(13, uint64(id), 77, purposeWait)}
			if need[i]&needMore != 0 {
				want.more = block(13, uint64(id), 77, purposeWaitMore)
			}
			if need[i]&needChains != 0 {
				for k, p := range strandedChains() {
					want.chains[k] = block(13, uint64(id), 77, p)
				}
			}
			if adm[i] != want {
				t.Fatalf("admissions: %d ids, #%d (agent %d, need %b): %v, want %v", n, i, id, need[i], adm[i], want)
			}
		}
	}
}

// The gaps' table gives, word for word, the gap the logarithm gives: at
// and around each of its entries, and at a million words spread over the
// range, for chances from 0.05 to 0.99.
func TestGapTableGivesGapOf(t *testing.T) {
	for _, p := range []float64{0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.9, 0.99} {
		tab := newGapTable(p)
		lnq := math.Log1p(-p)
		check := func(u uint32) {
			if uint64(u) >= tab[len(tab)-1] {
				return
			}
			if got, want := tab.gap(u), gapOf(u, lnq); float64(got) != want {
				t.Fatalf("p = %g, word %d: table gap %d, gapOf %g", p, u, got, want)
			}
		}
		for k, e := range tab {
			if e < 1<<32 && gapOf(uint32(e), lnq) < float64(k+1) {
				t.Fatalf("p = %g: entry %d (%d) gives gap %g < %d", p, k, e, gapOf(uint32(e), lnq), k+1)
			}
			if e > 0 && e <= 1<<32 && gapOf(uint32(e-1), lnq) >= float64(k+1) {
				t.Fatalf("p = %g: entry %d (%d) is not the least word of gap %d", p, k, e, k+1)
			}
			for du := -3; du <= 3; du++ {
				if u := int64(e) + int64(du); u >= 0 && u < 1<<32 {
					check(uint32(u))
				}
			}
		}
		for i := uint64(0); i < 1_000_000; i++ {
			check(uint32(i * 4294967291 % (1 << 32)))
		}
	}
	if newGapTable(0.01) != nil || newGapTable(1) != nil || newGapTable(0) != nil {
		t.Error("tables for chances outside [0.05, 1)")
	}
}

// TestDeparturesAsOneByOne: the day's departures, counted and created in
// parts side by side, are the agents the rule creates one candidate after
// the other — each group's candidates draw their budgets in turn from the
// group's stream of the day (Sample), and those whose budget covers the
// need leave, in the order of the groups, with the next ids — for each kind
// of distribution, with groups whose candidates fill a few parts, one part
// and a few, and fewer than a part, with one worker and with two.
func TestDeparturesAsOneByOne(t *testing.T) {
	dists := []scenario.Dist{
		{Kind: scenario.DistLognormal, Median: 400, Sigma: 0.8},
		{Kind: scenario.DistUniform, Min: 100, Max: 900},
		{Kind: scenario.DistTriangular, Min: 100, Mode: 200, Max: 900},
		{Value: 400},
	}
	// About 3.2, 1.1 and 0.4 parts of candidates for the three groups.
	sizes := []float64{3.2 * budgetPart, 1.1 * budgetPart, 0.4 * budgetPart}
	for _, dist := range dists {
		for _, workers := range []int{1, 2} {
			sc := loadLine(t, func(sc *scenario.Scenario) {
				for _, id := range []string{"ven2", "ven3"} {
					o := sc.Origins[0]
					o.ID = id
					sc.Origins = append(sc.Origins, o)
				}
			})
			m, err := New(sc, Options{Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			const d, need = 3, 350.0
			for range d {
				if err := m.Step(); err != nil {
					t.Fatal(err)
				}
			}
			if err := m.applyPolicies(d); err != nil {
				t.Fatal(err)
			}
			for g := range m.w.groups {
				m.poolLeft[g] = int64(sizes[g] / m.departureRate(g, d))
				grp := &m.w.groups[g]
				for _, ps := range m.params {
					ps.origins[g].budget = dist
					ps.origins[g].minBudgetShare = need / m.routes[1+grp.nat].cheapMoney[0][grp.home]
				}
			}
			id := int32(m.ag.len()) // ids go on from those who left before
			pool, departed := slices.Clone(m.poolLeft), m.dayTally.ev[TotDeparted]
			got := m.depart(d, nil)

			// The rule, one candidate after the other.
			var want []slot
			left := int64(0)
			for g := range m.w.groups {
				grp := &m.w.groups[g]
				rt := m.routes[1+grp.nat]
				share := m.natSet(grp.nat).origins[g].minBudgetShare
				if math.Abs(rt.cheapMoney[0][grp.home]*share-need) > 1e-9 {
					t.Fatalf("group %d's need is %v", g, rt.cheapMoney[0][grp.home]*share)
				}
				s := rng.New(m.seed, entityOrigin+uint64(g), d, purposeBudget)
				kept := int64(0)
				for range m.departing[g] {
					if b := dist.Sample(&s); b >= need {
						want = append(want, slot{agent{budget: float32(b), belief: float32(m.poolBelief[g]), node: int16(grp.home),
							since: d, group: uint8(g), goal: goalUS}, id})
						id++
						kept++
					}
				}
				if m.poolLeft[g] != pool[g]-kept {
					t.Errorf("%v, %d workers: group %d's pool %d, want %d − %d", dist, workers, g, m.poolLeft[g], pool[g], kept)
				}
				if n := m.departing[g]; n < int64(sizes[g]/2) || kept == 0 || dist.Kind != "" && kept == n {
					t.Fatalf("%v: group %d, %d candidates, %d kept: not the case meant", dist, g, n, kept)
				}
				left += kept
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%v, %d workers: %d agents leave, want %d (or they differ)", dist, workers, len(got), len(want))
			}
			if m.ag.len() != int(id) || m.dayTally.ev[TotDeparted]-departed != left {
				t.Errorf("%v, %d workers: %d agents, %d departed; want %d, %d", dist, workers, m.ag.len(), m.dayTally.ev[TotDeparted]-departed, id, left)
			}
			for _, s := range want {
				if m.ag.group[s.id] != s.group || m.ag.state[s.id] != stAtNode || m.ag.cbp[s.id] != cbpNone {
					t.Fatalf("%v, %d workers: agent %d is of group %d, state %d, CBP One %d", dist, workers, s.id, m.ag.group[s.id], m.ag.state[s.id], m.ag.cbp[s.id])
				}
			}
		}
	}
}
