package signposts

import (
	"context"
	"slices"
	"sort"
	"time"

	"signpost/scoring"
)

// pairHistory is a conditional pair's branches day by day, so that each
// day of the pulse uses the links the board would have shown that day.
type pairHistory struct {
	yes, no *dailyCrowd
	// both holds, per forecaster who answered both branches, when they
	// had: sorted, so a day's count is a binary search.
	both []time.Time
}

// pairHistories reads the history of every conditional pair on the set's
// scenario question up to until, by the ID of its "if Yes" branch.
// Branch crowds are not held to the crowd minimum, as on the board: a
// link needs ConditionalMin forecasters on both branches anyway.
func (s *Service) pairHistories(ctx context.Context, set *signpostSet, until time.Time) (map[int64]*pairHistory, error) {
	out := map[int64]*pairHistory{}
	for _, p := range set.pairsOn() {
		if p.ifNo == 0 {
			continue
		}
		yes, firstYes, err := s.branchHistory(ctx, set, p.ifYes, until)
		if err != nil {
			return nil, err
		}
		no, firstNo, err := s.branchHistory(ctx, set, p.ifNo, until)
		if err != nil {
			return nil, err
		}
		h := &pairHistory{yes: &dailyCrowd{points: yes}, no: &dailyCrowd{points: no}}
		for u, a := range firstYes {
			if b, ok := firstNo[u]; ok {
				h.both = append(h.both, later(a, b))
			}
		}
		slices.SortFunc(h.both, time.Time.Compare)
		out[p.ifYes] = h
	}
	return out, nil
}

// branchHistory is a branch's daily crowd and each forecaster's first
// forecast on it.
func (s *Service) branchHistory(ctx context.Context, set *signpostSet, id int64, until time.Time) (
	[]scoring.CrowdPoint, map[int64]time.Time, error) {
	q := set.indicators[id] // every question of the tournament is there
	fs, err := s.cfg.Store.ScoringForecasts(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	first := map[int64]time.Time{}
	for _, f := range fs {
		if t, ok := first[f.User]; !ok || f.At.Before(t) {
			first[f.User] = f.At
		}
	}
	points, err := s.cfg.Crowds.DailySeries(ctx, q, fs, until)
	return points, first, err
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// pairsOnDay gives the pairs' crowds as they stood at the end of day (days in
// increasing order), for crowdLinksFrom.
func pairsOnDay(hs map[int64]*pairHistory, day, endOfDay time.Time) pairCrowds {
	return func(p branchPair) ([]float64, []float64, int, error) {
		h := hs[p.ifYes]
		if h == nil {
			return nil, nil, 0, nil
		}
		n := sort.Search(len(h.both), func(i int) bool { return !h.both[i].Before(endOfDay) })
		return h.yes.on(day), h.no.on(day), n, nil
	}
}

// clone copies the set's links, which crowdLinksFrom rewrites in place.
func (set *signpostSet) clone() *signpostSet {
	c := *set
	c.links, c.triggers, c.strengths = slices.Clone(set.links), slices.Clone(set.triggers), slices.Clone(set.strengths)
	c.crowdLinks = slices.Clone(set.crowdLinks)
	return &c
}

// linkedIndicators are the indicators that bear on the scenario question:
// through an admin's link or table, or a conditional pair, in order.
func (set *signpostSet) linkedIndicators() []int64 {
	var out []int64
	for id := range set.admin {
		out = append(out, id)
	}
	for _, l := range set.links {
		out = append(out, l.IndicatorID)
	}
	for _, p := range set.pairsOn() {
		if p.ifNo != 0 {
			out = append(out, p.indicator)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
