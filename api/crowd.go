package api

import (
	"context"
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
type crowdCache struct {
	st     *store.Store
	syncMu sync.Mutex // one catch-up at a time
	// reloadGap is how many new forecasts make a fresh start from the
	// latest ones cheaper than replaying them all.
	reloadGap int64
	mu        sync.Mutex // guards the fields below
	loaded    bool
	lastID    int64
	qs        map[int64]*questionCrowd
	gaps      gaps // IDs skipped over, maybe still being committed
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

func newCrowdCache(st *store.Store) *crowdCache {
	return &crowdCache{st: st, qs: make(map[int64]*questionCrowd), reloadGap: 50_000}
}

const crowdBatch = 20000

// sync reads the forecasts stored since the last call.
func (cc *crowdCache) sync(ctx context.Context) error {
	cc.syncMu.Lock()
	defer cc.syncMu.Unlock()
	cc.mu.Lock()
	loaded, after := cc.loaded, cc.lastID
	cc.mu.Unlock()
	if err := cc.fillGaps(ctx); err != nil {
		return err
	}
	if loaded {
		last, err := cc.st.LastForecastID(ctx)
		if err != nil {
			return err
		}
		if last == after {
			return nil
		}
		// After a large import, starting afresh from the latest forecasts
		// beats replaying every new one.
		loaded = last-after <= cc.reloadGap
	}
	if !loaded {
		// Start from each user's latest forecast (one row per question
		// and user) rather than replaying every forecast ever made.
		maxID, latest, err := cc.st.LatestForecasts(ctx)
		if err != nil {
			return err
		}
		// Built aside and swapped in whole, so no reader sees it half done.
		qs := make(map[int64]*questionCrowd)
		applyTo(qs, latest)
		cc.mu.Lock()
		// Replaying the last IDs again (harmless: applyTo keeps the latest)
		// notes the gaps among them: inserts still committing.
		cc.qs, cc.lastID, cc.loaded, cc.gaps = qs, max(0, maxID-replayAfterReload), true, gaps{}
		cc.mu.Unlock()
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

func (cc *crowdCache) apply(batch []store.ForecastDelta) {
	if len(batch) == 0 {
		return
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.gaps.note(cc.lastID, batch, time.Now())
	cc.lastID = max(cc.lastID, applyTo(cc.qs, batch))
}

// applyTo folds forecasts into per-question latest forecasts and returns
// the highest ID seen.
func applyTo(qs map[int64]*questionCrowd, batch []store.ForecastDelta) int64 {
	var last int64
	for _, d := range batch {
		qc := qs[d.QuestionID]
		if qc == nil {
			qc = &questionCrowd{latest: make(map[int64]latestForecast)}
			qs[d.QuestionID] = qc
		}
		// Imports may add forecasts older than ones already seen: keep the
		// latest by time, arrival breaking ties.
		if cur, ok := qc.latest[d.UserID]; !ok || d.CreatedAt.After(cur.at) || (d.CreatedAt.Equal(cur.at) && d.ID > cur.id) {
			qc.latest[d.UserID] = latestForecast{id: d.ID, at: d.CreatedAt, probs: d.Probs}
			qc.probs = nil
		}
		last = max(last, d.ID)
	}
	return last
}

// current returns the crowd forecast of a question as of the last sync and
// the number of forecasters behind it.
func (cc *crowdCache) current(questionID int64) ([]float64, int) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	qc := cc.qs[questionID]
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
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if qc := cc.qs[questionID]; qc != nil {
		return qc.latest[userID].id
	}
	return 0
}
