package scoring

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Gap is one indicator's part in a forecaster's incoherence under
// likelihood tables: what their scenario forecast predicts for the
// indicator's trigger beside what they forecast for it.
type Gap struct {
	Indicator int64
	Expected  float64 // Σ_k f_k · P(trigger | S_k), f the scenario forecast
	Forecast  float64 // the forecaster's own probability of the trigger
}

// TableCoherence compares a forecaster's scenario forecast with what
// their own indicator forecasts imply under the likelihood tables.
type TableCoherence struct {
	Implied  []float64 // ImpliedByForecasts of their own indicator forecasts
	Distance float64   // total variation distance between Implied and the forecast
	Drivers  []Gap     // every indicator, largest |Forecast − Expected| first, then by Indicator
}

// TableCoherenceOf measures how far a forecaster's scenario forecast is
// from what their own indicator forecasts imply: Implied is
// [ImpliedByForecasts] of evidence (the evidence posterior, shared by
// everyone) and own, and Distance its [TVDistance] to forecast. A
// forecaster whose every indicator forecast equals what their scenario
// forecast predicts ([ExpectedTrigger]) is at distance 0 whenever the
// tables determine the scenarios, however much they disagree with the
// crowd. The drivers are the indicators where forecast and prediction
// differ most; unlike [CoherenceOf]'s they need no leave-one-out
// recomputation, since the gap of each indicator is explicit.
//
// Worked example (ExampleTableCoherenceOf): a forecaster says 50/30/20
// over three scenarios; indicator 2 (table 0.3/0.6/0.9) is predicted at
// 0.5·0.3 + 0.3·0.6 + 0.2·0.9 = 0.51 by that forecast but forecast at
// 0.85, while indicators 1 and 3 are forecast as predicted. Their own
// forecasts imply 18/25/57, at distance 0.37 from what they say, and
// indicator 2 heads the drivers.
func TableCoherenceOf(evidence, forecast []float64, own []OpenIndicator) (TableCoherence, error) {
	imp, err := ImpliedByForecasts(evidence, own)
	if err != nil {
		return TableCoherence{}, err
	}
	if err := checkScenarios(forecast); err != nil || len(forecast) != len(evidence) {
		return TableCoherence{}, fmt.Errorf("scoring: forecast %v is not a distribution over the %d scenarios", forecast, len(evidence))
	}
	c := TableCoherence{Implied: imp, Distance: TVDistance(imp, forecast), Drivers: make([]Gap, len(own))}
	for i, o := range own {
		c.Drivers[i] = Gap{Indicator: o.Indicator, Expected: ExpectedTrigger(forecast, o.Likelihood), Forecast: o.P}
	}
	slices.SortStableFunc(c.Drivers, func(a, b Gap) int {
		// Gaps equal to the precision the package promises tie, so that
		// rounding cannot reorder indicators a reader sees as equal.
		if c := cmp.Compare(tieKey(math.Abs(b.Forecast-b.Expected)), tieKey(math.Abs(a.Forecast-a.Expected))); c != 0 {
			return c
		}
		return cmp.Compare(a.Indicator, b.Indicator)
	})
	return c, nil
}
