package crowd

import (
	"context"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"signpost/store"
	"signpost/store/storetest"
)

var testStart = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// world is a migrated store with the default tournament seeded and some
// forecasters.
type world struct {
	st         *store.Store
	tournament int64
	scen, bin  int64 // a scenario question and a binary one
	users      []int64
	clock      time.Time
}

func newWorld(t *testing.T, users int) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{clock: testStart}
	st, err := store.Open(ctx, storetest.Address(t, "test.db"), store.Options{Now: func() time.Time { return w.clock }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	tr, err := st.FindTournamentBySlug(ctx, store.DefaultTournamentSlug)
	if err != nil {
		t.Fatal(err)
	}
	qs, err := st.ListQuestions(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	w.st, w.tournament = st, tr.ID
	for _, q := range qs {
		switch q.Slug {
		case "scenario-2027":
			w.scen = q.ID
		case "a-huawei-ascend-960-launch":
			w.bin = q.ID
		}
	}
	for i := range users {
		u, err := st.CreateUser(ctx, store.User{Username: "u" + strconv.Itoa(i), PasswordHash: "x", Role: store.RoleForecaster})
		if err != nil {
			t.Fatal(err)
		}
		w.users = append(w.users, u.ID)
	}
	return w
}

func (w *world) forecast(t *testing.T, question, user int64, probs ...float64) {
	t.Helper()
	if _, err := w.st.CreateForecast(context.Background(), store.Forecast{QuestionID: question,
		TournamentID: w.tournament, UserID: user, Probs: probs, CreatedAt: w.clock}); err != nil {
		t.Fatal(err)
	}
}

// read syncs cc and reads a question's crowd, as a reader does.
func read(t *testing.T, cc *Crowds, question int64) ([]float64, int) {
	t.Helper()
	if err := cc.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	return cc.Current(question)
}

// TestCrowdLoadsQuestionsOnFirstRead: a question's latest forecasts are
// read when it is first shown, not at start, and whatever the order of
// forecasts, reads and loads, every question's crowd equals the one a
// fresh cache builds from the table.
func TestCrowdLoadsQuestionsOnFirstRead(t *testing.T) {
	w := newWorld(t, 6)
	scen, bin := w.scen, w.bin
	first := New(w.st, slog.Default(), Rule{Min: 1})
	read(t, first, scen)
	if n := first.loaded(); !slices.Equal(n, []int64{scen}) {
		t.Fatalf("loaded questions after reading one = %v; want [%d]", n, scen)
	}
	cc := New(w.st, slog.Default(), Rule{Min: 1})
	rng := rand.New(rand.NewPCG(7, 14))
	for step := range 60 {
		w.clock = testStart.Add(time.Duration(step) * time.Minute)
		user := w.users[rng.IntN(len(w.users))]
		switch rng.IntN(4) {
		case 0:
			p := rng.Float64()
			w.forecast(t, bin, user, 1-p, p)
		case 1:
			a, b := rng.Float64()/2, rng.Float64()/2
			w.forecast(t, scen, user, a, b, (1-a-b)/2, (1-a-b)/2)
		case 2:
			// The binary question is first read part way through: its
			// forecasts so far were skipped while followed, and come
			// from its load.
			if step > 20 {
				read(t, cc, bin)
			}
		default:
			read(t, cc, scen)
		}
		if step == 20 && slices.Contains(cc.loaded(), bin) {
			t.Fatalf("question %d was loaded before anyone read it", bin)
		}
	}
	read(t, cc, bin)
	fresh := New(w.st, slog.Default(), Rule{Min: 1})
	for _, id := range []int64{scen, bin} {
		got, n := cc.Current(id)
		want, wn := read(t, fresh, id)
		if n != wn || !slices.Equal(got, want) || n == 0 {
			t.Fatalf("question %d: crowd %v of %d forecasters; a fresh cache says %v of %d", id, got, n, want, wn)
		}
		for _, u := range w.users {
			if got, want := cc.LatestID(id, u), fresh.LatestID(id, u); got != want {
				t.Fatalf("question %d, user %d: latest forecast %d; a fresh cache says %d", id, u, got, want)
			}
		}
	}
}

// TestCrowdAfterLargeImport: after more new forecasts than the replay
// limit, the crowd cache starts afresh from the latest forecasts and gives
// the same crowd as replaying them would.
func TestCrowdAfterLargeImport(t *testing.T) {
	w := newWorld(t, 6)
	cc := New(w.st, slog.Default(), Rule{})
	cc.reloadGap = 3
	scen := w.scen
	read(t, cc, scen) // loads the (empty) cache
	for i, ps := range [][]float64{{0.7, 0.1, 0.1, 0.1}, {0.1, 0.7, 0.1, 0.1}, {0.1, 0.1, 0.7, 0.1}, {0.4, 0.3, 0.2, 0.1}, {0.1, 0.1, 0.1, 0.7}} {
		w.clock = testStart.Add(time.Duration(i) * time.Minute)
		w.forecast(t, scen, w.users[i], ps...)
	}
	last := w.users[5]
	w.forecast(t, scen, last, 0.1, 0.1, 0.1, 0.7)
	w.clock = testStart.Add(time.Hour)
	w.forecast(t, scen, last, 0.7, 0.1, 0.1, 0.1)
	got, n := read(t, cc, scen)
	// latest: .7/.1/.1/.1, .1/.7/.1/.1, .1/.1/.7/.1, .4/.3/.2/.1, .1/.1/.1/.7, .7/.1/.1/.1
	// medians .25, .1, .1, .1 -> normalised by .55
	want := []float64{0.25 / 0.55, 0.1 / 0.55, 0.1 / 0.55, 0.1 / 0.55}
	if n != 6 {
		t.Fatalf("crowd of %d forecasters; want 6", n)
	}
	for k := range want {
		if math.Abs(got[k]-want[k]) > 1e-12 {
			t.Fatalf("crowd = %v; want %v", got, want)
		}
	}
	if mine := cc.LatestProbs(scen, last); len(mine) != 4 || mine[0] != 0.7 {
		t.Fatalf("latest forecast of the last user = %v; want the later one", mine)
	}
}

// loaded lists the questions a crowd cache holds.
func (cc *Crowds) loaded() []int64 {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	var ids []int64
	for id := range cc.qs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
