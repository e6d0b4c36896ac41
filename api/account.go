package api

import (
	"github.com/gofiber/fiber/v2"

	"signpost/store"
)

// passwordChange is the body of POST /me/password.
type passwordChange struct {
	CurrentPassword *string `json:"current_password" doc:"the password in use now"`
	NewPassword     *string `json:"new_password" doc:"8-72 bytes"`
}

// noContent is the output of operations that answer 204 with no body.
type noContent struct{}

// changePassword checks the current password, stores the new one and
// revokes every token issued before (this one included): 204, sign in again.
func (s *Server) changePassword(c *fiber.Ctx, in *passwordChange) (noContent, error) {
	switch {
	case in.CurrentPassword == nil:
		return noContent{}, invalid("current_password", "current_password is required")
	case in.NewPassword == nil:
		return noContent{}, invalid("new_password", "new_password is required")
	}
	if err := store.ValidatePassword(*in.NewPassword); err != nil {
		return noContent{}, invalid("new_password", "new_password must be 8-72 bytes")
	}
	p, _ := caller(c)
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

// signOutEverywhere revokes every token of the caller issued so far.
func (s *Server) signOutEverywhere(c *fiber.Ctx) (noContent, error) {
	p, _ := caller(c)
	if err := s.cfg.Store.SignOutEverywhere(c.UserContext(), p.ID, s.now()); err != nil {
		return noContent{}, err
	}
	s.accounts.forget(p.ID)
	return noContent{}, nil
}

// withBody adapts a typed operation with a JSON body to a fiber handler.
func withBody[In, Out any](status int, op func(*fiber.Ctx, *In) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in In
		if err := decode(c, &in); err != nil {
			return err
		}
		out, err := op(c, &in)
		if err != nil {
			return err
		}
		return respond(c, status, out)
	}
}

// noBody adapts a typed operation without a body to a fiber handler.
func noBody[Out any](status int, op func(*fiber.Ctx) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		out, err := op(c)
		if err != nil {
			return err
		}
		return respond(c, status, out)
	}
}

func respond(c *fiber.Ctx, status int, out any) error {
	if _, empty := out.(noContent); empty {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Status(status).JSON(out)
}
