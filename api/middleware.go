package api

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
)

const requestIDKey = "request_id"

// requestIDs are a per-process random prefix and a counter: unique without
// a random read per request.
type requestIDs struct {
	prefix string
	n      atomic.Uint64
}

func newRequestIDs() *requestIDs {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return &requestIDs{prefix: hex.EncodeToString(b)}
}

func (r *requestIDs) next() string {
	return r.prefix + "-" + strconv.FormatUint(r.n.Add(1), 10)
}

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(requestIDKey).(string)
	return id
}

// logRequests tags each request with an ID and logs one line per request.
func (s *Server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	id := s.ids.next()
	c.Locals(requestIDKey, id)
	c.Set("X-Request-ID", id)
	err := c.Next()
	if err != nil {
		if herr := s.errorHandler(c, err); herr != nil {
			return herr
		}
	}
	if s.cfg.AccessLog {
		s.log.Info("request", "method", c.Method(), "path", c.Path(), "status", c.Response().StatusCode(),
			"duration_us", time.Since(start).Microseconds(), "request_id", id)
	}
	return nil
}

// limitBody keeps requests to the API's 1 MiB, and imports to 64 MiB. It
// judges from Content-Length, before the body is read (the server streams
// bodies over 1 MiB rather than reading them first), so an anonymous client
// cannot make the server hold a large body. A chunked body is read here up
// to the limit, except on the import route, which streams it itself once
// the caller is known to be an admin.
func limitBody(c *fiber.Ctx) error {
	limit, req := maxBody, c.Request()
	if c.Path() == importPath {
		limit = maxImportBody
	}
	n := req.Header.ContentLength()
	switch {
	case n > limit:
		return tooLarge(c, limit)
	case n == -1 && req.IsBodyStream() && c.Path() != importPath:
		body, err := io.ReadAll(io.LimitReader(c.Context().RequestBodyStream(), int64(limit)+1))
		if err != nil {
			return badRequest("could not read the request body")
		}
		if len(body) > limit {
			return tooLarge(c, limit)
		}
		req.SetBody(body)
	}
	if req.IsBodyStream() && n > maxBody {
		// Whatever the answer, the connection may still hold an unread
		// body: close it after answering.
		c.Context().SetConnectionClose()
	}
	return c.Next()
}

// drainCap bounds how much of a refused body is read and thrown away: a
// body of at most 5 MiB in all (the API's 1 MiB and 4 MiB more). A refused
// import over 64 MiB is never read.
const drainCap = maxBody + 4<<20

// tooLarge refuses a body over limit. A connection closed with unread bytes
// in its receive buffer is reset by the kernel, and a client still writing
// then loses the 413 to "connection reset by peer" (CI saw this once with a
// 1 MiB + 40 byte body). So a body of at most drainCap is read to its end
// and discarded first, as nginx's lingering close does; a larger one is not
// worth reading and may still be cut off.
func tooLarge(c *fiber.Ctx, limit int) error {
	req := c.Request()
	if n := req.Header.ContentLength(); req.IsBodyStream() && n <= drainCap {
		_, _ = io.Copy(io.Discard, io.LimitReader(c.Context().RequestBodyStream(), drainCap))
	}
	c.Context().SetConnectionClose()
	return &apiError{Status: 413, Code: "too_large", Message: "request body is over " + strconv.Itoa(limit>>20) + " MiB"}
}

// securityHeaders sets what every response carries: the UI's
// Content-Security-Policy forbids inline scripts.
func securityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	return c.Next()
}
