package api

import (
	"github.com/gofiber/fiber/v2"

	"signpost/store"
)

// passwordChange is the body of POST /me/password.
type passwordChange struct {
	CurrentPassword *string `json:"current_password" required:"true" doc:"the password in use now"`
	NewPassword     *string `json:"new_password" required:"true" doc:"8-72 bytes"`
}

// noContent is the output of operations that answer 204 with no body.
type noContent struct{}

// noContent makes an operation with a request body answer 204 with none.
func (o operation) noContent() operation {
	o.status, o.out = fiber.StatusNoContent, nil
	return o
}

// changePassword checks the current password, stores the new one and
// revokes every token issued before (this one included, and every personal
// API token): 204, sign in again.
//
// Only a signed-in session may do it: an API token, of any scope, is handed
// to programs, and one that leaks must not be able to take the account
// over. Wrong current passwords are limited like logins (see loginGuard),
// so a stolen session cannot guess its way to the password.
func (s *Server) changePassword(c *fiber.Ctx, in *passwordChange) (noContent, error) {
	p, _ := caller(c)
	if p.Scope != "" {
		return noContent{}, forbidden("an API token cannot change the password: sign in with the password")
	}
	switch {
	case in.CurrentPassword == nil:
		return noContent{}, invalid("current_password", "current_password is required")
	case in.NewPassword == nil:
		return noContent{}, invalid("new_password", "new_password is required")
	}
	if err := store.ValidatePassword(*in.NewPassword); err != nil {
		return noContent{}, invalid("new_password", "new_password must be 8-72 bytes")
	}
	now := s.now()
	attempt, allowed, wait := s.logins.allow(now, s.clientIP(c), p.Username)
	if !allowed {
		return noContent{}, rateLimited(c, wait, "too many password attempts; retry later")
	}
	u, err := s.cfg.Store.FindUserByID(c.UserContext(), p.ID)
	if err != nil {
		return noContent{}, err
	}
	ok, err := s.hasher.matches(c.UserContext(), u.PasswordHash, *in.CurrentPassword)
	if err != nil {
		return noContent{}, err
	}
	if !ok {
		return noContent{}, invalid("current_password", "current_password is wrong")
	}
	s.logins.succeeded(now, attempt)
	hash, err := s.hasher.hash(c.UserContext(), *in.NewPassword)
	if err != nil {
		return noContent{}, err
	}
	if err := s.cfg.Store.ChangePassword(c.UserContext(), p.ID, hash, s.now()); err != nil {
		return noContent{}, err
	}
	s.accounts.forget(p.ID)
	return noContent{}, nil
}

// signOutEverywhere revokes every token of the caller issued so far, the
// personal API tokens too.
func (s *Server) signOutEverywhere(c *fiber.Ctx) error {
	p, _ := caller(c)
	if err := s.cfg.Store.SignOutEverywhere(c.UserContext(), p.ID, s.now()); err != nil {
		return err
	}
	s.accounts.forget(p.ID)
	return nil
}
