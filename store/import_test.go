package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	importNow   = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	importStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
)

func noHash(string) (string, error) { return "!", nil }

// testArchive builds a valid archive of n forecasts spread over questions
// and users; forecast i is at importStart + i seconds, so no two collide.
func testArchive(slug string, questions, users, n int) Archive {
	a := Archive{Format: ArchiveFormat, Tournament: ArchiveTournament{Slug: slug, Title: Text{"en": "Import test"},
		StartsAt: "2025-01-01T00:00:00Z", EndsAt: "2026-12-31T00:00:00Z"}, Teams: []ArchiveTeam{}}
	for q := range questions {
		outcome := q % 2
		a.Questions = append(a.Questions, ArchiveQuestion{Slug: fmt.Sprintf("q%d", q), Kind: "binary",
			Title: Text{"en": "Q"}, Criteria: Text{"en": "c"},
			Options: []Option{{Label: Text{"en": "Yes"}}, {Label: Text{"en": "No"}}},
			OpensAt: "2025-01-01T00:00:00Z", ClosesAt: "2026-01-01T00:00:00Z",
			Resolution: &ArchiveResolution{Outcome: &outcome, ResolvedAt: "2026-01-02T00:00:00Z"}})
	}
	for u := range users {
		a.Users = append(a.Users, ArchiveUser{Username: fmt.Sprintf("user%d", u), DisplayName: "U"})
	}
	for i := range n {
		p := float64(i%101) / 100
		a.Forecasts = append(a.Forecasts, ArchiveForecast{Username: fmt.Sprintf("user%d", i%users),
			QuestionSlug: fmt.Sprintf("q%d", (i/users)%questions), Probabilities: []float64{p, 1 - p},
			CreatedAt: formatArchiveTime(importStart.Add(time.Duration(i) * time.Second))})
	}
	return a
}

// forecastsLast encodes an archive as Export orders it.
func forecastsLast(t testing.TB, a Archive) []byte {
	t.Helper()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(b, []byte("]}")) || !bytes.Contains(b, []byte(`"teams":[],"forecasts":[`)) {
		t.Fatalf("forecasts are not last: %.200s", b)
	}
	return b
}

// forecastsFirst encodes an archive with "forecasts" as its first key.
func forecastsFirst(t testing.TB, a Archive) []byte {
	t.Helper()
	fs, err := json.Marshal(a.Forecasts)
	if err != nil {
		t.Fatal(err)
	}
	a.Forecasts = nil
	head, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	head = bytes.TrimSuffix(head, []byte(`,"forecasts":null}`))
	return append(append(append(append([]byte(`{"forecasts":`), fs...), ','), head[1:]...), '}')
}

// storedForecasts lists a tournament's forecasts as comparable lines.
func storedForecasts(t *testing.T, st *Store, slug string) []string {
	t.Helper()
	var rows []struct {
		Slug, Username string
		CreatedAt      int64
		Probabilities  []byte
	}
	err := st.r.Raw(`SELECT q.slug, u.username, f.created_at, f.probabilities
		FROM forecasts f JOIN questions q ON q.id = f.question_id JOIN users u ON u.id = f.user_id
		JOIN tournaments t ON t.id = f.tournament_id WHERE t.slug = ? ORDER BY f.created_at, q.slug, u.username`, slug).
		Scan(&rows).Error
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprintf("%s %s %d %X", r.Slug, r.Username, r.CreatedAt, r.Probabilities)
	}
	return out
}

func TestImportReaderForecastsFirstOrLast(t *testing.T) {
	ctx := context.Background()
	a := testArchive("order", 5, 7, 1000)
	var want []string
	for _, tc := range []struct {
		name string
		doc  []byte
	}{
		{"forecasts last", forecastsLast(t, a)},
		{"forecasts first", forecastsFirst(t, a)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := openTestStore(t)
			counts, err := st.ImportReader(ctx, bytes.NewReader(tc.doc), importNow, 0, noHash)
			if err != nil {
				t.Fatal(err)
			}
			if counts != (ImportCounts{Users: 7, Questions: 5, Forecasts: 1000, Tournament: "order"}) {
				t.Fatalf("ImportReader = %+v; want 7 users, 5 questions, 1000 forecasts", counts)
			}
			got := storedForecasts(t, st, "order")
			if want == nil {
				want = got
			}
			if len(got) != 1000 || strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("stored %d forecasts, differing between document orders", len(got))
			}
		})
	}
	// Import of the decoded Archive stores the same.
	st := openTestStore(t)
	if _, err := st.Import(ctx, a, importNow, 0, noHash); err != nil {
		t.Fatal(err)
	}
	if got := storedForecasts(t, st, "order"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatal("Import and ImportReader stored different forecasts")
	}
}

func TestImportTwiceAddsNothing(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	a := testArchive("twice", 4, 10, 2000)
	doc := forecastsLast(t, a)
	if _, err := st.ImportReader(ctx, bytes.NewReader(doc), importNow, 0, noHash); err != nil {
		t.Fatal(err)
	}
	for _, again := range []func() (ImportCounts, error){
		func() (ImportCounts, error) { return st.ImportReader(ctx, bytes.NewReader(doc), importNow, 0, noHash) },
		func() (ImportCounts, error) {
			return st.ImportReader(ctx, bytes.NewReader(forecastsFirst(t, a)), importNow, 0, noHash)
		},
		func() (ImportCounts, error) { return st.Import(ctx, a, importNow, 0, noHash) },
	} {
		counts, err := again()
		if err != nil {
			t.Fatal(err)
		}
		if counts != (ImportCounts{Tournament: "twice"}) {
			t.Fatalf("re-import created %+v; want nothing", counts)
		}
	}
	if n := len(storedForecasts(t, st, "twice")); n != 2000 {
		t.Fatalf("%d forecasts after re-imports; want 2000", n)
	}
}

// Chunks of one tournament imported one after the other, overlapping and
// out of time order, keep every forecast exactly once.
func TestImportOverlappingChunks(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	a := testArchive("chunks", 4, 10, 3000)
	all := a.Forecasts
	for _, chunk := range [][2]int{{0, 1200}, {1000, 2200}, {0, 3000}} {
		a.Forecasts = slices.Clone(all[chunk[0]:chunk[1]])
		if chunk[0] == 1000 { // newest first: the rest is older than what was just stored
			slices.Reverse(a.Forecasts)
		}
		if _, err := st.ImportReader(ctx, bytes.NewReader(forecastsLast(t, a)), importNow, 0, noHash); err != nil {
			t.Fatal(err)
		}
	}
	a.Forecasts = all
	fresh := openTestStore(t)
	if _, err := fresh.Import(ctx, a, importNow, 0, noHash); err != nil {
		t.Fatal(err)
	}
	got, want := storedForecasts(t, st, "chunks"), storedForecasts(t, fresh, "chunks")
	if len(got) != 3000 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%d forecasts after overlapping chunks; want the 3000 of one import", len(got))
	}
}

// errReadTooFar fails a read past the point a streaming import should stop at.
var errReadTooFar = errors.New("read past the invalid forecast: the forecasts were not streamed")

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errReadTooFar }

func TestImportReaderInvalidForecastDeepInStream(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	const n, bad = 20000, 12345
	a := testArchive("deep", 10, 50, n)
	if _, err := st.Import(ctx, testArchive("deep", 10, 50, 100), importNow, 0, noHash); err != nil {
		t.Fatal(err)
	}
	a.Forecasts[bad].CreatedAt = "2024-12-31T23:59:59Z" // before the question opens
	doc := forecastsLast(t, a)
	// Cut the document 256 KiB after the bad forecast: streaming never gets
	// there, reading the whole document first would.
	at := bytes.Index(doc, []byte(a.Forecasts[bad].CreatedAt))
	r := io.MultiReader(bytes.NewReader(doc[:at+256<<10]), failingReader{})
	_, err := st.ImportReader(ctx, r, importNow, 0, noHash)
	var se *Error
	if !errors.As(err, &se) || !errors.Is(err, ErrInvalid) || se.Field != "forecasts[12345].created_at" {
		t.Fatalf("ImportReader = %v; want ErrInvalid at forecasts[12345].created_at", err)
	}
	if got := len(storedForecasts(t, st, "deep")); got != 100 {
		t.Fatalf("%d forecasts stored after a rejected import; want the 100 from before", got)
	}
	var users int64
	if err := st.r.Raw("SELECT count(*) FROM users").Scan(&users).Error; err != nil || users != 50 {
		t.Fatalf("%d users after a rejected import (%v); want the 50 from before", users, err)
	}
}

func TestImportReaderBadDocuments(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	good := string(forecastsLast(t, testArchive("bad", 2, 3, 10)))
	for _, tc := range []struct {
		name, doc, field string
		kind             error // ErrBadDocument or ErrInvalid
		cause            any   // for errors.As, with ErrBadDocument
	}{
		{name: "empty", doc: "", kind: ErrBadDocument},
		{name: "truncated", doc: good[:len(good)-50], field: "forecasts[9]", kind: ErrBadDocument},
		{name: "syntax in a forecast", doc: strings.Replace(good, `[0.02,0.98]`, `[0.02,,0.98]`, 1),
			field: "forecasts[2]", kind: ErrBadDocument, cause: new(*json.SyntaxError)},
		{name: "wrong type in a forecast", doc: strings.Replace(good, `"probabilities":[0.03,0.97]`, `"probabilities":"0.03"`, 1),
			field: "forecasts[3].probabilities", kind: ErrBadDocument, cause: new(*json.UnmarshalTypeError)},
		{name: "forecasts not an array", doc: strings.Replace(good, `"forecasts":[`, `"forecasts":{"x":[`, 1) + "}", field: "forecasts", kind: ErrBadDocument},
		{name: "not an object", doc: "[]", kind: ErrBadDocument},
		{name: "trailing data", doc: good + "{}", kind: ErrBadDocument},
		{name: "repeated key after the forecasts", doc: strings.TrimSuffix(good, "}") + `,"questions":[]}`, field: "questions", kind: ErrBadDocument},
		{name: "wrong format", doc: strings.Replace(good, ArchiveFormat, "other/2", 1), field: "format", kind: ErrInvalid},
		{name: "no format", doc: strings.Replace(good, `"format":"`+ArchiveFormat+`",`, "", 1), field: "format", kind: ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := st.ImportReader(ctx, strings.NewReader(tc.doc), importNow, 0, noHash)
			if !errors.Is(err, tc.kind) {
				t.Fatalf("ImportReader = %v; want %v", err, tc.kind)
			}
			var de *DocumentError
			var se *Error
			switch {
			case errors.As(err, &de):
				if de.Field != tc.field {
					t.Fatalf("ImportReader = %v at %q; want at %q", err, de.Field, tc.field)
				}
				if strings.HasPrefix(tc.name, "truncated") && !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Fatalf("ImportReader = %v; want it to wrap io.ErrUnexpectedEOF", err)
				}
				if tc.cause != nil && !errors.As(err, tc.cause) {
					t.Fatalf("ImportReader = %v; want it to wrap a %T", err, tc.cause)
				}
			case errors.As(err, &se):
				if se.Field != tc.field {
					t.Fatalf("ImportReader = %v at %q; want at %q", err, se.Field, tc.field)
				}
			}
		})
	}
	if n := len(storedForecasts(t, st, "bad")); n != 0 {
		t.Fatalf("%d forecasts stored by rejected documents", n)
	}
	// Unknown keys are ignored, as json.Unmarshal does.
	doc := `{"comment":{"a":[1,2]},` + good[1:len(good)-1] + `,"trailer":"x"}`
	if counts, err := st.ImportReader(ctx, strings.NewReader(doc), importNow, 0, noHash); err != nil || counts.Forecasts != 10 {
		t.Fatalf("ImportReader with unknown keys = %+v, %v; want 10 forecasts", counts, err)
	}
}

// A large streamed import allocates a bounded amount per forecast (under
// 1 KiB as written; the bounds leave room for runtime and driver changes)
// and keeps none of them: the live heap grows by about 300 KiB, where
// buffering the 50,000 decoded forecasts (as for a document with
// "forecasts" first) grows it by about 7.5 MiB.
func TestImportReaderLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("50,000 forecasts")
	}
	ctx := context.Background()
	st := openTestStore(t)
	const n = 50000
	doc := forecastsLast(t, testArchive("large", 20, 500, n))
	r := &peakHeapReader{r: bytes.NewReader(doc)}
	runtime.GC() // twice: json.Marshal's pooled buffer survives one
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	counts, err := st.ImportReader(ctx, r, importNow, 0, noHash)
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if counts.Forecasts != n {
		t.Fatalf("imported %d forecasts; want %d", counts.Forecasts, n)
	}
	perForecast := (after.TotalAlloc - before.TotalAlloc) / n
	grew := int64(r.peak) - int64(before.HeapAlloc)
	t.Logf("%d forecasts in %v (%.0f/s), %d bytes allocated per forecast, live heap grew by at most %d KiB",
		n, elapsed, n/elapsed.Seconds(), perForecast, grew>>10)
	if perForecast > 4<<10 {
		t.Fatalf("%d bytes allocated per forecast; want under 4 KiB", perForecast)
	}
	if grew > 3<<20 {
		t.Fatalf("live heap grew by %d KiB during the import; want under 3 MiB (are the forecasts buffered?)", grew>>10)
	}
}

// peakHeapReader records the live heap after a GC every 64 reads.
type peakHeapReader struct {
	r     io.Reader
	reads int
	peak  uint64
}

func (p *peakHeapReader) Read(b []byte) (int, error) {
	if p.reads%64 == 0 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		p.peak = max(p.peak, m.HeapAlloc)
	}
	p.reads++
	return p.r.Read(b)
}

// BenchmarkImport times streaming imports of 50,000 forecasts: into a fresh
// tournament; as a further chunk of one already holding 200,000 forecasts on
// the same questions, newer than those (as when a large export is imported
// in chunks); and older than those, so that every forecast is checked
// against the stored ones.
func BenchmarkImport(b *testing.B) {
	ctx := context.Background()
	const n, stored = 50000, 200000
	b.Run("new", func(b *testing.B) {
		st := openTestStore(b)
		docs := make([][]byte, 0, b.N)
		for i := range b.N {
			docs = append(docs, forecastsLast(b, testArchive(fmt.Sprintf("t%d", i), 20, 500, n)))
		}
		benchImportDocs(b, st, docs, n)
	})
	for _, older := range []bool{false, true} {
		name := "append-newer"
		if older {
			name = "append-older"
		}
		b.Run(name, func(b *testing.B) {
			st := openTestStore(b)
			a := testArchive("append", 20, 500, stored+n*b.N)
			all := a.Forecasts
			base, chunks := all[:stored], all[stored:]
			if older {
				base, chunks = all[n*b.N:], all[:n*b.N]
			}
			a.Forecasts = base
			if _, err := st.Import(ctx, a, importNow, 0, noHash); err != nil {
				b.Fatal(err)
			}
			docs := make([][]byte, 0, b.N)
			for i := range b.N {
				a.Forecasts = chunks[i*n : (i+1)*n]
				docs = append(docs, forecastsLast(b, a))
			}
			benchImportDocs(b, st, docs, n)
		})
	}
}

func benchImportDocs(b *testing.B, st *Store, docs [][]byte, n int) {
	b.ReportAllocs()
	b.ResetTimer()
	for _, doc := range docs {
		counts, err := st.ImportReader(context.Background(), bytes.NewReader(doc), importNow, 0, noHash)
		if err != nil || counts.Forecasts != n {
			b.Fatalf("ImportReader = %+v, %v; want %d forecasts", counts, err, n)
		}
	}
	b.ReportMetric(float64(n*len(docs))/b.Elapsed().Seconds(), "forecasts/s")
}

// Teams import once: a second import of the same teams adds nothing, a
// user in two teams and an unknown member are refused with their fields,
// and a refused import leaves the teams as they were.
func TestImportTeams(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	a := testArchive("teams", 2, 6, 0)
	a.Teams = []ArchiveTeam{{Name: "Red", Members: []string{"user0", "user1", "user1"}}, {Name: "Blue", Members: []string{"user2"}}}
	for range 2 {
		if _, err := st.Import(ctx, a, importNow, 0, noHash); err != nil {
			t.Fatal(err)
		}
	}
	teams := func() map[string][]int64 {
		t.Helper()
		tid, _, err := st.TournamentVersion(ctx, "teams")
		if err != nil {
			t.Fatal(err)
		}
		ts, err := st.TournamentTeams(ctx, tid)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]int64{}
		for _, tm := range ts {
			out[tm.Name] = tm.Members
		}
		return out
	}
	want := teams()
	if len(want) != 2 || len(want["Red"]) != 2 || len(want["Blue"]) != 1 {
		t.Fatalf("teams after two imports = %v; want Red with 2 members, Blue with 1", want)
	}
	for _, tc := range []struct {
		name  string
		teams []ArchiveTeam
		field string
	}{
		{"in two teams", []ArchiveTeam{{Name: "Green", Members: []string{"user3"}}, {Name: "Blue", Members: []string{"user0"}}}, "teams[1].members[0]"},
		{"in two new teams", []ArchiveTeam{{Name: "Green", Members: []string{"user4"}}, {Name: "Pink", Members: []string{"user4"}}}, "teams[1].members[0]"},
		{"unknown member", []ArchiveTeam{{Name: "Red", Members: []string{"nobody"}}}, "teams[0].members[0]"},
	} {
		b := a
		b.Teams = tc.teams
		_, err := st.Import(ctx, b, importNow, 0, noHash)
		var inv *Error
		if !errors.Is(err, ErrInvalid) || !errors.As(err, &inv) || inv.Field != tc.field {
			t.Errorf("%s: Import = %v; want ErrInvalid on %s", tc.name, err, tc.field)
		}
	}
	if got := teams(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("teams after refused imports = %v; want %v", got, want)
	}
}
