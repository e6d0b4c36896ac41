// Package tripwires owns the tripwires' rules and their evaluator: what
// value each kind watches, the checks that need the server's caches, and
// the worker that fires and re-arms them. It imports store and the
// services it reads (api/signposts), never signpost/api nor fiber.
//
// A tripwire fires once when its value crosses the threshold and re-arms
// only once the value is back on the other side. Firing is the store's
// conditional change (store.FireTripwire), in the transaction that
// enqueues its webhook deliveries and its owner's notice, so two
// evaluators can never both fire it; the lease makes one instance of
// several the evaluator, so they do not race in the first place.
package tripwires

import (
	"context"
	"errors"

	"signpost/api/signposts"
	"signpost/store"
)

// Sources are what tripwires read besides the store, from the server's
// caches; a feed's value comes from the store (its latest successful
// snapshot). A nil function means its kind has no value.
type Sources struct {
	// SyncCrowds brings the crowds up to date before a round.
	SyncCrowds func(ctx context.Context) error
	// Crowd is a question's crowd as shown to users, nil below the crowd
	// minimum (no crowd, no value).
	Crowd func(questionID int64) (probabilities []float64, forecasters int)
	// Board is a tournament's signpost board.
	Board func(ctx context.Context, slug string) (signposts.Board, error)
}

// Check holds a new tripwire of tournament t to the rules that need the
// server's caches, before the store checks the rest: implied and evidence
// watch an option of the board's scenario question, a feed tripwire a
// question with a feed. Errors are store.ErrInvalid naming the field.
func Check(ctx context.Context, st *store.Store, src Sources, t store.Tournament, w store.Tripwire) error {
	switch w.Kind {
	case store.TripwireImplied, store.TripwireEvidence:
		if src.Board == nil {
			return store.Invalid("kind", "this server has no signpost board")
		}
		b, err := src.Board(ctx, t.Slug)
		if errors.Is(err, store.ErrNotFound) {
			return store.Invalid("kind", "a %s tripwire needs a scenario question on the signpost board; tournament %s has none", w.Kind, t.Slug)
		}
		if err != nil {
			return err
		}
		if b.ScenarioQuestionID != w.QuestionID {
			return store.Invalid("question_id", "a %s tripwire watches the scenario question of the signpost board (question %d), not question %d",
				w.Kind, b.ScenarioQuestionID, w.QuestionID)
		}
	case store.TripwireFeed:
		_, err := st.FindFeed(ctx, w.QuestionID)
		if errors.Is(err, store.ErrNotFound) {
			return store.Invalid("question_id", "a feed tripwire needs a question with a data feed; question %d has none", w.QuestionID)
		}
		return err
	}
	return nil
}

// values reads the tripwires' values in one round, computing each
// tournament's board and reading its feeds' snapshots at most once.
type values struct {
	st     *store.Store
	src    Sources
	boards map[string]*signposts.Board        // by tournament slug; nil: none
	feeds  map[int64]map[int64]store.Snapshot // by tournament, then question
}

func newValues(st *store.Store, src Sources) *values {
	return &values{st: st, src: src, boards: map[string]*signposts.Board{}, feeds: map[int64]map[int64]store.Snapshot{}}
}

// of is tripwire w's value now; ok is false when it has none (no crowd
// shown, no board, no successful snapshot), which neither fires nor
// re-arms it.
func (v *values) of(ctx context.Context, t store.Tournament, w store.Tripwire) (float64, bool, error) {
	option := 0
	if w.Option != nil {
		option = *w.Option
	}
	switch w.Kind {
	case store.TripwireCrowd:
		if v.src.Crowd == nil {
			return 0, false, nil
		}
		probs, _ := v.src.Crowd(w.QuestionID)
		if option >= len(probs) {
			return 0, false, nil
		}
		return probs[option], true, nil
	case store.TripwireImplied, store.TripwireEvidence:
		b, err := v.board(ctx, t)
		if err != nil || b == nil || b.ScenarioQuestionID != w.QuestionID || option >= len(b.Scenarios) {
			return 0, false, err
		}
		if w.Kind == store.TripwireImplied {
			return b.Scenarios[option].Implied, true, nil
		}
		return b.Scenarios[option].Evidence, true, nil
	case store.TripwireFeed:
		sn, ok, err := v.snapshot(ctx, t.ID, w.QuestionID)
		return sn.Value, ok, err
	}
	return 0, false, nil
}

// board is tournament t's signpost board, nil when it has none.
func (v *values) board(ctx context.Context, t store.Tournament) (*signposts.Board, error) {
	if b, seen := v.boards[t.Slug]; seen {
		return b, nil
	}
	if v.src.Board == nil {
		return nil, nil
	}
	b, err := v.src.Board(ctx, t.Slug)
	if errors.Is(err, store.ErrNotFound) {
		v.boards[t.Slug] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v.boards[t.Slug] = &b
	return &b, nil
}

// snapshot is the latest successful snapshot of a question's feed; ok is
// false without one (a failed or unparsable fetch is never a value).
func (v *values) snapshot(ctx context.Context, tournamentID, questionID int64) (store.Snapshot, bool, error) {
	byQuestion, seen := v.feeds[tournamentID]
	if !seen {
		var err error
		if byQuestion, err = v.st.LatestOKSnapshots(ctx, tournamentID); err != nil {
			return store.Snapshot{}, false, err
		}
		v.feeds[tournamentID] = byQuestion
	}
	sn, ok := byQuestion[questionID]
	return sn, ok, nil
}
