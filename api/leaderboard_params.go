package api

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"signpost/api/scoreboard"
)

// pageRequest is where a leaderboard page starts and how long it is.
type pageRequest struct {
	offset, limit int
	aroundMe      bool // ?around=me: the offset is the caller's neighbourhood
}

// pageParams reads ?limit=, ?cursor=, ?offset= and ?around= for the board
// named board of tournament tid. At most one of cursor, offset and around
// may be given; an explicit limit overrides the cursor's.
func pageParams(c *fiber.Ctx, tid int64, board string) (pageRequest, error) {
	pr := pageRequest{limit: scoreboard.DefaultPageLimit}
	limit, cursor, offset, around := c.Query("limit"), c.Query("cursor"), c.Query("offset"), c.Query("around")
	given := 0
	for _, v := range []string{cursor, offset, around} {
		if v != "" {
			given++
		}
	}
	if given > 1 {
		return pr, badRequest("give at most one of cursor, offset and around")
	}
	if cursor != "" {
		cur, ok := scoreboard.ParseCursor(cursor)
		if !ok {
			return pr, invalid("cursor", "cursor is not one this server issued; use a next_cursor as it was given")
		}
		if cur.Tournament != tid || cur.Board != board {
			return pr, invalid("cursor", "cursor belongs to another leaderboard (tournament, by, participants or kind differ)")
		}
		pr.offset, pr.limit = cur.Offset, cur.Limit
	}
	if limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > scoreboard.MaxPageLimit {
			return pr, invalid("limit", fmt.Sprintf("limit must be an integer from 1 to %d", scoreboard.MaxPageLimit))
		}
		pr.limit = n
	}
	if offset != "" {
		n, err := strconv.Atoi(offset)
		if err != nil || n < 0 || n > scoreboard.MaxOffset {
			return pr, invalid("offset", fmt.Sprintf("offset must be an integer from 0 to %d", scoreboard.MaxOffset))
		}
		pr.offset = n
	}
	if around != "" {
		if around != "me" {
			return pr, invalid("around", "around must be me")
		}
		pr.aroundMe = true
	}
	return pr, nil
}
