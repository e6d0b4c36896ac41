package api

import (
	"fmt"
	"runtime/debug"

	"github.com/gofiber/fiber/v2"
)

// recoverPanics turns a handler's panic into the API's 500: fiber v2 does
// not recover by itself, and one panicking request took the whole server
// (and every other request in flight) down with it. The panic and its
// stack go to the error handler as an unknown error, which logs them with
// the request ID and answers the fixed internal-error body; it runs after
// logRequests, so that ID exists.
func recoverPanics(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return c.Next()
}
