package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"signpost/store"
)

// The leaderboard browser test: a board of 130 forecasters is paged 100
// rows at a time with the total shown, "jump to my row" lands on the page
// that holds the reader's highlighted row, a reader without a row is told
// so, and the team board ends with the teams that have no score, with a
// dash and a note, in both languages and on a 390 px phone.

const boardPagesSize = 130

// boardPagesSetup imports a tournament of 130 ranked forecasters in 26
// teams of five, plus "idle", who never forecast, alone in Quiet Owls.
// Forecaster f013 (password e2ePassword) ranks 117th: on the second page.
func boardPagesSetup(t *testing.T) (base string, mine, idle e2eSession) {
	t.Helper()
	base = startTestServer(t, map[string]string{"SIGNPOST_ADMIN_USERNAME": e2eAdminUser, "SIGNPOST_ADMIN_PASSWORD": e2eAdminPass})
	var admin e2eSession
	if code := apiJSON(t, base, "POST", "/auth/login", "", map[string]string{"username": e2eAdminUser, "password": e2eAdminPass}, &admin); code != 200 {
		t.Fatalf("admin login = %d", code)
	}
	yes := 0
	doc := store.Archive{Format: store.ArchiveFormat,
		Tournament: store.ArchiveTournament{Slug: "crowded", Title: store.Text{"en": "Crowded", "zh": "人多"},
			StartsAt: "2026-01-01T00:00:00Z", EndsAt: "2026-12-31T00:00:00Z"},
		Questions: []store.ArchiveQuestion{{Slug: "q", Kind: "binary", Title: store.Text{"en": "Q?"}, Criteria: store.Text{"en": "c"},
			OpensAt: "2026-02-01T00:00:00Z", ClosesAt: "2026-03-01T00:00:00Z",
			Resolution: &store.ArchiveResolution{Outcome: &yes, ResolvedAt: "2026-03-01T00:00:00Z"}}}}
	for k := range boardPagesSize {
		name := fmt.Sprintf("f%03d", k)
		u := store.ArchiveUser{Username: name, DisplayName: "Forecaster " + name}
		if k == 13 {
			u.Password = e2ePassword
		}
		doc.Users = append(doc.Users, u)
		if k%5 == 0 {
			doc.Teams = append(doc.Teams, store.ArchiveTeam{Name: fmt.Sprintf("Team %02d", k/5)})
		}
		doc.Teams[len(doc.Teams)-1].Members = append(doc.Teams[len(doc.Teams)-1].Members, name)
		// The higher k, the likelier Yes: forecaster k ranks 130-k.
		p := 0.05 + 0.9*float64(k)/boardPagesSize
		doc.Forecasts = append(doc.Forecasts, store.ArchiveForecast{Username: name, QuestionSlug: "q",
			Probabilities: []float64{p, 1 - p}, CreatedAt: "2026-02-02T00:00:00Z"})
	}
	doc.Users = append(doc.Users, store.ArchiveUser{Username: "idle", DisplayName: "Idle", Password: e2ePassword})
	doc.Teams = append(doc.Teams, store.ArchiveTeam{Name: "Quiet Owls", Members: []string{"idle"}})
	if code := apiJSON(t, base, "POST", "/admin/import", admin.Token, doc, nil); code != 200 && code != 201 {
		t.Fatalf("import = %d", code)
	}
	for name, s := range map[string]*e2eSession{"f013": &mine, "idle": &idle} {
		if code := apiJSON(t, base, "POST", "/auth/login", "", map[string]string{"username": name, "password": e2ePassword}, s); code != 200 {
			t.Fatalf("login %s = %d", name, code)
		}
	}
	return base, mine, idle
}

func TestUILeaderboardPages(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	findChromium(t)
	base, mine, idle := boardPagesSetup(t)
	b := newBrowser(t, base)
	b.do("load", chromedp.Navigate(base+"/"))
	rows := `document.querySelectorAll('#leaderboard-table tbody:not(.unscored) tr').length`
	firstRank := `document.querySelector('#leaderboard-table tbody tr td').textContent`
	b.subtest("pages in English", func(t *testing.T) {
		b.setLang("en")
		b.signIn(&mine)
		b.reload("#/leaderboard?t=crowded")
		if n, where := b.eval(`String(`+rows+`)`), b.text(".pager .lb-where"); n != "100" || where != "Rows 1–100 of 130" {
			t.Fatalf("first page: %s rows, %q; want 100 and Rows 1–100 of 130", n, where)
		}
		if b.count("#leaderboard-table tr.mine") != 0 || b.count(".pager .lb-prev.disabled") != 2 {
			t.Errorf("first page: my row shown or Previous enabled")
		}
		b.click(".pager .lb-next")
		b.waitJS("the second page", rows+` === 30 && `+firstRank+` === '101'`)
		if where := b.text(".pager .lb-where"); where != "Rows 101–130 of 130" || b.count(".pager .lb-next.disabled") != 2 {
			t.Errorf("second page: %q; want Rows 101–130 of 130 and no Next", where)
		}
		b.click(".pager .lb-prev")
		b.waitJS("back on the first page", rows+` === 100 && `+firstRank+` === '1'`)
		// The jump: the page that holds my row, highlighted.
		b.click(".pager .lb-jump")
		b.waitJS("my row", `!!document.querySelector('#leaderboard-table tr.mine')`)
		if got := b.text("#leaderboard-table tr.mine"); !strings.HasPrefix(got, "117") || !strings.Contains(got, "Forecaster f013") {
			t.Errorf("highlighted row = %q; want rank 117, Forecaster f013", got)
		}
		b.screenshot("board-pages-en-mine")
		// Team board: 26 ranked teams, then Quiet Owls with a dash and the note.
		b.routeQuery("#/leaderboard/team?t=crowded")
		if n, owls := b.eval(`String(`+rows+`)`), b.text("#unscored-team"); n != "26" || !strings.Contains(owls, "—Quiet Owls") || !strings.Contains(owls, "no scored questions yet") {
			t.Errorf("team board: %s ranked rows, unscored %q; want 26 and Quiet Owls with a dash and the note", n, owls)
		}
		if got := b.text("#leaderboard-table tr.mine"); !strings.Contains(got, "Team 02") {
			t.Errorf("my team's row = %q; want Team 02 highlighted", got)
		}
		b.screenshot("board-pages-en-teams")
	})
	b.subtest("phone in Chinese", func(t *testing.T) {
		b.do("phone", chromedp.EmulateViewport(390, 844))
		defer b.do("desktop", chromedp.EmulateViewport(1280, 900))
		b.setLang("zh")
		b.signIn(&mine)
		b.reload("#/leaderboard?t=crowded&around=me")
		if got := b.text("#leaderboard-table tr.mine"); !strings.HasPrefix(got, "117") {
			t.Errorf("around me in Chinese: highlighted row %q; want rank 117", got)
		}
		if where, jump := b.text(".pager .lb-where"), b.text(".pager .lb-jump"); where != "第 31–130 行，共 130 行" || jump != "跳到我的名次" {
			t.Errorf("pager in Chinese: %q, %q", where, jump)
		}
		b.fitsWidth("leaderboard page at 390 px in zh")
		b.screenshotViewport("board-pages-zh-390-top")
		b.eval(`document.querySelector('#leaderboard-table tr.mine').scrollIntoView({block: 'center'}); ''`)
		b.screenshotViewport("board-pages-zh-390-mine")
		b.routeQuery("#/leaderboard/team?t=crowded")
		if owls := b.text("#unscored-team"); !strings.Contains(owls, "Quiet Owls") || !strings.Contains(owls, "尚无得分的题目") {
			t.Errorf("unscored team in Chinese = %q", owls)
		}
		b.fitsWidth("team board at 390 px in zh")
		b.eval(`document.getElementById('unscored-team').scrollIntoView({block: 'center'}); ''`)
		b.screenshotViewport("board-pages-zh-390-teams")
		// A reader without a row is told so, and sees the first page.
		b.signIn(&idle)
		b.reload("#/leaderboard?t=crowded&around=me")
		if got := b.text("#lb-not-ranked"); !strings.Contains(got, "你还不在此榜上") || b.eval(`String(`+rows+`)`) != "100" {
			t.Errorf("no row of mine: notice %q; want the Chinese notice over the first page", got)
		}
		b.reload("#/leaderboard/team?t=crowded&around=me")
		if got := b.text("#leaderboard-table tr.mine"); !strings.Contains(got, "Quiet Owls") || !strings.Contains(b.text("#lb-not-ranked"), "团队尚未上榜") {
			t.Errorf("unranked team: my row %q, notice %q", got, b.text("#lb-not-ranked"))
		}
	})
	b.checkProblems()
}

// routeQuery goes to a hash route with a query and waits until the page has
// rendered its path.
func (b *browser) routeQuery(hash string) {
	b.t.Helper()
	b.do("go to "+hash, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`location.hash = %q`, hash)))
	b.waitReady(strings.SplitN(strings.TrimPrefix(hash, "#"), "?", 2)[0])
}
