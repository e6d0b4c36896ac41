package main

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestServeMetricsFromEnvironment(t *testing.T) {
	base := startTestServer(t, map[string]string{"SIGNPOST_METRICS": "true", "SIGNPOST_METRICS_TOKEN": "a-long-scrape-token"})
	get := func(token string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+"/metrics", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, _ := get(""); status != 401 {
		t.Fatalf("/metrics without the token = %d; want 401", status)
	}
	status, body := get("a-long-scrape-token")
	if status != 200 || !strings.Contains(body, "signpost_http_requests_total") || !strings.Contains(body, "process_cpu_seconds_total") {
		t.Fatalf("/metrics = %d %.200s", status, body)
	}
}

func TestIntegrationConfig(t *testing.T) {
	env := func(kv map[string]string) env { return func(k string) string { return kv[k] } }
	c, err := parseServeConfig(nil, env(map[string]string{"SIGNPOST_WEBHOOK_RETRY_BASE": "2m",
		"SIGNPOST_WEBHOOK_ALLOW_PRIVATE": "true", "SIGNPOST_PUBLIC_URL": "https://s.example.org"}), io.Discard)
	if err != nil || c.Integrations.Webhooks.RetryBase.Minutes() != 2 || !c.Integrations.Webhooks.AllowPrivate ||
		c.Integrations.Webhooks.CrowdPoints != 10 || c.Integrations.Metrics.Enabled {
		t.Fatalf("config = %+v, %v", c.Integrations, err)
	}
	for _, bad := range []map[string]string{
		{"SIGNPOST_WEBHOOK_RETRY_BASE": "soon"},
		{"SIGNPOST_WEBHOOK_RETRY_BASE": "-1s"},
		{"SIGNPOST_WEBHOOK_ALLOW_PRIVATE": "maybe"},
		{"SIGNPOST_METRICS_TOKEN": "short"},
		{"SIGNPOST_PUBLIC_URL": "signpost.example.org"},
		{"SIGNPOST_WEBHOOK_CROWD_POINTS": "0"},
	} {
		if _, err := parseServeConfig(nil, env(bad), io.Discard); err == nil {
			t.Errorf("%v accepted; want an error", bad)
		}
	}
}

func TestOpenAPICommandListsIntegrations(t *testing.T) {
	var out strings.Builder
	if err := run(t.Context(), []string{"openapi"}, func(string) string { return "" }, strings.NewReader(""), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{`"/api/v1/me/tokens"`, `"/api/v1/tournaments/{slug}/webhooks/{id}/deliveries"`,
		`"/api/v1/tournaments/{slug}/export.csv"`, `"/metrics"`, `"/api/v1/admin/users/{username}/bot"`} {
		if !strings.Contains(out.String(), p) {
			t.Errorf("signpost openapi lacks %s", p)
		}
	}
}

// readmeBlock returns the README's first fenced block of lang.
func readmeBlock(t *testing.T, lang string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(raw), "```"+lang+"\n")
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatalf("README has no %s block", lang)
	}
	return block
}

// TestReadmeBot runs the README's Python bot against a real server with a
// real API token.
func TestReadmeBot(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is not installed: the README's bot example cannot be checked")
		}
		t.Skip("python3 not installed: the README's bot example is not checked")
	}
	script := filepath.Join(t.TempDir(), "bot.py")
	if err := os.WriteFile(script, []byte(readmeBlock(t, "python")), 0o600); err != nil {
		t.Fatal(err)
	}
	base := startTestServer(t, nil)
	var auth, tok struct{ Token string }
	if code := apiJSON(t, base, "POST", "/auth/register", "", map[string]string{"username": "pybot", "password": "pybot-password"}, &auth); code != 201 {
		t.Fatalf("register = %d", code)
	}
	if code := apiJSON(t, base, "POST", "/me/tokens", auth.Token, map[string]string{"name": "readme bot", "scope": "forecast"}, &tok); code != 201 {
		t.Fatalf("create token = %d", code)
	}
	cmd := exec.Command(py, script)
	cmd.Env = append(os.Environ(), "SIGNPOST_URL="+base, "SIGNPOST_TOKEN="+tok.Token)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the README bot failed: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) == 0 || !strings.HasSuffix(lines[0], "[0.5, 0.5]") {
		t.Fatalf("bot output %q; want one forecast [0.5, 0.5] per open binary question", out)
	}
}
