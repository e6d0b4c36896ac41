package scoring

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// rangeSetup is a board of 17 binary indicators over 4 scenarios and 30
// forecasters, each forecasting most indicators near what their own
// scenario forecast predicts.
func rangeSetup(t testing.TB, r *rand.Rand, forecasters int) ([]float64, []RangeIndicator, [][][]float64) {
	t.Helper()
	const k, n = 4, 17
	tables := fullRankTables(t, r, k, n)
	inds := make([]RangeIndicator, n)
	for i, table := range tables {
		inds[i] = RangeIndicator{Indicator: int64(i + 1), Likelihood: table, Trigger: Trigger{Kind: TriggerYes}, Options: 2}
	}
	crowd := randDistribution(r, k)
	forecasts := make([][][]float64, forecasters)
	for f := range forecasts {
		own := make([]float64, k)
		for j := range own {
			own[j] = crowd[j] * (0.5 + r.Float64())
		}
		normalise(own)
		forecasts[f] = make([][]float64, n)
		for i, table := range tables {
			if r.IntN(5) == 0 {
				continue // missing
			}
			q := ExpectedTrigger(own, table)
			forecasts[f][i] = []float64{q, 1 - q}
		}
	}
	return []float64{0.25, 0.25, 0.25, 0.25}, inds, forecasts
}

func TestImpliedRange(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	evidence, inds, forecasts := rangeSetup(t, r, 30)
	opts := RangeOptions{Seed: 42, Resamples: 200}
	got, err := ImpliedRange(evidence, inds, forecasts, opts)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := ImpliedRange(evidence, inds, forecasts, opts)
	if !slices.Equal(got, again) {
		t.Errorf("ImpliedRange is not deterministic for a seed: %v vs %v", got, again)
	}
	opts.Seed++
	other, _ := ImpliedRange(evidence, inds, forecasts, opts)
	if slices.Equal(got, other) {
		t.Errorf("ImpliedRange gives %v for two seeds; want the seed to matter", got)
	}
	// The full crowd's implied figure lies inside its own range.
	var open []OpenIndicator
	for i, ind := range inds {
		var ps [][]float64
		for _, row := range forecasts {
			if row[i] != nil {
				ps = append(ps, row[i])
			}
		}
		open = append(open, OpenIndicator{Likelihood: ind.Likelihood, P: Crowd(ps)[0]})
	}
	full, _ := ImpliedByForecasts(evidence, open)
	for s, lh := range got {
		if !(lh[0] <= lh[1]) || lh[0] < 0 || lh[1] > 1 {
			t.Errorf("range %d = %v; want 0 ≤ lo ≤ hi ≤ 1", s, lh)
		}
		if full[s] < lh[0]-0.02 || full[s] > lh[1]+0.02 {
			t.Errorf("scenario %d: full crowd %v outside its range %v", s, full[s], lh)
		}
	}
}

func TestImpliedRangeEdges(t *testing.T) {
	evidence := []float64{0.2, 0.8}
	inds := []RangeIndicator{{Indicator: 1, Likelihood: []float64{0.8, 0.2}, Trigger: Trigger{Kind: TriggerYes}, Options: 2}}
	// No forecasters, or too few for Min: the evidence, with no spread.
	for _, c := range []struct {
		forecasts [][][]float64
		min       int
	}{
		{nil, 0},
		{[][][]float64{{nil}, {nil}}, 0},
		{[][][]float64{{{0.9, 0.1}}}, 2},
	} {
		got, err := ImpliedRange(evidence, inds, c.forecasts, RangeOptions{Seed: 1, Resamples: 5, Min: c.min})
		if err != nil {
			t.Fatal(err)
		}
		if want := [][2]float64{{0.2, 0.2}, {0.8, 0.8}}; maxAbsDiff(got[0][:], want[0][:]) > 1e-12 || maxAbsDiff(got[1][:], want[1][:]) > 1e-12 {
			t.Errorf("ImpliedRange(%v, min %d) = %v; want %v", c.forecasts, c.min, got, want)
		}
	}
	// Identical forecasters: every resample is the same crowd.
	same := [][][]float64{{{0.62, 0.38}}, {{0.62, 0.38}}, {{0.62, 0.38}}}
	got, err := ImpliedRange(evidence, inds, same, RangeOptions{Seed: 1, Resamples: 20})
	if err != nil {
		t.Fatal(err)
	}
	if got[0][0] != got[0][1] || maxAbsDiff([]float64{got[0][0]}, []float64{0.7}) > 1e-6 {
		t.Errorf("ImpliedRange of identical forecasters = %v; want [0.7 0.7] for S1", got)
	}
	// The aggregator is the caller's: the mean instead of the median.
	mean := func(ps [][]float64) []float64 {
		out := make([]float64, len(ps[0]))
		for _, p := range ps {
			for j, x := range p {
				out[j] += x / float64(len(ps))
			}
		}
		return out
	}
	if _, err := ImpliedRange(evidence, inds, same, RangeOptions{Seed: 1, Resamples: 3, Aggregate: mean}); err != nil {
		t.Errorf("ImpliedRange with the mean: %v", err)
	}
	bad := []struct {
		inds      []RangeIndicator
		forecasts [][][]float64
		opts      RangeOptions
	}{
		{inds, same, RangeOptions{Resamples: 0}},
		{inds, [][][]float64{{{0.5, 0.6}}}, RangeOptions{Resamples: 1}},
		{inds, [][][]float64{{{0.5, 0.5}, {0.5, 0.5}}}, RangeOptions{Resamples: 1}},
		{[]RangeIndicator{{Likelihood: []float64{0.5, 0.5}, Trigger: Trigger{Kind: TriggerOption, Option: 2}, Options: 2}}, same, RangeOptions{Resamples: 1}},
		{[]RangeIndicator{{Likelihood: []float64{0.5}, Trigger: Trigger{Kind: TriggerYes}, Options: 2}}, same, RangeOptions{Resamples: 1}},
		{inds, same, RangeOptions{Resamples: 1, Aggregate: func([][]float64) []float64 { return nil }}},
	}
	for i, c := range bad {
		if _, err := ImpliedRange(evidence, c.inds, c.forecasts, c.opts); err == nil {
			t.Errorf("case %d: ImpliedRange succeeded; want an error", i)
		}
	}
}

func TestPercentile(t *testing.T) {
	xs := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	if got := percentile(xs, 0.1); got != 2 {
		t.Errorf("percentile(1…11, 0.1) = %v; want 2", got)
	}
	if got := percentile(xs, 0.9); got != 10 {
		t.Errorf("percentile(1…11, 0.9) = %v; want 10", got)
	}
	if got := percentile([]float64{1, 2}, 0.9); !near(got, 1.9) {
		t.Errorf("percentile([1 2], 0.9) = %v; want 1.9", got)
	}
	if got := percentile([]float64{3}, 0.1); got != 3 {
		t.Errorf("percentile([3], 0.1) = %v; want 3", got)
	}
}

// TestImpliedRangeMedianIsCrowd: the bootstrap's fast median gives
// exactly what Crowd gives on every resample, so the range is the same
// with Crowd passed as the aggregator.
func TestImpliedRangeMedianIsCrowd(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	for range 30 {
		evidence, inds, forecasts := rangeSetup(t, r, 1+r.IntN(12))
		// Ordered indicators too, and coarse values for ties.
		inds[0] = RangeIndicator{Indicator: 1, Likelihood: inds[0].Likelihood, Trigger: Trigger{Kind: TriggerHigher}, Options: 5}
		inds[1] = RangeIndicator{Indicator: 2, Likelihood: inds[1].Likelihood, Trigger: Trigger{Kind: TriggerOption, Option: 1}, Options: 3}
		for _, row := range forecasts {
			row[0] = randProbs(r, 5)
			if r.IntN(3) == 0 {
				row[1] = nil
			} else {
				row[1] = randProbs(r, 3)
			}
		}
		opts := RangeOptions{Seed: r.Uint64(), Resamples: 20}
		fast, err := ImpliedRange(evidence, inds, forecasts, opts)
		if err != nil {
			t.Fatal(err)
		}
		opts.Aggregate = Crowd
		slow, err := ImpliedRange(evidence, inds, forecasts, opts)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(fast, slow) {
			t.Fatalf("ImpliedRange with the built-in median %v; with Crowd %v", fast, slow)
		}
	}
}
