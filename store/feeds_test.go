package store

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// seededQuestion seeds the default tournament and returns its first
// question's ID.
func seededQuestion(t *testing.T, st *Store) int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	tour, err := st.FindTournamentBySlug(ctx, DefaultTournamentSlug)
	if err != nil {
		t.Fatal(err)
	}
	qs, err := st.ListQuestions(ctx, tour.ID)
	if err != nil || len(qs) == 0 {
		t.Fatalf("ListQuestions = %d, %v", len(qs), err)
	}
	return qs[0].ID
}

func TestFeedHeadersAreKeptWhenNotGiven(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	qid := seededQuestion(t, st)
	f := Feed{QuestionID: qid, URL: "https://example.org/a.json", Extract: FeedExtract{Format: FeedJSON, Pointer: "/a"},
		Every: time.Hour, Rule: json.RawMessage(`{"op":">=","value":1}`), Enabled: true,
		Headers: map[string]string{"Authorization": "Bearer k"}}
	if _, err := st.PutFeed(ctx, f, 0); err != nil {
		t.Fatal(err)
	}
	f.Headers, f.Every = nil, 2*time.Hour
	got, err := st.PutFeed(ctx, f, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got.Headers["Authorization"] != "Bearer k" || got.Every != 2*time.Hour || got.ChallengeWindow != DefaultChallengeWindow {
		t.Fatalf("PutFeed again = %+v; want the stored header, every 2h, the default window", got)
	}
	if err := st.DeleteFeed(ctx, qid, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := st.FindFeed(ctx, qid); !errors.Is(err, ErrNotFound) {
		t.Fatalf("FindFeed after delete: %v; want ErrNotFound", err)
	}
}

func TestSnapshotsLatestOKAndSchedule(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	qid := seededQuestion(t, st)
	if _, err := st.LatestOKSnapshot(ctx, qid); !errors.Is(err, ErrNotFound) {
		t.Fatalf("LatestOKSnapshot of none: %v; want ErrNotFound", err)
	}
	f := Feed{QuestionID: qid, URL: "https://example.org/a.csv", Extract: FeedExtract{Format: FeedCSV, Column: "v",
		Row: json.RawMessage(`"last"`)}, Every: time.Hour, Rule: json.RawMessage(`{"op":">=","value":1}`), Enabled: true}
	if _, err := st.PutFeed(ctx, f, 0); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	ok := Snapshot{QuestionID: qid, URL: f.URL, Extract: f.Extract, Status: SnapshotOK, Value: 0.1 + 0.2,
		SHA256: "ab", Body: []byte("v\n0.30000000000000004\n"), FetchedAt: t0}
	if _, err := st.AddSnapshot(ctx, ok, t0.Add(time.Hour), 0); err != nil {
		t.Fatal(err)
	}
	bad := Snapshot{QuestionID: qid, URL: f.URL, Extract: f.Extract, Status: SnapshotError, Error: "timeout",
		FetchedAt: t0.Add(time.Hour)}
	if _, err := st.AddSnapshot(ctx, bad, t0.Add(3*time.Hour), 1); err != nil {
		t.Fatal(err)
	}
	got, err := st.LatestOKSnapshot(ctx, qid)
	if err != nil || got.Value != 0.1+0.2 || !got.FetchedAt.Equal(t0) || got.Extract.Column != "v" {
		t.Fatalf("LatestOKSnapshot = %+v, %v; want the value read back bit for bit at %v", got, err, t0)
	}
	last, err := st.LatestSnapshot(ctx, qid)
	if err != nil || last.Status != SnapshotError || last.Error != "timeout" {
		t.Fatalf("LatestSnapshot = %+v, %v; want the failed one", last, err)
	}
	tour, _ := st.FindTournamentBySlug(ctx, DefaultTournamentSlug)
	all, err := st.LatestOKSnapshots(ctx, tour.ID)
	if err != nil || len(all) != 1 || all[qid].Value != got.Value {
		t.Fatalf("LatestOKSnapshots = %v, %v; want one for question %d", all, err, qid)
	}
	due, err := st.DueFeeds(ctx, t0.Add(2*time.Hour))
	if err != nil || len(due) != 0 {
		t.Fatalf("DueFeeds before the backoff ends = %v, %v; want none", due, err)
	}
	due, err = st.DueFeeds(ctx, t0.Add(3*time.Hour))
	if err != nil || len(due) != 1 || due[0].Failures != 1 {
		t.Fatalf("DueFeeds at the backoff's end = %+v, %v; want the feed with one failure", due, err)
	}
	list, err := st.ListSnapshots(ctx, qid, 0, 10)
	if err != nil || len(list) != 2 || list[0].Status != SnapshotError {
		t.Fatalf("ListSnapshots = %+v, %v; want newest first", list, err)
	}
	var bodies int
	if err := st.EachSnapshot(ctx, func(sn Snapshot) error { bodies += len(sn.Body); return nil }); err != nil || bodies != len(ok.Body) {
		t.Fatalf("EachSnapshot read %d body bytes, %v; want %d", bodies, err, len(ok.Body))
	}
}
