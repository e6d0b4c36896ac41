package main

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestUIIntegrations drives the integration screens in Chromium: the bot
// badge and the participants filter on the leaderboard, API tokens on the
// profile page (created, used, revoked) and webhooks on the admin page, in
// both languages.
func TestUIIntegrations(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	findChromium(t)
	base := startTestServer(t, map[string]string{"SIGNPOST_ADMIN_USERNAME": e2eAdminUser, "SIGNPOST_ADMIN_PASSWORD": e2eAdminPass})
	type session struct {
		Token     string         `json:"token"`
		ExpiresAt string         `json:"expires_at"`
		User      map[string]any `json:"user"`
	}
	var admin, robot, human session
	apiJSON(t, base, "POST", "/auth/login", "", map[string]string{"username": e2eAdminUser, "password": e2eAdminPass}, &admin)
	apiJSON(t, base, "POST", "/auth/register", "", map[string]string{"username": "robot", "password": e2ePassword}, &robot)
	apiJSON(t, base, "POST", "/auth/register", "", map[string]string{"username": "human", "password": e2ePassword}, &human)
	var tour struct{ Questions []e2eQuestion }
	apiJSON(t, base, "GET", "/tournaments/ai-scenarios-2027", "", nil, &tour)
	var huawei int64
	for _, q := range tour.Questions {
		if q.Slug == "a-huawei-ascend-960-launch" {
			huawei = q.ID
		}
	}
	for tok, p := range map[string]float64{robot.Token: 0.9, human.Token: 0.2} {
		if code := apiJSON(t, base, "POST", fmt.Sprintf("/questions/%d/forecasts", huawei), tok, map[string]any{"probability": p}, nil); code != 201 {
			t.Fatalf("forecast = %d", code)
		}
	}
	if code := apiJSON(t, base, "POST", fmt.Sprintf("/questions/%d/resolve", huawei), admin.Token, map[string]any{"outcome": 0}, nil); code != 200 {
		t.Fatalf("resolve = %d", code)
	}
	if code := apiJSON(t, base, "POST", "/admin/users/robot/bot", admin.Token, map[string]any{"bot": true}, nil); code != 200 {
		t.Fatalf("mark bot = %d", code)
	}

	b := newBrowser(t, base)
	b.do("open home", chromedp.Navigate(base+"/"))
	b.waitReady("/")
	b.route("#/leaderboard")
	rows := `document.querySelectorAll('#leaderboard-table tbody tr').length`
	if n, badge := b.eval(rows+` + ''`), b.text("#leaderboard-table .badge.bot"); n != "2" || badge != "bot" {
		t.Fatalf("leaderboard rows %s, bot badge %q; want 2 rows and the badge", n, badge)
	}
	b.choose("select[id^='participants']", "humans")
	b.waitJS("humans only", rows+` === 1 && !document.querySelector('#leaderboard-table .badge.bot')`)
	if href := b.eval(`document.getElementById('leaderboard-csv').getAttribute('href')`); href != "/api/v1/tournaments/ai-scenarios-2027/export.csv?table=leaderboard&participants=humans" {
		t.Fatalf("CSV link %q", href)
	}
	b.choose("select[id^='participants']", "bots")
	b.waitJS("bots only", rows+` === 1 && !!document.querySelector('#leaderboard-table .badge.bot')`)
	b.screenshot("integrations-01-leaderboard-bots")
	b.choose("select[id^='participants']", "all")
	b.waitJS("everyone", rows+` === 2`)

	// Sign in as the admin (the session the UI keeps) and make a token.
	b.eval(fmt.Sprintf(`localStorage.setItem('signpost.session', %q), ''`, mustJSON(t, admin)))
	b.do("reload signed in", chromedp.Reload())
	b.waitReady("/leaderboard")
	b.route("#/me")
	b.waitJS("token section", `!!document.querySelector('#token-list') && document.querySelector('#token-list').textContent.includes('No tokens yet')`)
	b.typeInto("#token-create input[name='name']", "e2e bot")
	b.choose("#token-create select[name='scope']", "read")
	b.click("#token-create button[type='submit']")
	b.waitJS("secret shown", `((document.querySelector('.token-secret') || {}).textContent || '').startsWith('spt_')`)
	b.waitJS("token listed", `document.querySelectorAll('#token-list tbody tr').length === 1`)
	secret := b.text(".token-secret")
	if code := apiJSON(t, base, "GET", "/me", secret, nil, nil); code != 200 {
		t.Fatalf("GET /me with the shown token = %d", code)
	}
	if code := apiJSON(t, base, "POST", fmt.Sprintf("/questions/%d/forecasts", huawei), secret, map[string]any{"probability": 0.5}, nil); code != 403 {
		t.Fatalf("forecast with the read token = %d; want 403", code)
	}
	b.screenshot("integrations-02-token")
	b.click("#token-list tbody button")
	b.waitJS("token revoked", `document.querySelector('#token-list').textContent.includes('No tokens yet')`)
	if code := apiJSON(t, base, "GET", "/me", secret, nil, nil); code != 401 {
		t.Fatalf("GET /me with the revoked token = %d; want 401", code)
	}

	b.route("#/admin/webhooks")
	b.waitJS("webhook section", `!!document.querySelector('#webhook-create')`)
	b.typeInto("#webhook-create input[name='url']", "https://hooks.example.com/signpost")
	b.choose("#webhook-create select[name='format']", "feishu")
	b.click("#webhook-create button[type='submit']")
	b.waitJS("webhook listed", `document.querySelectorAll('#webhook-list li').length === 1 && document.querySelector('#webhook-list li').textContent.includes('hooks.example.com')`)
	b.click("#webhook-list li button")
	b.waitJS("deliveries shown", `document.querySelector('#webhook-list .deliveries').textContent.includes('No deliveries yet')`)
	b.screenshot("integrations-03-webhooks")

	b.click("#lang-switch")
	b.waitJS("Chinese", `document.documentElement.lang === 'zh-CN' && document.getElementById('main').dataset.ready === '/admin/webhooks'`)
	b.waitJS("webhooks in Chinese", `(document.querySelector('#webhooks h2') || {}).textContent === 'Webhook' && document.querySelector('#webhook-create button[type="submit"]').textContent === '添加 Webhook'`)
	b.route("#/me")
	b.waitJS("tokens in Chinese", `(document.querySelector('#tokens h2') || {}).textContent === 'API 令牌' && document.querySelector('#token-list').textContent.includes('还没有令牌')`)
	b.route("#/leaderboard")
	if badge := b.text("#leaderboard-table .badge.bot"); badge != "机器人" {
		t.Fatalf("bot badge in Chinese = %q", badge)
	}
	b.screenshot("integrations-04-leaderboard-zh")
	b.checkProblems()
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
