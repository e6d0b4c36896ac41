package api

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// An indicator's table comes from its links until an admin enters one,
// and returns to them when the admin's is deleted; every change is
// audited, and a table that does not fit is refused naming the field.
func TestLikelihoodsCRUD(t *testing.T) {
	e, scen, ind, ord := signsEnv(t)
	forecaster := e.register2("fay")
	path := qpath(ind, "/likelihoods")
	if r := e.do("GET", path, "", nil); r.status != 404 {
		t.Fatalf("table of an indicator without links = %d; want 404", r.status)
	}
	e.must(201, "POST", qpath(ind, "/links"), e.admin, map[string]any{"scenario_question_id": scen, "option": 0,
		"trigger": "yes", "direction": 1, "strength": "strong"}, nil)
	var got likelihoodsDTO
	e.must(200, "GET", path, "", nil, &got)
	// A strong link raising A: odds 5 : 1, P = 5/6; B keeps the base rate ½.
	if got.Source != "strengths" || got.ScenarioQuestionID != scen || got.Trigger != "yes" ||
		len(got.Probabilities) != 2 || math.Abs(got.Probabilities[0]-5.0/6) > 1e-12 || got.Probabilities[1] != 0.5 {
		t.Fatalf("derived table = %+v; want 5/6, ½ from the strengths", got)
	}

	table := func(edit func(m map[string]any)) map[string]any {
		m := map[string]any{"scenario_question_id": scen, "trigger": "yes", "probabilities": []float64{0.7, 0.2}}
		if edit != nil {
			edit(m)
		}
		return m
	}
	e.runScenarios(t, []scenario{
		{name: "no token", method: "PUT", path: path, body: table(nil), status: 401, code: "unauthorized"},
		{name: "forecaster", method: "PUT", path: path, token: forecaster, body: table(nil), status: 403, code: "forbidden"},
		{name: "too few probabilities", method: "PUT", path: path, token: e.admin,
			body: table(func(m map[string]any) { m["probabilities"] = []float64{0.7} }), status: 400, code: "validation_failed", field: "probabilities"},
		{name: "below the bound", method: "PUT", path: path, token: e.admin,
			body: table(func(m map[string]any) { m["probabilities"] = []float64{0.7, 0.005} }), status: 400, code: "validation_failed", field: "probabilities"},
		{name: "above the bound", method: "PUT", path: path, token: e.admin,
			body: table(func(m map[string]any) { m["probabilities"] = []float64{0.995, 0.5} }), status: 400, code: "validation_failed", field: "probabilities"},
		{name: "missing probabilities", method: "PUT", path: path, token: e.admin,
			body: table(func(m map[string]any) { delete(m, "probabilities") }), status: 400, code: "validation_failed", field: "probabilities"},
		{name: "trigger of another kind", method: "PUT", path: path, token: e.admin,
			body: table(func(m map[string]any) { m["trigger"] = "higher" }), status: 400, code: "validation_failed", field: "trigger"},
		{name: "non-scenario question", method: "PUT", path: path, token: e.admin,
			body: table(func(m map[string]any) { m["scenario_question_id"] = ord }), status: 400, code: "validation_failed", field: "scenario_question_id"},
		{name: "unknown scenario", method: "PUT", path: path, token: e.admin,
			body: table(func(m map[string]any) { m["scenario_question_id"] = 9999 }), status: 400, code: "validation_failed", field: "scenario_question_id"},
		{name: "unknown question", method: "PUT", path: qpath(9999, "/likelihoods"), token: e.admin, body: table(nil), status: 404, code: "not_found"},
		{name: "unknown question's table", method: "GET", path: qpath(9999, "/likelihoods"), status: 404, code: "not_found"},
		{name: "put", method: "PUT", path: path, token: e.admin, body: table(nil), status: 200,
			checkBody: func(t *testing.T, r response) {
				r.decode(t, &got)
				if got.Source != "admin" || !slices.Equal(got.Probabilities, []float64{0.7, 0.2}) || got.Trigger != "yes" {
					t.Fatalf("stored table = %+v", got)
				}
			}},
		{name: "delete as a forecaster", method: "DELETE", path: path, token: forecaster, status: 403, code: "forbidden"},
	})
	e.must(200, "GET", path, "", nil, &got)
	if got.Source != "admin" || !slices.Equal(got.Probabilities, []float64{0.7, 0.2}) {
		t.Fatalf("table after the admin's = %+v", got)
	}
	// The board shows the admin's table with its numbers on the link.
	var b signpostsDTO
	e.must(200, "GET", "/api/v1/tournaments/signs/signposts", "", nil, &b)
	if l := b.Scenarios[0].For; len(l) != 1 || l[0].Likelihoods == nil || l[0].Likelihoods.Source != "admin" ||
		!slices.Equal(l[0].Likelihoods.Probabilities, []float64{0.7, 0.2}) || math.Abs(l[0].LikelihoodRatio-3.5) > 1e-12 {
		t.Fatalf("board links %+v; want the admin's table, ratio 0.7/0.2", l)
	}

	e.must(204, "DELETE", path, e.admin, nil, nil)
	if r := e.do("DELETE", path, e.admin, nil); r.status != 404 {
		t.Errorf("deleting twice = %d; want 404", r.status)
	}
	e.must(200, "GET", path, "", nil, &got)
	if got.Source != "strengths" {
		t.Errorf("table after delete = %+v; want the strengths again", got)
	}

	// An indicator with an admin's table and no links is listed too: one
	// row per scenario, raising where the trigger is likelier than under
	// the other scenario.
	e.must(200, "PUT", qpath(ord, "/likelihoods"), e.admin, map[string]any{"scenario_question_id": scen,
		"trigger": "higher", "probabilities": []float64{0.3, 0.6}}, nil)
	e.must(200, "GET", "/api/v1/tournaments/signs/signposts", "", nil, &b)
	against, up := b.Scenarios[0].Against, b.Scenarios[1].For
	if len(against) != 1 || against[0].QuestionID != ord || against[0].Trigger != "higher" || against[0].LinkID != 0 ||
		against[0].Likelihoods == nil || against[0].Likelihoods.Source != "admin" ||
		len(up) != 1 || up[0].QuestionID != ord || math.Abs(up[0].LikelihoodRatio-2) > 1e-12 {
		t.Fatalf("board against A %+v, for B %+v; want the ordered indicator's table", against, up)
	}

	var audit auditListDTO
	e.must(200, "GET", "/api/v1/tournaments/signs/audit", e.admin, nil, &audit)
	var actions []string
	for _, a := range audit.Entries {
		if a.QuestionID != nil && *a.QuestionID == ind && strings.HasSuffix(a.Action, "_likelihoods") {
			actions = append(actions, a.Action)
		}
	}
	if !slices.Equal(actions, []string{"delete_likelihoods", "put_likelihoods"}) {
		t.Errorf("audit of the table = %v; want put then delete (newest first)", actions)
	}
}
