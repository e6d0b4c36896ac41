package api

import (
	"strings"
	"testing"
	"time"
)

func TestAPITokenLifecycle(t *testing.T) {
	e := newTestEnv(t)
	session, _ := e.register("robo")
	ids := e.questionIDs()
	bin := ids["a-huawei-ascend-960-launch"]
	forecast := map[string]any{"probability": 0.7}

	var created newTokenDTO
	e.must(201, "POST", "/api/v1/me/tokens", session, map[string]any{"name": "my bot", "scope": "forecast"}, &created)
	if !strings.HasPrefix(created.Token, "spt_") || len(created.Token) < 40 || created.Scope != "forecast" || created.ExpiresAt != nil {
		t.Fatalf("created = %+v; want an spt_ secret, scope forecast, no expiry", created)
	}
	var f forecastDTO
	e.must(201, "POST", qpath(bin, "/forecasts"), created.Token, forecast, &f)
	var me userDTO
	e.must(200, "GET", "/api/v1/me", created.Token, nil, &me)
	if me.Username != "robo" || f.UserID != me.ID {
		t.Fatalf("token acts as %+v (forecast by %d); want robo", me, f.UserID)
	}

	r := e.must(200, "GET", "/api/v1/me/tokens", session, nil, nil)
	if strings.Contains(string(r.raw), created.Token) || strings.Contains(string(r.raw), `"token"`) {
		t.Fatalf("listing shows the secret: %s", r.raw)
	}
	var list tokenListDTO
	r.decode(t, &list)
	if len(list.Tokens) != 1 || list.Tokens[0].ID != created.ID || list.Tokens[0].Name != "my bot" {
		t.Fatalf("tokens = %+v", list.Tokens)
	}
	stored, err := e.st.ListAPITokens(t.Context(), me.ID)
	if err != nil || len(stored) != 1 || stored[0].Hash != hashToken(created.Token) || strings.Contains(stored[0].Hash, created.Token[4:]) {
		t.Fatalf("stored = %+v, %v; want only the SHA-256", stored, err)
	}

	var read newTokenDTO
	e.must(201, "POST", "/api/v1/me/tokens", session, map[string]any{"name": "reader", "scope": "read",
		"expires_at": testStart.Add(48 * time.Hour).Format(time.RFC3339)}, &read)
	e.must(200, "GET", qpath(bin, "/forecasts/mine"), read.Token, nil, nil)
	otherTok, _ := e.register("other")

	e.runScenarios(t, []scenario{
		{name: "read scope cannot forecast", method: "POST", path: qpath(bin, "/forecasts"), token: read.Token, body: forecast, status: 403, code: "forbidden"},
		{name: "forecaster cannot mint admin", method: "POST", path: "/api/v1/me/tokens", token: session, body: map[string]any{"name": "x", "scope": "admin"}, status: 403, code: "forbidden"},
		{name: "unknown scope", method: "POST", path: "/api/v1/me/tokens", token: session, body: map[string]any{"name": "x", "scope": "all"}, status: 400, code: "validation_failed", field: "scope"},
		{name: "no name", method: "POST", path: "/api/v1/me/tokens", token: session, body: map[string]any{"scope": "read"}, status: 400, code: "validation_failed", field: "name"},
		{name: "expiry in the past", method: "POST", path: "/api/v1/me/tokens", token: session, body: map[string]any{"name": "x", "scope": "read", "expires_at": "2020-01-01T00:00:00Z"}, status: 400, code: "validation_failed", field: "expires_at"},
		{name: "a token cannot mint tokens", method: "POST", path: "/api/v1/me/tokens", token: created.Token, body: map[string]any{"name": "x", "scope": "forecast"}, status: 403, code: "forbidden"},
		{name: "no one else revokes it", method: "DELETE", path: "/api/v1/me/tokens/" + itoa(created.ID), token: otherTok, status: 404, code: "not_found"},
		{name: "made-up token", method: "GET", path: "/api/v1/me", token: "spt_madeup", status: 401, code: "unauthorized"},
		{name: "forecast token on admin route", method: "GET", path: "/api/v1/tournaments/ai-scenarios-2027/audit", token: created.Token, status: 403, code: "forbidden"},
	})

	e.must(204, "DELETE", "/api/v1/me/tokens/"+itoa(created.ID), session, nil, nil)
	if r := e.do("POST", qpath(bin, "/forecasts"), created.Token, forecast); r.status != 401 {
		t.Fatalf("revoked token = %d %s; want 401", r.status, r.raw)
	}
	e.clock.set(testStart.Add(48 * time.Hour))
	if r := e.do("GET", "/api/v1/me", read.Token, nil); r.status != 401 {
		t.Fatalf("expired token = %d %s; want 401", r.status, r.raw)
	}
}

func TestAdminToken(t *testing.T) {
	e := newTestEnv(t)
	var adm newTokenDTO
	e.must(201, "POST", "/api/v1/me/tokens", e.admin, map[string]any{"name": "ops", "scope": "admin"}, &adm)
	e.must(200, "GET", "/api/v1/tournaments/ai-scenarios-2027/audit", adm.Token, nil, nil)
	var fc newTokenDTO
	e.must(201, "POST", "/api/v1/me/tokens", e.admin, map[string]any{"name": "forecasting", "scope": "forecast"}, &fc)
	if r := e.do("GET", "/api/v1/tournaments/ai-scenarios-2027/audit", fc.Token, nil); r.status != 403 {
		t.Fatalf("an admin's forecast token on an admin route = %d; want 403", r.status)
	}
}
