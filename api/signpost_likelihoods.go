package api

import (
	"github.com/gofiber/fiber/v2"

	"signpost/api/signposts"
	"signpost/store"
)

// likelihoodsDTO is an indicator's likelihood table on its scenario
// question.
type likelihoodsDTO struct {
	ScenarioQuestionID int64     `json:"scenario_question_id"`
	Trigger            string    `json:"trigger" doc:"yes (binary), higher or lower (ordered), an option index, or >=k (a conditional pair's threshold)"`
	Probabilities      []float64 `json:"probabilities" doc:"P(trigger | S_k) for each option k of the scenario question"`
	Source             string    `json:"source" enum:"admin,strengths,crowd" doc:"admin: entered by an admin; crowd: from a conditional pair answered in full by at least SIGNPOST_CONDITIONAL_MIN forecasters; strengths: from the links and their strengths"`
}

func toLikelihoodsDTO(t signposts.Table) likelihoodsDTO {
	return likelihoodsDTO{ScenarioQuestionID: t.ScenarioQuestionID, Trigger: t.Trigger,
		Probabilities: t.Probabilities, Source: t.Source}
}

// likelihoodsRequest is an admin's likelihood table; every field is
// required.
type likelihoodsRequest struct {
	ScenarioQuestionID *int64    `json:"scenario_question_id" required:"true"`
	Trigger            *string   `json:"trigger" required:"true" doc:"yes (binary), higher or lower (ordered), or an option index"`
	Probabilities      []float64 `json:"probabilities" required:"true" doc:"P(trigger | S_k) for each option k of the scenario question, each within [0.01, 0.99]"`
}

func (r *likelihoodsRequest) toTable(indicatorID int64) (store.LikelihoodTable, error) {
	switch {
	case r.ScenarioQuestionID == nil:
		return store.LikelihoodTable{}, invalid("scenario_question_id", "scenario_question_id is required")
	case r.Trigger == nil:
		return store.LikelihoodTable{}, invalid("trigger", "trigger is required")
	case r.Probabilities == nil:
		return store.LikelihoodTable{}, invalid("probabilities", "probabilities is required")
	}
	return store.LikelihoodTable{IndicatorID: indicatorID, ScenarioID: *r.ScenarioQuestionID, Trigger: *r.Trigger,
		Probabilities: r.Probabilities}, nil
}

// questionLikelihoods is the likelihood table the board uses for an
// indicator question.
func (s *Server) questionLikelihoods(c *fiber.Ctx) (likelihoodsDTO, error) {
	q, err := s.loadQuestion(c)
	if err != nil {
		return likelihoodsDTO{}, err
	}
	t, err := s.signs.Likelihoods(c.UserContext(), q)
	if err != nil {
		return likelihoodsDTO{}, err
	}
	return toLikelihoodsDTO(t), nil
}

// putLikelihoods stores an admin's likelihood table for an indicator.
func (s *Server) putLikelihoods(c *fiber.Ctx, in *likelihoodsRequest) (likelihoodsDTO, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return likelihoodsDTO{}, notFound("no such question")
	}
	t, err := in.toTable(id)
	if err != nil {
		return likelihoodsDTO{}, err
	}
	p, _ := caller(c)
	if t, err = s.cfg.Store.PutLikelihoodTable(c.UserContext(), t, p.ID); err != nil {
		return likelihoodsDTO{}, err
	}
	return likelihoodsDTO{ScenarioQuestionID: t.ScenarioID, Trigger: t.Trigger, Probabilities: t.Probabilities,
		Source: signposts.SourceAdmin}, nil
}

// deleteLikelihoods removes an admin's likelihood table, returning the
// indicator to the table derived from its links or conditional pairs.
func (s *Server) deleteLikelihoods(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return notFound("no such question")
	}
	p, _ := caller(c)
	return s.cfg.Store.DeleteLikelihoodTable(c.UserContext(), id, p.ID)
}
