package signposts

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"signpost/scoring"
	"signpost/store"
)

// Board is a tournament's signpost board: each scenario's crowd, evidence,
// implied and reference probability with the links that raise and lower
// it.
type Board struct {
	ScenarioQuestionID int64
	Prior              string // reference or uniform: where the evidence starts
	Forecasters        int
	Scenarios          []Scenario
}

// Scenario is one option of the scenario question on the board.
type Scenario struct {
	Option       int
	Label        store.Text
	Crowd        *float64 // nil without a crowd
	Evidence     float64  // the prior updated by the resolved indicators (exact Bayes)
	Implied      float64  // what the open indicators' crowd forecasts imply, from Evidence
	ImpliedRange [2]float64
	Reference    *float64 // nil without a reference forecast
	For          []Link   // links that raise this scenario, largest gap first
	Against      []Link   // links that lower it, largest gap first
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
	// LikelihoodRatio is P(trigger | scenario) / P(trigger | another
	// scenario) under the indicator's table, the others weighted by the
	// prior: how the trigger multiplies the scenario's odds.
	LikelihoodRatio  float64
	TotalProbability *float64 // crowd links with a crowd on the indicator only
	// Expected is what the crowd's scenario forecast predicts for the
	// table's trigger; nil without a crowd scenario forecast.
	Expected    *float64
	Likelihoods *Table // the indicator's table; nil if it bears on no scenario
}

// Board is the signpost board of the tournament slug.
func (s *Service) Board(ctx context.Context, slug string) (Board, error) {
	return cachedSet(ctx, s, slug, "board", s.board)
}

// indicatorView is what the board shows of one indicator on every link.
type indicatorView struct {
	table    *Table
	expected *float64
	gap      float64
	without  []float64 // implied without the indicator
}

// board computes the signpost board of set at now.
func (s *Service) board(ctx context.Context, set *signpostSet, now time.Time) (Board, error) {
	if _, err := s.applyCrowdLinks(ctx, set); err != nil {
		return Board{}, err
	}
	crowd, n := s.shownCrowd(set.scenario.ID)
	prior, kind := set.prior()
	tables := set.tables(s.shownCrowdOnly)
	res, open := set.inputs(tables, now.Add(time.Microsecond), s.shownCrowdOnly)
	evidence, implied, err := readRule(prior, res, open)
	if err != nil {
		return Board{}, err
	}
	ranges, err := s.impliedRange(ctx, set, evidence, tables, open)
	if err != nil {
		return Board{}, err
	}
	probs, err := s.triggerProbabilities(ctx, set, now, true)
	if err != nil {
		return Board{}, err
	}
	past, err := s.triggerProbabilities(ctx, set, now.AddDate(0, 0, -30), false)
	if err != nil {
		return Board{}, err
	}
	views, err := set.indicatorViews(tables, crowd, prior, res, open)
	if err != nil {
		return Board{}, err
	}
	out := Board{ScenarioQuestionID: set.scenario.ID, Prior: kind, Forecasters: n}
	for k, o := range set.scenario.Options {
		sc := Scenario{Option: k, Label: o.Label, Evidence: evidence[k], Implied: implied[k],
			ImpliedRange: ranges[k], For: []Link{}, Against: []Link{}}
		if crowd != nil {
			sc.Crowd = &crowd[k]
		}
		if set.reference != nil {
			sc.Reference = &set.reference[k]
		}
		out.Scenarios = append(out.Scenarios, sc)
	}
	for i, l := range set.links {
		d := set.link(i, now, probs[i], past[i])
		if v := views[l.IndicatorID]; v != nil {
			d.Shift = implied[l.Option] - v.without[l.Option]
			d.LikelihoodRatio = likelihoodRatio(v.table, prior, l.Option)
			d.Expected, d.Likelihoods = v.expected, v.table
		}
		sc := &out.Scenarios[l.Option]
		if l.Direction > 0 {
			sc.For = append(sc.For, d)
		} else {
			sc.Against = append(sc.Against, d)
		}
	}
	for k := range out.Scenarios {
		byGap(out.Scenarios[k].For, views)
		byGap(out.Scenarios[k].Against, views)
	}
	return out, nil
}

// indicatorViews computes, per indicator with a table, what the crowd's
// scenario forecast expects of it, its gap to the crowd's probability of
// the trigger (or its resolution), and the implied distribution without
// it.
func (set *signpostSet) indicatorViews(tables []*Table, crowd, prior []float64, res []observed,
	open []scoring.OpenIndicator) (map[int64]*indicatorView, error) {
	shown := map[int64]float64{}
	for _, r := range res {
		shown[r.indicator] = r.obs.Happened
	}
	for _, o := range open {
		shown[o.Indicator] = o.P
	}
	out := map[int64]*indicatorView{}
	for _, t := range tables {
		v := &indicatorView{table: t, expected: expected(crowd, t), gap: -1}
		if p, ok := shown[t.IndicatorID]; ok {
			v.gap = gap(v.expected, &p)
		}
		var err error
		if v.without, err = impliedWithout(prior, res, open, t.IndicatorID); err != nil {
			return nil, err
		}
		out[t.IndicatorID] = v
	}
	return out, nil
}

// byGap orders a scenario's links by their indicator's gap between what
// the scenarios expect and what forecasters say, largest first: the gap
// is the news.
func byGap(ls []Link, views map[int64]*indicatorView) {
	g := func(l Link) float64 {
		if v := views[l.QuestionID]; v != nil {
			return v.gap
		}
		return -1
	}
	slices.SortStableFunc(ls, func(a, b Link) int { return cmp.Compare(g(b), g(a)) })
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
