package crowd

import (
	"context"
	"log/slog"
	"math"
	"testing"
	"time"
)

// TestSavedCrowdsAfterAStart saves the crowds after a first start, stores
// more forecasts, starts again: every crowd comes from its saved state and
// the forecasts stored since, no question is read from its forecasts, and
// each crowd equals that of a cache that followed every forecast.
func TestSavedCrowdsAfterAStart(t *testing.T) {
	w := newWorld(t, 9)
	ctx := context.Background()
	rule := Rule{Min: 1}
	for i, u := range w.users {
		w.clock = w.clock.Add(time.Minute)
		p := float64(i+1) / 11
		w.forecast(t, w.bin, u, p, 1-p)
		w.forecast(t, w.scen, u, p, 1-p)
	}
	first := New(w.st, slog.Default(), rule)
	first.Warm(ctx, w.clock)
	first.Save(ctx)
	if first.loads.Load() == 0 {
		t.Fatal("the first start read no question's forecasts")
	}
	// Stored after the save: a changed forecast and a new forecaster.
	w.clock = w.clock.Add(time.Minute)
	w.forecast(t, w.bin, w.users[0], 0.9, 0.1)
	w.forecast(t, w.scen, w.users[2], 0.2, 0.8)

	second := New(w.st, slog.Default(), rule)
	second.Warm(ctx, w.clock)
	if n := second.loads.Load(); n != 0 {
		t.Errorf("the second start read %d questions' forecasts; want none (all saved)", n)
	}
	for _, q := range []int64{w.bin, w.scen} {
		want, wn := read(t, first, q)
		got, gn := read(t, second, q)
		if gn != wn || len(got) != len(want) {
			t.Fatalf("question %d: crowd %v of %d after the start; want %v of %d", q, got, gn, want, wn)
		}
		for k := range got {
			if math.Float64bits(got[k]) != math.Float64bits(want[k]) {
				t.Fatalf("question %d: crowd %v after the start; want %v", q, got, want)
			}
		}
		if got, want := second.LatestProbs(q, w.users[0]), first.LatestProbs(q, w.users[0]); len(got) != len(want) || got[0] != want[0] {
			t.Errorf("question %d: latest forecast %v after the start; want %v", q, got, want)
		}
	}
	// The changed crowds are saved again at shutdown; a third start replays
	// nothing it had.
	second.Save(ctx)
	third := New(w.st, slog.Default(), rule)
	third.Warm(ctx, w.clock)
	if got, want := third.LatestProbs(w.scen, w.users[2]), second.LatestProbs(w.scen, w.users[2]); third.loads.Load() != 0 || len(got) == 0 || got[0] != want[0] {
		t.Errorf("third start: %d loads, latest %v; want 0 loads and %v", third.loads.Load(), got, want)
	}
}

// TestReadersWaitForTheRestore: a question read while the saved crowds
// are being restored waits for the restore instead of reading the
// question's forecasts beside it.
func TestReadersWaitForTheRestore(t *testing.T) {
	w := newWorld(t, 5)
	ctx := context.Background()
	rule := Rule{Min: 1}
	for i, u := range w.users {
		w.clock = w.clock.Add(time.Minute)
		p := float64(i+1) / 7
		w.forecast(t, w.bin, u, p, 1-p)
	}
	first := New(w.st, slog.Default(), rule)
	first.Warm(ctx, w.clock)
	first.Save(ctx)

	second := New(w.st, slog.Default(), rule)
	done := second.startRestoring()
	got := make(chan int, 1)
	go func() {
		if err := second.Sync(ctx); err != nil {
			got <- -1
			return
		}
		_, n := second.Current(w.bin)
		got <- n
	}()
	select {
	case n := <-got:
		t.Fatalf("a reader got the crowd (%d forecasters) before the restore", n)
	case <-time.After(50 * time.Millisecond):
	}
	if err := second.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := second.restore(ctx); err != nil {
		t.Fatal(err)
	}
	done()
	if n := <-got; n != len(w.users) {
		t.Fatalf("the reader saw %d forecasters; want %d", n, len(w.users))
	}
	if n := second.loads.Load(); n != 0 {
		t.Errorf("%d questions read from their forecasts during the restore; want 0", n)
	}
}
