package api

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
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
// checked and inserted one at a time, so neither the decoded archive nor,
// over 1 MiB, the body itself is held whole.
func (s *Server) importArchive(c *fiber.Ctx) error {
	body, err := s.importBody(c)
	if err != nil {
		return err
	}
	p, _ := caller(c)
	counts, err := s.cfg.Store.ImportReader(c.UserContext(), body, s.now(), p.ID, s.hashPassword)
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
	return c.JSON(counts)
}

// importBody is the import's body as a reader: the stream of a large body,
// limited to maxImportBody, or the small body already read.
func (s *Server) importBody(c *fiber.Ctx) (io.Reader, error) {
	if c.Request().IsBodyStream() {
		return &limitedBody{r: c.Context().RequestBodyStream(), left: maxImportBody}, nil
	}
	body := c.Body()
	if len(body) == 0 {
		return nil, badRequest("request body must be a JSON object")
	}
	return bytes.NewReader(body), nil
}

// limitedBody fails a read past the import limit (a chunked body has no
// Content-Length to refuse up front).
type limitedBody struct {
	r    io.Reader
	left int64
}

func (l *limitedBody) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, &apiError{Status: 413, Code: "too_large", Message: "request body is over 64 MiB"}
	}
	if int64(len(p)) > l.left {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

func (s *Server) hashPassword(pw string) (string, error) {
	return s.hasher.hash(context.Background(), pw)
}
