package scoreboard

import (
	"encoding/json"
	"sort"

	"signpost/store"
)

// UnscoredTeam is a team of the tournament that has no scored question
// yet: listed after the ranked teams, never ranked or counted in total.
type UnscoredTeam struct {
	Team    TeamRef `json:"team"`
	Members int     `json:"members"`
}

// teamBoard prepares a team leaderboard for paging: the ranked teams, and
// on its last page the tournament's teams without a scored question, by
// name, so that a new team is seen to exist rather than missing.
func (bc *Scoreboard) teamBoard(lb store.Leaderboards, m store.Membership) (*Board, error) {
	entries := TeamEntries(lb)
	p, err := newBoard(entries, func(i int) int64 { return entries[i].Team.ID })
	if err != nil {
		return nil, err
	}
	ranked := make(map[int64]bool, len(entries))
	for _, e := range entries {
		ranked[e.Team.ID] = true
	}
	unscored := make([]UnscoredTeam, 0)
	for _, t := range m.Teams {
		if !ranked[t.ID] {
			unscored = append(unscored, UnscoredTeam{Team: TeamRef{ID: t.ID, Name: t.Name}, Members: len(t.Members)})
		}
	}
	sort.SliceStable(unscored, func(i, j int) bool { return unscored[i].Team.Name < unscored[j].Team.Name })
	tail, err := json.Marshal(unscored)
	if err != nil {
		return nil, err
	}
	p.tail = append([]byte(`,"unscored_teams":`), tail...)
	return p, nil
}
