package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

type botRequest struct {
	Bot *bool `json:"bot" required:"true" doc:"true marks the account as a bot (an AI forecaster)"`
}

// setBot marks or unmarks an account as a bot.
func (s *Server) setBot(c *fiber.Ctx, in *botRequest) (userDTO, error) {
	if in.Bot == nil {
		return userDTO{}, invalid("bot", "bot (true or false) is required")
	}
	p, _ := caller(c)
	u, err := s.cfg.Store.SetBot(c.UserContext(), strings.ToLower(c.Params("username")), *in.Bot, p.ID)
	if err != nil {
		return userDTO{}, err
	}
	// Leaderboards filtered by participants change with the flag.
	return toUserDTO(u), nil
}
