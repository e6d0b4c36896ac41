package api

import (
	"errors"
	"strconv"
	"strings"
	"sync"
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
	Bot         bool   `json:"bot"`
}

func toUserDTO(u store.User) userDTO {
	return userDTO{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, Bot: u.Bot}
}

// publicUserDTO is a user as other people see them (in scores and leaderboards).
type publicUserDTO struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Bot         bool   `json:"bot"`
}

func toPublicUserDTO(u store.User) publicUserDTO {
	return publicUserDTO{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Bot: u.Bot}
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
// sub-command share it so both apply API.md's rules.
func NewAccount(username, password, displayName, role string, cost int) (store.User, error) {
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
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return store.User{}, err
	}
	return store.User{Username: name, DisplayName: displayName, Role: role, PasswordHash: string(hash)}, nil
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
	u, err := NewAccount(*req.Username, *req.Password, display, store.RoleForecaster, s.cfg.BcryptCost)
	if err != nil {
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
	name := strings.ToLower(*req.Username)
	if ok, wait := s.logins.allow(s.now(), "ip:"+c.IP(), "user:"+name); !ok {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds())+1))
		return &apiError{Status: 429, Code: "rate_limited", Message: "too many login attempts; retry later"}
	}
	u, err := s.cfg.Store.FindUserByUsername(c.UserContext(), name)
	if errors.Is(err, store.ErrNotFound) {
		// Spend the time a real check would, so timing does not reveal
		// which usernames exist.
		_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(*req.Password))
		return unauthorized("wrong username or password")
	}
	if err != nil {
		return err
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(*req.Password)) != nil {
		return unauthorized("wrong username or password")
	}
	return s.respondWithToken(c, fiber.StatusOK, u)
}

// dummyHash is made on first use, not at start-up, to keep cold starts fast.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("not a real password"), bcrypt.DefaultCost)
	return h
})

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
