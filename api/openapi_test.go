package api

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestOpenAPICoversRoutes fails when a registered route is missing from the
// served OpenAPI document.
func TestOpenAPICoversRoutes(t *testing.T) {
	e := newTestEnv(t)
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	e.must(200, "GET", "/api/openapi.json", "", nil, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Fatalf("openapi = %q", doc.OpenAPI)
	}
	checked := 0
	for _, r := range e.srv.App().GetRoutes(true) {
		if r.Method == "HEAD" || r.Method == "USE" || !(strings.HasPrefix(r.Path, "/api/") || r.Path == "/healthz") {
			continue
		}
		p := openAPIPath(r.Path)
		if _, ok := doc.Paths[p][strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s %s is not in the OpenAPI document", r.Method, r.Path)
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("only %d routes checked", checked)
	}
	raw, _ := json.Marshal(doc)
	for _, want := range []string{"/api/v1/questions/{id}/forecasts", "/api/v1/tournaments/{slug}/leaderboard"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("document lacks %s", want)
		}
	}
}
