package api

import (
	"errors"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"

	"signpost/store"
)

func (s *Server) exportArchive(c *fiber.Ctx) error {
	t, err := s.cfg.Store.FindTournamentBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+t.Slug+`.json"`)
	return s.cfg.Store.Export(c.UserContext(), t.ID, c.Response().BodyWriter())
}

func (s *Server) importArchive(c *fiber.Ctx) error {
	var a store.Archive
	if err := decode(c, &a); err != nil {
		return err
	}
	p, _ := caller(c)
	counts, err := s.cfg.Store.Import(c.UserContext(), a, s.now(), p.ID, s.hashPassword)
	if err != nil {
		var se *store.Error
		if errors.As(err, &se) && errors.Is(se, store.ErrConflict) {
			// An archive clashing with what exists is a bad document.
			return invalid(se.Field, se.Message)
		}
		return err
	}
	return c.JSON(counts)
}

func (s *Server) hashPassword(pw string) (string, error) {
	cost := s.cfg.BcryptCost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	return string(h), err
}
