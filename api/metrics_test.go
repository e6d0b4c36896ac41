package api

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// scrape reads /metrics with token (none when "").
func (e *testEnv) scrape(token string) (int, string) {
	e.t.Helper()
	r := e.do("GET", "/metrics", token, nil)
	return r.status, string(r.raw)
}

// sample returns the value of one sample line (name with labels, exactly).
func sample(t *testing.T, body, series string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(body)
	if m == nil {
		return 0
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMetrics(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.Metrics = MetricsConfig{Enabled: true, Token: "scrape-me"} })
	if status, _ := e.scrape(""); status != 401 {
		t.Fatalf("/metrics without the token = %d; want 401", status)
	}
	if status, _ := e.scrape("wrong"); status != 401 {
		t.Fatalf("/metrics with a wrong token = %d; want 401", status)
	}
	tok, _ := e.register("metric")
	bin := e.questionIDs()["a-huawei-ascend-960-launch"]
	e.must(201, "POST", qpath(bin, "/forecasts"), tok, map[string]any{"probability": 0.4}, nil)
	status, before := e.scrape("scrape-me")
	if status != 200 {
		t.Fatalf("/metrics = %d", status)
	}
	for _, name := range []string{"signpost_http_request_duration_seconds_bucket", "signpost_score_recompute_seconds",
		"go_goroutines", "process_cpu_seconds_total"} {
		if !strings.Contains(before, name) {
			t.Fatalf("metrics lack %s", name)
		}
	}
	posts := `signpost_http_requests_total{method="POST",route="/api/v1/questions/:id/forecasts",status="201"}`
	accepted := "signpost_forecasts_accepted_total"
	if sample(t, before, posts) != 1 || sample(t, before, accepted) != 1 {
		t.Fatalf("after one forecast: %s = %v, %s = %v; want 1 and 1", posts, sample(t, before, posts), accepted, sample(t, before, accepted))
	}
	if strings.Contains(before, "/questions/"+itoa(bin)) {
		t.Fatal("a raw path is a label; want route templates only")
	}
	e.must(201, "POST", qpath(bin, "/forecasts"), tok, map[string]any{"probability": 0.5}, nil)
	e.do("POST", qpath(bin, "/forecasts"), tok, map[string]any{"probability": 5})
	_, after := e.scrape("scrape-me")
	bad := `signpost_http_requests_total{method="POST",route="/api/v1/questions/:id/forecasts",status="400"}`
	if sample(t, after, posts) != 2 || sample(t, after, accepted) != 2 || sample(t, after, bad) != 1 {
		t.Fatalf("after two more: %v accepted, %v 201s, %v 400s; want 2, 2, 1", sample(t, after, accepted), sample(t, after, posts), sample(t, after, bad))
	}
}

func TestMetricsOffByDefault(t *testing.T) {
	e := newTestEnv(t)
	if status, body := e.scrape(""); status != 404 || strings.Contains(body, "signpost_") {
		t.Fatalf("/metrics when off = %d %q; want 404", status, body[:min(len(body), 80)])
	}
}

// BenchmarkMetricsRecord is the work metrics add to a request (the forecast
// POST's labels): compare with the POST's cost in signpost-bench.
func BenchmarkMetricsRecord(b *testing.B) {
	m := newMetrics(MetricsConfig{Enabled: true})
	for b.Loop() {
		m.record(forecastRoute, "POST", 201, 3*time.Millisecond)
	}
}
