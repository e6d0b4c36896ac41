package api

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"signpost/scoring"
	"signpost/store"
)

// signpostSet is a tournament's scenario question with the indicators
// linked to it: what the board, the pulse and coherence all read.
type signpostSet struct {
	questions  []store.Question // the tournament's, in order
	scenario   store.Question
	indicators map[int64]*store.Question
	links      []store.Link      // into the scenario question, by ID
	triggers   []scoring.Trigger // parallel to links
	strengths  []scoring.Strength
	reference  []float64 // the scenario question's reference forecast, or nil
	// crowdLinks, parallel to links where set, marks the board's
	// crowd-estimated links (nil: an admin's link).
	crowdLinks []*crowdLink
}

// loadSignposts finds a tournament's scenario question: the
// multiple-choice question most indicators link to (the first one if none
// has links yet).
func (s *Server) loadSignposts(ctx context.Context, slug string) (signpostSet, error) {
	t, err := s.cfg.Store.FindTournamentBySlug(ctx, slug)
	if err != nil {
		return signpostSet{}, err
	}
	qs, err := s.cfg.Store.ListQuestions(ctx, t.ID)
	if err != nil {
		return signpostSet{}, err
	}
	all, err := s.cfg.Store.TournamentLinks(ctx, t.ID)
	if err != nil {
		return signpostSet{}, err
	}
	count := map[int64]int{}
	for _, l := range all {
		count[l.ScenarioID]++
	}
	set := signpostSet{questions: qs, indicators: map[int64]*store.Question{}}
	found := false
	for i := range qs {
		if q := &qs[i]; q.Kind == scoring.MultipleChoice && q.Condition == nil && (!found || count[q.ID] > count[set.scenario.ID]) {
			set.scenario, found = *q, true
		}
	}
	if !found {
		return signpostSet{}, notFound("tournament " + slug + " has no scenario (multiple-choice) question")
	}
	for i := range qs {
		set.indicators[qs[i].ID] = &qs[i]
	}
	for _, l := range all {
		ind := set.indicators[l.IndicatorID]
		tr, err1 := scoring.ParseTrigger(ind.Kind, len(ind.Options), l.Trigger)
		st, err2 := scoring.ParseStrength(l.Strength)
		if l.ScenarioID != set.scenario.ID || err1 != nil || err2 != nil {
			continue // stored links were validated; a changed question cannot break the board
		}
		set.links = append(set.links, l)
		set.triggers = append(set.triggers, tr)
		set.strengths = append(set.strengths, st)
	}
	set.reference = referenceForecast(&set.scenario)
	return set, nil
}

// referenceForecast reads a question's reference forecast from its
// extras ({"probabilities": [...]}), or nil if it has no valid one.
func referenceForecast(q *store.Question) []float64 {
	var ref struct {
		Probabilities []float64 `json:"probabilities"`
	}
	if len(q.Extra.ReferenceForecast) == 0 || json.Unmarshal(q.Extra.ReferenceForecast, &ref) != nil ||
		scoring.Validate(ref.Probabilities, len(q.Options)) != nil {
		return nil
	}
	return ref.Probabilities
}

// prior is the board's starting point: the crowd's scenario forecast, the
// reference forecast while there is no crowd, else uniform.
func (set *signpostSet) prior(crowd []float64) ([]float64, string) {
	switch {
	case crowd != nil:
		return crowd, "crowd"
	case set.reference != nil:
		return set.reference, "reference"
	}
	k := len(set.scenario.Options)
	u := make([]float64, k)
	for i := range u {
		u[i] = 1 / float64(k)
	}
	return u, "uniform"
}

// settled returns link i's trigger probability if its indicator resolved
// before `before` (1 or 0; ½ for a middle bucket).
func (set *signpostSet) settled(i int, before time.Time) (float64, bool) {
	ind := set.indicators[set.links[i].IndicatorID]
	if ind.Annulled || ind.Resolution == nil || !ind.Resolution.ResolvedAt.Before(before) {
		return 0, false
	}
	return set.triggers[i].Resolved(ind.Resolution.Outcome, len(ind.Options)), true
}

// evidence builds the scoring input from a trigger probability per link
// (NaN: nothing known, no evidence).
func (set *signpostSet) evidence(p []float64) []scoring.Evidence {
	ev := make([]scoring.Evidence, 0, len(set.links))
	for i, l := range set.links {
		if math.IsNaN(p[i]) {
			continue
		}
		ev = append(ev, scoring.Evidence{Indicator: l.IndicatorID, Scenario: l.Option, Direction: l.Direction,
			Strength: set.strengths[i], P: p[i], Ratio: set.crowdRatio(i)})
	}
	return ev
}

// signpostIndicatorDTO is one link of an indicator as the board shows it
// under a scenario.
type signpostIndicatorDTO struct {
	QuestionID  int64      `json:"question_id"`
	LinkID      int64      `json:"link_id"`
	Title       store.Text `json:"title"`
	State       string     `json:"state" enum:"upcoming,open,closed,resolved,annulled"`
	Trigger     string     `json:"trigger"`
	Direction   int        `json:"direction"`
	Probability *float64   `json:"probability" doc:"crowd probability of the trigger, 0 or 1 once resolved; null with no forecasts"`
	Change30d   *float64   `json:"change_30d" doc:"probability now minus 30 days ago; null without both"`
	Strength    string     `json:"strength" enum:"weak,moderate,strong"`
	Weight      float64    `json:"weight"`
	Shift       float64    `json:"shift" doc:"implied probability of this scenario with the indicator minus without it"`
	ResolvedAt  *string    `json:"resolved_at"`
	Source      string     `json:"source" enum:"crowd,admin" doc:"crowd: estimated from the crowd's conditional pair (link_id 0, strength the nearest name); admin: an admin's link"`
	// LikelihoodRatio is how the trigger multiplies this scenario's odds.
	LikelihoodRatio  float64  `json:"likelihood_ratio" doc:"P(scenario | trigger) / P(scenario | no trigger) from the crowd's branches; for an admin link weight^direction"`
	TotalProbability *float64 `json:"total_probability" doc:"crowd links: P(I)·P(S | Yes) + (1 − P(I))·P(S | No), to set beside the crowd's direct P(S); null otherwise"`
}

type signpostScenarioDTO struct {
	Option    int                    `json:"option"`
	Label     store.Text             `json:"label"`
	Crowd     *float64               `json:"crowd"`
	Implied   float64                `json:"implied"`
	Reference *float64               `json:"reference"`
	For       []signpostIndicatorDTO `json:"for" doc:"links that raise this scenario"`
	Against   []signpostIndicatorDTO `json:"against" doc:"links that lower this scenario"`
}

type signpostsDTO struct {
	ScenarioQuestionID int64                 `json:"scenario_question_id"`
	Prior              string                `json:"prior" enum:"crowd,reference,uniform"`
	Forecasters        int                   `json:"forecasters"`
	Scenarios          []signpostScenarioDTO `json:"scenarios"`
}

// signposts is the signpost board of a tournament.
func (s *Server) signposts(c *fiber.Ctx) (signpostsDTO, error) {
	return cachedSignposts(s, c, "board", s.board)
}

// board computes the signpost board of set at now.
func (s *Server) board(ctx context.Context, set *signpostSet, now time.Time) (signpostsDTO, error) {
	if _, err := s.applyCrowdLinks(ctx, set); err != nil {
		return signpostsDTO{}, err
	}
	crowd, n := s.shownCrowd(set.scenario.ID)
	prior, kind := set.prior(crowd)
	probs, err := s.triggerProbabilities(ctx, set, now, true)
	if err != nil {
		return signpostsDTO{}, err
	}
	past, err := s.triggerProbabilities(ctx, set, now.AddDate(0, 0, -30), false)
	if err != nil {
		return signpostsDTO{}, err
	}
	ev := set.evidence(probs)
	implied, err := scoring.Implied(prior, ev)
	if err != nil {
		return signpostsDTO{}, err
	}
	out := signpostsDTO{ScenarioQuestionID: set.scenario.ID, Prior: kind, Forecasters: n}
	for k, o := range set.scenario.Options {
		sc := signpostScenarioDTO{Option: k, Label: o.Label, Implied: implied[k],
			For: []signpostIndicatorDTO{}, Against: []signpostIndicatorDTO{}}
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
			rest := slices.DeleteFunc(slices.Clone(ev), func(e scoring.Evidence) bool { return e.Indicator == l.IndicatorID })
			without[l.IndicatorID], _ = scoring.Implied(prior, rest)
		}
		d := set.indicatorDTO(i, now, probs[i], past[i])
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

func (set *signpostSet) indicatorDTO(i int, now time.Time, p, past float64) signpostIndicatorDTO {
	l := set.links[i]
	ind := set.indicators[l.IndicatorID]
	d := signpostIndicatorDTO{QuestionID: ind.ID, LinkID: l.ID, Title: ind.Title, State: ind.State(now),
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
		at := formatTime(ind.Resolution.ResolvedAt)
		d.ResolvedAt = &at
	}
	return d
}

// triggerProbabilities returns each link's trigger probability as known
// at `at`: the resolution if the indicator had resolved by then, else the
// crowd forecast at that instant; NaN if neither exists (or annulled).
// With now, the crowd comes from the crowd cache (synced by the caller);
// a past crowd from each user's forecast standing then.
func (s *Server) triggerProbabilities(ctx context.Context, set *signpostSet, at time.Time, now bool) ([]float64, error) {
	crowds := map[int64][]float64{}
	out := make([]float64, len(set.links))
	for i, l := range set.links {
		if p, ok := set.settled(i, at.Add(time.Microsecond)); ok {
			out[i] = p
			continue
		}
		crowd, ok := crowds[l.IndicatorID]
		if !ok {
			if now {
				crowd, _ = s.shownCrowd(l.IndicatorID)
			} else {
				standing, err := s.cfg.Store.StandingBefore(ctx, l.IndicatorID, at.Add(time.Microsecond))
				if err != nil {
					return nil, err
				}
				if len(standing) >= s.crowdMin() { // fewer would give forecasts away
					crowd = scoring.Crowd(standing)
				}
			}
			crowds[l.IndicatorID] = crowd
		}
		if crowd == nil || set.indicators[l.IndicatorID].Annulled {
			out[i] = math.NaN()
			continue
		}
		out[i] = set.triggers[i].Probability(crowd)
	}
	return out, nil
}
