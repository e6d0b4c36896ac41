package api

import (
	"strings"
	"testing"
	"time"
)

func TestTournaments(t *testing.T) {
	e := newTestEnv(t)
	tok, _ := e.register("fred")
	valid := map[string]any{"slug": "new-one", "title": map[string]string{"en": "New"}, "starts_at": "2027-01-01T08:00:00+08:00", "ends_at": "2027-06-01T00:00:00Z"}
	with := func(k string, v any) map[string]any { return withField(valid, k, v) }
	e.runScenarios(t, []scenario{
		{name: "list", method: "GET", path: "/api/v1/tournaments", status: 200, checkBody: func(t *testing.T, r response) {
			var l struct{ Tournaments []tournamentDTO }
			r.decode(t, &l)
			if len(l.Tournaments) != 1 || l.Tournaments[0].Slug != "ai-scenarios-2027" {
				t.Fatalf("tournaments = %+v", l.Tournaments)
			}
		}},
		{name: "unknown", method: "GET", path: "/api/v1/tournaments/nope", status: 404, code: "not_found"},
		{name: "no token", method: "POST", path: "/api/v1/tournaments", body: valid, status: 401, code: "unauthorized"},
		{name: "forecaster", method: "POST", path: "/api/v1/tournaments", token: tok, body: valid, status: 403, code: "forbidden"},
		{name: "bad slug", method: "POST", path: "/api/v1/tournaments", token: e.admin, body: with("slug", "Bad Slug"), status: 400, code: "validation_failed", field: "slug"},
		{name: "no slug", method: "POST", path: "/api/v1/tournaments", token: e.admin, body: with("slug", nil), status: 400, code: "validation_failed", field: "slug"},
		{name: "no title", method: "POST", path: "/api/v1/tournaments", token: e.admin, body: with("title", nil), status: 400, code: "validation_failed", field: "title"},
		{name: "bad time", method: "POST", path: "/api/v1/tournaments", token: e.admin, body: with("starts_at", "tomorrow"), status: 400, code: "validation_failed", field: "starts_at"},
		{name: "ends first", method: "POST", path: "/api/v1/tournaments", token: e.admin, body: with("ends_at", "2026-01-01T00:00:00Z"), status: 400, code: "validation_failed", field: "ends_at"},
		{name: "created", method: "POST", path: "/api/v1/tournaments", token: e.admin, body: valid, status: 201, checkBody: func(t *testing.T, r response) {
			var td tournamentDTO
			r.decode(t, &td)
			if td.Slug != "new-one" || td.StartsAt != "2027-01-01T00:00:00Z" || td.ID == 0 {
				t.Fatalf("created %+v (times must come back in UTC)", td)
			}
		}},
		{name: "slug taken", method: "POST", path: "/api/v1/tournaments", token: e.admin, body: valid, status: 409, code: "conflict"},
	})
}

func TestDefaultTournamentView(t *testing.T) {
	e := newTestEnv(t)
	var td tournamentDetailDTO
	e.must(200, "GET", "/api/v1/tournaments/ai-scenarios-2027", "", nil, &td)
	if len(td.Questions) != 18 || string(td.Areas) == "[]" {
		t.Fatalf("%d questions, areas %s", len(td.Questions), td.Areas)
	}
	s := td.Questions[0]
	if s.Slug != "scenario-2027" || len(s.Options) != 4 || s.Options[0].Description["zh"] == "" ||
		!strings.Contains(string(s.ReferenceForecast), "0.25") || s.State != "open" || s.Crowd != nil || s.MyForecast != nil {
		t.Fatalf("scenario question = %+v", s)
	}
	b := td.Questions[1]
	if b.Kind != "binary" || len(b.Options) != 2 || b.Options[0].Label["en"] != "Yes" || len(b.ResolutionSource) == 0 || b.Area != "A" {
		t.Fatalf("first indicator = %+v", b)
	}
	tok, _ := e.register("gina")
	var q questionDTO
	e.must(200, "GET", qpath(s.ID, ""), tok, nil, &q)
	if string(q.MyForecast) != "null" {
		t.Fatalf("signed in without forecasts: my_forecast = %s; want null", q.MyForecast)
	}
}

func TestCreateQuestion(t *testing.T) {
	e := newTestEnv(t)
	tok, _ := e.register("hank")
	path := "/api/v1/tournaments/ai-scenarios-2027/questions"
	base := map[string]any{"kind": "ordered", "title": map[string]string{"zh": "多少？"}, "criteria": map[string]string{"en": "Read it."},
		"options":  []any{map[string]any{"label": map[string]string{"en": "low"}}, map[string]any{"label": map[string]string{"en": "high"}}},
		"opens_at": "2026-12-01T00:00:00Z", "closes_at": "2027-01-01T00:00:00Z", "area": "B"}
	with := func(k string, v any) map[string]any { return withField(base, k, v) }
	many := make([]any, 21)
	for i := range many {
		many[i] = map[string]any{"label": map[string]string{"en": "x"}}
	}
	e.runScenarios(t, []scenario{
		{name: "forecaster", method: "POST", path: path, token: tok, body: base, status: 403, code: "forbidden"},
		{name: "unknown tournament", method: "POST", path: "/api/v1/tournaments/nope/questions", token: e.admin, body: base, status: 404, code: "not_found"},
		{name: "bad kind", method: "POST", path: path, token: e.admin, body: with("kind", "numeric"), status: 400, code: "validation_failed", field: "kind"},
		{name: "no options", method: "POST", path: path, token: e.admin, body: with("options", nil), status: 400, code: "validation_failed", field: "options"},
		{name: "one option", method: "POST", path: path, token: e.admin, body: with("options", many[:1]), status: 400, code: "validation_failed", field: "options"},
		{name: "21 options", method: "POST", path: path, token: e.admin, body: with("options", many), status: 400, code: "validation_failed", field: "options"},
		{name: "no title", method: "POST", path: path, token: e.admin, body: with("title", map[string]string{"en": "  "}), status: 400, code: "validation_failed", field: "title"},
		{name: "unknown language", method: "POST", path: path, token: e.admin, body: with("title", map[string]string{"fr": "Quoi"}), status: 400, code: "validation_failed", field: "title"},
		{name: "no criteria", method: "POST", path: path, token: e.admin, body: with("criteria", nil), status: 400, code: "validation_failed", field: "criteria"},
		{name: "closes before opens", method: "POST", path: path, token: e.admin, body: with("closes_at", "2026-11-01T00:00:00Z"), status: 400, code: "validation_failed", field: "closes_at"},
		{name: "opens equals closes", method: "POST", path: path, token: e.admin, body: with("closes_at", "2026-12-01T00:00:00Z"), status: 400, code: "validation_failed", field: "closes_at"},
		{name: "no opens_at", method: "POST", path: path, token: e.admin, body: with("opens_at", nil), status: 400, code: "validation_failed", field: "opens_at"},
		{name: "binary with other options", method: "POST", path: path, token: e.admin, body: with("kind", "binary"), status: 400, code: "validation_failed", field: "options"},
		{name: "ordered", method: "POST", path: path, token: e.admin, body: base, status: 201, checkBody: func(t *testing.T, r response) {
			var q questionDTO
			r.decode(t, &q)
			if q.Kind != "ordered" || q.Tournament != "ai-scenarios-2027" || q.State != "open" || q.Area != "B" || q.Slug == "" || q.Resolution != nil {
				t.Fatalf("created %+v", q)
			}
		}},
		{name: "binary gets Yes/No", method: "POST", path: path, token: e.admin, body: with("options", nil), status: 400, code: "validation_failed", field: "options"},
		{name: "binary", method: "POST", path: path, token: e.admin, body: map[string]any{"slug": "bin-1", "kind": "binary", "title": map[string]string{"en": "<script>alert(1)</script>"},
			"criteria": map[string]string{"en": "c"}, "opens_at": "2027-01-01T00:00:00Z", "closes_at": "2027-02-01T00:00:00Z"}, status: 201, checkBody: func(t *testing.T, r response) {
			var q questionDTO
			r.decode(t, &q)
			if len(q.Options) != 2 || q.Options[0].Label["en"] != "Yes" || q.Options[1].Label["en"] != "No" || q.State != "upcoming" {
				t.Fatalf("binary question %+v", q)
			}
		}},
		{name: "slug taken", method: "POST", path: path, token: e.admin, body: map[string]any{"slug": "bin-1", "kind": "binary", "title": map[string]string{"en": "t"},
			"criteria": map[string]string{"en": "c"}, "opens_at": "2027-01-01T00:00:00Z", "closes_at": "2027-02-01T00:00:00Z"}, status: 409, code: "conflict"},
		{name: "get unknown", method: "GET", path: "/api/v1/questions/99999", status: 404, code: "not_found"},
		{name: "get non-numeric", method: "GET", path: "/api/v1/questions/abc", status: 404, code: "not_found"},
		{name: "unknown endpoint", method: "GET", path: "/api/v1/nothing-here", status: 404, code: "not_found"},
	})
}

// TestStatesFollowTheClock: no restart, no job: the next request after
// opens_at or closes_at sees the new state.
func TestStatesFollowTheClock(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.TokenTTL = 7 * 24 * time.Hour })
	var q questionDTO
	e.must(201, "POST", "/api/v1/tournaments/ai-scenarios-2027/questions", e.admin, map[string]any{"kind": "binary",
		"title": map[string]string{"en": "t"}, "criteria": map[string]string{"en": "c"},
		"opens_at": "2026-12-02T00:00:00Z", "closes_at": "2026-12-03T00:00:00Z"}, &q)
	tok, _ := e.register("ivy")
	steps := []struct {
		at    time.Time
		state string
		post  int
	}{
		{testStart, "upcoming", 409},
		{time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), "open", 201},
		{time.Date(2026, 12, 2, 23, 59, 59, 0, time.UTC), "open", 201},
		{time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC), "closed", 409},
	}
	for _, st := range steps {
		e.clock.set(st.at)
		var got questionDTO
		e.must(200, "GET", qpath(q.ID, ""), "", nil, &got)
		if got.State != st.state {
			t.Fatalf("at %v state = %s; want %s", st.at, got.State, st.state)
		}
		if r := e.do("POST", qpath(q.ID, "/forecasts"), tok, map[string]any{"probability": 0.5}); r.status != st.post {
			t.Fatalf("at %v forecast = %d %s; want %d", st.at, r.status, r.raw, st.post)
		}
	}
}

func TestResolveAndAnnul(t *testing.T) {
	e := newTestEnv(t)
	tok, _ := e.register("jack")
	ids := e.questionIDs()
	scen, bin := ids["scenario-2027"], ids["a-huawei-ascend-960-launch"]
	e.runScenarios(t, []scenario{
		{name: "forecaster", method: "POST", path: qpath(bin, "/resolve"), token: tok, body: map[string]int{"outcome": 0}, status: 403, code: "forbidden"},
		{name: "unknown question", method: "POST", path: qpath(99999, "/resolve"), token: e.admin, body: map[string]int{"outcome": 0}, status: 404, code: "not_found"},
		{name: "no outcome", method: "POST", path: qpath(bin, "/resolve"), token: e.admin, body: map[string]int{}, status: 400, code: "validation_failed", field: "outcome"},
		{name: "outcome too big", method: "POST", path: qpath(bin, "/resolve"), token: e.admin, body: map[string]int{"outcome": 2}, status: 400, code: "validation_failed", field: "outcome"},
		{name: "negative outcome", method: "POST", path: qpath(scen, "/resolve"), token: e.admin, body: map[string]int{"outcome": -1}, status: 400, code: "validation_failed", field: "outcome"},
		{name: "future", method: "POST", path: qpath(bin, "/resolve"), token: e.admin, body: map[string]any{"outcome": 0, "resolved_at": "2026-12-02T00:00:00Z"}, status: 400, code: "validation_failed", field: "resolved_at"},
		{name: "before opening", method: "POST", path: qpath(bin, "/resolve"), token: e.admin, body: map[string]any{"outcome": 0, "resolved_at": "2026-11-19T00:00:00Z"}, status: 400, code: "validation_failed", field: "resolved_at"},
		{name: "resolved", method: "POST", path: qpath(bin, "/resolve"), token: e.admin, body: map[string]any{"outcome": 1, "resolved_at": "2026-11-30T08:00:00+08:00"}, status: 200,
			checkBody: func(t *testing.T, r response) {
				var q questionDTO
				r.decode(t, &q)
				if q.State != "resolved" || q.Resolution == nil || *q.Resolution.Outcome != 1 || q.Resolution.ResolvedAt != "2026-11-30T00:00:00Z" {
					t.Fatalf("resolved question %+v", q)
				}
			}},
		{name: "no forecasts once resolved", method: "POST", path: qpath(bin, "/forecasts"), token: tok, body: map[string]any{"probability": 0.5}, status: 409, code: "conflict"},
		// A correction without resolved_at keeps the answer's date.
		{name: "corrected", method: "POST", path: qpath(bin, "/resolve"), token: e.admin, body: map[string]any{"outcome": 0}, status: 200,
			checkBody: func(t *testing.T, r response) {
				var q questionDTO
				r.decode(t, &q)
				if *q.Resolution.Outcome != 0 || q.Resolution.ResolvedAt != "2026-11-30T00:00:00Z" {
					t.Fatalf("corrected question %+v", q.Resolution)
				}
			}},
		{name: "annul without reason", method: "POST", path: qpath(bin, "/annul"), token: e.admin, body: map[string]string{"reason": " "}, status: 400, code: "validation_failed", field: "reason"},
		{name: "annulled", method: "POST", path: qpath(bin, "/annul"), token: e.admin, body: map[string]string{"reason": "source vanished"}, status: 200,
			checkBody: func(t *testing.T, r response) {
				var q questionDTO
				r.decode(t, &q)
				if q.State != "annulled" || q.Resolution == nil || !q.Resolution.Annulled || q.Resolution.Reason != "source vanished" {
					t.Fatalf("annulled question %+v", q)
				}
			}},
		{name: "annul twice", method: "POST", path: qpath(bin, "/annul"), token: e.admin, body: map[string]string{"reason": "again"}, status: 409, code: "conflict"},
		{name: "resolve annulled", method: "POST", path: qpath(bin, "/resolve"), token: e.admin, body: map[string]int{"outcome": 0}, status: 409, code: "conflict"},
		{name: "audit trail", method: "GET", path: "/api/v1/tournaments/ai-scenarios-2027/audit", token: e.admin, status: 200,
			checkBody: func(t *testing.T, r response) {
				var a struct{ Entries []auditDTO }
				r.decode(t, &a)
				if len(a.Entries) < 3 || a.Entries[0].Action != "annul" || a.Entries[1].Action != "resolve" || a.Entries[2].Action != "resolve" ||
					a.Entries[0].Actor == nil || a.Entries[0].Actor.Username != "admin" || !strings.Contains(string(a.Entries[1].Old), `"outcome":1`) ||
					!strings.Contains(string(a.Entries[1].New), `"outcome":0`) {
					t.Fatalf("audit = %s", r.raw)
				}
			}},
		{name: "audit needs admin", method: "GET", path: "/api/v1/tournaments/ai-scenarios-2027/audit", token: tok, status: 403, code: "forbidden"},
	})
}

// withField copies a request body with one field set, or removed when v is nil.
func withField(body map[string]any, k string, v any) map[string]any {
	m := make(map[string]any, len(body))
	for kk, vv := range body {
		m[kk] = vv
	}
	if v == nil {
		delete(m, k)
	} else {
		m[k] = v
	}
	return m
}
