package api

import (
	"strings"
	"testing"
)

func TestEditQuestion(t *testing.T) {
	e, qid, george, _ := electionEnv(t)
	// A question nobody has forecast yet: everything may change.
	var fresh questionDTO
	e.must(201, "POST", "/api/v1/tournaments/us-2016/questions", e.admin, map[string]any{"kind": "binary",
		"title": map[string]string{"en": "Recount?"}, "criteria": map[string]string{"en": "A recount happens."},
		"opens_at": "2016-11-09T00:00:00Z", "closes_at": "2016-12-01T00:00:00Z"}, &fresh)
	var edited questionDTO
	e.must(200, "PATCH", qpath(fresh.ID, ""), e.admin, map[string]any{"closes_at": "2016-12-15T00:00:00Z",
		"resolution_source": []string{" https://example.org/recount ", ""}, "title": map[string]string{"en": "A recount?", "zh": "重新计票？"}}, &edited)
	if edited.ClosesAt != "2016-12-15T00:00:00Z" || len(edited.ResolutionSource) != 1 || edited.ResolutionSource[0] != "https://example.org/recount" ||
		edited.Title["zh"] != "重新计票？" || edited.EditedAt != "2016-11-09T06:00:00Z" {
		t.Fatalf("edited question %+v", edited)
	}
	path := qpath(qid, "")
	e.runScenarios(t, []scenario{
		{name: "forecaster", method: "PATCH", path: path, token: george, body: map[string]any{"title": map[string]string{"en": "x"}}, status: 403, code: "forbidden"},
		{name: "nothing to change", method: "PATCH", path: path, token: e.admin, body: map[string]any{}, status: 400, code: "validation_failed", field: "title"},
		{name: "empty title", method: "PATCH", path: path, token: e.admin, body: map[string]any{"title": map[string]string{"en": " "}}, status: 400, code: "validation_failed", field: "title"},
		{name: "close date after forecasts", method: "PATCH", path: path, token: e.admin, body: map[string]any{"closes_at": "2016-11-10T00:00:00Z"}, status: 409, code: "conflict"},
		{name: "sources after forecasts", method: "PATCH", path: path, token: e.admin, body: map[string]any{"resolution_source": []string{"x"}}, status: 409, code: "conflict"},
		{name: "close before open", method: "PATCH", path: qpath(fresh.ID, ""), token: e.admin, body: map[string]any{"closes_at": "2016-11-01T00:00:00Z"}, status: 400, code: "validation_failed", field: "closes_at"},
		{name: "wording after forecasts", method: "PATCH", path: path, token: e.admin, body: map[string]any{"criteria": map[string]string{"en": "The 2016 election, as certified."}}, status: 200,
			checkBody: func(t *testing.T, r response) {
				var q questionDTO
				r.decode(t, &q)
				if q.Criteria["en"] != "The 2016 election, as certified." || q.ClosesAt != "2016-11-08T00:00:00Z" || q.EditedAt == "" {
					t.Fatalf("after a wording edit: %+v", q)
				}
			}},
	})
	var audit auditListDTO
	e.must(200, "GET", "/api/v1/tournaments/us-2016/audit", e.admin, nil, &audit)
	edits := 0
	for _, a := range audit.Entries {
		if a.Action == "edit_question" {
			edits++
			if a.Old == nil || a.New == nil || (!strings.Contains(string(a.New), "certified") && !strings.Contains(string(a.New), "2016-12-15")) {
				t.Errorf("edit audit entry old %s new %s", a.Old, a.New)
			}
		}
	}
	if edits != 2 {
		t.Fatalf("%d edit_question audit entries; want 2", edits)
	}
}
