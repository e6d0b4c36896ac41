package api

import (
	"encoding/json"
	"testing"
	"time"
)

// eventsOf decodes the generic bodies a receiver got, in order.
func eventsOf(t *testing.T, rc *receiver) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, g := range rc.requests() {
		var m map[string]any
		if err := json.Unmarshal(g.body, &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func eventNames(evs []map[string]any) []string {
	var out []string
	for _, m := range evs {
		out = append(out, m["event"].(string))
	}
	return out
}

func TestWebhookClockEvents(t *testing.T) {
	// One forecaster moves the crowd here: the crowd minimum is lowered.
	e := webhookEnv(t, func(c *Config) { c.CrowdMin = 1 })
	rc := newReceiver(t)
	e.must(201, "POST", "/api/v1/tournaments", e.admin, map[string]any{"slug": "cup", "title": map[string]string{"en": "Cup"},
		"starts_at": "2026-11-01T00:00:00Z", "ends_at": "2027-12-01T00:00:00Z"}, nil)
	question := func(slug string, opens, closes time.Time) int64 {
		var q questionDTO
		e.must(201, "POST", "/api/v1/tournaments/cup/questions", e.admin, map[string]any{"slug": slug, "kind": "binary",
			"title": map[string]string{"en": slug + "?"}, "criteria": map[string]string{"en": "c"},
			"opens_at": opens.Format(time.RFC3339), "closes_at": closes.Format(time.RFC3339)}, &q)
		return q.ID
	}
	old := question("old", testStart.Add(-time.Hour), testStart.Add(30*24*time.Hour))
	later := question("later", testStart.Add(time.Hour), testStart.Add(4*24*time.Hour))
	e.addWebhook("cup", rc.URL+"/all", "json", "", "question.opened", "question.closing", "crowd.moved")
	at := func(d time.Duration) {
		e.clock.set(testStart.Add(d))
		e.tick()
	}
	at(0)
	if n := len(rc.requests()); n != 0 {
		t.Fatalf("got %d events at the start; want none (the open question opened before the webhook)", n)
	}
	at(time.Hour)
	at(time.Hour + time.Minute)
	evs := eventsOf(t, rc)
	if names := eventNames(evs); len(names) != 1 || names[0] != "question.opened" ||
		evs[0]["question"].(map[string]any)["id"].(float64) != float64(later) || evs[0]["occurred_at"] != "2026-12-01T13:00:00Z" {
		t.Fatalf("events %v; want question.opened of %d once", evs, later)
	}

	// crowd.moved: first seen, then a move of 30 points, then a move
	// within the day (held back), then the next day.
	bot, _ := e.register("bot")
	forecast := func(p float64) {
		e.must(201, "POST", qpath(old, "/forecasts"), bot, map[string]any{"probability": p}, nil)
	}
	forecast(0.5)
	at(2 * time.Hour)
	forecast(0.55)
	at(3 * time.Hour)
	if names := eventNames(eventsOf(t, rc)); len(names) != 1 {
		t.Fatalf("events %v; want no crowd.moved for the first sight or a 5-point move", names)
	}
	forecast(0.8)
	at(4 * time.Hour)
	forecast(0.2)
	at(5 * time.Hour)
	evs = eventsOf(t, rc)
	if names := eventNames(evs); len(names) != 2 || names[1] != "crowd.moved" {
		t.Fatalf("events %v; want one crowd.moved after the 30-point move, none within the day", names)
	}
	if crowd := evs[1]["question"].(map[string]any)["crowd"].(map[string]any)["probabilities"].([]any); crowd[0] != 0.8 {
		t.Fatalf("crowd.moved crowd = %v; want 0.8", crowd)
	}

	at(3*24*time.Hour - time.Minute)
	at(3 * 24 * time.Hour)
	names := eventNames(eventsOf(t, rc))
	want := []string{"question.opened", "crowd.moved", "crowd.moved", "question.closing"}
	if len(names) != len(want) {
		t.Fatalf("events %v; want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("events %v; want %v", names, want)
		}
	}
}

func TestWebhookTopChanged(t *testing.T) {
	e, qid, _, _ := electionEnv(t)
	e.allowLoopbackHooks()
	rc := newReceiver(t)
	e.addWebhook("us-2016", rc.URL+"/top", "json", "", "leaderboard.top_changed")
	e.tick()
	if n := len(rc.requests()); n != 0 {
		t.Fatalf("%d events on first sight of the (empty) top; want none", n)
	}
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, nil)
	e.tick()
	e.tick()
	evs := eventsOf(t, rc)
	if len(evs) != 1 || evs[0]["event"] != "leaderboard.top_changed" {
		t.Fatalf("events %v; want one leaderboard.top_changed", evs)
	}
	top := evs[0]["leaderboard"].(map[string]any)["top"].([]any)
	first := top[0].(map[string]any)
	if len(top) != 2 || first["rank"].(float64) != 1 || first["user"].(map[string]any)["username"] != "kramer" {
		t.Fatalf("top = %v; want kramer first of two", top)
	}
}
