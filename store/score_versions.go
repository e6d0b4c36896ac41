package store

import (
	"context"
	"sync"

	"gorm.io/gorm"
)

// AllTournaments is the tournament ID a score-version subscriber hears when
// a change moved every tournament's score version at once (a user's
// display name or bot flag shows on every board).
const AllTournaments int64 = 0

// OnScoreVersionChange registers fn to hear, after each commit that moves
// score versions, the ID of every tournament whose version moved (or
// AllTournaments). Caches keyed to score versions subscribe instead of
// every writer remembering to clear them. fn runs on the writing
// goroutine once the write is durable: it must be quick and must not
// write through the store. Changes made by another process (another
// instance, `signpost import`) are not heard.
func (s *Store) OnScoreVersionChange(fn func(tournamentID int64)) {
	s.scoreHooks.mu.Lock()
	defer s.scoreHooks.mu.Unlock()
	s.scoreHooks.fns = append(s.scoreHooks.fns, fn)
}

type scoreVersionHooks struct {
	mu  sync.RWMutex
	fns []func(tournamentID int64)
}

func (s *Store) scoreVersionMoved(tournamentID int64) {
	s.scoreHooks.mu.RLock()
	defer s.scoreHooks.mu.RUnlock()
	for _, fn := range s.scoreHooks.fns {
		fn(tournamentID)
	}
}

// scoreMoves collects, in a write's context, the tournaments whose score
// version the write moves, so that they are announced only once it has
// committed: a subscriber clearing its cache before the commit could read
// the old version again.
type scoreMoves struct {
	mu  sync.Mutex
	ids []int64
	// fanouts are the notice fan-outs the write recorded, delivered once
	// it has committed.
	fanouts []fanoutRow
}

type scoreMovesKey struct{}

// trackScoreMoves returns ctx carrying a collector for bumpScoreVersion,
// and announce, to call with the write's error once it is over: it tells
// the subscribers when the write succeeded.
func (s *Store) trackScoreMoves(ctx context.Context) (context.Context, func(err error)) {
	m := &scoreMoves{}
	return context.WithValue(ctx, scoreMovesKey{}, m), func(err error) {
		if err != nil {
			return
		}
		m.mu.Lock()
		ids, fanouts := m.ids, m.fanouts
		m.mu.Unlock()
		for _, id := range ids {
			s.scoreVersionMoved(id)
		}
		s.deliverFanouts(context.WithoutCancel(ctx), fanouts)
	}
}

// noteScoreMove records a moved score version in the write's collector,
// when its context carries one.
func noteScoreMove(tx *gorm.DB, tournamentID int64) {
	if m, ok := tx.Statement.Context.Value(scoreMovesKey{}).(*scoreMoves); ok {
		m.mu.Lock()
		m.ids = append(m.ids, tournamentID)
		m.mu.Unlock()
	}
}

// bumpScoreVersion moves one tournament's score version (the key of its
// cached leaderboards); tx's context should come from trackScoreMoves.
func bumpScoreVersion(tx *gorm.DB, tournamentID int64) error {
	if err := tx.Exec("UPDATE tournaments SET score_version = score_version + 1 WHERE id = ?", tournamentID).Error; err != nil {
		return err
	}
	noteScoreMove(tx, tournamentID)
	return nil
}

// bumpAllScoreVersions moves every tournament's score version.
func bumpAllScoreVersions(tx *gorm.DB) error {
	if err := tx.Exec("UPDATE tournaments SET score_version = score_version + 1").Error; err != nil {
		return err
	}
	noteScoreMove(tx, AllTournaments)
	return nil
}
