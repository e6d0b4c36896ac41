package api

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
