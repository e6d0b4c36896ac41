package scoring

import "math"

// CalibrationSample is one probability a forecast gave an option, and
// whether that option happened.
type CalibrationSample struct {
	P        float64
	Happened bool
}

// Bin is one bin of a calibration table: of the Count samples whose
// probability fell in [Lower, Upper), Observed is the fraction whose
// option happened. A well-calibrated forecaster has Observed close to
// MeanForecast in every bin.
type Bin struct {
	Lower, Upper float64 // [Lower, Upper); the last bin includes 1
	Count        int
	MeanForecast float64 // 0 if Count is 0
	Observed     float64 // 0 if Count is 0
}

// Calibration counts the samples into the given number of equal-width
// bins over [0, 1] (nil if bins < 1). Probabilities outside [0, 1] are clamped into it and
// NaN ones are skipped. Empty bins report 0 rather than NaN so that the
// table can be encoded as JSON as is.
func Calibration(samples []CalibrationSample, bins int) []Bin {
	if bins < 1 {
		return nil
	}
	out := make([]Bin, bins)
	nb := float64(bins)
	for i := range out {
		out[i].Lower = float64(i) / nb
		out[i].Upper = float64(i+1) / nb
	}
	for _, s := range samples {
		if math.IsNaN(s.P) {
			continue
		}
		p := min(max(s.P, 0), 1)
		i := min(int(p*nb), bins-1)
		// p*nb can round across a bin edge; the edges as reported win.
		if i > 0 && p < out[i].Lower {
			i--
		} else if i < bins-1 && p >= out[i].Upper {
			i++
		}
		b := &out[i]
		b.Count++
		b.MeanForecast += p
		if s.Happened {
			b.Observed++
		}
	}
	for i := range out {
		if c := out[i].Count; c > 0 {
			out[i].MeanForecast /= float64(c)
			out[i].Observed /= float64(c)
		}
	}
	return out
}
