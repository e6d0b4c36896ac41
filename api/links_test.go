package api

import (
	"bytes"
	"testing"
)

// signsEnv builds a small signpost tournament through the API: a
// two-scenario question, a binary and an ordered indicator, opening
// before the test clock.
func signsEnv(t *testing.T) (e *testEnv, scen, ind, ord int64) {
	t.Helper()
	e = newTestEnv(t)
	e.must(201, "POST", "/api/v1/tournaments", e.admin, map[string]any{"slug": "signs", "title": map[string]string{"en": "Signs"},
		"starts_at": "2026-11-01T00:00:00Z", "ends_at": "2027-12-31T00:00:00Z"}, nil)
	create := func(body map[string]any) int64 {
		body["title"], body["criteria"] = map[string]string{"en": body["slug"].(string)}, map[string]string{"en": "c"}
		body["opens_at"], body["closes_at"] = "2026-11-01T00:00:00Z", "2027-06-01T00:00:00Z"
		var q questionDTO
		e.must(201, "POST", "/api/v1/tournaments/signs/questions", e.admin, body, &q)
		return q.ID
	}
	label := func(s string) map[string]any {
		return map[string]any{"label": map[string]string{"en": s, "zh": s + "（中）"}}
	}
	scen = create(map[string]any{"slug": "scen", "kind": "multiple_choice", "options": []any{label("A"), label("B")}})
	ind = create(map[string]any{"slug": "ind", "kind": "binary"})
	ord = create(map[string]any{"slug": "ord", "kind": "ordered", "options": []any{label("low"), label("mid"), label("high")}})
	return e, scen, ind, ord
}

func TestLinkCRUD(t *testing.T) {
	e, scen, ind, ord := signsEnv(t)
	forecaster := e.register2("fay")
	link := func(edit func(m map[string]any)) map[string]any {
		m := map[string]any{"scenario_question_id": scen, "option": 0, "trigger": "yes", "direction": 1, "strength": "strong"}
		if edit != nil {
			edit(m)
		}
		return m
	}
	path := qpath(ind, "/links")
	var created linkDTO
	e.runScenarios(t, []scenario{
		{name: "no token", method: "POST", path: path, body: link(nil), status: 401, code: "unauthorized"},
		{name: "forecaster", method: "POST", path: path, token: forecaster, body: link(nil), status: 403, code: "forbidden"},
		{name: "create", method: "POST", path: path, token: e.admin, body: link(nil), status: 201,
			checkBody: func(t *testing.T, r response) {
				r.decode(t, &created)
				if created.ID == 0 || created.ScenarioQuestionID != scen || created.Weight != 5 || created.Trigger != "yes" ||
					created.IndicatorQuestionID != ind {
					t.Fatalf("created link = %+v", created)
				}
			}},
		{name: "duplicate", method: "POST", path: path, token: e.admin, body: link(nil), status: 409, code: "conflict"},
		{name: "unknown scenario option", method: "POST", path: path, token: e.admin,
			body: link(func(m map[string]any) { m["option"] = 2 }), status: 400, code: "validation_failed", field: "option"},
		{name: "non-scenario question", method: "POST", path: path, token: e.admin,
			body: link(func(m map[string]any) { m["scenario_question_id"] = ord }), status: 400, code: "validation_failed", field: "scenario_question_id"},
		{name: "trigger of another kind", method: "POST", path: path, token: e.admin,
			body: link(func(m map[string]any) { m["trigger"] = "higher" }), status: 400, code: "validation_failed", field: "trigger"},
		{name: "direction", method: "POST", path: path, token: e.admin,
			body: link(func(m map[string]any) { m["direction"] = 2 }), status: 400, code: "validation_failed", field: "direction"},
		{name: "missing strength", method: "POST", path: path, token: e.admin,
			body: link(func(m map[string]any) { delete(m, "strength") }), status: 400, code: "validation_failed", field: "strength"},
		{name: "ordered higher", method: "POST", path: qpath(ord, "/links"), token: e.admin,
			body: link(func(m map[string]any) { m["trigger"], m["option"], m["direction"] = "higher", 1, -1 }), status: 201},
		{name: "unknown question", method: "GET", path: qpath(9999, "/links"), status: 404, code: "not_found"},
	})
	var list linksDTO
	e.must(200, "GET", path, "", nil, &list)
	if len(list.Links) != 1 || list.Links[0] != created {
		t.Fatalf("links = %+v; want [%+v]", list.Links, created)
	}

	// The archive carries the links to another server.
	export := e.must(200, "GET", "/api/v1/tournaments/signs/export", e.admin, nil, nil)
	if !bytes.Contains(export.raw, []byte(`"links":[{"indicator":"ind","scenario":"scen","option":0,"trigger":"yes","direction":1,"strength":"strong"}`)) {
		t.Fatalf("export lacks the links: %s", export.raw)
	}
	other := newTestEnv(t)
	other.must(200, "POST", "/api/v1/admin/import", other.admin, export.raw, nil)
	var td tournamentDetailDTO
	other.must(200, "GET", "/api/v1/tournaments/signs", "", nil, &td)
	ids := map[string]int64{}
	for _, q := range td.Questions {
		ids[q.Slug] = q.ID
	}
	var imported linksDTO
	other.must(200, "GET", qpath(ids["ord"], "/links"), "", nil, &imported)
	if len(imported.Links) != 1 || imported.Links[0].Trigger != "higher" || imported.Links[0].ScenarioQuestionID != ids["scen"] ||
		imported.Links[0].Option != 1 || imported.Links[0].Direction != -1 || imported.Links[0].Strength != "strong" {
		t.Fatalf("imported links = %+v", imported.Links)
	}

	del := qpath(ind, "/links/"+itoa(created.ID))
	e.runScenarios(t, []scenario{
		{name: "delete as forecaster", method: "DELETE", path: del, token: forecaster, status: 403, code: "forbidden"},
		{name: "delete through another question", method: "DELETE", path: qpath(ord, "/links/"+itoa(created.ID)), token: e.admin, status: 404, code: "not_found"},
		{name: "delete", method: "DELETE", path: del, token: e.admin, status: 204},
		{name: "delete again", method: "DELETE", path: del, token: e.admin, status: 404, code: "not_found"},
	})
	e.must(200, "GET", path, "", nil, &list)
	if len(list.Links) != 0 {
		t.Fatalf("links after delete = %+v", list.Links)
	}
}
