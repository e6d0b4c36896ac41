package api

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"signpost/scoring"
	"signpost/store"
)

// Who an individual leaderboard ranks: ?participants=humans|bots|all.
const (
	participantsAll    = "all"
	participantsHumans = "humans"
	participantsBots   = "bots"
)

var participantsValues = []string{participantsAll, participantsHumans, participantsBots}

// peopleBoard is one individual leaderboard: its rows and its encoded answer.
type peopleBoard struct {
	entries []entryDTO
	json    encoded
}

// participantsParam reads ?participants=, default all.
func participantsParam(c *fiber.Ctx) (string, error) {
	v := c.Query("participants", participantsAll)
	if !slices.Contains(participantsValues, v) {
		return "", invalid("participants", "participants must be humans, bots or all")
	}
	return v, nil
}

// peopleBoards ranks everyone, humans only and bots only: each board ranks
// its own participants from 1, so humans and AI forecasters can be
// compared on their own terms as well as together.
func peopleBoards(results []scoring.Result, users map[int64]store.User) (map[string]peopleBoard, error) {
	boards := map[string]*scoring.Board{}
	for _, p := range participantsValues {
		boards[p] = scoring.NewBoard()
	}
	for _, r := range results {
		for _, us := range r.Users {
			u := users[us.User]
			boards[participantsAll].Add(us.User, u.Username, us.Brier, us.Relative)
			side := participantsHumans
			if u.Bot {
				side = participantsBots
			}
			boards[side].Add(us.User, u.Username, us.Brier, us.Relative)
		}
	}
	out := make(map[string]peopleBoard, len(boards))
	anyBot := false
	for _, u := range users {
		anyBot = anyBot || u.Bot
	}
	for p, b := range boards {
		if !anyBot && p == participantsHumans {
			continue // the same board as everyone's: encoded once, below
		}
		entries := make([]entryDTO, 0)
		for _, e := range b.Entries() {
			entries = append(entries, entryDTO{Rank: e.Rank, User: toPublicUserDTO(users[e.ID]), Questions: e.Questions,
				Brier: e.Brier, Relative: e.Relative})
		}
		enc, err := encode(boardDTO{Entries: entries})
		if err != nil {
			return nil, err
		}
		out[p] = peopleBoard{entries: entries, json: enc}
	}
	if !anyBot {
		// Without bots, ranking humans is ranking everyone: share the
		// encoding rather than compress the largest board twice.
		out[participantsHumans] = out[participantsAll]
	}
	return out, nil
}
