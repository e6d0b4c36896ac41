package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"signpost/api/mail"
	"signpost/api/mail/mailtest"
	"signpost/store"
)

// mailEnv is a server with e-mail on, a real SMTP server (Mailpit) and
// the mail worker, ticked by the test.
type mailEnv struct {
	*testEnv
	mp     *mailtest.Server
	worker *mail.Worker
}

func newMailEnv(t *testing.T) *mailEnv {
	t.Helper()
	mp := mailtest.Start(t)
	e := newTestEnv(t, func(c *Config) {
		c.Mail = mail.NewComposer("Signpost <signpost@example.org>", "http://signpost.test")
		c.LoginRate = 10
	})
	m := &mailEnv{testEnv: e, mp: mp}
	m.useWorker(0)
	return m
}

// useWorker replaces the mail worker, with a holdout percentage.
func (m *mailEnv) useWorker(holdout int) {
	smtp, err := mail.ParseSMTP(m.mp.SMTPURL)
	if err != nil {
		m.t.Fatal(err)
	}
	m.worker = mail.New(m.st, mail.Config{SMTP: smtp, From: "signpost@example.org", PublicURL: "http://signpost.test",
		HoldoutPercent: holdout, DigestEvery: -1, Now: m.clock.now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))},
		m.srv.MailSources())
}

// send runs the worker once and returns every message to address so far.
func (m *mailEnv) send(address string) []mailtest.Message {
	m.t.Helper()
	m.srv.WaitMail()                                // reset mails are written after their answer
	m.clock.set(m.clock.now().Add(3 * time.Minute)) // past any other worker's lease
	if err := m.worker.Tick(context.Background()); err != nil {
		m.t.Fatal(err)
	}
	return m.mp.To(m.t, address)
}

var linkToken = regexp.MustCompile(`/#/([a-z-]+)\?token=([A-Za-z0-9_-]+)`)

// tokenOf finds the token of the first link to an app page in a mail.
func tokenOf(t *testing.T, msg mailtest.Message, page string) string {
	t.Helper()
	for _, m := range linkToken.FindAllStringSubmatch(msg.Text, -1) {
		if m[1] == page {
			return m[2]
		}
	}
	t.Fatalf("no %s link in %q", page, msg.Text)
	return ""
}

// verified registers a forecaster with a verified address.
func (m *mailEnv) verified(name, lang string) (string, int64, string) {
	m.t.Helper()
	tok, id := m.register(name)
	if lang != "en" {
		if _, err := m.st.UpdatePreferences(context.Background(), id, store.PreferencesPatch{Language: &lang}); err != nil {
			m.t.Fatal(err)
		}
	}
	address := name + "@example.org"
	m.must(202, "POST", "/api/v1/me/email", tok, map[string]string{"email": address}, nil)
	got := m.send(address)
	if len(got) != 1 {
		m.t.Fatalf("%d mails to %s; want the verification", len(got), address)
	}
	m.must(204, "POST", "/api/v1/auth/verify-email", "", map[string]string{"token": tokenOf(m.t, got[0], "verify-email")}, nil)
	return tok, id, address
}

// freshToken is a new session token of a user, for after the clock moved.
func (m *mailEnv) freshToken(name string) string {
	m.t.Helper()
	u, err := m.st.FindUserByUsername(context.Background(), name)
	if err != nil {
		m.t.Fatal(err)
	}
	return m.token(u)
}

func TestVerificationAndPasswordReset(t *testing.T) {
	m := newMailEnv(t)
	ann, annID := m.register("ann")
	m.must(202, "POST", "/api/v1/me/email", ann, map[string]string{"email": "ann@example.org"}, nil)
	m.must(400, "POST", "/api/v1/me/email", ann, map[string]string{"email": "Ann <ann@example.org>"}, nil)
	// Not verified yet: a reset request sends nothing.
	m.must(202, "POST", "/api/v1/auth/forgot-password", "", map[string]string{"login": "ann"}, nil)
	got := m.send("ann@example.org")
	if len(got) != 1 || got[0].Subject != "Confirm your e-mail address for Signpost" {
		t.Fatalf("mails to an unverified address = %+v; want the verification only", got)
	}
	if !strings.Contains(got[0].HTML, "Confirm my address") || !strings.Contains(got[0].Text, "http://signpost.test/#/verify-email?token=") {
		t.Fatalf("verification mail lacks its link: %q", got[0].Text)
	}
	verify := tokenOf(t, got[0], "verify-email")
	m.must(400, "POST", "/api/v1/auth/verify-email", "", map[string]string{"token": verify + "x"}, nil)
	m.must(204, "POST", "/api/v1/auth/verify-email", "", map[string]string{"token": verify}, nil)
	m.must(400, "POST", "/api/v1/auth/verify-email", "", map[string]string{"token": verify}, nil)
	if e, ok, err := m.st.UserEmail(context.Background(), annID); err != nil || !ok || e != "ann@example.org" {
		t.Fatalf("UserEmail = %q, %v, %v; want verified", e, ok, err)
	}

	// Unknown accounts and addresses are answered alike.
	for _, login := range []string{"nobody", "nobody@example.org", "ann@example.org"} {
		m.must(202, "POST", "/api/v1/auth/forgot-password", "", map[string]string{"login": login}, nil)
	}
	got = m.send("ann@example.org")
	if len(got) != 2 || got[1].Subject != "Reset your Signpost password" {
		t.Fatalf("mails after the reset request = %d; want the reset", len(got))
	}
	if n := len(m.mp.Messages(t)); n != 2 {
		t.Fatalf("%d mails in all; want 2 (nothing to unknown accounts)", n)
	}
	reset := tokenOf(t, got[1], "reset-password")
	m.must(400, "POST", "/api/v1/auth/reset-password", "", map[string]string{"token": reset, "new_password": "short"}, nil)
	m.must(204, "POST", "/api/v1/auth/reset-password", "", map[string]string{"token": reset, "new_password": "a-new-password"}, nil)
	m.must(401, "GET", "/api/v1/me", ann, nil, nil)
	m.must(400, "POST", "/api/v1/auth/reset-password", "", map[string]string{"token": reset, "new_password": "another-password"}, nil)
	m.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"username": "ann", "password": "a-new-password"}, nil)

	// A reset link works for one hour.
	m.must(202, "POST", "/api/v1/auth/forgot-password", "", map[string]string{"login": "ann"}, nil)
	got = m.send("ann@example.org")
	late := tokenOf(t, got[len(got)-1], "reset-password")
	m.clock.set(m.clock.now().Add(61 * time.Minute))
	m.must(400, "POST", "/api/v1/auth/reset-password", "", map[string]string{"token": late, "new_password": "too-late-password"}, nil)

	// Reset requests are limited like logins.
	limited := false
	for range 12 {
		if r := m.do("POST", "/api/v1/auth/forgot-password", "", map[string]string{"login": "bob"}); r.status == 429 {
			limited = true
			break
		}
	}
	if !limited {
		t.Fatal("12 reset requests for one login in a minute were all accepted; want 429")
	}
}

// TestDigestReaffirmUnsubscribeHoldout sends digests in both languages,
// follows their reaffirm and one-click unsubscribe links, and keeps a
// held-out reader's digest back.
func TestDigestReaffirmUnsubscribeHoldout(t *testing.T) {
	m := newMailEnv(t)
	ctx := context.Background()
	ids := m.questionIDs()
	bin := ids["a-huawei-ascend-960-launch"]
	annTok, ann, annAddr := m.verified("ann", "en")
	bobTok, bob, bobAddr := m.verified("bob", "zh")
	weekly := store.DigestWeekly
	for _, id := range []int64{ann, bob} {
		if _, err := m.st.UpdatePreferences(ctx, id, store.PreferencesPatch{Digest: &weekly}); err != nil {
			t.Fatal(err)
		}
	}
	m.must(201, "POST", qpath(bin, "/forecasts"), annTok, map[string]any{"probability": 0.7}, nil)
	m.must(201, "POST", qpath(bin, "/forecasts"), bobTok, map[string]any{"probability": 0.4}, nil)
	m.clock.set(m.clock.now().Add(20 * 24 * time.Hour)) // past the 14 days that make a forecast stale
	m.admin = m.freshToken("admin")
	m.must(202, "POST", "/api/v1/admin/digests/send", m.admin, map[string]string{}, nil)
	en, zh := m.send(annAddr), m.send(bobAddr)
	if len(en) != 2 || en[1].Subject != "Your Signpost digest" || !strings.Contains(en[1].Text, "yes 70%") {
		t.Fatalf("ann's digest = %+v", en[len(en)-1])
	}
	if len(zh) != 2 || zh[1].Subject != "你的 Signpost 摘要" || !strings.Contains(zh[1].Text, "是 40%") ||
		!strings.Contains(zh[1].HTML, "一键确认") {
		t.Fatalf("bob's digest = %+v", zh[len(zh)-1])
	}
	digest := en[1]
	if h := digest.Headers["List-Unsubscribe-Post"]; len(h) != 1 || h[0] != "List-Unsubscribe=One-Click" {
		t.Fatalf("List-Unsubscribe-Post = %q", h)
	}
	unsub := regexp.MustCompile(`<(http://signpost\.test/api/v1/unsubscribe\?token=[A-Za-z0-9_-]+)>`).
		FindStringSubmatch(strings.Join(digest.Headers["List-Unsubscribe"], ""))
	if unsub == nil {
		t.Fatalf("List-Unsubscribe = %q", digest.Headers["List-Unsubscribe"])
	}

	// Reaffirm: one POST records the standing forecast again, once.
	reaffirm := tokenOf(t, digest, "reaffirm")
	var out reaffirmDTO
	m.must(201, "POST", "/api/v1/reaffirm", "", map[string]string{"token": reaffirm}, &out)
	if len(out.Forecasts) != 1 || out.Forecasts[0].QuestionID != bin || out.Forecasts[0].Probabilities[0] != 0.7 ||
		out.Forecasts[0].CreatedAt != formatTime(m.clock.now()) {
		t.Fatalf("reaffirmed = %+v", out.Forecasts)
	}
	m.must(400, "POST", "/api/v1/reaffirm", "", map[string]string{"token": reaffirm}, nil)

	// One-click unsubscribe as a mail client does it (RFC 8058), twice.
	path := strings.TrimPrefix(unsub[1], "http://signpost.test")
	for range 2 {
		req, _ := http.NewRequest("POST", m.base+path, strings.NewReader("List-Unsubscribe=One-Click"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("one-click unsubscribe = %d; want 200", resp.StatusCode)
		}
	}
	if p, _ := m.st.UserPreferences(ctx, ann); p.Digest != store.DigestOff {
		t.Fatalf("ann's digest after unsubscribing = %s; want off", p.Digest)
	}

	// Carol joins while 100 % are held out: she is held out, ann and bob
	// keep the group they were drawn into.
	_, carol, carolAddr := m.verified("carol", "en")
	if _, err := m.st.UpdatePreferences(ctx, carol, store.PreferencesPatch{Digest: &weekly}); err != nil {
		t.Fatal(err)
	}
	// Erin reads digests but never verified her address: she gets none.
	erinTok, erin := m.register("erin")
	m.must(202, "POST", "/api/v1/me/email", erinTok, map[string]string{"email": "erin@example.org"}, nil)
	m.must(201, "POST", qpath(bin, "/forecasts"), erinTok, map[string]any{"probability": 0.2}, nil)
	if _, err := m.st.UpdatePreferences(ctx, erin, store.PreferencesPatch{Digest: &weekly}); err != nil {
		t.Fatal(err)
	}
	m.useWorker(100)
	m.must(202, "POST", "/api/v1/admin/digests/send", m.admin, map[string]string{"tournament": "ai-scenarios-2027"}, nil)
	if got := m.send("erin@example.org"); len(got) != 1 {
		t.Fatalf("the unverified address received %d mails; want its verification only", len(got))
	}
	if got := m.send(annAddr); len(got) != 2 {
		t.Fatalf("ann received %d mails after unsubscribing; want no new digest", len(got))
	}
	if got := m.send(bobAddr); len(got) != 3 {
		t.Fatalf("bob received %d mails; want a second digest (drawn into the digest group once, kept)", len(got))
	}
	if got := m.send(carolAddr); len(got) != 1 {
		t.Fatalf("carol received %d mails; want the verification only (held out)", len(got))
	}
	var rep digestReportDTO
	m.must(200, "GET", "/api/v1/admin/digests/report", m.admin, nil, &rep)
	if len(rep.Groups) != 2 || rep.Groups[0].Users != 2 || rep.Groups[1].Users != 1 ||
		rep.Groups[0].ForecastsAfterDigest != 1 || rep.Groups[0].StandingForecasts != 2 || rep.Groups[1].StandingForecasts != 0 {
		t.Fatalf("report = %+v", rep.Groups)
	}
	m.must(403, "GET", "/api/v1/admin/digests/report", m.freshToken("ann"), nil, nil)
}

func TestMailOffAnswers(t *testing.T) {
	e := newTestEnv(t)
	tok, _ := e.register("ann")
	e.must(409, "POST", "/api/v1/me/email", tok, map[string]string{"email": "ann@example.org"}, nil)
	e.must(202, "POST", "/api/v1/auth/forgot-password", "", map[string]string{"login": "ann"}, nil)
	e.must(409, "POST", "/api/v1/admin/digests/send", e.admin, map[string]string{}, nil)
}

// TestNotificationMailToVerifiedOnly resolves a question two people
// forecast: the one with a verified address gets the notification by
// mail at once, the other only in the app; the mail's one-click link
// turns that kind of notice off.
func TestNotificationMailToVerifiedOnly(t *testing.T) {
	m := newMailEnv(t)
	ctx := context.Background()
	bin := m.questionIDs()["a-huawei-ascend-960-launch"]
	annTok, ann, annAddr := m.verified("ann", "zh")
	daveTok, dave := m.register("dave")
	m.must(202, "POST", "/api/v1/me/email", daveTok, map[string]string{"email": "dave@example.org"}, nil)
	for _, tok := range []string{annTok, daveTok} {
		m.must(201, "POST", qpath(bin, "/forecasts"), tok, map[string]any{"probability": 0.6}, nil)
	}
	m.must(200, "POST", qpath(bin, "/resolve"), m.admin, map[string]any{"outcome": 0}, nil)
	for _, id := range []int64{ann, dave} {
		if ns, err := m.st.UserNotifications(ctx, id, 0, 10, false); err != nil || len(ns) != 1 {
			t.Fatalf("user %d has %d notifications, %v; want the resolution", id, len(ns), err)
		}
	}
	got := m.send(annAddr)
	if len(got) != 2 || !strings.HasPrefix(got[1].Subject, "Signpost：") || !strings.Contains(got[1].Subject, "已结算") {
		t.Fatalf("ann's mails = %d, last %q; want the resolution in Chinese", len(got), got[len(got)-1].Subject)
	}
	if d := m.mp.To(t, "dave@example.org"); len(d) != 1 {
		t.Fatalf("the unverified address received %d mails; want its verification only", len(d))
	}
	unsub := regexp.MustCompile(`<http://signpost\.test(/api/v1/unsubscribe\?token=[A-Za-z0-9_-]+)>`).
		FindStringSubmatch(strings.Join(got[1].Headers["List-Unsubscribe"], ""))
	if unsub == nil {
		t.Fatalf("List-Unsubscribe = %q", got[1].Headers["List-Unsubscribe"])
	}
	var out unsubscribedDTO
	m.must(200, "POST", unsub[1], "", nil, &out)
	if p, _ := m.st.UserPreferences(ctx, ann); p.Notify.Resolved || out.What != "notify.resolved" {
		t.Fatalf("after unsubscribing: %+v, %+v; want resolved notices off", out, p.Notify)
	}
}
