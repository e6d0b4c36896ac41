package api

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"signpost/api/webhook"
)

// receiver is a loopback webhook receiver that records what it gets.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	status func(n int) int // the answer to the n-th request (1-based)
	delay  time.Duration
}

type received struct {
	path, query string
	header      http.Header
	body        []byte
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	r := &receiver{status: func(int) int { return 200 }}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		time.Sleep(r.delay)
		r.mu.Lock()
		r.got = append(r.got, received{path: req.URL.Path, query: req.URL.RawQuery, header: req.Header.Clone(), body: body})
		n := len(r.got)
		r.mu.Unlock()
		w.WriteHeader(r.status(n))
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// byPath returns the one request received at path.
func (r *receiver) byPath(t *testing.T, path string) received {
	t.Helper()
	var out []received
	for _, g := range r.requests() {
		if g.path == path {
			out = append(out, g)
		}
	}
	if len(out) != 1 {
		t.Fatalf("%d requests at %s; want 1", len(out), path)
	}
	return out[0]
}

// loopbackHooks is the worker configuration of tests: loopback receivers
// allowed, links under https://signpost.example.
var loopbackHooks = webhook.Config{AllowPrivate: true, RetryBase: time.Minute, PublicURL: "https://signpost.example"}

func webhookEnv(t *testing.T, tweak ...func(*Config)) *testEnv {
	t.Helper()
	e := newTestEnv(t, append([]func(*Config){func(c *Config) { c.AllowPrivateWebhooks = true }}, tweak...)...)
	e.useHooks(loopbackHooks)
	return e
}

// useHooks builds the environment's webhook worker as cmd/signpost does:
// over the test store, on the test clock, reading the server's caches.
func (e *testEnv) useHooks(cfg webhook.Config) {
	cfg.Now, cfg.Log = e.clock.now, e.srv.log
	e.hooks = webhook.New(e.st, cfg, e.srv.WebhookSources())
}

// allowLoopbackHooks lets an environment made without webhookEnv send to
// loopback receivers, with links under https://signpost.example.
func (e *testEnv) allowLoopbackHooks(tweak ...func(*webhook.Config)) {
	e.srv.cfg.AllowPrivateWebhooks = true
	cfg := loopbackHooks
	for _, f := range tweak {
		f(&cfg)
	}
	e.useHooks(cfg)
}

func (e *testEnv) addWebhook(slug, url, format, secret string, events ...string) webhookDTO {
	e.t.Helper()
	body := map[string]any{"url": url, "format": format, "events": events}
	if secret != "" {
		body["secret"] = secret
	}
	var w webhookDTO
	e.must(201, "POST", "/api/v1/tournaments/"+slug+"/webhooks", e.admin, body, &w)
	return w
}

func (e *testEnv) deliveries(slug string, id int64) []deliveryDTO {
	e.t.Helper()
	var l deliveryListDTO
	e.must(200, "GET", "/api/v1/tournaments/"+slug+"/webhooks/"+itoa(id)+"/deliveries", e.admin, nil, &l)
	return l.Deliveries
}

func (e *testEnv) tick() {
	e.t.Helper()
	if err := e.hooks.Tick(e.t.Context()); err != nil {
		e.t.Fatal(err)
	}
}

func hmacB64(key, msg string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func TestWebhookFormats(t *testing.T) {
	e, qid, _, _ := electionEnv(t)
	e.allowLoopbackHooks()
	rc := newReceiver(t)
	ev := "question.resolved"
	jw := e.addWebhook("us-2016", rc.URL+"/json", "json", "s3cret", ev)
	e.addWebhook("us-2016", rc.URL+"/slack", "slack", "", ev)
	e.addWebhook("us-2016", rc.URL+"/feishu", "feishu", "fs-secret", ev)
	e.addWebhook("us-2016", rc.URL+"/dingtalk?access_token=abc", "dingtalk", "SECxyz", ev)
	e.addWebhook("us-2016", rc.URL+"/unsubscribed", "json", "", "question.annulled")

	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, nil)
	if ds := e.deliveries("us-2016", jw.ID); len(ds) != 1 || ds[0].Status != "pending" || ds[0].Attempts != 0 || ds[0].Event != ev {
		t.Fatalf("deliveries right after the resolution = %+v; want one pending", ds)
	}
	if n := len(rc.requests()); n != 0 {
		t.Fatalf("the request itself sent %d webhooks; want 0 (the worker sends)", n)
	}
	e.tick()
	if n := len(rc.requests()); n != 4 {
		t.Fatalf("received %d; want 4 (one per subscribed webhook)", n)
	}

	j := rc.byPath(t, "/json")
	m := hmac.New(sha256.New, []byte("s3cret"))
	m.Write(j.body)
	if got, want := j.header.Get("X-Signpost-Signature"), "sha256="+hex.EncodeToString(m.Sum(nil)); got != want {
		t.Fatalf("signature %q; want %q", got, want)
	}
	var p struct {
		Event      string
		OccurredAt string `json:"occurred_at"`
		Tournament struct {
			Slug  string
			Title map[string]string
		}
		Question struct {
			ID         int64
			Title      map[string]string
			URL, State string
			Crowd      *struct {
				Probabilities []float64
				Forecasters   int
			}
			Resolution struct{ Outcome *int }
		}
	}
	if err := json.Unmarshal(j.body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Event != ev || j.header.Get("X-Signpost-Event") != ev || p.OccurredAt != "2016-11-09T06:00:00Z" || p.Tournament.Slug != "us-2016" || p.Tournament.Title["en"] != "2016" ||
		p.Question.ID != qid || p.Question.State != "resolved" || p.Question.URL != "https://signpost.example/#/q/"+itoa(qid) ||
		p.Question.Resolution.Outcome == nil || *p.Question.Resolution.Outcome != 1 ||
		p.Question.Crowd != nil { // two forecasters: below the crowd minimum, as on the question

		t.Fatalf("generic body %s", j.body)
	}

	var slack struct{ Text string }
	if err := json.Unmarshal(rc.byPath(t, "/slack").body, &slack); err != nil || !strings.Contains(slack.Text, "Resolved: Who wins?") ||
		!strings.Contains(slack.Text, "Answer: Trump") {
		t.Fatalf("slack text %q, %v", slack.Text, err)
	}

	var fs struct {
		Timestamp string
		Sign      string
		MsgType   string `json:"msg_type"`
		Content   struct{ Text string }
	}
	fr := rc.byPath(t, "/feishu")
	if err := json.Unmarshal(fr.body, &fs); err != nil || fs.MsgType != "text" || !strings.Contains(fs.Content.Text, "Who wins?") {
		t.Fatalf("feishu body %s", fr.body)
	}
	if fs.Timestamp != "1478671200" || fs.Sign != hmacB64(fs.Timestamp+"\nfs-secret", "") {
		t.Fatalf("feishu timestamp %q sign %q; want the documented signature", fs.Timestamp, fs.Sign)
	}

	dr := rc.byPath(t, "/dingtalk")
	var dt struct {
		MsgType string `json:"msgtype"`
		Text    struct{ Content string }
	}
	if err := json.Unmarshal(dr.body, &dt); err != nil || dt.MsgType != "text" || !strings.Contains(dt.Text.Content, "Trump") {
		t.Fatalf("dingtalk body %s", dr.body)
	}
	q := mustQuery(t, dr.query)
	if q.Get("access_token") != "abc" || q.Get("timestamp") != "1478671200000" || q.Get("sign") != hmacB64("SECxyz", "1478671200000\nSECxyz") {
		t.Fatalf("dingtalk query %q; want the token kept and the documented signature", dr.query)
	}

	if ds := e.deliveries("us-2016", jw.ID); len(ds) != 1 || ds[0].Status != "delivered" || ds[0].Attempts != 1 || ds[0].DeliveredAt == nil {
		t.Fatalf("deliveries after sending = %+v; want delivered at the first attempt", ds)
	}
	e.tick()
	if n := len(rc.requests()); n != 4 {
		t.Fatalf("received %d after a second round; want still 4", n)
	}
}

func TestWebhookChineseTournament(t *testing.T) {
	e := webhookEnv(t)
	rc := newReceiver(t)
	e.must(201, "POST", "/api/v1/tournaments", e.admin, map[string]any{"slug": "zh-cup", "title": map[string]string{"zh": "中文杯"},
		"starts_at": "2026-11-01T00:00:00Z", "ends_at": "2027-12-01T00:00:00Z"}, nil)
	var q questionDTO
	e.must(201, "POST", "/api/v1/tournaments/zh-cup/questions", e.admin, map[string]any{"slug": "rain", "kind": "binary",
		"title": map[string]string{"zh": "会下雨吗？", "en": "Rain?"}, "criteria": map[string]string{"zh": "下雨。"},
		"opens_at": "2026-11-01T00:00:00Z", "closes_at": "2027-01-01T00:00:00Z"}, &q)
	e.addWebhook("zh-cup", rc.URL+"/slack", "slack", "", "question.annulled")
	e.must(200, "POST", qpath(q.ID, "/annul"), e.admin, map[string]any{"reason": "题目有误"}, nil)
	e.tick()
	var slack struct{ Text string }
	if err := json.Unmarshal(rc.byPath(t, "/slack").body, &slack); err != nil ||
		!strings.HasPrefix(slack.Text, "【中文杯】已作废：会下雨吗？") || !strings.Contains(slack.Text, "题目有误") {
		t.Fatalf("text %q; want Chinese", slack.Text)
	}
}

func TestWebhookRetriesThenDelivers(t *testing.T) {
	e, qid, _, _ := electionEnv(t)
	e.allowLoopbackHooks(func(c *webhook.Config) { c.RetryBase = time.Minute })
	rc := newReceiver(t)
	rc.status = func(n int) int {
		if n <= 2 {
			return 500
		}
		return 204
	}
	w := e.addWebhook("us-2016", rc.URL+"/hook", "json", "", "question.resolved")
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 0}, nil)
	start := e.clock.now()
	steps := []struct {
		after    time.Duration
		requests int
		status   string
		attempts int
	}{
		{0, 1, "pending", 1},                             // first attempt fails
		{59 * time.Second, 1, "pending", 1},              // not yet due
		{time.Minute, 2, "pending", 2},                   // retry after the base
		{time.Minute + 119*time.Second, 2, "pending", 2}, // next waits twice as long
		{3 * time.Minute, 3, "delivered", 3},             // and succeeds
		{3*time.Minute + time.Hour, 3, "delivered", 3},   // nothing more
	}
	for _, s := range steps {
		e.clock.set(start.Add(s.after))
		e.tick()
		ds := e.deliveries("us-2016", w.ID)
		if n := len(rc.requests()); n != s.requests || len(ds) != 1 || ds[0].Status != s.status || ds[0].Attempts != s.attempts {
			t.Fatalf("at +%v: %d requests, deliveries %+v; want %d, %s after %d attempts", s.after, n, ds, s.requests, s.status, s.attempts)
		}
		if s.status == "pending" && ds[0].LastError != "receiver answered 500" {
			t.Fatalf("last_error = %q", ds[0].LastError)
		}
	}
	// Delivered long ago: pruned by the worker's hourly clean-up.
	e.clock.set(start.Add(31 * 24 * time.Hour))
	e.tick()
	if ds := e.deliveries("us-2016", w.ID); len(ds) != 0 {
		t.Fatalf("deliveries after 31 days = %+v; want pruned", ds)
	}
}

func TestWebhookGivesUpAfterADay(t *testing.T) {
	e, qid, _, _ := electionEnv(t)
	e.allowLoopbackHooks(func(c *webhook.Config) { c.RetryBase = 8 * time.Hour })
	rc := newReceiver(t)
	rc.status = func(int) int { return 503 }
	w := e.addWebhook("us-2016", rc.URL+"/hook", "slack", "", "question.resolved")
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 0}, nil)
	start := e.clock.now()
	for _, after := range []time.Duration{0, 8 * time.Hour, 24 * time.Hour, 100 * time.Hour} {
		e.clock.set(start.Add(after))
		e.tick()
	}
	ds := e.deliveries("us-2016", w.ID)
	if n := len(rc.requests()); n != 3 || ds[0].Status != "failed" || ds[0].Attempts != 3 {
		t.Fatalf("%d requests, %+v; want 3 attempts (0 h, 8 h, 24 h) and then failed", n, ds)
	}
}

func TestWebhookNeverSlowsARequest(t *testing.T) {
	e, qid, _, _ := electionEnv(t)
	e.allowLoopbackHooks(func(c *webhook.Config) { c.Interval = 10 * time.Millisecond })
	rc := newReceiver(t)
	rc.delay = 1500 * time.Millisecond
	w := e.addWebhook("us-2016", rc.URL+"/slow", "json", "", "question.resolved")
	ctx, cancel := contextWithCancel(t)
	done := make(chan struct{})
	go func() { defer close(done); e.hooks.Run(ctx) }()
	defer func() { cancel(); <-done }()

	start := time.Now()
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 0}, nil)
	if took := time.Since(start); took > 500*time.Millisecond {
		t.Fatalf("resolution took %v with a slow receiver; want well under its 1.5 s", took)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		ds := e.deliveries("us-2016", w.ID)
		if len(ds) == 1 && ds[0].Status == "delivered" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries = %+v; want delivered by the background worker", ds)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestWebhookPrivateTargetsRefused(t *testing.T) {
	e := newTestEnv(t)
	rc := newReceiver(t)
	for _, u := range []string{rc.URL + "/x", "http://localhost:9/x", "http://10.1.2.3/x", "http://[::1]:80/x", "ftp://example.com/x"} {
		r := e.do("POST", "/api/v1/tournaments/ai-scenarios-2027/webhooks", e.admin,
			map[string]any{"url": u, "format": "json", "events": []string{"question.resolved"}})
		if code, field := r.errorCode(); r.status != 400 || code != "validation_failed" || field != "url" {
			t.Fatalf("%s: %d %s; want 400 on url", u, r.status, r.raw)
		}
	}
	if n := len(rc.requests()); n != 0 {
		t.Fatalf("receiver got %d requests; want 0", n)
	}
}

func TestWebhookAdminEndpoints(t *testing.T) {
	e := webhookEnv(t)
	tok, _ := e.register("nosy")
	rc := newReceiver(t)
	w := e.addWebhook("ai-scenarios-2027", rc.URL+"/a", "feishu", "hidden-secret", "question.opened", "question.opened", "crowd.moved")
	if len(w.Events) != 2 {
		t.Fatalf("events = %v; want duplicates dropped", w.Events)
	}
	base := "/api/v1/tournaments/ai-scenarios-2027/webhooks"
	e.runScenarios(t, []scenario{
		{name: "forecaster lists", method: "GET", path: base, token: tok, status: 403, code: "forbidden"},
		{name: "anonymous creates", method: "POST", path: base, body: map[string]any{}, status: 401, code: "unauthorized"},
		{name: "bad format", method: "POST", path: base, token: e.admin, body: map[string]any{"url": rc.URL, "format": "teams", "events": []string{"question.opened"}}, status: 400, code: "validation_failed", field: "format"},
		{name: "unknown event", method: "POST", path: base, token: e.admin, body: map[string]any{"url": rc.URL, "format": "json", "events": []string{"question.closed"}}, status: 400, code: "validation_failed", field: "events"},
		{name: "no events", method: "POST", path: base, token: e.admin, body: map[string]any{"url": rc.URL, "format": "json"}, status: 400, code: "validation_failed", field: "events"},
		{name: "unknown tournament", method: "GET", path: "/api/v1/tournaments/nope/webhooks", token: e.admin, status: 404, code: "not_found"},
		{name: "list hides the secret", method: "GET", path: base, token: e.admin, status: 200, checkBody: func(t *testing.T, r response) {
			var l webhookListDTO
			r.decode(t, &l)
			if len(l.Webhooks) != 1 || strings.Contains(string(r.raw), "hidden-secret") {
				t.Fatalf("list = %s", r.raw)
			}
		}},
		{name: "delete", method: "DELETE", path: base + "/" + itoa(w.ID), token: e.admin, status: 204},
		{name: "deleted", method: "GET", path: base + "/" + itoa(w.ID) + "/deliveries", token: e.admin, status: 404, code: "not_found"},
	})
}

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func contextWithCancel(t *testing.T) (context.Context, context.CancelFunc) {
	return context.WithCancel(t.Context())
}

// The request's documentation lists the events and formats package webhook
// accepts: struct tags cannot be computed, so this keeps them in step.
func TestWebhookRequestDocListsEventsAndFormats(t *testing.T) {
	f, _ := reflect.TypeFor[createWebhookRequest]().FieldByName("Events")
	doc := f.Tag.Get("doc")
	// The names, without the explanations in parentheses.
	names := strings.Split(regexp.MustCompile(` \([^)]*\)`).ReplaceAllString(doc, ""), ", ")
	if !slices.Equal(names, webhook.Events) {
		t.Errorf("events doc %q lists %v; want webhook.Events %v", doc, names, webhook.Events)
	}
	f, _ = reflect.TypeFor[createWebhookRequest]().FieldByName("Format")
	if got, want := f.Tag.Get("enum"), strings.Join(webhook.Formats, ","); got != want {
		t.Errorf("format enum %q; want %q", got, want)
	}
}
