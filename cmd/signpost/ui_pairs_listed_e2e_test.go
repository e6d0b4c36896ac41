package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Conditional branches on the home page and the leaderboard: each pair is
// listed under its indicator, not among the indicators; the tournament's
// header counts questions, not branches; the conditional leaderboard has
// its tab beside the others. Both languages, 390 and 1280 px.
func TestUIConditionalBranchesListed(t *testing.T) {
	w := readingSetup(t)
	var tour struct {
		Questions []struct {
			ID        int64           `json:"id"`
			Condition *map[string]any `json:"condition"`
		} `json:"questions"`
	}
	apiJSON(t, w.base, "GET", "/tournaments/ai-scenarios-2027", "", nil, &tour)
	questions := 0
	for _, q := range tour.Questions {
		if q.Condition == nil {
			questions++
		}
	}
	if questions == len(tour.Questions) {
		t.Fatal("the tournament has no conditional branch")
	}
	b := newBrowser(t, w.base)
	b.do("open home", chromedp.Navigate(w.base+"/"))
	b.waitReady("/")
	for _, c := range []struct{ lang, count, tab string }{
		{"en", fmt.Sprintf("%d questions", questions), "Conditional branches"},
		{"zh", fmt.Sprintf("%d 道题", questions), "条件分支"},
	} {
		for _, width := range []int64{390, 1280} {
			b.subtest(fmt.Sprintf("%s %d", c.lang, width), func(t *testing.T) {
				b.setLang(c.lang)
				b.do("viewport", chromedp.EmulateViewport(width, 844))
				b.signInAs(w.fran, "#/")
				if got := b.text(".tour-head > p.muted"); !strings.Contains(got, c.count) {
					t.Errorf("tournament header %q does not say %q", got, c.count)
				}
				for _, id := range []int64{w.pair.IfYes.ID, w.pair.IfNo.ID} {
					if n := b.count(fmt.Sprintf(`.qitem[data-qid="%d"]`, id)); n != 0 {
						t.Errorf("branch %d is listed as a question of its own", id)
					}
					if n := b.count(fmt.Sprintf(`.qitem[data-qid="%d"] .qpairs a[href="#/q/%d"]`, w.huawei, id)); n != 1 {
						t.Errorf("branch %d is not linked under its indicator %d", id, w.huawei)
					}
				}
				b.fitsWidth("home " + c.lang)
				b.shotOf(fmt.Sprintf(`.qitem[data-qid="%d"]`, w.huawei), fmt.Sprintf("home-pairs-%s-%d", c.lang, width))

				b.route("#/leaderboard")
				if n := b.count(".tabs .tab"); n != 4 {
					t.Errorf("%d leaderboard tabs; want 4 (individuals, teams, conditional branches, aggregates)", n)
				}
				b.click(`.tabs a[href^="#/leaderboard/conditional"]`)
				b.waitReady("/leaderboard/conditional")
				if got := b.text(".tabs .tab.active"); got != c.tab {
					t.Errorf("active tab %q; want %q", got, c.tab)
				}
				if b.count("#lb-conditional-note") != 1 {
					t.Error("the conditional board does not say what it ranks")
				}
				b.fitsWidth("conditional board " + c.lang)
				b.screenshotViewport(fmt.Sprintf("board-conditional-%s-%d", c.lang, width))
				b.checkProblems()
			})
		}
	}
}
