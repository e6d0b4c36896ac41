package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"signpost/scoring"
)

// Membership is a tournament's teams in the shapes scoring and the
// leaderboards need.
type Membership struct {
	Teams  []Team
	TeamOf map[int64]int64 // user ID -> team ID
	// Key changes whenever membership changes: caches of team scores key on it.
	Key uint64
	// teamKeys holds one key per team that changes when its members do:
	// a cache scored under an older membership rescores only the teams
	// whose key moved (ChangedTeams). Shared, never modified.
	teamKeys map[int64]uint64
	nameByID map[int64]string
	sizeByID map[int64]int
}

// Membership reads a tournament's teams and who is in which. Every
// leaderboard build reads it, so it is two plain queries.
func (s *Store) Membership(ctx context.Context, tournamentID int64) (Membership, error) {
	teams, err := s.membershipTeams(ctx, tournamentID)
	if err != nil {
		return Membership{}, err
	}
	m := Membership{Teams: teams, TeamOf: make(map[int64]int64), teamKeys: make(map[int64]uint64, len(teams)),
		nameByID: make(map[int64]string, len(teams)), sizeByID: make(map[int64]int, len(teams))}
	all := fnv.New64a()
	var buf [16]byte
	for _, t := range teams {
		m.nameByID[t.ID] = t.Name
		m.sizeByID[t.ID] = len(t.Members)
		one := fnv.New64a()
		// Members are in ID order, so equal sets hash alike.
		for _, u := range t.Members {
			m.TeamOf[u] = t.ID
			putInt64(buf[:8], t.ID)
			putInt64(buf[8:], u)
			all.Write(buf[:])
			one.Write(buf[:])
		}
		m.teamKeys[t.ID] = one.Sum64()
	}
	m.Key = all.Sum64()
	return m, nil
}

// membershipTeams is TournamentTeams without gorm's reflection: teams in ID
// order, members in ID order.
func (s *Store) membershipTeams(ctx context.Context, tournamentID int64) ([]Team, error) {
	rows, err := s.query(ctx, "SELECT id, name, invite_code FROM teams WHERE tournament_id = ? ORDER BY id", tournamentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var teams []Team
	at := make(map[int64]int)
	for rows.Next() {
		t := Team{TournamentID: tournamentID}
		if err := rows.Scan(&t.ID, &t.Name, &t.InviteCode); err != nil {
			return nil, err
		}
		at[t.ID] = len(teams)
		teams = append(teams, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	members, err := s.query(ctx, "SELECT team_id, user_id FROM team_members WHERE tournament_id = ? ORDER BY team_id, user_id", tournamentID)
	if err != nil {
		return nil, err
	}
	defer members.Close()
	for members.Next() {
		var team, user int64
		if err := members.Scan(&team, &user); err != nil {
			return nil, err
		}
		if i, ok := at[team]; ok {
			teams[i].Members = append(teams[i].Members, user)
		}
	}
	return teams, members.Err()
}

// TeamKeys returns a key per team that changes whenever the team's members
// do, to be handed back to ChangedTeams. The map is shared: read it only.
func (m Membership) TeamKeys() map[int64]uint64 { return m.teamKeys }

// ChangedTeams returns the teams, in ID order, whose members differ from
// when old was taken (m.TeamKeys() then): teams created, emptied, deleted
// or joined since. Only their team scores can have moved.
func (m Membership) ChangedTeams(old map[int64]uint64) []int64 {
	var out []int64
	for id, k := range m.teamKeys {
		if was, ok := old[id]; !ok || was != k {
			out = append(out, id)
		}
	}
	for id := range old {
		if _, ok := m.teamKeys[id]; !ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
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

// RescoreTeams returns prev, a scoring of q under an older membership,
// brought up to m: the teams in changed (from ChangedTeams) are scored
// again from their current members' forecasts alone, against prev's daily
// crowd medians, which no team change moves; every other score is kept.
// The result equals ScoreQuestion(q, m) bit for bit (see
// scoring.ScoreTeams) at the cost of reading a few members' forecasts.
//
// When many members changed (an import of teams), reading them one by one
// would cost more than reading the question once: it scores q afresh.
func (s *Store) RescoreTeams(ctx context.Context, q *Question, m Membership, prev scoring.Result, changed []int64) (scoring.Result, error) {
	gone := make(map[int64]bool, len(changed))
	for _, id := range changed {
		gone[id] = true
	}
	var members []int64
	for _, t := range m.Teams {
		if gone[t.ID] {
			members = append(members, t.Members...)
		}
	}
	if len(members) > maxRescoredMembers {
		return s.ScoreQuestion(ctx, q, m)
	}
	fresh, err := s.scoreTeams(ctx, q, m, members, prev.Median)
	if err != nil {
		return scoring.Result{}, err
	}
	// Both lists are in team order: merge them, leaving out the old
	// scores of the changed teams.
	out := prev
	out.Teams = make([]scoring.TeamScore, 0, len(prev.Teams)+len(fresh))
	for _, ts := range prev.Teams {
		for len(fresh) > 0 && fresh[0].Team < ts.Team {
			out.Teams, fresh = append(out.Teams, fresh[0]), fresh[1:]
		}
		if !gone[ts.Team] {
			out.Teams = append(out.Teams, ts)
		}
	}
	out.Teams = append(out.Teams, fresh...)
	return out, nil
}

// scoreTeams scores the teams of members (users of m's teams) on q from
// their forecasts and the question's daily crowd medians.
func (s *Store) scoreTeams(ctx context.Context, q *Question, m Membership, members []int64, median []float64) ([]scoring.TeamScore, error) {
	if len(members) == 0 {
		return nil, nil
	}
	fs, err := s.forecastsOfUsers(ctx, q.ID, members)
	if err != nil {
		return nil, err
	}
	teams := make(map[int64]int64, len(members))
	for _, u := range members {
		teams[u] = m.TeamOf[u]
	}
	ts, err := scoring.ScoreTeams(q.ScoringQuestion(), fs, teams, median)
	if err != nil {
		return nil, fmt.Errorf("scoring teams on question %d: %v", q.ID, err)
	}
	return ts, nil
}

// maxRescoredMembers bounds RescoreTeams' member-by-member reads: one
// index probe each, against one scan of the question's forecasts.
const maxRescoredMembers = 200

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
	m, err := s.Membership(ctx, tournamentID)
	if err != nil {
		return Leaderboards{}, err
	}
	return s.LeaderboardsWith(ctx, tournamentID, m, score, conditional)
}

// LeaderboardsWith is LeaderboardsOf with the tournament's membership as
// the caller read it: one build of every board reads it once (at 10,000
// members, about 11 ms a read on a 2-core VM).
func (s *Store) LeaderboardsWith(ctx context.Context, tournamentID int64, m Membership, score QuestionScorer, conditional bool) (Leaderboards, error) {
	if score == nil {
		score = s.ScoreQuestion
	}
	qs, err := s.ListQuestions(ctx, tournamentID)
	if err != nil {
		return Leaderboards{}, err
	}
	ranked, err := s.boardFilter(ctx, tournamentID, conditional)
	if err != nil {
		return Leaderboards{}, err
	}
	var todo []*Question
	for i := range qs {
		if qs[i].Scored() && ranked(&qs[i]) {
			todo = append(todo, &qs[i])
		}
	}
	results, err := scoreAll(ctx, todo, m, score)
	if err != nil {
		return Leaderboards{}, err
	}
	users, err := s.ScoredUsers(ctx, results)
	if err != nil {
		return Leaderboards{}, err
	}
	lb := rankUsers(results, users)
	tb := scoring.NewBoard()
	for _, r := range results {
		for _, ts := range r.Teams {
			tb.Add(ts.Team, m.nameByID[ts.Team], ts.Brier, ts.Relative)
		}
	}
	lb.Teams = []TeamEntry{}
	for _, e := range tb.Entries() {
		lb.Teams = append(lb.Teams, TeamEntry{Rank: e.Rank, TeamID: e.ID, TeamName: e.Name,
			Members: m.sizeByID[e.ID], Questions: e.Questions, Brier: e.Brier, Relative: e.Relative})
	}
	return lb, nil
}

// scoreAll scores qs, a question per processor at a time: a cold board
// reads and scores every question, and SQLite reads on several
// connections at once. Memory stays that of a few questions' forecasts.
// The results keep qs's order, so every sum is taken in the same order.
func scoreAll(ctx context.Context, qs []*Question, m Membership, score QuestionScorer) ([]scoring.Result, error) {
	results := make([]scoring.Result, len(qs))
	errs := make([]error, len(qs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(len(qs), runtime.GOMAXPROCS(0), maxScoringWorkers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(qs); i = int(next.Add(1) - 1) {
				results[i], errs[i] = score(ctx, qs[i], m)
				if errs[i] != nil {
					next.Store(int64(len(qs))) // stop the others early
				}
			}
		}()
	}
	wg.Wait()
	return results, errors.Join(errs...)
}

// maxScoringWorkers bounds scoreAll's parallelism, and so its memory.
const maxScoringWorkers = 4

// rankUsers fills the individual boards: everyone, humans and bots.
// Without bots, humans are everyone: that board is ranked once.
func rankUsers(results []scoring.Result, users map[int64]User) Leaderboards {
	type who struct {
		name string
		bot  bool
	}
	// A board adds one score per user and question (a million at 100
	// questions of 10,000 users): look up small values, not whole Users.
	byID := make(map[int64]who, len(users))
	bots := false
	for id, u := range users {
		byID[id] = who{u.Username, u.Bot}
		bots = bots || u.Bot
	}
	ub, hb, bb := scoring.NewBoard(), scoring.NewBoard(), scoring.NewBoard()
	for _, r := range results {
		for _, us := range r.Users {
			u := byID[us.User]
			ub.Add(us.User, u.name, us.Brier, us.Relative)
			if !bots {
				continue
			}
			if u.bot {
				bb.Add(us.User, u.name, us.Brier, us.Relative)
			} else {
				hb.Add(us.User, u.name, us.Brier, us.Relative)
			}
		}
	}
	lb := Leaderboards{Users: userEntries(ub, users), Bots: userEntries(bb, users)}
	lb.Humans = lb.Users
	if bots {
		lb.Humans = userEntries(hb, users)
	}
	return lb
}

func userEntries(b *scoring.Board, users map[int64]User) []UserEntry {
	out := []UserEntry{}
	for _, e := range b.Entries() {
		out = append(out, UserEntry{Rank: e.Rank, User: users[e.ID], Questions: e.Questions,
			Brier: e.Brier, Relative: e.Relative})
	}
	return out
}

// ScoredUsers loads the users who have a score in results, keyed by ID
// (without their password hashes, which no board needs).
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
	return s.boardUsers(ctx, ids)
}

// boardUsers reads users by ID in plain queries of up to 500 IDs: a board
// of 10,000 users read through gorm cost more than scoring a question.
func (s *Store) boardUsers(ctx context.Context, ids []int64) (map[int64]User, error) {
	out := make(map[int64]User, len(ids))
	const chunk = 500 // stay under SQLite's bound-parameter limit
	args := make([]any, 0, chunk)
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		args = args[:0]
		for _, id := range part {
			args = append(args, id)
		}
		rows, err := s.queryOnce(ctx, "SELECT id, username, display_name, role, created_at, disabled, token_version, bot FROM users WHERE id IN (?"+
			strings.Repeat(", ?", len(part)-1)+")", args...)
		if err != nil {
			return nil, err
		}
		if err := scanBoardUsers(rows, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func scanBoardUsers(rows *sql.Rows, out map[int64]User) error {
	defer rows.Close()
	for rows.Next() {
		var u User
		var created int64
		var disabled, bot flag
		if err := rows.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &created, &disabled, &u.TokenVersion, &bot); err != nil {
			return err
		}
		u.CreatedAt, u.Disabled, u.Bot = fromMicros(created), bool(disabled), bool(bot)
		out[u.ID] = u
	}
	return rows.Err()
}

// forecastsOfUsers returns the forecasts of users on one question in
// scoring order, read through the (question, user, time) index: a few
// members' forecasts cost a few index probes, not the question's whole
// forecast list. One statement per user keeps a single prepared query.
func (s *Store) forecastsOfUsers(ctx context.Context, questionID int64, users []int64) ([]scoring.Forecast, error) {
	var out []scoring.Forecast
	for _, u := range users {
		rows, err := s.query(ctx,
			"SELECT id, user_id, probabilities, created_at FROM forecasts WHERE question_id = ? AND user_id = ?", questionID, u)
		if err != nil {
			return nil, err
		}
		fs, err := scoringForecasts(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
	}
	// Each user's forecasts are in order already, ties by arrival; the
	// order among different users at one instant does not matter to
	// scoring (they are applied before the same day closes).
	slices.SortStableFunc(out, func(a, b scoring.Forecast) int { return a.At.Compare(b.At) })
	return out, nil
}
