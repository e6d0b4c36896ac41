package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"signpost/store"
	"signpost/store/storetest"
)

// TestQuickPreset runs the whole benchmark end to end on the quick preset
// with tiny durations: import, in-process server, every scenario, and the
// yardstick with its ratios.
func TestQuickPreset(t *testing.T) {
	res := runQuickPreset(t, "-metrics-cost")
	if mc := res.MetricsCost; mc == nil || mc.OffRPS <= 0 || mc.OnRPS <= 0 || mc.RPSRatio <= 0 || mc.Rounds != metricsRounds {
		t.Errorf("metrics cost = %+v; want both sides measured", mc)
	}
}

// TestQuickPresetOnPostgres is TestQuickPreset on PostgreSQL (-db), with
// the PostgreSQL yardstick; the run's schema is gone afterwards.
func TestQuickPresetOnPostgres(t *testing.T) {
	dsn := storetest.PostgresDSN()
	if dsn == "" {
		t.Skip(storetest.EnvDSN + " is not set")
	}
	res := runQuickPreset(t, "-db", dsn)
	if !strings.HasPrefix(res.Setup.Database, "PostgreSQL ") {
		t.Errorf("setup database = %q; want PostgreSQL", res.Setup.Database)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var left int
	schema := res.Setup.Database[strings.LastIndex(res.Setup.Database, " ")+1:]
	if err := db.QueryRow("SELECT COUNT(*) FROM pg_namespace WHERE nspname = $1", schema).Scan(&left); err != nil || left != 0 {
		t.Errorf("schema %s left behind (%d, %v)", schema, left, err)
	}
}

// runQuickPreset runs the quick preset with tiny durations and the
// yardstick, plus extra flags, and checks what every run must report.
func runQuickPreset(t *testing.T, extra ...string) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := t.TempDir()
	var out, errb bytes.Buffer
	args := append([]string{"-preset", "quick", "-d", "300ms", "-warmup", "50ms", "-c", "4", "-tokens", "24",
		"-resolves", "2", "-chunk", "7000", "-dir", dir, "-json", "-yardstick"}, extra...)
	if err := run(ctx, args, &out, &errb); err != nil {
		t.Fatalf("run(%q) = %v; stderr:\n%s", args, err, errb.String())
	}
	var res Result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("-json output is not a Result: %v\n%s", err, out.String())
	}
	const forecasts = 200 * 20 * 5
	if res.Setup.Forecasts != forecasts || res.Import == nil || res.Import.Forecasts != forecasts {
		t.Errorf("forecasts: setup %d, imported %+v; want %d", res.Setup.Forecasts, res.Import, forecasts)
	}
	if res.Import != nil && (res.Import.Users != 200 || res.Import.Questions != 20 || res.Import.Documents != 3) {
		t.Errorf("import = %+v; want 200 users, 20 questions in 3 documents", *res.Import)
	}
	want := map[string]bool{"login": true, "post-forecast": true, "get-question": true, "leaderboard-warm": true, "leaderboard-around-me": true,
		"resolve": true, "post-during-recompute": true, "yardstick-post": true, "yardstick-ping": true}
	for _, s := range res.Scenarios {
		delete(want, s.Name)
		if s.Errors != 0 || s.FirstError != "" {
			t.Errorf("%s: %d errors, first %q; want none", s.Name, s.Errors, s.FirstError)
		}
		if s.Requests <= 0 || s.RPS <= 0 {
			t.Errorf("%s: %d requests at %.1f req/s; want some", s.Name, s.Requests, s.RPS)
		}
		if !(0 < s.P50ms && s.P50ms <= s.P90ms && s.P90ms <= s.P99ms && s.P99ms <= s.MaxMs && s.MaxMs < 60_000) {
			t.Errorf("%s: latencies p50 %v p90 %v p99 %v max %v ms are not ordered and positive",
				s.Name, s.P50ms, s.P90ms, s.P99ms, s.MaxMs)
		}
	}
	if len(want) > 0 {
		t.Errorf("scenarios missing from the result: %v", want)
	}
	if res.LeaderboardEntries != 200 {
		t.Errorf("leaderboard has %d entries; want 200 (every user forecast resolved questions)", res.LeaderboardEntries)
	}
	if res.Import == nil || !(res.Import.CrowdsSeconds > 0) {
		t.Errorf("import = %+v; want the crowds saved after it", res.Import)
	}
	for name, v := range map[string]*float64{"cold start": res.ColdStartMs, "first view": res.FirstViewMs,
		"first view after a restart": res.RestartFirstViewMs,
		"cold leaderboard":           res.LeaderboardColdMs, "full recompute": res.RecomputeFullMs} {
		if v == nil || !(*v > 0) {
			t.Errorf("%s = %v; want a positive time", name, v)
		}
	}
	// After the answer the board may already show the change (0 ms);
	// from the request on it cannot.
	if rc := res.Recompute; rc == nil || len(rc.RunsMs) != 2 || !(rc.MinMs >= 0 && rc.MinMs <= rc.MedianMs && rc.MedianMs <= rc.MaxMs) ||
		len(rc.VisibleMs) != 2 || slices.Min(rc.VisibleMs) <= 0 || rc.VisibleMedianMs < rc.MedianMs {
		t.Errorf("recompute = %+v; want 2 runs, each visible a positive time after its request", rc)
	}
	if res.Memory.ServePeakMB < 1 || res.Database == nil || res.Database.FileBytes < 100_000 {
		t.Errorf("memory %+v, database %+v; want a peak RSS and a database file", res.Memory, res.Database)
	}
	if y := res.Yardstick; y == nil || !(y.PostRPSRatio > 0) || !(y.BoardPingRate > 0) {
		t.Errorf("yardstick = %+v; want positive ratios", y)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("temporary files left behind in %s: %v", dir, left)
	}
	return res
}

// TestChunksAreValidAndIndependentOfSize checks the generated forecasts
// against the import's rules, and that chunking does not change them.
func TestChunksAreValidAndIndependentOfSize(t *testing.T) {
	c, err := parseConfig([]string{"-users", "12", "-questions", "6", "-per", "3", "-team-size", "5"}, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	d, err := newDataset(c, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	collect := func(limit int, byTime bool) (all []store.ArchiveForecast, docs int) {
		err := d.chunks(limit, byTime, func(a store.Archive) error {
			docs++
			if len(a.Forecasts) > limit {
				t.Errorf("chunks(%d): a document holds %d forecasts", limit, len(a.Forecasts))
			}
			all = append(all, a.Forecasts...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return all, docs
	}
	one, docs1 := collect(1<<20, false)
	many, docsN := collect(10, false)
	if docs1 != 1 || docsN != (len(one)+9)/10 {
		t.Errorf("documents: %d and %d; want 1 and %d", docs1, docsN, (len(one)+9)/10)
	}
	if int64(len(one)) != d.forecastCount() || len(one) != 12*6*3 {
		t.Fatalf("%d forecasts; want %d", len(one), 12*6*3)
	}
	byTime, _ := collect(7, true)
	key := func(f store.ArchiveForecast) string {
		return fmt.Sprint(f.QuestionSlug, f.Username, f.CreatedAt, f.Probabilities)
	}
	inTime := make(map[string]bool)
	var last time.Time
	for i, f := range byTime {
		inTime[key(f)] = true
		at, err := time.Parse(time.RFC3339Nano, f.CreatedAt)
		if err != nil || at.Before(last) {
			t.Errorf("time order: forecast %d at %s comes after one at %s (%v)", i, f.CreatedAt, last, err)
		}
		last = at
	}
	for _, f := range one {
		if !inTime[key(f)] {
			t.Fatalf("forecast %+v is missing in time order", f)
		}
	}
	spec := make(map[string]*questionSpec)
	for i := range d.questions {
		spec[d.questions[i].archive.Slug] = &d.questions[i]
	}
	for i, f := range one {
		if g := many[i]; g.Username != f.Username || g.CreatedAt != f.CreatedAt || !equal(g.Probabilities, f.Probabilities) {
			t.Fatalf("forecast %d differs with chunk size: %+v vs %+v", i, f, g)
		}
		q := spec[f.QuestionSlug]
		at, err := time.Parse(time.RFC3339Nano, f.CreatedAt)
		if err != nil || at.Before(q.opensAt) || !at.Before(q.end) || at.After(d.now) {
			t.Errorf("forecast %d at %s is outside [%s, %s)", i, f.CreatedAt, q.opensAt, q.end)
		}
		total := 0.0
		for _, p := range f.Probabilities {
			if p < 0 || p > 1 {
				t.Errorf("forecast %d: probability %v outside [0, 1]", i, p)
			}
			total += p
		}
		if len(f.Probabilities) != q.options || math.Abs(total-1) > 1e-9 {
			t.Errorf("forecast %d: %v for %d options sums to %v", i, f.Probabilities, q.options, total)
		}
	}
	open := 0
	for _, q := range d.questions {
		closes, _ := time.Parse(time.RFC3339Nano, q.archive.ClosesAt)
		switch {
		case q.open && (q.archive.Resolution != nil || !closes.After(d.now) || q.opensAt.After(d.now)):
			t.Errorf("open question %s: window %s..%s, resolution %v", q.archive.Slug, q.archive.OpensAt, q.archive.ClosesAt, q.archive.Resolution)
		case !q.open && (q.archive.Resolution == nil || closes.After(d.now)):
			t.Errorf("resolved question %s closes %s with resolution %v", q.archive.Slug, q.archive.ClosesAt, q.archive.Resolution)
		}
		if q.open {
			open++
		}
		if got := closes.Sub(q.opensAt); got != window {
			t.Errorf("question %s window is %s; want 365 days", q.archive.Slug, got)
		}
	}
	if open != 1 {
		t.Errorf("%d open questions; want 1 (questions/10, at least 1)", open)
	}
	members := 0
	for _, tm := range d.teams {
		members += len(tm.Members)
	}
	if len(d.teams) != 3 || members != 12 {
		t.Errorf("%d teams with %d members; want 3 teams (5, 5, 2) holding all 12 users", len(d.teams), members)
	}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestConfigRejects(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-url", "http://example.com:80"}, "loopback only"},
		{[]string{"-url", "http://127.0.0.1:8080"}, "-admin-user"},
		{[]string{"-preset", "huge"}, "-preset"},
		{[]string{"-open", "50"}, "-open"},
		{[]string{"-c", "0"}, "-c"},
		{[]string{"-import", "ftp"}, "-import"},
		{[]string{"-order", "random"}, "-order"},
		{[]string{"-url", "http://127.0.0.1:8080", "-admin-user", "a", "-admin-password", "b", "-metrics-cost"}, "-metrics-cost"},
	} {
		_, err := parseConfig(tc.args, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseConfig(%q) = %v; want an error mentioning %q", tc.args, err, tc.want)
		}
	}
}
