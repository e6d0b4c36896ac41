package api

import (
	"strconv"
	"testing"

	"signpost/api/scoreboard"
)

// TestHugeOffsetRefused: an offset so large that offset+limit overflows
// used to answer 200 with a next_cursor the server then refused; it is 400
// up front, and the largest accepted offset pages cleanly.
func TestHugeOffsetRefused(t *testing.T) {
	e := newTestEnv(t)
	board := "/api/v1/tournaments/ai-scenarios-2027/leaderboard"
	e.runScenarios(t, []scenario{
		{name: "max int", method: "GET", path: board + "?offset=9223372036854775807", status: 400, code: "validation_failed", field: "offset"},
		{name: "past the largest", method: "GET", path: board + "?offset=" + strconv.Itoa(scoreboard.MaxOffset+1), status: 400,
			code: "validation_failed", field: "offset"},
		{name: "the largest", method: "GET", path: board + "?limit=1000&offset=" + strconv.Itoa(scoreboard.MaxOffset), status: 200,
			checkBody: func(t *testing.T, r response) {
				var p struct {
					NextCursor *string `json:"next_cursor"`
				}
				r.decode(t, &p)
				if p.NextCursor != nil {
					t.Fatalf("next_cursor %q past the end of the board", *p.NextCursor)
				}
			}},
	})
}
