package api

import (
	"fmt"

	"signpost/api/signposts"
	"signpost/scoring"
	"signpost/store"
)

// referenceScoreDTO is the reference forecast's score on a resolved
// question: shown beside the scores, never ranked with them.
type referenceScoreDTO struct {
	Probabilities []float64 `json:"probabilities"`
	Brier         float64   `json:"brier"`
	CrowdBrier    float64   `json:"crowd_brier"`
	Relative      float64   `json:"relative"`
	DaysTotal     int       `json:"days_total"`
}

// referenceScore scores a question's reference forecast (the source's own
// estimate) as if it had stood all along, against the forecasters' daily
// medians; nil if the question has none.
func referenceScore(q *store.Question, res scoring.Result) (*referenceScoreDTO, error) {
	ref := signposts.ReferenceForecast(q)
	if ref == nil {
		return nil, nil
	}
	us, err := scoring.ReferenceScore(q.ScoringQuestion(), ref, res.Median)
	if err != nil {
		return nil, fmt.Errorf("reference score of question %d: %v", q.ID, err)
	}
	return &referenceScoreDTO{Probabilities: ref, Brier: us.Brier, CrowdBrier: us.CrowdBrier,
		Relative: us.Relative, DaysTotal: us.DaysTotal}, nil
}
