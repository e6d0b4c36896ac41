package crowd

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"signpost/store"
)

// Snapshots: after a start the crowds come from each question's saved
// state (store.CrowdSnapshot) and the forecasts stored since, one row per
// question instead of one per forecast, so that the first tournament view
// does not wait for every question's forecasts to be read. The crowds
// loaded from the forecasts, and those that changed, are saved once
// warming is done and at shutdown (Save).

// startRestoring makes readers of questions not loaded yet wait for the
// restore (Crowds.restoring); done ends that.
func (cc *Crowds) startRestoring() (done func()) {
	ch := make(chan struct{})
	cc.mu.Lock()
	cc.restoring = ch
	cc.mu.Unlock()
	return func() {
		cc.mu.Lock()
		cc.restoring = nil
		cc.mu.Unlock()
		close(ch)
	}
}

// restore loads the saved crowds and replays the forecasts stored since
// the oldest of them into them. Called by Warm after its first sync.
func (cc *Crowds) restore(ctx context.Context) error {
	snaps, err := cc.st.CrowdSnapshots(ctx)
	if err != nil {
		return err
	}
	cc.syncMu.Lock()
	defer cc.syncMu.Unlock()
	last, err := cc.st.LastForecastID(ctx)
	if err != nil {
		return err
	}
	cc.mu.Lock()
	from := cc.lastID
	for _, sn := range snaps {
		if _, loaded := cc.qs[sn.QuestionID]; loaded || last-sn.Through > maxReplay {
			continue // replaying the forecasts since would cost more than a load
		}
		qc := &questionCrowd{latest: make(map[int64]latestForecast, len(sn.Latest)), savedThrough: sn.Through}
		for _, d := range sn.Latest {
			qc.fold(d)
		}
		qc.changed = false
		cc.qs[sn.QuestionID] = qc
		from = min(from, sn.Through)
	}
	// Forecasts after from are applied again: harmless for the crowds
	// already loaded (fold keeps the latest), and it brings every restored
	// crowd up to date.
	cc.lastID = from
	cc.mu.Unlock()
	return cc.follow(ctx)
}

// maxReplay bounds the forecasts a start replays into saved crowds: a
// replay reads the newest rows by ID, about as costly per row as a
// question's load, which reads all of that question's rows.
const maxReplay = 1_000_000

// Save stores the state of every loaded crowd that changed since it was
// last saved or restored, one question at a time.
func (cc *Crowds) Save(ctx context.Context) {
	// Follow to the table's end first: the saved crowds then take in
	// everything stored so far, and the next start replays less.
	if err := cc.Sync(ctx); err != nil {
		cc.log.Warn("saving the crowds", "err", err)
	}
	type todo struct {
		id int64
		qc *questionCrowd
	}
	cc.mu.Lock()
	// Every forecast up to through has been folded: IDs still missing
	// (gaps) may yet commit.
	through := cc.lastID
	for id := range cc.gaps.seen {
		through = min(through, id-1)
	}
	var list []todo
	for id, qc := range cc.qs {
		if qc.changed || qc.savedThrough == 0 {
			list = append(list, todo{id, qc})
		}
	}
	cc.mu.Unlock()
	slices.SortFunc(list, func(a, b todo) int { return int(a.id - b.id) })
	for _, t := range list {
		if ctx.Err() != nil {
			return
		}
		cc.mu.Lock()
		sn := store.CrowdSnapshot{QuestionID: t.id, Through: through, Latest: make([]store.ForecastDelta, 0, len(t.qc.latest))}
		for user, f := range t.qc.latest {
			sn.Latest = append(sn.Latest, store.ForecastDelta{ID: f.id, UserID: user, Probs: f.probs, CreatedAt: f.at})
		}
		t.qc.changed, t.qc.savedThrough = false, through
		cc.mu.Unlock()
		if err := cc.st.SaveCrowdSnapshot(ctx, sn); err != nil {
			cc.log.Warn("saving a crowd snapshot", "question", t.id, "err", err)
			cc.mu.Lock()
			t.qc.changed = true
			cc.mu.Unlock()
		}
	}
}

// SaveAll brings every question's saved crowd up to date, as a server does
// once warm: the command-line import runs it, so that the first start
// after a bulk import restores the crowds instead of reading every
// question's forecasts (at 10M forecasts, 5.2 s before the first
// tournament view in signpost-bench, 28 % of the cold leaderboard). now
// decides which questions load first; it costs what that first view cost.
func SaveAll(ctx context.Context, st *store.Store, log *slog.Logger, now time.Time) {
	cc := New(st, log, Rule{})
	cc.Warm(ctx, now)
	cc.Save(ctx)
}
