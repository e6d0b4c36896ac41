package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"signpost/store"
)

// questionEditRequest changes a question; absent fields stay.
type questionEditRequest struct {
	Title            store.Text `json:"title" doc:"new title (en and/or zh); wording may change at any time"`
	Criteria         store.Text `json:"criteria" doc:"new resolution criteria; wording may change at any time"`
	ResolutionSource *[]string  `json:"resolution_source" doc:"new sources; only before anyone forecasts"`
	ClosesAt         *string    `json:"closes_at" format:"date-time" doc:"new close date; only before anyone forecasts"`
}

// editQuestion lets an admin fix a question: wording at any time, sources
// and the close date only while nobody has forecast (409 after). Every edit
// is audited and dated on the question (edited_at).
func (s *Server) editQuestion(c *fiber.Ctx, req *questionEditRequest) (questionDTO, error) {
	q, err := s.loadQuestion(c)
	if err != nil {
		return questionDTO{}, err
	}
	e := store.QuestionEdit{Title: req.Title, Criteria: req.Criteria}
	if req.ResolutionSource != nil {
		srcs := make([]string, 0, len(*req.ResolutionSource))
		for _, src := range *req.ResolutionSource {
			if src = strings.TrimSpace(src); src != "" {
				srcs = append(srcs, src)
			}
		}
		e.Sources = &srcs
	}
	if req.ClosesAt != nil {
		at, err := parseTime("closes_at", req.ClosesAt, true)
		if err != nil {
			return questionDTO{}, err
		}
		e.ClosesAt = &at
	}
	if e.Title == nil && e.Criteria == nil && e.Sources == nil && e.ClosesAt == nil {
		return questionDTO{}, invalid("title", "nothing to change: send title, criteria, resolution_source or closes_at")
	}
	p, _ := caller(c)
	if q, err = s.cfg.Store.EditQuestion(c.UserContext(), q.ID, e, s.now(), p.ID); err != nil {
		return questionDTO{}, err
	}
	return s.questionView(c, &q)
}
