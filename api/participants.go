package api

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"signpost/store"
)

// Who an individual leaderboard ranks: ?participants=humans|bots|all.
const (
	participantsAll    = "all"
	participantsHumans = "humans"
	participantsBots   = "bots"
)

var participantsValues = []string{participantsAll, participantsHumans, participantsBots}

// peopleBoard is one individual leaderboard: its rows, and the same rows
// encoded for paging.
type peopleBoard struct {
	entries []entryDTO
	rows    *pagedBoard
}

// participantsParam reads ?participants=, default all.
func participantsParam(c *fiber.Ctx) (string, error) {
	v := c.Query("participants", participantsAll)
	if !slices.Contains(participantsValues, v) {
		return "", invalid("participants", "participants must be humans, bots or all")
	}
	return v, nil
}

// peopleBoards encodes the individual boards of everyone, humans only and
// bots only (each ranks its own participants from 1, so humans and AI
// forecasters can be compared on their own terms as well as together).
func peopleBoards(lb store.Leaderboards) (map[string]peopleBoard, error) {
	out := make(map[string]peopleBoard, len(participantsValues))
	for p, rows := range map[string][]store.UserEntry{participantsAll: lb.Users, participantsBots: lb.Bots, participantsHumans: lb.Humans} {
		if p == participantsHumans && len(lb.Bots) == 0 {
			continue // the same board as everyone's: encoded once, below
		}
		entries := make([]entryDTO, len(rows))
		for i, e := range rows {
			entries[i] = entryDTO{Rank: e.Rank, User: toPublicUserDTO(e.User), Questions: e.Questions,
				Brier: e.Brier, Relative: e.Relative}
		}
		rows, err := newPagedBoard(entries, func(i int) int64 { return entries[i].User.ID })
		if err != nil {
			return nil, err
		}
		out[p] = peopleBoard{entries: entries, rows: rows}
	}
	if len(lb.Bots) == 0 {
		// Without bots, ranking humans is ranking everyone: share the
		// encoding rather than compress the largest board twice.
		out[participantsHumans] = out[participantsAll]
	}
	return out, nil
}
