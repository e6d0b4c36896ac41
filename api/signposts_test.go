package api

import (
	"math"
	"testing"
	"time"

	"signpost/scoring"
)

// seededLinks returns the default tournament's links by indicator slug.
func (e *testEnv) seededLinks(ids map[string]int64) map[string][]linkDTO {
	e.t.Helper()
	out := map[string][]linkDTO{}
	for slug, id := range ids {
		var l linksDTO
		e.must(200, "GET", qpath(id, "/links"), "", nil, &l)
		out[slug] = l.Links
	}
	return out
}

// wantRule computes the evidence and implied probabilities the board
// should show from prior, the links' tables (every seed indicator's links
// share one trigger), the resolved indicators' outcomes (1: the trigger
// happened) and the open ones' trigger probabilities, by indicator slug.
func wantRule(t *testing.T, prior []float64, links map[string][]linkDTO, ids map[string]int64,
	resolved, open map[string]float64) (evidence, implied []float64) {
	t.Helper()
	table := func(slug string) []float64 {
		var ls []scoring.StrengthLink
		for _, l := range links[slug] {
			s, _ := scoring.ParseStrength(l.Strength)
			ls = append(ls, scoring.StrengthLink{Scenario: l.Option, Direction: l.Direction, Strength: s})
		}
		p, err := scoring.LikelihoodFromStrengths(len(prior), ls)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	var obs []scoring.Observation
	for slug, h := range resolved {
		obs = append(obs, scoring.Observation{Likelihood: table(slug), Happened: h})
	}
	var ops []scoring.OpenIndicator
	for slug, q := range open {
		ops = append(ops, scoring.OpenIndicator{Indicator: ids[slug], Likelihood: table(slug), P: q})
	}
	evidence, err := scoring.Posterior(prior, obs)
	if err != nil {
		t.Fatal(err)
	}
	if implied, err = scoring.ImpliedByForecasts(evidence, ops); err != nil {
		t.Fatal(err)
	}
	return evidence, implied
}

func TestSignpostBoardWithoutCrowdUsesReference(t *testing.T) {
	// One forecaster's crowd is used below: the minimum is lowered to 1.
	e := newTestEnv(t, func(c *Config) { c.CrowdMin = 1 })
	var b signpostsDTO
	e.must(200, "GET", "/api/v1/tournaments/ai-scenarios-2027/signposts", "", nil, &b)
	ref := []float64{0.25, 0.20, 0.15, 0.40}
	if b.Prior != "reference" || len(b.Scenarios) != 4 || b.Forecasters != 0 {
		t.Fatalf("board = %+v; want the reference prior over 4 scenarios", b)
	}
	links := 0
	// Nothing resolved and nothing forecast: evidence = implied = prior,
	// with no range to speak of.
	for k, sc := range b.Scenarios {
		if sc.Crowd != nil || sc.Reference == nil || *sc.Reference != ref[k] || !near(sc.Implied, ref[k]) ||
			!near(sc.Evidence, ref[k]) || sc.ImpliedRange != [2]float64{sc.Implied, sc.Implied} {
			t.Errorf("scenario %d = %+v; want no crowd, evidence = implied = reference %v", k, sc, ref[k])
		}
		for _, d := range append(sc.For, sc.Against...) {
			if d.Probability != nil || d.Change30d != nil || d.Shift != 0 || d.State != "open" || d.Expected != nil ||
				d.Likelihoods == nil || d.Likelihoods.Source != "strengths" {
				t.Errorf("indicator without forecasts = %+v; want no probability and no shift", d)
			}
			links++
		}
	}
	if links != 60 {
		t.Errorf("%d links on the board; want the seed's 60", links)
	}
	// The board is cached until something it reads changes: a forecast
	// made within the same minute shows at once.
	ids := e.questionIDs()
	tok := e.register2("hal")
	e.must(201, "POST", qpath(ids["c-hyperscaler-capex-growth"], "/forecasts"), tok, map[string]any{"probabilities": []float64{0.7, 0.3}}, nil)
	e.must(200, "GET", "/api/v1/tournaments/ai-scenarios-2027/signposts", "", nil, &b)
	if d := b.Scenarios[0].For; len(d) == 0 || !hasProbability(d, ids["c-hyperscaler-capex-growth"], 0.7) {
		t.Errorf("after a forecast, S1's indicators = %+v; want capex at 0.7", d)
	}
	if r := e.do("GET", "/api/v1/tournaments/nope/signposts", "", nil); r.status != 404 {
		t.Errorf("board of an unknown tournament = %d; want 404", r.status)
	}
}

func TestSignpostBoardAndPulse(t *testing.T) {
	// The board's arithmetic is checked on crowds of one or two forecasters:
	// the minimum is lowered to show them.
	e := newTestEnv(t, func(c *Config) { c.TokenTTL = 365 * 24 * time.Hour; c.CrowdMin = 1 })
	ids := e.questionIDs()
	links := e.seededLinks(ids)
	scen, capex, flop := ids["scenario-2027"], ids["c-hyperscaler-capex-growth"], ids["a-china-model-1e26-flop"]
	alice, _ := e.register("alice")
	bob, _ := e.register("bob")
	e.clock.set(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	post := func(tok string, q int64, p ...float64) {
		e.must(201, "POST", qpath(q, "/forecasts"), tok, map[string]any{"probabilities": p}, nil)
	}
	post(alice, scen, 0.4, 0.2, 0.1, 0.3)
	post(bob, scen, 0.2, 0.3, 0.2, 0.3)
	post(alice, capex, 0.9, 0.1)
	post(bob, flop, 0.3, 0.7)
	e.clock.set(time.Date(2026, 12, 29, 12, 0, 0, 0, time.UTC))
	post(alice, capex, 0.8, 0.2)
	e.clock.set(time.Date(2026, 12, 30, 12, 0, 0, 0, time.UTC))
	e.must(200, "POST", qpath(flop, "/resolve"), e.admin, map[string]any{"outcome": 0, "resolved_at": "2026-12-28T09:00:00Z"}, nil)

	var b signpostsDTO
	e.must(200, "GET", "/api/v1/tournaments/ai-scenarios-2027/signposts", "", nil, &b)
	crowd := []float64{0.3, 0.25, 0.15, 0.3} // per-option medians of alice and bob
	ref := []float64{0.25, 0.2, 0.15, 0.4}
	wantEv, want := wantRule(t, ref, links, ids, map[string]float64{"a-china-model-1e26-flop": 1},
		map[string]float64{"c-hyperscaler-capex-growth": 0.8})
	if b.Prior != "reference" || b.Forecasters != 2 || b.ScenarioQuestionID != scen {
		t.Fatalf("board = %+v; want the reference prior and 2 forecasters", b)
	}
	for k, sc := range b.Scenarios {
		if sc.Crowd == nil || !near(*sc.Crowd, crowd[k]) || !near(sc.Evidence, wantEv[k]) || math.Abs(sc.Implied-want[k]) > 1e-9 ||
			sc.ImpliedRange[0] > sc.ImpliedRange[1] {
			t.Errorf("scenario %d: crowd %v evidence %v implied %v range %v; want %v, %v, %v", k, sc.Crowd, sc.Evidence,
				sc.Implied, sc.ImpliedRange, crowd[k], wantEv[k], want[k])
		}
	}
	find := func(k int, id int64) signpostIndicatorDTO {
		for _, d := range append(b.Scenarios[k].For, b.Scenarios[k].Against...) {
			if d.QuestionID == id {
				return d
			}
		}
		t.Fatalf("indicator %d not under scenario %d", id, k)
		return signpostIndicatorDTO{}
	}
	// capex raises S1: 0.8 now, 0.9 thirty days ago.
	c := find(0, capex)
	if c.Direction != 1 || c.Probability == nil || !near(*c.Probability, 0.8) || c.Change30d == nil || !near(*c.Change30d, -0.1) ||
		c.Strength != "strong" || c.Shift <= 0 {
		t.Errorf("capex under S1 = %+v; want 0.8, change -0.1, a positive shift", c)
	}
	// The 1e26 model resolved Yes: probability 1, up from the crowd's 0.3.
	f := find(1, flop)
	if f.State != "resolved" || f.Probability == nil || *f.Probability != 1 || f.Change30d == nil || !near(*f.Change30d, 0.7) ||
		f.ResolvedAt == nil || f.Shift <= 0 {
		t.Errorf("1e26 under S2 = %+v; want resolved at 1, change 0.7", f)
	}
	if g := find(0, flop); g.Direction != -1 || g.Shift >= 0 {
		t.Errorf("1e26 under S1 = %+v; want against, pulling it down", g)
	}

	var h pulseDTO
	e.must(200, "GET", "/api/v1/tournaments/ai-scenarios-2027/signposts/history", "", nil, &h)
	if len(h.Points) != 36 || h.Points[0].Date != "2026-11-25" || h.Points[35].Date != "2026-12-30" {
		t.Fatalf("pulse has %d points from %v; want 2026-11-25 to 2026-12-30", len(h.Points), h.Points)
	}
	if len(h.Resolved) != 1 || h.Resolved[0].QuestionID != flop || h.Resolved[0].Date != "2026-12-28" || h.Resolved[0].Outcome != 0 {
		t.Errorf("resolved = %+v; want the 1e26 question on 2026-12-28", h.Resolved)
	}
	if len(h.Reference) != 4 || h.Reference[3] != 0.4 {
		t.Errorf("reference = %v", h.Reference)
	}
	for _, c := range []struct {
		i              int
		resolved, open map[string]float64
	}{
		{0, nil, map[string]float64{"c-hyperscaler-capex-growth": 0.9, "a-china-model-1e26-flop": 0.3}},               // first day
		{32, nil, map[string]float64{"c-hyperscaler-capex-growth": 0.9, "a-china-model-1e26-flop": 0.3}},              // 12-27
		{33, map[string]float64{"a-china-model-1e26-flop": 1}, map[string]float64{"c-hyperscaler-capex-growth": 0.9}}, // 12-28: resolved
		{35, map[string]float64{"a-china-model-1e26-flop": 1}, map[string]float64{"c-hyperscaler-capex-growth": 0.8}}, // today, as the board
	} {
		pt := h.Points[c.i]
		wantEv, want := wantRule(t, ref, links, ids, c.resolved, c.open)
		for k := range want {
			if !near(pt.Crowd[k], crowd[k]) || !near(pt.Evidence[k], wantEv[k]) || math.Abs(pt.Implied[k]-want[k]) > 1e-9 {
				t.Fatalf("point %s = %+v; want evidence %v, implied %v", pt.Date, pt, wantEv, want)
			}
		}
	}
	for k, sc := range b.Scenarios {
		if math.Abs(h.Points[35].Implied[k]-sc.Implied) > 1e-12 || h.Points[35].Evidence[k] != sc.Evidence {
			t.Errorf("today's pulse %v differs from the board's %v", h.Points[35].Implied, sc.Implied)
		}
	}

	// Once the scenario question resolves, its scores carry the reference
	// forecast as a row of its own.
	e.must(200, "POST", qpath(scen, "/resolve"), e.admin, map[string]any{"outcome": 3}, nil)
	var sc struct {
		Scores    []scoreDTO
		Reference *referenceScoreDTO
	}
	e.must(200, "GET", qpath(scen, "/scores"), "", nil, &sc)
	if len(sc.Scores) != 2 || sc.Reference == nil || !near(sc.Reference.Brier, scoring.Brier(scoring.MultipleChoice, []float64{0.25, 0.2, 0.15, 0.4}, 3)) {
		t.Fatalf("scores = %+v; want 2 forecasters and the reference beside them", sc)
	}
	for _, s := range sc.Scores {
		if s.User.Username != "alice" && s.User.Username != "bob" {
			t.Errorf("unexpected score row %+v", s)
		}
	}
}

func hasProbability(ds []signpostIndicatorDTO, id int64, p float64) bool {
	for _, d := range ds {
		if d.QuestionID == id && d.Probability != nil && near(*d.Probability, p) {
			return true
		}
	}
	return false
}
