package signposts

import (
	"context"
	"time"

	"signpost/scoring"
	"signpost/store"
)

// Pulse is the scenario pulse of a tournament: its crowd, evidence and
// implied scenario probabilities day by day, and its indicators'
// resolutions.
type Pulse struct {
	ScenarioQuestionID int64
	Reference          []float64 // the reference forecast, or nil
	Points             []PulsePoint
	Resolved           []Resolved
}

// PulsePoint is one UTC day of the pulse.
type PulsePoint struct {
	Day      time.Time
	Crowd    []float64
	Evidence []float64 // the prior updated by the indicators resolved by the end of the day
	Implied  []float64
	// CrowdLinks are the indicators whose links that day were the
	// crowd's; the others used the admin's links.
	CrowdLinks []int64
}

// Resolved marks an indicator's resolution on the time axis.
type Resolved struct {
	QuestionID int64
	Title      store.Text
	ResolvedAt time.Time
	Outcome    int
	Label      store.Text // the label of the realised option
}

// Pulse is the scenario pulse of the tournament slug: for each UTC day
// with a crowd on the scenario question, the crowd and the implied
// probabilities as they stood at the end of that day, and the
// indicators' resolutions. Its last point is the board's.
func (s *Service) Pulse(ctx context.Context, slug string) (Pulse, error) {
	return cachedSet(ctx, s, slug, "pulse", s.pulse)
}

// pulse computes the scenario pulse of set at now. Each day uses the
// tables the board would have used at its end: the crowd's, from the
// branches of a conditional pair, where enough forecasters had answered
// both by then; the admin's or the links' elsewhere.
func (s *Service) pulse(ctx context.Context, set *signpostSet, now time.Time) (Pulse, error) {
	until := now.Add(time.Microsecond) // as the crowd series endpoint reads today
	scen, err := s.series(ctx, &set.scenario, until)
	if err != nil {
		return Pulse{}, err
	}
	pairs, err := s.pairHistories(ctx, set, until)
	if err != nil {
		return Pulse{}, err
	}
	linked := set.linkedIndicators()
	inds := map[int64]*dailyCrowd{}
	for _, id := range linked {
		pts, err := s.series(ctx, set.indicators[id], until)
		if err != nil {
			return Pulse{}, err
		}
		inds[id] = &dailyCrowd{points: pts}
	}
	prior, _ := set.prior()
	out := Pulse{ScenarioQuestionID: set.scenario.ID, Reference: set.reference,
		Points: make([]PulsePoint, 0, len(scen)), Resolved: []Resolved{}}
	for _, pt := range scen {
		endOfDay := pt.Day.AddDate(0, 0, 1)
		day := set.clone()
		crowdLinked, err := s.crowdLinksFrom(day, false, pairsOnDay(pairs, pt.Day, endOfDay))
		if err != nil {
			return Pulse{}, err
		}
		crowdOn := func(id int64) []float64 {
			if c := inds[id]; c != nil && !set.indicators[id].Annulled {
				return c.on(pt.Day)
			}
			return nil
		}
		res, open := day.inputs(day.tables(crowdOn), endOfDay, crowdOn)
		evidence, implied, err := readRule(prior, res, open)
		if err != nil {
			return Pulse{}, err
		}
		out.Points = append(out.Points, PulsePoint{Day: pt.Day, Crowd: pt.Probs, Evidence: evidence, Implied: implied,
			CrowdLinks: crowdLinked})
	}
	for _, id := range linked {
		ind := set.indicators[id]
		if ind.Resolution == nil || ind.Annulled {
			continue
		}
		r := ind.Resolution
		out.Resolved = append(out.Resolved, Resolved{QuestionID: ind.ID, Title: ind.Title,
			ResolvedAt: r.ResolvedAt, Outcome: r.Outcome, Label: ind.Options[r.Outcome].Label})
	}
	return out, nil
}

// series is a question's daily crowd up to until, as /questions/{id}/crowd
// serves it: days the crowd rule hides left out.
func (s *Service) series(ctx context.Context, q *store.Question, until time.Time) ([]scoring.CrowdPoint, error) {
	fs, err := s.cfg.Store.ScoringForecasts(ctx, q.ID)
	if err != nil {
		return nil, err
	}
	return s.cfg.Crowds.Series(ctx, q, fs, until)
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
