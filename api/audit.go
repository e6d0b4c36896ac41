package api

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"signpost/store"
)

type actorDTO struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
}

type auditDTO struct {
	ID         int64           `json:"id"`
	Actor      *actorDTO       `json:"actor"`
	Action     string          `json:"action"`
	QuestionID *int64          `json:"question_id"`
	Old        json.RawMessage `json:"old" schema:"auditValue"`
	New        json.RawMessage `json:"new" schema:"auditValue"`
	Reason     string          `json:"reason"`
	ReasonI18n store.Text      `json:"reason_i18n,omitempty" doc:"the reason in each language given (en, zh), for annulments"`
	CreatedAt  string          `json:"created_at" format:"date-time"`
}

type auditListDTO struct {
	Entries []auditDTO `json:"entries" doc:"newest first, at most 1000"`
}

func (s *Server) audit(c *fiber.Ctx) (auditListDTO, error) {
	t, err := s.cfg.Store.FindTournamentBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return auditListDTO{}, err
	}
	entries, err := s.cfg.Store.AuditLog(c.UserContext(), t.ID, 1000)
	if err != nil {
		return auditListDTO{}, err
	}
	out := make([]auditDTO, len(entries))
	for i, e := range entries {
		d := auditDTO{ID: e.ID, Action: e.Action, Old: jsonOrNull(e.Old), New: jsonOrNull(e.New),
			Reason: e.Reason, ReasonI18n: reasonI18n(e.Reason, e.ReasonText), CreatedAt: formatTime(e.CreatedAt)}
		if e.ActorID != 0 {
			d.Actor = &actorDTO{ID: e.ActorID, Username: e.ActorUsername}
		}
		if e.QuestionID != 0 {
			qid := e.QuestionID
			d.QuestionID = &qid
		}
		out[i] = d
	}
	return auditListDTO{Entries: out}, nil
}
