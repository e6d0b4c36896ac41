package scoreboard

import (
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"strconv"
	"strings"
)

// Page sizes, in rows.
const (
	DefaultPageLimit = 100
	MaxPageLimit     = 1000
	// MaxOffset is the largest offset a page may start at: far past any
	// board's end, and small enough that offset+limit cannot overflow
	// into a next cursor the server would refuse.
	MaxOffset = 1_000_000_000
)

// Cursor is what a next_cursor carries: the board it belongs to and a
// position. It is a position, not a snapshot: when scores change between
// two pages, the next page is cut from the new ranking at that position.
type Cursor struct {
	Tournament    int64
	Board         string // see Key
	Offset, Limit int
}

// String encodes the cursor: base64url of its fields and a checksum, so a
// garbled cursor is told apart from a valid one.
func (bc Cursor) String() string {
	payload := fmt.Sprintf("%d.%s.%d.%d", bc.Tournament, bc.Board, bc.Offset, bc.Limit)
	payload += "." + strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(payload))), 36)
	return base64.RawURLEncoding.EncodeToString([]byte(payload))
}

// ParseCursor reads a cursor String made; false when it is not one.
func ParseCursor(s string) (Cursor, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, false
	}
	i := strings.LastIndexByte(string(raw), '.')
	if i < 0 {
		return Cursor{}, false
	}
	payload, sum := string(raw[:i]), string(raw[i+1:])
	if strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(payload))), 36) != sum {
		return Cursor{}, false
	}
	f := strings.Split(payload, ".")
	if len(f) != 4 {
		return Cursor{}, false
	}
	var c Cursor
	var e1, e2, e3 error
	c.Tournament, e1 = strconv.ParseInt(f[0], 10, 64)
	c.Board = f[1]
	c.Offset, e2 = strconv.Atoi(f[2])
	c.Limit, e3 = strconv.Atoi(f[3])
	if e1 != nil || e2 != nil || e3 != nil || c.Offset < 0 || c.Offset > MaxOffset || c.Limit < 1 || c.Limit > MaxPageLimit {
		return Cursor{}, false
	}
	return c, true
}

// Key names one of a tournament's boards inside a cursor and in the
// page cache.
func Key(conditional bool, participants string, byTeam bool) string {
	k := "m"
	if conditional {
		k = "c"
	}
	if byTeam {
		return k + "t"
	}
	return k + participants
}
