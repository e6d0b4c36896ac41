package api

import (
	"strings"
	"testing"
	"time"
)

func TestComments(t *testing.T) {
	e, qid, george, kramer := electionEnv(t)
	path := qpath(qid, "/comments")
	var first commentDTO
	e.must(201, "POST", path, george, map[string]string{"body": "  Polls moved; see https://example.org/poll?a=1  "}, &first)
	if first.Body != "Polls moved; see https://example.org/poll?a=1" || first.User.Username != "george" || first.EditedAt != nil {
		t.Fatalf("created %+v", first)
	}
	// George's latest forecast is beside his comment.
	if first.Forecast == nil || !near((*first.Forecast)[0], 0.6) {
		t.Fatalf("forecast beside the comment = %v; want George's latest [0.6 0.4]", first.Forecast)
	}
	cid := "/api/v1/comments/" + itoa(first.ID)
	e.runScenarios(t, []scenario{
		{name: "anonymous post", method: "POST", path: path, body: map[string]string{"body": "hi"}, status: 401, code: "unauthorized"},
		{name: "empty body", method: "POST", path: path, token: kramer, body: map[string]string{"body": "   "}, status: 400, code: "validation_failed", field: "body"},
		{name: "no body field", method: "POST", path: path, token: kramer, body: map[string]string{}, status: 400, code: "validation_failed", field: "body"},
		{name: "5001 characters", method: "POST", path: path, token: kramer, body: map[string]string{"body": strings.Repeat("字", 5001)}, status: 400, code: "validation_failed", field: "body"},
		{name: "5000 characters", method: "POST", path: path, token: kramer, body: map[string]string{"body": strings.Repeat("字", 5000)}, status: 201},
		{name: "no such question", method: "POST", path: qpath(999999, "/comments"), token: kramer, body: map[string]string{"body": "x"}, status: 404, code: "not_found"},
		{name: "someone else edits", method: "PATCH", path: cid, token: kramer, body: map[string]string{"body": "mine now"}, status: 403, code: "forbidden"},
		{name: "admin edits", method: "PATCH", path: cid, token: e.admin, body: map[string]string{"body": "admin"}, status: 403, code: "forbidden"},
		{name: "someone else deletes", method: "DELETE", path: cid, token: kramer, status: 403, code: "forbidden"},
		{name: "bad limit", method: "GET", path: path + "?limit=0", status: 400, code: "validation_failed", field: "limit"},
		{name: "bad cursor", method: "GET", path: path + "?cursor=abc", status: 400, code: "validation_failed", field: "cursor"},
		{name: "no such comment", method: "PATCH", path: "/api/v1/comments/999999", token: george, body: map[string]string{"body": "x"}, status: 404, code: "not_found"},
	})

	e.clock.set(e.clock.now().Add(9 * time.Minute))
	var edited commentDTO
	e.must(200, "PATCH", cid, george, map[string]string{"body": "Polls moved a lot"}, &edited)
	if edited.Body != "Polls moved a lot" || edited.EditedAt == nil || edited.CreatedAt != first.CreatedAt {
		t.Fatalf("edited %+v", edited)
	}
	e.clock.set(e.clock.now().Add(2 * time.Minute)) // 11 minutes after posting
	if r := e.do("PATCH", cid, george, map[string]string{"body": "too late"}); r.status != 409 {
		t.Fatalf("edit after 11 minutes = %d %s; want 409", r.status, r.raw)
	}

	// Pagination: newest first, next_cursor until the last page.
	for i := range 3 {
		e.must(201, "POST", path, kramer, map[string]string{"body": "note " + itoa(int64(i))}, nil)
	}
	var page1, page2, page3 commentListDTO
	e.must(200, "GET", path+"?limit=2", "", nil, &page1)
	if len(page1.Comments) != 2 || page1.Comments[0].Body != "note 2" || page1.NextCursor == nil {
		t.Fatalf("page 1 = %+v", page1)
	}
	if page1.Comments[0].Forecast == nil || !near((*page1.Comments[0].Forecast)[1], 0.7) {
		t.Fatalf("Kramer's forecast beside his comment = %v; want [0.3 0.7]", page1.Comments[0].Forecast)
	}
	e.must(200, "GET", path+"?limit=2&cursor="+*page1.NextCursor, "", nil, &page2)
	e.must(200, "GET", path+"?limit=2&cursor="+*page2.NextCursor, "", nil, &page3)
	if len(page2.Comments) != 2 || len(page3.Comments) != 1 || page3.NextCursor != nil || page3.Comments[0].ID != first.ID {
		t.Fatalf("pages 2 and 3 = %+v / %+v", page2, page3)
	}

	// The author removes their own; an admin hides Kramer's, audited.
	e.must(204, "DELETE", cid, george, nil, nil)
	e.must(204, "DELETE", "/api/v1/comments/"+itoa(page1.Comments[0].ID), e.admin, nil, nil)
	var all commentListDTO
	e.must(200, "GET", path, "", nil, &all)
	if len(all.Comments) != 3 {
		t.Fatalf("%d comments after two removals; want 3", len(all.Comments))
	}
	for _, c := range all.Comments {
		if c.ID == first.ID || c.ID == page1.Comments[0].ID {
			t.Fatalf("removed comment %d still listed", c.ID)
		}
	}
	if r := e.do("DELETE", cid, george, nil); r.status != 404 {
		t.Fatalf("removing twice = %d; want 404", r.status)
	}
	var audit auditListDTO
	e.must(200, "GET", "/api/v1/tournaments/us-2016/audit", e.admin, nil, &audit)
	hides := 0
	for _, a := range audit.Entries {
		if a.Action == "hide_comment" {
			hides++
			if !strings.Contains(string(a.Old), "note 2") {
				t.Fatalf("audit of the hide lacks the body: %s", a.Old)
			}
		}
	}
	if hides != 1 {
		t.Fatalf("%d hide_comment audit entries; want 1 (the author's own removal is not audited)", hides)
	}
}
