package scoring

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Driver is one indicator's part in the gap between a forecaster's own
// implied scenario probabilities and their scenario forecast.
type Driver struct {
	Indicator int64
	// Effect is the distance with the indicator minus the distance without
	// it: positive when the indicator pulls the implied figure away from
	// the forecast (it drives the incoherence), negative when it pulls it
	// towards the forecast.
	Effect float64
	// Scenario is the scenario whose implied probability the indicator
	// moves most, and Shift that move (positive: raised).
	Scenario int
	Shift    float64
}

// Coherence compares a scenario forecast with what the same forecaster's
// indicator forecasts imply.
type Coherence struct {
	Implied  []float64
	Distance float64  // total variation distance between Implied and the forecast
	Drivers  []Driver // by Effect, largest first, then by Indicator
}

// CoherenceOf applies Implied to prior and ev (ev carrying the
// forecaster's own trigger probabilities) and measures the total
// variation distance to forecast. Each indicator's effect is found by
// leaving all of its links out and measuring again.
func CoherenceOf(prior, forecast []float64, ev []Evidence) (Coherence, error) {
	imp, err := Implied(prior, ev)
	if err != nil {
		return Coherence{}, err
	}
	if err := Validate(forecast, len(prior)); err != nil {
		return Coherence{}, fmt.Errorf("scoring: forecast: %w", err)
	}
	c := Coherence{Implied: imp, Distance: TVDistance(imp, forecast)}
	var seen []int64
	for _, e := range ev {
		if slices.Contains(seen, e.Indicator) {
			continue
		}
		seen = append(seen, e.Indicator)
		without := implied(prior, withoutIndicator(ev, e.Indicator))
		d := Driver{Indicator: e.Indicator, Effect: c.Distance - TVDistance(without, forecast)}
		for k := range imp {
			if shift := imp[k] - without[k]; math.Abs(shift) > math.Abs(d.Shift) {
				d.Scenario, d.Shift = k, shift
			}
		}
		c.Drivers = append(c.Drivers, d)
	}
	slices.SortFunc(c.Drivers, func(a, b Driver) int {
		if a.Effect != b.Effect {
			return cmp.Compare(b.Effect, a.Effect)
		}
		return cmp.Compare(a.Indicator, b.Indicator)
	})
	return c, nil
}

// TVDistance is the total variation distance ½ Σ |p_k − q_k| between two
// distributions over the same options: 0 when equal, 1 when disjoint.
func TVDistance(p, q []float64) float64 {
	var s float64
	for k := range p {
		s += math.Abs(p[k] - q[k])
	}
	return s / 2
}
