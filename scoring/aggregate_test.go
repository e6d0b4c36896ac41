package scoring

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func closeTo(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func sameProbs(a, b []float64, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !closeTo(a[i], b[i], tol) {
			return false
		}
	}
	return true
}

func TestParseAggregate(t *testing.T) {
	for _, a := range Aggregates {
		got, err := ParseAggregate(a.String())
		if err != nil || got != a {
			t.Errorf("ParseAggregate(%q) = %v, %v; want %v", a.String(), got, err, a)
		}
	}
	if len(Aggregates) != 5 || AggregateMedian.String() != "median" || AggregateExtremized.String() != "extremized" {
		t.Errorf("Aggregates = %v", Aggregates)
	}
	for _, s := range []string{"", "Median", "mean", "extremised"} {
		if _, err := ParseAggregate(s); err == nil {
			t.Errorf("ParseAggregate(%q) succeeded; want an error", s)
		}
	}
	if s := Aggregate(9).String(); s != "Aggregate(9)" {
		t.Errorf("Aggregate(9).String() = %q", s)
	}
}

func TestMeanLogOddsHandComputed(t *testing.T) {
	tests := []struct {
		ps   [][]float64
		want []float64
	}{
		{nil, nil},
		{[][]float64{{0.5, 0.5}, {0.5}}, nil},
		{[][]float64{{0.5, 0.5}, {0.8, 0.2}, {0.9, 0.1}}, []float64{0.7675460457270753, 0.2324539542729247}},
		// Certainty is clamped to 0.999: log-odds 6.907 and 0 average to 3.453.
		{[][]float64{{1, 0}, {0.5, 0.5}}, []float64{0.9693317021457333, 0.0306682978542667}},
		// Three options: geometric means √0.1, 0.3, √0.1, normalised.
		{[][]float64{{0.5, 0.3, 0.2}, {0.2, 0.3, 0.5}}, []float64{0.33913441998370525, 0.32173116003258956, 0.33913441998370525}},
	}
	for _, tt := range tests {
		if got := MeanLogOdds(tt.ps); !sameProbs(got, tt.want, 1e-12) || (got == nil) != (tt.want == nil) {
			t.Errorf("MeanLogOdds(%v) = %v; want %v", tt.ps, got, tt.want)
		}
	}
}

func TestRecencyMedianHandComputed(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	tests := []struct {
		name string
		fs   []StandingForecast
		want []float64
	}{
		{"empty", nil, nil},
		{"lengths differ", []StandingForecast{{Probs: []float64{0.5, 0.5}}, {Probs: []float64{1}}}, nil},
		{"newest carry the day", []StandingForecast{
			{Probs: []float64{0.9, 0.1}, At: at(0)}, {Probs: []float64{0.8, 0.2}, At: at(1)},
			{Probs: []float64{0.3, 0.7}, At: at(2)}, {Probs: []float64{0.2, 0.8}, At: at(3)},
		}, []float64{0.3, 0.7}},
		// Given in another order, the same forecasts give the same.
		{"order of input", []StandingForecast{
			{Probs: []float64{0.3, 0.7}, At: at(2)}, {Probs: []float64{0.9, 0.1}, At: at(0)},
			{Probs: []float64{0.2, 0.8}, At: at(3)}, {Probs: []float64{0.8, 0.2}, At: at(1)},
		}, []float64{0.3, 0.7}},
		// Made at one instant, all weigh the same: the plain median,
		// the mean of the middle two for an even count.
		{"ties are the median", []StandingForecast{
			{Probs: []float64{0.9, 0.1}, At: at(0)}, {Probs: []float64{0.8, 0.2}, At: at(0)},
			{Probs: []float64{0.3, 0.7}, At: at(0)}, {Probs: []float64{0.2, 0.8}, At: at(0)},
		}, []float64{0.55, 0.45}},
		// Weights e, e^√2, e^√3 (total 12.48): the newest alone (5.65)
		// is short of half, the two newest are not.
		{"three", []StandingForecast{
			{Probs: []float64{0.1, 0.9}, At: at(0)}, {Probs: []float64{0.5, 0.5}, At: at(1)}, {Probs: []float64{0.7, 0.3}, At: at(2)},
		}, []float64{0.5, 0.5}},
		// The oldest two tie (weights (e + e^√2)/2 = 3.416 each) and the
		// newest weighs 5.652 of 12.483: Yes reaches half at 0.3, the
		// second option at 0.4 and the third at 0.2, summing to 0.9.
		{"tie among the oldest", []StandingForecast{
			{Probs: []float64{0.2, 0.6, 0.2}, At: at(0)}, {Probs: []float64{0.3, 0.4, 0.3}, At: at(0)}, {Probs: []float64{0.6, 0.2, 0.2}, At: at(5)},
		}, []float64{0.3 / 0.9, 0.4 / 0.9, 0.2 / 0.9}},
	}
	for _, tt := range tests {
		if got := RecencyMedian(tt.fs); !sameProbs(got, tt.want, 1e-12) || (got == nil) != (tt.want == nil) {
			t.Errorf("%s: RecencyMedian = %v; want %v", tt.name, got, tt.want)
		}
	}
}

func TestSkillWeight(t *testing.T) {
	tests := []struct {
		skill float64
		n     int
		want  float64
	}{
		{0, 0, 1},
		{-0.3, 0, 1}, // no record: the prior
		{math.NaN(), 5, 1},
		{0, 40, 1},
		{-0.2, 30, math.Exp(1.5)},
		{-0.2, 2, math.Exp(10 * 0.2 * 2 / 12)},
		{0.2, 30, math.Exp(-1.5)},
		{-3, 1000, math.Exp(5)}, // capped
		{3, 1000, math.Exp(-5)},
	}
	for _, tt := range tests {
		if got := SkillWeight(tt.skill, tt.n); !closeTo(got, tt.want, 1e-12) {
			t.Errorf("SkillWeight(%v, %d) = %v; want %v", tt.skill, tt.n, got, tt.want)
		}
	}
}

func TestSkillWeightedHandComputed(t *testing.T) {
	fs := []StandingForecast{{Probs: []float64{0.8, 0.2}, Skill: -0.2, SkillN: 30}, {Probs: []float64{0.4, 0.6}}}
	w := math.Exp(1.5)
	l := (w*math.Log(4) + math.Log(0.4/0.6)) / (w + 1)
	if got, want := SkillWeighted(fs)[0], 1/(1+math.Exp(-l)); !closeTo(got, want, 1e-12) {
		t.Errorf("SkillWeighted = %v; want %v", got, want)
	}
	// Without records it is the mean of log-odds.
	fs[0].SkillN = 0
	if got, want := SkillWeighted(fs), MeanLogOdds(probsOf(fs)); !sameProbs(got, want, 1e-15) {
		t.Errorf("SkillWeighted without records = %v; want %v", got, want)
	}
	// Three options, weights 2 and 1: p ∝ (0.5²·0.2)^⅓, (0.3²·0.3)^⅓, (0.2²·0.5)^⅓.
	fs = []StandingForecast{{Probs: []float64{0.5, 0.3, 0.2}, Skill: -math.Log(2) / SkillSharpness * 12 / 11, SkillN: 110}, {Probs: []float64{0.2, 0.3, 0.5}}}
	want := []float64{math.Cbrt(0.05), math.Cbrt(0.027), math.Cbrt(0.02)}
	normalise(want)
	if got := SkillWeighted(fs); !sameProbs(got, want, 1e-12) {
		t.Errorf("SkillWeighted(3 options) = %v; want %v", got, want)
	}
}

func TestExtremize(t *testing.T) {
	tests := []struct {
		p    []float64
		d    float64
		want []float64
	}{
		{nil, 2, nil},
		{[]float64{0.7, 0.3}, 1, []float64{0.7, 0.3}},
		{[]float64{0.7, 0.3}, 2, []float64{0.49 / 0.58, 0.09 / 0.58}},
		{[]float64{0.5, 0.5}, 3, []float64{0.5, 0.5}},
		{[]float64{0.5, 0.25, 0.25}, 2, []float64{0.25 / 0.375, 0.0625 / 0.375, 0.0625 / 0.375}},
		{[]float64{1, 0}, 2, []float64{1, 0}},
	}
	for _, tt := range tests {
		if got := Extremize(tt.p, tt.d); !sameProbs(got, tt.want, 1e-12) || (got == nil) != (tt.want == nil) {
			t.Errorf("Extremize(%v, %v) = %v; want %v", tt.p, tt.d, got, tt.want)
		}
	}
	// Binary: the log-odds times d.
	p := Extremize([]float64{0.8, 0.2}, 1.7)
	if got, want := math.Log(p[0]/p[1]), 1.7*math.Log(4); !closeTo(got, want, 1e-12) {
		t.Errorf("log-odds of Extremize(0.8, 1.7) = %v; want %v", got, want)
	}
}

// calibratedAt returns n one-day binary questions all forecast at 0.6,
// of which a share `rate` resolved Yes.
func calibratedAt(n int, rate float64) []ResolvedSeries {
	qs := make([]ResolvedSeries, n)
	for i := range qs {
		o := 1
		if float64(i) < rate*float64(n) {
			o = 0
		}
		qs[i] = ResolvedSeries{Kind: Binary, Days: [][]float64{{0.6, 0.4}}, Outcome: o}
	}
	return qs
}

func TestFitExtremizing(t *testing.T) {
	if d := FitExtremizing(calibratedAt(ExtremizeMinQuestions-1, 0.7)); d != 1 {
		t.Errorf("FitExtremizing(%d questions) = %v; want 1", ExtremizeMinQuestions-1, d)
	}
	// Questions without days do not count toward the minimum.
	few := append(calibratedAt(ExtremizeMinQuestions-1, 0.7), ResolvedSeries{Kind: Binary, Outcome: 0})
	if d := FitExtremizing(few); d != 1 {
		t.Errorf("FitExtremizing(with an empty series) = %v; want 1", d)
	}
	// 60 % forecasts that happen 70 % of the time want 0.6^d/(0.6^d+0.4^d)
	// = 0.7, d = ln(7/3)/ln 1.5 = 2.09: on the grid, 2.10.
	if d := FitExtremizing(calibratedAt(40, 0.7)); !closeTo(d, 2.1, 1e-9) {
		t.Errorf("FitExtremizing(underconfident) = %v; want 2.1", d)
	}
	if d := FitExtremizing(calibratedAt(40, 0.6)); d != 1 {
		t.Errorf("FitExtremizing(calibrated) = %v; want 1", d)
	}
	if d := FitExtremizing(calibratedAt(40, 0.95)); !closeTo(d, ExtremizeMax, 1e-9) {
		t.Errorf("FitExtremizing(far underconfident) = %v; want %v", d, ExtremizeMax)
	}
}

func TestCompareToMedian(t *testing.T) {
	if _, err := CompareToMedian(nil, nil, 1, 10); err == nil {
		t.Error("CompareToMedian(no questions) succeeded")
	}
	if _, err := CompareToMedian([]float64{1}, []float64{1, 2}, 1, 10); err == nil {
		t.Error("CompareToMedian(lengths differ) succeeded")
	}
	if _, err := CompareToMedian([]float64{1}, []float64{1}, 1, 0); err == nil {
		t.Error("CompareToMedian(0 resamples) succeeded")
	}
	c, err := CompareToMedian([]float64{0.2, 0.4}, []float64{0.3, 0.3}, 7, 400)
	if err != nil {
		t.Fatal(err)
	}
	// Differences −0.1 and +0.1: resampled means are −0.1, 0 or 0.1.
	if c.Questions != 2 || !closeTo(c.Brier, 0.3, 1e-15) || !closeTo(c.Median, 0.3, 1e-15) || !closeTo(c.Relative, 0, 1e-15) ||
		!closeTo(c.Low, -0.1, 1e-12) || !closeTo(c.High, 0.1, 1e-12) || c.Beats() {
		t.Errorf("CompareToMedian = %+v; want relative 0 within [−0.1, 0.1], not beating", c)
	}
	again, _ := CompareToMedian([]float64{0.2, 0.4}, []float64{0.3, 0.3}, 7, 400)
	if again != c {
		t.Errorf("CompareToMedian is not deterministic: %+v then %+v", c, again)
	}
	better, _ := CompareToMedian([]float64{0.1, 0.2, 0.25}, []float64{0.2, 0.3, 0.3}, 7, 400)
	if !better.Beats() || !closeTo(better.Relative, -0.0833333333333333, 1e-12) || better.High > -0.04 {
		t.Errorf("CompareToMedian(always better) = %+v; want it to beat the median", better)
	}
}

// randomStanding returns n standing forecasts over k options, some with
// certainties, some made at the same instant, some with track records.
func randomStanding(r *rand.Rand, n, k int) []StandingForecast {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	fs := make([]StandingForecast, n)
	for i := range fs {
		p := make([]float64, k)
		if r.IntN(8) == 0 {
			p[r.IntN(k)] = 1
		} else {
			for j := range p {
				p[j] = r.Float64()
			}
			normalise(p)
		}
		fs[i] = StandingForecast{Probs: p, At: t0.Add(time.Duration(r.IntN(2*n)) * time.Hour)}
		if r.IntN(2) == 0 {
			fs[i].Skill, fs[i].SkillN = r.NormFloat64()*0.3, r.IntN(60)
		}
	}
	return fs
}

func TestAggregatesProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	cases := 2000
	if raceEnabled {
		cases = 200
	}
	for c := 0; c < cases; c++ {
		k, n := 2+r.IntN(4), 1+r.IntN(12)
		fs := randomStanding(r, n, k)
		d := 1 + 2*r.Float64()
		shuffled := append([]StandingForecast(nil), fs...)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		for _, a := range Aggregates {
			got := a.Of(fs, d)
			if Validate(got, k) != nil {
				t.Fatalf("%v.Of(%v) = %v; not a distribution", a, fs, got)
			}
			if again := a.Of(shuffled, d); !sameProbs(got, again, 1e-12) {
				t.Fatalf("%v.Of depends on the forecasters' order: %v then %v", a, got, again)
			}
		}
		if k == 2 {
			checkBinaryBounds(t, fs, d)
		}
		if n == 1 {
			p := fs[0].Probs
			clamped := []float64{min(max(p[0], LogOddsMin), LogOddsMax), 0}
			for _, a := range []Aggregate{AggregateMedian, AggregateRecencyMedian} {
				if got := a.Of(fs, d); !sameProbs(got, p, 1e-12) {
					t.Fatalf("%v.Of(one forecaster %v) = %v", a, p, got)
				}
			}
			if k == 2 {
				clamped[1] = 1 - clamped[0]
				for _, a := range []Aggregate{AggregateMeanLogOdds, AggregateSkillWeighted} {
					if got := a.Of(fs, d); !sameProbs(got, clamped, 1e-12) {
						t.Fatalf("%v.Of(one forecaster %v) = %v; want %v", a, p, got, clamped)
					}
				}
			}
		}
		// Equal instants: the recency median is the median.
		same := append([]StandingForecast(nil), fs...)
		for i := range same {
			same[i].At = fs[0].At
		}
		if got, want := RecencyMedian(same), Crowd(probsOf(fs)); !sameProbs(got, want, 1e-12) {
			t.Fatalf("RecencyMedian(one instant) = %v; want the median %v", got, want)
		}
	}
}

// checkBinaryBounds checks that each binary aggregate lies between the
// smallest and largest forecast (clamped where log-odds are taken), and
// that extremizing moves away from ½ on the same side.
func checkBinaryBounds(t *testing.T, fs []StandingForecast, d float64) {
	t.Helper()
	lo, hi := 1.0, 0.0
	for _, f := range fs {
		lo, hi = min(lo, f.Probs[0]), max(hi, f.Probs[0])
	}
	clo, chi := min(max(lo, LogOddsMin), LogOddsMax), min(max(hi, LogOddsMin), LogOddsMax)
	const eps = 1e-12
	for _, a := range []Aggregate{AggregateMedian, AggregateRecencyMedian} {
		if p := a.Of(fs, d)[0]; p < lo-eps || p > hi+eps {
			t.Fatalf("%v.Of = %v; outside [%v, %v]", a, p, lo, hi)
		}
	}
	for _, a := range []Aggregate{AggregateMeanLogOdds, AggregateSkillWeighted} {
		if p := a.Of(fs, d)[0]; p < clo-eps || p > chi+eps {
			t.Fatalf("%v.Of = %v; outside [%v, %v]", a, p, clo, chi)
		}
	}
	s, e := SkillWeighted(fs)[0], AggregateExtremized.Of(fs, d)[0]
	if (s-0.5)*(e-0.5) < 0 || math.Abs(e-0.5) < math.Abs(s-0.5)-eps {
		t.Fatalf("extremized %v (d %v) is not beyond skill_weighted %v from ½", e, d, s)
	}
	// The mean of log-odds, written out.
	var l float64
	for _, f := range fs {
		p := min(max(f.Probs[0], LogOddsMin), LogOddsMax)
		l += math.Log(p / (1 - p))
	}
	l /= float64(len(fs))
	if got, want := MeanLogOdds(probsOf(fs))[0], 1/(1+math.Exp(-l)); !closeTo(got, want, 1e-12) {
		t.Fatalf("MeanLogOdds = %v; want the mean of log-odds %v", got, want)
	}
}

func TestAggregateOfRejects(t *testing.T) {
	fs := []StandingForecast{{Probs: []float64{0.5, 0.5}}, {Probs: []float64{1}}}
	for _, a := range Aggregates {
		if got := a.Of(nil, 1); got != nil {
			t.Errorf("%v.Of(nil) = %v; want nil", a, got)
		}
		if got := a.Of(fs, 1); got != nil {
			t.Errorf("%v.Of(lengths differ) = %v; want nil", a, got)
		}
	}
	if got := Aggregate(7).Of([]StandingForecast{{Probs: []float64{1, 0}}}, 1); got != nil {
		t.Errorf("Aggregate(7).Of = %v; want nil", got)
	}
}
