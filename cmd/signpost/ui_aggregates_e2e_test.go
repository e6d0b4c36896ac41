package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"signpost/scoring"
)

// aggregatesWords are the texts the aggregates test expects, per language.
var aggregatesWords = map[string]struct{ meanLogOdds, crowd, best, saved string }{
	"en": {"Mean of log-odds", "crowd", "Best forecasters", "The crowd is now: Mean of log-odds."},
	"zh": {"对数几率均值", "当前群体", "最佳预测者", "群体预测现在采用：对数几率均值。"},
}

// The aggregates board beside the leaderboards, and the admin's section
// with each aggregate's score, interval, the recommendation and the
// setting, in both languages, on a synthetic tournament of 30 resolved
// questions.
func TestUIAggregates(t *testing.T) {
	base, _ := startUIServer(t)
	var admin e2eSession
	if code := apiJSON(t, base, "POST", "/auth/login", "", map[string]string{"username": e2eAdminUser, "password": e2eAdminPass}, &admin); code != 200 {
		t.Fatalf("admin login = %d", code)
	}
	archive := simArchive(t, scoring.SimOptions{Seed: 5, Forecasters: 10, Questions: 30, Days: 6, Stride: 1}, "")
	if code := apiJSON(t, base, "POST", "/admin/import", admin.Token, json.RawMessage(archive), nil); code != 200 {
		t.Fatalf("import = %d", code)
	}
	var board struct {
		Aggregates []struct {
			Questions int `json:"questions"`
		} `json:"aggregates"`
	}
	if code := apiJSON(t, base, "GET", "/tournaments/sim/aggregates", "", nil, &board); code != 200 || len(board.Aggregates) != 5 || board.Aggregates[1].Questions < 25 {
		t.Fatalf("aggregates = %d %+v; want 5 aggregates on most of the 30 questions", code, board)
	}
	b := newBrowser(t, base)
	b.do("open", chromedp.Navigate(base+"/"))
	b.waitReady("/")
	b.signIn(&admin)
	b.eval(`localStorage.setItem('signpost.tournament', 'sim'); ''`)
	for _, lang := range []string{"en", "zh"} {
		words := aggregatesWords[lang]
		b.subtest("board in "+lang, func(t *testing.T) {
			b.setLang(lang)
			b.do("desktop", chromedp.EmulateViewport(1280, 900))
			apiJSON(t, base, "PATCH", "/tournaments/sim", admin.Token, map[string]string{"crowd_aggregate": "median"}, nil)
			b.reload("#/leaderboard/aggregates?t=sim")
			b.waitJS("the aggregates table", `document.querySelectorAll('#aggregates-table tr[data-aggregate]').length === 5`)
			if got := b.text(`#aggregates-table tr[data-aggregate="mean_logodds"] td:nth-child(2)`); got != fmt.Sprint(board.Aggregates[1].Questions) {
				t.Errorf("mean_logodds on %q questions; the API says %d", got, board.Aggregates[1].Questions)
			}
			if got := b.text(`#aggregates-table tr[data-aggregate="mean_logodds"]`); !strings.Contains(got, words.meanLogOdds) {
				t.Errorf("mean_logodds row %q; want %q", got, words.meanLogOdds)
			}
			if got := b.text(`#aggregates-table tr[data-aggregate="median"]`); !strings.Contains(got, words.crowd) {
				t.Errorf("median row %q; want the %q badge", got, words.crowd)
			}
			if got := b.text("#aggregates-humans"); !strings.Contains(got, words.best) || b.count("#aggregates-humans tr.agg-human") != 3 {
				t.Errorf("humans %q; want the 3 best forecasters", got)
			}
			b.screenshot("aggregates-board-" + lang + "-1280")
			b.do("phone", chromedp.EmulateViewport(390, 844))
			b.reload("#/leaderboard/aggregates?t=sim")
			b.waitJS("the aggregates table", `document.querySelectorAll('#aggregates-table tr[data-aggregate]').length === 5`)
			b.screenshot("aggregates-board-" + lang + "-390")
			b.checkProblems()
		})
		b.subtest("admin setting in "+lang, func(t *testing.T) {
			b.setLang(lang)
			b.do("desktop", chromedp.EmulateViewport(1280, 900))
			apiJSON(t, base, "PATCH", "/tournaments/sim", admin.Token, map[string]string{"crowd_aggregate": "median"}, nil)
			b.reload("#/admin")
			b.waitJS("the admin's aggregates", `document.querySelectorAll('#admin-aggregates tr[data-aggregate]').length === 5`)
			if got := b.text("#aggregate-recommendation"); got == "" {
				t.Error("no recommendation sentence")
			}
			b.choose("#crowd-aggregate-form select[name=crowd_aggregate]", "mean_logodds")
			b.click("#crowd-aggregate-form button[type=submit]")
			b.waitJS("saved", `(document.querySelector('#crowd-aggregate-form .form-ok') || {}).hidden === false`)
			if got := b.text("#crowd-aggregate-form .form-ok"); got != words.saved {
				t.Errorf("saved message %q; want %q", got, words.saved)
			}
			b.waitJS("the crowd badge moves", `(document.querySelector('#admin-aggregates tr[data-aggregate="mean_logodds"] .agg-crowd') || null) !== null`)
			var tour struct {
				CrowdAggregate string `json:"crowd_aggregate"`
			}
			if apiJSON(t, base, "GET", "/tournaments/sim", "", nil, &tour); tour.CrowdAggregate != "mean_logodds" {
				t.Errorf("the tournament's crowd_aggregate = %q; want mean_logodds", tour.CrowdAggregate)
			}
			b.eval(`document.getElementById('aggregates').scrollIntoView(); ''`)
			b.screenshotViewport("aggregates-admin-" + lang + "-1280")
			b.do("phone", chromedp.EmulateViewport(390, 844))
			b.eval(`document.getElementById('aggregates').scrollIntoView(); ''`)
			b.screenshotViewport("aggregates-admin-" + lang + "-390")
			b.checkProblems()
		})
	}
}
