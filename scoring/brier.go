package scoring

import "math"

// Brier returns the Brier score of forecast p when option outcome is
// realised (section 1 of the package documentation): the original two-sided score from 0
// (certain and right) to 2 (certain and wrong). For Ordered questions it
// is the mean of the K-1 cumulative binary Brier scores, so that near
// misses cost less than far misses.
//
// Brier does not validate p (see Validate); it returns NaN if the kind is
// unknown, p has fewer than 2 entries or outcome is not an index of p, so
// that a bad call poisons the result visibly instead of panicking.
func Brier(kind Kind, p []float64, outcome int) float64 {
	if len(p) < 2 || outcome < 0 || outcome >= len(p) {
		return math.NaN()
	}
	switch kind {
	case Binary, MultipleChoice:
		var s float64
		for k, x := range p {
			if k == outcome {
				x--
			}
			s += x * x
		}
		return s
	case Ordered:
		var s, cum float64
		for cut := 0; cut < len(p)-1; cut++ {
			cum += p[cut]
			o := 0.0
			if outcome <= cut {
				o = 1
			}
			// Both sides of each cut, as the package documentation writes them, rather
			// than 2(P-o)²: the two differ in the last bit and the spec
			// is the reference.
			a, b := cum-o, (1-cum)-(1-o)
			s += a*a + b*b
		}
		return s / float64(len(p)-1)
	}
	return math.NaN()
}
