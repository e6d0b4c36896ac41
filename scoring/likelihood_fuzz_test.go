package scoring

import (
	"math"
	"math/rand/v2"
	"testing"
)

// FuzzLikelihoodRule drives the likelihood rule with seeds for random
// priors (zeros and certainties included), tables with entries at 0 and
// 1, outcomes including a middle bucket, forecasts at 0 and 1, one
// scenario or twenty, and no indicators or hundreds: whatever Posterior
// accepts is a distribution, and ImpliedByForecasts and TableCoherenceOf
// always answer with one.
func FuzzLikelihoodRule(f *testing.F) {
	f.Add(uint64(1), uint8(4), uint8(3))
	f.Add(uint64(2), uint8(0), uint8(200))
	f.Add(uint64(3), uint8(19), uint8(0))
	f.Add(uint64(4), uint8(1), uint8(17))
	f.Fuzz(func(t *testing.T, seed uint64, k, n uint8) {
		r := rand.New(rand.NewPCG(seed, 8))
		scenarios := 1 + int(k)%20
		prior := randProbs(r, scenarios)
		table := func() []float64 {
			t := make([]float64, scenarios)
			for j := range t {
				switch r.IntN(4) {
				case 0:
					t[j] = float64(r.IntN(2))
				default:
					t[j] = r.Float64()
				}
			}
			return t
		}
		obs := make([]Observation, int(n)%40)
		for i := range obs {
			obs[i] = Observation{table(), float64(r.IntN(3)) / 2}
		}
		if post, err := Posterior(prior, obs); err == nil {
			checkDistribution(t, "Posterior", post, scenarios)
		}
		open := make([]OpenIndicator, n)
		for i := range open {
			open[i] = OpenIndicator{Indicator: int64(i), Likelihood: table(), P: r.Float64()}
			if r.IntN(3) == 0 {
				open[i].P = float64(r.IntN(2))
			}
		}
		got, err := ImpliedByForecasts(prior, open)
		if err != nil {
			t.Fatalf("ImpliedByForecasts(%v, %d indicators): %v", prior, len(open), err)
		}
		checkDistribution(t, "ImpliedByForecasts", got, scenarios)
		c, err := TableCoherenceOf(prior, randProbs(r, scenarios), open)
		if err != nil {
			t.Fatalf("TableCoherenceOf: %v", err)
		}
		if !(c.Distance >= 0 && c.Distance <= 1+1e-12) || math.IsNaN(c.Distance) {
			t.Fatalf("TableCoherenceOf distance %v", c.Distance)
		}
	})
}
