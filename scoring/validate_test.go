package scoring

import (
	"errors"
	"math"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		p    []float64
		k    int
		want string // "" for valid
	}{
		{[]float64{0.5, 0.5}, 2, ""},
		{[]float64{0.1, 0.2, 0.7}, 3, ""},
		{[]float64{1, 0, 0, 0}, 4, ""},
		{[]float64{0.5, 0.5 + 0.9e-6}, 2, ""},
		{[]float64{0.5, 0.4}, 2, "probabilities must sum to 1 (got 0.9)"},
		{[]float64{0.5, 0.5 + 2e-6}, 2, "probabilities must sum to 1 (got 1.000002)"},
		{[]float64{0.2, 0.2, 1.2, -0.6}, 4, "probabilities[2] must be in [0, 1] (got 1.2)"},
		{[]float64{0.5, 0.5, 0}, 4, "expected 4 probabilities (got 3)"},
		{nil, 2, "expected 2 probabilities (got 0)"},
		{[]float64{0.5, math.NaN()}, 2, "probabilities[1] is not a finite number"},
		{[]float64{math.Inf(1), 0}, 2, "probabilities[0] is not a finite number"},
		{[]float64{-0.0001, 1.0001}, 2, "probabilities[0] must be in [0, 1] (got -0.0001)"},
		{[]float64{1}, 1, "a question needs at least 2 options (got 1)"},
	}
	for _, tt := range tests {
		err := Validate(tt.p, tt.k)
		if tt.want == "" {
			if err != nil {
				t.Errorf("Validate(%v, %d) = %v; want nil", tt.p, tt.k, err)
			}
			continue
		}
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Message != tt.want {
			t.Errorf("Validate(%v, %d) = %v; want %q", tt.p, tt.k, err, tt.want)
		}
	}
}
