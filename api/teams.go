package api

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"signpost/store"
)

type teamDTO struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	InviteCode string `json:"invite_code"`
	Members    int    `json:"members"`
}

func toTeamDTO(t store.Team) teamDTO {
	return teamDTO{ID: t.ID, Name: t.Name, InviteCode: t.InviteCode, Members: len(t.Members)}
}

type teamRequest struct {
	Name *string `json:"name" required:"true" doc:"1-64 characters"`
}

type joinRequest struct {
	InviteCode *string `json:"invite_code" required:"true"`
}

func (s *Server) createTeam(c *fiber.Ctx, req *teamRequest) (teamDTO, error) {
	if req.Name == nil || strings.TrimSpace(*req.Name) == "" {
		return teamDTO{}, invalid("name", "name is required")
	}
	name := strings.TrimSpace(*req.Name)
	if utf8.RuneCountInString(name) > 64 {
		return teamDTO{}, invalid("name", "name is longer than 64 characters")
	}
	if err := store.CheckName("name", name); err != nil {
		return teamDTO{}, err
	}
	t, err := s.cfg.Store.FindTournamentBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return teamDTO{}, err
	}
	p, _ := caller(c)
	team, err := s.cfg.Store.CreateTeam(c.UserContext(), t.ID, name, p.ID)
	if err != nil {
		return teamDTO{}, err
	}
	return toTeamDTO(team), nil
}

func (s *Server) joinTeam(c *fiber.Ctx, req *joinRequest) (teamDTO, error) {
	if req.InviteCode == nil || strings.TrimSpace(*req.InviteCode) == "" {
		return teamDTO{}, invalid("invite_code", "invite_code is required")
	}
	t, err := s.cfg.Store.FindTournamentBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return teamDTO{}, err
	}
	p, _ := caller(c)
	code := strings.ToUpper(strings.TrimSpace(*req.InviteCode))
	team, err := s.cfg.Store.JoinTeam(c.UserContext(), t.ID, code, p.ID)
	if err != nil {
		return teamDTO{}, err
	}
	return toTeamDTO(team), nil
}
