package api

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"signpost/scoring"
	"signpost/store"
)

type ledgerDayDTO struct {
	Date          string    `json:"date" format:"date"`
	ForecastID    int64     `json:"forecast_id" doc:"the forecast standing that day"`
	Probabilities []float64 `json:"probabilities"`
	Brier         float64   `json:"brier"`
	CrowdBrier    float64   `json:"crowd_brier" doc:"the crowd median's Brier that day"`
	Difference    float64   `json:"difference" doc:"brier - crowd_brier"`
	Contribution  float64   `json:"contribution" doc:"difference / days_total: the days sum to relative"`
}

type ledgerDTO struct {
	QuestionID int64          `json:"question_id"`
	User       publicUserDTO  `json:"user"`
	Days       []ledgerDayDTO `json:"days"`
	Relative   float64        `json:"relative" doc:"the question score: the sum of the days' contributions"`
	DaysTotal  int            `json:"days_total"`
}

// ledger serves the score ledger as JSON, or as CSV with ?format=csv.
func (s *Server) ledger(c *fiber.Ctx) error {
	format := c.Query("format", "json")
	if format != "json" && format != "csv" {
		return invalid("format", "format must be json or csv")
	}
	out, q, err := s.questionLedger(c)
	if err != nil {
		return err
	}
	if format == "json" {
		return c.JSON(out)
	}
	lang := c.Query("lang", "en")
	if lang != "en" && lang != "zh" {
		return invalid("lang", "lang must be en or zh")
	}
	body, err := ledgerCSV(out, &q, lang)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="ledger-%d-%s.csv"`, q.ID, out.User.Username))
	return c.Send(body)
}

// questionLedger is the caller's ledger on a resolved question; an admin
// may ask for another user's with ?user=NAME.
func (s *Server) questionLedger(c *fiber.Ctx) (ledgerDTO, store.Question, error) {
	ctx := c.UserContext()
	q, err := s.resolvedQuestion(c)
	if err != nil {
		return ledgerDTO{}, q, err
	}
	me, _ := caller(c)
	u, err := s.cfg.Store.FindUserByID(ctx, me.ID)
	if name := c.Query("user"); name != "" && err == nil {
		if !me.admitsAdmin() {
			return ledgerDTO{}, q, forbidden("only an admin may read another user's ledger")
		}
		u, err = s.cfg.Store.FindUserByUsername(ctx, name)
	}
	if err != nil {
		return ledgerDTO{}, q, err
	}
	fs, err := s.cfg.Store.ScoringForecasts(ctx, q.ID)
	if err != nil {
		return ledgerDTO{}, q, err
	}
	days, err := scoring.Ledger(q.ScoringQuestion(), fs, u.ID)
	if err != nil {
		return ledgerDTO{}, q, fmt.Errorf("ledger of question %d: %v", q.ID, err)
	}
	ids, err := s.forecastIDs(c, q.ID, u.ID, fs)
	if err != nil {
		return ledgerDTO{}, q, err
	}
	out := ledgerDTO{QuestionID: q.ID, User: toPublicUserDTO(u), Days: make([]ledgerDayDTO, len(days)),
		DaysTotal: q.ScoringQuestion().Days()}
	for i, d := range days {
		out.Days[i] = ledgerDayDTO{Date: d.Day.Format(time.DateOnly), ForecastID: ids[d.Forecast],
			Probabilities: fs[d.Forecast].Probs, Brier: d.Brier, CrowdBrier: d.Median,
			Difference: d.Difference, Contribution: d.Contribution}
		out.Relative += d.Contribution
	}
	return out, q, nil
}

// forecastIDs maps the indexes of a user's forecasts in fs to their IDs:
// both lists are in (time, ID) order, so the user's k-th in fs is the k-th
// of their own.
func (s *Server) forecastIDs(c *fiber.Ctx, questionID, userID int64, fs []scoring.Forecast) (map[int]int64, error) {
	own, err := s.cfg.Store.UserForecasts(c.UserContext(), questionID, userID)
	if err != nil {
		return nil, err
	}
	ids := make(map[int]int64, len(own))
	k := 0
	for i, f := range fs {
		if f.User == userID && k < len(own) {
			ids[i] = own[k].ID
			k++
		}
	}
	return ids, nil
}

// ledgerCSV writes the ledger as CSV, UTF-8 with a byte order mark so
// that spreadsheets read Chinese option labels correctly. Numbers are
// written exactly as in the JSON (shortest round-trip form).
func ledgerCSV(l ledgerDTO, q *store.Question, lang string) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	w := newCSVWriter(&buf)
	header := []string{"date", "forecast_id"}
	for _, o := range q.Options {
		label := o.Label[lang]
		if label == "" {
			label = o.Label["en"]
		}
		header = append(header, label)
	}
	header = append(header, "brier", "crowd_brier", "difference", "contribution")
	if err := w.Write(header); err != nil {
		return nil, err
	}
	for _, d := range l.Days {
		row := []string{d.Date, strconv.FormatInt(d.ForecastID, 10)}
		for _, p := range d.Probabilities {
			row = append(row, num(p))
		}
		row = append(row, num(d.Brier), num(d.CrowdBrier), num(d.Difference), num(d.Contribution))
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
