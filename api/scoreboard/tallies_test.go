package scoreboard

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"signpost/store"
)

// TestTalliedResolutionsEqualFullRecompute drives open questions through a
// seeded random sequence of forecasts stored live (several at once, so the
// writer commits them in batches), first resolutions, corrections of the
// outcome and of the resolution date, annulments and team changes. After
// every step the boards served through the board cache must equal a
// recompute from every forecast, bit for bit; and a resolution or
// correction that ends after the question's last forecast must be scored
// from the question's tally, reading none of its forecasts.
func TestTalliedResolutionsEqualFullRecompute(t *testing.T) {
	w := newIncrWorld(t, 26)
	// Fresh open questions beside the imported, resolved ones.
	a := w.archive(0)
	for i := range 8 {
		var opts []store.Option
		kind := []string{"binary", "multiple_choice", "ordered", "multiple_choice"}[i%4]
		if kind != "binary" {
			opts = []store.Option{{Label: store.Text{"en": "A"}}, {Label: store.Text{"en": "B"}},
				{Label: store.Text{"en": "C"}}, {Label: store.Text{"en": "D"}}}
		}
		a.Questions = append(a.Questions, store.ArchiveQuestion{Slug: fmt.Sprintf("open%d", i), Kind: kind,
			Title: store.Text{"en": "Q"}, Criteria: store.Text{"en": "c"}, Options: opts,
			OpensAt: "2025-01-01T00:00:00Z", ClosesAt: "2025-12-31T00:00:00Z"})
	}
	w.load(a)
	bc := New(w.st, slog.Default())
	bc.Warm(w.ctx)
	w.check(bc)
	at := time.Date(2025, 1, 1, 3, 0, 0, 0, time.UTC)
	latest := map[int64]time.Time{} // question -> its latest forecast
	counts := map[string]int{}
	for w.step = 1; w.step <= 250; w.step++ {
		open := w.openQuestions()
		op := "forecasts"
		// Counted from before the change: its notices score the question
		// through the same cache.
		rescored, tallied := bc.rescored.Load(), bc.tallied.Load()
		switch x := w.r.IntN(20); {
		case x < 13 && len(open) > 0:
			// Forecasts stored at once are made within seconds of each
			// other, as on a live server, and on one day: the writer may
			// commit them in another order, which a tally takes within a
			// day only (a forecast of a closed day breaks it).
			n := 1 + w.r.IntN(8)
			fs := make([]store.Forecast, n)
			at = at.Add(time.Duration(w.r.Int64N(int64(5 * time.Hour))))
			if day := at.Truncate(24 * time.Hour); at.Add(time.Minute).After(day.Add(24 * time.Hour)) {
				at = day.Add(24*time.Hour + time.Second)
			}
			for i := range fs {
				q := open[w.r.IntN(len(open))]
				at = at.Add(time.Duration(w.r.Int64N(int64(5 * time.Second))))
				fs[i] = store.Forecast{QuestionID: q.ID, UserID: w.ids[w.users[w.r.IntN(len(w.users))]],
					Probs: w.probs(len(q.Options)), CreatedAt: at}
				latest[q.ID] = at
			}
			w.storeConcurrently(fs)
		case x < 17:
			op = w.resolveAfter(latest)
		case x < 18 && w.scoredCount() > 6:
			op = w.annul()
		default:
			op = w.join()
		}
		counts[op]++
		w.check(bc)
		if op == "tallied resolution" && (bc.rescored.Load() != rescored || bc.tallied.Load() != tallied+1) {
			t.Fatalf("step %d: a resolution after the last forecast read %d questions' forecasts and %d tallies; want 0 and 1",
				w.step, bc.rescored.Load()-rescored, bc.tallied.Load()-tallied)
		}
	}
	if counts["tallied resolution"] < 10 || counts["forecasts"] < 10 {
		t.Errorf("too few tallied resolutions or forecast steps: %v", counts)
	}
	t.Logf("steps %v; questions rescored %d, scored from tallies %d", counts, bc.rescored.Load(), bc.tallied.Load())
}

// openQuestions are the questions accepting forecasts.
func (w *incrWorld) openQuestions() []store.Question {
	var out []store.Question
	for _, q := range w.qs {
		if q.Resolution == nil && !q.Annulled {
			out = append(out, q)
		}
	}
	return out
}

// probs draws a forecast of k options in hundredths.
func (w *incrWorld) probs(k int) []float64 {
	ps := make([]float64, k)
	left := 100
	for j := range k - 1 {
		n := w.r.IntN(left + 1)
		ps[j], left = float64(n)/100, left-n
	}
	ps[k-1] = float64(left) / 100
	return ps
}

// storeConcurrently stores fs through the forecast writer at once.
func (w *incrWorld) storeConcurrently(fs []store.Forecast) {
	w.t.Helper()
	errs := make([]error, len(fs))
	var wg sync.WaitGroup
	for i := range fs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = w.st.CreateForecast(context.Background(), fs[i])
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			w.t.Fatalf("step %d: forecast: %v", w.step, err)
		}
	}
}

// resolveAfter resolves or corrects a random question of the open ones'
// kind: mostly after its last forecast (then its tally answers), now and
// then before it (then the forecasts after the end are read and left out).
func (w *incrWorld) resolveAfter(latest map[int64]time.Time) string {
	// Mostly corrections, so that forecasts keep coming on the others.
	correct := w.r.IntN(4) > 0
	var pool []int
	for i, q := range w.qs {
		if _, live := latest[q.ID]; live && !q.Annulled && (q.Resolution != nil) == correct {
			pool = append(pool, i)
		}
	}
	if len(pool) == 0 {
		return w.join()
	}
	i := pool[w.r.IntN(len(pool))]
	q := w.qs[i]
	op := "tallied resolution"
	at := latest[q.ID].Add(time.Duration(1 + w.r.Int64N(int64(48*time.Hour))))
	if w.r.IntN(5) == 0 {
		at, op = latest[q.ID].Add(-time.Duration(w.r.Int64N(int64(72*time.Hour)))), "early resolution"
	}
	if !at.After(latest[q.ID]) {
		op = "early resolution"
	}
	got, err := w.st.ResolveQuestion(w.ctx, q.ID, store.Resolution{Outcome: w.r.IntN(len(q.Options)), ResolvedAt: at}, w.admin)
	if err != nil {
		w.t.Fatalf("step %d: resolve: %v", w.step, err)
	}
	w.qs[i] = got
	return op
}
