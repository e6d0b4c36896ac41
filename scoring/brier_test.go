package scoring

import (
	"math"
	"testing"
)

const tol = 1e-9

func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}

// TestBrierWorkedExamples is the table of section 1 of the package documentation.
func TestBrierWorkedExamples(t *testing.T) {
	tests := []struct {
		kind    Kind
		p       []float64
		outcome int
		want    float64
	}{
		{MultipleChoice, []float64{0.40, 0.30, 0.20, 0.10}, 0, 0.50},
		{Binary, []float64{0.70, 0.30}, 1, 0.98},
		{Ordered, []float64{0.25, 0.25, 0.30, 0.20}, 1, 0.235},
		{Ordered, []float64{0.15, 0.45, 0.25, 0.15}, 2, 0.27},
		{MultipleChoice, []float64{0.15, 0.45, 0.25, 0.15}, 2, 0.81}, // "plain Brier would be 0.81"
	}
	for _, tt := range tests {
		if got := Brier(tt.kind, tt.p, tt.outcome); !near(got, tt.want) {
			t.Errorf("Brier(%v, %v, %d) = %v; want %v", tt.kind, tt.p, tt.outcome, got, tt.want)
		}
	}
}

func TestBrierOrderedTwoOptionsIsPlain(t *testing.T) {
	for _, p := range []float64{0, 0.1, 0.37, 0.5, 0.93, 1} {
		for j := range 2 {
			f := []float64{p, 1 - p}
			if got, want := Brier(Ordered, f, j), Brier(Binary, f, j); !near(got, want) {
				t.Errorf("Brier(Ordered, %v, %d) = %v; want %v", f, j, got, want)
			}
		}
	}
}

func TestBrierBadInputIsNaN(t *testing.T) {
	tests := []struct {
		kind    Kind
		p       []float64
		outcome int
	}{
		{0, []float64{0.5, 0.5}, 0},
		{Kind(9), []float64{0.5, 0.5}, 0},
		{Binary, []float64{0.5, 0.5}, 2},
		{Binary, []float64{0.5, 0.5}, -1},
		{Ordered, []float64{1}, 0},
		{MultipleChoice, nil, 0},
	}
	for _, tt := range tests {
		if got := Brier(tt.kind, tt.p, tt.outcome); !math.IsNaN(got) {
			t.Errorf("Brier(%v, %v, %d) = %v; want NaN", tt.kind, tt.p, tt.outcome, got)
		}
	}
}
