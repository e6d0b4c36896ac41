package api

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestExportImportRoundTrip(t *testing.T) {
	e, qid, george, kramer := electionEnv(t)
	var team teamDTO
	e.must(201, "POST", "/api/v1/tournaments/us-2016/teams", george, map[string]string{"name": "Seinfeld"}, &team)
	e.must(200, "POST", "/api/v1/tournaments/us-2016/teams/join", kramer, map[string]string{"invite_code": team.InviteCode}, nil)
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, nil)
	archive := e.must(200, "GET", "/api/v1/tournaments/us-2016/export", e.admin, nil, nil).raw
	var a map[string]json.RawMessage
	if err := json.Unmarshal(archive, &a); err != nil || string(a["format"]) != `"signpost-archive/2"` {
		t.Fatalf("export is not an archive: %v %.300s", err, archive)
	}
	if strings.Contains(string(archive), "password") {
		t.Fatal("the export contains password material")
	}
	boards := func(env *testEnv) (string, string) {
		return string(env.must(200, "GET", "/api/v1/tournaments/us-2016/leaderboard", "", nil, nil).raw),
			string(env.must(200, "GET", "/api/v1/tournaments/us-2016/leaderboard?by=team", "", nil, nil).raw)
	}
	wantInd, wantTeam := boards(e)

	fresh := newTestEnv(t)
	var counts struct{ Users, Questions, Forecasts int }
	fresh.must(200, "POST", "/api/v1/admin/import", fresh.admin, archive, &counts)
	if counts.Users != 2 || counts.Questions != 1 || counts.Forecasts != 5 {
		t.Fatalf("import created %+v; want 2 users, 1 question, 5 forecasts", counts)
	}
	gotInd, gotTeam := boards(fresh)
	// User IDs differ between servers; compare everything else.
	strip := func(s string) string {
		var doc struct{ Entries []map[string]any }
		json.Unmarshal([]byte(s), &doc)
		for _, en := range doc.Entries {
			if u, ok := en["user"].(map[string]any); ok {
				delete(u, "id")
			}
			if tm, ok := en["team"].(map[string]any); ok {
				delete(tm, "id")
			}
		}
		b, _ := json.Marshal(doc)
		return string(b)
	}
	if strip(gotInd) != strip(wantInd) || strip(gotTeam) != strip(wantTeam) {
		t.Fatalf("leaderboards differ after round trip:\n%s\n%s\nvs\n%s\n%s", gotInd, gotTeam, wantInd, wantTeam)
	}
	// Importing the same archive again adds nothing.
	fresh.must(200, "POST", "/api/v1/admin/import", fresh.admin, archive, &counts)
	if counts.Users != 0 || counts.Questions != 0 || counts.Forecasts != 0 {
		t.Fatalf("second import created %+v; want nothing", counts)
	}
}

func TestImportRejectsWholeDocument(t *testing.T) {
	e := newTestEnv(t)
	good := func() map[string]any {
		return map[string]any{
			"format":     "signpost-archive/1",
			"tournament": map[string]any{"slug": "imp", "title": map[string]string{"en": "Imported"}, "starts_at": "2026-01-01T00:00:00Z", "ends_at": "2026-12-31T00:00:00Z"},
			"questions": []any{map[string]any{"slug": "q1", "kind": "binary", "title": map[string]string{"en": "Q1"}, "criteria": map[string]string{"en": "c"},
				"opens_at": "2026-01-01T00:00:00Z", "closes_at": "2026-06-01T00:00:00Z",
				"resolution": map[string]any{"outcome": 0, "resolved_at": "2026-06-02T00:00:00Z"}}},
			"users": []any{map[string]any{"username": "ann", "display_name": "Ann", "password": "password-ann"}},
			"teams": []any{map[string]any{"name": "A-team", "members": []string{"ann"}}},
			"forecasts": []any{
				map[string]any{"username": "ann", "question_slug": "q1", "probabilities": []float64{0.6, 0.4}, "created_at": "2026-02-01T00:00:00Z"},
				map[string]any{"username": "ann", "question_slug": "q1", "probabilities": []float64{0.7, 0.3}, "created_at": "2026-03-01T00:00:00Z"},
			},
		}
	}
	set := func(path []any, v any) map[string]any {
		doc := good()
		var cur any = doc
		for i, p := range path {
			last := i == len(path)-1
			switch k := p.(type) {
			case string:
				if last {
					cur.(map[string]any)[k] = v
				} else {
					cur = cur.(map[string]any)[k]
				}
			case int:
				if last {
					cur.([]any)[k] = v
				} else {
					cur = cur.([]any)[k]
				}
			}
		}
		return doc
	}
	path := "/api/v1/admin/import"
	e.runScenarios(t, []scenario{
		{name: "forecaster", method: "POST", path: path, token: e.register2("zed"), body: good(), status: 403, code: "forbidden"},
		{name: "not JSON", method: "POST", path: path, token: e.admin, body: "{", status: 400, code: "bad_request"},
		{name: "unknown format", method: "POST", path: path, token: e.admin, body: set([]any{"format"}, "other/2"), status: 400, code: "validation_failed", field: "format"},
		{name: "forecast before opening", method: "POST", path: path, token: e.admin, body: set([]any{"forecasts", 1, "created_at"}, "2025-12-31T23:59:59Z"), status: 400, code: "validation_failed", field: "forecasts[1].created_at"},
		{name: "forecast at closing", method: "POST", path: path, token: e.admin, body: set([]any{"forecasts", 0, "created_at"}, "2026-06-01T00:00:00Z"), status: 400, code: "validation_failed", field: "forecasts[0].created_at"},
		{name: "bad probabilities", method: "POST", path: path, token: e.admin, body: set([]any{"forecasts", 1, "probabilities"}, []float64{0.7, 0.7}), status: 400, code: "validation_failed", field: "forecasts[1].probabilities"},
		{name: "unknown question", method: "POST", path: path, token: e.admin, body: set([]any{"forecasts", 0, "question_slug"}, "q9"), status: 400, code: "validation_failed", field: "forecasts[0].question_slug"},
		{name: "unknown user", method: "POST", path: path, token: e.admin, body: set([]any{"forecasts", 1, "username"}, "bob"), status: 400, code: "validation_failed", field: "forecasts[1].username"},
		{name: "unknown team member", method: "POST", path: path, token: e.admin, body: set([]any{"teams", 0, "members"}, []string{"bob"}), status: 400, code: "validation_failed", field: "teams[0].members[0]"},
		{name: "future resolution", method: "POST", path: path, token: e.admin, body: set([]any{"questions", 0, "resolution", "resolved_at"}, "2027-01-01T00:00:00Z"), status: 400, code: "validation_failed", field: "questions[0].resolution.resolved_at"},
		{name: "bad question kind", method: "POST", path: path, token: e.admin, body: set([]any{"questions", 0, "kind"}, "numeric"), status: 400, code: "validation_failed", field: "questions[0].kind"},
		{name: "bad username", method: "POST", path: path, token: e.admin, body: set([]any{"users", 0, "username"}, "A B"), status: 400, code: "validation_failed", field: "users[0].username"},
	})
	// Nothing of the rejected documents was stored.
	if r := e.do("GET", "/api/v1/tournaments/imp", "", nil); r.status != 404 {
		t.Fatalf("a rejected import left its tournament behind: %d", r.status)
	}
	if r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "ann", "password": "password-ann"}); r.status != 401 {
		t.Fatalf("a rejected import left a user behind: %d", r.status)
	}
	var counts ImportCountsForTest
	e.must(200, "POST", path, e.admin, good(), &counts)
	if counts.Users != 1 || counts.Questions != 1 || counts.Forecasts != 2 {
		t.Fatalf("good import created %+v", counts)
	}
	e.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "ann", "password": "password-ann"}, nil)
	var lb struct{ Entries []entryDTO }
	e.must(200, "GET", "/api/v1/tournaments/imp/leaderboard", "", nil, &lb)
	if len(lb.Entries) != 1 || lb.Entries[0].User.Username != "ann" {
		t.Fatalf("leaderboard after import = %+v", lb.Entries)
	}
}

// ImportCountsForTest mirrors the import answer.
type ImportCountsForTest struct{ Users, Questions, Forecasts int }

func (e *testEnv) register2(name string) string {
	tok, _ := e.register(name)
	return tok
}
