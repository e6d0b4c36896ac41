package api

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"signpost/store"
)

// profileDTO is a forecaster's public track record in one tournament.
type profileDTO struct {
	User          publicUserDTO  `json:"user"`
	ProfilePublic bool           `json:"profile_public"`
	Tournament    string         `json:"tournament"`
	Standing      *entryDTO      `json:"standing" doc:"their row of the tournament's leaderboard, null before any scored question"`
	Scores        []myScoreDTO   `json:"scores" doc:"one per resolved question they forecast"`
	Calibration   calibrationDTO `json:"calibration"`
}

// userProfile answers a forecaster's profile. A hidden profile is 404 to
// everyone but its owner and admins, as if it did not exist; the
// leaderboard still lists them.
func (s *Server) userProfile(c *fiber.Ctx) (profileDTO, error) {
	ctx := c.UserContext()
	u, err := s.cfg.Store.FindUserByUsername(ctx, strings.ToLower(c.Params("username")))
	if err != nil {
		return profileDTO{}, err
	}
	public, err := s.cfg.Store.ProfilePublic(ctx, u.ID)
	if err != nil {
		return profileDTO{}, err
	}
	if p, ok := caller(c); !public && (!ok || (p.ID != u.ID && !p.admitsAdmin())) {
		return profileDTO{}, store.MissingUser(u.Username)
	}
	t, err := s.tournamentParam(c)
	if err != nil {
		return profileDTO{}, err
	}
	out := profileDTO{User: toPublicUserDTO(u), ProfilePublic: public, Tournament: t.Slug}
	if out.Scores, err = s.userScores(ctx, t, u.ID); err != nil {
		return profileDTO{}, err
	}
	if out.Calibration, err = s.userCalibration(ctx, t, u.ID); err != nil {
		return profileDTO{}, err
	}
	out.Standing, err = s.standing(c, t, u.ID)
	return out, err
}

// standing finds a user's row on the tournament's cached leaderboard.
func (s *Server) standing(c *fiber.Ctx, t store.Tournament, userID int64) (*entryDTO, error) {
	_, b, err := s.scores.Current(c.UserContext(), t.Slug)
	if err != nil {
		return nil, err
	}
	if e, ok := b.Standing(userID); ok {
		return &e, nil
	}
	return nil, nil
}

type meUpdateRequest struct {
	DisplayName   *string `json:"display_name" doc:"1-64 characters, shown on leaderboards"`
	ProfilePublic *bool   `json:"profile_public" doc:"false hides the profile page from others (not from leaderboards)"`
}

func (s *Server) updateMe(c *fiber.Ctx, req *meUpdateRequest) (meResponse, error) {
	ch := store.ProfileChange{Public: req.ProfilePublic}
	if req.DisplayName != nil {
		name, err := store.ValidateDisplayName(*req.DisplayName)
		if err != nil {
			return meResponse{}, err
		}
		ch.DisplayName = &name
	}
	p, _ := caller(c)
	err := s.cfg.Store.UpdateProfile(c.UserContext(), p.ID, ch)
	if errors.Is(err, store.ErrNotFound) {
		return meResponse{}, unauthorized("the token's user no longer exists")
	}
	if err != nil {
		return meResponse{}, err
	}
	return s.me(c)
}
