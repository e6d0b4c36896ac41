package api

import (
	"bufio"
	"context"
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"signpost/scoring"
	"signpost/store"
)

// utf8BOM starts every CSV, so spreadsheet programs read Chinese text as
// UTF-8 rather than the system's legacy code page.
const utf8BOM = "\ufeff"

// CSV tables and their columns (also in the OpenAPI document).
var csvColumns = map[string][]string{
	"leaderboard": {"rank", "user_id", "username", "display_name", "bot", "questions", "brier", "relative"},
	"scores": {"question_id", "question_slug", "user_id", "username", "display_name", "bot", "brier", "crowd_brier",
		"relative", "days_forecast", "days_total"},
	// followed by option_1 ... option_K, K the most options of any question
	"forecasts": {"forecast_id", "question_id", "question_slug", "user_id", "username", "created_at", "rationale"},
	// each aggregate scored as a forecaster on each scored question
	"aggregates": {"question_id", "question_slug", "aggregate", "brier", "crowd_brier", "relative", "days_forecast", "days_total"},
}

// num writes a number with full precision: the shortest text that reads
// back as the same float64.
func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func (s *Server) exportCSV(c *fiber.Ctx) error {
	table := c.Query("table")
	if _, ok := csvColumns[table]; !ok {
		return invalid("table", "table must be forecasts, scores, leaderboard or aggregates")
	}
	if table == "forecasts" {
		// Forecasts are private until a question resolves: admins only.
		p, ok := caller(c)
		if !ok {
			return unauthorized("the forecasts table needs an admin: Authorization: Bearer <token>")
		}
		if !p.admitsAdmin() {
			return forbidden("the forecasts table is for admins only")
		}
	}
	participants, err := participantsParam(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	t, err := s.cfg.Store.FindTournamentBySlug(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+t.Slug+"-"+table+`.csv"`)
	if table == "forecasts" {
		return s.streamForecastsCSV(c, t)
	}
	var rows [][]string
	switch table {
	case "leaderboard":
		rows, err = s.leaderboardRows(ctx, t, participants)
	case "scores":
		rows, err = s.scoreRows(ctx, t)
	case "aggregates":
		rows, err = s.aggregateRows(ctx, t)
	}
	if err != nil {
		return err
	}
	w := c.Response().BodyWriter()
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := newCSVWriter(w)
	if err := cw.Write(csvColumns[table]); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return nil
}

func (s *Server) leaderboardRows(ctx context.Context, t store.Tournament, participants string) ([][]string, error) {
	b, err := s.scores.Boards(ctx, t.ID, t.ScoreVersion)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	for _, e := range b.People(participants) {
		rows = append(rows, []string{strconv.Itoa(e.Rank), strconv.FormatInt(e.User.ID, 10), e.User.Username,
			e.User.DisplayName, strconv.FormatBool(e.User.Bot), strconv.Itoa(e.Questions), num(e.Brier), num(e.Relative)})
	}
	return rows, nil
}

func (s *Server) scoreRows(ctx context.Context, t store.Tournament) ([][]string, error) {
	var rows [][]string
	err := s.scores.EachResult(ctx, t.ID, func(q *store.Question, res scoring.Result) error {
		users, err := s.scores.UsersOf(ctx, []scoring.Result{res})
		if err != nil {
			return err
		}
		for _, us := range res.Users {
			u := users[us.User]
			rows = append(rows, []string{strconv.FormatInt(q.ID, 10), q.Slug, strconv.FormatInt(u.ID, 10), u.Username,
				u.DisplayName, strconv.FormatBool(u.Bot), num(us.Brier), num(us.CrowdBrier), num(us.Relative),
				strconv.Itoa(us.DaysForecast), strconv.Itoa(us.DaysTotal)})
		}
		return nil
	})
	return rows, err
}

// aggregateRows are each aggregate's scores on each scored question, in
// the tournament's order of questions.
func (s *Server) aggregateRows(ctx context.Context, t store.Tournament) ([][]string, error) {
	_, scores, err := s.crowd.Evaluation(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	qs, err := s.cfg.Store.ListQuestions(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	slugs := make(map[int64]string, len(qs))
	for _, q := range qs {
		slugs[q.ID] = q.Slug
	}
	var rows [][]string
	for _, qs := range scores {
		for a, us := range qs.Scores {
			rows = append(rows, []string{strconv.FormatInt(qs.ID, 10), slugs[qs.ID], scoring.Aggregates[a].String(),
				num(us.Brier), num(us.CrowdBrier), num(us.Relative), strconv.Itoa(us.DaysForecast), strconv.Itoa(us.DaysTotal)})
		}
	}
	return rows, nil
}

// streamForecastsCSV streams every forecast, one row each, with one
// column per option. As with the archive, a failure half-way is logged
// and leaves the file short.
func (s *Server) streamForecastsCSV(c *fiber.Ctx, t store.Tournament) error {
	qs, err := s.cfg.Store.ListQuestions(c.UserContext(), t.ID)
	if err != nil {
		return err
	}
	slugs := make(map[int64]string, len(qs))
	options := 0
	for _, q := range qs {
		slugs[q.ID] = q.Slug
		options = max(options, len(q.Options))
	}
	header := append([]string{}, csvColumns["forecasts"]...)
	for k := 1; k <= options; k++ {
		header = append(header, "option_"+strconv.Itoa(k))
	}
	rid := requestID(c)
	c.Context().SetBodyStreamWriter(func(bw *bufio.Writer) {
		err := writeForecastsCSV(bw, header, func(fn func(store.ForecastRow) error) error {
			return s.cfg.Store.EachForecast(context.Background(), t.ID, fn)
		}, slugs, options)
		if err != nil {
			s.log.Error("CSV export failed mid-stream", "request_id", rid, "tournament", t.ID, "err", err)
		}
	})
	return nil
}

func writeForecastsCSV(w *bufio.Writer, header []string, each func(func(store.ForecastRow) error) error,
	slugs map[int64]string, options int) error {
	if _, err := w.WriteString(utf8BOM); err != nil {
		return err
	}
	cw := newCSVWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	row := make([]string, 0, len(header))
	err := each(func(f store.ForecastRow) error {
		row = append(row[:0], strconv.FormatInt(f.ID, 10), strconv.FormatInt(f.QuestionID, 10), slugs[f.QuestionID],
			strconv.FormatInt(f.UserID, 10), f.Username, formatTime(f.CreatedAt), f.Rationale)
		for k := range options {
			v := ""
			if k < len(f.Probs) {
				v = num(f.Probs[k])
			}
			row = append(row, v)
		}
		return cw.Write(row)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
