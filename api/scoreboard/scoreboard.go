// Package scoreboard owns per-question results and each tournament's leaderboards per score version.
// It imports store and scoring, never signpost/api nor fiber.
//
// Boards are kept in memory with every page ready as JSON bytes; the store
// announces each score version change (store.OnScoreVersionChange), so no
// handler has to invalidate anything. The API's leaderboard handler reads
// query parameters and asks it for a page.
package scoreboard

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"signpost/scoring"
	"signpost/store"
)

// Scoreboard serves leaderboards from memory. A tournament's boards are
// keyed to its score version, which the store moves on every change that
// alters scores (resolution, correction, annulment, import, team
// membership), so a warm read scans no forecasts and the first read after
// a change recomputes. Per-question results are kept too, keyed to the
// question's revision and the tournament's team membership, so a
// recompute only rescores questions that changed, and a membership change
// only the team scores of the teams that changed (store.RescoreTeams).
type Scoreboard struct {
	st        *store.Store
	mu        sync.Mutex
	boards    map[int64]*Boards
	questions map[int64]*questionResult
	compute   map[int64]*sync.Mutex // one recompute per tournament at a time
	// builds and rescored count recomputes and questions scored from
	// all their forecasts, tallied those scored from their tally alone,
	// teamRescored questions whose team scores alone were brought up to a
	// new membership, so tests can tell a warm read from a recompute and a
	// recompute from a full one.
	builds, rescored, tallied, teamRescored atomic.Int64
	// onBuild observes each recompute's duration (metrics).
	onBuild  func(time.Duration)
	versions *versionCache
	log      *slog.Logger
	// tallies keep each question's scoring state (tallies.go).
	tallies *tallies
}

// Boards are a tournament's leaderboards at one score version, each entry
// encoded once; pages are cut from them (pages.go).
type Boards struct {
	version int64
	team    *Board
	// people are the individual boards by participants (all, humans,
	// bots).
	people map[string]peopleBoard
	// the boards of conditional branches (?kind=conditional)
	conditionalPeople map[string]peopleBoard
	conditionalTeam   *Board
}

// Page is one JSON answer ready to send: plain, gzipped (empty when it was
// not worth keeping), and its ETag.
type Page struct {
	Plain, Gzipped []byte
	ETag           string
}

type questionResult struct {
	revision int64
	teamsKey uint64
	teamKeys map[int64]uint64 // per team, shared with the Membership read
	result   scoring.Result
}

// New returns the scoreboard of st's tournaments. It hears from st when a
// score version moves, so that this process's next read sees the change at
// once (see Version).
func New(st *store.Store, log *slog.Logger) *Scoreboard {
	bc := &Scoreboard{st: st, boards: make(map[int64]*Boards), questions: make(map[int64]*questionResult),
		compute: make(map[int64]*sync.Mutex), versions: newVersionCache(time.Millisecond), log: log, tallies: newTallies()}
	st.OnScoreVersionChange(func(int64) { bc.versions.forget() })
	st.OnForecastsStored(bc.tallies.stored)
	st.SetNoticeScorer(bc.Result)
	return bc
}

// OnBuild sets fn to observe each recompute's duration (metrics). Set it
// before the first read.
func (bc *Scoreboard) OnBuild(fn func(time.Duration)) { bc.onBuild = fn }

// Stats count the recomputes of boards, the questions scored from all their
// forecasts, those scored from their tally without reading them, and those
// whose team scores alone were brought up to a new membership: a warm read
// adds to none of them.
type Stats struct {
	Builds, Rescored, Tallied, TeamRescored int64
}

// Stats reports the counts so far.
func (bc *Scoreboard) Stats() Stats {
	return Stats{Builds: bc.builds.Load(), Rescored: bc.rescored.Load(), Tallied: bc.tallied.Load(),
		TeamRescored: bc.teamRescored.Load()}
}

// Version returns the ID and current score version of the tournament with
// slug, remembered for a millisecond (see versionCache).
func (bc *Scoreboard) Version(ctx context.Context, slug string) (id, version int64, err error) {
	return bc.versions.get(ctx, bc.st, slug)
}

// Current returns the boards of the tournament with slug at its current
// score version, and the tournament's ID.
func (bc *Scoreboard) Current(ctx context.Context, slug string) (int64, *Boards, error) {
	id, version, err := bc.Version(ctx, slug)
	if err != nil {
		return 0, nil, err
	}
	b, err := bc.Boards(ctx, id, version)
	return id, b, err
}

func (bc *Scoreboard) cached(tournamentID, version int64) *Boards {
	bc.mu.Lock()
	defer bc.mu.Unlock()
	if b := bc.boards[tournamentID]; b != nil && b.version == version {
		return b
	}
	return nil
}

// Boards returns the tournament's boards at the given (current) score
// version, recomputing them when the cached ones are older.
func (bc *Scoreboard) Boards(ctx context.Context, tournamentID, version int64) (*Boards, error) {
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

// Membership reads the teams that team scores and result caching key on.
func (bc *Scoreboard) Membership(ctx context.Context, tournamentID int64) (store.Membership, error) {
	return bc.st.Membership(ctx, tournamentID)
}

// Result scores one resolved question, reusing the cached result while
// the question has not changed. A membership change alone rescores only
// the teams whose members changed, from their forecasts: individual
// scores and the daily crowd medians do not depend on teams.
func (bc *Scoreboard) Result(ctx context.Context, q *store.Question, m store.Membership) (scoring.Result, error) {
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
		var read bool
		res, read, err = bc.tallies.score(ctx, bc.st, q, m)
		if read {
			bc.rescored.Add(1)
		} else {
			bc.tallied.Add(1)
		}
	}
	if err != nil {
		return scoring.Result{}, err
	}
	bc.mu.Lock()
	bc.questions[q.ID] = &questionResult{revision: q.Revision, teamsKey: m.Key, teamKeys: m.TeamKeys(), result: res}
	bc.mu.Unlock()
	return res, nil
}

func (bc *Scoreboard) build(ctx context.Context, tournamentID int64) (*Boards, error) {
	m, err := bc.Membership(ctx, tournamentID)
	if err != nil {
		return nil, err
	}
	lb, err := bc.st.LeaderboardsWith(ctx, tournamentID, m, bc.Result, false)
	if err != nil {
		return nil, err
	}
	b := &Boards{}
	if b.people, err = peopleBoards(lb); err != nil {
		return nil, err
	}
	if b.team, err = bc.teamBoard(lb, m); err != nil {
		return nil, err
	}
	if b.conditionalPeople, b.conditionalTeam, err = bc.buildConditional(ctx, tournamentID, m); err != nil {
		return nil, err
	}
	return b, nil
}

// UsersOf reads the users scored in results, by ID.
func (bc *Scoreboard) UsersOf(ctx context.Context, results []scoring.Result) (map[int64]store.User, error) {
	return bc.st.ScoredUsers(ctx, results)
}

// Warm scores every tournament once, so the first visitor of a
// leaderboard after a restart does not wait for the recompute, then builds
// the open questions' tallies, so that their resolution reads no
// forecasts. ctx only
// stops it: the reads are not cancellable, as the SQLite driver watches a
// cancellable context with a goroutine per row, which made warming
// several times slower.
func (bc *Scoreboard) Warm(ctx context.Context) {
	bg := context.WithoutCancel(ctx)
	ts, err := bc.st.ListTournaments(bg)
	if err != nil {
		bc.log.Warn("warming leaderboards", "err", err)
		return
	}
	for _, t := range ts {
		if ctx.Err() != nil {
			return
		}
		id, version, err := bc.st.TournamentVersion(bg, t.Slug)
		if err == nil {
			_, err = bc.Boards(bg, id, version)
		}
		if err != nil {
			bc.log.Warn("warming a leaderboard", "tournament", t.Slug, "err", err)
		}
	}
	for _, t := range ts {
		if err := bc.warmTallies(bg, t.ID); err != nil {
			bc.log.Warn("warming the open questions' tallies", "tournament", t.Slug, "err", err)
		}
		if ctx.Err() != nil {
			return
		}
	}
}
