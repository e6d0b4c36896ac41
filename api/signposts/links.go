package signposts

import (
	"context"
	"math"
	"slices"

	"signpost/scoring"
	"signpost/store"
)

// crowdLink is what a crowd-estimated link of the board carries beyond an
// admin's link.
type crowdLink struct {
	ratio float64 // P(S | Yes) / P(S | No) for the link's scenario
	total float64 // P(I)·P(S | Yes) + (1 − P(I))·P(S | No); NaN without a crowd on the indicator
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
// ConditionalMin forecasters have answered both branches of one of its
// conditional pairs (the first such pair when it has several). It
// returns the indicators whose links the crowd now gives, in order. The
// crowd cache must be synced.
func (s *Service) applyCrowdLinks(ctx context.Context, set *signpostSet) ([]int64, error) {
	return s.crowdLinksFrom(set, true, func(p branchPair) ([]float64, []float64, int, error) {
		n, err := s.cfg.Store.AnsweredBoth(ctx, p.ifYes, p.ifNo)
		if err != nil {
			return nil, nil, 0, err
		}
		// Each branch's crowd as the rule shows it, so that no branch gives
		// its forecasters' forecasts away.
		yes, _ := s.cfg.Crowds.Shown(p.ifYes)
		no, _ := s.cfg.Crowds.Shown(p.ifNo)
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
func (s *Service) crowdLinksFrom(set *signpostSet, withTotals bool, crowds pairCrowds) ([]int64, error) {
	var out []int64
	done := map[int64]bool{}
	set.branches = map[int64]branchCrowds{}
	for _, p := range set.pairsOn() {
		ind := set.indicators[p.indicator]
		if done[p.indicator] || p.ifNo == 0 || ind == nil {
			continue
		}
		yes, no, n, err := crowds(p)
		if err != nil {
			return nil, err
		}
		if n < s.cfg.ConditionalMin || yes == nil || no == nil {
			continue
		}
		lr, err := scoring.LikelihoodRatios(yes, no)
		if err != nil {
			continue // a branch whose options no longer match its scenario's
		}
		done[p.indicator] = true
		out = append(out, p.indicator)
		set.branches[p.indicator] = branchCrowds{threshold: p.threshold, yes: yes, no: no}
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
func (s *Service) conditionTotals(ind *store.Question, threshold int, yes, no []float64) []float64 {
	crowd, _ := s.shownCrowd(ind.ID)
	if crowd == nil {
		return nanTotals(len(yes))
	}
	tp, err := scoring.TotalProbability(scoring.ConditionTrigger(threshold).Probability(crowd), yes, no)
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
	tr := scoring.ConditionTrigger(threshold)
	for k, r := range lr {
		dir, oriented := scoring.Oriented(r)
		st := scoring.NearestStrength(oriented)
		set.links = append(set.links, store.Link{IndicatorID: ind.ID, ScenarioID: set.scenario.ID, Option: k,
			Trigger: tr.String(), Direction: dir, Strength: st.String()})
		set.triggers = append(set.triggers, tr)
		set.strengths = append(set.strengths, st)
		set.crowdLinks = append(set.crowdLinks, &crowdLink{ratio: r, total: totals[k]})
	}
}

func growTo(cs []*crowdLink, n int) []*crowdLink {
	for len(cs) < n {
		cs = append(cs, nil)
	}
	return cs
}

// crowdRatio returns link i's oriented crowd ratio, the weight the board
// shows for a crowd link, or 0 for an admin link.
func (set *signpostSet) crowdRatio(i int) float64 {
	if i < len(set.crowdLinks) && set.crowdLinks[i] != nil {
		_, r := scoring.Oriented(set.crowdLinks[i].ratio)
		return r
	}
	return 0
}

// describeSource fills the board's source, weight and total probability
// of link i, and the likelihood ratio its links alone give (the board
// replaces it by the table's where the indicator has one).
func (set *signpostSet) describeSource(i int, d *Link) {
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
	d.LikelihoodRatio = set.strengths[i].Ratio(set.links[i].Direction)
}
