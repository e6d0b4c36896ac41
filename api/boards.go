package api

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"signpost/scoring"
	"signpost/store"
)

// boardCache serves leaderboards from memory. A tournament's boards are
// keyed to its score version, which the store moves on every change that
// alters scores (resolution, correction, annulment, import, team
// membership), so a warm read scans no forecasts and the first read after
// a change recomputes. Per-question results are kept too, keyed to the
// question's revision and the tournament's team membership, so a
// recompute only rescores questions that changed, and a membership change
// only the team scores of the teams that changed (store.RescoreTeams).
type boardCache struct {
	st        *store.Store
	mu        sync.Mutex
	boards    map[int64]*boards
	questions map[int64]*questionResult
	compute   map[int64]*sync.Mutex // one recompute per tournament at a time
	// builds and rescored count recomputes and questions scored from
	// all their forecasts, teamRescored questions whose team scores alone
	// were brought up to a new membership, so tests can tell a warm read
	// from a recompute and a recompute from a full one.
	builds, rescored, teamRescored atomic.Int64
	// onBuild observes each recompute's duration (metrics).
	onBuild func(time.Duration)
}

// boards are a tournament's leaderboards, each entry encoded once; pages
// are cut from them (board_pages.go).
type boards struct {
	version int64
	team    *pagedBoard
	// people are the individual boards by participants (all, humans,
	// bots).
	people map[string]peopleBoard
	// the boards of conditional branches (?kind=conditional)
	conditionalPeople map[string]peopleBoard
	conditionalTeam   *pagedBoard
}

// encoded is one JSON answer ready to send: plain, gzipped, and its ETag.
type encoded struct {
	plain, gzipped []byte
	etag           string
}

type questionResult struct {
	revision int64
	teamsKey uint64
	teamKeys map[int64]uint64 // per team, shared with the Membership read
	result   scoring.Result
}

func newBoardCache(st *store.Store) *boardCache {
	return &boardCache{st: st, boards: make(map[int64]*boards), questions: make(map[int64]*questionResult),
		compute: make(map[int64]*sync.Mutex)}
}

func (bc *boardCache) cached(tournamentID, version int64) *boards {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	if b := bc.boards[tournamentID]; b != nil && b.version == version {
		return b
	}
	return nil
}

// get returns the tournament's boards at the given (current) score version.
func (bc *boardCache) get(ctx context.Context, tournamentID, version int64) (*boards, error) {
	if b := bc.cached(tournamentID, version); b != nil {
		return b, nil
	}
	bc.mu.Lock()
	lock := bc.compute[tournamentID]
	if lock == nil {
		lock = &sync.Mutex{}
		bc.compute[tournamentID] = lock
	}
	bc.mu.Unlock()
	lock.Lock()
	defer lock.Unlock()
	if b := bc.cached(tournamentID, version); b != nil {
		return b, nil // computed while we waited
	}
	start := time.Now()
	b, err := bc.build(ctx, tournamentID)
	if err != nil {
		return nil, err
	}
	if bc.onBuild != nil {
		bc.onBuild(time.Since(start))
	}
	bc.builds.Add(1)
	b.version = version
	bc.mu.Lock()
	bc.boards[tournamentID] = b
	bc.mu.Unlock()
	return b, nil
}

// membership reads the teams that team scores and result caching key on.
func (bc *boardCache) membership(ctx context.Context, tournamentID int64) (store.Membership, error) {
	return bc.st.Membership(ctx, tournamentID)
}

// scorable reports whether a question counts for scores.
func scorable(q *store.Question) bool { return q.Scored() }

// result scores one resolved question, reusing the cached result while
// the question has not changed. A membership change alone rescores only
// the teams whose members changed, from their forecasts: individual
// scores and the daily crowd medians do not depend on teams.
func (bc *boardCache) result(ctx context.Context, q *store.Question, m store.Membership) (scoring.Result, error) {
	bc.mu.Lock()
	c := bc.questions[q.ID]
	bc.mu.Unlock()
	if c != nil && c.revision == q.Revision && c.teamsKey == m.Key {
		return c.result, nil
	}
	var res scoring.Result
	var err error
	if c != nil && c.revision == q.Revision {
		res, err = bc.st.RescoreTeams(ctx, q, m, c.result, m.ChangedTeams(c.teamKeys))
		bc.teamRescored.Add(1)
	} else {
		res, err = bc.st.ScoreQuestion(ctx, q, m)
		bc.rescored.Add(1)
	}
	if err != nil {
		return scoring.Result{}, err
	}
	bc.mu.Lock()
	bc.questions[q.ID] = &questionResult{revision: q.Revision, teamsKey: m.Key, teamKeys: m.TeamKeys(), result: res}
	bc.mu.Unlock()
	return res, nil
}

type entryDTO struct {
	Rank      int           `json:"rank"`
	User      publicUserDTO `json:"user"`
	Questions int           `json:"questions"`
	Brier     float64       `json:"brier"`
	Relative  float64       `json:"relative"`
}

type teamRefDTO struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type teamEntryDTO struct {
	Rank      int        `json:"rank"`
	Team      teamRefDTO `json:"team"`
	Members   int        `json:"members"`
	Questions int        `json:"questions"`
	Brier     float64    `json:"brier"`
	Relative  float64    `json:"relative"`
}

func (bc *boardCache) build(ctx context.Context, tournamentID int64) (*boards, error) {
	lb, err := bc.st.Leaderboards(ctx, tournamentID, bc.result)
	if err != nil {
		return nil, err
	}
	b := &boards{}
	if b.people, err = peopleBoards(lb); err != nil {
		return nil, err
	}
	if b.team, err = bc.teamBoard(ctx, tournamentID, lb); err != nil {
		return nil, err
	}
	if b.conditionalPeople, b.conditionalTeam, err = bc.buildConditional(ctx, tournamentID); err != nil {
		return nil, err
	}
	return b, nil
}

func (bc *boardCache) usersOf(ctx context.Context, results []scoring.Result) (map[int64]store.User, error) {
	return bc.st.ScoredUsers(ctx, results)
}

// LeaderboardBody is a leaderboard as the API serves it (the individual
// board, or the team board when byTeam): `signpost score -json` prints it.
func LeaderboardBody(lb store.Leaderboards, byTeam bool) any {
	if byTeam {
		return boardDTO{Entries: teamEntries(lb)}
	}
	ind := make([]entryDTO, len(lb.Users))
	for i, e := range lb.Users {
		ind[i] = entryDTO{Rank: e.Rank, User: toPublicUserDTO(e.User), Questions: e.Questions,
			Brier: e.Brier, Relative: e.Relative}
	}
	return boardDTO{Entries: ind}
}

// Warm loads the in-memory crowd state in the background after start-up,
// so the first visitor does not pay for it.
func (s *Server) Warm(ctx context.Context) {
	// Not cancellable: the SQLite driver watches a cancellable context
	// with a goroutine per row, which made warming several times slower.
	bg := context.WithoutCancel(ctx)
	s.warmCrowds(ctx)
	// Score every tournament once, so the first visitor of a leaderboard
	// after a restart does not wait for the recompute.
	ts, err := s.cfg.Store.ListTournaments(bg)
	if err != nil {
		s.log.Warn("warming leaderboards", "err", err)
		return
	}
	for _, t := range ts {
		if ctx.Err() != nil {
			return
		}
		id, version, err := s.cfg.Store.TournamentVersion(bg, t.Slug)
		if err == nil {
			_, err = s.boards.get(bg, id, version)
		}
		if err != nil {
			s.log.Warn("warming a leaderboard", "tournament", t.Slug, "err", err)
		}
	}
}
