package scoring

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// fullRankTables draws n tables over k scenarios from strengths until
// they have rank k (n ≥ k).
func fullRankTables(t testing.TB, r *rand.Rand, k, n int) [][]float64 {
	t.Helper()
	for {
		tables := make([][]float64, n)
		for i := range tables {
			tables[i] = randStrengthTable(t, r, k)
		}
		if rank(tables, k) == k {
			return tables
		}
	}
}

// TestImpliedByForecastsNeutral: indicator forecasts that are exactly what a
// scenario forecast predicts give that forecast back whenever the tables
// determine it, whatever the evidence posterior; and a forecaster
// coherent in that sense is at distance 0.
func TestImpliedByForecastsNeutral(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		k := 2 + r.IntN(5)
		tables := fullRankTables(t, r, k, k+r.IntN(15))
		f := randDistribution(r, k)
		evidence := randDistribution(r, k)
		open := coherentOpen(f, tables)
		got, err := ImpliedByForecasts(evidence, open)
		if err != nil {
			t.Fatal(err)
		}
		if d := maxAbsDiff(got, f); d > 0.01 {
			t.Errorf("ImpliedByForecasts(%v, coherent with %v) = %v; off by %v", evidence, f, got, d)
		}
		c, err := TableCoherenceOf(evidence, f, open)
		if err != nil {
			t.Fatal(err)
		}
		if c.Distance >= 0.01 {
			t.Errorf("TableCoherenceOf(coherent forecaster %v) distance %v; want below 0.01", f, c.Distance)
		}
		for _, g := range c.Drivers {
			if math.Abs(g.Expected-g.Forecast) > 1e-12 {
				t.Errorf("coherent forecaster's gap %+v; want none", g)
			}
		}
	}
}

// TestImpliedByForecastsUndeterminedFollowsEvidence: where the forecasts leave a
// direction open, the evidence posterior decides it.
func TestImpliedByForecastsUndeterminedFollowsEvidence(t *testing.T) {
	// One indicator tells S1 from {S2, S3} but not S2 from S3: p_1 is
	// determined, and S2 and S3 split what is left as the evidence does.
	evidence := []float64{0.2, 0.6, 0.2}
	table := []float64{0.8, 0.2, 0.2}
	got, err := ImpliedByForecasts(evidence, []OpenIndicator{{Likelihood: table, P: 0.5}})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.5, 0.375, 0.125} // 0.8·p + 0.2·(1 − p) = 0.5
	if d := maxAbsDiff(got, want); d > 1e-6 {
		t.Errorf("ImpliedByForecasts(%v, one indicator) = %v; want %v", evidence, got, want)
	}
	// An indicator that says the same under every scenario changes
	// nothing, whatever its forecast.
	for _, q := range []float64{0, 0.3, 1} {
		got, err = ImpliedByForecasts(evidence, []OpenIndicator{{Likelihood: []float64{0.4, 0.4, 0.4}, P: q}})
		if err != nil {
			t.Fatal(err)
		}
		if d := maxAbsDiff(got, evidence); d > 1e-6 {
			t.Errorf("ImpliedByForecasts with an uninformative indicator at %v = %v; want the evidence %v", q, got, evidence)
		}
	}
}

// TestImpliedByForecastsIsTheMaximum checks the optimality conditions on random,
// mostly incoherent forecasts: every scenario with weight has the same
// partial derivative of the log-likelihood, and none without weight a
// larger one.
func TestImpliedByForecastsIsTheMaximum(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for range 2000 {
		k := 2 + r.IntN(5)
		open := make([]OpenIndicator, 1+r.IntN(20))
		for i := range open {
			open[i] = OpenIndicator{Indicator: int64(i), Likelihood: randStrengthTable(t, r, k), P: r.Float64()}
			if r.IntN(5) == 0 {
				open[i].P = float64(r.IntN(2))
			}
		}
		p, err := ImpliedByForecasts(randDistribution(r, k), open)
		if err != nil {
			t.Fatal(err)
		}
		grad := make([]float64, k)
		for _, o := range open {
			a := ExpectedTrigger(p, o.Likelihood)
			c := o.P/a - (1-o.P)/(1-a)
			for j, x := range o.Likelihood {
				grad[j] += c * x
			}
		}
		// At the maximum on the simplex every weighted scenario's
		// derivative equals their p-weighted mean, and none exceeds it.
		var top float64
		for j := range p {
			top += p[j] * grad[j]
		}
		for j := range p {
			if p[j] > 1e-3 && math.Abs(grad[j]-top) > 1e-5 {
				t.Errorf("scenario %d of %v: derivative %v, mean %v; want equal at the maximum", j, p, grad[j], top)
			}
			if grad[j] > top+1e-5 {
				t.Errorf("scenario %d of %v: derivative %v above the mean %v; not a maximum", j, p, grad[j], top)
			}
		}
	}
}

func TestImpliedByForecastsProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for range 1000 {
		k := 1 + r.IntN(6)
		prior := randDistribution(r, k)
		evidence, err := Posterior(prior, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ImpliedByForecasts(evidence, nil)
		if err != nil || maxAbsDiff(got, prior) > 1e-15 {
			t.Fatalf("no evidence and no forecasts from %v gave %v, %v; want the prior", prior, got, err)
		}
		open := make([]OpenIndicator, r.IntN(20))
		for i := range open {
			open[i] = OpenIndicator{Indicator: int64(i), Likelihood: randStrengthTable(t, r, k), P: r.Float64()}
		}
		got, err = ImpliedByForecasts(evidence, open)
		if err != nil {
			t.Fatal(err)
		}
		checkDistribution(t, "ImpliedByForecasts", got, k)
		shuffled := slices.Clone(open)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		again, _ := ImpliedByForecasts(evidence, shuffled)
		if d := maxAbsDiff(got, again); d > 1e-6 {
			t.Errorf("ImpliedByForecasts depends on the order of the indicators: %v vs %v", got, again)
		}
	}
}

func TestImpliedByForecastsRobust(t *testing.T) {
	cases := []struct {
		name     string
		evidence []float64
		open     []OpenIndicator
	}{
		{"one scenario", []float64{1}, []OpenIndicator{{Likelihood: []float64{0.3}, P: 0.9}}},
		{"forecasts at the bounds", []float64{0.5, 0.5}, []OpenIndicator{{Likelihood: []float64{0.9, 0.1}, P: 1}, {Likelihood: []float64{0.2, 0.7}, P: 0}}},
		{"tables at the bounds", []float64{0.5, 0.5}, []OpenIndicator{{Likelihood: []float64{1, 0}, P: 0.5}, {Likelihood: []float64{0, 0}, P: 1}}},
		{"evidence at the bounds", []float64{1, 0, 0}, []OpenIndicator{{Likelihood: []float64{0.1, 0.9, 0.5}, P: 0.9}}},
		{"contradictory forecasts", []float64{0.3, 0.7}, []OpenIndicator{{Likelihood: []float64{0.9, 0.1}, P: 1}, {Likelihood: []float64{0.9, 0.1}, P: 0}}},
		{"no indicators", []float64{0.3, 0.7}, nil},
	}
	for _, c := range cases {
		got, err := ImpliedByForecasts(c.evidence, c.open)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		checkDistribution(t, c.name, got, len(c.evidence))
	}
	// A scenario the evidence gives 0 can still be implied.
	got, _ := ImpliedByForecasts([]float64{1, 0}, []OpenIndicator{{Likelihood: []float64{0.1, 0.9}, P: 0.9}})
	if got[1] < 0.99 {
		t.Errorf("ImpliedByForecasts([1 0], an indicator for S2 at 0.9) = %v; want S2 near 1", got)
	}
	bad := []struct {
		evidence []float64
		open     []OpenIndicator
	}{
		{nil, nil},
		{[]float64{0.5, 0.6}, nil},
		{[]float64{0.5, 0.5}, []OpenIndicator{{Likelihood: []float64{0.5}, P: 0.5}}},
		{[]float64{0.5, 0.5}, []OpenIndicator{{Likelihood: []float64{0.5, 0.5}, P: math.NaN()}}},
		{[]float64{0.5, 0.5}, []OpenIndicator{{Likelihood: []float64{0.5, -1}, P: 0.5}}},
	}
	for _, c := range bad {
		if _, err := ImpliedByForecasts(c.evidence, c.open); err == nil {
			t.Errorf("ImpliedByForecasts(%v, %v) succeeded; want an error", c.evidence, c.open)
		}
	}
}

func TestTableCoherenceDrivers(t *testing.T) {
	tables := [][]float64{{0.8, 0.2, 0.5}, {0.3, 0.6, 0.9}, {0.5, 0.5, 0.1}}
	forecast := []float64{0.5, 0.3, 0.2}
	own := coherentOpen(forecast, tables)
	own[1].P += 0.3 // far off
	own[2].P -= 0.1 // a little off
	c, err := TableCoherenceOf([]float64{1.0 / 3, 1.0 / 3, 1.0 / 3}, forecast, own)
	if err != nil {
		t.Fatal(err)
	}
	if c.Drivers[0].Indicator != 2 || c.Drivers[1].Indicator != 3 || c.Drivers[2].Indicator != 1 {
		t.Errorf("drivers %+v; want indicators 2, 3, 1", c.Drivers)
	}
	if d := c.Drivers[0]; !near(d.Expected, ExpectedTrigger(forecast, tables[1])) || !near(d.Forecast-d.Expected, 0.3) {
		t.Errorf("first driver %+v; want expected %v, forecast 0.3 above", d, ExpectedTrigger(forecast, tables[1]))
	}
	if c.Distance < 0.05 {
		t.Errorf("distance %v; want an incoherent forecaster far from their forecast", c.Distance)
	}
	if _, err := TableCoherenceOf([]float64{0.5, 0.5}, []float64{0.2, 0.2, 0.6}, nil); err == nil {
		t.Error("TableCoherenceOf with a forecast of the wrong length succeeded; want an error")
	}
}
