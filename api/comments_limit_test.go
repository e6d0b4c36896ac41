package api

import (
	"strconv"
	"testing"
	"time"
)

// TestCommentsLimitedPerAccount: one account cannot flood a question with
// comments (or edits): after a burst it gets 429 with Retry-After, while
// another account still posts, and it posts again once the wait is over.
func TestCommentsLimitedPerAccount(t *testing.T) {
	e, qid, george, kramer := electionEnv(t)
	path := qpath(qid, "/comments")
	var last commentDTO
	for i := range commentBurst {
		if r := e.do("POST", path, george, map[string]string{"body": "note " + itoa(int64(i))}); r.status != 201 {
			t.Fatalf("comment %d = %d %s; want 201", i+1, r.status, r.raw)
		} else {
			r.decode(t, &last)
		}
	}
	r := e.do("POST", path, george, map[string]string{"body": "one too many"})
	if code, _ := r.errorCode(); r.status != 429 || code != "rate_limited" || r.header.Get("Retry-After") == "" {
		t.Fatalf("comment %d in a burst = %d %s; want 429 rate_limited with Retry-After", commentBurst+1, r.status, r.raw)
	}
	if r := e.do("PATCH", "/api/v1/comments/"+itoa(last.ID), george, map[string]string{"body": "edited"}); r.status != 429 {
		t.Fatalf("an edit after the burst = %d %s; want 429 (edits count too)", r.status, r.raw)
	}
	e.must(201, "POST", path, kramer, map[string]string{"body": "someone else"}, nil)
	wait, _ := strconv.Atoi(r.header.Get("Retry-After"))
	e.clock.set(e.clock.now().Add(time.Duration(wait) * time.Second))
	e.must(201, "POST", path, george, map[string]string{"body": "after waiting"}, nil)
}
