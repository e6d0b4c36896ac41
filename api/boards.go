package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"sort"
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
// recompute only rescores questions that changed.
type boardCache struct {
	st        *store.Store
	mu        sync.Mutex
	boards    map[int64]*boards
	questions map[int64]*questionResult
	compute   map[int64]*sync.Mutex // one recompute per tournament at a time
	// builds and rescored count recomputes and questions scored from
	// forecasts, so tests can tell a warm read from a recompute.
	builds, rescored atomic.Int64
	// onBuild observes each recompute's duration (metrics).
	onBuild func(time.Duration)
}

// boards are a tournament's two leaderboards, encoded (and gzipped) once.
type boards struct {
	version    int64
	individual encoded
	team       encoded
	// people are the individual boards by participants (all, humans,
	// bots); individual is people["all"].json.
	people map[string]peopleBoard
}

// encoded is one JSON answer ready to send: plain, gzipped, and its ETag.
type encoded struct {
	plain, gzipped []byte
	etag           string
}

func encode(v any) (encoded, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return encoded{}, err
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return encoded{}, err
	}
	if _, err := zw.Write(plain); err != nil {
		return encoded{}, err
	}
	if err := zw.Close(); err != nil {
		return encoded{}, err
	}
	sum := sha256.Sum256(plain)
	return encoded{plain: plain, gzipped: buf.Bytes(), etag: `"` + hex.EncodeToString(sum[:12]) + `"`}, nil
}

type questionResult struct {
	revision int64
	teamsKey uint64
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

// membership is a tournament's teams in the shapes scoring and the boards need.
type membership struct {
	teams    []store.Team
	teamOf   map[int64]int64
	key      uint64 // changes whenever membership changes
	nameByID map[int64]string
	sizeByID map[int64]int
}

func (bc *boardCache) membership(ctx context.Context, tournamentID int64) (membership, error) {
	teams, err := bc.st.TournamentTeams(ctx, tournamentID)
	if err != nil {
		return membership{}, err
	}
	m := membership{teams: teams, teamOf: make(map[int64]int64), nameByID: make(map[int64]string),
		sizeByID: make(map[int64]int)}
	h := fnv.New64a()
	var buf [16]byte
	for _, t := range teams {
		m.nameByID[t.ID] = t.Name
		m.sizeByID[t.ID] = len(t.Members)
		for _, u := range t.Members {
			m.teamOf[u] = t.ID
			putInt64(buf[:8], t.ID)
			putInt64(buf[8:], u)
			h.Write(buf[:])
		}
	}
	m.key = h.Sum64()
	return m, nil
}

func putInt64(b []byte, v int64) {
	for i := range 8 {
		b[i] = byte(v >> (8 * i))
	}
}

// scorable reports whether a question counts for scores.
func scorable(q *store.Question) bool { return q.Resolution != nil && !q.Annulled }

// result scores one resolved question, reusing the cached result while
// neither the question nor team membership has changed.
func (bc *boardCache) result(ctx context.Context, q *store.Question, m membership) (scoring.Result, error) {
	bc.mu.Lock()
	c := bc.questions[q.ID]
	bc.mu.Unlock()
	if c != nil && c.revision == q.Revision && c.teamsKey == m.key {
		return c.result, nil
	}
	fs, err := bc.st.ScoringForecasts(ctx, q.ID)
	if err != nil {
		return scoring.Result{}, err
	}
	bc.rescored.Add(1)
	res, err := scoring.ScoreQuestion(q.ScoringQuestion(), fs, m.teamOf)
	if err != nil {
		// Stored data the scorer refuses is a server fault, never the
		// client's: %v keeps a wrapped ValidationError from becoming a 400.
		return scoring.Result{}, fmt.Errorf("scoring question %d: %v", q.ID, err)
	}
	bc.mu.Lock()
	bc.questions[q.ID] = &questionResult{revision: q.Revision, teamsKey: m.key, result: res}
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
	qs, err := bc.st.ListQuestions(ctx, tournamentID)
	if err != nil {
		return nil, err
	}
	m, err := bc.membership(ctx, tournamentID)
	if err != nil {
		return nil, err
	}
	var results []scoring.Result
	for i := range qs {
		if !scorable(&qs[i]) {
			continue
		}
		res, err := bc.result(ctx, &qs[i], m)
		if err != nil {
			return nil, err
		}
		results = append(results, res)
	}
	users, err := bc.usersOf(ctx, results)
	if err != nil {
		return nil, err
	}
	tb := scoring.NewBoard()
	for _, r := range results {
		for _, ts := range r.Teams {
			tb.Add(ts.Team, m.nameByID[ts.Team], ts.Brier, ts.Relative)
		}
	}
	b := &boards{}
	if b.people, err = peopleBoards(results, users); err != nil {
		return nil, err
	}
	b.individual = b.people[participantsAll].json
	team := make([]teamEntryDTO, 0)
	for _, e := range tb.Entries() {
		team = append(team, teamEntryDTO{Rank: e.Rank, Team: teamRefDTO{ID: e.ID, Name: e.Name},
			Members: m.sizeByID[e.ID], Questions: e.Questions, Brier: e.Brier, Relative: e.Relative})
	}
	if b.team, err = encode(boardDTO{Entries: team}); err != nil {
		return nil, err
	}
	return b, nil
}

func (bc *boardCache) usersOf(ctx context.Context, results []scoring.Result) (map[int64]store.User, error) {
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
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return bc.st.UsersByID(ctx, ids)
}

// Leaderboard computes a tournament's leaderboard JSON (as the API serves it)
// straight from the store, with no server: for `signpost score`.
func Leaderboard(ctx context.Context, st *store.Store, tournamentID int64, byTeam bool) ([]byte, error) {
	b, err := newBoardCache(st).build(ctx, tournamentID)
	if err != nil {
		return nil, err
	}
	if byTeam {
		return b.team.plain, nil
	}
	return b.individual.plain, nil
}

// Warm loads the in-memory crowd state in the background after start-up,
// so the first visitor does not pay for it.
func (s *Server) Warm(ctx context.Context) {
	// Not cancellable: the SQLite driver watches a cancellable context
	// with a goroutine per row, which made warming several times slower.
	bg := context.WithoutCancel(ctx)
	if err := s.crowd.sync(bg); err != nil {
		s.log.Warn("warming the crowd cache", "err", err)
	}
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
