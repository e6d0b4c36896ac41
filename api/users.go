package api

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"

	"signpost/store"
)

type userDTO struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
}

func toUserDTO(u store.User) userDTO {
	return userDTO{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role}
}

// publicUserDTO is a user as other people see them (in scores and leaderboards).
type publicUserDTO struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
}

func toPublicUserDTO(u store.User) publicUserDTO {
	return publicUserDTO{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName}
}

type authResponse struct {
	Token     string  `json:"token"`
	ExpiresAt string  `json:"expires_at"`
	User      userDTO `json:"user"`
}

type registerRequest struct {
	Username    *string `json:"username"`
	Password    *string `json:"password"`
	DisplayName *string `json:"display_name"`
}

// NewAccount validates and hashes a new account; registration and the admin
// sub-command share it so both apply the same rules.
func NewAccount(username, password, displayName, role string, cost int) (store.User, error) {
	u, err := checkAccount(username, password, displayName, role)
	if err != nil {
		return u, err
	}
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return store.User{}, err
	}
	u.PasswordHash = string(hash)
	return u, nil
}

// checkAccount validates a new account's fields, before any hashing.
func checkAccount(username, password, displayName, role string) (store.User, error) {
	name, err := store.NormalizeUsername(username)
	if err != nil {
		return store.User{}, err
	}
	if err := store.ValidatePassword(password); err != nil {
		return store.User{}, err
	}
	displayName = strings.TrimSpace(displayName)
	if displayName == "" {
		displayName = name
	}
	if utf8.RuneCountInString(displayName) > 64 {
		return store.User{}, store.Invalid("display_name", "display_name is longer than 64 characters")
	}
	return store.User{Username: name, DisplayName: displayName, Role: role}, nil
}

func (s *Server) register(c *fiber.Ctx) error {
	var req registerRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if req.Username == nil {
		return invalid("username", "username is required")
	}
	if req.Password == nil {
		return invalid("password", "password is required")
	}
	display := ""
	if req.DisplayName != nil {
		display = *req.DisplayName
	}
	u, err := checkAccount(*req.Username, *req.Password, display, store.RoleForecaster)
	if err != nil {
		return err
	}
	if ok, wait := s.registrations.allow(s.now(), c.IP()); !ok {
		return rateLimited(c, wait, "too many new accounts from this address; retry later")
	}
	if u.PasswordHash, err = s.hasher.hash(c.UserContext(), *req.Password); err != nil {
		return err
	}
	u.CreatedAt = s.now()
	u, err = s.cfg.Store.CreateUser(c.UserContext(), u)
	if err != nil {
		return err
	}
	return s.respondWithToken(c, fiber.StatusCreated, u)
}

type loginRequest struct {
	Username *string `json:"username"`
	Password *string `json:"password"`
}

func (s *Server) login(c *fiber.Ctx) error {
	var req loginRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if req.Username == nil {
		return invalid("username", "username is required")
	}
	if req.Password == nil {
		return invalid("password", "password is required")
	}
	// Validated before the limiter stores anything under it.
	name, err := store.NormalizeUsername(*req.Username)
	if err != nil {
		return err
	}
	now, ip := s.now(), c.IP()
	if ok, wait := s.logins.allow(now, ip, name); !ok {
		return rateLimited(c, wait, "too many login attempts; retry later")
	}
	u, err := s.cfg.Store.FindUserByUsername(c.UserContext(), name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	// An unknown user is checked against the dummy hash: every path costs
	// one bcrypt comparison at the configured cost, so timing does not
	// reveal which usernames exist.
	ok, err := s.hasher.matches(c.UserContext(), u.PasswordHash, *req.Password)
	if err != nil {
		return err
	}
	if !ok {
		s.logins.failed(now, ip, name)
		return unauthorized("wrong username or password")
	}
	if u.Disabled {
		return forbidden("this account is disabled")
	}
	return s.respondWithToken(c, fiber.StatusOK, u)
}

// rateLimited answers 429 with a Retry-After in whole seconds.
func rateLimited(c *fiber.Ctx, wait time.Duration, msg string) error {
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds())+1))
	return &apiError{Status: 429, Code: "rate_limited", Message: msg}
}

func (s *Server) respondWithToken(c *fiber.Ctx, status int, u store.User) error {
	tok, exp, err := s.issueToken(u)
	if err != nil {
		return err
	}
	return c.Status(status).JSON(authResponse{Token: tok, ExpiresAt: formatTime(exp), User: toUserDTO(u)})
}

type meTeamDTO struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Tournament string `json:"tournament"`
	InviteCode string `json:"invite_code"`
}

type meResponse struct {
	userDTO
	Teams []meTeamDTO `json:"teams"`
}

func (s *Server) me(c *fiber.Ctx) error {
	p, _ := caller(c)
	u, err := s.cfg.Store.FindUserByID(c.UserContext(), p.ID)
	if errors.Is(err, store.ErrNotFound) {
		return unauthorized("the token's user no longer exists")
	}
	if err != nil {
		return err
	}
	teams, err := s.cfg.Store.TeamsOfUser(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	out := meResponse{userDTO: toUserDTO(u), Teams: make([]meTeamDTO, len(teams))}
	for i, t := range teams {
		out.Teams[i] = meTeamDTO{ID: t.ID, Name: t.Name, Tournament: t.TournamentSlug, InviteCode: t.InviteCode}
	}
	return c.JSON(out)
}
