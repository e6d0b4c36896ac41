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

	// The links give the table P(Yes | A) = 5/6, P(Yes | B) = 1/6 (odds 5
	// to 1 each way), so a forecast q of the indicator implies A at
	// (q − 1/6)/(2/3), within [0, 1]. Erin's 0.95 implies A for sure,
	// though her own scenario forecast expects the indicator at 0.5.
	close := func(a, b float64) bool { return math.Abs(a-b) < 1e-6 }
	c := get(erin)
	if c.Prior != "uniform" || !close(c.Implied[0], 1) || c.Distance == nil || !close(*c.Distance, 0.5) ||
		!c.Incoherent || c.OwnIndicators != 1 {
		t.Fatalf("erin = %+v; want implied A 1, distance 0.5, incoherent", c)
	}
	if len(c.Drivers) != 1 || c.Drivers[0].QuestionID != ind || !close(c.Drivers[0].Effect, 0.45) ||
		c.Drivers[0].Option != 0 || c.Drivers[0].Shift <= 0 || !c.Drivers[0].Own || c.Drivers[0].Title["en"] != "ind" ||
		!near(c.Drivers[0].Expected, 0.5) || c.Drivers[0].Forecast != 0.95 {
		t.Errorf("erin's drivers = %+v; want the indicator, raising A, expected 0.5 and forecast 0.95", c.Drivers)
	}
	// Dave's coin flip is what his 50/50 expects: coherent, his one
	// driver without a gap.
	if c := get(dave); c.Incoherent || c.Distance == nil || *c.Distance > 1e-6 || len(c.Drivers) != 1 ||
		!near(c.Drivers[0].Expected, c.Drivers[0].Forecast) {
		t.Errorf("dave = %+v; want coherent at distance 0", c)
	}
	// Frank's 95/5 expects the indicator at 0.8; his 0.95 implies A at 1.
	if c := get(frank); c.Incoherent || c.Distance == nil || !close(*c.Distance, 0.05) || !near(c.Drivers[0].Expected, 0.8) {
		t.Errorf("frank = %+v; want coherent at distance 0.05", c)
	}
	// The pulse of a tournament without a reference forecast: the crowd of
	// the indicator (medians 0.95 of Yes) implies A for sure, as Frank's
	// forecast does; nothing resolved, so the evidence is the uniform prior.
	var h pulseDTO
	e.must(200, "GET", "/api/v1/tournaments/signs/signposts/history", "", nil, &h)
	if h.Reference != nil || len(h.Points) != 1 || !close(h.Points[0].Implied[0], 1) || h.Points[0].Crowd[0] != 0.5 ||
		h.Points[0].Evidence[0] != 0.5 {
		t.Errorf("pulse = %+v; want one day implying A at 1 from evidence 50/50", h)
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
