package api

import "signpost/store"

// setupIntegrations prepares tokens' companions: webhooks and metrics.
func (s *Server) setupIntegrations() {
	s.cfg.Webhooks.defaults()
	s.hooks = newWebhookWorker(s, s.cfg.Webhooks)
	s.metrics = newMetrics(s.cfg.Metrics)
	s.boards.onBuild = s.metrics.observeRecompute
	s.cfg.Store.SetEventOptions(store.EventOptions{Now: s.now, PublicURL: s.cfg.Webhooks.PublicURL})
}

// integrationRoutes are the endpoints of API tokens, bots, webhooks and CSV.
func (s *Server) integrationRoutes() []route {
	return []route{
		{"POST", "/me/tokens", "user", "Create a personal API token (its secret is shown once)", bodyOp(s.createAPIToken)},
		{"GET", "/me/tokens", "user", "My personal API tokens, without their secrets", op(s.listAPITokens)},
		{"DELETE", "/me/tokens/:id", "user", "Revoke a personal API token", op(s.deleteAPIToken)},
		{"POST", "/admin/users/:username/bot", "admin", "Mark or unmark an account as a bot", bodyOp(s.setBot)},
		{"GET", "/tournaments/:slug/webhooks", "admin", "The tournament's webhooks", op(s.listWebhooks)},
		{"POST", "/tournaments/:slug/webhooks", "admin", "Register a webhook", bodyOp(s.createWebhook)},
		{"DELETE", "/tournaments/:slug/webhooks/:id", "admin", "Delete a webhook", op(s.deleteWebhook)},
		{"GET", "/tournaments/:slug/webhooks/:id/deliveries", "admin", "A webhook's latest deliveries", op(s.listDeliveries)},
		{"GET", "/tournaments/:slug/export.csv", "", "A table of the tournament as CSV (forecasts: admins only)", s.exportCSV},
	}
}
