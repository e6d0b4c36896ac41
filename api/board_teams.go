package api

import (
	"context"
	"encoding/json"
	"sort"

	"signpost/store"
)

// unscoredTeamDTO is a team of the tournament that has no scored question
// yet: listed after the ranked teams, never ranked or counted in total.
type unscoredTeamDTO struct {
	Team    teamRefDTO `json:"team"`
	Members int        `json:"members"`
}

// teamBoard prepares a team leaderboard for paging: the ranked teams, and
// on its last page the tournament's teams without a scored question, by
// name, so that a new team is seen to exist rather than missing.
func (bc *boardCache) teamBoard(ctx context.Context, tournamentID int64, lb store.Leaderboards) (*pagedBoard, error) {
	entries := teamEntries(lb)
	p, err := newPagedBoard(entries, func(i int) int64 { return entries[i].Team.ID })
	if err != nil {
		return nil, err
	}
	m, err := bc.membership(ctx, tournamentID)
	if err != nil {
		return nil, err
	}
	ranked := make(map[int64]bool, len(entries))
	for _, e := range entries {
		ranked[e.Team.ID] = true
	}
	unscored := make([]unscoredTeamDTO, 0)
	for _, t := range m.Teams {
		if !ranked[t.ID] {
			unscored = append(unscored, unscoredTeamDTO{Team: teamRefDTO{ID: t.ID, Name: t.Name}, Members: len(t.Members)})
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

func teamEntries(lb store.Leaderboards) []teamEntryDTO {
	team := make([]teamEntryDTO, len(lb.Teams))
	for i, e := range lb.Teams {
		team[i] = teamEntryDTO{Rank: e.Rank, Team: teamRefDTO{ID: e.TeamID, Name: e.TeamName},
			Members: e.Members, Questions: e.Questions, Brier: e.Brier, Relative: e.Relative}
	}
	return team
}
