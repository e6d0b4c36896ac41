package scoreboard

import (
	"context"

	"signpost/store"
)

// buildConditional encodes the leaderboards of a tournament's conditional
// branches, scored like any question (through the same result cache).
func (bc *Scoreboard) buildConditional(ctx context.Context, tournamentID int64, m store.Membership) (map[string]peopleBoard, *Board, error) {
	lb, err := bc.st.LeaderboardsWith(ctx, tournamentID, m, bc.Result, true)
	if err != nil {
		return nil, nil, err
	}
	people, err := peopleBoards(lb)
	if err != nil {
		return nil, nil, err
	}
	team, err := bc.teamBoard(lb, m)
	return people, team, err
}

// Pick chooses one of the boards by kind (main or conditional),
// participants (for individual boards) and grouping.
func (b *Boards) Pick(conditional bool, participants string, byTeam bool) *Board {
	people, team := b.people, b.team
	if conditional {
		people, team = b.conditionalPeople, b.conditionalTeam
	}
	if byTeam {
		return team
	}
	return people[participants].rows
}

// People are the rows of the main individual board of participants (All,
// Humans or Bots), best first.
func (b *Boards) People(participants string) []Entry { return b.people[participants].entries }

// Standing is a user's row on the main individual board of everyone.
func (b *Boards) Standing(userID int64) (Entry, bool) {
	all := b.people[All]
	if i := all.rows.IndexOf(userID); i >= 0 {
		return all.entries[i], true
	}
	return Entry{}, false
}
