package api

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"signpost/api/scoreboard"
	"signpost/scoring"
	"signpost/store"
)

type scoreDTO struct {
	User         publicUserDTO `json:"user"`
	Brier        float64       `json:"brier"`
	CrowdBrier   float64       `json:"crowd_brier"`
	Relative     float64       `json:"relative"`
	DaysForecast int           `json:"days_forecast"`
	DaysTotal    int           `json:"days_total"`
}

// sendEncoded answers with a prepared JSON body: 304 when the client has it
// already, the stored gzip bytes when it accepts gzip (no compression per
// request), the plain bytes otherwise.
func sendEncoded(c *fiber.Ctx, e scoreboard.Page) error {
	c.Set(fiber.HeaderETag, e.ETag)
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	if match := c.Get(fiber.HeaderIfNoneMatch); match != "" && strings.Contains(match, e.ETag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	if len(e.Gzipped) > 0 && strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(e.Gzipped)
	}
	return c.Send(e.Plain)
}

// resolvedQuestion loads a question that has scores: resolved and not
// annulled; anything else is 409 (the API contract).
func (s *Server) resolvedQuestion(c *fiber.Ctx) (store.Question, error) {
	q, err := s.loadQuestion(c)
	if err != nil {
		return q, err
	}
	if !q.Scored() {
		return q, conflict("question is " + q.State(s.now()) + ": scores exist once it is resolved")
	}
	return q, nil
}

func (s *Server) questionScores(c *fiber.Ctx) (scoreListDTO, error) {
	ctx := c.UserContext()
	q, err := s.resolvedQuestion(c)
	if err != nil {
		return scoreListDTO{}, err
	}
	m, err := s.scores.Membership(ctx, q.TournamentID)
	if err != nil {
		return scoreListDTO{}, err
	}
	res, err := s.scores.Result(ctx, &q, m)
	if err != nil {
		return scoreListDTO{}, err
	}
	users, err := s.scores.UsersOf(ctx, []scoring.Result{res})
	if err != nil {
		return scoreListDTO{}, err
	}
	out := make([]scoreDTO, len(res.Users))
	for i, us := range res.Users {
		out[i] = toScoreDTO(users[us.User], us)
	}
	ref, err := referenceScore(&q, res)
	if err != nil {
		return scoreListDTO{}, err
	}
	return scoreListDTO{Scores: out, Reference: ref}, nil
}

func toScoreDTO(u store.User, us scoring.UserScore) scoreDTO {
	return scoreDTO{User: toPublicUserDTO(u), Brier: us.Brier, CrowdBrier: us.CrowdBrier, Relative: us.Relative,
		DaysForecast: us.DaysForecast, DaysTotal: us.DaysTotal}
}

type scoreListDTO struct {
	Scores []scoreDTO `json:"scores"`
	// Reference is the question's reference forecast scored beside the
	// forecasters, never ranked with them; null if it has none.
	Reference *referenceScoreDTO `json:"reference" doc:"the reference forecast's non-competing score, or null"`
}

type dayListDTO struct {
	Days []dayDTO `json:"days"`
}

type crowdSeriesDTO struct {
	Series []crowdPointDTO `json:"series" doc:"one point per UTC day from the opening to today or the scoring end"`
}

type myScoreListDTO struct {
	Scores []myScoreDTO `json:"scores"`
}

type calibrationDTO struct {
	Bins []binDTO `json:"bins" doc:"ten bins of width 0.1"`
}

type dayDTO struct {
	Date   string  `json:"date" format:"date"`
	Brier  float64 `json:"brier"`
	Median float64 `json:"median"`
}

func (s *Server) userDays(c *fiber.Ctx) (dayListDTO, error) {
	q, err := s.resolvedQuestion(c)
	if err != nil {
		return dayListDTO{}, err
	}
	uid, err := idParam(c, "user_id")
	if err != nil {
		return dayListDTO{}, err
	}
	if _, err := s.cfg.Store.FindUserByID(c.UserContext(), uid); err != nil {
		return dayListDTO{}, err // no such user: 404, not an empty list
	}
	fs, err := s.cfg.Store.ScoringForecasts(c.UserContext(), q.ID)
	if err != nil {
		return dayListDTO{}, err
	}
	days, err := scoring.UserDays(q.ScoringQuestion(), fs, uid)
	if err != nil {
		return dayListDTO{}, fmt.Errorf("per-day scores of question %d: %v", q.ID, err)
	}
	out := make([]dayDTO, len(days))
	for i, d := range days {
		out[i] = dayDTO{Date: d.Day.Format("2006-01-02"), Brier: d.Brier, Median: d.Median}
	}
	return dayListDTO{Days: out}, nil
}

type crowdPointDTO struct {
	Date          string    `json:"date" format:"date"`
	Probabilities []float64 `json:"probabilities"`
	Forecasters   int       `json:"forecasters"`
}

func (s *Server) crowdSeries(c *fiber.Ctx) (crowdSeriesDTO, error) {
	a, named, err := aggregateParam(c)
	if err != nil {
		return crowdSeriesDTO{}, err
	}
	q, err := s.loadQuestion(c)
	if err != nil {
		return crowdSeriesDTO{}, err
	}
	fs, err := s.cfg.Store.ScoringForecasts(c.UserContext(), q.ID)
	if err != nil {
		return crowdSeriesDTO{}, err
	}
	sq := q.ScoringQuestion()
	// Today's point includes forecasts made this very microsecond (stored
	// times have microsecond precision); a closed question's ends at E.
	until := s.now().Add(time.Microsecond)
	if end := sq.End(); end.Before(until) {
		until = end
	}
	var points []scoring.CrowdPoint
	if named {
		points, err = s.crowd.AggregateSeries(c.UserContext(), a, &q, fs, until)
	} else {
		points, err = s.crowd.Series(c.UserContext(), &q, fs, until)
	}
	if err != nil {
		return crowdSeriesDTO{}, err
	}
	out := make([]crowdPointDTO, len(points))
	for i, p := range points {
		out[i] = crowdPointDTO{Date: p.Day.Format("2006-01-02"), Probabilities: p.Probs, Forecasters: p.Forecasters}
	}
	return crowdSeriesDTO{Series: out}, nil
}

type questionRefDTO struct {
	ID    int64      `json:"id"`
	Slug  string     `json:"slug"`
	Title store.Text `json:"title"`
}

type myScoreDTO struct {
	Question     questionRefDTO `json:"question"`
	Brier        float64        `json:"brier"`
	CrowdBrier   float64        `json:"crowd_brier"`
	Relative     float64        `json:"relative"`
	DaysForecast int            `json:"days_forecast"`
	DaysTotal    int            `json:"days_total"`
}

// tournamentParam reads the ?tournament= query, defaulting to the only or
// default tournament.
func (s *Server) tournamentParam(c *fiber.Ctx) (store.Tournament, error) {
	slug := c.Query("tournament", store.DefaultTournamentSlug)
	return s.cfg.Store.FindTournamentBySlug(c.UserContext(), slug)
}

func (s *Server) myScores(c *fiber.Ctx) (myScoreListDTO, error) {
	t, err := s.tournamentParam(c)
	if err != nil {
		return myScoreListDTO{}, err
	}
	p, _ := caller(c)
	out, err := s.userScores(c.UserContext(), t, p.ID)
	return myScoreListDTO{Scores: out}, err
}

// userScores are a user's scores on a tournament's resolved questions.
func (s *Server) userScores(ctx context.Context, t store.Tournament, userID int64) ([]myScoreDTO, error) {
	out := make([]myScoreDTO, 0)
	err := s.scores.EachResult(ctx, t.ID, func(q *store.Question, res scoring.Result) error {
		for _, us := range res.Users {
			if us.User == userID {
				out = append(out, myScoreDTO{Question: questionRefDTO{ID: q.ID, Slug: q.Slug, Title: q.Title},
					Brier: us.Brier, CrowdBrier: us.CrowdBrier, Relative: us.Relative,
					DaysForecast: us.DaysForecast, DaysTotal: us.DaysTotal})
			}
		}
		return nil
	})
	return out, err
}

// binDTO is one calibration bin; an empty bin has null mean and frequency.
type binDTO struct {
	Lower        float64  `json:"lower"`
	Upper        float64  `json:"upper"`
	Count        int      `json:"count"`
	MeanForecast *float64 `json:"mean_forecast"`
	Observed     *float64 `json:"observed"`
}

// myCalibration bins every scored forecast of the caller on resolved
// questions: for binary questions the probability of Yes, for the others
// the probability of each option, against whether it happened.
func (s *Server) myCalibration(c *fiber.Ctx) (calibrationDTO, error) {
	t, err := s.tournamentParam(c)
	if err != nil {
		return calibrationDTO{}, err
	}
	p, _ := caller(c)
	return s.userCalibration(c.UserContext(), t, p.ID)
}

// userCalibration bins a user's scored forecasts in a tournament.
func (s *Server) userCalibration(ctx context.Context, t store.Tournament, userID int64) (calibrationDTO, error) {
	qs, err := s.cfg.Store.ListQuestions(ctx, t.ID)
	if err != nil {
		return calibrationDTO{}, err
	}
	byID := make(map[int64]*store.Question, len(qs))
	for i := range qs {
		byID[qs[i].ID] = &qs[i]
	}
	fs, err := s.cfg.Store.TournamentUserForecasts(ctx, t.ID, userID)
	if err != nil {
		return calibrationDTO{}, err
	}
	var samples []scoring.CalibrationSample
	for _, f := range fs {
		q := byID[f.QuestionID]
		if q == nil || !q.Scored() || !f.CreatedAt.Before(q.ScoringQuestion().End()) {
			continue
		}
		for k, pk := range f.Probs {
			if q.Kind == scoring.Binary && k > 0 {
				break
			}
			samples = append(samples, scoring.CalibrationSample{P: pk, Happened: k == q.Resolution.Outcome})
		}
	}
	bins := scoring.Calibration(samples, 10)
	out := make([]binDTO, len(bins))
	for i, b := range bins {
		out[i] = binDTO{Lower: b.Lower, Upper: b.Upper, Count: b.Count}
		if b.Count > 0 {
			out[i].MeanForecast, out[i].Observed = &bins[i].MeanForecast, &bins[i].Observed
		}
	}
	return calibrationDTO{Bins: out}, nil
}

// boardDTO is a whole leaderboard, as `signpost score -json` prints it:
// individual entries, or team entries with byTeam.
type boardDTO struct {
	Entries any `json:"entries"`
}
