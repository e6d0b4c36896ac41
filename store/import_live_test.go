package store

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"sync"
	"testing"
	"time"

	"signpost/store/storetest"
)

// liveTournament imports a small tournament whose first question is still
// unresolved, for forecasts made while something else runs.
func liveTournament(t *testing.T, st *Store) (questionID, userID int64) {
	t.Helper()
	ctx := context.Background()
	a := testArchive("live", 2, 4, 8)
	a.Questions[0].Resolution = nil
	if _, err := st.Import(ctx, a, importNow, 0, noHash); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	if err := st.r.Raw(`SELECT q.id FROM questions q JOIN tournaments t ON t.id = q.tournament_id
		WHERE t.slug = 'live' AND q.slug = 'q0'`).Scan(&ids).Error; err != nil || len(ids) != 1 {
		t.Fatalf("question q0 of live: %v, %v", ids, err)
	}
	u, err := st.FindUserByUsername(ctx, "user0")
	if err != nil {
		t.Fatal(err)
	}
	return ids[0], u.ID
}

// While a 200,000-forecast import runs, forecasts keep being stored, each
// waiting for one step of the import at most: the import never holds the
// writer for long. The bound leaves room for a loaded machine; a step is
// sized to take about 40 ms.
func TestImportLetsWritersThrough(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("200,000 forecasts, timed: not under -short or the race detector")
	}
	ctx := context.Background()
	st := openTestStore(t)
	qid, uid := liveTournament(t, st)
	const n = 200000
	doc := forecastsLast(t, testArchive("big", 20, 2000, n))
	waits := measureWrites(t, st, qid, uid)
	start := time.Now()
	counts, err := st.ImportReader(ctx, bytes.NewReader(doc), importNow, 0, noHash)
	elapsed := time.Since(start)
	worst := waits()
	if err != nil || counts.Forecasts != n {
		t.Fatalf("import = %+v, %v; want %d forecasts", counts, err, n)
	}
	t.Logf("import of %d forecasts took %v (%.0f/s)", n, elapsed, n/elapsed.Seconds())
	// On PostgreSQL no step holds live writers (they insert beside it):
	// what a forecast waits for there is its commit's flush, slowed by the
	// import's own WAL traffic on a busy machine.
	if bound := writeWaitBound(st); worst > bound {
		t.Fatalf("a forecast waited %v during the import; want under %v", worst, bound)
	}
}

// measureWrites stores forecasts on question qid as user uid, one every
// few milliseconds, until the returned function is called; that reports
// how they went and returns the longest wait.
func measureWrites(t *testing.T, st *Store, qid, uid int64) (worst func() time.Duration) {
	t.Helper()
	done := make(chan struct{})
	var (
		waits   []time.Duration
		postErr error
	)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		at := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			default:
			}
			start := time.Now()
			_, err := st.CreateForecast(context.Background(), Forecast{QuestionID: qid, UserID: uid,
				Probs: []float64{0.5, 0.5}, CreatedAt: at.Add(time.Duration(i) * time.Millisecond)})
			waits = append(waits, time.Since(start))
			if err != nil && postErr == nil {
				postErr = err
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	return func() time.Duration {
		t.Helper()
		close(done)
		wg.Wait()
		if postErr != nil {
			t.Fatalf("a forecast made during the import failed: %v", postErr)
		}
		if len(waits) < 10 {
			t.Fatalf("%d forecasts stored during the import; want the writer to be free most of the time", len(waits))
		}
		slices.Sort(waits)
		worst := waits[len(waits)-1]
		t.Logf("%d forecasts stored meanwhile: median %v, p99 %v, slowest %v",
			len(waits), waits[len(waits)/2], waits[len(waits)*99/100], worst)
		return worst
	}
}

// cancelAfter cancels ctx once the import has read past a byte offset.
type cancelAfter struct {
	r      io.Reader
	left   int
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	if c.left <= 0 {
		c.cancel()
	}
	n, err := c.r.Read(p)
	c.left -= n
	return n, err
}

// stagingLeft counts what is left of imports in the staging tables.
func stagingLeft(t *testing.T, st *Store) (imports, staged int64) {
	t.Helper()
	if err := st.r.Raw("SELECT COUNT(*) FROM imports").Scan(&imports).Error; err != nil {
		t.Fatal(err)
	}
	if err := st.r.Raw("SELECT COUNT(*) FROM import_forecasts").Scan(&staged).Error; err != nil {
		t.Fatal(err)
	}
	return imports, staged
}

// An import cancelled half-way through the document leaves nothing: no
// tournament, user or forecast, and no staged row.
func TestImportCancelledLeavesNothing(t *testing.T) {
	st := openTestStore(t)
	const n = 30000
	doc := forecastsLast(t, testArchive("cancelled", 5, 100, n))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &cancelAfter{r: bytes.NewReader(doc), left: len(doc) * 2 / 3, cancel: cancel}
	_, err := st.ImportReader(ctx, r, importNow, 0, noHash)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("ImportReader = %v; want context.Canceled", err)
	}
	if _, err := st.FindTournamentBySlug(context.Background(), "cancelled"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("tournament after a cancelled import: %v; want ErrNotFound", err)
	}
	var forecasts, users int64
	st.r.Raw("SELECT COUNT(*) FROM forecasts").Scan(&forecasts)
	st.r.Raw("SELECT COUNT(*) FROM users").Scan(&users)
	if forecasts != 0 || users != 0 {
		t.Fatalf("%d forecasts, %d users after a cancelled import; want none", forecasts, users)
	}
	if imports, staged := stagingLeft(t, st); imports != 0 || staged != 0 {
		t.Fatalf("%d imports, %d staged forecasts left; want none", imports, staged)
	}
}

// restartLeavesNoImport closes st and opens addr again, as a restart
// would, and checks that no import is left staging or publishing.
func restartLeavesNoImport(t *testing.T, st *Store, addr string) *Store {
	t.Helper()
	st.Close()
	again := openStoreAt(t, addr)
	if imports, staged := stagingLeft(t, again); imports != 0 || staged != 0 {
		t.Fatalf("after a restart: %d imports, %d staged forecasts; want none", imports, staged)
	}
	return again
}

// openToStop is openStoreAt for a store the test closes itself.
func openToStop(t *testing.T, addr string) *Store {
	t.Helper()
	st, err := Open(context.Background(), addr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(context.Background()); err != nil {
		st.Close()
		t.Fatal(err)
	}
	return st
}

// stageOnly runs an import up to its end of staging, or through its commit
// point, and stops there, as a server killed at that moment would.
func stageOnly(t *testing.T, st *Store, a Archive, commit bool) {
	t.Helper()
	ctx := context.Background()
	im := &importer{s: st, now: importNow, hash: noHash, hashed: map[string]string{}}
	if err := im.planHead(ctx, &a); err != nil {
		t.Fatal(err)
	}
	var err error
	if im.stage, err = st.startStaging(ctx, 0, nil); err != nil {
		t.Fatal(err)
	}
	if err := im.stageForecasts(ctx, a.Forecasts); err != nil {
		t.Fatal(err)
	}
	if err := im.stage.flush(ctx); err != nil {
		t.Fatal(err)
	}
	if commit {
		if err := st.commitPoint(ctx, im, &a); err != nil {
			t.Fatal(err)
		}
	}
}

// A server stopped while staging drops the staged rows on its next start,
// and none of them was ever visible.
func TestImportStoppedWhileStagingIsDropped(t *testing.T) {
	addr := storetest.Address(t, "stopped.db")
	st := openToStop(t, addr)
	stageOnly(t, st, testArchive("stopped", 4, 20, 5000), false)
	if imports, staged := stagingLeft(t, st); imports != 1 || staged != 5000 {
		t.Fatalf("%d imports, %d staged forecasts; want 1 import of 5000", imports, staged)
	}
	var forecasts int64
	st.r.Raw("SELECT COUNT(*) FROM forecasts").Scan(&forecasts)
	if forecasts != 0 {
		t.Fatalf("%d forecasts visible while staging; want none", forecasts)
	}
	// On PostgreSQL another instance may be staging: only an import
	// untouched for abandonedAfter is dropped. Make this one that old.
	if err := st.w.Exec("UPDATE imports SET touched_at = 0").Error; err != nil {
		t.Fatal(err)
	}
	again := restartLeavesNoImport(t, st, addr)
	if _, err := again.FindTournamentBySlug(context.Background(), "stopped"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("tournament of a dropped import: %v; want ErrNotFound", err)
	}
}

// A server stopped after the commit point finishes the import on its next
// start: the result is that of an import that ran through, and the score
// version moves when the last forecast is in.
func TestImportStoppedAfterCommitIsFinished(t *testing.T) {
	ctx := context.Background()
	addr := storetest.Address(t, "finished.db")
	st := openToStop(t, addr)
	a := testArchive("finished", 4, 20, 5000)
	stageOnly(t, st, a, true)
	_, before, err := st.TournamentVersion(ctx, "finished")
	if err != nil {
		t.Fatal(err)
	}
	again := restartLeavesNoImport(t, st, addr)
	_, after, err := again.TournamentVersion(ctx, "finished")
	if err != nil || after != before+1 {
		t.Fatalf("score version %d -> %d (%v); want one step", before, after, err)
	}
	fresh := openTestStore(t)
	if _, err := fresh.Import(ctx, a, importNow, 0, noHash); err != nil {
		t.Fatal(err)
	}
	got, want := storedForecasts(t, again, "finished"), storedForecasts(t, fresh, "finished")
	if len(got) != 5000 || !slices.Equal(got, want) {
		t.Fatalf("%d forecasts after finishing; want the 5000 of an import that ran through", len(got))
	}
}

// ImportStream reports its progress: staging, then publishing, up to
// every forecast.
func TestImportReportsProgress(t *testing.T) {
	st := openTestStore(t)
	const n = 10000
	doc := forecastsLast(t, testArchive("progress", 4, 50, n))
	last := map[string]int64{}
	var phases []string
	_, err := st.ImportStream(context.Background(), bytes.NewReader(doc), ImportOptions{Now: importNow, Hash: noHash,
		Progress: func(phase string, done int64) {
			if done < last[phase] {
				t.Errorf("%s went back from %d to %d", phase, last[phase], done)
			}
			if len(phases) == 0 || phases[len(phases)-1] != phase {
				phases = append(phases, phase)
			}
			last[phase] = done
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(phases) != 2 || phases[0] != "staged" || phases[1] != "published" || last["staged"] != n || last["published"] != n {
		t.Fatalf("progress %v ending at %v; want staged then published, both up to %d", phases, last, n)
	}
}

// An import half moved by two processes at once, whose recorded count of
// moved forecasts no longer matches the rows left, is still finished at
// the next start: it used to fail every start with "none left".
func TestImportHalfMovedWithWrongCountIsFinished(t *testing.T) {
	ctx := context.Background()
	addr := storetest.Address(t, "halfmoved.db")
	st := openToStop(t, addr)
	a := testArchive("halfmoved", 4, 20, 5000)
	stageOnly(t, st, a, true)
	var importID int64
	if err := st.r.Raw("SELECT id FROM imports").Scan(&importID).Error; err != nil {
		t.Fatal(err)
	}
	// One step of the move, as the other process would have made it,
	// then the count this process last wrote.
	cut, cancel := context.WithCancel(ctx)
	ps := publishState{}
	if err := st.r.Raw("SELECT tournament_id, staged, latest FROM imports WHERE id = ?", importID).
		Row().Scan(&ps.tournamentID, &ps.staged, &ps.latest); err != nil {
		t.Fatal(err)
	}
	err := st.moveStaged(cut, importID, &ps, func(string, int64) { cancel() })
	if !errors.Is(err, context.Canceled) || ps.moved == 0 || ps.moved >= ps.staged {
		t.Fatalf("moveStaged cut after one step: %v, %d of %d moved; want a part", err, ps.moved, ps.staged)
	}
	if err := st.w.Exec("UPDATE imports SET moved = 0").Error; err != nil {
		t.Fatal(err)
	}
	again := restartLeavesNoImport(t, st, addr)
	if got := storedForecasts(t, again, "halfmoved"); len(got) != 5000 {
		t.Fatalf("%d forecasts after finishing; want 5000", len(got))
	}
}

// writeWaitBound is how long a live forecast may wait for an import.
func writeWaitBound(st *Store) time.Duration {
	if st.dialect == postgresDialect {
		return time.Second
	}
	return 500 * time.Millisecond
}

// An import of 10,000 new questions holds live writers for a short
// while only. The questions are created at the commit point, which grows
// with the head: created one at a time they held the writer for 16-23 s
// on a loaded machine; in multi-row INSERTs, 0.4 s of CPU (the bound
// leaves room for a machine where that takes five times as long).
func TestImportOfManyQuestionsLetsWritersThrough(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("10,000 questions, timed: not under -short or the race detector")
	}
	ctx := context.Background()
	st := openTestStore(t)
	qid, uid := liveTournament(t, st)
	const n = 10000
	doc := forecastsLast(t, testArchive("wide", n, 10, n))
	waits := measureWrites(t, st, qid, uid)
	start := time.Now()
	counts, err := st.ImportReader(ctx, bytes.NewReader(doc), importNow, 0, noHash)
	elapsed := time.Since(start)
	worst := waits()
	if err != nil || counts.Questions != n || counts.Forecasts != n {
		t.Fatalf("import = %+v, %v; want %d questions and forecasts", counts, err, n)
	}
	t.Logf("import of %d questions took %v", n, elapsed)
	if bound := 5 * time.Second; worst > bound {
		t.Fatalf("a forecast waited %v during the import; want under %v", worst, bound)
	}
}
