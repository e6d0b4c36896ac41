package scoring

import (
	"testing"
	"time"
)

func TestCrowd(t *testing.T) {
	tests := []struct {
		ps   [][]float64
		want []float64
	}{
		{nil, nil},
		{[][]float64{{0.5, 0.5}, {0.5}}, nil},
		{[][]float64{{0.7, 0.3}}, []float64{0.7, 0.3}},
		{[][]float64{{0.7, 0.3}, {0.4, 0.6}}, []float64{0.55, 0.45}},
		// Medians 0.2, 0.3, 0.6 sum to 1.1 and are renormalised.
		{[][]float64{{0.6, 0.4, 0}, {0.1, 0.3, 0.6}, {0.2, 0.2, 0.6}}, []float64{0.2 / 1.1, 0.3 / 1.1, 0.6 / 1.1}},
		// Every median 0: uniform.
		{[][]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}},
	}
	for _, tt := range tests {
		got := Crowd(tt.ps)
		if len(got) != len(tt.want) || (got == nil) != (tt.want == nil) {
			t.Errorf("Crowd(%v) = %v; want %v", tt.ps, got, tt.want)
			continue
		}
		for k := range got {
			if !near(got[k], tt.want[k]) {
				t.Errorf("Crowd(%v) = %v; want %v", tt.ps, got, tt.want)
			}
		}
	}
}

func TestStanding(t *testing.T) {
	_, fs := election("2016-11-09T05:00:00Z")
	got := Standing(fs, utc("2016-11-05T12:00:00Z"))
	if len(got) != 2 || got[0][0] != 0.6 || got[1][0] != 0.4 {
		t.Errorf("Standing = %v; want [[0.6 0.4] [0.4 0.6]]", got)
	}
	if got := Crowd(Standing(fs, utc("2016-11-06T00:00:00Z"))); !near(got[1], 0.55) {
		t.Errorf("crowd after Kramer's second forecast = %v; want Trump 0.55", got)
	}
}

// TestCrowdSeriesWorkedExample reads the daily crowd of the package documentation's
// example, stopping in the middle of 11-05 as an open question would.
func TestCrowdSeriesWorkedExample(t *testing.T) {
	q, fs := election("2016-11-09T05:00:00Z")
	q.ResolvedAt = time.Time{}
	got := CrowdSeries(q, fs, utc("2016-11-05T12:00:00Z"))
	// Trump: George alone, then the median of George and Kramer. Kramer's
	// 11-05 12:00 forecast is not before `until` and does not count.
	trump := []float64{0.3, 0.45, 0.5, 0.5, 0.5}
	n := []int{1, 2, 2, 2, 2}
	if len(got) != len(trump) {
		t.Fatalf("CrowdSeries has %d points; want %d: %+v", len(got), len(trump), got)
	}
	for d, p := range got {
		if !p.Day.Equal(q.OpensAt.AddDate(0, 0, d)) || !near(p.Probs[1], trump[d]) || !near(p.Probs[0]+p.Probs[1], 1) || p.Forecasters != n[d] {
			t.Errorf("point %d = %+v; want Trump %v from %d", d, p, trump[d], n[d])
		}
	}
	// until is capped at E: resolved on 11-05 06:00, the series stops there.
	q.ResolvedAt = utc("2016-11-05T06:00:00Z")
	if got := CrowdSeries(q, fs, utc("2030-01-01T00:00:00Z")); len(got) != 5 || !near(got[4].Probs[1], 0.5) {
		t.Errorf("CrowdSeries past E = %+v; want 5 points ending at Trump 0.5", got)
	}
	if got := CrowdSeries(q, fs, q.OpensAt); got != nil {
		t.Errorf("CrowdSeries until the opening = %+v; want nil", got)
	}
}
