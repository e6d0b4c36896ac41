package api

import (
	"strings"
	"testing"
	"time"

	"signpost/store"
)

func TestQuestionForecastsOnlyAfterResolution(t *testing.T) {
	e, qid, george, _ := electionEnv(t)
	if r := e.do("GET", qpath(qid, "/forecasts"), george, nil); r.status != 409 {
		t.Fatalf("forecasts before resolution = %d %s; want 409", r.status, r.raw)
	}
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, nil)
	var list publicForecastListDTO
	e.must(200, "GET", qpath(qid, "/forecasts"), "", nil, &list)
	if len(list.Forecasts) != 5 {
		t.Fatalf("%d forecasts; want all 5", len(list.Forecasts))
	}
	f0, last := list.Forecasts[0], list.Forecasts[4]
	if f0.User.Username != "george" || !near(f0.Probabilities[0], 0.7) || last.User.Username != "kramer" || !near(last.Probabilities[1], 0.7) {
		t.Fatalf("first %+v, last %+v; want George's 0.7 first and Kramer's 0.3/0.7 last", f0, last)
	}
}

func TestCorrectionKeepsResolvedAt(t *testing.T) {
	e, qid, _, _ := electionEnv(t)
	var q questionDTO
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, &q)
	e.clock.set(e.clock.now().AddDate(0, 0, 3))
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 0}, &q)
	if q.Resolution.ResolvedAt != "2016-11-09T05:00:00Z" || *q.Resolution.Outcome != 0 {
		t.Fatalf("corrected resolution %+v; want outcome 0 at the kept 2016-11-09T05:00:00Z", *q.Resolution)
	}
}

func TestProfiles(t *testing.T) {
	e, qid, george, kramer := electionEnv(t)
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, nil)
	path := "/api/v1/users/George?tournament=us-2016"
	var p profileDTO
	e.must(200, "GET", path, "", nil, &p)
	if p.User.Username != "george" || len(p.Scores) != 1 || p.Standing == nil || p.Standing.Rank != 2 || !p.ProfilePublic {
		t.Fatalf("profile %+v", p)
	}
	if near(p.Scores[0].Relative, 0) || p.Calibration.Bins[5].Count == 0 {
		t.Fatalf("scores %+v calibration %+v", p.Scores, p.Calibration.Bins)
	}

	var me meResponse
	e.must(200, "PATCH", "/api/v1/me", george, map[string]any{"profile_public": false, "display_name": " George C. "}, &me)
	if me.ProfilePublic || me.DisplayName != "George C." {
		t.Fatalf("PATCH /me = %+v", me)
	}
	e.runScenarios(t, []scenario{
		{name: "hidden to the public", method: "GET", path: path, status: 404, code: "not_found"},
		{name: "hidden to others", method: "GET", path: path, token: kramer, status: 404, code: "not_found"},
		{name: "shown to its owner", method: "GET", path: path, token: george, status: 200},
		{name: "shown to admins", method: "GET", path: path, token: e.admin, status: 200},
		{name: "no such user", method: "GET", path: "/api/v1/users/nobody", status: 404, code: "not_found"},
		{name: "no such tournament", method: "GET", path: "/api/v1/users/kramer?tournament=nope", status: 404, code: "not_found"},
		{name: "empty display name", method: "PATCH", path: "/api/v1/me", token: george, body: map[string]any{"display_name": "  "}, status: 400, code: "validation_failed", field: "display_name"},
		{name: "wrong type", method: "PATCH", path: "/api/v1/me", token: george, body: map[string]any{"profile_public": "no"}, status: 400, code: "bad_request", field: "profile_public"},
		{name: "anonymous", method: "PATCH", path: "/api/v1/me", body: map[string]any{"profile_public": true}, status: 401, code: "unauthorized"},
	})
	// A hidden profile stays on the leaderboard, under the new name.
	var board struct{ Entries []entryDTO }
	e.must(200, "GET", "/api/v1/tournaments/us-2016/leaderboard", "", nil, &board)
	found := false
	for _, en := range board.Entries {
		found = found || en.User.DisplayName == "George C."
	}
	if !found {
		t.Fatalf("leaderboard %+v lacks the renamed, hidden George", board.Entries)
	}
}

func TestTeamMembersAndLeaving(t *testing.T) {
	e, _, george, kramer := electionEnv(t)
	var team teamDTO
	e.must(201, "POST", "/api/v1/tournaments/us-2016/teams", george, map[string]string{"name": "Vandelay"}, &team)
	e.must(200, "POST", "/api/v1/tournaments/us-2016/teams/join", kramer, map[string]string{"invite_code": team.InviteCode}, nil)
	path := "/api/v1/tournaments/us-2016/teams/" + itoa(team.ID)
	var pub, mine teamDetailDTO
	e.must(200, "GET", path, "", nil, &pub)
	e.must(200, "GET", path, kramer, nil, &mine)
	if len(pub.Members) != 2 || pub.Members[0].Username != "george" || pub.InviteCode != "" || mine.InviteCode != team.InviteCode {
		t.Fatalf("team to the public %+v, to a member %+v", pub, mine)
	}
	e.must(204, "DELETE", "/api/v1/tournaments/us-2016/teams/mine", kramer, nil, nil)
	e.must(200, "GET", path, "", nil, &pub)
	if len(pub.Members) != 1 {
		t.Fatalf("after leaving: %+v", pub.Members)
	}
	e.runScenarios(t, []scenario{
		{name: "leave twice", method: "DELETE", path: "/api/v1/tournaments/us-2016/teams/mine", token: kramer, status: 404, code: "not_found"},
		{name: "leave anonymously", method: "DELETE", path: "/api/v1/tournaments/us-2016/teams/mine", status: 401, code: "unauthorized"},
		{name: "no such team", method: "GET", path: "/api/v1/tournaments/us-2016/teams/99999", status: 404, code: "not_found"},
		{name: "team of another tournament", method: "GET", path: "/api/v1/tournaments/ai-scenarios-2027/teams/" + itoa(team.ID), status: 404, code: "not_found"},
	})
	var me meResponse
	e.must(200, "GET", "/api/v1/me", kramer, nil, &me)
	if len(me.Teams) != 0 {
		t.Fatalf("Kramer still in %+v", me.Teams)
	}
}

func TestResolutionQueue(t *testing.T) {
	e, qid, george, _ := electionEnv(t)
	var queue questionListDTO
	e.must(200, "GET", "/api/v1/admin/resolution-queue", e.admin, nil, &queue)
	if len(queue.Questions) != 1 || queue.Questions[0].ID != qid {
		t.Fatalf("queue %+v; want only the closed election question (the seed's are still open)", queue.Questions)
	}
	if r := e.do("GET", "/api/v1/admin/resolution-queue", george, nil); r.status != 403 {
		t.Fatalf("queue for a forecaster = %d; want 403", r.status)
	}
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1}, nil)
	e.must(200, "GET", "/api/v1/admin/resolution-queue", e.admin, nil, &queue)
	if len(queue.Questions) != 0 {
		t.Fatalf("queue after resolving = %+v; want empty", queue.Questions)
	}
}

func TestAwaitsResolution(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	base := store.Question{OpensAt: at("2027-01-01"), ClosesAt: at("2027-12-31")}
	rows := []struct {
		name      string
		resolveBy string
		now       string
		resolved  bool
		want      bool
	}{
		{"open, no resolve_by", "", "2027-06-01", false, false},
		{"closed", "", "2028-01-01", false, true},
		{"closed but resolved", "", "2028-01-01", true, false},
		{"open, resolve_by passed", "2027-05-31", "2027-06-01", false, true},
		{"open, resolve_by today", "2027-06-01", "2027-06-01", false, true},
		{"open, resolve_by ahead", "2027-06-02", "2027-06-01", false, false},
		{"resolve_by not a date", "soon", "2027-06-01", false, false},
	}
	for _, r := range rows {
		q := base
		q.Extra.ResolveBy = r.resolveBy
		if r.resolved {
			q.Resolution = &store.Resolution{Outcome: 0, ResolvedAt: at("2027-12-31")}
		}
		if got := awaitsResolution(&q, at(r.now)); got != r.want {
			t.Errorf("%s: awaitsResolution = %v; want %v", r.name, got, r.want)
		}
	}
}

func TestCorrectionIsDated(t *testing.T) {
	e, qid, _, _ := electionEnv(t)
	var q questionDTO
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, &q)
	if q.Resolution.CorrectedAt != "" {
		t.Fatalf("a first resolution is marked corrected at %s", q.Resolution.CorrectedAt)
	}
	e.clock.set(e.clock.now().Add(48 * time.Hour))
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 0}, nil)
	e.must(200, "GET", qpath(qid, ""), "", nil, &q)
	if q.Resolution.CorrectedAt != "2016-11-11T06:00:00Z" {
		t.Fatalf("corrected_at = %q; want the clock's 2016-11-11T06:00:00Z", q.Resolution.CorrectedAt)
	}
}

// TestHiddenProfileLooksMissing: a hidden profile answers exactly what a
// user who does not exist does, so its existence does not show.
func TestHiddenProfileLooksMissing(t *testing.T) {
	e, _, george, kramer := electionEnv(t)
	e.must(200, "PATCH", "/api/v1/me", george, map[string]any{"profile_public": false}, nil)
	for _, token := range []string{"", kramer} {
		hidden := e.do("GET", "/api/v1/users/george?tournament=us-2016", token, nil)
		missing := e.do("GET", "/api/v1/users/georgf?tournament=us-2016", token, nil)
		want := strings.ReplaceAll(string(missing.raw), "georgf", "george")
		if hidden.status != missing.status || string(hidden.raw) != want {
			t.Errorf("hidden profile = %d %s; a missing user's = %d %s", hidden.status, hidden.raw, missing.status, missing.raw)
		}
	}
}
