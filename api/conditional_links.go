package api

import "signpost/api/signposts"

// defaultConditionalMin is SIGNPOST_CONDITIONAL_MIN's default.
const defaultConditionalMin = 5

// conditionalMin is the configured threshold of forecasters, never below
// the crowd minimum: fewer would show one person's branch forecasts
// (the command refuses such a setting at start).
func (s *Server) conditionalMin() int {
	if s.cfg.ConditionalMin > 0 {
		return max(s.cfg.ConditionalMin, s.crowd.Min())
	}
	return max(defaultConditionalMin, s.crowd.Min())
}

// conditionalCheckDTO is the total-probability check of one conditional
// pair from the caller's own forecasts.
type conditionalCheckDTO struct {
	IndicatorQuestionID int64     `json:"indicator_question_id"`
	Threshold           *int      `json:"threshold"`
	IfYes               int64     `json:"if_yes" doc:"the \"if Yes\" branch's question ID"`
	IfNo                int64     `json:"if_no" doc:"the \"if No\" branch's question ID"`
	TotalProbability    []float64 `json:"total_probability" doc:"P(I)·P(S | Yes) + (1 − P(I))·P(S | No) from the caller's own forecasts"`
	Distance            float64   `json:"distance" doc:"total variation distance to the caller's scenario forecast: a large gap is worth discussing, never an error"`
}

func toConditionalCheckDTOs(cs []signposts.ConditionalCheck) []conditionalCheckDTO {
	out := make([]conditionalCheckDTO, len(cs))
	for i, c := range cs {
		out[i] = conditionalCheckDTO{IndicatorQuestionID: c.IndicatorQuestionID, Threshold: c.Threshold,
			IfYes: c.IfYes, IfNo: c.IfNo, TotalProbability: c.TotalProbability, Distance: c.Distance}
	}
	return out
}
