package api

import "signpost/scoring"

// defaultCrowdMin is the fewest forecasters a crowd is shown for. With one
// forecaster the crowd is their forecast; with two, two throwaway accounts
// forecasting 1 and 0 leave the median at the victim's.
const defaultCrowdMin = 3

// crowdMin is the configured minimum (Config.CrowdMin, 0: the default).
func (s *Server) crowdMin() int {
	if s.cfg.CrowdMin > 0 {
		return s.cfg.CrowdMin
	}
	return defaultCrowdMin
}

// shownCrowd is the crowd cache's current crowd of a question, or nil
// below the minimum number of forecasters: every answer that shows or uses
// a crowd (questions, signposts, coherence) goes through it.
func (s *Server) shownCrowd(questionID int64) ([]float64, int) {
	crowd, n := s.crowd.current(questionID)
	if n < s.crowdMin() {
		return nil, n
	}
	return crowd, n
}

// shownSeries drops the days of a crowd series with too few forecasters.
func (s *Server) shownSeries(points []scoring.CrowdPoint) []scoring.CrowdPoint {
	out := points[:0:0]
	for _, p := range points {
		if p.Forecasters >= s.crowdMin() {
			out = append(out, p)
		}
	}
	return out
}
