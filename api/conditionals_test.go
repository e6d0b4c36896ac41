package api

import (
	"testing"
)

func TestConditionalPairs(t *testing.T) {
	e, scen, ind, ord := signsEnv(t)
	forecaster := e.register2("fay")
	path := qpath(ind, "/conditionals")
	body := map[string]any{"scenario_question_id": scen}
	var pair pairDTO
	e.runScenarios(t, []scenario{
		{name: "no token", method: "POST", path: path, body: body, status: 401, code: "unauthorized"},
		{name: "forecaster", method: "POST", path: path, token: forecaster, body: body, status: 403, code: "forbidden"},
		{name: "create", method: "POST", path: path, token: e.admin, body: body, status: 201,
			checkBody: func(t *testing.T, r response) {
				r.decode(t, &pair)
				for _, b := range []struct {
					q       questionDTO
					outcome string
				}{{pair.IfYes, "yes"}, {pair.IfNo, "no"}} {
					c := b.q.Condition
					if c == nil || c.QuestionID != ind || c.Outcome != b.outcome || c.Threshold != nil ||
						b.q.Mirrors == nil || *b.q.Mirrors != scen || b.q.Kind != "multiple_choice" || len(b.q.Options) != 2 ||
						b.q.State != "open" {
						t.Fatalf("branch %s = %+v (condition %+v)", b.outcome, b.q, c)
					}
				}
			}},
		{name: "duplicate", method: "POST", path: path, token: e.admin, body: body, status: 409, code: "conflict"},
		{name: "not a scenario question", method: "POST", path: qpath(ord, "/conditionals"), token: e.admin,
			body: map[string]any{"scenario_question_id": ind, "threshold": 1}, status: 400, code: "validation_failed", field: "scenario_question_id"},
		{name: "indicator is multiple choice", method: "POST", path: qpath(scen, "/conditionals"), token: e.admin,
			body: body, status: 400, code: "validation_failed", field: "id"},
		{name: "ordered without threshold", method: "POST", path: qpath(ord, "/conditionals"), token: e.admin,
			body: body, status: 400, code: "validation_failed", field: "threshold"},
		{name: "missing scenario", method: "POST", path: path, token: e.admin,
			body: map[string]any{}, status: 400, code: "validation_failed", field: "scenario_question_id"},
		{name: "ordered at or above bucket 1", method: "POST", path: qpath(ord, "/conditionals"), token: e.admin,
			body: map[string]any{"scenario_question_id": scen, "threshold": 1}, status: 201},
		{name: "unknown indicator", method: "POST", path: qpath(9999, "/conditionals"), token: e.admin, body: body,
			status: 404, code: "not_found"},
	})
	var list pairsDTO
	e.must(200, "GET", path, "", nil, &list)
	if len(list.Pairs) != 1 || list.Pairs[0].ScenarioQuestionID != scen || list.Pairs[0].IfYes.ID != pair.IfYes.ID ||
		list.Pairs[0].IfNo.ID != pair.IfNo.ID {
		t.Fatalf("pairs = %+v", list.Pairs)
	}
	var plain questionDTO
	e.must(200, "GET", qpath(ind, ""), "", nil, &plain)
	if plain.Condition != nil || plain.Mirrors != nil {
		t.Errorf("ordinary question: condition %+v mirrors %v; want null", plain.Condition, plain.Mirrors)
	}

	// A branch is forecast like any question, but resolves only with its parents.
	e.must(201, "POST", qpath(pair.IfYes.ID, "/forecasts"), forecaster, map[string]any{"probabilities": []float64{0.7, 0.3}}, nil)
	e.must(409, "POST", qpath(pair.IfYes.ID, "/resolve"), e.admin, map[string]any{"outcome": 0}, nil)
	e.must(200, "POST", qpath(ind, "/resolve"), e.admin, map[string]any{"outcome": 1}, nil)
	var yes, no questionDTO
	e.must(200, "GET", qpath(pair.IfYes.ID, ""), "", nil, &yes)
	e.must(200, "GET", qpath(pair.IfNo.ID, ""), "", nil, &no)
	if yes.State != "annulled" || yes.Resolution == nil || yes.Resolution.Reason != "the condition did not happen" || no.State != "open" {
		t.Fatalf("after the indicator's No: if-yes %s %+v, if-no %s", yes.State, yes.Resolution, no.State)
	}
	e.must(200, "POST", qpath(scen, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2026-11-20T00:00:00Z"}, nil)
	e.must(200, "GET", qpath(pair.IfNo.ID, ""), "", nil, &no)
	if no.State != "resolved" || *no.Resolution.Outcome != 1 || no.Resolution.ResolvedAt != "2026-11-20T00:00:00Z" {
		t.Fatalf("after the scenario resolved: if-no %s %+v", no.State, no.Resolution)
	}
	var audit auditListDTO
	e.must(200, "GET", "/api/v1/tournaments/signs/audit", e.admin, nil, &audit)
	auto := map[string]bool{}
	for _, a := range audit.Entries {
		if a.QuestionID != nil && (*a.QuestionID == pair.IfYes.ID || *a.QuestionID == pair.IfNo.ID) {
			if a.Actor != nil {
				t.Errorf("audit %s by %+v; want the server (actor null)", a.Action, a.Actor)
			}
			auto[a.Action] = true
		}
	}
	if !auto["auto_annul"] || !auto["auto_resolve"] {
		t.Errorf("automatic audit actions %v; want auto_annul and auto_resolve", auto)
	}
}

// The server's own resolutions and annulments of branches reach webhooks
// as an admin's do.
func TestBranchChangesFireWebhooks(t *testing.T) {
	e, scen, ind, _ := signsEnv(t)
	e.allowLoopbackHooks()
	rc := newReceiver(t)
	e.addWebhook("signs", rc.URL+"/h", "json", "", "question.resolved", "question.annulled")
	var pair pairDTO
	e.must(201, "POST", qpath(ind, "/conditionals"), e.admin, map[string]any{"scenario_question_id": scen}, &pair)
	e.must(200, "POST", qpath(ind, "/resolve"), e.admin, map[string]any{"outcome": 1}, nil)
	e.must(200, "POST", qpath(scen, "/resolve"), e.admin, map[string]any{"outcome": 0}, nil)
	e.tick()
	got := map[string]bool{}
	for _, ev := range eventsOf(t, rc) {
		q := ev["question"].(map[string]any)
		got[ev["event"].(string)+" "+itoa(int64(q["id"].(float64)))] = true
	}
	for _, want := range []string{"question.resolved " + itoa(ind), "question.annulled " + itoa(pair.IfYes.ID),
		"question.resolved " + itoa(scen), "question.resolved " + itoa(pair.IfNo.ID)} {
		if !got[want] {
			t.Errorf("no %s among the events %v", want, got)
		}
	}
	if len(got) != 4 {
		t.Errorf("events %v; want 4", got)
	}
}

// A correction of the indicator that reopens a branch the server had
// annulled is announced as question.reopened, through the real worker.
func TestBranchReopenFiresWebhook(t *testing.T) {
	e, scen, ind, _ := signsEnv(t)
	e.allowLoopbackHooks()
	rc := newReceiver(t)
	e.addWebhook("signs", rc.URL+"/h", "json", "", "question.reopened")
	var pair pairDTO
	e.must(201, "POST", qpath(ind, "/conditionals"), e.admin, map[string]any{"scenario_question_id": scen}, &pair)
	e.must(200, "POST", qpath(ind, "/resolve"), e.admin, map[string]any{"outcome": 1}, nil) // No: if-yes annulled
	e.tick()
	if evs := eventsOf(t, rc); len(evs) != 0 {
		t.Fatalf("events %v before any reopening; want none", eventNames(evs))
	}
	e.must(200, "POST", qpath(ind, "/resolve"), e.admin, map[string]any{"outcome": 0}, nil) // corrected to Yes
	e.tick()
	evs := eventsOf(t, rc)
	if len(evs) != 1 || evs[0]["event"] != "question.reopened" {
		t.Fatalf("events %v; want one question.reopened", eventNames(evs))
	}
	q := evs[0]["question"].(map[string]any)
	if int64(q["id"].(float64)) != pair.IfYes.ID || q["state"] != "open" || q["resolution"] != nil {
		t.Fatalf("reopened question %v; want the if-yes branch %d, open, without a resolution", q, pair.IfYes.ID)
	}
	var audit auditListDTO
	e.must(200, "GET", "/api/v1/tournaments/signs/audit", e.admin, nil, &audit)
	reopened := false
	for _, a := range audit.Entries {
		reopened = reopened || (a.Action == "auto_reopen" && a.QuestionID != nil && *a.QuestionID == pair.IfYes.ID && a.Actor == nil)
	}
	if !reopened {
		t.Errorf("no auto_reopen of %d by the server in the audit trail", pair.IfYes.ID)
	}
}
