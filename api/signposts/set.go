package signposts

import (
	"context"
	"encoding/json"
	"math"
	"time"

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
	// The indicators' likelihood tables by source (see tables): derived
	// from the admin's links, entered by an admin (with when, for the
	// cache's fingerprint), and the branch crowds of the conditional
	// pairs crowdLinksFrom accepted.
	derived    map[int64]*Table
	admin      map[int64]*Table
	adminTimes []int64
	branches   map[int64]branchCrowds
	// aggregate is the tournament's crowd aggregate: a change of it
	// changes every crowd the board reads.
	aggregate string
}

// load finds a tournament's scenario question: the multiple-choice
// question most indicators link to (the first one if none has links yet).
func (s *Service) load(ctx context.Context, slug string) (signpostSet, error) {
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
	set := signpostSet{questions: qs, indicators: map[int64]*store.Question{}, aggregate: t.CrowdAggregate}
	found := false
	for i := range qs {
		if q := &qs[i]; q.Kind == scoring.MultipleChoice && q.Condition == nil && (!found || count[q.ID] > count[set.scenario.ID]) {
			set.scenario, found = *q, true
		}
	}
	if !found {
		return signpostSet{}, &store.Error{Kind: store.ErrNotFound,
			Message: "tournament " + slug + " has no scenario (multiple-choice) question"}
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
	set.reference = ReferenceForecast(&set.scenario)
	set.derived = set.strengthTables()
	tables, err := s.cfg.Store.TournamentLikelihoodTables(ctx, t.ID)
	if err != nil {
		return signpostSet{}, err
	}
	set.admin = set.adminTables(tables)
	set.showAdminTables()
	for _, tb := range tables {
		set.adminTimes = append(set.adminTimes, tb.IndicatorID, tb.UpdatedAt.UnixMicro())
	}
	return set, nil
}

// ReferenceForecast reads a question's reference forecast from its
// extras ({"probabilities": [...]}), or nil if it has no valid one.
func ReferenceForecast(q *store.Question) []float64 {
	var ref struct {
		Probabilities []float64 `json:"probabilities"`
	}
	if len(q.Extra.ReferenceForecast) == 0 || json.Unmarshal(q.Extra.ReferenceForecast, &ref) != nil ||
		scoring.Validate(ref.Probabilities, len(q.Options)) != nil {
		return nil
	}
	return ref.Probabilities
}

// prior is where the rule starts: the scenario question's reference
// forecast, else uniform. Never the crowd: the crowd's indicator
// forecasts are read against it, not multiplied onto it.
func (set *signpostSet) prior() ([]float64, string) {
	if set.reference != nil {
		return set.reference, "reference"
	}
	return scoring.Uniform(len(set.scenario.Options)), "uniform"
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

// triggerProbabilities returns each link's trigger probability as known
// at `at`: the resolution if the indicator had resolved by then, else the
// crowd forecast at that instant; NaN if neither exists (or annulled).
// With now, the crowd comes from the crowd cache (synced by the caller);
// a past crowd from each user's forecast standing then.
func (s *Service) triggerProbabilities(ctx context.Context, set *signpostSet, at time.Time, now bool) ([]float64, error) {
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
				before, n, err := s.cfg.Crowds.Before(ctx, set.indicators[l.IndicatorID], at.Add(time.Microsecond))
				if err != nil {
					return nil, err
				}
				if s.cfg.Crowds.ShownWith(l.IndicatorID, n) { // else it would give forecasts away
					crowd = before
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
