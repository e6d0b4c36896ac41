package api

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"signpost/scoring"
	"signpost/store"
)

type forecastDTO struct {
	ID            int64     `json:"id"`
	QuestionID    int64     `json:"question_id"`
	UserID        int64     `json:"user_id"`
	Probabilities []float64 `json:"probabilities"`
	Rationale     string    `json:"rationale"`
	CreatedAt     string    `json:"created_at" format:"date-time"`
}

func toForecastDTO(f store.Forecast) forecastDTO {
	return forecastDTO{ID: f.ID, QuestionID: f.QuestionID, UserID: f.UserID, Probabilities: f.Probs,
		Rationale: f.Rationale, CreatedAt: formatTime(f.CreatedAt)}
}

type forecastRequest struct {
	Probabilities []float64 `json:"probabilities" doc:"one probability per option, each in [0, 1], summing to 1 (within 1e-6)"`
	Probability   *float64  `json:"probability" doc:"binary questions only: the probability of Yes (instead of probabilities)"`
	Rationale     *string   `json:"rationale" doc:"why, up to 10000 characters"`
}

const maxRationale = 10000

// probabilities turns the request into one probability per option, per
// the API: either "probabilities", or "probability" on a binary question.
func (r forecastRequest) probabilities(q store.QuestionShape) ([]float64, error) {
	switch {
	case r.Probabilities != nil && r.Probability != nil:
		return nil, invalid("probabilities", "send either probabilities or probability, not both")
	case r.Probability != nil:
		if q.Kind != scoring.Binary {
			return nil, invalid("probability", "probability is only for binary questions; send probabilities")
		}
		p := *r.Probability
		if !(p >= 0 && p <= 1) {
			return nil, invalid("probability", "probability must be in [0, 1]")
		}
		return []float64{p, 1 - p}, nil
	case r.Probabilities == nil:
		return nil, invalid("probabilities", "probabilities are required")
	}
	if err := scoring.Validate(r.Probabilities, q.Options); err != nil {
		return nil, err
	}
	return r.Probabilities, nil
}

func (s *Server) createForecast(c *fiber.Ctx, req *forecastRequest) (forecastDTO, error) {
	q, err := s.questionShape(c)
	if err != nil {
		return forecastDTO{}, err
	}
	probs, err := req.probabilities(q)
	if err != nil {
		return forecastDTO{}, err
	}
	rationale := ""
	if req.Rationale != nil {
		rationale = strings.TrimSpace(*req.Rationale)
		if utf8.RuneCountInString(rationale) > maxRationale {
			return forecastDTO{}, invalid("rationale", "rationale is longer than 10000 characters")
		}
	}
	p, _ := caller(c)
	f, err := s.cfg.Store.CreateForecast(c.UserContext(), store.Forecast{QuestionID: q.ID, UserID: p.ID,
		Probs: probs, Rationale: rationale, CreatedAt: s.now()})
	if err != nil {
		return forecastDTO{}, err
	}
	return toForecastDTO(f), nil
}

type forecastListDTO struct {
	Forecasts []forecastDTO `json:"forecasts"`
}

func (s *Server) myForecasts(c *fiber.Ctx) (forecastListDTO, error) {
	q, err := s.loadQuestion(c)
	if err != nil {
		return forecastListDTO{}, err
	}
	p, _ := caller(c)
	fs, err := s.cfg.Store.UserForecasts(c.UserContext(), q.ID, p.ID)
	if err != nil {
		return forecastListDTO{}, err
	}
	out := forecastListDTO{Forecasts: make([]forecastDTO, len(fs))}
	for i, f := range fs {
		out.Forecasts[i] = toForecastDTO(f)
	}
	return out, nil
}

// questionShape returns the kind and option count of the question in the
// path. They never change after creation, so they are cached for good and
// the hot forecast path reads no question row (the store still checks the
// question is open inside the insert's transaction).
func (s *Server) questionShape(c *fiber.Ctx) (store.QuestionShape, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return store.QuestionShape{}, notFound("no such question")
	}
	if v, ok := s.shapes.Load(id); ok {
		return v.(store.QuestionShape), nil
	}
	shape, err := s.cfg.Store.FindQuestionShape(c.UserContext(), id)
	if err != nil {
		return shape, err
	}
	s.shapes.Store(id, shape)
	return shape, nil
}
