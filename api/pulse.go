package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"signpost/api/signposts"
	"signpost/store"
)

// pulsePointDTO is one UTC day of the scenario pulse.
type pulsePointDTO struct {
	Date     string    `json:"date" format:"date"`
	Crowd    []float64 `json:"crowd" doc:"the crowd's scenario probabilities that day"`
	Evidence []float64 `json:"evidence" doc:"the prior updated by the indicators resolved by the end of that day"`
	Implied  []float64 `json:"implied" doc:"the signpost-implied probabilities that day"`
	// CrowdLinks says which links that day's implied figure used.
	CrowdLinks []int64 `json:"crowd_links" doc:"indicators whose links that day were the crowd's, estimated from a conditional pair answered in full by at least SIGNPOST_CONDITIONAL_MIN forecasters; the other indicators used the admin's links"`
}

// resolvedIndicatorDTO marks an indicator's resolution on the time axis.
type resolvedIndicatorDTO struct {
	QuestionID int64      `json:"question_id"`
	Title      store.Text `json:"title"`
	Date       string     `json:"date" format:"date"`
	ResolvedAt string     `json:"resolved_at" format:"date-time"`
	Outcome    int        `json:"outcome"`
	Label      store.Text `json:"label" doc:"the label of the realised option"`
}

type pulseDTO struct {
	ScenarioQuestionID int64                  `json:"scenario_question_id"`
	Reference          probsOrNull            `json:"reference" doc:"the reference forecast, or null"`
	Points             []pulsePointDTO        `json:"points"`
	Resolved           []resolvedIndicatorDTO `json:"resolved"`
}

// signpostHistory is the scenario pulse: for each UTC day with a crowd on
// the scenario question, the crowd, evidence and implied probabilities as
// they stood at the end of that day, and the indicators' resolutions.
func (s *Server) signpostHistory(c *fiber.Ctx) (pulseDTO, error) {
	p, err := s.signs.Pulse(c.UserContext(), c.Params("slug"))
	if err != nil {
		return pulseDTO{}, err
	}
	return toPulseDTO(p), nil
}

func toPulseDTO(p signposts.Pulse) pulseDTO {
	out := pulseDTO{ScenarioQuestionID: p.ScenarioQuestionID, Reference: p.Reference,
		Points: make([]pulsePointDTO, len(p.Points)), Resolved: make([]resolvedIndicatorDTO, len(p.Resolved))}
	for i, pt := range p.Points {
		out.Points[i] = pulsePointDTO{Date: pt.Day.Format(time.DateOnly), Crowd: pt.Crowd, Evidence: pt.Evidence, Implied: pt.Implied,
			CrowdLinks: orEmptyIDs(pt.CrowdLinks)}
	}
	for i, r := range p.Resolved {
		out.Resolved[i] = resolvedIndicatorDTO{QuestionID: r.QuestionID, Title: r.Title,
			Date: r.ResolvedAt.UTC().Format(time.DateOnly), ResolvedAt: formatTime(r.ResolvedAt),
			Outcome: r.Outcome, Label: r.Label}
	}
	return out
}

// orEmptyIDs answers [] rather than null for no IDs.
func orEmptyIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}
