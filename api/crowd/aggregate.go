package crowd

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"signpost/scoring"
	"signpost/store"
)

// recheckSetting is how long a tournament's crowd aggregate, read from
// the database, is trusted: another instance's change reaches this one
// within it (this instance's own changes call Forget at once).
const recheckSetting = time.Second

// tournamentCrowd is what a tournament's crowd depends on beyond its
// forecasts: the aggregate it picked and, for the aggregates that read
// track records, the past of its resolved questions with each
// aggregate's scores, rebuilt when its score version moves (a question
// resolved, was corrected or annulled, an import).
type tournamentCrowd struct {
	aggregate scoring.Aggregate
	version   int64
	checked   time.Time // wall clock of the last read of the setting
	built     bool      // past and scores are those of version
	past      *scoring.AggregatePast
	scores    []scoring.AggregateScores
}

// tournaments holds every tournamentCrowd read so far; build serialises
// the evaluations, the costly part, so that concurrent readers wait for
// one instead of running it each.
type tournaments struct {
	mu        sync.Mutex
	build     sync.Mutex
	of        map[int64]*tournamentCrowd
	questions map[int64]int64 // each question's tournament, read once
}

// Forget makes the next read of a tournament's crowd setting go to the
// database, so that it sees a change this instance just made. The
// evaluated past stays while the score version does: a new setting does
// not change it.
func (cc *Crowds) Forget(tournamentID int64) {
	cc.ts.mu.Lock()
	defer cc.ts.mu.Unlock()
	if tc := cc.ts.of[tournamentID]; tc != nil {
		tc.checked = time.Time{}
	}
}

// setting returns the tournament's crowd aggregate, its score version and
// whether a past of that version is built, reading the tournament again
// when the last read is older than recheckSetting.
func (cc *Crowds) setting(ctx context.Context, tournamentID int64) (tournamentCrowd, error) {
	cc.ts.mu.Lock()
	tc := cc.ts.of[tournamentID]
	if tc != nil && time.Since(tc.checked) < recheckSetting {
		defer cc.ts.mu.Unlock()
		return *tc, nil
	}
	cc.ts.mu.Unlock()
	t, err := cc.st.FindTournamentByID(ctx, tournamentID)
	if err != nil {
		return tournamentCrowd{}, err
	}
	a, err := scoring.ParseAggregate(t.CrowdAggregate)
	if err != nil {
		return tournamentCrowd{}, err
	}
	cc.ts.mu.Lock()
	defer cc.ts.mu.Unlock()
	if cc.ts.of == nil {
		cc.ts.of = make(map[int64]*tournamentCrowd)
	}
	tc = cc.ts.of[tournamentID]
	if tc == nil || tc.version != t.ScoreVersion {
		tc = &tournamentCrowd{version: t.ScoreVersion}
		cc.ts.of[tournamentID] = tc
	}
	tc.aggregate, tc.checked = a, time.Now()
	return *tc, nil
}

// evaluated returns the tournament's setting with its past and every
// aggregate's scores, evaluating them if its score version moved.
func (cc *Crowds) evaluated(ctx context.Context, tournamentID int64) (tournamentCrowd, error) {
	tc, err := cc.setting(ctx, tournamentID)
	if err != nil || tc.built {
		return tc, err
	}
	cc.ts.build.Lock()
	defer cc.ts.build.Unlock()
	if tc, err = cc.setting(ctx, tournamentID); err != nil || tc.built {
		return tc, err // built while this one waited
	}
	past, scores, err := cc.st.EvaluateAggregates(ctx, tournamentID)
	if err != nil {
		return tournamentCrowd{}, err
	}
	cc.ts.mu.Lock()
	defer cc.ts.mu.Unlock()
	// A resolution during the evaluation may have moved the version: keep
	// what was built under the version it was read at, as a later read
	// compares versions again.
	if cur := cc.ts.of[tournamentID]; cur != nil && cur.version == tc.version {
		cur.built, cur.past, cur.scores = true, past, scores
	}
	tc.built, tc.past, tc.scores = true, past, scores
	return tc, nil
}

// questionAggregate returns the aggregate of a question's tournament with
// the past it reads. A question never changes tournament: that is read
// once, whoever loaded the question's crowd.
func (cc *Crowds) questionAggregate(ctx context.Context, questionID int64) (scoring.Aggregate, *scoring.AggregatePast, error) {
	cc.ts.mu.Lock()
	tid, ok := cc.ts.questions[questionID]
	cc.ts.mu.Unlock()
	if !ok {
		shape, err := cc.st.FindQuestionShape(ctx, questionID)
		if err != nil {
			return 0, nil, err
		}
		tid = shape.TournamentID
		cc.ts.mu.Lock()
		if cc.ts.questions == nil {
			cc.ts.questions = make(map[int64]int64)
		}
		cc.ts.questions[questionID] = tid
		cc.ts.mu.Unlock()
	}
	return cc.crowdOf(ctx, tid)
}

// crowdOf returns the tournament's aggregate with the past it reads (nil
// for the aggregates that read none).
func (cc *Crowds) crowdOf(ctx context.Context, tournamentID int64) (scoring.Aggregate, *scoring.AggregatePast, error) {
	tc, err := cc.setting(ctx, tournamentID)
	if err != nil {
		return 0, nil, err
	}
	return cc.pastFor(ctx, tournamentID, tc.aggregate)
}

// pastFor returns a with the past it reads of the tournament.
func (cc *Crowds) pastFor(ctx context.Context, tournamentID int64, a scoring.Aggregate) (scoring.Aggregate, *scoring.AggregatePast, error) {
	if a != scoring.AggregateSkillWeighted && a != scoring.AggregateExtremized {
		return a, nil, nil
	}
	tc, err := cc.evaluated(ctx, tournamentID)
	return a, tc.past, err
}

// Aggregate returns the aggregate a tournament's crowd is.
func (cc *Crowds) Aggregate(ctx context.Context, tournamentID int64) (scoring.Aggregate, error) {
	tc, err := cc.setting(ctx, tournamentID)
	return tc.aggregate, err
}

// Evaluation returns the tournament's crowd aggregate and every
// aggregate's scores on its scored questions (see
// store.EvaluateAggregates), kept until its score version moves.
func (cc *Crowds) Evaluation(ctx context.Context, tournamentID int64) (scoring.Aggregate, []scoring.AggregateScores, error) {
	tc, err := cc.evaluated(ctx, tournamentID)
	return tc.aggregate, tc.scores, err
}

// Series returns the daily series of the tournament's crowd on q up to
// until, without the days the rule hides: what /questions/{id}/crowd,
// the pulse and the pairs' histories show. fs are q's forecasts, sorted
// as for scoring.
func (cc *Crowds) Series(ctx context.Context, q *store.Question, fs []scoring.Forecast, until time.Time) ([]scoring.CrowdPoint, error) {
	points, err := cc.DailySeries(ctx, q, fs, until)
	return cc.ShownSeries(q.ID, points), err
}

// DailySeries is Series with every day, shown or not: for callers that
// apply a rule of their own (the conditional pairs' histories).
func (cc *Crowds) DailySeries(ctx context.Context, q *store.Question, fs []scoring.Forecast, until time.Time) ([]scoring.CrowdPoint, error) {
	a, past, err := cc.crowdOf(ctx, q.TournamentID)
	if err != nil {
		return nil, err
	}
	return scoring.AggregateSeries(a, q.ScoringQuestion(), fs, until, past), nil
}

// AggregateSeries is Series of aggregate a, whatever the tournament's
// crowd is; the same rule hides the same days.
func (cc *Crowds) AggregateSeries(ctx context.Context, a scoring.Aggregate, q *store.Question, fs []scoring.Forecast,
	until time.Time) ([]scoring.CrowdPoint, error) {
	a, past, err := cc.pastFor(ctx, q.TournamentID, a)
	if err != nil {
		return nil, err
	}
	return cc.ShownSeries(q.ID, scoring.AggregateSeries(a, q.ScoringQuestion(), fs, until, past)), nil
}

// Before returns the tournament's crowd on q from each forecaster's
// latest forecast made before `before`, and how many forecasters stand
// behind it, with no minimum applied.
func (cc *Crowds) Before(ctx context.Context, q *store.Question, before time.Time) ([]float64, int, error) {
	a, past, err := cc.crowdOf(ctx, q.TournamentID)
	if err != nil {
		return nil, 0, err
	}
	if a == scoring.AggregateMedian {
		standing, err := cc.st.StandingBefore(ctx, q.ID, before)
		return scoring.Crowd(standing), len(standing), err
	}
	fs, err := cc.st.ScoringForecasts(ctx, q.ID)
	if err != nil {
		return nil, 0, err
	}
	sf := scoring.StandingAt(fs, before)
	if len(sf) == 0 {
		return nil, 0, nil
	}
	return past.Of(a, sf, scoring.DayOf(before)), len(sf), nil
}

// current is the crowd of the latest forecasts qc holds (called with
// cc.mu held): the median, or aggregate a with what past knows on today.
func (qc *questionCrowd) current(a scoring.Aggregate, past *scoring.AggregatePast, today time.Time) []float64 {
	if a == scoring.AggregateMedian {
		ps := make([][]float64, 0, len(qc.latest))
		for _, f := range qc.latest {
			ps = append(ps, f.probs)
		}
		return scoring.Crowd(ps)
	}
	fs := make([]scoring.StandingForecast, 0, len(qc.latest))
	for u, f := range qc.latest {
		fs = append(fs, scoring.StandingForecast{User: u, Probs: f.probs, At: f.at})
	}
	// By user, so that sums are taken in one order and every instance
	// shows the same digits.
	slices.SortFunc(fs, func(x, y scoring.StandingForecast) int { return cmp.Compare(x.User, y.User) })
	return past.Of(a, fs, today)
}
