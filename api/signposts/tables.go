package signposts

import (
	"context"
	"errors"
	"slices"
	"strconv"

	"signpost/scoring"
	"signpost/store"
)

// The sources of a likelihood table, in order of precedence.
const (
	SourceAdmin     = "admin"     // entered by an admin
	SourceCrowd     = "crowd"     // from a conditional pair answered in full by enough forecasters
	SourceStrengths = "strengths" // from the admin's links and their strengths
)

// Table is an indicator's likelihood table on the scenario question: for
// its trigger, P(trigger | S_k) for every scenario k (see
// scoring.LikelihoodFromStrengths and its neighbours).
type Table struct {
	IndicatorID        int64
	ScenarioQuestionID int64
	Trigger            string // in the links' syntax (">=k" for a conditional pair's threshold)
	Probabilities      []float64
	Source             string // admin, crowd or strengths
	trigger            scoring.Trigger
}

// branchCrowds are the crowds of the conditional pair that gives an
// indicator's crowd table, as of the moment the set describes.
type branchCrowds struct {
	threshold int
	yes, no   []float64
}

// strengthTables derives a table from the admin's links of every linked
// indicator, before crowd links replace any: the trigger of the
// indicator's first link (by ID) and every link with that trigger. An
// indicator whose links use several triggers is read through its first
// one only, since one table describes one trigger; links with other
// triggers still appear on the board.
func (set *signpostSet) strengthTables() map[int64]*Table {
	out := map[int64]*Table{}
	links := map[int64][]scoring.StrengthLink{}
	k := len(set.scenario.Options)
	for i, l := range set.links {
		t := out[l.IndicatorID]
		if t == nil {
			t = &Table{IndicatorID: l.IndicatorID, ScenarioQuestionID: set.scenario.ID,
				Trigger: set.triggers[i].String(), Source: SourceStrengths, trigger: set.triggers[i]}
			out[l.IndicatorID] = t
		}
		if set.triggers[i] == t.trigger {
			links[l.IndicatorID] = append(links[l.IndicatorID],
				scoring.StrengthLink{Scenario: l.Option, Direction: l.Direction, Strength: set.strengths[i]})
		}
	}
	for id, t := range out {
		p, err := scoring.LikelihoodFromStrengths(k, links[id])
		if err != nil {
			delete(out, id) // stored links were validated; a changed scenario question cannot break the board
			continue
		}
		t.Probabilities = p
	}
	return out
}

// adminTables keeps the admin's tables ts that are on the set's scenario
// question.
func (set *signpostSet) adminTables(ts []store.LikelihoodTable) map[int64]*Table {
	out := map[int64]*Table{}
	for _, t := range ts {
		ind := set.indicators[t.IndicatorID]
		if t.ScenarioID != set.scenario.ID || ind == nil {
			continue
		}
		tr, err1 := scoring.ParseTrigger(ind.Kind, len(ind.Options), t.Trigger)
		p, err2 := scoring.LikelihoodGiven(t.Probabilities, len(set.scenario.Options))
		if err1 != nil || err2 != nil {
			continue // stored tables were validated; a changed question cannot break the board
		}
		out[t.IndicatorID] = &Table{IndicatorID: ind.ID, ScenarioQuestionID: set.scenario.ID,
			Trigger: tr.String(), Probabilities: p, Source: SourceAdmin, trigger: tr}
	}
	return out
}

// showAdminTables gives every admin table of an indicator without links
// to the scenario question one link per scenario, as a crowd table's
// indicator has (link ID 0, direction and nearest strength from the
// table's likelihood ratio under a uniform prior), so that the board
// lists it. The links read nothing: the table is what counts.
func (set *signpostSet) showAdminTables() {
	linked := map[int64]bool{}
	for _, l := range set.links {
		linked[l.IndicatorID] = true
	}
	var ids []int64
	for id := range set.admin {
		if !linked[id] {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return
	}
	slices.Sort(ids) // map order is random; the board's should not be
	uniform := scoring.Uniform(len(set.scenario.Options))
	set.crowdLinks = growTo(set.crowdLinks, len(set.links))
	for _, id := range ids {
		t := set.admin[id]
		for k := range t.Probabilities {
			dir, oriented := scoring.Oriented(likelihoodRatio(t, uniform, k))
			st := scoring.NearestStrength(oriented)
			set.links = append(set.links, store.Link{IndicatorID: id, ScenarioID: set.scenario.ID, Option: k,
				Trigger: t.Trigger, Direction: dir, Strength: st.String()})
			set.triggers = append(set.triggers, t.trigger)
			set.strengths = append(set.strengths, st)
			set.crowdLinks = append(set.crowdLinks, nil)
		}
	}
}

// tables is every indicator's effective table on the set's scenario
// question, by indicator ID: the admin's, else the crowd's from the
// conditional pair crowdLinksFrom accepted (needing the indicator's crowd
// from crowdOf, nil below the crowd minimum), else the one derived from
// the links. An indicator with none of them bears on no scenario.
func (set *signpostSet) tables(crowdOf func(id int64) []float64) []*Table {
	out := map[int64]*Table{}
	for id, t := range set.derived {
		out[id] = t
	}
	for id, b := range set.branches {
		crowd := crowdOf(id)
		if crowd == nil || set.admin[id] != nil {
			continue
		}
		tr := scoring.ConditionTrigger(b.threshold)
		p, err := scoring.LikelihoodFromBranches(tr.Probability(crowd), b.yes, b.no)
		if err != nil {
			continue
		}
		out[id] = &Table{IndicatorID: id, ScenarioQuestionID: set.scenario.ID, Trigger: tr.String(),
			Probabilities: p, Source: SourceCrowd, trigger: tr}
	}
	for id, t := range set.admin {
		out[id] = t
	}
	ts := make([]*Table, 0, len(out))
	for _, t := range out {
		if ind := set.indicators[t.IndicatorID]; ind != nil && !ind.Annulled {
			ts = append(ts, t)
		}
	}
	slices.SortFunc(ts, func(a, b *Table) int { return int(a.IndicatorID - b.IndicatorID) })
	return ts
}

// Likelihoods is the likelihood table the board uses for indicator q:
// ErrNotFound when q bears on no scenario.
func (s *Service) Likelihoods(ctx context.Context, q store.Question) (Table, error) {
	t, err := s.cfg.Store.FindTournamentByID(ctx, q.TournamentID)
	if err != nil {
		return Table{}, err
	}
	set, err := s.load(ctx, t.Slug)
	if errors.Is(err, store.ErrNotFound) {
		return Table{}, noTable(q.ID)
	} else if err != nil {
		return Table{}, err
	}
	if err := s.cfg.Crowds.Sync(ctx); err != nil {
		return Table{}, err
	}
	if _, err := s.applyCrowdLinks(ctx, &set); err != nil {
		return Table{}, err
	}
	for _, tb := range set.tables(s.shownCrowdOnly) {
		if tb.IndicatorID == q.ID {
			return *tb, nil
		}
	}
	if a, err := s.cfg.Store.LikelihoodTable(ctx, q.ID); err == nil && !q.Annulled {
		// An admin's table on another multiple-choice question than the
		// board's scenario question still stands as entered.
		return Table{IndicatorID: q.ID, ScenarioQuestionID: a.ScenarioID, Trigger: a.Trigger,
			Probabilities: a.Probabilities, Source: SourceAdmin}, nil
	}
	return Table{}, noTable(q.ID)
}

func noTable(id int64) error {
	return &store.Error{Kind: store.ErrNotFound, Message: "question " + strconv.FormatInt(id, 10) + " bears on no scenario"}
}

// shownCrowdOnly is shownCrowd without the count.
func (s *Service) shownCrowdOnly(id int64) []float64 {
	crowd, _ := s.shownCrowd(id)
	return crowd
}
