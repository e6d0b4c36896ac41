package api

import (
	"github.com/gofiber/fiber/v2"
)

// teamDetailDTO is a team with its members. The invite code is shown only
// to the team's members and to admins (by session or admin-scope token): it
// is the key to joining.
type teamDetailDTO struct {
	ID         int64           `json:"id"`
	Name       string          `json:"name"`
	InviteCode string          `json:"invite_code,omitempty" doc:"present for the team's members and admins"`
	Members    []publicUserDTO `json:"members" doc:"in joining order"`
}

func (s *Server) getTeam(c *fiber.Ctx) (teamDetailDTO, error) {
	ctx := c.UserContext()
	t, err := s.cfg.Store.FindTournamentBySlug(ctx, c.Params("slug"))
	if err != nil {
		return teamDetailDTO{}, err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return teamDetailDTO{}, notFound("no such team")
	}
	team, err := s.cfg.Store.FindTeam(ctx, t.ID, id)
	if err != nil {
		return teamDetailDTO{}, err
	}
	users, err := s.cfg.Store.UsersByID(ctx, team.Members)
	if err != nil {
		return teamDetailDTO{}, err
	}
	out := teamDetailDTO{ID: team.ID, Name: team.Name, Members: make([]publicUserDTO, len(team.Members))}
	p, signedIn := caller(c)
	for i, uid := range team.Members {
		out.Members[i] = toPublicUserDTO(users[uid])
		if signedIn && uid == p.ID {
			out.InviteCode = team.InviteCode
		}
	}
	if signedIn && p.admitsAdmin() {
		out.InviteCode = team.InviteCode
	}
	return out, nil
}

// leaveTeam takes the caller out of their team in the tournament (404 when
// they are in none).
func (s *Server) leaveTeam(c *fiber.Ctx) error {
	t, err := s.cfg.Store.FindTournamentBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	p, _ := caller(c)
	if err := s.cfg.Store.LeaveTeam(c.UserContext(), t.ID, p.ID); err != nil {
		return err
	}
	return nil
}
