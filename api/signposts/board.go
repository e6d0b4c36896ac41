package signposts

import (
	"context"
	"math"
	"time"

	"signpost/scoring"
	"signpost/store"
)

// Board is a tournament's signpost board: each scenario's crowd, implied
// and reference probability with the links that raise and lower it.
type Board struct {
	ScenarioQuestionID int64
	Prior              string // crowd, reference or uniform
	Forecasters        int
	Scenarios          []Scenario
}

// Scenario is one option of the scenario question on the board.
type Scenario struct {
	Option    int
	Label     store.Text
	Crowd     *float64 // nil without a crowd
	Implied   float64
	Reference *float64 // nil without a reference forecast
	For       []Link   // links that raise this scenario
	Against   []Link   // links that lower it
}

// Link is one link of an indicator as the board shows it under a scenario.
type Link struct {
	QuestionID  int64
	LinkID      int64 // 0 for a crowd link
	Title       store.Text
	State       string
	Trigger     string
	Direction   int
	Probability *float64 // the crowd's probability of the trigger, 0 or 1 once resolved; nil without either
	Change30d   *float64 // probability now minus 30 days ago; nil without both
	Strength    string
	Weight      float64
	Shift       float64 // the scenario's implied probability with the indicator minus without it
	ResolvedAt  *time.Time
	Source      string // crowd or admin
	// LikelihoodRatio is how the trigger multiplies the scenario's odds.
	LikelihoodRatio  float64
	TotalProbability *float64 // crowd links with a crowd on the indicator only
}

// Board is the signpost board of the tournament slug.
func (s *Service) Board(ctx context.Context, slug string) (Board, error) {
	return cachedSet(ctx, s, slug, "board", s.board)
}

// board computes the signpost board of set at now.
func (s *Service) board(ctx context.Context, set *signpostSet, now time.Time) (Board, error) {
	if _, err := s.applyCrowdLinks(ctx, set); err != nil {
		return Board{}, err
	}
	crowd, n := s.shownCrowd(set.scenario.ID)
	prior, kind := set.prior(crowd)
	probs, err := s.triggerProbabilities(ctx, set, now, true)
	if err != nil {
		return Board{}, err
	}
	past, err := s.triggerProbabilities(ctx, set, now.AddDate(0, 0, -30), false)
	if err != nil {
		return Board{}, err
	}
	ev := set.evidence(probs)
	implied, err := scoring.Implied(prior, ev)
	if err != nil {
		return Board{}, err
	}
	out := Board{ScenarioQuestionID: set.scenario.ID, Prior: kind, Forecasters: n}
	for k, o := range set.scenario.Options {
		sc := Scenario{Option: k, Label: o.Label, Implied: implied[k], For: []Link{}, Against: []Link{}}
		if crowd != nil {
			sc.Crowd = &crowd[k]
		}
		if set.reference != nil {
			sc.Reference = &set.reference[k]
		}
		out.Scenarios = append(out.Scenarios, sc)
	}
	without := map[int64][]float64{}
	for i, l := range set.links {
		if without[l.IndicatorID] == nil {
			without[l.IndicatorID], _ = scoring.ImpliedWithout(prior, ev, l.IndicatorID)
		}
		d := set.link(i, now, probs[i], past[i])
		d.Shift = implied[l.Option] - without[l.IndicatorID][l.Option]
		sc := &out.Scenarios[l.Option]
		if l.Direction > 0 {
			sc.For = append(sc.For, d)
		} else {
			sc.Against = append(sc.Against, d)
		}
	}
	return out, nil
}

// link is link i as the board shows it, with its trigger probability now
// and 30 days ago (NaN: unknown).
func (set *signpostSet) link(i int, now time.Time, p, past float64) Link {
	l := set.links[i]
	ind := set.indicators[l.IndicatorID]
	d := Link{QuestionID: ind.ID, LinkID: l.ID, Title: ind.Title, State: ind.State(now),
		Trigger: l.Trigger, Direction: l.Direction, Strength: l.Strength, Weight: set.strengths[i].Weight()}
	set.describeSource(i, &d)
	if !math.IsNaN(p) {
		d.Probability = &p
		if !math.IsNaN(past) {
			change := p - past
			d.Change30d = &change
		}
	}
	if ind.Resolution != nil && !ind.Annulled {
		at := ind.Resolution.ResolvedAt
		d.ResolvedAt = &at
	}
	return d
}
