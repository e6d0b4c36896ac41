package api

import (
	"strings"
	"testing"
)

func TestNotificationsOfAResolution(t *testing.T) {
	e, qid, george, kramer := electionEnv(t)
	const list = "/api/v1/me/notifications"
	var empty notificationListDTO
	e.must(200, "GET", list, george, nil, &empty)
	if len(empty.Entries) != 0 || empty.Unread != 0 || empty.NextCursor != nil {
		t.Fatalf("notifications before anything happened = %+v", empty)
	}
	e.must(200, "POST", qpath(qid, "/resolve"), e.admin, map[string]any{"outcome": 1, "resolved_at": "2016-11-09T05:00:00Z"}, nil)
	var got notificationListDTO
	e.must(200, "GET", list, george, nil, &got)
	if len(got.Entries) != 1 || got.Unread != 1 {
		t.Fatalf("george's notifications after the resolution = %+v; want one unread", got)
	}
	n := got.Entries[0]
	if n.Kind != "resolved" || n.QuestionID == nil || *n.QuestionID != qid || n.Tournament == nil || *n.Tournament != "us-2016" ||
		n.Read || !strings.Contains(n.Text["en"], `"Who wins?" resolved: Trump.`) || !strings.Contains(n.Text["en"], "Brier score") ||
		!strings.Contains(n.Text["zh"], "已结算") {
		t.Fatalf("george's notice = %+v", n)
	}
	// Comments: kramer mentions george, then george answers.
	e.must(201, "POST", qpath(qid, "/comments"), kramer, map[string]string{"body": "Called it, @george."}, nil)
	e.must(201, "POST", qpath(qid, "/comments"), george, map[string]string{"body": "Fair."}, nil)
	var page1, page2 notificationListDTO
	e.must(200, "GET", list+"?limit=1", george, nil, &page1)
	if len(page1.Entries) != 1 || page1.Entries[0].Kind != "mention" || page1.NextCursor == nil || page1.Unread != 2 ||
		!strings.Contains(page1.Entries[0].Text["en"], "kramer mentioned you") {
		t.Fatalf("page 1 = %+v", page1)
	}
	e.must(200, "GET", list+"?limit=1&cursor="+*page1.NextCursor, george, nil, &page2)
	if len(page2.Entries) != 1 || page2.Entries[0].ID != n.ID || page2.NextCursor != nil {
		t.Fatalf("page 2 = %+v; want the resolution, last", page2)
	}
	var kr notificationListDTO
	e.must(200, "GET", list, kramer, nil, &kr)
	if len(kr.Entries) != 2 || kr.Entries[0].Kind != "reply" || kr.Entries[1].Kind != "resolved" {
		t.Fatalf("kramer's notifications = %+v; want george's reply and the resolution", kr)
	}

	e.runScenarios(t, []scenario{
		{name: "anonymous", method: "GET", path: list, status: 401, code: "unauthorized"},
		{name: "bad limit", method: "GET", path: list + "?limit=101", token: george, status: 400, code: "validation_failed", field: "limit"},
		{name: "bad cursor", method: "GET", path: list + "?cursor=x", token: george, status: 400, code: "validation_failed", field: "cursor"},
		{name: "bad unread", method: "GET", path: list + "?unread=maybe", token: george, status: 400, code: "validation_failed", field: "unread"},
		{name: "read nothing named", method: "POST", path: list + "/read", token: george, body: map[string]any{}, status: 400, code: "validation_failed", field: "ids"},
		{name: "read both", method: "POST", path: list + "/read", token: george, body: map[string]any{"ids": []int64{1}, "all": true}, status: 400, code: "validation_failed", field: "ids"},
		{name: "all false", method: "POST", path: list + "/read", token: george, body: map[string]any{"all": false}, status: 400, code: "validation_failed", field: "all"},
		{name: "read someone else's", method: "POST", path: list + "/read", token: kramer, body: map[string]any{"ids": []int64{n.ID}}, status: 204},
	})
	e.must(200, "GET", list+"?unread=true", george, nil, &got)
	if len(got.Entries) != 2 || got.Unread != 2 {
		t.Fatalf("george's unread after kramer marked george's notice = %+v; want both unread", got)
	}
	e.must(204, "POST", list+"/read", george, map[string]any{"ids": []int64{n.ID}}, nil)
	e.must(200, "GET", list+"?unread=true", george, nil, &got)
	if len(got.Entries) != 1 || got.Unread != 1 || got.Entries[0].Kind != "mention" {
		t.Fatalf("george's unread after reading the resolution = %+v", got)
	}
	e.must(204, "POST", list+"/read", george, map[string]any{"all": true}, nil)
	e.must(200, "GET", list, george, nil, &got)
	if got.Unread != 0 || !got.Entries[0].Read || !got.Entries[1].Read {
		t.Fatalf("george's notifications after all read = %+v", got)
	}
}

func TestPreferences(t *testing.T) {
	e := newTestEnv(t)
	tok, _ := e.register("elaine")
	const path = "/api/v1/me/preferences"
	var p preferencesDTO
	e.must(200, "GET", path, tok, nil, &p)
	want := preferencesDTO{Language: "en", Digest: "off", StaleDays: 14,
		Notify: notifyFlagsDTO{Resolved: true, Closing: true, Stale: true, Tripwire: true, Replies: true}}
	if p != want {
		t.Fatalf("preferences of a new account = %+v; want %+v", p, want)
	}
	e.runScenarios(t, []scenario{
		{name: "anonymous", method: "GET", path: path, status: 401, code: "unauthorized"},
		{name: "bad language", method: "PATCH", path: path, token: tok, body: map[string]any{"language": "fr"}, status: 400, code: "validation_failed", field: "language"},
		{name: "bad digest", method: "PATCH", path: path, token: tok, body: map[string]any{"digest": "hourly"}, status: 400, code: "validation_failed", field: "digest"},
		{name: "stale_days too big", method: "PATCH", path: path, token: tok, body: map[string]any{"stale_days": 366}, status: 400, code: "validation_failed", field: "stale_days"},
		{name: "stale_days negative", method: "PATCH", path: path, token: tok, body: map[string]any{"stale_days": -1}, status: 400, code: "validation_failed", field: "stale_days"},
		{name: "stale_days a string", method: "PATCH", path: path, token: tok, body: map[string]any{"stale_days": "7"}, status: 400, field: "stale_days", code: "bad_request"},
		{name: "flag not a boolean", method: "PATCH", path: path, token: tok, body: map[string]any{"notify": map[string]any{"stale": 1}}, status: 400, code: "bad_request", field: "notify.stale"},
	})
	e.must(200, "PATCH", path, tok, map[string]any{"language": "zh", "digest": "weekly", "stale_days": 0,
		"notify": map[string]any{"closing": false}, "email": "ignored@example.com"}, &p)
	want.Language, want.Digest, want.StaleDays, want.Notify.Closing = "zh", "weekly", 0, false
	if p != want {
		t.Fatalf("preferences after a patch = %+v; want %+v", p, want)
	}
	e.must(200, "GET", path, tok, nil, &p)
	if p != want {
		t.Fatalf("preferences read back = %+v; want %+v", p, want)
	}
}
