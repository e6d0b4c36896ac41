package api

import (
	"github.com/gofiber/fiber/v2"

	"signpost/scoring"
)

// aggregateRoutes are the endpoints of the aggregates lab.
func (s *Server) aggregateRoutes() []operation {
	return []operation{
		get("/tournaments/:slug/aggregates", "listAggregates",
			"Each aggregate of the crowd scored as a forecaster on the tournament's resolved questions", s.aggregates).
			describe("Every aggregate's daily series on each resolved question is scored with the tournament's rules, each day " +
				"reading only the questions resolved before it (out of sample). brier is the mean question Brier; relative " +
				"is brier minus the median's on the same questions, with a 95 % bootstrap interval over questions (fixed " +
				"seed). recommended names the aggregate with the lowest brier among those beating the median by more than " +
				"their interval over at least 20 questions (null: none does)."),
	}
}

// aggregatesDTO is the aggregates board of a tournament.
type aggregatesDTO struct {
	Default     string         `json:"default" enum:"median,mean_logodds,recency_median,skill_weighted,extremized" doc:"the aggregate the tournament's crowd is"`
	Recommended *string        `json:"recommended" enum:"median,mean_logodds,recency_median,skill_weighted,extremized" doc:"the aggregate the evidence recommends, null when none beats the median by more than its interval"`
	Aggregates  []aggregateDTO `json:"aggregates" doc:"every aggregate, median first"`
}

// aggregateDTO is one aggregate's score to date.
type aggregateDTO struct {
	Name      string     `json:"name" enum:"median,mean_logodds,recency_median,skill_weighted,extremized"`
	Brier     float64    `json:"brier" doc:"mean question Brier (0 without questions)"`
	Relative  float64    `json:"relative" doc:"brier minus the median's on the same questions: negative is better"`
	Questions int        `json:"questions" doc:"resolved questions scored"`
	Interval  [2]float64 `json:"interval" doc:"95 % bootstrap interval of relative over questions"`
}

// AggregatesBody is a tournament's aggregates board as the API serves
// it, from its crowd aggregate and every aggregate's question scores:
// `signpost score -aggregates -json` prints it.
func AggregatesBody(current scoring.Aggregate, scores []scoring.AggregateScores) any {
	board := scoring.AggregateBoard(scores)
	out := aggregatesDTO{Default: current.String(), Aggregates: make([]aggregateDTO, len(board))}
	if a, ok := scoring.Recommend(board); ok {
		name := a.String()
		out.Recommended = &name
	}
	for i, c := range board {
		out.Aggregates[i] = aggregateDTO{Name: scoring.Aggregates[i].String(), Brier: c.Brier, Relative: c.Relative,
			Questions: c.Questions, Interval: [2]float64{c.Low, c.High}}
	}
	return out
}

func (s *Server) aggregates(c *fiber.Ctx) (aggregatesDTO, error) {
	ctx := c.UserContext()
	t, err := s.cfg.Store.FindTournamentBySlug(ctx, c.Params("slug"))
	if err != nil {
		return aggregatesDTO{}, err
	}
	current, scores, err := s.crowd.Evaluation(ctx, t.ID)
	if err != nil {
		return aggregatesDTO{}, err
	}
	return AggregatesBody(current, scores).(aggregatesDTO), nil
}

// aggregateParam reads ?aggregate=, an aggregate's name; ok is false
// when absent (the tournament's crowd).
func aggregateParam(c *fiber.Ctx) (a scoring.Aggregate, ok bool, err error) {
	name := c.Query("aggregate")
	if name == "" {
		return 0, false, nil
	}
	if a, err = scoring.ParseAggregate(name); err != nil {
		return 0, false, invalid("aggregate", "aggregate must be one of median, mean_logodds, recency_median, skill_weighted, extremized")
	}
	return a, true, nil
}
