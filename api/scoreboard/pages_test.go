package scoreboard

import (
	"encoding/json"
	"fmt"
	"testing"
)

func testBoard(t *testing.T, n int) *Board {
	t.Helper()
	entries := make([]Entry, n)
	for i := range entries {
		entries[i] = Entry{Rank: i + 1, User: PublicUser{ID: int64(100 + i), Username: fmt.Sprintf("u%d", i)}}
	}
	p, err := newBoard(entries, func(i int) int64 { return entries[i].User.ID })
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAroundHoldsTheRow: for every row, page size and board size, the page
// around a row holds it, stays on the board, and keeps the row in its
// middle half unless the board's ends prevent it.
func TestAroundHoldsTheRow(t *testing.T) {
	for _, n := range []int{1, 2, 7, 99, 100, 101, 250} {
		p := testBoard(t, n)
		for _, limit := range []int{1, 2, 3, 4, 10, 100, 1000} {
			for i := range n {
				off := p.Around(i, limit)
				if off < 0 || i < off || i >= off+limit {
					t.Fatalf("around(%d, %d) on %d rows = %d; the row is not on the page", i, limit, n, off)
				}
				if n > limit && off+limit > n {
					t.Fatalf("around(%d, %d) on %d rows = %d; the page runs past the end", i, limit, n, off)
				}
				at, atStart, atEnd := i-off, off == 0, off == n-limit
				if limit >= 4 && !atStart && !atEnd && (at < limit/4 || at > limit*3/4) {
					t.Fatalf("around(%d, %d) on %d rows = %d; the row is %d of %d, not in the middle half", i, limit, n, off, at, limit)
				}
			}
		}
	}
}

// TestPageBudget: past its budget a board answers pages uncompressed and
// keeps none of them; within it, the page is kept with its gzip.
func TestPageBudget(t *testing.T) {
	p := testBoard(t, 50)
	cursor := func(o int) string { return fmt.Sprint("c", o) }
	e, err := p.Page("mall", 0, 10, cursor)
	if err != nil || len(e.Gzipped) == 0 || len(p.pages) != 1 || p.used != heldBy(pageKey{"mall", 0, 10}, e) {
		t.Fatalf("within budget: gzip %d bytes, %d pages kept, used %d, err %v; want the page kept", len(e.Gzipped), len(p.pages), p.used, err)
	}
	p.budget = p.used
	e2, err := p.Page("mall", 10, 10, cursor)
	if err != nil || len(e2.Gzipped) != 0 || len(p.pages) != 1 || e2.ETag == "" {
		t.Fatalf("over budget: gzip %d bytes, %d pages kept, etag %q, err %v; want a plain answer kept nowhere", len(e2.Gzipped), len(p.pages), e2.ETag, err)
	}
	var doc struct {
		Entries    []Entry `json:"entries"`
		Total      int     `json:"total"`
		NextCursor *string `json:"next_cursor"`
	}
	if err := json.Unmarshal(e2.Plain, &doc); err != nil || len(doc.Entries) != 10 || doc.Entries[0].Rank != 11 || doc.Total != 50 || *doc.NextCursor != "c20" {
		t.Fatalf("over-budget page = %s (%v); want rows 11-20 of 50 and cursor c20", e2.Plain, err)
	}
}

// FuzzParseCursor: no input panics the parser, and a cursor it accepts
// encodes back to the same string.
func FuzzParseCursor(f *testing.F) {
	f.Add(Cursor{Tournament: 3, Board: "mall", Offset: 200, Limit: 100}.String())
	f.Add("")
	f.Add("bm90IGEgY3Vyc29y")
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := ParseCursor(s)
		if ok && c.String() != s {
			t.Fatalf("ParseCursor(%q) = %+v, which encodes as %q", s, c, c.String())
		}
	})
}
