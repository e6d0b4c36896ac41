package api

import (
	"github.com/gofiber/fiber/v2"
)

// publicForecastDTO is a forecast with its author, as everyone may see it
// once the question is resolved.
type publicForecastDTO struct {
	forecastDTO
	User publicUserDTO `json:"user"`
}

type publicForecastListDTO struct {
	Forecasts []publicForecastDTO `json:"forecasts" doc:"every forecast, oldest first"`
}

// questionForecasts makes everyone's forecasts and rationales public once
// the question is resolved (409 before, and on annulled questions), so
// forecasters can learn from each other without herding while it is open.
func (s *Server) questionForecasts(c *fiber.Ctx) (publicForecastListDTO, error) {
	ctx := c.UserContext()
	q, err := s.resolvedQuestion(c)
	if err != nil {
		return publicForecastListDTO{}, err
	}
	fs, err := s.cfg.Store.QuestionForecasts(ctx, q.ID)
	if err != nil {
		return publicForecastListDTO{}, err
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, f := range fs {
		if !seen[f.UserID] {
			seen[f.UserID] = true
			ids = append(ids, f.UserID)
		}
	}
	users, err := s.cfg.Store.UsersByID(ctx, ids)
	if err != nil {
		return publicForecastListDTO{}, err
	}
	out := publicForecastListDTO{Forecasts: make([]publicForecastDTO, len(fs))}
	for i, f := range fs {
		out.Forecasts[i] = publicForecastDTO{forecastDTO: toForecastDTO(f), User: toPublicUserDTO(users[f.UserID])}
	}
	return out, nil
}
