package api

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/golang-jwt/jwt/v5"

	"signpost/store"
)

const (
	localUser = "user"
	issuer    = "signpost"
)

// claims are the token's contents: the subject is the user ID.
type claims struct {
	Role     string `json:"role"`
	Username string `json:"username"`
	// TokenVersion is the user's token version at issue: raising it in the
	// database revokes the token.
	TokenVersion int64 `json:"tv"`
	jwt.RegisteredClaims
}

// principal is the authenticated caller.
type principal struct {
	ID       int64
	Username string
	Role     string
	// Scope is the API token's scope; "" for a signed-in session.
	Scope string
	// TokenVersion is a session token's version (see claims).
	TokenVersion int64
}

func (s *Server) issueToken(u store.User) (string, time.Time, error) {
	now := s.now()
	exp := now.Add(s.cfg.TokenTTL).Truncate(time.Second)
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims{
		Role:         u.Role,
		Username:     u.Username,
		TokenVersion: u.TokenVersion,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    issuer,
			Subject:   strconv.FormatInt(u.ID, 10),
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
		},
	})
	signed, err := tok.SignedString(s.cfg.Secret)
	return signed, exp, err
}

// parseToken verifies a token: HS256 only (so "alg: none" and RS/HS
// confusion fail), expiry required and checked against the server's clock,
// issuer checked.
func (s *Server) parseToken(raw string) (principal, error) {
	if p, ok := s.tokens.get(raw, s.now()); ok {
		return p, nil
	}
	var cl claims
	_, err := s.parser.ParseWithClaims(raw, &cl, func(*jwt.Token) (any, error) { return s.cfg.Secret, nil })
	if err != nil {
		return principal{}, unauthorized("invalid or expired token")
	}
	id, err := strconv.ParseInt(cl.Subject, 10, 64)
	if err != nil || id <= 0 || (cl.Role != store.RoleAdmin && cl.Role != store.RoleForecaster) {
		return principal{}, unauthorized("invalid token")
	}
	p := principal{ID: id, Username: cl.Username, Role: cl.Role, TokenVersion: cl.TokenVersion}
	s.tokens.put(raw, p, cl.ExpiresAt.Time)
	return p, nil
}

// tokenCache remembers tokens already verified, until they expire, so a
// busy client pays for HMAC and JSON decoding once rather than per request.
// Only tokens that passed full verification enter it, keyed by their exact
// text; it is emptied when it grows past maxTokens.
type tokenCache struct {
	mu sync.RWMutex
	m  map[string]cachedToken
}

type cachedToken struct {
	p   principal
	exp time.Time
}

const maxTokens = 100_000

func (tc *tokenCache) get(raw string, now time.Time) (principal, bool) {
	tc.mu.RLock()
	ct, ok := tc.m[raw]
	tc.mu.RUnlock()
	if !ok || !now.Before(ct.exp) {
		return principal{}, false
	}
	return ct.p, true
}

func (tc *tokenCache) put(raw string, p principal, exp time.Time) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.m == nil || len(tc.m) >= maxTokens {
		tc.m = make(map[string]cachedToken)
	}
	tc.m[strings.Clone(raw)] = cachedToken{p: p, exp: exp}
}

func newParser(now func() time.Time) *jwt.Parser {
	return jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuer(issuer),
		jwt.WithTimeFunc(now),
	)
}

// authenticate reads the bearer token if there is one. A present but bad
// token is always 401, even on public routes: silently treating it as
// anonymous would hide a client's bug.
func (s *Server) authenticate(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	if h == "" {
		return c.Next()
	}
	// The scheme is case-insensitive (RFC 9110 section 11.1).
	scheme, raw, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return unauthorized("Authorization must be 'Bearer <token>'")
	}
	p, err := s.principalOf(c, strings.TrimSpace(raw))
	if err != nil {
		return err
	}
	if p, err = s.checkAccount(c.UserContext(), p, false); err != nil {
		return err
	}
	c.Locals(localUser, p)
	return c.Next()
}

func caller(c *fiber.Ctx) (principal, bool) {
	p, ok := c.Locals(localUser).(principal)
	return p, ok
}

// require is the one role check: role "" admits any signed-in user. A
// role-restricted route reads the account afresh (not from the cache), so
// a demotion or a deactivation takes effect at once.
func (s *Server) require(role string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, ok := caller(c)
		if !ok {
			return unauthorized("sign in first: Authorization: Bearer <token>")
		}
		if err := p.scopeAllows(c.Method(), role); err != nil {
			return err
		}
		if role != "" {
			var err error
			if p, err = s.checkAccount(c.UserContext(), p, true); err != nil {
				return err
			}
			c.Locals(localUser, p)
		}
		if role != "" && p.Role != role {
			return forbidden("this needs the " + role + " role")
		}
		return c.Next()
	}
}
