package api

import (
	"github.com/gofiber/fiber/v2"

	"signpost/scoring"
	"signpost/store"
)

// linkDTO is one signpost link of an indicator question.
type linkDTO struct {
	ID                  int64   `json:"id"`
	IndicatorQuestionID int64   `json:"indicator_question_id"`
	ScenarioQuestionID  int64   `json:"scenario_question_id"`
	Option              int     `json:"option" doc:"option index of the scenario question"`
	Trigger             string  `json:"trigger" doc:"yes (binary), higher or lower (ordered), or an option index"`
	Direction           int     `json:"direction" enum:"1,-1" doc:"1 raises the scenario, -1 lowers it"`
	Strength            string  `json:"strength" enum:"weak,moderate,strong"`
	Weight              float64 `json:"weight" doc:"the strength's likelihood ratio"`
}

func toLinkDTO(l store.Link) linkDTO {
	s, _ := scoring.ParseStrength(l.Strength)
	return linkDTO{ID: l.ID, IndicatorQuestionID: l.IndicatorID, ScenarioQuestionID: l.ScenarioID, Option: l.Option,
		Trigger: l.Trigger, Direction: l.Direction, Strength: l.Strength, Weight: s.Weight()}
}

type linksDTO struct {
	Links []linkDTO `json:"links"`
}

// linkRequest creates a link; every field is required.
type linkRequest struct {
	ScenarioQuestionID *int64  `json:"scenario_question_id" required:"true"`
	Option             *int    `json:"option" required:"true" doc:"option index of the scenario question"`
	Trigger            *string `json:"trigger" required:"true" doc:"yes (binary), higher or lower (ordered), or an option index"`
	Direction          *int    `json:"direction" required:"true" enum:"1,-1" doc:"1 raises the scenario, -1 lowers it"`
	Strength           *string `json:"strength" required:"true" enum:"weak,moderate,strong"`
}

func (r *linkRequest) toLink(indicatorID int64) (store.Link, error) {
	switch {
	case r.ScenarioQuestionID == nil:
		return store.Link{}, invalid("scenario_question_id", "scenario_question_id is required")
	case r.Option == nil:
		return store.Link{}, invalid("option", "option is required")
	case r.Trigger == nil:
		return store.Link{}, invalid("trigger", "trigger is required")
	case r.Direction == nil:
		return store.Link{}, invalid("direction", "direction is required")
	case r.Strength == nil:
		return store.Link{}, invalid("strength", "strength is required")
	}
	return store.Link{IndicatorID: indicatorID, ScenarioID: *r.ScenarioQuestionID, Option: *r.Option,
		Trigger: *r.Trigger, Direction: *r.Direction, Strength: *r.Strength}, nil
}

// questionLinks lists an indicator question's links.
func (s *Server) questionLinks(c *fiber.Ctx) (linksDTO, error) {
	q, err := s.loadQuestion(c)
	if err != nil {
		return linksDTO{}, err
	}
	ls, err := s.cfg.Store.IndicatorLinks(c.UserContext(), q.ID)
	if err != nil {
		return linksDTO{}, err
	}
	out := linksDTO{Links: make([]linkDTO, len(ls))}
	for i, l := range ls {
		out.Links[i] = toLinkDTO(l)
	}
	return out, nil
}

// createLink adds a link to an indicator question (admin).
func (s *Server) createLink(c *fiber.Ctx, in *linkRequest) (linkDTO, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return linkDTO{}, err
	}
	l, err := in.toLink(id)
	if err != nil {
		return linkDTO{}, err
	}
	p, _ := caller(c)
	if l, err = s.cfg.Store.CreateLink(c.UserContext(), l, p.ID); err != nil {
		return linkDTO{}, err
	}
	return toLinkDTO(l), nil
}

// deleteLink removes one link of an indicator question (admin).
func (s *Server) deleteLink(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	linkID, err := idParam(c, "link_id")
	if err != nil {
		return err
	}
	p, _ := caller(c)
	return s.cfg.Store.DeleteLink(c.UserContext(), id, linkID, p.ID)
}
