package store

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkScoringForecasts1M times reading a 1,000,000-forecast tournament
// (2,000 users × 50 questions × 10 forecasts, 365-day windows) out of SQLite
// in the shape the scorer takes: the floor under a leaderboard recompute.
// Building the database takes a while and is outside the timer.
func BenchmarkScoringForecasts1M(b *testing.B) {
	const users, questions, per = 2000, 50, 10
	st := benchStore(b, users, questions, per)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		n := 0
		for q := int64(1); q <= questions; q++ {
			fs, err := st.ScoringForecasts(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			n += len(fs)
		}
		if n != users*questions*per {
			b.Fatalf("read %d forecasts", n)
		}
	}
}

func benchStore(b *testing.B, users, questions, per int) *Store {
	b.Helper()
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	db, err := st.w.DB()
	if err != nil {
		b.Fatal(err)
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	must := func(_ sql.Result, err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	must(tx.Exec(`INSERT INTO tournaments (id, slug, title, starts_at, ends_at, created_at) VALUES (1, 'bench', '{"en":"b"}', ?, ?, 0)`,
		micros(start), micros(start.AddDate(2, 0, 0))))
	for u := 1; u <= users; u++ {
		must(tx.Exec(`INSERT INTO users (id, username, display_name, password_hash, role, created_at) VALUES (?, ?, 'u', '!', 'forecaster', 0)`,
			u, "user"+itoa(int64(u))))
	}
	for q := 1; q <= questions; q++ {
		must(tx.Exec(`INSERT INTO questions (id, tournament_id, slug, position, kind, title, criteria, options, opens_at, closes_at, outcome, resolved_at, created_at)
			VALUES (?, 1, ?, ?, 'binary', '{"en":"q"}', '{"en":"c"}', '[{"label":{"en":"Yes"}},{"label":{"en":"No"}}]', ?, ?, 0, ?, 0)`,
			q, "q"+itoa(int64(q)), q, micros(start), micros(start.AddDate(0, 0, 365)), micros(start.AddDate(0, 0, 365))))
	}
	r := rand.New(rand.NewPCG(7, 7))
	ins, err := tx.Prepare(insertForecastSQL)
	if err != nil {
		b.Fatal(err)
	}
	window := int64(365 * 24 * time.Hour / time.Microsecond)
	for i := 0; i < users*questions*per; i++ {
		p := float64(r.IntN(1001)) / 1000
		must(ins.Exec(1+r.IntN(questions), 1, 1+r.IntN(users), encodeProbs([]float64{p, 1 - p}), "", micros(start)+r.Int64N(window)))
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return st
}
