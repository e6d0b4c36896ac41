package crowd

import (
	"context"
	"slices"
	"time"

	"signpost/store"
)

// gaps are forecast IDs the crowd cache has stepped over: below its last
// ID but not yet seen. On PostgreSQL several connections (and instances)
// insert at once, so a forecast can commit after one with a higher ID has
// been read; following IDs alone would miss it for good. The cache asks
// for its gaps again on every sync until they fill or grow old enough that
// their insert must have failed (IDs of rolled-back inserts are never
// used). On SQLite, with its one writer, IDs commit in order and gaps come
// only from failed writes.
type gaps struct {
	seen map[int64]time.Time // ID -> when first missed (monotonic)
}

const (
	// gapTTL outlives any forecast insert: a batch statement is cancelled
	// after the PostgreSQL statement timeout (10 s by default), and an
	// import moves its forecasts in steps of at most 5,000 (well under
	// maxGap), each far shorter.
	gapTTL = time.Minute
	// maxGap bounds the IDs remembered from one jump (a bulk delete or
	// failed import): beyond it the rest are not followed.
	maxGap  = 10_000
	maxGaps = 100_000
	// replayAfterReload is how many of the newest IDs a fresh start reads
	// again, to find the gaps the latest forecasts alone cannot show.
	replayAfterReload = 4096
)

// note records the IDs a batch in ID order steps over after last, and
// forgets the ones it brings.
func (g *gaps) note(last int64, batch []store.ForecastDelta, now time.Time) {
	if g.seen == nil {
		g.seen = make(map[int64]time.Time)
	}
	prev := last
	for _, d := range batch {
		delete(g.seen, d.ID)
		if d.ID > prev+1 && prev > 0 {
			for id := prev + 1; id < d.ID && id <= prev+maxGap && len(g.seen) < maxGaps; id++ {
				g.seen[id] = now
			}
		}
		prev = max(prev, d.ID)
	}
}

// open returns the gaps still worth asking for, dropping the old ones.
func (g *gaps) open(now time.Time) []int64 {
	var ids []int64
	for id, at := range g.seen {
		if now.Sub(at) > gapTTL {
			delete(g.seen, id)
			continue
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// fillGaps reads forecasts that have appeared in the gaps and folds them in.
// Called with syncMu held.
func (cc *Crowds) fillGaps(ctx context.Context) error {
	cc.mu.Lock()
	ids := cc.gaps.open(time.Now())
	cc.mu.Unlock()
	if len(ids) == 0 {
		return nil
	}
	found, err := cc.st.ForecastsByID(ctx, ids)
	if err != nil {
		return err
	}
	cc.apply(found)
	return nil
}
