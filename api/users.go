package api

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"signpost/api/scoreboard"
	"signpost/store"
)

type userDTO struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role" enum:"forecaster,admin"`
	Bot         bool   `json:"bot"`
}

func toUserDTO(u store.User) userDTO {
	return userDTO{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, Bot: u.Bot}
}

// publicUserDTO is a user as other people see them (in scores and leaderboards).
// publicUserDTO is a user as anyone may see them, the same on leaderboards
// (whose rows the scoreboard encodes) as everywhere else.
type publicUserDTO = scoreboard.PublicUser

func toPublicUserDTO(u store.User) publicUserDTO { return scoreboard.PublicUserOf(u) }

type authResponse struct {
	Token     string  `json:"token"`
	ExpiresAt string  `json:"expires_at" format:"date-time"`
	User      userDTO `json:"user"`
}

type registerRequest struct {
	Username    *string `json:"username" required:"true" doc:"3-32 characters of a-z 0-9 _ . - (case-insensitive, unique)"`
	Password    *string `json:"password" required:"true" doc:"8-72 bytes"`
	DisplayName *string `json:"display_name" doc:"shown on leaderboards (default: the username)"`
}

func (s *Server) register(c *fiber.Ctx, req *registerRequest) (authResponse, error) {
	if req.Username == nil {
		return authResponse{}, invalid("username", "username is required")
	}
	if req.Password == nil {
		return authResponse{}, invalid("password", "password is required")
	}
	display := ""
	if req.DisplayName != nil {
		display = *req.DisplayName
	}
	u, err := store.ValidateAccount(*req.Username, *req.Password, display, store.RoleForecaster)
	if err != nil {
		return authResponse{}, err
	}
	// Limited per address so that accounts made to game the crowd or to
	// flood the server cost something; checked after validation so that
	// a typo does not use up the allowance.
	if ok, wait := s.registrations.allow(s.now(), s.clientIP(c)); !ok {
		return authResponse{}, rateLimited(c, wait, "too many new accounts from this address; retry later")
	}
	if u.PasswordHash, err = s.hasher.hash(c.UserContext(), *req.Password); err != nil {
		return authResponse{}, err
	}
	u.CreatedAt = s.now()
	u, err = s.cfg.Store.CreateUser(c.UserContext(), u)
	if err != nil {
		return authResponse{}, err
	}
	return s.authAnswer(u)
}

type loginRequest struct {
	Username *string `json:"username" required:"true"`
	Password *string `json:"password" required:"true"`
}

func (s *Server) login(c *fiber.Ctx, req *loginRequest) (authResponse, error) {
	if req.Username == nil {
		return authResponse{}, invalid("username", "username is required")
	}
	if req.Password == nil {
		return authResponse{}, invalid("password", "password is required")
	}
	// Validated before the limiter stores anything under it.
	name, err := store.NormalizeUsername(*req.Username)
	if err != nil {
		return authResponse{}, err
	}
	now, ip := s.now(), s.clientIP(c)
	attempt, ok, wait := s.logins.allow(now, ip, name)
	if !ok {
		return authResponse{}, rateLimited(c, wait, "too many login attempts; retry later")
	}
	u, err := s.cfg.Store.FindUserByUsername(c.UserContext(), name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return authResponse{}, err
	}
	// An unknown user is checked against the dummy hash: every path costs
	// one bcrypt comparison at the configured cost, so timing does not
	// reveal which usernames exist.
	ok, err = s.hasher.matches(c.UserContext(), u.PasswordHash, *req.Password)
	if err != nil {
		return authResponse{}, err
	}
	if !ok {
		return authResponse{}, unauthorized("wrong username or password")
	}
	s.logins.succeeded(now, attempt)
	if u.Disabled {
		return authResponse{}, forbidden("this account is disabled")
	}
	return s.authAnswer(u)
}

// rateLimited answers 429 with a Retry-After in whole seconds.
func rateLimited(c *fiber.Ctx, wait time.Duration, msg string) error {
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds())+1))
	return &apiError{Status: 429, Code: "rate_limited", Message: msg}
}

func (s *Server) authAnswer(u store.User) (authResponse, error) {
	tok, exp, err := s.issueToken(u)
	if err != nil {
		return authResponse{}, err
	}
	return authResponse{Token: tok, ExpiresAt: formatTime(exp), User: toUserDTO(u)}, nil
}

type meTeamDTO struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Tournament string `json:"tournament"`
	InviteCode string `json:"invite_code"`
}

type meResponse struct {
	userDTO
	ProfilePublic bool        `json:"profile_public" doc:"whether others may open this user's profile page (the leaderboard lists everyone)"`
	Teams         []meTeamDTO `json:"teams"`
}

func (s *Server) me(c *fiber.Ctx) (meResponse, error) {
	p, _ := caller(c)
	u, err := s.cfg.Store.FindUserByID(c.UserContext(), p.ID)
	if errors.Is(err, store.ErrNotFound) {
		return meResponse{}, unauthorized("the token's user no longer exists")
	}
	if err != nil {
		return meResponse{}, err
	}
	teams, err := s.cfg.Store.TeamsOfUser(c.UserContext(), p.ID)
	if err != nil {
		return meResponse{}, err
	}
	public, err := s.cfg.Store.ProfilePublic(c.UserContext(), p.ID)
	if err != nil {
		return meResponse{}, err
	}
	out := meResponse{userDTO: toUserDTO(u), ProfilePublic: public, Teams: make([]meTeamDTO, len(teams))}
	for i, t := range teams {
		out.Teams[i] = meTeamDTO{ID: t.ID, Name: t.Name, Tournament: t.TournamentSlug, InviteCode: t.InviteCode}
	}
	return out, nil
}
