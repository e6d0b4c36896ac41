package api

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestRegisterAndLogin(t *testing.T) {
	e := newTestEnv(t)
	e.register("taken")
	long := strings.Repeat("x", 73)
	e.runScenarios(t, []scenario{
		{name: "not JSON", method: "POST", path: "/api/v1/auth/register", body: "{nope", status: 400, code: "bad_request"},
		{name: "empty body", method: "POST", path: "/api/v1/auth/register", body: "", status: 400, code: "bad_request"},
		{name: "wrong type", method: "POST", path: "/api/v1/auth/register", body: `{"username": 5, "password": "password1"}`, status: 400, code: "bad_request", field: "username"},
		{name: "no username", method: "POST", path: "/api/v1/auth/register", body: map[string]string{"password": "password1"}, status: 400, code: "validation_failed", field: "username"},
		{name: "short username", method: "POST", path: "/api/v1/auth/register", body: map[string]string{"username": "ab", "password": "password1"}, status: 400, code: "validation_failed", field: "username"},
		{name: "bad characters", method: "POST", path: "/api/v1/auth/register", body: map[string]string{"username": "<script>", "password": "password1"}, status: 400, code: "validation_failed", field: "username"},
		{name: "short password", method: "POST", path: "/api/v1/auth/register", body: map[string]string{"username": "bob", "password": "short"}, status: 400, code: "validation_failed", field: "password"},
		{name: "73-byte password", method: "POST", path: "/api/v1/auth/register", body: map[string]string{"username": "bob", "password": long}, status: 400, code: "validation_failed", field: "password"},
		{name: "taken, other case", method: "POST", path: "/api/v1/auth/register", body: map[string]string{"username": "TAKEN", "password": "password1"}, status: 409, code: "conflict"},
		{name: "registered lower-case, never admin", method: "POST", path: "/api/v1/auth/register",
			body: map[string]any{"username": "Carol.B-1", "password": "password1", "display_name": "Carol <b>", "role": "admin"}, status: 201,
			checkBody: func(t *testing.T, r response) {
				var a authResponse
				r.decode(t, &a)
				if a.User.Username != "carol.b-1" || a.User.Role != "forecaster" || a.User.DisplayName != "Carol <b>" || a.Token == "" {
					t.Fatalf("registered %+v", a.User)
				}
				if strings.Contains(string(r.raw), "password") {
					t.Fatalf("response mentions a password: %s", r.raw)
				}
			}},
		{name: "login", method: "POST", path: "/api/v1/auth/login", body: map[string]string{"username": "Taken", "password": "password-taken"}, status: 200},
		{name: "wrong password", method: "POST", path: "/api/v1/auth/login", body: map[string]string{"username": "taken", "password": "password-wrong"}, status: 401, code: "unauthorized"},
		{name: "unknown user", method: "POST", path: "/api/v1/auth/login", body: map[string]string{"username": "nobody", "password": "password-x"}, status: 401, code: "unauthorized"},
		{name: "login without password", method: "POST", path: "/api/v1/auth/login", body: map[string]string{"username": "taken"}, status: 400, code: "validation_failed", field: "password"},
	})
}

func TestAuthTokens(t *testing.T) {
	e := newTestEnv(t)
	tok, id := e.register("dora")
	sign := func(method jwt.SigningMethod, key any, cl jwt.Claims) string {
		s, err := jwt.NewWithClaims(method, cl).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	claimsAt := func(exp time.Time) claims {
		return claims{Role: "forecaster", Username: "dora", RegisteredClaims: jwt.RegisteredClaims{
			Issuer: issuer, Subject: itoa(id), ExpiresAt: jwt.NewNumericDate(exp)}}
	}
	expired := sign(jwt.SigningMethodHS256, e.secret, claimsAt(testStart.Add(-time.Minute)))
	otherSecret := sign(jwt.SigningMethodHS256, []byte("another-secret-entirely"), claimsAt(testStart.Add(time.Hour)))
	noExpiry := sign(jwt.SigningMethodHS256, e.secret, claims{Role: "forecaster", RegisteredClaims: jwt.RegisteredClaims{Issuer: issuer, Subject: itoa(id)}})
	wrongIssuer := sign(jwt.SigningMethodHS256, e.secret, claims{Role: "forecaster", RegisteredClaims: jwt.RegisteredClaims{
		Issuer: "someone-else", Subject: itoa(id), ExpiresAt: jwt.NewNumericDate(testStart.Add(time.Hour))}})
	hs512 := sign(jwt.SigningMethodHS512, e.secret, claimsAt(testStart.Add(time.Hour)))
	none := sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claimsAt(testStart.Add(time.Hour)))
	// A token claiming admin, signed with "alg": "none".
	adminNone := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." +
		base64.RawURLEncoding.EncodeToString([]byte(`{"role":"admin","sub":"1","iss":"signpost","exp":4102444800}`)) + "."
	rows := []scenario{
		{name: "no token", method: "GET", path: "/api/v1/me", status: 401, code: "unauthorized"},
		{name: "malformed", method: "GET", path: "/api/v1/me", token: "not.a.token", status: 401, code: "unauthorized"},
		{name: "expired", method: "GET", path: "/api/v1/me", token: expired, status: 401, code: "unauthorized"},
		{name: "other secret", method: "GET", path: "/api/v1/me", token: otherSecret, status: 401, code: "unauthorized"},
		{name: "no expiry", method: "GET", path: "/api/v1/me", token: noExpiry, status: 401, code: "unauthorized"},
		{name: "wrong issuer", method: "GET", path: "/api/v1/me", token: wrongIssuer, status: 401, code: "unauthorized"},
		{name: "HS512", method: "GET", path: "/api/v1/me", token: hs512, status: 401, code: "unauthorized"},
		{name: "alg none", method: "GET", path: "/api/v1/me", token: none, status: 401, code: "unauthorized"},
		{name: "alg none admin", method: "POST", path: "/api/v1/tournaments", token: adminNone, body: map[string]string{}, status: 401, code: "unauthorized"},
		{name: "bad token on a public route", method: "GET", path: "/api/v1/tournaments", token: expired, status: 401, code: "unauthorized"},
		{name: "forecaster on admin route", method: "POST", path: "/api/v1/tournaments", token: tok,
			body: map[string]string{"slug": "x", "starts_at": "2027-01-01T00:00:00Z", "ends_at": "2027-02-01T00:00:00Z"}, status: 403, code: "forbidden"},
		{name: "forecaster exports", method: "GET", path: "/api/v1/tournaments/ai-scenarios-2027/export", token: tok, status: 403, code: "forbidden"},
		{name: "me", method: "GET", path: "/api/v1/me", token: tok, status: 200, checkBody: func(t *testing.T, r response) {
			var me meResponse
			r.decode(t, &me)
			if me.ID != id || me.Username != "dora" || me.Teams == nil {
				t.Fatalf("me = %+v", me)
			}
		}},
	}
	e.runScenarios(t, rows)
	// The token's expiry follows the injected clock.
	e.clock.set(testStart.Add(25 * time.Hour))
	if r := e.do("GET", "/api/v1/me", tok, nil); r.status != 401 {
		t.Fatalf("a 24 h token 25 h later = %d; want 401", r.status)
	}
}

func TestLoginRateLimit(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.LoginRate = 3 })
	e.register("erin")
	for i := range 3 {
		if r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "erin", "password": "wrong-password"}); r.status != 401 {
			t.Fatalf("attempt %d = %d; want 401", i+1, r.status)
		}
	}
	r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "erin", "password": "password-erin"})
	if code, _ := r.errorCode(); r.status != 429 || code != "rate_limited" || r.header.Get("Retry-After") == "" {
		t.Fatalf("4th attempt = %d %s, Retry-After %q; want 429 rate_limited with Retry-After", r.status, r.raw, r.header.Get("Retry-After"))
	}
	// Twenty seconds later one attempt (3 a minute) is allowed again.
	e.clock.set(testStart.Add(21 * time.Second))
	if r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "erin", "password": "password-erin"}); r.status != 200 {
		t.Fatalf("after waiting = %d; want 200", r.status)
	}
}

func TestBodyLimit(t *testing.T) {
	e := newTestEnv(t)
	// The client must see the 413 even while it is still writing: the
	// server reads and discards what overshoots (tooLarge). Before that, one
	// run in about a hundred lost the answer to a connection reset.
	for _, size := range []int{1 << 20, 3 << 20} {
		big := `{"username":"` + strings.Repeat("a", size) + `","password":"password1"}`
		for range 20 {
			r := e.do("POST", "/api/v1/auth/register", "", big)
			if code, _ := r.errorCode(); r.status != 413 || code != "too_large" {
				t.Fatalf("%d byte body = %d %.200s; want 413 too_large", len(big), r.status, r.raw)
			}
		}
	}
}
