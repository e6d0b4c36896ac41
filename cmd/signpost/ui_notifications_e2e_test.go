package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The notifications browser test: a real resolution reaches Alice's bell
// and her notifications page in both languages, on a phone and a desktop;
// marking read empties the bell; her preferences save from the account
// page.
func TestUINotifications(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	findChromium(t)
	w := peopleSetup(t) // resolves a question Alice and Bob forecast
	// Bob mentions Alice: a second, unread notice.
	if code := apiJSON(t, w.base, "POST", fmt.Sprintf("/questions/%d/comments", w.huawei), w.bob.Token,
		map[string]string{"body": "Well called, @alice."}, nil); code != 201 {
		t.Fatalf("comment = %d", code)
	}
	b := newBrowser(t, w.base)
	b.do("open", chromedp.Navigate(w.base+"/"))
	b.waitReady("/")
	keepShots := os.Getenv("SIGNPOST_SCREENSHOTS") != ""
	for _, lang := range []string{"en", "zh"} {
		b.setLang(lang)
		b.signIn(&w.alice)
		for _, width := range []int64{390, 1280} {
			b.do("viewport", chromedp.EmulateViewport(width, 844))
			b.reload("#/")
			where := fmt.Sprintf("at %d px in %s", width, lang)
			b.waitJS("bell count "+where, `(document.getElementById('bell') || {dataset: {}}).dataset.unread === '2'`)
			bell := b.eval(`(() => { const a = document.getElementById('bell'); const r = a.getBoundingClientRect();
				return [a.querySelector('.bell-count').textContent, a.getAttribute('aria-label'), r.right <= innerWidth && r.top < 120 && r.width > 0].join('|'); })()`)
			wantLabel := map[string]string{"en": "Notifications: 2 unread", "zh": "通知：2 条未读"}[lang]
			if bell != "2|"+wantLabel+"|true" {
				t.Errorf("bell %s = %q; want count 2, label %q, visible in the header", where, bell, wantLabel)
			}
			if keepShots {
				b.screenshotViewport(fmt.Sprintf("notif-bell-%s-%d", lang, width))
			}
			b.click("#bell")
			b.waitReady("/notifications")
			if width == 390 {
				b.fitsWidth("#/notifications " + where)
			}
			items := b.eval(`[...document.querySelectorAll('#notif-list .notif')].map(li => li.dataset.kind + ':' + li.classList.contains('unread') + ':' + li.querySelector('.notif-text').textContent).join('\n')`)
			lines := strings.Split(items, "\n")
			wantResolved := map[string]string{"en": "resolved: Yes. Your Brier score:", "zh": "已结算：是。你的 Brier 分数："}[lang]
			if len(lines) != 2 || !strings.HasPrefix(lines[0], "mention:true:") || !strings.HasPrefix(lines[1], "resolved:true:") ||
				!strings.Contains(lines[1], wantResolved) {
				t.Errorf("notifications %s = %q; want the mention, then the resolution with Alice's score", where, items)
			}
			if href := b.eval(`document.querySelector('#notif-list .notif[data-kind=resolved] a.notif-text').getAttribute('href')`); href != fmt.Sprintf("#/q/%d", w.huawei) {
				t.Errorf("the resolution links to %q; want the question", href)
			}
			if b.eval(`String(!!document.getElementById('notif-more'))`) != "false" {
				t.Errorf("notifications %s offer older ones on the only page", where)
			}
			if keepShots {
				b.screenshot(fmt.Sprintf("notif-page-%s-%d", lang, width))
			}
		}
	}

	b.setLang("en")
	b.reload("#/notifications")
	b.click("#notif-list .notif[data-kind=mention] .notif-read")
	b.waitJS("one read", `document.getElementById('bell').dataset.unread === '1' && document.querySelectorAll('#notif-list .unread').length === 1`)
	b.click("#notif-all-read")
	b.waitJS("all read", `document.getElementById('bell').dataset.unread === '0' && !document.querySelector('#bell .bell-count') && document.querySelectorAll('#notif-list .unread').length === 0`)
	var list struct {
		Unread int `json:"unread"`
	}
	apiJSON(t, w.base, "GET", "/me/notifications", w.alice.Token, nil, &list)
	if list.Unread != 0 {
		t.Errorf("after marking all read the server counts %d unread", list.Unread)
	}

	// Preferences on the account page: a bad value is refused beside its
	// field, a good one saved.
	b.reload("#/me")
	b.waitJS("preferences", `!!document.getElementById('preferences-form')`)
	b.typeInto("#preferences-form input[name=stale_days]", "400")
	b.click("#preferences-form button[type=submit]")
	b.waitJS("stale_days refused", `document.querySelector('#preferences-form [data-field=stale_days] .field-error').textContent !== ''`)
	b.typeInto("#preferences-form input[name=stale_days]", "7")
	b.eval(`(() => { document.getElementById('pref-closing').checked = false; return ''; })()`)
	b.choose("#preferences-form select[name=digest]", "weekly")
	b.click("#preferences-form button[type=submit]")
	b.waitJS("preferences saved", `!document.querySelector('#preferences-form .form-ok').hidden`)
	var prefs struct {
		StaleDays int    `json:"stale_days"`
		Digest    string `json:"digest"`
		Notify    struct {
			Closing bool `json:"closing"`
			Stale   bool `json:"stale"`
		} `json:"notify"`
	}
	if keepShots {
		b.do("phone", chromedp.EmulateViewport(390, 844))
		b.setLang("zh")
		b.reload("#/me")
		b.waitJS("preferences in Chinese", `!!document.getElementById('preferences-form')`)
		b.fitsWidth("#/me at 390 px in zh")
		b.eval(`(() => { document.getElementById('preferences').scrollIntoView(); return ''; })()`)
		b.screenshotViewport("notif-preferences-zh-390")
	}
	apiJSON(t, w.base, "GET", "/me/preferences", w.alice.Token, nil, &prefs)
	if prefs.StaleDays != 7 || prefs.Digest != "weekly" || prefs.Notify.Closing || !prefs.Notify.Stale {
		t.Errorf("preferences after saving = %+v; want 7 days, weekly, closing off", prefs)
	}
	b.checkProblems()
}
