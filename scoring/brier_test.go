package scoring

import (
	"errors"
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

// TestBrierWorkedExamples is the table of SCORING.md section 1.
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

func TestKind(t *testing.T) {
	for _, k := range []Kind{Binary, MultipleChoice, Ordered} {
		got, err := ParseKind(k.String())
		if err != nil || got != k {
			t.Errorf("ParseKind(%q) = %v, %v; want %v", k.String(), got, err, k)
		}
	}
	for _, s := range []string{"", "Binary", "multiple-choice", "numeric"} {
		if _, err := ParseKind(s); err == nil {
			t.Errorf("ParseKind(%q) succeeded; want an error", s)
		}
	}
	if got := Kind(0).String(); got != "Kind(0)" {
		t.Errorf("Kind(0).String() = %q; want %q", got, "Kind(0)")
	}
}

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
