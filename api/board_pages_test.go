package api

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"signpost/api/scoreboard"
	"signpost/store"
)

// bigBoard is a tournament whose board has n ranked forecasters (distinct
// scores), the first 50 in ten teams of five, a lurker without a forecast
// who leads a team of one (unscored), and tokens for all of them.
type bigBoard struct {
	e      *testEnv
	tokens []string // tokens[i] is forecaster i's
	ids    []int64
	lurker string
	path   string
	qid    int64
}

func newBigBoard(t *testing.T, n int) *bigBoard {
	t.Helper()
	e := newTestEnv(t, func(c *Config) { c.TokenTTL = 365 * 24 * time.Hour })
	e.clock.set(time.Date(2016, 10, 1, 0, 0, 0, 0, time.UTC))
	e.must(201, "POST", "/api/v1/tournaments", e.admin, map[string]any{"slug": "big", "title": map[string]string{"en": "Big"},
		"starts_at": "2016-10-01T00:00:00Z", "ends_at": "2016-12-01T00:00:00Z"}, nil)
	var q questionDTO
	e.must(201, "POST", "/api/v1/tournaments/big/questions", e.admin, map[string]any{"slug": "q", "kind": "binary",
		"title": map[string]string{"en": "Q?"}, "criteria": map[string]string{"en": "c"},
		"opens_at": "2016-10-01T00:00:00Z", "closes_at": "2016-11-01T00:00:00Z"}, &q)
	b := &bigBoard{e: e, path: "/api/v1/tournaments/big/leaderboard", qid: q.ID}
	newUser := func(name string) (string, int64) {
		u, err := store.NewAccount(name, "password-"+name, "", store.RoleForecaster, 4)
		if err != nil {
			t.Fatal(err)
		}
		if u, err = e.st.CreateUser(t.Context(), u); err != nil {
			t.Fatal(err)
		}
		return e.token(u), u.ID
	}
	e.clock.set(time.Date(2016, 10, 2, 0, 0, 0, 0, time.UTC))
	var invite string
	for i := range n {
		tok, id := newUser(fmt.Sprintf("f%03d", i))
		b.tokens, b.ids = append(b.tokens, tok), append(b.ids, id)
		// Distinct probabilities of the outcome give distinct scores.
		p := 0.01 + 0.98*float64(i)/float64(n)
		e.must(201, "POST", qpath(q.ID, "/forecasts"), tok, map[string]any{"probabilities": []float64{1 - p, p}}, nil)
		if i < 50 && i%5 == 0 {
			var tm teamDTO
			e.must(201, "POST", "/api/v1/tournaments/big/teams", tok, map[string]string{"name": fmt.Sprintf("team %02d", i/5)}, &tm)
			invite = tm.InviteCode
		} else if i < 50 {
			e.must(200, "POST", "/api/v1/tournaments/big/teams/join", tok, map[string]string{"invite_code": invite}, nil)
		}
	}
	b.lurker, _ = newUser("lurker")
	e.must(201, "POST", "/api/v1/tournaments/big/teams", b.lurker, map[string]string{"name": "Aardvarks"}, nil)
	e.clock.set(time.Date(2016, 11, 2, 0, 0, 0, 0, time.UTC))
	e.must(200, "POST", qpath(q.ID, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-01T00:00:00Z"}, nil)
	return b
}

// boardPage is one page as a client decodes it.
type boardPage struct {
	Entries []struct {
		Rank int `json:"rank"`
		User *struct {
			ID int64 `json:"id"`
		} `json:"user"`
		Team *struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"team"`
	} `json:"entries"`
	Total         int               `json:"total"`
	Offset        int               `json:"offset"`
	NextCursor    *string           `json:"next_cursor"`
	UnscoredTeams []unscoredTeamDTO `json:"unscored_teams"`
}

func (p boardPage) id(i int) int64 {
	if p.Entries[i].Team != nil {
		return p.Entries[i].Team.ID
	}
	return p.Entries[i].User.ID
}

// walk follows next_cursor from query's first page to the end and returns
// the rows' IDs in order, checking every page on the way.
func (b *bigBoard) walk(t *testing.T, query string, limit int) ([]int64, boardPage) {
	t.Helper()
	sep := "?"
	if query != "" {
		sep = "&"
	}
	path := b.path + query + sep + "limit=" + fmt.Sprint(limit)
	var ids []int64
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("next_cursor never became null")
		}
		var p boardPage
		b.e.must(200, "GET", path, "", nil, &p)
		if len(p.Entries) > limit || p.Offset != len(ids) {
			t.Fatalf("page %d of %s: %d rows at offset %d; want at most %d at %d", pages, query, len(p.Entries), p.Offset, limit, len(ids))
		}
		for i := range p.Entries {
			ids = append(ids, p.id(i))
		}
		if p.NextCursor == nil {
			return ids, p
		}
		if len(p.UnscoredTeams) > 0 {
			t.Fatalf("unscored teams on page %d, before the last", pages)
		}
		path = b.path + query + sep + "cursor=" + url.QueryEscape(*p.NextCursor)
	}
}

// TestLeaderboardPagesWalk: walking every page gives the whole ranking once,
// in order, for the individual, humans and team boards.
func TestLeaderboardPagesWalk(t *testing.T) {
	b := newBigBoard(t, 230)
	_, boards, err := b.e.srv.scores.Current(t.Context(), "big")
	if err != nil {
		t.Fatal(err)
	}
	var first boardPage
	b.e.must(200, "GET", b.path, "", nil, &first)
	if len(first.Entries) != scoreboard.DefaultPageLimit || first.Total != 230 || first.NextCursor == nil || first.Offset != 0 {
		t.Fatalf("first page: %d rows of %d, next %v; want %d of 230 and a cursor", len(first.Entries), first.Total, first.NextCursor, scoreboard.DefaultPageLimit)
	}
	for _, c := range []struct {
		query string
		limit int
		want  []int64
	}{
		{"", 100, b.ids},
		{"", 7, b.ids},
		{"?participants=humans", 1000, b.ids},
		{"?participants=humans", 33, b.ids},
	} {
		got, last := b.walk(t, c.query, c.limit)
		if !sameSet(got, c.want) || len(got) != len(c.want) {
			t.Fatalf("walk %s limit %d: %d rows; want each of %d once", c.query, c.limit, len(got), len(c.want))
		}
		for i, e := range boards.People(scoreboard.All) {
			if got[i] != e.User.ID {
				t.Fatalf("walk %s limit %d: row %d is user %d; want %d (the board's order)", c.query, c.limit, i, got[i], e.User.ID)
			}
		}
		if last.UnscoredTeams != nil {
			t.Fatalf("individual board lists unscored teams: %+v", last.UnscoredTeams)
		}
	}
	teams, last := b.walk(t, "?by=team", 3)
	if len(teams) != 10 || !sameSet(teams, boards.Pick(false, scoreboard.All, true).IDs()) {
		t.Fatalf("team walk: %v; want each of the board's 10 teams once", teams)
	}
	if len(last.UnscoredTeams) != 1 || last.UnscoredTeams[0].Team.Name != "Aardvarks" || last.UnscoredTeams[0].Members != 1 {
		t.Fatalf("unscored teams = %+v; want Aardvarks of 1", last.UnscoredTeams)
	}
	// Offsets give the same rows as cursors; past the end is an empty last page.
	var p boardPage
	b.e.must(200, "GET", b.path+"?offset=220&limit=5", "", nil, &p)
	if p.Offset != 220 || len(p.Entries) != 5 || p.id(0) != boards.People(scoreboard.All)[220].User.ID || p.NextCursor == nil {
		t.Fatalf("offset 220: %+v", p)
	}
	b.e.must(200, "GET", b.path+"?offset=5000", "", nil, &p)
	if len(p.Entries) != 0 || p.NextCursor != nil || p.Total != 230 {
		t.Fatalf("offset past the end: %+v; want no rows and no cursor", p)
	}
	// The conditional board has its own (empty) pages.
	b.e.must(200, "GET", b.path+"?kind=conditional&by=team", "", nil, &p)
	if len(p.Entries) != 0 || p.Total != 0 || p.NextCursor != nil || len(p.UnscoredTeams) != 11 {
		t.Fatalf("conditional team board: %+v; want no rows and the 11 teams unscored", p)
	}
}

func sameSet(a, b []int64) bool {
	seen := make(map[int64]int)
	for _, v := range a {
		seen[v]++
	}
	for _, v := range b {
		if seen[v] != 1 {
			return false
		}
	}
	return len(seen) == len(b)
}

// TestLeaderboardPageErrors: every bad paging value is a 400 naming its field.
func TestLeaderboardPageErrors(t *testing.T) {
	b := newBigBoard(t, 60)
	var p boardPage
	b.e.must(200, "GET", b.path+"?limit=5", "", nil, &p)
	cur := url.QueryEscape(*p.NextCursor)
	var tp boardPage
	b.e.must(200, "GET", b.path+"?limit=2&by=team", "", nil, &tp)
	teamCur := url.QueryEscape(*tp.NextCursor)
	garbled := []byte(*p.NextCursor)
	garbled[3] ^= 1
	bad := func(name, query, field string) scenario {
		return scenario{name: name, method: "GET", path: b.path + query, status: 400, code: "validation_failed", field: field}
	}
	b.e.runScenarios(t, []scenario{
		bad("limit zero", "?limit=0", "limit"),
		bad("limit negative", "?limit=-3", "limit"),
		bad("limit not an integer", "?limit=2.5", "limit"),
		bad("limit words", "?limit=ten", "limit"),
		bad("limit too large", "?limit=1001", "limit"),
		bad("offset negative", "?offset=-1", "offset"),
		bad("offset not an integer", "?offset=x", "offset"),
		bad("cursor garbled", "?cursor="+url.QueryEscape(string(garbled)), "cursor"),
		bad("cursor not base64", "?cursor=%25%25%25", "cursor"),
		bad("cursor of the team board", "?cursor="+teamCur, "cursor"),
		bad("cursor of the humans board", "?participants=humans&cursor="+cur, "cursor"),
		bad("cursor of the conditional board", "?kind=conditional&cursor="+cur, "cursor"),
		bad("around someone else", "?around=you", "around"),
		bad("around anonymous", "?around=me", "around"),
		{name: "cursor and offset", method: "GET", path: b.path + "?offset=1&cursor=" + cur, status: 400, code: "bad_request"},
		{name: "around and cursor", method: "GET", path: b.path + "?around=me&cursor=" + cur, token: b.tokens[0], status: 400, code: "bad_request"},
		{name: "limit 1000", method: "GET", path: b.path + "?limit=1000", status: 200},
		{name: "no row", method: "GET", path: b.path + "?around=me", token: b.lurker, status: 404, code: "not_found", field: "around"},
		{name: "no ranked team", method: "GET", path: b.path + "?around=me&by=team", token: b.lurker, status: 404, code: "not_found", field: "around"},
		{name: "in no team", method: "GET", path: b.path + "?around=me&by=team", token: b.tokens[55], status: 404, code: "not_found", field: "around"},
		{name: "unknown tournament", method: "GET", path: "/api/v1/tournaments/nope/leaderboard?limit=5", status: 404, code: "not_found"},
	})
	// Another tournament's cursor is foreign too.
	b.e.must(200, "GET", "/api/v1/tournaments/ai-scenarios-2027/leaderboard", "", nil, nil)
	r := b.e.do("GET", "/api/v1/tournaments/ai-scenarios-2027/leaderboard?cursor="+cur, "", nil)
	if code, field := r.errorCode(); r.status != 400 || code != "validation_failed" || field != "cursor" {
		t.Fatalf("another tournament's cursor = %d %s; want 400 on cursor", r.status, r.raw)
	}
}

// TestLeaderboardAroundMe: the page holds the caller's row near its middle,
// and the cursor after it continues from there.
func TestLeaderboardAroundMe(t *testing.T) {
	b := newBigBoard(t, 150)
	for _, i := range []int{0, 3, 75, 140, 149} {
		var p boardPage
		b.e.must(200, "GET", b.path+"?around=me&limit=20", b.tokens[i], nil, &p)
		at := -1
		for k := range p.Entries {
			if p.id(k) == b.ids[i] {
				at = k
			}
		}
		if at < 0 || len(p.Entries) != 20 || p.Total != 150 {
			t.Fatalf("around forecaster %d: row at %d of %d; want it on a page of 20", i, at, len(p.Entries))
		}
		rank := p.Offset + at // the board's position of the row
		if rank > 10 && rank < 140 && (at < 5 || at > 15) {
			t.Fatalf("around forecaster %d: row %d of the page; want it near the middle", i, at)
		}
		if p.NextCursor != nil {
			var next boardPage
			b.e.must(200, "GET", b.path+"?cursor="+url.QueryEscape(*p.NextCursor), "", nil, &next)
			if next.Offset != p.Offset+20 || len(next.Entries) == 0 {
				t.Fatalf("after around %d: offset %d; want %d", i, next.Offset, p.Offset+20)
			}
		}
	}
	var p boardPage
	b.e.must(200, "GET", b.path+"?around=me&by=team&limit=3", b.tokens[12], nil, &p)
	found := false
	for k := range p.Entries {
		found = found || p.Entries[k].Team.Name == "team 02"
	}
	if !found {
		t.Fatalf("team around forecaster 12: %+v; want team 02 on the page", p.Entries)
	}
}

// TestLeaderboardPageCache: pages carry ETags (304 on a match), are served
// gzipped, and change when scores change.
func TestLeaderboardPageCache(t *testing.T) {
	b := newBigBoard(t, 30)
	r := b.e.must(200, "GET", b.path+"?limit=10", "", nil, nil)
	etag := r.header.Get("ETag")
	req, _ := http.NewRequest("GET", b.e.base+b.path+"?limit=10", nil)
	req.Header.Set("If-None-Match", etag)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if etag == "" || resp.StatusCode != 304 {
		t.Fatalf("If-None-Match %s = %d; want 304", etag, resp.StatusCode)
	}
	req.Header.Del("If-None-Match")
	resp, err = http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("ETag") != etag {
		t.Fatalf("gzip answer: encoding %q etag %q; want gzip and %s", resp.Header.Get("Content-Encoding"), resp.Header.Get("ETag"), etag)
	}
	if r2 := b.e.must(200, "GET", b.path+"?limit=11", "", nil, nil); r2.header.Get("ETag") == etag {
		t.Fatal("pages of 10 and 11 rows share an ETag")
	}
	// A correction reverses the ranking: the page's ETag changes, and a
	// cursor taken before it continues at its position on the new board.
	var before boardPage
	r.decode(t, &before)
	b.e.must(200, "POST", qpath(b.qid, "/resolve"), b.e.admin, map[string]any{"outcome": 0, "resolved_at": "2016-11-01T00:00:00Z"}, nil)
	var after boardPage
	r3 := b.e.must(200, "GET", b.path+"?cursor="+url.QueryEscape(*before.NextCursor), "", nil, &after)
	if after.Offset != 10 || len(after.Entries) != 10 || after.id(0) != b.ids[10] {
		t.Fatalf("stale cursor: offset %d, %d rows, first %d; want 10 rows from 10 of the new ranking (user %d)", after.Offset, len(after.Entries), after.id(0), b.ids[10])
	}
	if r4 := b.e.must(200, "GET", b.path+"?limit=10", "", nil, nil); r4.header.Get("ETag") == etag || r3.header.Get("ETag") == "" {
		t.Fatal("the first page kept its ETag after the ranking changed")
	}
}
