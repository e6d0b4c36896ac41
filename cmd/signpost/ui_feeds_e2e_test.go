package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestUIFeedProposal drives a proposed resolution in Chromium: a feed on a
// local source proposes an early Yes; a forecaster sees its value, source
// and window in both languages, at phone and desktop widths, and challenges
// it; the admin sees the feed editor and confirms it.
func TestUIFeedProposal(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	findChromium(t)
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "Model,Country (of organization),Training compute (FLOP)\nGLM-6,China,1.3e+26\n")
	}))
	t.Cleanup(src.Close)
	base := startTestServer(t, map[string]string{"SIGNPOST_ADMIN_USERNAME": e2eAdminUser, "SIGNPOST_ADMIN_PASSWORD": e2eAdminPass,
		"SIGNPOST_FEED_ALLOW_PRIVATE": "true"})
	var admin, ann e2eSession
	apiJSON(t, base, "POST", "/auth/login", "", map[string]string{"username": e2eAdminUser, "password": e2eAdminPass}, &admin)
	apiJSON(t, base, "POST", "/auth/register", "", map[string]string{"username": "ann", "password": e2ePassword}, &ann)
	var tour struct{ Questions []e2eQuestion }
	apiJSON(t, base, "GET", "/tournaments/ai-scenarios-2027", "", nil, &tour)
	var qid int64
	for _, q := range tour.Questions {
		if q.Slug == "a-china-model-1e26-flop" {
			qid = q.ID
		}
	}
	feed := map[string]any{"url": src.URL + "/models.csv", "format": "csv", "column": "Training compute (FLOP)",
		"row": map[string]string{"column": "Model", "equals": "GLM-6"}, "every": "24h",
		"rule": map[string]any{"op": ">=", "value": 1e26}, "early_yes": true}
	if code := apiJSON(t, base, "PUT", fmt.Sprintf("/questions/%d/feed", qid), admin.Token, feed, nil); code != 200 {
		t.Fatalf("PUT feed = %d", code)
	}
	if code := apiJSON(t, base, "POST", fmt.Sprintf("/questions/%d/feed/fetch", qid), admin.Token, nil, nil); code != 200 {
		t.Fatalf("fetch = %d", code)
	}

	b := newBrowser(t, base)
	b.do("open home", chromedp.Navigate(base+"/"))
	b.waitReady("/")
	b.signIn(&ann)
	page := fmt.Sprintf("#/q/%d", qid)
	for _, c := range []struct{ lang, title, outcome string }{{"en", "Proposed resolution", "Yes"}, {"zh", "拟定判定", "是"}} {
		b.setLang(c.lang)
		for _, width := range []int64{390, 1280} {
			b.do("viewport", chromedp.EmulateViewport(width, 844))
			b.reload(page)
			b.waitJS("proposal "+c.lang, fmt.Sprintf(`(document.querySelector('#proposal h2') || {}).textContent === %q`, c.title))
			if got := b.text("#proposal .proposal-outcome strong"); got != c.outcome {
				t.Fatalf("%s: proposed outcome %q; want %q", c.lang, got, c.outcome)
			}
			if v, s := b.text("#proposal .proposal-value"), b.text("#proposal .proposal-source"); v != "130000000000000000000000000" && v != "1.3e+26" || s != src.URL+"/models.csv" {
				t.Fatalf("%s: value %q, source %q", c.lang, v, s)
			}
			if n := b.count("#proposal-confirm"); n != 0 {
				t.Fatalf("a forecaster sees %d confirm buttons", n)
			}
			b.fitsWidth(fmt.Sprintf("proposal %s %d", c.lang, width))
			b.screenshot(fmt.Sprintf("feeds-proposal-%s-%d", c.lang, width))
		}
	}
	b.do("desktop", chromedp.EmulateViewport(1280, 900))
	b.setLang("en")
	b.reload(page)
	b.typeInto("#challenge-form textarea[name='reason']", "GLM-6 was published in November 2026, before the window.")
	b.click("#challenge-form button[type='submit']")
	b.waitJS("challenge listed", `!!document.querySelector('#proposal .challenges li') && document.querySelector('#proposal .challenges').textContent.includes('@ann')`)
	b.screenshot("feeds-challenged")

	b.signIn(&admin)
	b.reload("#/admin/questions")
	b.waitJS("feed editor", `!!document.querySelector('#feeds select')`)
	b.click("#feeds summary")
	b.choose("#feeds select", fmt.Sprint(qid))
	b.waitJS("feed loaded", fmt.Sprintf(`(document.querySelector('#feed-form input[name="url"]') || {}).value === %q && document.querySelector('#feeds .feed-last').textContent.includes('1.3')`, src.URL+"/models.csv"))
	// The questions section is long: a capture of the editor only.
	b.eval(`document.getElementById('feeds').scrollIntoView(); ''`)
	b.screenshotViewport("feeds-admin-editor")
	b.reload(page)
	b.waitJS("admin buttons", `!!document.querySelector('#proposal-confirm')`)
	b.click("#proposal-confirm")
	b.waitJS("resolved", `!document.querySelector('#proposal') && (document.querySelector('.outcome .outcome-label') || {}).textContent === 'Yes'`)
	b.setLang("zh")
	b.reload("#/admin/questions")
	b.waitJS("feed editor in Chinese", `(document.querySelector('#feeds h2') || {}).textContent === '数据源'`)
	b.checkProblems()
}
