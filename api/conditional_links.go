package api

import (
	"context"
	"math"
	"slices"

	"signpost/scoring"
	"signpost/store"
)

// defaultConditionalMin is SIGNPOST_CONDITIONAL_MIN's default.
const defaultConditionalMin = 5

// crowdLink is what a crowd-estimated link of the board carries beyond an
// admin's link.
type crowdLink struct {
	ratio float64 // P(S | Yes) / P(S | No) for the link's scenario
	total float64 // P(I)·P(S | Yes) + (1 − P(I))·P(S | No); NaN without a crowd on the indicator
}

// conditionalMin is the configured threshold of forecasters.
func (s *Server) conditionalMin() int {
	if s.cfg.ConditionalMin > 0 {
		return s.cfg.ConditionalMin
	}
	return defaultConditionalMin
}

// branchPair is a conditional pair on the set's scenario question.
type branchPair struct {
	indicator, ifYes, ifNo int64
	threshold              int
}

// pairsOn lists the conditional pairs on the set's scenario question, by
// the ID of their "if Yes" branch.
func (set *signpostSet) pairsOn() []branchPair {
	var out []branchPair
	for _, q := range set.indicators {
		if q.Condition == nil || q.Mirrors != set.scenario.ID || q.Condition.Outcome != "yes" {
			continue
		}
		out = append(out, branchPair{indicator: q.Condition.QuestionID, ifYes: q.ID, threshold: q.Condition.Threshold})
	}
	for i := range out {
		for _, q := range set.indicators {
			if c := q.Condition; c != nil && q.Mirrors == set.scenario.ID && c.Outcome == "no" &&
				c.QuestionID == out[i].indicator && c.Threshold == out[i].threshold {
				out[i].ifNo = q.ID
			}
		}
	}
	slices.SortFunc(out, func(a, b branchPair) int { return int(a.ifYes - b.ifYes) })
	return out
}

// applyCrowdLinks replaces an indicator's admin links to the scenario
// question by crowd-estimated ones, one per scenario, once at least
// conditionalMin forecasters have answered both branches of one of its
// conditional pairs (the first such pair when it has several). It
// returns the indicators whose links the crowd now gives, in order. The
// crowd cache must be synced.
func (s *Server) applyCrowdLinks(ctx context.Context, set *signpostSet) ([]int64, error) {
	return s.crowdLinksFrom(set, true, func(p branchPair) ([]float64, []float64, int, error) {
		n, err := s.cfg.Store.AnsweredBoth(ctx, p.ifYes, p.ifNo)
		if err != nil {
			return nil, nil, 0, err
		}
		yes, _ := s.crowd.current(p.ifYes)
		no, _ := s.crowd.current(p.ifNo)
		return yes, no, n, nil
	})
}

// pairCrowds gives a pair's two branch crowds (nil: none) and how many
// forecasters have answered both, as of some moment.
type pairCrowds func(p branchPair) (yes, no []float64, both int, err error)

// crowdLinksFrom is applyCrowdLinks with the branches' crowds as of the
// moment crowds describes: now for the board and coherence, a past day
// for the pulse. Only the board shows the links' total probabilities
// (withTotals); the others leave them NaN.
func (s *Server) crowdLinksFrom(set *signpostSet, withTotals bool, crowds pairCrowds) ([]int64, error) {
	var out []int64
	done := map[int64]bool{}
	for _, p := range set.pairsOn() {
		ind := set.indicators[p.indicator]
		if done[p.indicator] || p.ifNo == 0 || ind == nil {
			continue
		}
		yes, no, n, err := crowds(p)
		if err != nil {
			return nil, err
		}
		if n < s.conditionalMin() || yes == nil || no == nil {
			continue
		}
		lr, err := scoring.LikelihoodRatios(yes, no)
		if err != nil {
			continue // a branch whose options no longer match its scenario's
		}
		done[p.indicator] = true
		out = append(out, p.indicator)
		totals := nanTotals(len(lr))
		if withTotals {
			totals = s.conditionTotals(ind, p.threshold, yes, no)
		}
		set.replaceLinks(ind, p.threshold, lr, totals)
	}
	slices.Sort(out)
	return out, nil
}

// sourceOf names where an indicator's links came from, given the
// indicators whose links the crowd gives.
func sourceOf(indicator int64, crowdLinked []int64) string {
	if slices.Contains(crowdLinked, indicator) {
		return "crowd"
	}
	return "admin"
}

// conditionTotals is the total probability of every scenario through the
// indicator's crowd (NaN each without one).
func (s *Server) conditionTotals(ind *store.Question, threshold int, yes, no []float64) []float64 {
	crowd, _ := s.shownCrowd(ind.ID)
	if crowd == nil {
		return nanTotals(len(yes))
	}
	tp, err := scoring.TotalProbability(conditionTrigger(threshold).Probability(crowd), yes, no)
	if err != nil {
		return nanTotals(len(yes))
	}
	return tp
}

// nanTotals stands for k unknown total probabilities.
func nanTotals(k int) []float64 {
	out := make([]float64, k)
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}

// conditionTrigger is the event a pair's "if Yes" branch assumes.
func conditionTrigger(threshold int) scoring.Trigger {
	if threshold > 0 {
		return scoring.Trigger{Kind: scoring.TriggerAtLeast, Option: threshold}
	}
	return scoring.Trigger{Kind: scoring.TriggerYes}
}

// replaceLinks drops the indicator's links from the set and adds one
// crowd link per scenario with the crowd's ratios lr.
func (set *signpostSet) replaceLinks(ind *store.Question, threshold int, lr, totals []float64) {
	set.crowdLinks = growTo(set.crowdLinks, len(set.links))
	keep := 0
	for i, l := range set.links {
		if l.IndicatorID != ind.ID {
			set.links[keep], set.triggers[keep], set.strengths[keep], set.crowdLinks[keep] =
				l, set.triggers[i], set.strengths[i], set.crowdLinks[i]
			keep++
		}
	}
	set.links, set.triggers, set.strengths, set.crowdLinks =
		set.links[:keep], set.triggers[:keep], set.strengths[:keep], set.crowdLinks[:keep]
	tr := conditionTrigger(threshold)
	for k, r := range lr {
		dir, oriented := scoring.Oriented(r)
		set.links = append(set.links, store.Link{IndicatorID: ind.ID, ScenarioID: set.scenario.ID, Option: k,
			Trigger: tr.String(), Direction: dir, Strength: nearestStrength(oriented).String()})
		set.triggers = append(set.triggers, tr)
		set.strengths = append(set.strengths, nearestStrength(oriented))
		set.crowdLinks = append(set.crowdLinks, &crowdLink{ratio: r, total: totals[k]})
	}
}

func growTo(cs []*crowdLink, n int) []*crowdLink {
	for len(cs) < n {
		cs = append(cs, nil)
	}
	return cs
}

// nearestStrength names a crowd ratio (at least 1) by the strength whose
// weight is nearest in log space, so that the board can word it like an
// admin's link; the ratio itself is what the rule uses.
func nearestStrength(ratio float64) scoring.Strength {
	best, dist := scoring.Weak, math.Inf(1)
	for _, st := range []scoring.Strength{scoring.Weak, scoring.Moderate, scoring.Strong} {
		if d := math.Abs(math.Log(ratio) - math.Log(st.Weight())); d < dist {
			best, dist = st, d
		}
	}
	return best
}

// crowdRatio returns link i's oriented crowd ratio for scoring.Evidence,
// or 0 for an admin link.
func (set *signpostSet) crowdRatio(i int) float64 {
	if i < len(set.crowdLinks) && set.crowdLinks[i] != nil {
		_, r := scoring.Oriented(set.crowdLinks[i].ratio)
		return r
	}
	return 0
}

// describeSource fills the board's source, likelihood ratio and total
// probability of link i.
func (set *signpostSet) describeSource(i int, d *signpostIndicatorDTO) {
	if i < len(set.crowdLinks) && set.crowdLinks[i] != nil {
		c := set.crowdLinks[i]
		d.Source, d.LikelihoodRatio = "crowd", c.ratio
		d.Weight = set.crowdRatio(i)
		if !math.IsNaN(c.total) {
			total := c.total
			d.TotalProbability = &total
		}
		return
	}
	d.Source = "admin"
	d.LikelihoodRatio = math.Pow(set.strengths[i].Weight(), float64(set.links[i].Direction))
}

// conditionalCheckDTO is the total-probability check of one conditional
// pair from the caller's own forecasts.
type conditionalCheckDTO struct {
	IndicatorQuestionID int64     `json:"indicator_question_id"`
	Threshold           *int      `json:"threshold"`
	IfYes               int64     `json:"if_yes" doc:"the \"if Yes\" branch's question ID"`
	IfNo                int64     `json:"if_no" doc:"the \"if No\" branch's question ID"`
	TotalProbability    []float64 `json:"total_probability" doc:"P(I)·P(S | Yes) + (1 − P(I))·P(S | No) from the caller's own forecasts"`
	Distance            float64   `json:"distance" doc:"total variation distance to the caller's scenario forecast: a large gap is worth discussing, never an error"`
}

// conditionalChecks applies the law of total probability to every pair
// on the set's scenario question whose branches, indicator and scenario
// the caller has all forecast (latest: their standing forecast per
// question). A resolved indicator counts as 1 or 0.
func conditionalChecks(set *signpostSet, latest map[int64][]float64) []conditionalCheckDTO {
	out := []conditionalCheckDTO{}
	scen := latest[set.scenario.ID]
	for _, p := range set.pairsOn() {
		ind := set.indicators[p.indicator]
		yes, no, pi := latest[p.ifYes], latest[p.ifNo], latest[p.indicator]
		if ind == nil || ind.Annulled || scen == nil || yes == nil || no == nil {
			continue
		}
		var q float64
		switch tr := conditionTrigger(p.threshold); {
		case ind.Resolution != nil:
			q = tr.Resolved(ind.Resolution.Outcome, len(ind.Options))
		case pi != nil:
			q = tr.Probability(pi)
		default:
			continue
		}
		tp, err := scoring.TotalProbability(q, yes, no)
		if err != nil || len(tp) != len(scen) {
			continue
		}
		c := conditionalCheckDTO{IndicatorQuestionID: p.indicator, IfYes: p.ifYes, IfNo: p.ifNo,
			TotalProbability: tp, Distance: scoring.TVDistance(tp, scen)}
		if p.threshold > 0 {
			th := p.threshold
			c.Threshold = &th
		}
		out = append(out, c)
	}
	return out
}
