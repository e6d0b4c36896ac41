package api

import (
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Page sizes of ?limit=.
const (
	defaultPageLimit = 100
	maxPageLimit     = 1000
)

// pageRequest is where a leaderboard page starts and how long it is.
type pageRequest struct {
	offset, limit int
	aroundMe      bool // ?around=me: the offset is the caller's neighbourhood
}

// boardCursor is what a next_cursor carries: the board it belongs to and a
// position. It is a position, not a snapshot: when scores change between
// two pages, the next page is cut from the new ranking at that position.
type boardCursor struct {
	tournament    int64
	board         string
	offset, limit int
}

// String encodes the cursor: base64url of its fields and a checksum, so a
// garbled cursor is told apart from a valid one.
func (bc boardCursor) String() string {
	payload := fmt.Sprintf("%d.%s.%d.%d", bc.tournament, bc.board, bc.offset, bc.limit)
	payload += "." + strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(payload))), 36)
	return base64.RawURLEncoding.EncodeToString([]byte(payload))
}

func parseCursor(s string) (boardCursor, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return boardCursor{}, false
	}
	i := strings.LastIndexByte(string(raw), '.')
	if i < 0 {
		return boardCursor{}, false
	}
	payload, sum := string(raw[:i]), string(raw[i+1:])
	if strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(payload))), 36) != sum {
		return boardCursor{}, false
	}
	f := strings.Split(payload, ".")
	if len(f) != 4 {
		return boardCursor{}, false
	}
	var c boardCursor
	var e1, e2, e3 error
	c.tournament, e1 = strconv.ParseInt(f[0], 10, 64)
	c.board = f[1]
	c.offset, e2 = strconv.Atoi(f[2])
	c.limit, e3 = strconv.Atoi(f[3])
	if e1 != nil || e2 != nil || e3 != nil || c.offset < 0 || c.limit < 1 || c.limit > maxPageLimit {
		return boardCursor{}, false
	}
	return c, true
}

// pageParams reads ?limit=, ?cursor=, ?offset= and ?around= for the board
// named board of tournament tid. At most one of cursor, offset and around
// may be given; an explicit limit overrides the cursor's.
func pageParams(c *fiber.Ctx, tid int64, board string) (pageRequest, error) {
	pr := pageRequest{limit: defaultPageLimit}
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
		cur, ok := parseCursor(cursor)
		if !ok {
			return pr, invalid("cursor", "cursor is not one this server issued; use a next_cursor as it was given")
		}
		if cur.tournament != tid || cur.board != board {
			return pr, invalid("cursor", "cursor belongs to another leaderboard (tournament, by, participants or kind differ)")
		}
		pr.offset, pr.limit = cur.offset, cur.limit
	}
	if limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > maxPageLimit {
			return pr, invalid("limit", fmt.Sprintf("limit must be an integer from 1 to %d", maxPageLimit))
		}
		pr.limit = n
	}
	if offset != "" {
		n, err := strconv.Atoi(offset)
		if err != nil || n < 0 {
			return pr, invalid("offset", "offset must be a non-negative integer")
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

// boardKey names one of a tournament's boards inside a cursor.
func boardKey(conditional bool, participants string, byTeam bool) string {
	k := "m"
	if conditional {
		k = "c"
	}
	if byTeam {
		return k + "t"
	}
	return k + participants
}
