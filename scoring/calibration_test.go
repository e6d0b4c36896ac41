package scoring

import (
	"math"
	"testing"
)

func TestCalibration(t *testing.T) {
	samples := []CalibrationSample{
		{0, false}, {0.05, false}, {0.1, true}, {0.15, false},
		{0.7, true}, {0.7, false}, {0.75, true}, {1, true}, {0.95, true},
		{math.NaN(), true}, {-0.5, false}, {1.5, true},
	}
	bins := Calibration(samples, 10)
	want := map[int]Bin{
		0: {0, 0.1, 3, -1, 0},        // 0, 0.05 and the clamped -0.5
		1: {0.1, 0.2, 2, 0.125, 0.5}, // 0.1 sits at its bin's lower edge
		7: {0.7, 0.8, 3, 2.15 / 3, 2.0 / 3},
		9: {0.9, 1, 3, 2.95 / 3, 1}, // 1 and the clamped 1.5 are in the last bin
	}
	total := 0
	for i, b := range bins {
		total += b.Count
		if !near(b.Lower, float64(i)/10) || !near(b.Upper, float64(i+1)/10) {
			t.Errorf("bin %d edges [%v, %v)", i, b.Lower, b.Upper)
		}
		w, ok := want[i]
		if !ok {
			if b.Count != 0 || b.MeanForecast != 0 || b.Observed != 0 {
				t.Errorf("bin %d = %+v; want empty", i, b)
			}
			continue
		}
		if w.MeanForecast < 0 {
			w.MeanForecast = 0.05 / 3
		}
		if b.Count != w.Count || !near(b.MeanForecast, w.MeanForecast) || !near(b.Observed, w.Observed) {
			t.Errorf("bin %d = %+v; want %+v", i, b, w)
		}
	}
	if total != 11 {
		t.Errorf("binned %d samples; want 11 (NaN skipped)", total)
	}
	if Calibration(samples, 0) != nil {
		t.Error("Calibration(samples, 0) != nil")
	}
	if b := Calibration(nil, 1); len(b) != 1 || b[0].Lower != 0 || b[0].Upper != 1 || b[0].Count != 0 {
		t.Errorf("Calibration(nil, 1) = %+v", b)
	}
	// Edges that floating point could misplace: k/bins lands in bin k.
	for _, n := range []int{3, 7, 10, 20} {
		for k := range n {
			p := float64(k) / float64(n)
			bins := Calibration([]CalibrationSample{{P: p}}, n)
			if bins[k].Count != 1 {
				t.Errorf("Calibration(%v, %d): not in bin %d", p, n, k)
			}
		}
	}
}
