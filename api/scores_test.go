package api

import (
	"math"
	"net/http"
	"testing"
	"time"

	"signpost/store"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// electionEnv replays the scoring package's worked example through the API: a
// tournament, a binary-like two-option question, George's and Kramer's
// forecasts made at the example's instants on the injected clock.
func electionEnv(t *testing.T) (e *testEnv, qid int64, george, kramer string) {
	t.Helper()
	e = newTestEnv(t, func(c *Config) { c.TokenTTL = 365 * 24 * time.Hour })
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	e.clock.set(at("2016-10-01T00:00:00Z"))
	u, err := store.NewAccount("admin2", "admin-password", "", "admin", 4)
	if err != nil {
		t.Fatal(err)
	}
	if u, err = e.st.CreateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	admin := e.token(u)
	e.admin = admin
	e.must(201, "POST", "/api/v1/tournaments", admin, map[string]any{"slug": "us-2016", "title": map[string]string{"en": "2016"},
		"starts_at": "2016-10-01T00:00:00Z", "ends_at": "2016-12-01T00:00:00Z"}, nil)
	var q questionDTO
	e.must(201, "POST", "/api/v1/tournaments/us-2016/questions", admin, map[string]any{"slug": "president", "kind": "multiple_choice",
		"title": map[string]string{"en": "Who wins?"}, "criteria": map[string]string{"en": "The election."},
		"options":  []any{map[string]any{"label": map[string]string{"en": "Clinton"}}, map[string]any{"label": map[string]string{"en": "Trump"}}},
		"opens_at": "2016-11-01T00:00:00Z", "closes_at": "2016-11-08T00:00:00Z"}, &q)
	george, _ = e.register("george")
	kramer, _ = e.register("kramer")
	for _, f := range []struct {
		tok, at string
		p       []float64
	}{
		{george, "2016-11-01T10:00:00Z", []float64{0.7, 0.3}},
		{kramer, "2016-11-02T12:00:00Z", []float64{0.4, 0.6}},
		{george, "2016-11-03T09:09:00Z", []float64{0.5, 0.5}},
		{george, "2016-11-03T21:42:00Z", []float64{0.6, 0.4}},
		{kramer, "2016-11-05T12:00:00Z", []float64{0.3, 0.7}},
	} {
		e.clock.set(at(f.at))
		e.must(201, "POST", qpath(q.ID, "/forecasts"), f.tok, map[string]any{"probabilities": f.p}, nil)
	}
	e.clock.set(at("2016-11-09T06:00:00Z"))
	return e, q.ID, george, kramer
}

func TestScoresFollowSCORINGExample(t *testing.T) {
	e, qid, _, _ := electionEnv(t)
	if r := e.do("GET", qpath(qid, "/scores"), "", nil); r.status != 409 {
		t.Fatalf("scores before resolution = %d; want 409", r.status)
	}
	if r := e.do("GET", "/api/v1/tournaments/us-2016/leaderboard", "", nil); r.status != 200 || string(r.raw) != `{"entries":[],"total":0,"offset":0,"next_cursor":null}` {
		t.Fatalf("leaderboard before resolution = %d %s", r.status, r.raw)
	}
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, nil)
	check := func(want map[string][5]float64) {
		t.Helper()
		var s struct{ Scores []scoreDTO }
		e.must(200, "GET", qpath(qid, "/scores"), "", nil, &s)
		if len(s.Scores) != len(want) {
			t.Fatalf("%d scores; want %d", len(s.Scores), len(want))
		}
		for _, sc := range s.Scores {
			w := want[sc.User.Username]
			if !near(sc.Brier, w[0]) || !near(sc.CrowdBrier, w[1]) || !near(sc.Relative, w[2]) ||
				sc.DaysForecast != int(w[3]) || sc.DaysTotal != int(w[4]) {
				t.Errorf("%s: %+v; want %v", sc.User.Username, sc, w)
			}
		}
	}
	check(map[string][5]float64{
		"george": {5.56 / 7, 4.02 / 7, 0.22, 7, 7},
		"kramer": {0.25, 3.04 / 6, -0.22, 6, 7},
	})
	var lb struct{ Entries []entryDTO }
	e.must(200, "GET", "/api/v1/tournaments/us-2016/leaderboard", "", nil, &lb)
	if len(lb.Entries) != 2 || lb.Entries[0].User.Username != "kramer" || lb.Entries[0].Rank != 1 || lb.Entries[1].Rank != 2 ||
		!near(lb.Entries[0].Relative, -0.22) || lb.Entries[0].Questions != 1 {
		t.Fatalf("leaderboard = %+v", lb.Entries)
	}

	// A correction changes the ranking on the very next request.
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 0, "resolved_at": "2016-11-05T06:00:00Z"}, nil)
	e.must(200, "GET", "/api/v1/tournaments/us-2016/leaderboard", "", nil, &lb)
	if lb.Entries[0].User.Username != "george" {
		t.Fatalf("after correcting to Clinton the leader is %s; want george", lb.Entries[0].User.Username)
	}
	// Back to Trump, resolved at 11-05 06:00: the scoring package's second example.
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-05T06:00:00Z"}, nil)
	check(map[string][5]float64{
		"george": {0.824, 0.638, 0.186, 5, 5},
		"kramer": {0.32, 0.5525, -0.186, 4, 5},
	})
	var days struct{ Days []dayDTO }
	var s struct{ Scores []scoreDTO }
	e.must(200, "GET", qpath(qid, "/scores"), "", nil, &s)
	e.must(200, "GET", qpath(qid, "/scores/"+itoa(s.Scores[0].User.ID)+"/days"), "", nil, &days)
	if len(days.Days) == 0 || days.Days[0].Date != "2016-11-01" {
		t.Fatalf("days = %+v", days.Days)
	}

	// Annulling removes the question from every score.
	e.must(200, "POST", qpath(qid, "/annul"), e.admin, map[string]string{"reason": "recount"}, nil)
	if r := e.do("GET", "/api/v1/tournaments/us-2016/leaderboard", "", nil); string(r.raw) != `{"entries":[],"total":0,"offset":0,"next_cursor":null}` {
		t.Fatalf("leaderboard after annulment = %s", r.raw)
	}
	if r := e.do("GET", qpath(qid, "/scores"), "", nil); r.status != 409 {
		t.Fatalf("scores of an annulled question = %d; want 409", r.status)
	}
}

func TestTeams(t *testing.T) {
	e, qid, george, kramer := electionEnv(t)
	path := "/api/v1/tournaments/us-2016/teams"
	var team teamDTO
	e.runScenarios(t, []scenario{
		{name: "no token", method: "POST", path: path, body: map[string]string{"name": "Seinfeld"}, status: 401, code: "unauthorized"},
		{name: "no name", method: "POST", path: path, token: george, body: map[string]string{"name": " "}, status: 400, code: "validation_failed", field: "name"},
		{name: "unknown tournament", method: "POST", path: "/api/v1/tournaments/nope/teams", token: george, body: map[string]string{"name": "x"}, status: 404, code: "not_found"},
		{name: "created", method: "POST", path: path, token: george, body: map[string]string{"name": "Seinfeld"}, status: 201, checkBody: func(t *testing.T, r response) {
			r.decode(t, &team)
			if team.Name != "Seinfeld" || team.InviteCode == "" || team.Members != 1 {
				t.Fatalf("team = %+v", team)
			}
		}},
		{name: "second team", method: "POST", path: path, token: george, body: map[string]string{"name": "Other"}, status: 409, code: "conflict"},
		{name: "name taken", method: "POST", path: path, token: kramer, body: map[string]string{"name": "Seinfeld"}, status: 409, code: "conflict"},
		{name: "no code", method: "POST", path: path + "/join", token: kramer, body: map[string]string{}, status: 400, code: "validation_failed", field: "invite_code"},
		{name: "bad code", method: "POST", path: path + "/join", token: kramer, body: map[string]string{"invite_code": "NOPE"}, status: 404, code: "not_found"},
	})
	var joined teamDTO
	e.must(200, "POST", path+"/join", kramer, map[string]string{"invite_code": team.InviteCode}, &joined)
	if joined.ID != team.ID || joined.Members != 2 {
		t.Fatalf("joined %+v", joined)
	}
	if r := e.do("POST", path+"/join", kramer, map[string]string{"invite_code": team.InviteCode}); r.status != 409 {
		t.Fatalf("joining twice = %d; want 409", r.status)
	}
	var me meResponse
	e.must(200, "GET", "/api/v1/me", kramer, nil, &me)
	if len(me.Teams) != 1 || me.Teams[0].Name != "Seinfeld" || me.Teams[0].Tournament != "us-2016" {
		t.Fatalf("me.teams = %+v", me.Teams)
	}
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, nil)
	var lb struct{ Entries []teamEntryDTO }
	e.must(200, "GET", "/api/v1/tournaments/us-2016/leaderboard?by=team", "", nil, &lb)
	if len(lb.Entries) != 1 || lb.Entries[0].Team.Name != "Seinfeld" || lb.Entries[0].Members != 2 || lb.Entries[0].Questions != 1 || lb.Entries[0].Rank != 1 {
		t.Fatalf("team leaderboard = %+v", lb.Entries)
	}
	if r := e.do("GET", "/api/v1/tournaments/us-2016/leaderboard?by=planet", "", nil); r.status != 400 {
		t.Fatalf("by=planet = %d; want 400", r.status)
	}
}

// TestLeaderboardCache: a warm read recomputes nothing; a resolution
// recomputes on the next read and rescores only the question that changed.
func TestLeaderboardCache(t *testing.T) {
	e, qid, george, _ := electionEnv(t)
	var q2 questionDTO
	e.must(201, "POST", "/api/v1/tournaments/us-2016/questions", e.admin, map[string]any{"slug": "senate", "kind": "binary",
		"title": map[string]string{"en": "Senate?"}, "criteria": map[string]string{"en": "c"},
		"opens_at": "2016-11-08T00:00:00Z", "closes_at": "2016-11-20T00:00:00Z"}, &q2)
	now := e.clock.now()
	e.clock.set(now.Add(-12 * time.Hour))
	e.must(201, "POST", qpath(q2.ID, "/forecasts"), george, map[string]any{"probability": 0.4}, nil)
	e.clock.set(now)
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, nil)
	bc := e.srv.scores
	get := func() string {
		return string(e.must(200, "GET", "/api/v1/tournaments/us-2016/leaderboard", "", nil, nil).raw)
	}
	first := get()
	builds, rescored := bc.Stats().Builds, bc.Stats().Rescored
	if builds != 1 || rescored != 1 {
		t.Fatalf("first read: %d builds, %d questions rescored; want 1 and 1", builds, rescored)
	}
	for range 3 {
		if get() != first {
			t.Fatal("warm reads differ")
		}
	}
	// A client holding the current version gets 304 and no body.
	req, _ := http.NewRequest("GET", e.base+"/api/v1/tournaments/us-2016/leaderboard", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	req.Header.Set("If-None-Match", etag)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if etag == "" || resp.StatusCode != http.StatusNotModified {
		t.Fatalf("If-None-Match %q = %d; want 304", etag, resp.StatusCode)
	}
	if bc.Stats().Builds != 1 || bc.Stats().Rescored != 1 {
		t.Fatalf("warm reads recomputed: %d builds, %d rescored", bc.Stats().Builds, bc.Stats().Rescored)
	}
	e.must(200, "POST", qpath(q2.ID, "/resolve"), e.admin, map[string]any{"outcome": 0}, nil)
	if get() == first {
		t.Fatal("the leaderboard did not change after a resolution")
	}
	if st := bc.Stats(); st.Builds != 2 || st.Rescored+st.Tallied != 2 {
		t.Fatalf("after resolving one more question: %d builds, %d rescored, %d from tallies; want 2 and 2 in all (only the new question)",
			st.Builds, st.Rescored, st.Tallied)
	}
}

func TestMyScoresAndCalibration(t *testing.T) {
	e, qid, george, _ := electionEnv(t)
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, nil)
	var ms struct{ Scores []myScoreDTO }
	e.must(200, "GET", "/api/v1/me/scores?tournament=us-2016", george, nil, &ms)
	if len(ms.Scores) != 1 || ms.Scores[0].Question.ID != qid || !near(ms.Scores[0].Relative, 0.22) {
		t.Fatalf("my scores = %+v", ms.Scores)
	}
	var cal struct{ Bins []binDTO }
	e.must(200, "GET", "/api/v1/me/calibration?tournament=us-2016", george, nil, &cal)
	total := 0
	for _, b := range cal.Bins {
		total += b.Count
	}
	// three forecasts over two options
	if len(cal.Bins) != 10 || total != 6 {
		t.Fatalf("calibration = %+v (total %d); want 10 bins holding 6 samples", cal.Bins, total)
	}
	if r := e.do("GET", "/api/v1/me/scores?tournament=nope", george, nil); r.status != 404 {
		t.Fatalf("unknown tournament = %d", r.status)
	}
}

// TestLeaderboardSeesOtherInstances: a change written by another instance
// (here: straight into the shared database) shows within the version
// cache's millisecond.
func TestLeaderboardSeesOtherInstances(t *testing.T) {
	e, qid, _, _ := electionEnv(t)
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, nil)
	var lb struct{ Entries []entryDTO }
	e.must(200, "GET", "/api/v1/tournaments/us-2016/leaderboard", "", nil, &lb)
	if lb.Entries[0].User.Username != "kramer" {
		t.Fatalf("leader %s; want kramer", lb.Entries[0].User.Username)
	}
	at := time.Date(2016, 11, 9, 5, 0, 0, 0, time.UTC)
	if _, err := e.st.ResolveQuestion(t.Context(), qid, store.Resolution{Outcome: 0, ResolvedAt: at}, 0); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	e.must(200, "GET", "/api/v1/tournaments/us-2016/leaderboard", "", nil, &lb)
	if lb.Entries[0].User.Username != "george" {
		t.Fatalf("after another instance's correction the leader is %s; want george", lb.Entries[0].User.Username)
	}
}
