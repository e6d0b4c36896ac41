package scoring_test

import (
	"fmt"
	"time"

	"signpost/scoring"
)

func ExampleMeanLogOdds() {
	// Log-odds 0, 1.386 and 2.197 average to 1.194.
	p := scoring.MeanLogOdds([][]float64{{0.5, 0.5}, {0.8, 0.2}, {0.9, 0.1}})
	fmt.Printf("%.3f %.3f\n", p[0], p[1])
	// Output: 0.768 0.232
}

func ExampleRecencyMedian() {
	// Made in this order: the two newest weigh more than half.
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var fs []scoring.StandingForecast
	for i, yes := range []float64{0.9, 0.8, 0.3, 0.2} {
		fs = append(fs, scoring.StandingForecast{Probs: []float64{yes, 1 - yes}, At: t0.Add(time.Duration(i) * time.Hour)})
	}
	p := scoring.RecencyMedian(fs)
	fmt.Printf("recency %.2f/%.2f\n", p[0], p[1])
	c := scoring.AggregateMedian.Of(fs, 1)
	fmt.Printf("median  %.2f/%.2f\n", c[0], c[1])
	// Output:
	// recency 0.30/0.70
	// median  0.55/0.45
}

func ExampleSkillWeighted() {
	p := scoring.SkillWeighted([]scoring.StandingForecast{
		{Probs: []float64{0.8, 0.2}, Skill: -0.2, SkillN: 30}, // weight e^1.5
		{Probs: []float64{0.4, 0.6}},                          // a newcomer: weight 1
	})
	fmt.Printf("%.3f\n", p[0])
	// Output: 0.743
}

func ExampleExtremize() {
	p := scoring.Extremize([]float64{0.7, 0.3}, 2)
	fmt.Printf("%.3f\n", p[0])
	// Output: 0.845
}

func ExampleParseAggregate() {
	a, err := scoring.ParseAggregate("recency_median")
	fmt.Println(a, err)
	_, err = scoring.ParseAggregate("mean")
	fmt.Println(err)
	// Output:
	// recency_median <nil>
	// scoring: unknown aggregate "mean"
}
