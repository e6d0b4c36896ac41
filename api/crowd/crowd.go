// Package crowd owns the questions' crowd forecasts in memory and the crowd-privacy minimum.
// It imports store and scoring, never signpost/api nor fiber.
//
// Each user's latest forecast per question is followed from the forecasts
// table; a crowd is shown only when enough forecasters make it. The API,
// the signpost board and the webhook detectors read it.
package crowd

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"signpost/scoring"
	"signpost/store"
)

// Crowds keeps every user's latest forecast per question in memory and
// follows new forecasts by ID, so "the crowd now" costs one indexed query
// for what is new instead of a scan of all forecasts. Reading from the
// database (not from this instance's own writes) keeps several instances
// behind a load balancer consistent.
//
// A question is loaded the first time it is read (see question), not at
// start: a tournament of 10,000 forecasters on 100 questions holds a
// million latest forecasts, and reading them all made the first answer
// after a start wait 17 s. Forecasts of questions not loaded yet are
// skipped as they are followed; their load reads them from the table.
type Crowds struct {
	st     *store.Store
	log    *slog.Logger
	rule   Rule       // whether a crowd is shown
	syncMu sync.Mutex // one catch-up or question load at a time
	// reloadGap is how many new forecasts make dropping the loaded
	// questions (to be read afresh) cheaper than replaying them all.
	reloadGap int64
	mu        sync.Mutex // guards the fields below
	started   bool       // lastID follows the forecasts table
	lastID    int64
	qs        map[int64]*questionCrowd // the questions loaded so far
	gaps      gaps                     // IDs skipped over, maybe still being committed
	// loads counts the questions read from their forecasts, so tests can
	// tell a restored crowd from a load.
	loads atomic.Int64
	ts    tournaments // the tournaments' crowd settings
	// restoring is closed when the restore of the saved crowds ends; nil
	// when none runs. A reader of a question not loaded yet waits for it
	// rather than read the question's forecasts beside it: at 10M
	// forecasts the first tournament view after a start took 13.6 % of
	// the cold leaderboard, loading questions from their forecasts while
	// the restore decoded the same crowds from their snapshots.
	restoring chan struct{}
}

type questionCrowd struct {
	latest map[int64]latestForecast
	probs  []float64 // cached crowd, nil when stale
	// The aggregate, past and day probs was computed with: a change of
	// setting, a resolution or a new day makes it stale too.
	probsOf   scoring.Aggregate
	probsPast *scoring.AggregatePast
	probsDay  time.Time
	// established counts the forecasters toward the minimum as of
	// countedAt; counted is false until counted and after a new forecast.
	established int
	countedAt   time.Time
	counted     bool
	// changed is set when a forecast changed the crowd since it was last
	// saved or restored (snapshots.go); savedThrough is the forecast ID the
	// saved state goes up to (0: never saved).
	changed      bool
	savedThrough int64
}

type latestForecast struct {
	id    int64
	at    time.Time
	probs []float64
}

// New returns the crowds of st's questions, loaded as they are first read
// and shown by rule, so that nobody's own forecast can be read off the
// crowd.
func New(st *store.Store, log *slog.Logger, rule Rule) *Crowds {
	return &Crowds{st: st, log: log, rule: rule, qs: make(map[int64]*questionCrowd), reloadGap: 50_000}
}

const crowdBatch = 20000

// Sync reads the forecasts stored since the last call. Readers sync before
// reading, so that what they show includes every committed forecast.
func (cc *Crowds) Sync(ctx context.Context) error {
	cc.syncMu.Lock()
	defer cc.syncMu.Unlock()
	if err := cc.fillGaps(ctx); err != nil {
		return err
	}
	last, err := cc.st.LastForecastID(ctx)
	if err != nil {
		return err
	}
	cc.mu.Lock()
	started, after := cc.started, cc.lastID
	cc.mu.Unlock()
	if started && last == after {
		return nil
	}
	// At the first sync, and after a large import (reading the loaded
	// questions again beats replaying every new forecast), follow from
	// the table's end.
	if !started || last-after > cc.reloadGap {
		cc.restart(last)
	}
	return cc.follow(ctx)
}

// follow applies the forecasts stored after the last ID followed, up to
// the table's end. Called with syncMu held.
func (cc *Crowds) follow(ctx context.Context) error {
	for {
		cc.mu.Lock()
		after := cc.lastID
		cc.mu.Unlock()
		batch, err := cc.st.ForecastsSince(ctx, after, crowdBatch)
		if err != nil {
			return err
		}
		cc.apply(batch)
		if len(batch) < crowdBatch {
			return nil
		}
	}
}

// restart forgets the loaded questions and follows forecasts from last on.
// Replaying the last IDs again (harmless: fold keeps the latest) notes the
// gaps among them: inserts still committing. Called with syncMu held.
func (cc *Crowds) restart(last int64) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.qs, cc.lastID, cc.started, cc.gaps = make(map[int64]*questionCrowd), max(0, last-replayAfterReload), true, gaps{}
}

func (cc *Crowds) apply(batch []store.ForecastDelta) {
	if len(batch) == 0 {
		return
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.gaps.note(cc.lastID, batch, time.Now())
	for _, d := range batch {
		if qc := cc.qs[d.QuestionID]; qc != nil {
			qc.fold(d)
		}
		cc.lastID = max(cc.lastID, d.ID)
	}
}

// fold adds a forecast. Imports may add forecasts older than ones already
// seen: keep the latest by time, arrival breaking ties.
func (qc *questionCrowd) fold(d store.ForecastDelta) {
	if cur, ok := qc.latest[d.UserID]; !ok || d.CreatedAt.After(cur.at) || (d.CreatedAt.Equal(cur.at) && d.ID > cur.id) {
		if _, ok := qc.latest[d.UserID]; !ok {
			qc.counted = false
		}
		qc.latest[d.UserID] = latestForecast{id: d.ID, at: d.CreatedAt, probs: d.Probs}
		qc.probs, qc.changed = nil, true
	}
}

// question returns a question's crowd, loading it on first read; nil when
// the database could not be read (logged; the next read tries again).
// Readers call sync first, so what the load misses is followed from there.
func (cc *Crowds) question(id int64) *questionCrowd {
	cc.mu.Lock()
	qc, restoring := cc.qs[id], cc.restoring
	cc.mu.Unlock()
	if qc == nil && restoring != nil {
		<-restoring
		cc.mu.Lock()
		qc = cc.qs[id]
		cc.mu.Unlock()
	}
	if qc != nil {
		return qc
	}
	// Not cancellable: the SQLite driver watches a cancellable context
	// with a goroutine per row (see Warm).
	qc, err := cc.load(context.Background(), id)
	if err != nil {
		cc.log.Warn("loading a question's crowd", "question", id, "err", err)
	}
	return qc
}

// load reads each user's latest forecast on a question. It holds syncMu, so
// no batch is applied between the read and the moment the question joins
// the followed ones: a forecast committed after the read has a higher ID
// than the cache has followed (or sits in a noted gap) and is folded in by
// a later sync.
func (cc *Crowds) load(ctx context.Context, id int64) (*questionCrowd, error) {
	cc.syncMu.Lock()
	defer cc.syncMu.Unlock()
	cc.mu.Lock()
	qc, started := cc.qs[id], cc.started
	cc.mu.Unlock()
	if qc != nil {
		return qc, nil
	}
	if !started {
		last, err := cc.st.LastForecastID(ctx)
		if err != nil {
			return nil, err
		}
		cc.restart(last)
	}
	rows, err := cc.st.LatestForecastsOn(ctx, id)
	if err != nil {
		return nil, err
	}
	cc.loads.Add(1)
	qc = &questionCrowd{latest: make(map[int64]latestForecast, len(rows))}
	for _, d := range rows {
		qc.fold(d)
	}
	cc.mu.Lock()
	cc.qs[id] = qc
	cc.mu.Unlock()
	return qc, nil
}

// Current returns the crowd forecast of a question as of the last sync and
// the number of forecasters behind it, whatever their number: what is
// shown goes through Shown. The crowd is the tournament's aggregate (the
// median unless it picked another), read with the past known today.
func (cc *Crowds) Current(questionID int64) ([]float64, int) {
	qc := cc.question(questionID)
	if qc == nil {
		return nil, 0
	}
	// Not cancellable, like the crowd's own load (see question).
	a, past, err := cc.questionAggregate(context.Background(), questionID)
	if err != nil {
		cc.log.Warn("reading a tournament's crowd aggregate", "question", questionID, "err", err)
		a, past = scoring.AggregateMedian, nil
	}
	today := scoring.DayOf(cc.now())
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if len(qc.latest) == 0 {
		return nil, 0
	}
	if qc.probs == nil || qc.probsOf != a || qc.probsPast != past || !qc.probsDay.Equal(today) {
		qc.probs, qc.probsOf, qc.probsPast, qc.probsDay = qc.current(a, past, today), a, past, today
	}
	return qc.probs, len(qc.latest)
}

// now is the rule's clock.
func (cc *Crowds) now() time.Time {
	if cc.rule.Now != nil {
		return cc.rule.Now()
	}
	return time.Now()
}

// LatestID returns the ID of a user's latest forecast on a question as of
// the last sync, or 0.
func (cc *Crowds) LatestID(questionID, userID int64) int64 {
	qc := cc.question(questionID)
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if qc != nil {
		return qc.latest[userID].id
	}
	return 0
}

// LatestProbs returns a copy of a user's latest forecast on a question as
// of the last sync, or nil.
func (cc *Crowds) LatestProbs(questionID, userID int64) []float64 {
	qc := cc.question(questionID)
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if qc != nil {
		if f, ok := qc.latest[userID]; ok {
			return slices.Clone(f.probs)
		}
	}
	return nil
}

// LastForecast is the ID of the latest forecast followed: answers
// computed from the crowds can use it in their cache fingerprints.
func (cc *Crowds) LastForecast() int64 {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return cc.lastID
}
