package store

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"

	"signpost/scoring"
)

// Membership is a tournament's teams in the shapes scoring and the
// leaderboards need.
type Membership struct {
	Teams  []Team
	TeamOf map[int64]int64 // user ID -> team ID
	// Key changes whenever membership changes: caches of team scores key on it.
	Key      uint64
	nameByID map[int64]string
	sizeByID map[int64]int
}

// Membership reads a tournament's teams and who is in which.
func (s *Store) Membership(ctx context.Context, tournamentID int64) (Membership, error) {
	teams, err := s.TournamentTeams(ctx, tournamentID)
	if err != nil {
		return Membership{}, err
	}
	m := Membership{Teams: teams, TeamOf: make(map[int64]int64), nameByID: make(map[int64]string),
		sizeByID: make(map[int64]int)}
	h := fnv.New64a()
	var buf [16]byte
	for _, t := range teams {
		m.nameByID[t.ID] = t.Name
		m.sizeByID[t.ID] = len(t.Members)
		for _, u := range t.Members {
			m.TeamOf[u] = t.ID
			putInt64(buf[:8], t.ID)
			putInt64(buf[8:], u)
			h.Write(buf[:])
		}
	}
	m.Key = h.Sum64()
	return m, nil
}

func putInt64(b []byte, v int64) {
	for i := range 8 {
		b[i] = byte(v >> (8 * i))
	}
}

// Scored reports whether a question counts for scores: resolved and not annulled.
func (q *Question) Scored() bool { return q.Resolution != nil && !q.Annulled }

// ScoreQuestion scores one resolved question from its stored forecasts.
func (s *Store) ScoreQuestion(ctx context.Context, q *Question, m Membership) (scoring.Result, error) {
	fs, err := s.ScoringForecasts(ctx, q.ID)
	if err != nil {
		return scoring.Result{}, err
	}
	res, err := scoring.ScoreQuestion(q.ScoringQuestion(), fs, m.TeamOf)
	if err != nil {
		// Stored data the scorer refuses is a server fault, never the
		// client's: %v keeps a wrapped ValidationError from becoming a 400.
		return scoring.Result{}, fmt.Errorf("scoring question %d: %v", q.ID, err)
	}
	return res, nil
}

// UserEntry is one ranked row of the individual leaderboard.
type UserEntry struct {
	Rank      int
	User      User
	Questions int
	Brier     float64
	Relative  float64
}

// TeamEntry is one ranked row of the team leaderboard.
type TeamEntry struct {
	Rank      int
	TeamID    int64
	TeamName  string
	Members   int
	Questions int
	Brier     float64
	Relative  float64
}

// Leaderboards are a tournament's two rankings, as the scoring package
// documentation defines them.
type Leaderboards struct {
	Users []UserEntry
	Teams []TeamEntry
	// Humans and Bots rank the users who are not bots, and those who are,
	// each from 1.
	Humans, Bots []UserEntry
}

// QuestionScorer scores one question for Leaderboards: ScoreQuestion, or a
// cache in front of it.
type QuestionScorer func(ctx context.Context, q *Question, m Membership) (scoring.Result, error)

// Leaderboards ranks a tournament's users and teams over its resolved,
// non-annulled questions other than conditional branches (unless the
// tournament counts them there too); score is ScoreQuestion when nil.
func (s *Store) Leaderboards(ctx context.Context, tournamentID int64, score QuestionScorer) (Leaderboards, error) {
	return s.LeaderboardsOf(ctx, tournamentID, score, false)
}

// LeaderboardsOf is Leaderboards, or with conditional the board of the
// tournament's conditional branches only: a branch is scored as any
// multiple-choice question, on a board of its own.
func (s *Store) LeaderboardsOf(ctx context.Context, tournamentID int64, score QuestionScorer, conditional bool) (Leaderboards, error) {
	if score == nil {
		score = s.ScoreQuestion
	}
	qs, err := s.ListQuestions(ctx, tournamentID)
	if err != nil {
		return Leaderboards{}, err
	}
	m, err := s.Membership(ctx, tournamentID)
	if err != nil {
		return Leaderboards{}, err
	}
	ranked, err := s.boardFilter(ctx, tournamentID, conditional)
	if err != nil {
		return Leaderboards{}, err
	}
	var results []scoring.Result
	for i := range qs {
		if !qs[i].Scored() || !ranked(&qs[i]) {
			continue
		}
		res, err := score(ctx, &qs[i], m)
		if err != nil {
			return Leaderboards{}, err
		}
		results = append(results, res)
	}
	users, err := s.ScoredUsers(ctx, results)
	if err != nil {
		return Leaderboards{}, err
	}
	ub, tb := scoring.NewBoard(), scoring.NewBoard()
	hb, bb := scoring.NewBoard(), scoring.NewBoard()
	for _, r := range results {
		for _, us := range r.Users {
			u := users[us.User]
			ub.Add(us.User, u.Username, us.Brier, us.Relative)
			if u.Bot {
				bb.Add(us.User, u.Username, us.Brier, us.Relative)
			} else {
				hb.Add(us.User, u.Username, us.Brier, us.Relative)
			}
		}
		for _, ts := range r.Teams {
			tb.Add(ts.Team, m.nameByID[ts.Team], ts.Brier, ts.Relative)
		}
	}
	lb := Leaderboards{Users: userEntries(ub, users), Humans: userEntries(hb, users), Bots: userEntries(bb, users),
		Teams: []TeamEntry{}}
	for _, e := range tb.Entries() {
		lb.Teams = append(lb.Teams, TeamEntry{Rank: e.Rank, TeamID: e.ID, TeamName: e.Name,
			Members: m.sizeByID[e.ID], Questions: e.Questions, Brier: e.Brier, Relative: e.Relative})
	}
	return lb, nil
}

func userEntries(b *scoring.Board, users map[int64]User) []UserEntry {
	out := []UserEntry{}
	for _, e := range b.Entries() {
		out = append(out, UserEntry{Rank: e.Rank, User: users[e.ID], Questions: e.Questions,
			Brier: e.Brier, Relative: e.Relative})
	}
	return out
}

// ScoredUsers loads the users who have a score in results, keyed by ID.
func (s *Store) ScoredUsers(ctx context.Context, results []scoring.Result) (map[int64]User, error) {
	seen := make(map[int64]bool)
	var ids []int64
	for _, r := range results {
		for _, us := range r.Users {
			if !seen[us.User] {
				seen[us.User] = true
				ids = append(ids, us.User)
			}
		}
	}
	slices.Sort(ids)
	return s.UsersByID(ctx, ids)
}
