package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The password browser test covers the password change form, the annul
// reason in each language (shown in the reader's, else the other), and the
// admins' confirmations counting forecasters below the crowd minimum, where
// the question has no crowd to count them.

// passwordReasonWords are the texts the test expects, per language.
var passwordReasonWords = map[string]struct {
	wrongCurrent, wrongLogin, changed, forecasters2, forecaster1 string
}{
	"en": {"The current password is not right.", "Wrong username or password.", "Password changed", "(2 forecasters)", "(1 forecaster)"},
	"zh": {"当前密码不正确。", "用户名或密码错误。", "密码已修改", "（2 位预测者）", "（1 位预测者）"},
}

func TestUIPasswordReasonsAndCounts(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	findChromium(t)
	// The default crowd minimum (3): two forecasters have no crowd.
	base := startTestServer(t, map[string]string{"SIGNPOST_ADMIN_USERNAME": e2eAdminUser, "SIGNPOST_ADMIN_PASSWORD": e2eAdminPass})
	binaries := openBinaries(t, base, 2)
	two, one := binaries[0], binaries[1]
	sessions := map[string]*e2eSession{}
	for _, name := range []string{"alice", "bob", "pw-en", "pw-zh"} {
		s := &e2eSession{}
		if code := apiJSON(t, base, "POST", "/auth/register", "", map[string]string{"username": name, "password": e2ePassword}, s); code != 201 {
			t.Fatalf("register %s = %d", name, code)
		}
		sessions[name] = s
	}
	for _, f := range []struct {
		who string
		q   int64
	}{{"alice", two}, {"bob", two}, {"alice", one}} {
		if code := apiJSON(t, base, "POST", fmt.Sprintf("/questions/%d/forecasts", f.q), sessions[f.who].Token, map[string]any{"probability": 0.4}, nil); code != 201 {
			t.Fatalf("forecast = %d", code)
		}
	}
	var q struct {
		Crowd       *struct{} `json:"crowd"`
		Forecasters int       `json:"forecasters"`
	}
	if apiJSON(t, base, "GET", fmt.Sprintf("/questions/%d", two), "", nil, &q); q.Crowd != nil || q.Forecasters != 2 {
		t.Fatalf("question with two forecasters: crowd %v, forecasters %d; want no crowd, 2", q.Crowd, q.Forecasters)
	}
	var admin e2eSession
	if code := apiJSON(t, base, "POST", "/auth/login", "", map[string]string{"username": e2eAdminUser, "password": e2eAdminPass}, &admin); code != 200 {
		t.Fatalf("admin login = %d", code)
	}

	b := newBrowser(t, base)
	b.do("open", chromedp.Navigate(base+"/"))
	b.waitReady("/")
	for _, c := range []struct {
		lang  string
		width int64
	}{{"en", 1280}, {"zh", 390}} {
		b.subtest("password change in "+c.lang, func(t *testing.T) {
			b.passwordChange(base, c.lang, c.width, sessions["pw-"+c.lang])
		})
	}
	b.do("desktop", chromedp.EmulateViewport(1280, 900))

	b.subtest("confirmations count forecasters below the crowd minimum", func(t *testing.T) {
		words := passwordReasonWords["en"]
		b.setLang("en")
		b.signIn(&admin)
		b.reload("#/admin/questions")
		b.choose("#resolve-form select[name=question]", fmt.Sprint(two))
		b.choose("#resolve-form select[name=outcome]", "0")
		if got := b.summaryOf("#resolve-form", "#resolve-btn"); !strings.Contains(got, words.forecasters2) {
			t.Errorf("resolve summary = %q; want %q", got, words.forecasters2)
		}
		b.shotOf("#resolve-form .confirm-panel", "confirm-resolve-en-1280")
		b.click("#confirm-no")
		// Forecasts exist, so the close date is locked, crowd or not.
		b.choose("#edit-form select[name=question]", fmt.Sprint(two))
		if got := b.eval(`String(document.querySelector('#edit-form input[name=closes_at]').disabled)`); got != "true" {
			t.Errorf("close date of a question with two forecasters (no crowd) is editable")
		}
	})

	b.subtest("annul reason in one language, read in both", func(t *testing.T) {
		words := passwordReasonWords["zh"]
		b.setLang("zh")
		b.do("phone", chromedp.EmulateViewport(390, 844))
		defer b.do("desktop", chromedp.EmulateViewport(1280, 900))
		b.signIn(&admin)
		b.reload("#/admin/questions")
		b.fitsWidth("#/admin/questions at 390 px in zh")
		b.choose("#resolve-form select[name=question]", fmt.Sprint(one))
		b.typeInto("#annul-form textarea[name='reason.zh']", "题目措辞含糊。")
		if got := b.summaryOf("#annul-form", "#annul-btn"); !strings.Contains(got, words.forecaster1) {
			t.Errorf("annul summary = %q; want %q", got, words.forecaster1)
		}
		b.shotOf("#annul-form .confirm-panel", "confirm-annul-zh-390")
		b.click("#confirm-yes")
		b.waitJS("annulled", `((document.querySelector('#flash .notice.ok') || {}).textContent || '').includes('已作废')`)
		var got struct {
			Resolution struct {
				Reason     string            `json:"reason"`
				ReasonI18n map[string]string `json:"reason_i18n"`
			} `json:"resolution"`
		}
		apiJSON(t, base, "GET", fmt.Sprintf("/questions/%d", one), "", nil, &got)
		if r := got.Resolution; r.Reason != "题目措辞含糊。" || len(r.ReasonI18n) != 1 || r.ReasonI18n["zh"] != "题目措辞含糊。" {
			t.Errorf("annulled through the UI: %+v; want the Chinese reason in reason_i18n.zh", r)
		}
		// An English reader sees the Chinese reason, there being no other.
		b.setLang("en")
		b.reload(fmt.Sprintf("#/q/%d", one))
		if got := b.text(".outcome"); !strings.Contains(got, "Reason: 题目措辞含糊。") {
			t.Errorf("annulled question in English shows %q; want the Chinese reason", got)
		}
		b.reload("#/admin/audit")
		if got := b.text("#audit-table"); !strings.Contains(got, "题目措辞含糊。") {
			t.Errorf("audit trail lacks the reason: %q", got)
		}
	})
	b.checkProblems()
}

// passwordChange changes a password through "My profile" in one language
// and width: a wrong current password is refused in that language, the
// right one changes it and signs out, the old password then fails to sign
// in and the new one signs in.
func (b *browser) passwordChange(base, lang string, width int64, s *e2eSession) {
	t := b.t
	t.Helper()
	words := passwordReasonWords[lang]
	username := "pw-" + lang
	newPassword := "new-password-" + lang
	b.do("viewport", chromedp.EmulateViewport(width, 844))
	b.setLang(lang)
	b.signIn(s)
	b.reload("#/me")
	if width < 500 {
		b.fitsWidth(fmt.Sprintf("#/me at %d px in %s", width, lang))
	}
	b.typeInto("#password-form input[name=current_password]", "not-my-password")
	b.typeInto("#password-form input[name=new_password]", newPassword)
	b.click("#password-form button[type=submit]")
	errText := `((document.querySelector('#password-form [data-field=current_password] .field-error') || {}).firstChild || {}).textContent || ''`
	b.waitJS("wrong current password", errText+` !== ''`)
	if got := b.eval(errText); got != words.wrongCurrent {
		t.Errorf("wrong current password in %s: %q; want %q", lang, got, words.wrongCurrent)
	}
	b.screenshot(fmt.Sprintf("password-wrong-%s-%d", lang, width))
	b.typeInto("#password-form input[name=current_password]", e2ePassword)
	b.click("#password-form button[type=submit]")
	b.waitReady("/login")
	if got := b.text("#flash"); !strings.Contains(got, words.changed) {
		t.Errorf("after the change the page says %q; want %q", got, words.changed)
	}
	if got := b.eval(`String(localStorage.getItem('signpost.session'))`); got != "null" {
		t.Errorf("after the change the session is still stored: %s", got)
	}
	if code := apiJSON(t, base, "GET", "/me", s.Token, nil, nil); code != 401 {
		t.Errorf("the token from before the change answers %d; want 401", code)
	}
	// The old password no longer signs in; the new one does.
	b.typeInto("#signin-form input[name=username]", username)
	b.typeInto("#signin-form input[name=password]", e2ePassword)
	b.click("#signin-form button[type=submit]")
	loginErr := `((document.querySelector('#signin-form [data-field=password] .field-error') || {}).firstChild || {}).textContent || ''`
	b.waitJS("old password refused", loginErr+` !== ''`)
	if got := b.eval(loginErr); got != words.wrongLogin {
		t.Errorf("old password in %s: %q; want %q", lang, got, words.wrongLogin)
	}
	b.typeInto("#signin-form input[name=password]", newPassword)
	b.click("#signin-form button[type=submit]")
	b.waitJS("signed in with the new password", `(JSON.parse(localStorage.getItem('signpost.session') || 'null') || {user: {}}).user.username === `+fmt.Sprintf("%q", username))
	b.screenshot(fmt.Sprintf("password-signed-in-%s-%d", lang, width))
}

// shotOf scrolls an element into view and saves what the screen shows (the
// admin page is too long for one readable picture).
func (b *browser) shotOf(sel, name string) {
	b.t.Helper()
	b.eval(fmt.Sprintf(`(() => { document.querySelector(%q).scrollIntoView({block: 'center'}); return ''; })()`, sel))
	b.screenshotViewport(name)
}

// summaryOf presses a form's button and returns the confirmation it asks.
func (b *browser) summaryOf(form, button string) string {
	b.t.Helper()
	b.click(button)
	b.waitJS("summary of "+form, fmt.Sprintf(`!!document.querySelector('%s .confirm-panel #confirm-yes')`, form))
	return b.text(form + " .confirm-panel")
}
