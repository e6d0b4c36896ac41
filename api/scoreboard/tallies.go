package scoreboard

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"signpost/scoring"
	"signpost/store"
)

// tallies keeps a scoring.Tally per question, built from the question's
// forecasts when first needed (the cold build scores every resolved
// question from its forecasts anyway) and fed by the store as this
// process stores forecasts, so that a resolution, a correction or an
// annulment's undoing scores the question from the tally in time
// proportional to its forecasters, without reading its forecasts again.
type tallies struct {
	mu         sync.Mutex
	byQuestion map[int64]*tallyEntry
}

type tallyEntry struct {
	mu    sync.Mutex
	tally *scoring.Tally // nil while being built
	// mark sums up the forecasts the tally holds; the table's must equal
	// it for the tally to be used (imports and other processes store
	// forecasts this one does not hear of).
	mark store.ForecastMark
	// the membership the tally's team scores follow
	teamsKey uint64
	teamKeys map[int64]uint64
	// pending are the forecasts stored while the tally was being built.
	pending []store.Forecast
	// broken is set when a forecast could not be added: the tally is built
	// again when next needed.
	broken bool
}

func newTallies() *tallies { return &tallies{byQuestion: make(map[int64]*tallyEntry)} }

// stored follows the forecasts the store committed (store.OnForecastsStored).
func (ts *tallies) stored(fs []store.Forecast) {
	for i := range fs {
		f := &fs[i]
		ts.mu.Lock()
		e := ts.byQuestion[f.QuestionID]
		ts.mu.Unlock()
		if e == nil {
			continue
		}
		e.mu.Lock()
		switch {
		case e.broken:
		case e.tally == nil:
			e.pending = append(e.pending, *f)
		default:
			e.add(*f)
		}
		e.mu.Unlock()
	}
}

// add tallies f; called with e.mu held.
func (e *tallyEntry) add(f store.Forecast) {
	if err := e.tally.Add(scoring.Forecast{User: f.UserID, At: f.CreatedAt, Probs: f.Probs}); err != nil {
		e.broken = true
		return
	}
	e.mark = e.mark.Add(f.ID)
}

// score scores resolved q under membership m from its tally when the
// tally holds every stored forecast of q; otherwise it builds the tally
// from q's forecasts (the cold build scores every question from them
// anyway) and scores from it, or from the forecasts read when the tally
// cannot give this scoring (a forecast made after q's end). Team scores of
// teams changed since the tally was built are scored again from their
// members' forecasts (store.RescoreTeams). read tells whether q's
// forecasts were read.
func (ts *tallies) score(ctx context.Context, st *store.Store, q *store.Question, m store.Membership) (res scoring.Result, read bool, err error) {
	ts.mu.Lock()
	e := ts.byQuestion[q.ID]
	ts.mu.Unlock()
	if e != nil {
		mark, err := st.QuestionForecastMark(ctx, q.ID)
		if err != nil {
			return scoring.Result{}, false, err
		}
		if res, teamKeys, ok, err := e.score(q, m, &mark); ok || err != nil {
			res, err = teamsUpTo(ctx, st, q, m, res, teamKeys, err)
			return res, false, err
		}
	}
	res, err = ts.scoreRead(ctx, st, q, m)
	return res, true, err
}

// scoreRead builds q's tally and scores q from it, or from the forecasts
// read if the tally cannot give this scoring.
func (ts *tallies) scoreRead(ctx context.Context, st *store.Store, q *store.Question, m store.Membership) (scoring.Result, error) {
	e, fs, err := ts.build(ctx, st, q, m)
	if err != nil {
		return scoring.Result{}, err
	}
	res, teamKeys, ok, err := e.score(q, m, nil)
	if err == nil && !ok {
		if res, err = scoring.ScoreQuestion(q.ScoringQuestion(), fs, m.TeamOf); err != nil {
			// as store.ScoreQuestion: stored data the scorer refuses is a
			// server fault, never the client's
			err = fmt.Errorf("scoring question %d: %v", q.ID, err)
		}
		return res, err
	}
	return teamsUpTo(ctx, st, q, m, res, teamKeys, err)
}

// teamsUpTo brings res, scored under the membership of teamKeys (nil: m's),
// up to m.
func teamsUpTo(ctx context.Context, st *store.Store, q *store.Question, m store.Membership, res scoring.Result,
	teamKeys map[int64]uint64, err error) (scoring.Result, error) {
	if err != nil || teamKeys == nil {
		return res, err
	}
	return st.RescoreTeams(ctx, q, m, res, m.ChangedTeams(teamKeys))
}

// score reads q's scoring from the tally when it is whole and, if mark is
// given, holds what mark sums up; teamKeys is set when the tally's
// membership is not m's.
func (e *tallyEntry) score(q *store.Question, m store.Membership, mark *store.ForecastMark) (res scoring.Result, teamKeys map[int64]uint64, ok bool, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.broken || e.tally == nil || (mark != nil && e.mark != *mark) {
		return scoring.Result{}, nil, false, nil
	}
	res, err = e.tally.Score(q.ScoringQuestion())
	if errors.Is(err, scoring.ErrNotTallied) {
		return scoring.Result{}, nil, false, nil
	}
	if err != nil {
		return scoring.Result{}, nil, false, fmt.Errorf("scoring question %d: %v", q.ID, err)
	}
	// q is resolved: no forecast comes any more (one committed just before
	// the resolution and heard after it breaks the tally, which the mark
	// would catch anyway).
	e.tally.Seal()
	if e.teamsKey != m.Key {
		teamKeys = e.teamKeys
	}
	return res, teamKeys, true, nil
}

// build reads q's forecasts into a new tally under membership m, and
// returns it with the forecasts read. The forecasts stored during the read
// are kept aside and added after it, those the read saw (IDs up to its
// highest) left out.
func (ts *tallies) build(ctx context.Context, st *store.Store, q *store.Question, m store.Membership) (*tallyEntry, []scoring.Forecast, error) {
	e := &tallyEntry{teamsKey: m.Key, teamKeys: m.TeamKeys()}
	ts.mu.Lock()
	ts.byQuestion[q.ID] = e
	ts.mu.Unlock()
	fs, mark, err := st.TallyForecasts(ctx, q.ID)
	if err != nil {
		ts.drop(q.ID, e)
		return nil, nil, err
	}
	tally, err := scoring.NewTally(q.ScoringQuestion(), m.TeamOf)
	if err != nil {
		ts.drop(q.ID, e)
		return nil, nil, fmt.Errorf("scoring question %d: %v", q.ID, err)
	}
	broken := false
	for _, f := range fs {
		if err := tally.Add(f); err != nil {
			broken = true
			break
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.tally, e.mark, e.broken = tally, mark, broken
	for _, f := range e.pending {
		if f.ID > mark.MaxID && !e.broken {
			e.add(f)
		}
	}
	e.pending = nil
	return e, fs, nil
}

// drop forgets q's tally if it is still e.
func (ts *tallies) drop(questionID int64, e *tallyEntry) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.byQuestion[questionID] == e {
		delete(ts.byQuestion, questionID)
	}
}

// warmTallies builds the tallies of a tournament's open questions, so that
// their first resolution finds them; resolved questions get theirs when
// the boards are built.
func (bc *Scoreboard) warmTallies(ctx context.Context, tournamentID int64) error {
	qs, m, err := bc.questionsOf(ctx, tournamentID)
	if err != nil {
		return err
	}
	for i := range qs {
		q := &qs[i]
		if q.Resolution != nil || q.Annulled || ctx.Err() != nil {
			continue
		}
		bc.tallies.mu.Lock()
		e := bc.tallies.byQuestion[q.ID]
		bc.tallies.mu.Unlock()
		if e == nil {
			if _, _, err := bc.tallies.build(ctx, bc.st, q, m); err != nil {
				return err
			}
		}
	}
	return nil
}
