package api

import "testing"

// TestPrivateCSVAndWebhooksNotStored: the CSV export, a ledger as CSV and
// the webhook list carry private data: no cache may keep them.
func TestPrivateCSVAndWebhooksNotStored(t *testing.T) {
	e, qid, george, _ := electionEnv(t)
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, nil)
	for _, c := range []struct{ path, token string }{
		{"/api/v1/tournaments/us-2016/export.csv?table=forecasts", e.admin},
		{"/api/v1/tournaments/us-2016/export.csv?table=leaderboard", ""},
		{qpath(qid, "/ledger?format=csv"), george},
		{qpath(qid, "/ledger"), george},
		{"/api/v1/tournaments/us-2016/webhooks", e.admin},
	} {
		r := e.must(200, "GET", c.path, c.token, nil, nil)
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("GET %s: Cache-Control %q; want no-store", c.path, cc)
		}
	}
}
