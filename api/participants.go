package api

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"signpost/api/scoreboard"
)

// participantsParam reads ?participants=, default all.
func participantsParam(c *fiber.Ctx) (string, error) {
	v := c.Query("participants", scoreboard.All)
	if !slices.Contains(scoreboard.Participants, v) {
		return "", invalid("participants", "participants must be humans, bots or all")
	}
	return v, nil
}
