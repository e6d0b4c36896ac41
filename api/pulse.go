package api

import (
	"context"
	"math"
	"time"

	"github.com/gofiber/fiber/v2"

	"signpost/scoring"
	"signpost/store"
)

// pulsePointDTO is one UTC day of the scenario pulse.
type pulsePointDTO struct {
	Date    string    `json:"date"`
	Crowd   []float64 `json:"crowd" doc:"the crowd's scenario probabilities that day"`
	Implied []float64 `json:"implied" doc:"the signpost-implied probabilities that day"`
	// CrowdLinks says which links that day's implied figure used.
	CrowdLinks []int64 `json:"crowd_links" doc:"indicators whose links that day were the crowd's, estimated from a conditional pair answered in full by at least SIGNPOST_CONDITIONAL_MIN forecasters; the other indicators used the admin's links"`
}

// resolvedIndicatorDTO marks an indicator's resolution on the time axis.
type resolvedIndicatorDTO struct {
	QuestionID int64      `json:"question_id"`
	Title      store.Text `json:"title"`
	Date       string     `json:"date"`
	ResolvedAt string     `json:"resolved_at"`
	Outcome    int        `json:"outcome"`
	Label      store.Text `json:"label" doc:"the label of the realised option"`
}

type pulseDTO struct {
	ScenarioQuestionID int64                  `json:"scenario_question_id"`
	Reference          probsOrNull            `json:"reference" doc:"the reference forecast, or null"`
	Points             []pulsePointDTO        `json:"points"`
	Resolved           []resolvedIndicatorDTO `json:"resolved"`
}

// signpostHistory is the scenario pulse: for each UTC day with a crowd on
// the scenario question, the crowd and the implied probabilities as they
// stood at the end of that day, and the indicators' resolutions.
func (s *Server) signpostHistory(c *fiber.Ctx) (pulseDTO, error) {
	return cachedSignposts(s, c, "pulse", s.pulse)
}

// pulse computes the scenario pulse of set at now. Each day uses the
// links the board would have used at its end: the crowd's, from the
// branches of a conditional pair, where enough forecasters had answered
// both by then; the admin's elsewhere.
func (s *Server) pulse(ctx context.Context, set *signpostSet, now time.Time) (pulseDTO, error) {
	until := now.Add(time.Microsecond) // as the crowd series endpoint reads today
	scen, err := s.series(ctx, &set.scenario, until)
	if err != nil {
		return pulseDTO{}, err
	}
	pairs, err := s.pairHistories(ctx, set, until)
	if err != nil {
		return pulseDTO{}, err
	}
	linked := set.linkedIndicators()
	inds := map[int64]*dailyCrowd{}
	for _, id := range linked {
		pts, err := s.series(ctx, set.indicators[id], until)
		if err != nil {
			return pulseDTO{}, err
		}
		inds[id] = &dailyCrowd{points: pts}
	}
	out := pulseDTO{ScenarioQuestionID: set.scenario.ID, Reference: set.reference,
		Points: make([]pulsePointDTO, 0, len(scen)), Resolved: []resolvedIndicatorDTO{}}
	for _, pt := range scen {
		endOfDay := pt.Day.AddDate(0, 0, 1)
		day := set.clone()
		crowdLinked, err := s.crowdLinksFrom(day, false, pairsOnDay(pairs, pt.Day, endOfDay))
		if err != nil {
			return pulseDTO{}, err
		}
		implied, err := scoring.Implied(pt.Probs, day.evidence(day.probabilitiesOn(pt.Day, endOfDay, inds)))
		if err != nil {
			return pulseDTO{}, err
		}
		out.Points = append(out.Points, pulsePointDTO{Date: pt.Day.Format(time.DateOnly), Crowd: pt.Probs, Implied: implied,
			CrowdLinks: orEmptyIDs(crowdLinked)})
	}
	for _, id := range linked {
		ind := set.indicators[id]
		if ind.Resolution == nil || ind.Annulled {
			continue
		}
		r := ind.Resolution
		out.Resolved = append(out.Resolved, resolvedIndicatorDTO{QuestionID: ind.ID, Title: ind.Title,
			Date: r.ResolvedAt.UTC().Format(time.DateOnly), ResolvedAt: formatTime(r.ResolvedAt),
			Outcome: r.Outcome, Label: ind.Options[r.Outcome].Label})
	}
	return out, nil
}

// probabilitiesOn is each link's trigger probability at the end of day:
// the resolution if its indicator had resolved by then, else the
// indicator's crowd that day; NaN without either (or annulled).
func (set *signpostSet) probabilitiesOn(day, endOfDay time.Time, inds map[int64]*dailyCrowd) []float64 {
	p := make([]float64, len(set.links))
	for i, l := range set.links {
		if v, ok := set.settled(i, endOfDay); ok {
			p[i] = v
		} else if crowd := inds[l.IndicatorID].on(day); crowd != nil && !set.indicators[l.IndicatorID].Annulled {
			p[i] = set.triggers[i].Probability(crowd)
		} else {
			p[i] = math.NaN()
		}
	}
	return p
}

// orEmptyIDs answers [] rather than null for no IDs.
func orEmptyIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// series is a question's daily crowd up to until, as /questions/{id}/crowd
// serves it.
func (s *Server) series(ctx context.Context, q *store.Question, until time.Time) ([]scoring.CrowdPoint, error) {
	fs, err := s.cfg.Store.ScoringForecasts(ctx, q.ID)
	if err != nil {
		return nil, err
	}
	return s.shownSeries(scoring.CrowdSeries(q.ScoringQuestion(), fs, until)), nil
}

// dailyCrowd looks up a daily series by day, for days in increasing order:
// the latest point on or before the day (a closed question's crowd stays
// as it was when it closed).
type dailyCrowd struct {
	points []scoring.CrowdPoint
	next   int
}

func (d *dailyCrowd) on(day time.Time) []float64 {
	for d.next < len(d.points) && !d.points[d.next].Day.After(day) {
		d.next++
	}
	if d.next == 0 {
		return nil
	}
	return d.points[d.next-1].Probs
}
