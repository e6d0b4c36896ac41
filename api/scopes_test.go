package api

import (
	"testing"
)

// TestAdminPowersNeedAdminScope: an admin's read or forecast token acts as
// a forecaster would: it cannot hide another's comment, see a hidden
// profile, a team's invite code or another user's ledger. The admin's
// session and admin-scope token still can.
func TestAdminPowersNeedAdminScope(t *testing.T) {
	e, qid, george, kramer := electionEnv(t)
	var read, forecast, admin newTokenDTO
	e.must(201, "POST", "/api/v1/me/tokens", e.admin, map[string]any{"name": "r", "scope": "read"}, &read)
	e.must(201, "POST", "/api/v1/me/tokens", e.admin, map[string]any{"name": "f", "scope": "forecast"}, &forecast)
	e.must(201, "POST", "/api/v1/me/tokens", e.admin, map[string]any{"name": "a", "scope": "admin"}, &admin)

	var cm commentDTO
	e.must(201, "POST", qpath(qid, "/comments"), george, map[string]string{"body": "mine"}, &cm)
	var team teamDTO
	e.must(201, "POST", "/api/v1/tournaments/us-2016/teams", kramer, map[string]string{"name": "kramerica"}, &team)
	e.must(200, "PATCH", "/api/v1/me", george, map[string]any{"profile_public": false}, nil)
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, nil)

	teamPath := "/api/v1/tournaments/us-2016/teams/" + itoa(team.ID)
	profile := "/api/v1/users/george?tournament=us-2016"
	ledger := qpath(qid, "/ledger?user=george")
	hasInvite := func(want bool) func(t *testing.T, r response) {
		return func(t *testing.T, r response) {
			var d teamDetailDTO
			r.decode(t, &d)
			if (d.InviteCode != "") != want {
				t.Fatalf("invite code %q shown: %v; want %v", d.InviteCode, d.InviteCode != "", want)
			}
		}
	}
	e.runScenarios(t, []scenario{
		{name: "read token: hidden profile", method: "GET", path: profile, token: read.Token, status: 404, code: "not_found"},
		{name: "read token: invite code", method: "GET", path: teamPath, token: read.Token, status: 200, checkBody: hasInvite(false)},
		{name: "read token: another's ledger", method: "GET", path: ledger, token: read.Token, status: 403, code: "forbidden"},
		{name: "forecast token: another's ledger", method: "GET", path: ledger, token: forecast.Token, status: 403, code: "forbidden"},
		{name: "forecast token: hide a comment", method: "DELETE", path: "/api/v1/comments/" + itoa(cm.ID), token: forecast.Token,
			status: 403, code: "forbidden"},
		{name: "admin token: hidden profile", method: "GET", path: profile, token: admin.Token, status: 200},
		{name: "admin token: invite code", method: "GET", path: teamPath, token: admin.Token, status: 200, checkBody: hasInvite(true)},
		{name: "session: another's ledger", method: "GET", path: ledger, token: e.admin, status: 200},
		{name: "admin token: hide a comment", method: "DELETE", path: "/api/v1/comments/" + itoa(cm.ID), token: admin.Token, status: 204},
	})
}

// TestPasswordChangeRevokesAPITokens: a password change and a sign-out
// everywhere revoke the account's personal API tokens too, as the API
// descriptions and the README say: whoever knew the old password may
// have minted one.
func TestPasswordChangeRevokesAPITokens(t *testing.T) {
	e := newTestEnv(t)
	for _, step := range []struct {
		name, user, path string
		body             any
	}{
		{"password change", "zed", "/api/v1/me/password", map[string]string{"current_password": "password-zed", "new_password": "password-new"}},
		{"sign-out everywhere", "yan", "/api/v1/me/sign-out-everywhere", nil},
	} {
		t.Run(step.name, func(t *testing.T) {
			session, _ := e.register(step.user)
			var tok newTokenDTO
			e.must(201, "POST", "/api/v1/me/tokens", session, map[string]any{"name": "bot", "scope": "forecast"}, &tok)
			e.must(200, "GET", "/api/v1/me", tok.Token, nil, nil)
			e.must(204, "POST", step.path, session, step.body, nil)
			if r := e.do("GET", "/api/v1/me", tok.Token, nil); r.status != 401 {
				t.Fatalf("API token after %s = %d %s; want 401", step.name, r.status, r.raw)
			}
		})
	}
}
