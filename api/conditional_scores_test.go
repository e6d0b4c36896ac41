package api

import (
	"reflect"
	"testing"
	"time"
)

// A branch is scored exactly as an ordinary multiple-choice question with
// the same window, forecasts and outcome, and it counts on the conditional
// leaderboard only.
func TestBranchScoresAsAnOrdinaryQuestion(t *testing.T) {
	e, scen, ind, _ := signsEnv(t)
	var pair pairDTO
	e.must(201, "POST", qpath(ind, "/conditionals"), e.admin, map[string]any{"scenario_question_id": scen}, &pair)
	var twin questionDTO
	label := func(s string) map[string]any { return map[string]any{"label": map[string]string{"en": s}} }
	e.must(201, "POST", "/api/v1/tournaments/signs/questions", e.admin, map[string]any{"slug": "twin", "kind": "multiple_choice",
		"title": map[string]string{"en": "twin"}, "criteria": map[string]string{"en": "c"}, "options": []any{label("A"), label("B")},
		"opens_at": pair.IfYes.OpensAt, "closes_at": pair.IfYes.ClosesAt}, &twin)

	for _, name := range []string{"fay", "gus", "hal"} {
		e.register(name)
	}
	for _, f := range []struct {
		after time.Duration
		user  string
		p     []float64
	}{
		{time.Hour, "fay", []float64{0.7, 0.3}},
		{26 * time.Hour, "gus", []float64{0.2, 0.8}},
		{27 * time.Hour, "hal", []float64{0.5, 0.5}},
		{50 * time.Hour, "fay", []float64{0.4, 0.6}},
		{75 * time.Hour, "gus", []float64{0.1, 0.9}},
	} {
		e.clock.set(testStart.Add(f.after))
		token := e.login(f.user, "password-"+f.user) // tokens last a day
		for _, id := range []int64{pair.IfYes.ID, twin.ID} {
			e.must(201, "POST", qpath(id, "/forecasts"), token, map[string]any{"probabilities": f.p}, nil)
		}
		// the scenario question itself, so the main board has someone on it
		e.must(201, "POST", qpath(scen, "/forecasts"), token, map[string]any{"probabilities": f.p}, nil)
	}
	e.clock.set(testStart.Add(120 * time.Hour))
	admin := e.login("admin", "admin-password")
	resolved := map[string]any{"outcome": 1, "resolved_at": testStart.Add(100 * time.Hour).Format(time.RFC3339)}
	e.must(200, "POST", qpath(ind, "/resolve"), admin, map[string]any{"outcome": 0}, nil)
	e.must(200, "POST", qpath(scen, "/resolve"), admin, resolved, nil)
	e.must(200, "POST", qpath(twin.ID, "/resolve"), admin, resolved, nil)

	var branchScores, twinScores scoreListDTO
	e.must(200, "GET", qpath(pair.IfYes.ID, "/scores"), "", nil, &branchScores)
	e.must(200, "GET", qpath(twin.ID, "/scores"), "", nil, &twinScores)
	if len(branchScores.Scores) != 3 || !reflect.DeepEqual(branchScores.Scores, twinScores.Scores) {
		t.Fatalf("branch scores %+v; want the twin's %+v", branchScores.Scores, twinScores.Scores)
	}
	e.must(409, "GET", qpath(pair.IfNo.ID, "/scores"), "", nil, nil) // annulled: the condition failed

	type board struct {
		Entries []entryDTO `json:"entries"`
	}
	var main, cond board
	e.must(200, "GET", "/api/v1/tournaments/signs/leaderboard", "", nil, &main)
	e.must(200, "GET", "/api/v1/tournaments/signs/leaderboard?kind=conditional", "", nil, &cond)
	// main: the scenario question and the twin; conditional: the branch.
	if len(main.Entries) != 3 || main.Entries[0].Questions != 2 {
		t.Fatalf("main board %+v; want 3 users on 2 questions", main.Entries)
	}
	if len(cond.Entries) != 3 || cond.Entries[0].Questions != 1 {
		t.Fatalf("conditional board %+v; want 3 users on 1 question", cond.Entries)
	}
	for _, en := range cond.Entries {
		for _, s := range branchScores.Scores {
			if s.User.Username == en.User.Username && (s.Brier != en.Brier || s.Relative != en.Relative) {
				t.Errorf("conditional board %+v; want the branch's score %+v", en, s)
			}
		}
	}
	e.must(400, "GET", "/api/v1/tournaments/signs/leaderboard?kind=other", "", nil, nil)
}

// login signs a user in and returns a fresh token.
func (e *testEnv) login(name, password string) string {
	e.t.Helper()
	var a authResponse
	e.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": name, "password": password}, &a)
	return a.Token
}
