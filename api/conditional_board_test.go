package api

import (
	"encoding/json"
	"testing"
	"time"
)

// A tournament that opts in ranks its conditional branches on the main
// leaderboard too; the setting is admin-only, audited, moves the cached
// boards and travels with the archive.
func TestConditionalsOnMainBoard(t *testing.T) {
	e, scen, ind, _ := signsEnv(t)
	var pair pairDTO
	e.must(201, "POST", qpath(ind, "/conditionals"), e.admin, map[string]any{"scenario_question_id": scen}, &pair)
	forecaster := ""
	for _, name := range []string{"fay", "gus"} {
		forecaster = e.register2(name)
		for _, id := range []int64{scen, pair.IfYes.ID} {
			e.must(201, "POST", qpath(id, "/forecasts"), forecaster, map[string]any{"probabilities": []float64{0.6, 0.4}}, nil)
		}
	}
	e.clock.set(testStart.Add(20 * time.Hour)) // a window long enough to score
	e.must(200, "POST", qpath(ind, "/resolve"), e.admin, map[string]any{"outcome": 0}, nil)
	e.must(200, "POST", qpath(scen, "/resolve"), e.admin, map[string]any{"outcome": 0}, nil) // and so the if-yes branch
	questions := func(kind string) int {
		var b struct {
			Entries []entryDTO `json:"entries"`
		}
		e.must(200, "GET", "/api/v1/tournaments/signs/leaderboard?kind="+kind, "", nil, &b)
		if len(b.Entries) != 2 {
			t.Fatalf("%s board %+v; want fay and gus", kind, b.Entries)
		}
		return b.Entries[0].Questions
	}
	if m, c := questions("main"), questions("conditional"); m != 1 || c != 1 {
		t.Fatalf("before opting in: main board on %d questions, conditional on %d; want 1 and 1", m, c)
	}

	path := "/api/v1/tournaments/signs"
	on := map[string]any{"conditionals_on_main": true}
	e.runScenarios(t, []scenario{
		{name: "no token", method: "PATCH", path: path, body: on, status: 401, code: "unauthorized"},
		{name: "forecaster", method: "PATCH", path: path, token: forecaster, body: on, status: 403, code: "forbidden"},
		{name: "nothing to change", method: "PATCH", path: path, token: e.admin, body: map[string]any{}, status: 400,
			code: "validation_failed", field: "conditionals_on_main"},
		{name: "not a boolean", method: "PATCH", path: path, token: e.admin, body: map[string]any{"conditionals_on_main": "yes"},
			status: 400},
		{name: "no such tournament", method: "PATCH", path: "/api/v1/tournaments/nope", token: e.admin, body: on, status: 404},
	})
	if m := questions("main"); m != 1 {
		t.Fatalf("refused changes moved the main board to %d questions", m)
	}
	var got tournamentDTO
	e.must(200, "PATCH", path, e.admin, on, &got)
	if !got.ConditionalsOnMain {
		t.Fatalf("PATCH answered %+v; want conditionals_on_main true", got)
	}
	if m, c := questions("main"), questions("conditional"); m != 2 || c != 1 {
		t.Fatalf("opted in: main board on %d questions, conditional on %d; want 2 (scenario and branch) and 1", m, c)
	}
	var audit auditListDTO
	e.must(200, "GET", path+"/audit", e.admin, nil, &audit)
	if a := audit.Entries[0]; a.Action != "edit_tournament" || a.Actor == nil || string(a.New) != `{"conditionals_on_main":true}` {
		t.Fatalf("latest audit entry %+v; want the admin's edit_tournament to true", a)
	}

	// The archive carries the setting into a fresh server.
	archive := e.must(200, "GET", path+"/export", e.admin, nil, nil).raw
	fresh := newTestEnv(t)
	fresh.clock.set(testStart.Add(20 * time.Hour))
	fresh.must(200, "POST", "/api/v1/admin/import", fresh.admin, json.RawMessage(archive), nil)
	var imported tournamentDetailDTO
	fresh.must(200, "GET", path, "", nil, &imported)
	if !imported.ConditionalsOnMain {
		t.Fatal("the imported tournament lost conditionals_on_main")
	}

	e.must(200, "PATCH", path, e.admin, map[string]any{"conditionals_on_main": false}, &got)
	if m := questions("main"); got.ConditionalsOnMain || m != 1 {
		t.Fatalf("opted out: %+v, main board on %d questions; want false and 1", got, m)
	}
}
