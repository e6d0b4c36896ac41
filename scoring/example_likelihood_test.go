package scoring_test

import (
	"fmt"

	"signpost/scoring"
)

func ExampleLikelihoodFromStrengths() {
	// The trigger raises S2 and S3 moderately and lowers S1 moderately;
	// S4 is named by no link.
	table, err := scoring.LikelihoodFromStrengths(4, []scoring.StrengthLink{
		{Scenario: 1, Direction: 1, Strength: scoring.Moderate},
		{Scenario: 2, Direction: 1, Strength: scoring.Moderate},
		{Scenario: 0, Direction: -1, Strength: scoring.Moderate},
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("P(trigger | S) = %.4f %.4f %.4f %.4f\n", table[0], table[1], table[2], table[3])
	// Output:
	// P(trigger | S) = 0.2857 0.7143 0.7143 0.5000
}

func ExamplePosterior() {
	prior := []float64{0.25, 0.20, 0.15, 0.40}
	a := []float64{1 / 3.5, 2.5 / 3.5, 2.5 / 3.5, 0.5} // resolved Yes
	b := []float64{0.8, 0.4, 0.6, 0.2}                 // resolved No
	p, err := scoring.Posterior(prior, []scoring.Observation{
		{Likelihood: a, Happened: 1},
		{Likelihood: b, Happened: 0},
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.3f %.3f %.3f %.3f\n", p[0], p[1], p[2], p[3])
	// Output:
	// 0.047 0.283 0.142 0.528
}

func ExampleExpectedTrigger() {
	crowd := []float64{0.25, 0.20, 0.15, 0.40}
	table := []float64{1 / 3.5, 2.5 / 3.5, 2.5 / 3.5, 0.5}
	fmt.Printf("%.4f\n", scoring.ExpectedTrigger(crowd, table))
	// Output:
	// 0.5214
}

func ExampleImpliedByForecasts() {
	// Two scenarios, nothing resolved yet: uniform evidence. One open
	// indicator, likely under S1 (0.8) and unlikely under S2 (0.2), is
	// forecast at 62 %: only 70/30 over the scenarios predicts that.
	p, err := scoring.ImpliedByForecasts([]float64{0.5, 0.5}, []scoring.OpenIndicator{
		{Indicator: 1, Likelihood: []float64{0.8, 0.2}, P: 0.62},
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.3f %.3f\n", p[0], p[1])

	// A crowd whose indicator forecasts are what its scenario forecast
	// 25/20/15/40 predicts is shown that forecast, not a gap.
	crowd := []float64{0.25, 0.20, 0.15, 0.40}
	tables := [][]float64{
		{1 / 3.5, 2.5 / 3.5, 2.5 / 3.5, 0.5},
		{1.0 / 6, 5.0 / 6, 1.0 / 6, 5.0 / 6},
		{0.6, 0.4, 0.4, 0.6},
		{0.5, 1.0 / 6, 1.0 / 6, 5.0 / 6},
	}
	var open []scoring.OpenIndicator
	for i, t := range tables {
		open = append(open, scoring.OpenIndicator{Indicator: int64(i + 1), Likelihood: t, P: scoring.ExpectedTrigger(crowd, t)})
	}
	p, err = scoring.ImpliedByForecasts([]float64{0.25, 0.25, 0.25, 0.25}, open)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.3f %.3f %.3f %.3f\n", p[0], p[1], p[2], p[3])
	// Output:
	// 0.700 0.300
	// 0.250 0.200 0.150 0.400
}

func ExampleTableCoherenceOf() {
	// A forecaster says 50/30/20 over three scenarios, and forecasts
	// indicator 2 at 0.85 where their scenario forecast predicts 0.51.
	forecast := []float64{0.5, 0.3, 0.2}
	own := []scoring.OpenIndicator{
		{Indicator: 1, Likelihood: []float64{0.8, 0.2, 0.5}, P: 0.56},
		{Indicator: 2, Likelihood: []float64{0.3, 0.6, 0.9}, P: 0.85},
		{Indicator: 3, Likelihood: []float64{0.5, 0.5, 0.1}, P: 0.42},
	}
	c, err := scoring.TableCoherenceOf([]float64{1.0 / 3, 1.0 / 3, 1.0 / 3}, forecast, own)
	if err != nil {
		panic(err)
	}
	fmt.Printf("implied %.2f %.2f %.2f, distance %.2f\n", c.Implied[0], c.Implied[1], c.Implied[2], c.Distance)
	for _, d := range c.Drivers {
		fmt.Printf("indicator %d: expected %.2f, forecast %.2f\n", d.Indicator, d.Expected, d.Forecast)
	}
	// Output:
	// implied 0.18 0.25 0.57, distance 0.37
	// indicator 2: expected 0.51, forecast 0.85
	// indicator 1: expected 0.56, forecast 0.56
	// indicator 3: expected 0.42, forecast 0.42
}

func ExampleImpliedRange() {
	// Four forecasters of one binary indicator (table 0.8/0.2); the
	// third has not forecast it.
	indicators := []scoring.RangeIndicator{{
		Indicator: 1, Likelihood: []float64{0.8, 0.2},
		Trigger: scoring.Trigger{Kind: scoring.TriggerYes}, Options: 2,
	}}
	forecasts := [][][]float64{{{0.5, 0.5}}, {{0.6, 0.4}}, {nil}, {{0.7, 0.3}}}
	r, err := scoring.ImpliedRange([]float64{0.5, 0.5}, indicators, forecasts, scoring.RangeOptions{Seed: 1, Resamples: 200})
	if err != nil {
		panic(err)
	}
	fmt.Printf("S1 %.2f–%.2f, S2 %.2f–%.2f\n", r[0][0], r[0][1], r[1][0], r[1][1])
	// Output:
	// S1 0.50–0.83, S2 0.17–0.50
}
