package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestUIReferencePages drives the rules page and the API reference in a real
// Chromium: the footer links them, the rules carry their worked examples in
// both languages, and the API reference renders the served OpenAPI document
// with parameters, request bodies, responses and resolved schemas.
func TestUIReferencePages(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	findChromium(t)
	base := startTestServer(t, nil)
	b := newBrowser(t, base)
	b.do("open home", chromedp.Navigate(base+"/"))
	b.waitReady("/")

	// The footer leads to the API reference.
	b.click("#footer-api")
	b.waitReady("/api")
	op := b.text("#op-createForecast")
	for _, want := range []string{"POST", "/api/v1/questions/{id}/forecasts", "createForecast",
		"Sign-in required", "integer (int64)", "ForecastRequest", "201", "409", "ErrorBody"} {
		if !strings.Contains(op, want) {
			t.Errorf("createForecast section lacks %q:\n%s", want, op)
		}
	}
	// The request body's $ref is resolved into its fields.
	fields := b.eval(`[...document.querySelectorAll('#op-createForecast details.api-schema code')].map(e => e.textContent).join(' ')`)
	for _, want := range []string{"probabilities", "probability", "rationale"} {
		if !strings.Contains(fields, want) {
			t.Errorf("ForecastRequest unfolds to %q; want field %q", fields, want)
		}
	}
	// A query parameter with its enum, and every component schema listed.
	if board := b.text("#op-getLeaderboard"); !strings.Contains(board, "by") || !strings.Contains(board, `"team"`) {
		t.Errorf("getLeaderboard section lacks the by=user|team parameter:\n%s", board)
	}
	if n := b.eval(`String(document.querySelectorAll('.api-schemas details.api-schema').length)`); n == "0" {
		t.Error("the API reference lists no component schemas")
	}
	if got := b.text("h1"); got != "API reference" {
		t.Errorf("API reference title = %q", got)
	}
	b.screenshotViewport("api-reference")

	// The rules page, with its worked examples, in both languages.
	b.route("#/rules")
	for _, want := range []string{"0.235", "0.27", "0.81", "+0.22", "−0.22", "0.186"} {
		if !strings.Contains(b.text("main"), want) {
			t.Errorf("rules page lacks the worked example figure %q", want)
		}
	}
	if rows := b.eval(`String(document.querySelectorAll('#rules-election tbody tr').length)`); rows != "7" {
		t.Errorf("election example has %s rows; want 7 days", rows)
	}
	b.do("scroll to the examples", chromedp.ScrollIntoView("#rules-brier"))
	b.screenshotViewport("rules")
	b.click("#lang-switch")
	b.waitReady("/rules")
	if got := b.text("h1"); got != "计分规则" {
		t.Errorf("rules title in Chinese = %q", got)
	}
	if zh := b.text("#rules-brier caption"); zh != "计算示例" {
		t.Errorf("rules example caption in Chinese = %q", zh)
	}
	if got := b.text("#footer-api"); got != "API 参考" {
		t.Errorf("footer link in Chinese = %q", got)
	}
	b.route("#/api")
	if got := b.text("h1"); got != "API 参考" {
		t.Errorf("API reference title in Chinese = %q", got)
	}
	b.click("#lang-switch")
	b.checkProblems()
}
