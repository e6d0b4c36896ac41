package api

import (
	"context"
	"testing"

	"signpost/store"
)

// secondAdmin makes another admin and returns their token.
func (e *testEnv) secondAdmin(name string) string {
	e.t.Helper()
	u, err := store.NewAccount(name, "admin-password", "", store.RoleAdmin, 4)
	if err != nil {
		e.t.Fatal(err)
	}
	if u, err = e.st.CreateUser(context.Background(), u); err != nil {
		e.t.Fatal(err)
	}
	return e.token(u)
}

// TestAdminUserChanges: a demoted admin loses admin
// rights at once, a disabled user can neither use a token nor sign in, the
// last active admin cannot be demoted or disabled, every change audited.
func TestAdminUserChanges(t *testing.T) {
	e := newTestEnv(t)
	other := e.secondAdmin("other")
	tok, _ := e.register("frank")
	var u adminUserDTO
	e.must(200, "POST", "/api/v1/admin/users/admin", other, map[string]any{"role": "forecaster"}, &u)
	if u.Role != store.RoleForecaster || u.Username != "admin" {
		t.Fatalf("demoted = %+v", u)
	}
	e.runScenarios(t, []scenario{
		{name: "demoted admin's old token", method: "POST", path: "/api/v1/tournaments", token: e.admin,
			body: map[string]any{"slug": "x"}, status: 403, code: "forbidden"},
		{name: "last admin cannot demote themself", method: "POST", path: "/api/v1/admin/users/other", token: other,
			body: map[string]any{"role": "forecaster"}, status: 409, code: "conflict"},
		{name: "last admin cannot disable themself", method: "POST", path: "/api/v1/admin/users/other", token: other,
			body: map[string]any{"disabled": true}, status: 409, code: "conflict"},
		{name: "bad role", method: "POST", path: "/api/v1/admin/users/frank", token: other,
			body: map[string]any{"role": "root"}, status: 400, code: "validation_failed", field: "role"},
		{name: "no such user", method: "POST", path: "/api/v1/admin/users/nobody", token: other,
			body: map[string]any{"disabled": true}, status: 404, code: "not_found"},
		{name: "forecaster may not", method: "POST", path: "/api/v1/admin/users/frank", token: tok,
			body: map[string]any{"disabled": true}, status: 403, code: "forbidden"},
		{name: "disable frank", method: "POST", path: "/api/v1/admin/users/frank", token: other,
			body: map[string]any{"disabled": true}, status: 200},
		{name: "disabled user's token", method: "GET", path: "/api/v1/me", token: tok, status: 401, code: "unauthorized"},
		{name: "disabled user's login", method: "POST", path: "/api/v1/auth/login",
			body: map[string]string{"username": "frank", "password": "password-frank"}, status: 403, code: "forbidden"},
	})
	entries, err := e.st.AccountAudit(context.Background(), 10)
	if err != nil || len(entries) != 2 || entries[0].Action != store.AuditUserUpdate || entries[0].ActorUsername != "other" {
		t.Fatalf("account audit = %+v, %v; want 2 user_update entries by other", entries, err)
	}
}

// TestPasswordChangeRevokesTokens (item 2): a password change needs the
// current password, answers 204 and revokes every older token.
func TestPasswordChangeRevokesTokens(t *testing.T) {
	e := newTestEnv(t)
	tok, _ := e.register("gina")
	e.runScenarios(t, []scenario{
		{name: "wrong current password", method: "POST", path: "/api/v1/me/password", token: tok,
			body:   map[string]string{"current_password": "nope-nope", "new_password": "new-password-1"},
			status: 400, code: "validation_failed", field: "current_password"},
		{name: "short new password", method: "POST", path: "/api/v1/me/password", token: tok,
			body:   map[string]string{"current_password": "password-gina", "new_password": "short"},
			status: 400, code: "validation_failed", field: "new_password"},
		{name: "change", method: "POST", path: "/api/v1/me/password", token: tok,
			body: map[string]string{"current_password": "password-gina", "new_password": "new-password-1"}, status: 204},
		{name: "old token revoked", method: "GET", path: "/api/v1/me", token: tok, status: 401, code: "unauthorized"},
		{name: "old password refused", method: "POST", path: "/api/v1/auth/login",
			body: map[string]string{"username": "gina", "password": "password-gina"}, status: 401},
		{name: "new password works", method: "POST", path: "/api/v1/auth/login",
			body: map[string]string{"username": "gina", "password": "new-password-1"}, status: 200},
	})
	entries, _ := e.st.AccountAudit(context.Background(), 10)
	if len(entries) != 1 || entries[0].Action != store.AuditPasswordChange || entries[0].ActorUsername != "gina" {
		t.Fatalf("account audit = %+v; want gina's password_change", entries)
	}
}

// TestSignOutEverywhere (item 2): every token issued before stops working;
// a later sign-in works.
func TestSignOutEverywhere(t *testing.T) {
	e := newTestEnv(t)
	tok, _ := e.register("hank")
	var second authResponse
	e.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "hank", "password": "password-hank"}, &second)
	e.must(200, "GET", "/api/v1/me", tok, nil, nil)
	e.must(204, "POST", "/api/v1/me/sign-out-everywhere", tok, nil, nil)
	for _, old := range []string{tok, second.Token} {
		if r := e.do("GET", "/api/v1/me", old, nil); r.status != 401 {
			t.Fatalf("token issued before sign-out everywhere = %d; want 401", r.status)
		}
	}
	var third authResponse
	e.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "hank", "password": "password-hank"}, &third)
	e.must(200, "GET", "/api/v1/me", third.Token, nil, nil)
	entries, _ := e.st.AccountAudit(context.Background(), 10)
	if len(entries) != 1 || entries[0].Action != store.AuditSignOutEverywhere {
		t.Fatalf("account audit = %+v; want sign_out_everywhere", entries)
	}
}

// TestAPITokensFollowTheAccount: a personal API token stops working when
// its user is disabled (sign-out everywhere revokes it too: see
// TestPasswordChangeRevokesAPITokens).
func TestAPITokensFollowTheAccount(t *testing.T) {
	e := newTestEnv(t)
	tok, _ := e.register("ivy")
	var pat newTokenDTO
	e.must(201, "POST", "/api/v1/me/tokens", tok, map[string]any{"name": "bot", "scope": "forecast"}, &pat)
	e.must(200, "GET", "/api/v1/me", pat.Token, nil, nil)
	e.must(200, "POST", "/api/v1/admin/users/ivy", e.secondAdmin("keeper"), map[string]any{"disabled": true}, nil)
	if r := e.do("GET", "/api/v1/me", pat.Token, nil); r.status != 401 {
		t.Fatalf("API token of a disabled user = %d; want 401", r.status)
	}
}
