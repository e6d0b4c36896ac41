package api

import (
	"cmp"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"signpost/store"
)

type questionListDTO struct {
	Questions []questionDTO `json:"questions"`
}

// resolutionQueue lists, across tournaments, the questions waiting for an
// answer: neither resolved nor annulled, and past their close date or
// their expected resolution date (resolve_by, due from the start of that
// UTC day). Oldest close first, so nothing waits forgotten.
func (s *Server) resolutionQueue(c *fiber.Ctx) (questionListDTO, error) {
	ctx := c.UserContext()
	ts, err := s.cfg.Store.ListTournaments(ctx)
	if err != nil {
		return questionListDTO{}, err
	}
	now := s.now()
	var due []store.Question
	for _, t := range ts {
		qs, err := s.cfg.Store.ListQuestions(ctx, t.ID)
		if err != nil {
			return questionListDTO{}, err
		}
		for _, q := range qs {
			if awaitsResolution(&q, now) {
				due = append(due, q)
			}
		}
	}
	slices.SortStableFunc(due, func(a, b store.Question) int { return cmp.Compare(a.ClosesAt.UnixMicro(), b.ClosesAt.UnixMicro()) })
	if err := s.crowd.Sync(ctx); err != nil {
		return questionListDTO{}, err
	}
	out := questionListDTO{Questions: make([]questionDTO, 0, len(due))}
	for i := range due {
		v, err := s.syncedView(c, &due[i])
		if err != nil {
			return questionListDTO{}, err
		}
		if err := s.withProposal(ctx, &v); err != nil {
			return questionListDTO{}, err
		}
		out.Questions = append(out.Questions, v)
	}
	return out, nil
}

func awaitsResolution(q *store.Question, now time.Time) bool {
	if q.Annulled || q.Resolution != nil {
		return false
	}
	if !now.Before(q.ClosesAt) {
		return true
	}
	by, err := time.Parse(time.DateOnly, q.Extra.ResolveBy)
	return err == nil && !now.Before(by) && !now.Before(q.OpensAt)
}
