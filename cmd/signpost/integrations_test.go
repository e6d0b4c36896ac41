package main

import (
	"io"
	"net/http"
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
