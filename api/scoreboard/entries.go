package scoreboard

import "signpost/store"

// The rows of the boards as the API serves them: their JSON is encoded once
// per score version (pages.go), and the API documents them.

// Entry is one row of an individual leaderboard.
type Entry struct {
	Rank      int        `json:"rank"`
	User      PublicUser `json:"user"`
	Questions int        `json:"questions"`
	Brier     float64    `json:"brier"`
	Relative  float64    `json:"relative"`
}

// TeamRef names a team.
type TeamRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// TeamEntry is one row of a team leaderboard.
type TeamEntry struct {
	Rank      int     `json:"rank"`
	Team      TeamRef `json:"team"`
	Members   int     `json:"members"`
	Questions int     `json:"questions"`
	Brier     float64 `json:"brier"`
	Relative  float64 `json:"relative"`
}

// PublicUser is a user as anyone may see them.
type PublicUser struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Bot         bool   `json:"bot"`
}

// PublicUserOf is u as anyone may see them.
func PublicUserOf(u store.User) PublicUser {
	return PublicUser{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Bot: u.Bot}
}

// Entries are the rows of an individual leaderboard.
func Entries(rows []store.UserEntry) []Entry {
	entries := make([]Entry, len(rows))
	for i, e := range rows {
		entries[i] = Entry{Rank: e.Rank, User: PublicUserOf(e.User), Questions: e.Questions,
			Brier: e.Brier, Relative: e.Relative}
	}
	return entries
}

// TeamEntries are the rows of a team leaderboard.
func TeamEntries(lb store.Leaderboards) []TeamEntry {
	team := make([]TeamEntry, len(lb.Teams))
	for i, e := range lb.Teams {
		team[i] = TeamEntry{Rank: e.Rank, Team: TeamRef{ID: e.TeamID, Name: e.TeamName},
			Members: e.Members, Questions: e.Questions, Brier: e.Brier, Relative: e.Relative}
	}
	return team
}
