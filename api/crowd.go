package api

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"signpost/scoring"
	"signpost/store"
)

// crowdCache keeps every user's latest forecast per question in memory and
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
type crowdCache struct {
	st     *store.Store
	log    *slog.Logger
	syncMu sync.Mutex // one catch-up or question load at a time
	// reloadGap is how many new forecasts make dropping the loaded
	// questions (to be read afresh) cheaper than replaying them all.
	reloadGap int64
	mu        sync.Mutex // guards the fields below
	started   bool       // lastID follows the forecasts table
	lastID    int64
	qs        map[int64]*questionCrowd // the questions loaded so far
	gaps      gaps                     // IDs skipped over, maybe still being committed
}

type questionCrowd struct {
	latest map[int64]latestForecast
	probs  []float64 // cached crowd, nil when stale
}

type latestForecast struct {
	id    int64
	at    time.Time
	probs []float64
}

func newCrowdCache(st *store.Store, log *slog.Logger) *crowdCache {
	return &crowdCache{st: st, log: log, qs: make(map[int64]*questionCrowd), reloadGap: 50_000}
}

const crowdBatch = 20000

// sync reads the forecasts stored since the last call.
func (cc *crowdCache) sync(ctx context.Context) error {
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
func (cc *crowdCache) restart(last int64) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.qs, cc.lastID, cc.started, cc.gaps = make(map[int64]*questionCrowd), max(0, last-replayAfterReload), true, gaps{}
}

func (cc *crowdCache) apply(batch []store.ForecastDelta) {
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
		qc.latest[d.UserID] = latestForecast{id: d.ID, at: d.CreatedAt, probs: d.Probs}
		qc.probs = nil
	}
}

// question returns a question's crowd, loading it on first read; nil when
// the database could not be read (logged; the next read tries again).
// Readers call sync first, so what the load misses is followed from there.
func (cc *crowdCache) question(id int64) *questionCrowd {
	cc.mu.Lock()
	qc := cc.qs[id]
	cc.mu.Unlock()
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
func (cc *crowdCache) load(ctx context.Context, id int64) (*questionCrowd, error) {
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
	qc = &questionCrowd{latest: make(map[int64]latestForecast, len(rows))}
	for _, d := range rows {
		qc.fold(d)
	}
	cc.mu.Lock()
	cc.qs[id] = qc
	cc.mu.Unlock()
	return qc, nil
}

// current returns the crowd forecast of a question as of the last sync and
// the number of forecasters behind it.
func (cc *crowdCache) current(questionID int64) ([]float64, int) {
	qc := cc.question(questionID)
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if qc == nil || len(qc.latest) == 0 {
		return nil, 0
	}
	if qc.probs == nil {
		ps := make([][]float64, 0, len(qc.latest))
		for _, f := range qc.latest {
			ps = append(ps, f.probs)
		}
		qc.probs = scoring.Crowd(ps)
	}
	return qc.probs, len(qc.latest)
}

// latestID returns the ID of a user's latest forecast on a question as of
// the last sync, or 0.
func (cc *crowdCache) latestID(questionID, userID int64) int64 {
	qc := cc.question(questionID)
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if qc != nil {
		return qc.latest[userID].id
	}
	return 0
}
