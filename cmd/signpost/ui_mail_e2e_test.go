package main

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"signpost/api/mail/mailtest"
	"signpost/store"
)

// reaffirmWords are what the reaffirm page says, per language.
var reaffirmWords = map[string]struct{ title, button, done, unsubscribed string }{
	"en": {"Reaffirm your forecast", "Record it again", "Recorded again: 1.", "You are unsubscribed."},
	"zh": {"确认你的预测", "再次记录", "已再次记录：1 项。", "你已退订。"},
}

// TestUIReaffirmFromDigest follows a digest's reaffirm link, sent through
// a real SMTP server, on a phone in each language: opening the page
// records nothing; its one button records the standing forecast again.
func TestUIReaffirmFromDigest(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	findChromium(t)
	mp := mailtest.Start(t)
	db := filepath.Join(t.TempDir(), "signpost.db")
	base, _ := bootServer(t, db, map[string]string{"SIGNPOST_ADMIN_USERNAME": e2eAdminUser, "SIGNPOST_ADMIN_PASSWORD": e2eAdminPass,
		"SIGNPOST_SMTP_URL": mp.SMTPURL, "SIGNPOST_MAIL_FROM": "signpost@example.org", "SIGNPOST_PUBLIC_URL": "http://signpost.test"})
	// The preferences are set in the database the server runs on: a
	// second connection to its SQLite file.
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	q := openBinaries(t, base, 1)[0]
	token := regexp.MustCompile(`/#/(verify-email|reaffirm|unsubscribe)\?token=([A-Za-z0-9_-]+)`)
	linkOf := func(address, page string) string {
		t.Helper()
		for _, m := range mp.To(t, address) {
			for _, l := range token.FindAllStringSubmatch(m.Text, -1) {
				if l[1] == page {
					return l[2]
				}
			}
		}
		t.Fatalf("no %s link in the mails to %s", page, address)
		return ""
	}
	sessions := map[string]*e2eSession{}
	for i, lang := range []string{"en", "zh"} {
		name := "reader-" + lang
		s := &e2eSession{}
		if code := apiJSON(t, base, "POST", "/auth/register", "", map[string]string{"username": name, "password": e2ePassword}, s); code != 201 {
			t.Fatalf("register %s = %d", name, code)
		}
		sessions[lang] = s
		var id struct {
			ID int64 `json:"id"`
		}
		apiJSON(t, base, "GET", "/me", s.Token, nil, &id)
		weekly, stale := store.DigestWeekly, 0 // every standing forecast is stale
		if _, err := st.UpdatePreferences(context.Background(), id.ID,
			store.PreferencesPatch{Language: &lang, Digest: &weekly, StaleDays: &stale}); err != nil {
			t.Fatal(err)
		}
		address := name + "@example.org"
		if code := apiJSON(t, base, "POST", "/me/email", s.Token, map[string]string{"email": address}, nil); code != 202 {
			t.Fatalf("set address = %d", code)
		}
		mp.Wait(t, i+1)
		if code := apiJSON(t, base, "POST", "/auth/verify-email", "", map[string]string{"token": linkOf(address, "verify-email")}, nil); code != 204 {
			t.Fatalf("verify = %d", code)
		}
		if code := apiJSON(t, base, "POST", fmt.Sprintf("/questions/%d/forecasts", q), s.Token, map[string]any{"probability": 0.3}, nil); code != 201 {
			t.Fatalf("forecast = %d", code)
		}
	}
	var admin e2eSession
	if code := apiJSON(t, base, "POST", "/auth/login", "", map[string]string{"username": e2eAdminUser, "password": e2eAdminPass}, &admin); code != 200 {
		t.Fatalf("admin login = %d", code)
	}
	if code := apiJSON(t, base, "POST", "/admin/digests/send", admin.Token, map[string]string{}, nil); code != 202 {
		t.Fatalf("send digests = %d", code)
	}
	mp.Wait(t, 4) // two verifications, two digests

	b := newBrowser(t, base)
	b.do("open", chromedp.Navigate(base+"/"))
	b.waitReady("/")
	b.do("phone", chromedp.EmulateViewport(390, 844))
	for _, lang := range []string{"en", "zh"} {
		b.subtest("reaffirm in "+lang, func(t *testing.T) {
			words := reaffirmWords[lang]
			mine := func() int {
				var out struct {
					Forecasts []struct{} `json:"forecasts"`
				}
				apiJSON(t, base, "GET", fmt.Sprintf("/questions/%d/forecasts/mine", q), sessions[lang].Token, nil, &out)
				return len(out.Forecasts)
			}
			// The reader's browser is in the other language: the link's wins.
			b.setLang(map[string]string{"en": "zh", "zh": "en"}[lang])
			b.reload(fmt.Sprintf("#/reaffirm?token=%s&lang=%s", linkOf("reader-"+lang+"@example.org", "reaffirm"), lang))
			if got := b.text("h1"); got != words.title {
				t.Errorf("reaffirm page title = %q; want %q", got, words.title)
			}
			if got := b.text("#reaffirm-form button[type=submit]"); got != words.button {
				t.Errorf("button = %q; want %q", got, words.button)
			}
			b.fitsWidth("#/reaffirm at 390 px in " + lang)
			b.screenshot("reaffirm-" + lang + "-390")
			if n := mine(); n != 1 {
				t.Fatalf("opening the page recorded a forecast: %d forecasts; want 1", n)
			}
			b.click("#reaffirm-form button[type=submit]")
			b.waitJS("reaffirmed", `!!document.querySelector('#reaffirmed li')`)
			if got := b.text("#reaffirm-form .form-ok"); !strings.Contains(got, words.done) {
				t.Errorf("after the button: %q; want %q", got, words.done)
			}
			b.screenshot("reaffirmed-" + lang + "-390")
			if n := mine(); n != 2 {
				t.Errorf("after the button the reader has %d forecasts; want 2", n)
			}
			// The digest's unsubscribe page asks first, then turns it off.
			b.reload(fmt.Sprintf("#/unsubscribe?token=%s&lang=%s", linkOf("reader-"+lang+"@example.org", "unsubscribe"), lang))
			b.fitsWidth("#/unsubscribe at 390 px in " + lang)
			b.click("#unsubscribe-form button[type=submit]")
			b.waitJS("unsubscribed", `!document.querySelector('#unsubscribe-form button[type=submit]')`)
			if got := b.text("#unsubscribe-form .form-ok"); got != words.unsubscribed {
				t.Errorf("after unsubscribing: %q; want %q", got, words.unsubscribed)
			}
			b.screenshot("unsubscribed-" + lang + "-390")
		})
	}
	b.checkProblems()
}
