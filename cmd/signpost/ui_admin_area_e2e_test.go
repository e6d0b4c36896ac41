package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The admin area: sections with their own addresses, reached from tabs;
// checkboxes at their own size beside their labels and disabled fields
// that look it; webhook deliveries shown at once, their states and errors
// in words; a test delivery sent from the page; the audit trail in words.
// Both languages, 390 and 1280 px.
func TestUIAdminArea(t *testing.T) {
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/fail") {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(receiver.Close)
	base, qid := startUIServer(t, map[string]string{"SIGNPOST_WEBHOOK_ALLOW_PRIVATE": "1", "SIGNPOST_WEBHOOK_RETRY_BASE": "1h"})
	var admin spSession
	if code := apiJSON(t, base, "POST", "/auth/login", "", map[string]any{"username": e2eAdminUser, "password": e2eAdminPass}, &admin); code != 200 {
		t.Fatalf("admin login = %d", code)
	}
	if code := apiJSON(t, base, "POST", fmt.Sprintf("/questions/%d/conditionals", qid["a-huawei-ascend-960-launch"]), admin.Token,
		map[string]any{"scenario_question_id": qid["scenario-2027"]}, nil); code != 201 {
		t.Fatalf("create pair = %d", code)
	}
	u := spRegister(t, base, "olga")
	spForecast(t, base, u.Token, qid["a-huawei-ascend-960-launch"], []float64{0.5, 0.5})
	hooks := "/tournaments/ai-scenarios-2027/webhooks"
	var failing, working struct {
		ID int64 `json:"id"`
	}
	for _, h := range []struct {
		path string
		out  any
	}{{"/fail", &failing}, {"/ok", &working}} {
		if code := apiJSON(t, base, "POST", hooks, admin.Token, map[string]any{"url": receiver.URL + h.path, "format": "slack", "events": []string{"question.resolved"}}, h.out); code != 201 {
			t.Fatalf("create webhook = %d", code)
		}
	}
	// The failing webhook's test is tried once by the worker, and waits for a retry.
	if code := apiJSON(t, base, "POST", fmt.Sprintf("%s/%d/test", hooks, failing.ID), admin.Token, nil, nil); code != 204 {
		t.Fatalf("test delivery = %d", code)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		var l struct {
			Deliveries []struct {
				Attempts int `json:"attempts"`
			} `json:"deliveries"`
		}
		apiJSON(t, base, "GET", fmt.Sprintf("%s/%d/deliveries", hooks, failing.ID), admin.Token, nil, &l)
		if len(l.Deliveries) == 1 && l.Deliveries[0].Attempts > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the worker did not try the test delivery: %+v", l)
		}
		time.Sleep(200 * time.Millisecond)
	}

	b := newBrowser(t, base)
	b.do("open home", chromedp.Navigate(base+"/"))
	b.waitReady("/")
	sections := map[string]string{"#/admin": "#tournament-settings", "#/admin/questions": "#resolve-form", "#/admin/links": "#links",
		"#/admin/webhooks": "#webhook-create", "#/admin/tripwires": "#tripwire-list", "#/admin/tokens": "#token-create", "#/admin/audit": "#audit-table"}
	code := regexp.MustCompile(`\b[a-z]+_[a-z_]+\b`)
	for _, c := range []struct{ lang, failed, status string }{
		{"en", "Failed once; will try again", "The receiver answered HTTP 500."},
		{"zh", "已失败 1 次，稍后重试", "接收端返回了 HTTP 500。"},
	} {
		for _, width := range []int64{390, 1280} {
			b.subtest(fmt.Sprintf("%s %d", c.lang, width), func(t *testing.T) {
				b.setLang(c.lang)
				b.do("viewport", chromedp.EmulateViewport(width, 900))
				b.signInAs(admin, "#/admin")
				if n := b.count(".admin-tabs a"); n != 7 {
					t.Errorf("%d admin tabs; want 7", n)
				}
				for route := range sections {
					b.route(route)
					for other, sel := range sections {
						if got := b.count(sel); (other == route) != (got == 1) {
							t.Errorf("%s shows %s %d times", route, sel, got)
						}
					}
					b.fitsWidth(route)
				}
				b.route("#/admin/webhooks")
				// Checkboxes at their own size, each on one line with its label.
				if got := b.eval(`(() => { const bad = [...document.querySelectorAll('#webhook-create label.check')].filter((l) => {
					const box = l.querySelector('input').getBoundingClientRect(), r = l.getBoundingClientRect();
					return box.width > 30 || box.top < r.top - 1 || box.bottom > r.bottom + 1 || r.height > 3 * parseFloat(getComputedStyle(l).fontSize); });
					return String(bad.length); })()`); got != "0" {
					t.Errorf("%s webhook event checkboxes not beside their labels", got)
				}
				li := fmt.Sprintf(`#webhook-list li[data-webhook="%d"]`, failing.ID)
				b.waitJS("deliveries shown at once", fmt.Sprintf(`!!document.querySelector('%s .delivery-state')`, li))
				if got := b.text(li + " .delivery-state"); got != c.failed {
					t.Errorf("failing delivery reads %q; want %q", got, c.failed)
				}
				if got := b.text(li + " td.small > span"); !strings.HasPrefix(got, c.status) {
					t.Errorf("its error reads %q; want %q first", got, c.status)
				}
				b.shotOf(li, fmt.Sprintf("admin-webhooks-%s-%d", c.lang, width))
				ok := fmt.Sprintf(`#webhook-list li[data-webhook="%d"]`, working.ID)
				b.click(ok + " button.wh-test")
				b.waitJS("test delivered", fmt.Sprintf(`!!document.querySelector('%s tr.delivery-delivered')`, ok))

				b.route("#/admin/questions")
				b.choose("#edit-form select[name=question]", fmt.Sprint(qid["a-huawei-ascend-960-launch"]))
				if got := b.eval(`(() => { const d = document.querySelector('#edit-form [name=closes_at]'), e = document.querySelector('#edit-form [name="title.en"]');
					return d.disabled + ' ' + (getComputedStyle(d).backgroundColor !== getComputedStyle(e).backgroundColor); })()`); got != "true true" {
					t.Errorf("a disabled field (disabled, looks different) = %s; want true true", got)
				}
				b.route("#/admin/audit")
				if m := code.FindAllString(b.text("#audit-table"), -1); len(m) > 0 {
					t.Errorf("the audit trail shows codes %v", m)
				}
				b.screenshotViewport(fmt.Sprintf("admin-audit-%s-%d", c.lang, width))
				b.checkProblems()
			})
		}
	}
}
