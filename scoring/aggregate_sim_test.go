package scoring

import (
	"math/rand/v2"
	"testing"
)

// SimulatedComparison evaluates every aggregate on a synthetic
// tournament and compares each with the median on the questions after
// the first half: skills and d are out of sample on every question, and
// the first half lets the track records and d grow.
func simulatedComparison(t *testing.T, o SimOptions) []Comparison {
	t.Helper()
	qs, _, err := SimulateTournament(o)
	if err != nil {
		t.Fatal(err)
	}
	_, scores := EvaluateAggregates(qs)
	brier := make([][]float64, len(Aggregates))
	for _, s := range scores[len(scores)/2:] {
		for a := range Aggregates {
			brier[a] = append(brier[a], s.Scores[a].Brier)
		}
	}
	out := make([]Comparison, len(Aggregates))
	for a := range Aggregates {
		if out[a], err = CompareToMedian(brier[a], brier[AggregateMedian], o.Seed, 1000); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestAggregatesSimulation(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a simulated tournament")
	}
	for _, seed := range []uint64{1, 2, 3} {
		cs := simulatedComparison(t, SimOptions{Seed: seed, Forecasters: 40, Questions: 300, Days: 12, Stride: 2})
		for a, agg := range Aggregates {
			c := cs[a]
			ratio := c.Brier / c.Median
			t.Logf("seed %d, %d questions: %-14v Brier %.4f  %.3f × median  relative %+.4f [%+.4f, %+.4f]",
				seed, c.Questions, agg, c.Brier, ratio, c.Relative, c.Low, c.High)
			if (agg == AggregateMeanLogOdds || agg == AggregateExtremized) && ratio > 1.02 {
				t.Errorf("seed %d: %v scores %.3f × the median; want at most 1.02", seed, agg, ratio)
			}
		}
	}
}

func BenchmarkAggregates(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	fs := randomStanding(r, 50, 4)
	for _, a := range Aggregates {
		b.Run(a.String(), func(b *testing.B) {
			for range b.N {
				a.Of(fs, 1.5)
			}
		})
	}
}
