package api

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"text/template"
	"time"

	"signpost/api/feeds"
)

// dataSource serves the realistic documents of api/feeds/testdata (each a
// template of its real source's shape) with values that change over time.
type dataSource struct {
	*httptest.Server
	mu      sync.Mutex
	docs    map[string][]byte
	headers []http.Header
}

func newDataSource(t *testing.T) *dataSource {
	t.Helper()
	d := &dataSource{docs: map[string][]byte{}}
	d.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.mu.Lock()
		body, ok := d.docs[r.URL.Path]
		d.headers = append(d.headers, r.Header.Clone())
		d.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(body)
	}))
	t.Cleanup(d.Close)
	return d
}

// serve renders testdata document name with values at path.
func (d *dataSource) serve(t *testing.T, path, name string, values map[string]any) []byte {
	t.Helper()
	tpl := template.Must(template.ParseFiles("feeds/testdata/" + name))
	var b bytes.Buffer
	if err := tpl.Execute(&b, values); err != nil {
		t.Fatal(err)
	}
	d.mu.Lock()
	d.docs[path] = b.Bytes()
	d.mu.Unlock()
	return b.Bytes()
}

// feedEnv is a test server whose fetch-now goes through a fetcher on the
// test clock that may read loopback sources.
func feedEnv(t *testing.T) (*testEnv, *feeds.Worker) {
	t.Helper()
	e := newTestEnv(t, func(c *Config) { c.AllowPrivateFeeds, c.TokenTTL = true, 2*365*24*time.Hour })
	w := feeds.New(e.st, feeds.Config{AllowPrivate: true, Now: e.clock.now, HostGap: time.Millisecond})
	e.srv.cfg.FetchFeed = w.Fetch
	return e, w
}

func TestFeedValidationAndAuth(t *testing.T) {
	e := newTestEnv(t)
	ids := e.questionIDs()
	btos, bin := ids["c-census-btos-ai-use-rate"], ids["a-china-model-1e26-flop"]
	user, _ := e.register("ann")
	good := func(change func(map[string]any)) map[string]any {
		b := map[string]any{"url": "https://www.census.gov/btos.csv", "format": "csv", "column": "Estimate", "row": "last",
			"every": "6h", "rule": map[string]any{"bounds": []float64{20, 24, 28}}}
		if change != nil {
			change(b)
		}
		return b
	}
	put := qpath(btos, "/feed")
	e.runScenarios(t, []scenario{
		{name: "no token", method: "PUT", path: put, body: good(nil), status: 401, code: "unauthorized"},
		{name: "not admin", method: "PUT", path: put, token: user, body: good(nil), status: 403, code: "forbidden"},
		{name: "no url", method: "PUT", path: put, token: e.admin, body: good(func(b map[string]any) { delete(b, "url") }), status: 400, field: "url", code: "validation_failed"},
		{name: "loopback url", method: "PUT", path: put, token: e.admin, body: good(func(b map[string]any) { b["url"] = "http://127.0.0.1/x" }), status: 400, field: "url", code: "validation_failed"},
		{name: "bad format", method: "PUT", path: put, token: e.admin, body: good(func(b map[string]any) { b["format"] = "xml" }), status: 400, field: "format", code: "validation_failed"},
		{name: "csv without column", method: "PUT", path: put, token: e.admin, body: good(func(b map[string]any) { delete(b, "column") }), status: 400, field: "column", code: "validation_failed"},
		{name: "bad row", method: "PUT", path: put, token: e.admin, body: good(func(b map[string]any) { b["row"] = "middle" }), status: 400, field: "row", code: "validation_failed"},
		{name: "bad pointer", method: "PUT", path: put, token: e.admin, body: good(func(b map[string]any) {
			b["format"], b["pointer"] = "json", "data/x"
			delete(b, "column")
			delete(b, "row")
		}), status: 400, field: "pointer", code: "validation_failed"},
		{name: "every too short", method: "PUT", path: put, token: e.admin, body: good(func(b map[string]any) { b["every"] = "500ms" }), status: 400, field: "every", code: "validation_failed"},
		{name: "bad window", method: "PUT", path: put, token: e.admin, body: good(func(b map[string]any) { b["challenge_window"] = "soon" }), status: 400, field: "challenge_window", code: "validation_failed"},
		{name: "bounds miscounted", method: "PUT", path: put, token: e.admin, body: good(func(b map[string]any) { b["rule"] = map[string]any{"bounds": []float64{20}} }), status: 400, field: "rule", code: "validation_failed"},
		{name: "binary rule on ordered", method: "PUT", path: put, token: e.admin, body: good(func(b map[string]any) { b["rule"] = map[string]any{"op": ">=", "value": 1} }), status: 400, field: "rule", code: "validation_failed"},
		{name: "early yes on ordered", method: "PUT", path: put, token: e.admin, body: good(func(b map[string]any) { b["early_yes"] = true }), status: 400, field: "early_yes", code: "validation_failed"},
		{name: "bad header", method: "PUT", path: put, token: e.admin, body: good(func(b map[string]any) { b["headers"] = map[string]string{"X-A": "a\r\nb"} }), status: 400, field: "headers", code: "validation_failed"},
		{name: "binary op", method: "PUT", path: qpath(bin, "/feed"), token: e.admin, body: good(func(b map[string]any) { b["rule"] = map[string]any{"op": "==", "value": 1} }), status: 400, field: "rule", code: "validation_failed"},
		{name: "no feed yet", method: "GET", path: put, token: e.admin, status: 404, code: "not_found"},
		{name: "get not admin", method: "GET", path: put, token: user, status: 403, code: "forbidden"},
		{name: "valid", method: "PUT", path: put, token: e.admin, body: good(func(b map[string]any) {
			b["headers"] = map[string]string{"User-Agent": "Signpost admin@example.org", "X-Api-Key": "sekrit-key"}
		}), status: 200, checkBody: func(t *testing.T, r response) {
			var f feedDTO
			r.decode(t, &f)
			if strings.Contains(string(r.raw), "sekrit") || len(f.HeaderNames) != 2 || f.Every != "6h" || f.ChallengeWindow != "48h" || f.Enabled {
				t.Fatalf("PUT feed = %s; want header names only, every 6h, window 48h, disabled", r.raw)
			}
		}},
		{name: "fetch without fetcher", method: "POST", path: qpath(btos, "/feed/fetch"), token: e.admin, status: 409, code: "conflict"},
		{name: "delete", method: "DELETE", path: put, token: e.admin, status: 204},
		{name: "delete again", method: "DELETE", path: put, token: e.admin, status: 404, code: "not_found"},
	})
}

func TestFeedProposalChallengeRejectConfirm(t *testing.T) {
	e, _ := feedEnv(t)
	e.allowLoopbackHooks()
	src := newDataSource(t)
	rc := newReceiver(t)
	e.addWebhook("ai-scenarios-2027", rc.URL+"/hook", "json", "", "question.proposed")
	ids := e.questionIDs()
	qid := ids["c-census-btos-ai-use-rate"]
	user, _ := e.register("ann")
	src.serve(t, "/btos.csv", "census_btos.csv", map[string]any{"Rate": "19.8"})
	e.must(200, "PUT", qpath(qid, "/feed"), e.admin, map[string]any{"url": src.URL + "/btos.csv", "format": "csv",
		"column": "Estimate", "row": "last", "every": "6h", "rule": map[string]any{"bounds": []float64{20, 24, 28}},
		"headers": map[string]string{"X-Api-Key": "sekrit-key"}}, nil)

	var sn snapshotDTO
	e.must(200, "POST", qpath(qid, "/feed/fetch"), e.admin, nil, &sn)
	if sn.Status != "ok" || sn.Value == nil || *sn.Value != 19.8 || len(sn.SHA256) != 64 {
		t.Fatalf("fetch before the close = %+v; want 19.8 with a hash", sn)
	}
	if got := src.headers[len(src.headers)-1].Get("X-Api-Key"); got != "sekrit-key" {
		t.Fatalf("the source got X-Api-Key %q; want the stored header", got)
	}
	var q questionDTO
	e.must(200, "GET", qpath(qid, ""), "", nil, &q)
	if q.Proposal != nil {
		t.Fatalf("a proposal before the close: %+v", q.Proposal)
	}

	// After the close the figure moves; the fetch proposes bucket 1.
	e.clock.set(mustParse(t, q.ClosesAt).Add(time.Hour))
	body := src.serve(t, "/btos.csv", "census_btos.csv", map[string]any{"Rate": "23.9"})
	e.must(200, "POST", qpath(qid, "/feed/fetch"), e.admin, nil, &sn)
	if sn.SHA256 != feeds.Hash(body) {
		t.Fatalf("snapshot sha256 %s; want %s", sn.SHA256, feeds.Hash(body))
	}
	e.must(200, "GET", qpath(qid, ""), "", nil, &q)
	if p := q.Proposal; p == nil || p.Outcome != 1 || p.Value != 23.9 || p.Source != src.URL+"/btos.csv" ||
		p.ChallengeUntil != formatTime(e.clock.now().Add(48*time.Hour)) {
		t.Fatalf("proposal = %+v; want bucket 1 from 23.9, open 48 h", q.Proposal)
	}
	var f feedDTO
	e.must(200, "GET", qpath(qid, "/feed"), e.admin, nil, &f)
	if f.Last == nil || f.Last.Status != "ok" || strings.Contains(string(e.do("GET", qpath(qid, "/feed"), e.admin, nil).raw), "sekrit") {
		t.Fatalf("GET feed = %+v; want the last snapshot and no header value", f)
	}
	var page snapshotListDTO
	e.must(200, "GET", qpath(qid, "/feed/snapshots?limit=1"), "", nil, &page)
	if len(page.Snapshots) != 1 || page.NextCursor == nil || *page.Snapshots[0].Value != 23.9 {
		t.Fatalf("snapshots page 1 = %+v; want the newest and a cursor", page)
	}
	e.must(200, "GET", qpath(qid, "/feed/snapshots?limit=1&cursor="+*page.NextCursor), "", nil, &page)
	if len(page.Snapshots) != 1 || page.NextCursor != nil || *page.Snapshots[0].Value != 19.8 {
		t.Fatalf("snapshots page 2 = %+v; want the oldest and no cursor", page)
	}

	// The webhook hears of it.
	e.tick()
	got := rc.byPath(t, "/hook")
	if !strings.Contains(string(got.body), `"event":"question.proposed"`) || !strings.Contains(string(got.body), `"value":23.9`) {
		t.Fatalf("webhook body = %s; want question.proposed with the value", got.body)
	}

	// A challenge, a second one refused, then the admin rejects.
	e.runScenarios(t, []scenario{
		{name: "challenge without token", method: "POST", path: qpath(qid, "/proposal/challenge"), body: map[string]string{"reason": "x"}, status: 401, code: "unauthorized"},
		{name: "challenge without reason", method: "POST", path: qpath(qid, "/proposal/challenge"), token: user, body: map[string]string{"reason": " "}, status: 400, field: "reason", code: "validation_failed"},
		{name: "challenge", method: "POST", path: qpath(qid, "/proposal/challenge"), token: user, body: map[string]string{"reason": "Census revised the estimate"}, status: 200,
			checkBody: func(t *testing.T, r response) {
				var q questionDTO
				r.decode(t, &q)
				if q.Proposal == nil || len(q.Proposal.Challenges) != 1 || q.Proposal.Challenges[0].User != "ann" {
					t.Fatalf("after the challenge: %s", r.raw)
				}
			}},
		{name: "challenge twice", method: "POST", path: qpath(qid, "/proposal/challenge"), token: user, body: map[string]string{"reason": "again"}, status: 409, code: "conflict"},
		{name: "confirm not admin", method: "POST", path: qpath(qid, "/proposal/confirm"), token: user, status: 403, code: "forbidden"},
		{name: "reject", method: "POST", path: qpath(qid, "/proposal/reject"), token: e.admin, status: 200, checkBody: func(t *testing.T, r response) {
			var q questionDTO
			r.decode(t, &q)
			if q.Proposal != nil || q.Resolution != nil {
				t.Fatalf("after the rejection: %s; want no proposal, unresolved", r.raw)
			}
		}},
		{name: "reject again", method: "POST", path: qpath(qid, "/proposal/reject"), token: e.admin, status: 404, code: "not_found"},
	})

	// A newer figure is proposed again; the admin confirms it, dated as read.
	e.clock.set(e.clock.now().Add(time.Hour))
	src.serve(t, "/btos.csv", "census_btos.csv", map[string]any{"Rate": "24.1"})
	e.must(200, "POST", qpath(qid, "/feed/fetch"), e.admin, nil, &sn)
	e.clock.set(e.clock.now().Add(time.Hour))
	e.must(200, "POST", qpath(qid, "/proposal/confirm"), e.admin, nil, &q)
	if q.Resolution == nil || *q.Resolution.Outcome != 2 || q.Resolution.ResolvedAt != sn.FetchedAt || q.Proposal != nil {
		t.Fatalf("after the confirmation: %+v; want bucket 2 resolved at %s", q.Resolution, sn.FetchedAt)
	}
}

func mustParse(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}
