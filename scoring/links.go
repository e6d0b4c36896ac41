package scoring

import (
	"math"
	"slices"
)

// ConditionTrigger is the event the "if Yes" branch of a conditional pair
// assumes of its indicator: a Yes for a binary indicator (threshold 0),
// else landing at or above bucket threshold of an ordered one.
func ConditionTrigger(threshold int) Trigger {
	if threshold > 0 {
		return Trigger{Kind: TriggerAtLeast, Option: threshold}
	}
	return Trigger{Kind: TriggerYes}
}

// NearestStrength names an oriented likelihood ratio (at least 1, see
// [Oriented]) by the strength whose weight is nearest in log space, so
// that a crowd-estimated link can be worded like an admin's; the ratio
// itself is what [Implied] uses. Halfway between weak (1.5) and moderate
// (2.5) lies √3.75 ≈ 1.94; between moderate and strong (5), √12.5 ≈ 3.54.
func NearestStrength(ratio float64) Strength {
	best, dist := Weak, math.Inf(1)
	for _, st := range []Strength{Weak, Moderate, Strong} {
		if d := math.Abs(math.Log(ratio) - math.Log(st.Weight())); d < dist {
			best, dist = st, d
		}
	}
	return best
}

// Ratio is the likelihood ratio an admin's link of strength s applies to
// its scenario's odds when the trigger happens: the weight for a link
// that raises the scenario (direction +1), its inverse for one that
// lowers it (direction −1).
func (s Strength) Ratio(direction int) float64 {
	return math.Pow(s.Weight(), float64(direction))
}

// Uniform is the forecast that gives each of k options 1/k: the signpost
// board's prior when there is neither a crowd nor a reference forecast.
func Uniform(k int) []float64 {
	u := make([]float64, k)
	for i := range u {
		u[i] = 1 / float64(k)
	}
	return u
}

// ImpliedWithout is [Implied] with every link of one indicator left out:
// subtracted from Implied with them, it is how far that indicator moves
// each scenario.
func ImpliedWithout(prior []float64, ev []Evidence, indicator int64) ([]float64, error) {
	return Implied(prior, withoutIndicator(ev, indicator))
}

// withoutIndicator is a copy of ev without the indicator's links.
func withoutIndicator(ev []Evidence, indicator int64) []Evidence {
	return slices.DeleteFunc(slices.Clone(ev), func(e Evidence) bool { return e.Indicator == indicator })
}

// Moves reports whether the driver's indicator changes anything beyond
// rounding: an indicator whose evidence is nil (a coin-flip crowd, a
// ratio of 1) has neither an effect nor a shift.
func (d Driver) Moves() bool {
	return math.Abs(d.Effect) >= 1e-12 || math.Abs(d.Shift) >= 1e-12
}
