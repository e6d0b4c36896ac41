package api

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"signpost/store"
)

// tokenPrefix starts every personal API token, so secret scanners (and
// authenticate) recognise one.
const tokenPrefix = "spt_"

var tokenScopes = []string{store.ScopeRead, store.ScopeForecast, store.ScopeAdmin}

type createTokenRequest struct {
	Name      *string `json:"name" required:"true" doc:"A label for the token, 1-64 characters"`
	Scope     *string `json:"scope" required:"true" enum:"read,forecast,admin" doc:"read: GET only; forecast: everything a forecaster does; admin: admins only"`
	ExpiresAt *string `json:"expires_at,omitempty" format:"date-time" doc:"RFC 3339; absent: the token does not expire"`
}

// tokenDTO is a token as listed: never its secret.
type tokenDTO struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	Scope     string  `json:"scope" enum:"read,forecast,admin"`
	CreatedAt string  `json:"created_at" format:"date-time"`
	ExpiresAt *string `json:"expires_at" format:"date-time"`
}

// newTokenDTO is the answer to creating a token, the one time its secret
// is shown.
type newTokenDTO struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	Scope     string  `json:"scope" enum:"read,forecast,admin"`
	Token     string  `json:"token" doc:"The secret, shown only here: send it as Authorization: Bearer spt_..."`
	CreatedAt string  `json:"created_at" format:"date-time"`
	ExpiresAt *string `json:"expires_at" format:"date-time"`
}

type tokenListDTO struct {
	Tokens []tokenDTO `json:"tokens"`
}

func toTokenDTO(t store.APIToken) tokenDTO {
	out := tokenDTO{ID: t.ID, Name: t.Name, Scope: t.Scope, CreatedAt: formatTime(t.CreatedAt)}
	if t.ExpiresAt != nil {
		at := formatTime(*t.ExpiresAt)
		out.ExpiresAt = &at
	}
	return out
}

// hashToken is how a token is stored and looked up: its SHA-256 in hex. A
// fast hash suffices, since the secret is 256 random bits, not a password.
func hashToken(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}

func newTokenSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// sessionOnly refuses callers authenticated by an API token: tokens are
// managed from a signed-in session, so a leaked read token cannot mint a
// stronger one.
func sessionOnly(p principal) error {
	if p.Scope != "" {
		return forbidden("manage API tokens from a signed-in session, not with an API token")
	}
	return nil
}

func (s *Server) createAPIToken(c *fiber.Ctx, in *createTokenRequest) (newTokenDTO, error) {
	p, _ := caller(c)
	if err := sessionOnly(p); err != nil {
		return newTokenDTO{}, err
	}
	t, err := s.validateToken(in, p)
	if err != nil {
		return newTokenDTO{}, err
	}
	secret, err := newTokenSecret()
	if err != nil {
		return newTokenDTO{}, err
	}
	t.Hash = hashToken(secret)
	if t, err = s.cfg.Store.CreateAPIToken(c.UserContext(), t); err != nil {
		return newTokenDTO{}, err
	}
	dto := toTokenDTO(t)
	return newTokenDTO{ID: dto.ID, Name: dto.Name, Scope: dto.Scope, Token: secret, CreatedAt: dto.CreatedAt,
		ExpiresAt: dto.ExpiresAt}, nil
}

func (s *Server) validateToken(in *createTokenRequest, p principal) (store.APIToken, error) {
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		return store.APIToken{}, invalid("name", "name is required")
	}
	name := strings.TrimSpace(*in.Name)
	if utf8.RuneCountInString(name) > 64 {
		return store.APIToken{}, invalid("name", "name is longer than 64 characters")
	}
	if err := store.CheckName("name", name); err != nil {
		return store.APIToken{}, err
	}
	if in.Scope == nil || !slices.Contains(tokenScopes, *in.Scope) {
		return store.APIToken{}, invalid("scope", "scope must be read, forecast or admin")
	}
	if *in.Scope == store.ScopeAdmin && p.Role != store.RoleAdmin {
		return store.APIToken{}, forbidden("only admins can create admin tokens")
	}
	now := s.now()
	t := store.APIToken{UserID: p.ID, Name: name, Scope: *in.Scope, CreatedAt: now}
	if in.ExpiresAt != nil {
		exp, err := parseTime("expires_at", in.ExpiresAt, false)
		if err != nil {
			return t, err
		}
		if !exp.After(now) {
			return t, invalid("expires_at", "expires_at must be in the future")
		}
		t.ExpiresAt = &exp
	}
	return t, nil
}

func (s *Server) listAPITokens(c *fiber.Ctx) (tokenListDTO, error) {
	p, _ := caller(c)
	ts, err := s.cfg.Store.ListAPITokens(c.UserContext(), p.ID)
	if err != nil {
		return tokenListDTO{}, err
	}
	out := tokenListDTO{Tokens: make([]tokenDTO, len(ts))}
	for i, t := range ts {
		out.Tokens[i] = toTokenDTO(t)
	}
	return out, nil
}

func (s *Server) deleteAPIToken(c *fiber.Ctx) error {
	p, _ := caller(c)
	if err := sessionOnly(p); err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return s.cfg.Store.DeleteAPIToken(c.UserContext(), p.ID, id)
}

// principalOf authenticates a bearer credential: a personal API token
// (looked up in the database on every use, so revocation and expiry take
// effect at once on every instance) or a session JWT.
func (s *Server) principalOf(c *fiber.Ctx, raw string) (principal, error) {
	if !strings.HasPrefix(raw, tokenPrefix) {
		return s.parseToken(raw)
	}
	o, err := s.cfg.Store.FindTokenOwner(c.UserContext(), hashToken(raw))
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return principal{}, unauthorized("invalid or revoked API token")
		}
		return principal{}, err
	}
	if o.ExpiresAt != nil && !s.now().Before(*o.ExpiresAt) {
		return principal{}, unauthorized("the API token has expired")
	}
	return principal{ID: o.User.ID, Username: o.User.Username, Role: o.User.Role, Scope: o.Scope}, nil
}

// scopeAllows applies an API token's scope on a route that needs a
// signed-in caller: a read token only reads, and only an admin token (or
// an admin's session) reaches admin routes.
func (p principal) scopeAllows(method, role string) error {
	if p.Scope == store.ScopeRead && method != fiber.MethodGet && method != fiber.MethodHead {
		return forbidden("a read token can only read; create a forecast token to write")
	}
	if role == store.RoleAdmin && p.Scope != "" && p.Scope != store.ScopeAdmin {
		return forbidden("this needs an admin-scoped token")
	}
	return nil
}

// admitsAdmin reports whether the credential may see admin-only data: a
// session of an admin, or an admin-scoped token.
func (p principal) admitsAdmin() bool {
	return p.Role == store.RoleAdmin && (p.Scope == "" || p.Scope == store.ScopeAdmin)
}
