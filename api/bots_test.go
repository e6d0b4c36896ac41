package api

import "testing"

func TestBotsAndLeaderboardParticipants(t *testing.T) {
	e, qid, george, kramer := electionEnv(t)
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, nil)
	board := func(query string) []entryDTO {
		t.Helper()
		var b struct{ Entries []entryDTO }
		e.must(200, "GET", "/api/v1/tournaments/us-2016/leaderboard"+query, "", nil, &b)
		return b.Entries
	}
	if all := board(""); len(all) != 2 || all[0].User.Bot || all[1].User.Bot {
		t.Fatalf("before: %+v; want two humans", all)
	}
	e.runScenarios(t, []scenario{
		{name: "forecaster", method: "POST", path: "/api/v1/admin/users/kramer/bot", token: george, body: map[string]any{"bot": true}, status: 403, code: "forbidden"},
		{name: "unknown user", method: "POST", path: "/api/v1/admin/users/nobody/bot", token: e.admin, body: map[string]any{"bot": true}, status: 404, code: "not_found"},
		{name: "no flag", method: "POST", path: "/api/v1/admin/users/kramer/bot", token: e.admin, body: map[string]any{}, status: 400, code: "validation_failed", field: "bot"},
		{name: "bad filter", method: "GET", path: "/api/v1/tournaments/us-2016/leaderboard?participants=robots", status: 400, code: "validation_failed", field: "participants"},
	})
	var u userDTO
	e.must(200, "POST", "/api/v1/admin/users/KRAMER/bot", e.admin, map[string]any{"bot": true}, &u)
	if u.Username != "kramer" || !u.Bot {
		t.Fatalf("answer = %+v; want kramer as a bot", u)
	}
	e.must(200, "GET", "/api/v1/me", kramer, nil, &u)
	if !u.Bot {
		t.Fatalf("/me = %+v; want bot true", u)
	}
	all, humans, bots := board("?participants=all"), board("?participants=humans"), board("?participants=bots")
	if len(all) != 2 || len(humans) != 1 || len(bots) != 1 {
		t.Fatalf("all %d, humans %d, bots %d; want 2, 1, 1", len(all), len(humans), len(bots))
	}
	if humans[0].User.Username != "george" || humans[0].Rank != 1 || humans[0].User.Bot {
		t.Fatalf("humans = %+v", humans)
	}
	if bots[0].User.Username != "kramer" || bots[0].Rank != 1 || !bots[0].User.Bot {
		t.Fatalf("bots = %+v", bots)
	}
	for _, a := range all {
		if a.User.Username == "kramer" && (!a.User.Bot || a.Brier != bots[0].Brier) {
			t.Fatalf("kramer in all = %+v; want the bot badge and the same Brier %v", a, bots[0].Brier)
		}
	}
	e.must(200, "POST", "/api/v1/admin/users/kramer/bot", e.admin, map[string]any{"bot": false}, nil)
	if bots := board("?participants=bots"); len(bots) != 0 {
		t.Fatalf("bots after unmarking = %+v; want none", bots)
	}
}
