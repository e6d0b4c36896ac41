package scoring

import (
	"fmt"
	"math"
	"strconv"
)

// SumTolerance is how far from 1 the probabilities of a forecast may sum.
// It absorbs the rounding of decimal input such as 0.1 + 0.2 + 0.7.
const SumTolerance = 1e-6

// ValidationError reports a forecast that breaks the probability rules.
// Message is safe to show to the client as is.
type ValidationError struct {
	Message string
}

// Error returns the client-safe message.
func (e *ValidationError) Error() string { return e.Message }

func invalid(format string, args ...any) error {
	return &ValidationError{Message: fmt.Sprintf(format, args...)}
}

// Validate checks that p is a forecast on a question with k >= 2 options:
// exactly k entries, each a finite number in [0, 1], summing to 1 within
// SumTolerance. The error, if any, is a *ValidationError naming the first
// problem found.
func Validate(p []float64, k int) error {
	if k < 2 {
		return invalid("a question needs at least 2 options (got %d)", k)
	}
	if len(p) != k {
		return invalid("expected %d probabilities (got %d)", k, len(p))
	}
	var sum float64
	for i, x := range p {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return invalid("probabilities[%d] is not a finite number", i)
		}
		if x < 0 || x > 1 {
			return invalid("probabilities[%d] must be in [0, 1] (got %v)", i, x)
		}
		sum += x
	}
	if math.Abs(sum-1) > SumTolerance {
		// Twelve digits show any sum outside the tolerance while hiding
		// the binary rounding of decimal input (1.0000019999999998).
		return invalid("probabilities must sum to 1 (got %s)", strconv.FormatFloat(sum, 'g', 12, 64))
	}
	return nil
}
