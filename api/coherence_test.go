package api

import (
	"math"
	"testing"
)

func TestCoherence(t *testing.T) {
	e, scen, ind, _ := signsEnv(t)
	// A Yes on the indicator strongly raises scenario A and lowers B.
	for _, l := range []map[string]any{
		{"scenario_question_id": scen, "option": 0, "trigger": "yes", "direction": 1, "strength": "strong"},
		{"scenario_question_id": scen, "option": 1, "trigger": "yes", "direction": -1, "strength": "strong"},
	} {
		e.must(201, "POST", qpath(ind, "/links"), e.admin, l, nil)
	}
	post := func(tok string, q int64, p ...float64) {
		e.must(201, "POST", qpath(q, "/forecasts"), tok, map[string]any{"probabilities": p}, nil)
	}
	get := func(tok string) coherenceDTO {
		var c coherenceDTO
		e.must(200, "GET", "/api/v1/me/coherence?tournament=signs", tok, nil, &c)
		return c
	}
	dave, erin, frank := e.register2("dave"), e.register2("erin"), e.register2("frank")
	if c := get(dave); c.Forecast != nil || c.Distance != nil || c.Incoherent || c.Threshold != 0.2 || len(c.Implied) != 2 {
		t.Fatalf("coherence before any forecast = %+v", c)
	}
	// The crowd's scenario forecast stays 50/50 throughout (per-option
	// medians of 50/50, 50/50 and 95/5).
	post(dave, scen, 0.5, 0.5)
	post(dave, ind, 0.5, 0.5) // a coin flip: no evidence
	post(erin, scen, 0.5, 0.5)
	post(erin, ind, 0.95, 0.05) // sure of a sign for A, yet 50/50 on A
	post(frank, scen, 0.95, 0.05)
	post(frank, ind, 0.95, 0.05) // sure of it, and of A

	// Erin: log-odds of A move by 2 · 0.9 · ln 5, so A's implied is
	// 5^1.8 / (1 + 5^1.8) = 0.94768.
	wantA := math.Pow(5, 1.8) / (1 + math.Pow(5, 1.8))
	c := get(erin)
	if c.Prior != "crowd" || !near(c.Implied[0], wantA) || c.Distance == nil || !near(*c.Distance, wantA-0.5) ||
		!c.Incoherent || c.OwnIndicators != 1 {
		t.Fatalf("erin = %+v; want implied A %v, distance %v, incoherent", c, wantA, wantA-0.5)
	}
	if len(c.Drivers) != 1 || c.Drivers[0].QuestionID != ind || !near(c.Drivers[0].Effect, wantA-0.5) ||
		c.Drivers[0].Option != 0 || c.Drivers[0].Shift <= 0 || !c.Drivers[0].Own || c.Drivers[0].Title["en"] != "ind" {
		t.Errorf("erin's drivers = %+v; want the indicator, raising A", c.Drivers)
	}
	if c := get(dave); c.Incoherent || c.Distance == nil || *c.Distance > 1e-12 || len(c.Drivers) != 0 {
		t.Errorf("dave = %+v; want coherent at distance 0", c)
	}
	if c := get(frank); c.Incoherent || c.Distance == nil || !near(*c.Distance, 0.95-wantA) {
		t.Errorf("frank = %+v; want coherent at distance %v", c, 0.95-wantA)
	}
	// The pulse of a tournament without a reference forecast: the crowd of
	// the indicator (medians 0.95 of Yes) implies what Frank holds.
	var h pulseDTO
	e.must(200, "GET", "/api/v1/tournaments/signs/signposts/history", "", nil, &h)
	if h.Reference != nil || len(h.Points) != 1 || !near(h.Points[0].Implied[0], wantA) || h.Points[0].Crowd[0] != 0.5 {
		t.Errorf("pulse = %+v; want one day implying %v", h, wantA)
	}
	if r := e.do("GET", "/api/v1/me/coherence?tournament=signs", "", nil); r.status != 401 {
		t.Errorf("coherence without a token = %d; want 401", r.status)
	}
}

func TestCoherenceThresholdIsConfigurable(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.CoherenceThreshold = 0.5 })
	tok := e.register2("gil")
	var c coherenceDTO
	e.must(200, "GET", "/api/v1/me/coherence", tok, nil, &c)
	if c.Threshold != 0.5 || c.Prior != "reference" {
		t.Errorf("coherence = %+v; want threshold 0.5 on the default tournament", c)
	}
}
