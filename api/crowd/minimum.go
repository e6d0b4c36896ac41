package crowd

import "signpost/scoring"

// DefaultMin is the fewest forecasters a crowd is shown for. With one
// forecaster the crowd is their forecast; with two, two throwaway accounts
// forecasting 1 and 0 leave the median at the victim's.
const DefaultMin = 3

// Min is the fewest forecasters a crowd is shown for.
func (cc *Crowds) Min() int { return cc.min }

// Shown is the current crowd of a question, or nil below the minimum
// number of forecasters: every answer that shows or uses a crowd
// (questions, signposts, coherence, webhooks) goes through it.
func (cc *Crowds) Shown(questionID int64) ([]float64, int) {
	crowd, n := cc.Current(questionID)
	if n < cc.min {
		return nil, n
	}
	return crowd, n
}

// ShownSeries drops the days of a crowd series with too few forecasters.
func (cc *Crowds) ShownSeries(points []scoring.CrowdPoint) []scoring.CrowdPoint {
	out := points[:0:0]
	for _, p := range points {
		if p.Forecasters >= cc.min {
			out = append(out, p)
		}
	}
	return out
}
