package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// noStore marks answers that carry a token or private data so that no
// browser or proxy cache keeps them: sign-in, the caller's own data, admin
// routes, exports (the CSV too), ledgers, webhooks and audit trails.
func noStore(c *fiber.Ctx) error {
	if private(c.Path()) {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	return c.Next()
}

func private(p string) bool {
	rest, ok := strings.CutPrefix(p, "/api/v1/")
	if !ok {
		return false
	}
	return strings.HasPrefix(rest, "auth/") || rest == "me" || strings.HasPrefix(rest, "me/") ||
		strings.HasPrefix(rest, "admin/") || strings.HasSuffix(rest, "/forecasts/mine") ||
		strings.HasSuffix(rest, "/export") || strings.HasSuffix(rest, "/export.csv") || strings.HasSuffix(rest, "/audit") ||
		strings.HasSuffix(rest, "/ledger") || strings.Contains(rest, "/webhooks")
}
