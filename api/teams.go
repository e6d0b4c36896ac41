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
	Name       *string `json:"name"`
	InviteCode *string `json:"invite_code"`
}

func (s *Server) createTeam(c *fiber.Ctx) error {
	var req teamRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if req.Name == nil || strings.TrimSpace(*req.Name) == "" {
		return invalid("name", "name is required")
	}
	name := strings.TrimSpace(*req.Name)
	if utf8.RuneCountInString(name) > 64 {
		return invalid("name", "name is longer than 64 characters")
	}
	t, err := s.cfg.Store.FindTournamentBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	p, _ := caller(c)
	team, err := s.cfg.Store.CreateTeam(c.UserContext(), t.ID, name, p.ID)
	if err != nil {
		return err
	}
	s.versions.forget()
	return c.Status(fiber.StatusCreated).JSON(toTeamDTO(team))
}

func (s *Server) joinTeam(c *fiber.Ctx) error {
	var req teamRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if req.InviteCode == nil || strings.TrimSpace(*req.InviteCode) == "" {
		return invalid("invite_code", "invite_code is required")
	}
	t, err := s.cfg.Store.FindTournamentBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	p, _ := caller(c)
	code := strings.ToUpper(strings.TrimSpace(*req.InviteCode))
	team, err := s.cfg.Store.JoinTeam(c.UserContext(), t.ID, code, p.ID)
	if err != nil {
		return err
	}
	s.versions.forget()
	return c.JSON(toTeamDTO(team))
}
