package api

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"signpost/store"
)

func (s *Server) exportArchive(c *fiber.Ctx) error {
	t, err := s.cfg.Store.FindTournamentBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+t.Slug+`.json"`)
	// Streamed, so a million forecasts never sit in memory at once. The
	// status is sent first: a failure half-way (logged) leaves the
	// document unterminated, which no JSON reader will take for complete.
	id, rid := t.ID, requestID(c)
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		if err := s.cfg.Store.Export(context.Background(), id, w); err != nil {
			s.log.Error("export failed mid-stream", "request_id", rid, "tournament", id, "err", err)
		}
	})
	return nil
}

// importArchive streams the body through the store: forecasts are decoded,
// checked and inserted one at a time, so the decoded archive is never held
// whole (the body itself is, up to the body limit: fiber reads it first).
func (s *Server) importArchive(c *fiber.Ctx) error {
	body := c.Body()
	if len(body) == 0 {
		return badRequest("request body must be a JSON object")
	}
	p, _ := caller(c)
	counts, err := s.cfg.Store.ImportReader(c.UserContext(), bytes.NewReader(body), s.now(), p.ID, s.hashPassword)
	if err != nil {
		var de *store.DocumentError
		var se *store.Error
		switch {
		case errors.Is(err, store.ErrBadDocument) && errors.As(err, &de):
			return &apiError{Status: http.StatusBadRequest, Code: "bad_request", Message: de.Message, Field: de.Field}
		case errors.As(err, &se) && errors.Is(se, store.ErrConflict):
			// An archive clashing with what exists is a bad document.
			return invalid(se.Field, se.Message)
		}
		return err
	}
	s.versions.forget()
	return c.JSON(counts)
}

func (s *Server) hashPassword(pw string) (string, error) {
	return s.hasher.hash(context.Background(), pw)
}
