package scoreboard

import "signpost/store"

// Who an individual leaderboard ranks (?participants= in the API).
const (
	All    = "all"
	Humans = "humans"
	Bots   = "bots"
)

// Participants are the values of who an individual board ranks.
var Participants = []string{All, Humans, Bots}

// peopleBoard is one individual leaderboard: its rows, and the same rows
// Page for paging.
type peopleBoard struct {
	entries []Entry
	rows    *Board
}

// peopleBoards encodes the individual boards of everyone, humans only and
// bots only (each ranks its own participants from 1, so humans and AI
// forecasters can be compared on their own terms as well as together).
func peopleBoards(lb store.Leaderboards) (map[string]peopleBoard, error) {
	out := make(map[string]peopleBoard, len(Participants))
	for p, rows := range map[string][]store.UserEntry{All: lb.Users, Bots: lb.Bots, Humans: lb.Humans} {
		if p == Humans && len(lb.Bots) == 0 {
			continue // the same board as everyone's: Page once, below
		}
		entries := Entries(rows)
		rows, err := newBoard(entries, func(i int) int64 { return entries[i].User.ID })
		if err != nil {
			return nil, err
		}
		out[p] = peopleBoard{entries: entries, rows: rows}
	}
	if len(lb.Bots) == 0 {
		// Without bots, ranking humans is ranking everyone: share the
		// encoding rather than compress the largest board twice.
		out[Humans] = out[All]
	}
	return out, nil
}
