package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"signpost/api/scoreboard"
)

// setupIntegrations prepares the metrics; the webhook worker is built by
// the composition root (package webhook), reading WebhookSources.
func (s *Server) setupIntegrations() {
	s.metrics = newMetrics(s.cfg.Metrics)
	if s.scores != nil {
		s.scores.OnBuild(s.metrics.observeRecompute)
	}
}

// integrationRoutes are the operations of API tokens, bots, webhooks and CSV.
func (s *Server) integrationRoutes() []operation {
	return []operation{
		post("/me/tokens", "createToken", "Create a personal API token (its secret is shown once)", s.createAPIToken).
			user().created().errors(403).
			describe("Only from a signed-in session, not with an API token. The admin scope is for admins only (403)."),
		get("/me/tokens", "listTokens", "My personal API tokens, without their secrets", s.listAPITokens).user(),
		action(fiber.MethodDelete, "/me/tokens/:id", "deleteToken", "Revoke a personal API token at once", s.deleteAPIToken).
			user().errors(403),
		post("/admin/users/:username/bot", "setBot", "Mark or unmark an account as a bot", s.setBot).admin(),
		get("/tournaments/:slug/webhooks", "listWebhooks", "The tournament's webhooks (secrets are write-only)", s.listWebhooks).
			admin(),
		post("/tournaments/:slug/webhooks", "createWebhook", "Register a webhook", s.createWebhook).admin().created().
			describe(webhookDoc),
		action(fiber.MethodDelete, "/tournaments/:slug/webhooks/:id", "deleteWebhook", "Delete a webhook and its deliveries",
			s.deleteWebhook).admin(),
		get("/tournaments/:slug/webhooks/:id/deliveries", "listDeliveries", "A webhook's latest 100 deliveries, newest first",
			s.listDeliveries).admin(),
		action(fiber.MethodPost, "/tournaments/:slug/webhooks/:id/test", "testWebhook", "Send a test delivery to a webhook",
			s.testWebhook).admin().
			describe("Queues a delivery of the event `webhook.test` (the tournament's name and a line saying the webhook works, " +
				"in the webhook's format) to this webhook only. The background worker sends it like any other delivery; " +
				"its state and any error show in listDeliveries."),
		customOp[csvDTO](fiber.MethodGet, "/tournaments/:slug/export.csv", "exportCSV",
			"A table of the tournament as CSV for spreadsheets", "text/csv", s.exportCSV).
			withQuery("table", "string", "which table", "forecasts", "scores", "leaderboard", "aggregates").
			withQuery("participants", "string", "leaderboard table: all (default), humans or bots", scoreboard.Participants...).
			errors(403).describe(csvDoc()),
	}
}

const webhookDoc = "Events are posted by a background worker, retried with exponential backoff for 24 hours. " +
	"Formats: json (`{event, occurred_at, tournament, question?, leaderboard?}` with " +
	"`X-Signpost-Signature: sha256=<hex HMAC-SHA256 of the raw body>` when a secret is set), slack (`{text}`), " +
	"feishu (`{msg_type: text, content: {text}}`, with timestamp and sign when a secret is set) and dingtalk " +
	"(`{msgtype: text, text: {content}}`, with a signed URL when a secret is set)."

// csvDTO documents the CSV answer.
type csvDTO string

func (csvDTO) openAPISchema(*schemas) map[string]any {
	return map[string]any{"type": "string", "description": "UTF-8 with a byte-order mark; a header row, then one row per record"}
}

func csvDoc() string {
	var b strings.Builder
	b.WriteString("UTF-8 CSV with a BOM; numbers with full float64 precision. The forecasts table is for admins only. Columns: ")
	for _, t := range []string{"leaderboard", "scores", "forecasts", "aggregates"} {
		b.WriteString(t + ": " + strings.Join(csvColumns[t], ", "))
		if t == "forecasts" {
			b.WriteString(", option_1 ... option_K (the probability of each option; K is the most options of any question)")
		}
		b.WriteString("; ")
	}
	return strings.TrimSuffix(b.String(), "; ") + "."
}

// metricsText documents the /metrics answer.
type metricsText string

func (metricsText) openAPISchema(*schemas) map[string]any {
	return map[string]any{"type": "string", "description": "Prometheus text exposition format"}
}

// metricsRoute is the /metrics operation; it answers 404 while metrics
// are off.
func (s *Server) metricsRoute() operation {
	return customOp[metricsText](fiber.MethodGet, "/metrics", "metrics", "Prometheus metrics (when SIGNPOST_METRICS=true)",
		"text/plain", s.serveMetrics).tagged("system").errors(401, 404).
		describe("Bearer SIGNPOST_METRICS_TOKEN when one is set.")
}
