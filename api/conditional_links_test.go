package api

import (
	"math"
	"testing"
)

// The board uses the admin's strengths until SIGNPOST_CONDITIONAL_MIN (5)
// forecasters have answered both branches, then the crowd's ratios.
func TestBoardSwitchesToCrowdLinksAtTheThreshold(t *testing.T) {
	e, scen, ind, _ := signsEnv(t)
	e.must(201, "POST", qpath(ind, "/links"), e.admin, map[string]any{"scenario_question_id": scen, "option": 0,
		"trigger": "yes", "direction": 1, "strength": "strong"}, nil)
	var pair pairDTO
	e.must(201, "POST", qpath(ind, "/conditionals"), e.admin, map[string]any{"scenario_question_id": scen}, &pair)
	forecast := func(token string, id int64, p ...float64) {
		e.must(201, "POST", qpath(id, "/forecasts"), token, map[string]any{"probabilities": p}, nil)
	}
	board := func() signpostsDTO {
		var b signpostsDTO
		e.must(200, "GET", "/api/v1/tournaments/signs/signposts", "", nil, &b)
		return b
	}
	tokens := []string{}
	for _, name := range []string{"ann", "bob", "cat", "dan", "eve"} {
		tokens = append(tokens, e.register2(name))
	}
	for _, tok := range tokens[:4] {
		forecast(tok, pair.IfYes.ID, 0.8, 0.2)
		forecast(tok, pair.IfNo.ID, 0.4, 0.6)
		forecast(tok, ind, 0.75, 0.25)
	}
	forecast(tokens[4], pair.IfYes.ID, 0.8, 0.2) // one branch only: not counted

	// The admin's strong link gives the table 5/6 (odds 5 : 1) and ½ (no
	// link): the trigger is (5/6)/(1/2) = 5/3 times as likely under S1.
	b := board()
	if f := b.Scenarios[0].For; len(f) != 1 || f[0].Source != "admin" || math.Abs(f[0].LikelihoodRatio-5.0/3) > 1e-9 ||
		f[0].Strength != "strong" || f[0].TotalProbability != nil || len(b.Scenarios[1].Against) != 0 ||
		f[0].Likelihoods == nil || f[0].Likelihoods.Source != "strengths" {
		t.Fatalf("with 4 forecasters on both branches: %+v / %+v; want the admin's strong link only", b.Scenarios[0].For, b.Scenarios[1].Against)
	}

	forecast(tokens[4], pair.IfNo.ID, 0.4, 0.6) // the fifth
	b = board()
	up, down := b.Scenarios[0].For, b.Scenarios[1].Against
	if len(up) != 1 || len(down) != 1 || up[0].Source != "crowd" || down[0].Source != "crowd" {
		t.Fatalf("with 5 forecasters: for S1 %+v, against S2 %+v; want one crowd link each", up, down)
	}
	// The crowd's table by Bayes with q = 0.75: P(Yes | S1) =
	// 0.75·0.8 / (0.75·0.8 + 0.25·0.4) = 6/7, P(Yes | S2) = 0.15/0.30 = ½;
	// the ratios are 12/7 and 7/12. The weight stays the branches' ratio
	// 0.6/0.2 = 3 as the nearest strength reads it.
	if math.Abs(up[0].LikelihoodRatio-12.0/7) > 1e-9 || math.Abs(down[0].LikelihoodRatio-7.0/12) > 1e-9 ||
		math.Abs(down[0].Weight-3) > 1e-9 || up[0].LinkID != 0 || up[0].Trigger != "yes" ||
		up[0].Likelihoods == nil || up[0].Likelihoods.Source != "crowd" {
		t.Fatalf("crowd links %+v, %+v; want ratios 12/7 and 7/12 from the crowd's table", up[0], down[0])
	}
	// Total probability through the indicator's crowd (75 %): 0.75·0.8 + 0.25·0.4.
	if up[0].TotalProbability == nil || math.Abs(*up[0].TotalProbability-0.7) > 1e-9 {
		t.Fatalf("total probability %v; want 0.7", up[0].TotalProbability)
	}
	// The crowd's 0.75 on the trigger is what p·6/7 + (1 − p)·½ predicts
	// at p = 0.7: the implied S1 is the total probability.
	want := 0.7
	if math.Abs(b.Scenarios[0].Implied-want) > 1e-6 {
		t.Fatalf("implied S1 = %v; want %v", b.Scenarios[0].Implied, want)
	}
}

// The caller's coherence view checks each pair they answered in full
// against the law of total probability.
func TestCoherenceTotalProbabilityCheck(t *testing.T) {
	e, scen, ind, _ := signsEnv(t)
	var pair pairDTO
	e.must(201, "POST", qpath(ind, "/conditionals"), e.admin, map[string]any{"scenario_question_id": scen}, &pair)
	gil, hal := e.register2("gil"), e.register2("hal")
	for id, p := range map[int64][]float64{ind: {0.6, 0.4}, pair.IfYes.ID: {0.8, 0.2}, pair.IfNo.ID: {0.3, 0.7}, scen: {0.5, 0.5}} {
		e.must(201, "POST", qpath(id, "/forecasts"), gil, map[string]any{"probabilities": p}, nil)
	}
	e.must(201, "POST", qpath(scen, "/forecasts"), hal, map[string]any{"probabilities": []float64{0.5, 0.5}}, nil)
	check := func(token string) []conditionalCheckDTO {
		var c coherenceDTO
		e.must(200, "GET", "/api/v1/me/coherence?tournament=signs", token, nil, &c)
		return c.Conditionals
	}
	// 0.6·0.8 + 0.4·0.3 = 0.6 against a direct 0.5: 0.1 apart.
	got := check(gil)
	if len(got) != 1 || got[0].IfYes != pair.IfYes.ID || math.Abs(got[0].TotalProbability[0]-0.6) > 1e-9 || math.Abs(got[0].Distance-0.1) > 1e-9 {
		t.Fatalf("gil's checks %+v; want total 0.6/0.4 at distance 0.1", got)
	}
	if got := check(hal); len(got) != 0 {
		t.Fatalf("hal answered no branch but has checks %+v", got)
	}
	// Once the indicator resolves Yes, the total is the "if Yes" branch.
	e.must(200, "POST", qpath(ind, "/resolve"), e.admin, map[string]any{"outcome": 0}, nil)
	if got := check(gil); len(got) != 1 || math.Abs(got[0].TotalProbability[0]-0.8) > 1e-9 || math.Abs(got[0].Distance-0.3) > 1e-9 {
		t.Fatalf("after the indicator's Yes: %+v; want total 0.8/0.2 at distance 0.3", got)
	}
}

// An ordered indicator's pair counts "at or above bucket k" as its Yes:
// the crowd link's trigger probability is the crowd's mass from bucket k up.
func TestBoardCrowdLinksOfAnOrderedIndicator(t *testing.T) {
	e, scen, _, ord := signsEnv(t)
	var pair pairDTO
	e.must(201, "POST", qpath(ord, "/conditionals"), e.admin, map[string]any{"scenario_question_id": scen, "threshold": 2}, &pair)
	for _, name := range []string{"ann", "bob", "cat", "dan", "eve"} {
		tok := e.register2(name)
		for id, p := range map[int64][]float64{pair.IfYes.ID: {0.6, 0.4}, pair.IfNo.ID: {0.2, 0.8}, ord: {0.5, 0.2, 0.3}} {
			e.must(201, "POST", qpath(id, "/forecasts"), tok, map[string]any{"probabilities": p}, nil)
		}
	}
	var b signpostsDTO
	e.must(200, "GET", "/api/v1/tournaments/signs/signposts", "", nil, &b)
	up := b.Scenarios[0].For
	// The crowd's table with q = 0.3: P(≥2 | S1) = 0.18/(0.18 + 0.14) =
	// 0.5625, P(≥2 | S2) = 0.12/(0.12 + 0.56) = 0.17647, ratio 3.1875.
	if len(up) != 1 || up[0].Source != "crowd" || up[0].Trigger != ">=2" || math.Abs(up[0].LikelihoodRatio-3.1875) > 1e-9 ||
		up[0].Probability == nil || math.Abs(*up[0].Probability-0.3) > 1e-9 {
		t.Fatalf("crowd link %+v; want ratio 3.1875 on the trigger \">=2\" at 30 %%", up)
	}
	// 0.3·0.6 + 0.7·0.2 = 0.32
	if up[0].TotalProbability == nil || math.Abs(*up[0].TotalProbability-0.32) > 1e-9 {
		t.Fatalf("total probability %v; want 0.32", up[0].TotalProbability)
	}
}
