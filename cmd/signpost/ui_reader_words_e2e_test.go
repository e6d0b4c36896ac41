package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// clockAhead runs the page's Date.now d ahead from the next load on, as if
// the reader came back later; the returned function undoes it.
func (b *browser) clockAhead(d time.Duration) func() {
	b.t.Helper()
	var id page.ScriptIdentifier
	b.do("clock ahead", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		res, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: fmt.Sprintf(`(() => { const now = Date.now; Date.now = () => now.call(Date) + %d; })()`, d.Milliseconds())})
		id = res.Identifier
		return err
	}))
	return func() {
		b.do("clock back", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, page.RemoveScriptToEvaluateOnNewDocument, page.RemoveScriptToEvaluateOnNewDocumentParams{Identifier: id})
			return err
		}))
	}
}

// The words a page uses fit its reader: another forecaster's profile names
// them ("gwen’s scores", not "My scores" and "your forecasts") and ranks
// them "of" the board's size; a human on the bots' board is offered no
// jump to a row they cannot have; the board's filter lives in the URL;
// Reaffirm waits until a forecast is hours old; a fresh scenario form does
// not open with a red total.
func TestUIReaderWords(t *testing.T) {
	w := readingSetup(t)
	if code := apiJSON(t, w.base, "POST", "/admin/users/kate/bot", w.admin.Token, map[string]any{"bot": true}, nil); code != 200 {
		t.Fatalf("mark kate a bot = %d", code)
	}
	var board struct {
		Total int `json:"total"`
	}
	apiJSON(t, w.base, "GET", "/tournaments/ai-scenarios-2027/leaderboard?limit=1", "", nil, &board)
	if board.Total < 2 {
		t.Fatalf("the board ranks %d; want the reading world's forecasters", board.Total)
	}
	b := newBrowser(t, w.base)
	b.do("open home", chromedp.Navigate(w.base+"/"))
	b.waitReady("/")
	for _, c := range []struct{ lang, scores, mine, your, of string }{
		{"en", "gwen’s scores", "My scores", "your", fmt.Sprintf(" of %d ", board.Total)},
		{"zh", "gwen 的得分", "我的得分", "你的", fmt.Sprintf("在 %d 人中", board.Total)},
	} {
		b.subtest("profile "+c.lang, func(t *testing.T) {
			b.setLang(c.lang)
			b.signInAs(w.fran, "#/u/gwen")
			if got := b.text("#scored h2"); got != c.scores {
				t.Errorf("scores heading %q; want %q", got, c.scores)
			}
			if got := b.text("main"); strings.Contains(got, c.mine) || strings.Contains(strings.ToLower(b.text("#calibration")), c.your) {
				t.Errorf("another forecaster's profile says %q or %q", c.mine, c.your)
			}
			if got := b.text("#standing .rank-line"); !strings.Contains(got, c.of) {
				t.Errorf("rank line %q; want %q", got, c.of)
			}
			b.checkProblems()
		})
	}
	b.subtest("bots board and the filter in the URL", func(t *testing.T) {
		b.setLang("en")
		b.signInAs(w.fran, "#/leaderboard")
		if b.count(".pager .lb-jump") != 1 {
			t.Error("a ranked human is not offered their row on the main board")
		}
		b.choose("select[id^='participants']", "bots")
		b.waitJS("bots only", `location.hash.includes('p=bots') && document.querySelectorAll('#leaderboard-table tbody tr').length === 1`)
		if b.count(".pager .lb-jump") != 0 || b.count("#lb-not-ranked") != 0 {
			t.Error("on the bots' board a human is offered a jump to their row, or told they will appear")
		}
		b.reload("#/leaderboard?p=bots")
		if got := b.eval(`document.querySelector("select[id^='participants']").value`); got != "bots" {
			t.Errorf("after a reload the filter reads %q; want bots", got)
		}
		b.click(`.tabs a[href^="#/leaderboard/conditional"]`)
		b.waitReady("/leaderboard/conditional")
		if !strings.Contains(b.eval(`location.hash`), "p=bots") {
			t.Errorf("the conditional tab drops the filter: %s", b.eval(`location.hash`))
		}
	})
	b.subtest("reaffirm and a fresh form", func(t *testing.T) {
		b.setLang("en")
		b.signInAs(w.fran, fmt.Sprintf("#/q/%d", w.scenario))
		if b.count("#reaffirm") != 0 {
			t.Error("Reaffirm is offered for a forecast made seconds ago")
		}
		// Fran comes back later, her session (as the page reads it) still valid.
		later := w.fran
		later.ExpiresAt = "2099-01-01T00:00:00Z"
		b.signInAs(later, fmt.Sprintf("#/q/%d", w.scenario))
		undo := b.clockAhead(36 * time.Hour)
		b.reload(fmt.Sprintf("#/q/%d", w.scenario))
		if b.count("#reaffirm") != 1 {
			t.Error("Reaffirm is not offered for a forecast a day and a half old")
		}
		undo()
		lena := spRegister(t, w.base, "lena")
		for _, lang := range []string{"en", "zh"} {
			b.setLang(lang)
			b.signInAs(lena, fmt.Sprintf("#/q/%d", w.scenario))
			if got := b.eval(`(() => { const e = document.querySelector('#forecast .total'); return e.className + '|' + getComputedStyle(e).color; })()`); strings.Contains(got, "bad") || strings.Contains(got, "rgb(180, 35, 24)") {
				t.Errorf("%s: a fresh form's total is drawn as an error: %s", lang, got)
			}
			b.typeInto("#forecast input[name=p0]", "30")
			if got := b.eval(`document.querySelector('#forecast .total').className`); !strings.Contains(got, "bad") {
				t.Errorf("%s: a total of 30 %% is not marked (class %q)", lang, got)
			}
		}
		b.checkProblems()
	})
}
