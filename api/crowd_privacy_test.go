package api

import (
	"testing"
	"time"
)

// crowdPrivacyTournament makes the tournament "cup" with questions that
// open before testStart and close days after it, returning a function
// that adds one by slug.
func crowdPrivacyTournament(e *testEnv) func(slug string, closesIn time.Duration) int64 {
	e.must(201, "POST", "/api/v1/tournaments", e.admin, map[string]any{"slug": "cup", "title": map[string]string{"en": "Cup"},
		"starts_at": "2026-11-01T00:00:00Z", "ends_at": "2027-12-01T00:00:00Z"}, nil)
	return func(slug string, closesIn time.Duration) int64 {
		var q questionDTO
		e.must(201, "POST", "/api/v1/tournaments/cup/questions", e.admin, map[string]any{"slug": slug, "kind": "binary",
			"title": map[string]string{"en": slug + "?"}, "criteria": map[string]string{"en": "c"},
			"opens_at": testStart.Add(-time.Hour).Format(time.RFC3339), "closes_at": testStart.Add(closesIn).Format(time.RFC3339)}, &q)
		return q.ID
	}
}

// TestWebhookCrowdFollowsCrowdMinimum: the crowd a question.closing or
// question.annulled payload carries is the crowd as users see it: null
// below the crowd minimum (one forecaster's crowd is their forecast),
// given from the minimum on.
func TestWebhookCrowdFollowsCrowdMinimum(t *testing.T) {
	e := webhookEnv(t) // the default minimum: 3
	question := crowdPrivacyTournament(e)
	alone := question("alone", 4*24*time.Hour)
	annulled := question("annulled", 30*24*time.Hour)
	crowded := question("crowded", 30*24*time.Hour)
	rc := newReceiver(t)
	e.addWebhook("cup", rc.URL+"/all", "json", "", "question.closing", "question.annulled")
	victim, _ := e.register("victim")
	e.must(201, "POST", qpath(alone, "/forecasts"), victim, map[string]any{"probability": 0.83}, nil)
	e.must(201, "POST", qpath(annulled, "/forecasts"), victim, map[string]any{"probability": 0.83}, nil)
	for _, name := range []string{"ann", "bob", "cat"} {
		tok, _ := e.register(name)
		e.must(201, "POST", qpath(crowded, "/forecasts"), tok, map[string]any{"probability": 0.6}, nil)
	}
	e.tick()
	e.clock.set(testStart.Add(time.Minute)) // the payload's crowd is of forecasts before the event
	e.must(200, "POST", qpath(annulled, "/annul"), e.admin, map[string]any{"reason": "Ambiguous."}, nil)
	e.must(200, "POST", qpath(crowded, "/annul"), e.admin, map[string]any{"reason": "Ambiguous."}, nil)
	e.clock.set(testStart.Add(3*24*time.Hour + time.Minute))
	e.tick()
	crowds := map[float64]any{}
	for _, ev := range eventsOf(t, rc) {
		q := ev["question"].(map[string]any)
		crowds[q["id"].(float64)] = q["crowd"]
	}
	if len(crowds) != 3 {
		t.Fatalf("events on %d questions; want the closing and the two annulled", len(crowds))
	}
	for _, id := range []int64{alone, annulled} {
		if c := crowds[float64(id)]; c != nil {
			t.Errorf("question %d's payload crowd = %v with one forecaster; want null (below the crowd minimum)", id, c)
		}
	}
	if crowds[float64(crowded)] == nil {
		t.Errorf("question with three forecasters: payload crowd null; want it shown")
	}
}

// TestCrowdNeedsEstablishedForecasters: two throwaway accounts forecasting
// 0 and 1 around a victim's forecast reach the crowd minimum in number
// but leave the median at the victim's. Only accounts a day old with a
// forecast on another question count toward the minimum: the crowd stays
// hidden (question, series, webhook) until the throwaways are established,
// and the number of forecasters is still given.
func TestCrowdNeedsEstablishedForecasters(t *testing.T) {
	e := webhookEnv(t, func(c *Config) { c.CrowdEstablished, c.TokenTTL = 24*time.Hour, 365*24*time.Hour })
	question := crowdPrivacyTournament(e)
	target := question("target", 30*24*time.Hour)
	other := question("other", 30*24*time.Hour)
	victim, _ := e.register("victim")
	e.must(201, "POST", qpath(other, "/forecasts"), victim, map[string]any{"probability": 0.5}, nil)
	e.clock.set(testStart.Add(25 * time.Hour))
	// The victim's account is a day old and has forecast elsewhere.
	e.must(201, "POST", qpath(target, "/forecasts"), victim, map[string]any{"probability": 0.83}, nil)
	for i, name := range []string{"throw1", "throw2"} {
		tok, _ := e.register(name)
		e.must(201, "POST", qpath(other, "/forecasts"), tok, map[string]any{"probability": 0.5}, nil)
		e.must(201, "POST", qpath(target, "/forecasts"), tok, map[string]any{"probability": float64(i)}, nil)
	}
	rc := newReceiver(t)
	e.addWebhook("cup", rc.URL+"/all", "json", "", "question.annulled")
	e.clock.set(testStart.Add(25*time.Hour + time.Minute))
	shown := func() (any, float64) {
		var q map[string]any
		e.must(200, "GET", qpath(target, ""), "", nil, &q)
		return q["crowd"], q["forecasters"].(float64)
	}
	if crowd, n := shown(); crowd != nil || n != 3 {
		t.Fatalf("with two fresh accounts around the victim: crowd %v of %v forecasters; want null of 3", crowd, n)
	}
	var series map[string]any
	e.must(200, "GET", qpath(target, "/crowd"), "", nil, &series)
	if pts, _ := series["series"].([]any); len(pts) != 0 {
		t.Fatalf("crowd series %v; want no day shown", series)
	}
	// The webhook's crowd, counted in the annulment's transaction, by the
	// same rule: hidden while two of three accounts are new.
	e.must(200, "POST", qpath(other, "/annul"), e.admin, map[string]any{"reason": "Ambiguous."}, nil)
	e.tick()
	// A day later the throwaways are established like anyone else.
	e.clock.set(testStart.Add(50 * time.Hour))
	if crowd, n := shown(); crowd == nil || n != 3 {
		t.Fatalf("a day later: crowd %v of %v forecasters; want shown", crowd, n)
	}
	e.must(200, "POST", qpath(target, "/annul"), e.admin, map[string]any{"reason": "Ambiguous."}, nil)
	e.tick()
	evs := eventsOf(t, rc)
	if len(evs) != 2 || evs[0]["question"].(map[string]any)["crowd"] != nil || evs[1]["question"].(map[string]any)["crowd"] == nil {
		t.Fatalf("annulled events %v; want the first without its crowd, the second with it", evs)
	}
}
