package api

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
)

// drainState lets a shutdown first tell keep-alive clients to go away:
// while draining, every answer carries "Connection: close", so a client
// under load learns from a response that its connection ends instead of
// finding it closed under its next request (an EOF it cannot tell from a
// lost request). Times here are the wall clock: they pace the network, not
// the application.
type drainState struct {
	on   atomic.Bool
	last atomic.Int64 // unix nanoseconds of the latest request
}

// closeWhenDraining is the first middleware.
func (s *Server) closeWhenDraining(c *fiber.Ctx) error {
	s.drain.last.Store(time.Now().UnixNano())
	if s.drain.on.Load() {
		c.Context().SetConnectionClose()
	}
	return c.Next()
}

// Drain starts answering every request with "Connection: close" and
// returns once no request has arrived for quiet (connections that are still
// busy have by then been told), after at most limit, or when ctx ends. The
// listener stays open meanwhile: a client that reconnects is still
// answered. Shut the app down afterwards.
func (s *Server) Drain(ctx context.Context, quiet, limit time.Duration) {
	s.drain.on.Store(true)
	deadline := time.Now().Add(limit)
	tick := time.NewTicker(quiet / 4)
	defer tick.Stop()
	for {
		now := time.Now()
		if now.After(deadline) || now.Sub(time.Unix(0, s.drain.last.Load())) >= quiet {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
