package api

import (
	"strconv"
	"testing"
	"time"
)

// TestPasswordChangeOnlyFromSession: no API token, whatever its scope,
// changes the password (a leaked bot token must not take the account
// over); the signed-in session does.
func TestPasswordChangeOnlyFromSession(t *testing.T) {
	e := newTestEnv(t)
	tok, _ := e.register("quinn")
	var forecastTok, adminTok newTokenDTO
	e.must(201, "POST", "/api/v1/me/tokens", tok, map[string]any{"name": "bot", "scope": "forecast"}, &forecastTok)
	e.must(201, "POST", "/api/v1/me/tokens", e.admin, map[string]any{"name": "ops", "scope": "admin"}, &adminTok)
	for _, c := range []struct{ name, token, current string }{
		{"forecast-scope token", forecastTok.Token, "password-quinn"},
		{"admin-scope token", adminTok.Token, "admin-password"},
	} {
		r := e.do("POST", "/api/v1/me/password", c.token, map[string]string{"current_password": c.current, "new_password": "taken-over-1"})
		if code, _ := r.errorCode(); r.status != 403 || code != "forbidden" {
			t.Fatalf("password change with a %s = %d %s; want 403 forbidden", c.name, r.status, r.raw)
		}
	}
	e.must(204, "POST", "/api/v1/me/password", tok, map[string]string{"current_password": "password-quinn", "new_password": "new-password-1"}, nil)
}

// TestPasswordChangeLimited: guessing the current password with a stolen
// session is limited like a login: 429 with Retry-After after
// --login-rate wrong guesses, the owner's change going through later.
func TestPasswordChangeLimited(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.LoginRate = 10 })
	tok, _ := e.register("rhea")
	for i := range 10 {
		r := e.do("POST", "/api/v1/me/password", tok, map[string]string{"current_password": "guess-" + itoa(int64(i)), "new_password": "new-password-1"})
		if r.status != 400 {
			t.Fatalf("wrong current password %d = %d %s; want 400", i+1, r.status, r.raw)
		}
	}
	r := e.do("POST", "/api/v1/me/password", tok, map[string]string{"current_password": "guess-10", "new_password": "new-password-1"})
	if code, _ := r.errorCode(); r.status != 429 || code != "rate_limited" || r.header.Get("Retry-After") == "" {
		t.Fatalf("11th wrong current password = %d %s; want 429 rate_limited with Retry-After", r.status, r.raw)
	}
	wait, _ := strconv.Atoi(r.header.Get("Retry-After"))
	e.clock.set(e.clock.now().Add(time.Duration(wait) * time.Second))
	e.must(204, "POST", "/api/v1/me/password", tok, map[string]string{"current_password": "password-rhea", "new_password": "new-password-1"}, nil)
}
