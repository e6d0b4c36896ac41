package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the tamperer's own connection

	"signpost/api/feeds"
	"signpost/store"
)

// TestFeedsVerifyCatchesTampering: verify passes on the snapshots as
// fetched, then names the one whose body was edited behind its hash.
func TestFeedsVerifyCatchesTampering(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "feeds.db")
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	tour, _ := st.FindTournamentBySlug(ctx, store.DefaultTournamentSlug)
	qs, _ := st.ListQuestions(ctx, tour.ID)
	f := store.Feed{QuestionID: qs[0].ID, URL: "https://data.example/rate.csv", Every: time.Hour,
		Extract: store.FeedExtract{Format: "csv", Column: "Estimate", Row: json.RawMessage(`"last"`)},
		Rule:    json.RawMessage(`{"op": ">=", "value": 20}`)}
	if _, err := st.PutFeed(ctx, f, 0); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i, body := range []string{"Period,Estimate\n202601,18.9\n", "Period,Estimate\n202601,18.9\n202602,19.8\n"} {
		sn, err := st.AddSnapshot(ctx, store.Snapshot{QuestionID: f.QuestionID, URL: f.URL, Extract: f.Extract,
			Status: store.SnapshotOK, Value: []float64{18.9, 19.8}[i], SHA256: feeds.Hash([]byte(body)), Body: []byte(body),
			FetchedAt: time.Date(2027, 1, 1+i, 0, 0, 0, 0, time.UTC)}, time.Time{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, sn.ID)
	}
	st.Close()
	getenv := func(k string) string { return map[string]string{"SIGNPOST_DB": path}[k] }
	var out bytes.Buffer
	if err := run(ctx, []string{"feeds", "verify"}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatalf("feeds verify on untouched snapshots: %v (%s)", err, out.String())
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("UPDATE feed_snapshots SET body = ? WHERE id = ?", []byte("Period,Estimate\n202601,18.9\n202602,20.4\n"), ids[1]); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = run(ctx, []string{"feeds", "verify"}, getenv, nil, &out, io.Discard)
	if err == nil || !strings.Contains(out.String(), "snapshot 2 ") || strings.Contains(out.String(), "snapshot 1 ") {
		t.Fatalf("feeds verify after tampering = %v, %q; want an error naming snapshot 2 only", err, out.String())
	}
}
