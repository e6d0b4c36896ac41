package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"signpost/scoring"
	"signpost/store"
)

// simArchive is a synthetic tournament (scoring.SimulateTournament) as an
// archive, its crowd the given aggregate.
func simArchive(t *testing.T, o scoring.SimOptions, crowd string) []byte {
	t.Helper()
	qs, _, err := scoring.SimulateTournament(o)
	if err != nil {
		t.Fatal(err)
	}
	stamp := func(x time.Time) string { return x.UTC().Format(time.RFC3339Nano) }
	a := store.Archive{Format: store.ArchiveFormat, Tournament: store.ArchiveTournament{Slug: "sim",
		Title: store.Text{"en": "Simulated", "zh": "模拟"}, StartsAt: stamp(qs[0].Question.OpensAt),
		EndsAt: stamp(qs[len(qs)-1].Question.ClosesAt.AddDate(0, 1, 0)), CrowdAggregate: crowd}, Users: []store.ArchiveUser{}, Teams: []store.ArchiveTeam{}}
	for i := range o.Forecasters {
		a.Users = append(a.Users, store.ArchiveUser{Username: fmt.Sprintf("sim%d", i+1), DisplayName: fmt.Sprintf("F %d", i+1)})
	}
	for _, q := range qs {
		slug := fmt.Sprintf("q%d", q.ID)
		aq := store.ArchiveQuestion{Slug: slug, Kind: q.Question.Kind.String(), Title: store.Text{"en": slug}, Criteria: store.Text{"en": "c"},
			OpensAt: stamp(q.Question.OpensAt), ClosesAt: stamp(q.Question.ClosesAt),
			Resolution: &store.ArchiveResolution{Outcome: &q.Question.Outcome, ResolvedAt: stamp(q.Question.ResolvedAt)}}
		if q.Question.Kind == scoring.Binary {
			aq.Options = store.BinaryOptions()
		}
		for k := 0; k < q.Question.Options && q.Question.Kind != scoring.Binary; k++ {
			aq.Options = append(aq.Options, store.Option{Label: store.Text{"en": fmt.Sprintf("option %d", k)}})
		}
		a.Questions = append(a.Questions, aq)
		for _, f := range q.Forecasts {
			a.Forecasts = append(a.Forecasts, store.ArchiveForecast{Username: fmt.Sprintf("sim%d", f.User), QuestionSlug: slug,
				Probabilities: f.Probs, CreatedAt: stamp(f.At)})
		}
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// `signpost score -aggregates` reproduces from an archive the aggregates
// board the server serves: every aggregate's Brier, relative and interval
// on a synthetic tournament long enough to weigh skills and fit d.
func TestScoreAggregatesReproducesTheServer(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "sim.json")
	if err := os.WriteFile(file, simArchive(t, scoring.SimOptions{Seed: 11, Forecasters: 12, Questions: 40, Days: 6, Stride: 1},
		"extremized"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "src.db")
	getenv := func(k string) string { return map[string]string{"SIGNPOST_DB": src, "SIGNPOST_BCRYPT_COST": "4"}[k] }
	if err := run(context.Background(), []string{"import", file}, getenv, nil, io.Discard, io.Discard); err != nil {
		t.Fatalf("import: %v", err)
	}
	base, stop := bootServer(t, src, nil)
	var served, offline struct {
		Default     string  `json:"default"`
		Recommended *string `json:"recommended"`
		Aggregates  []struct {
			Name      string     `json:"name"`
			Brier     float64    `json:"brier"`
			Relative  float64    `json:"relative"`
			Questions int        `json:"questions"`
			Interval  [2]float64 `json:"interval"`
		} `json:"aggregates"`
	}
	if code := call(t, "GET", base+"/api/v1/tournaments/sim/aggregates", "", nil, &served); code != 200 {
		t.Fatalf("aggregates = %d", code)
	}
	stop()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"score", "-aggregates", "-json", file}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatalf("score -aggregates: %v", err)
	}
	if err := json.Unmarshal(out.Bytes(), &offline); err != nil {
		t.Fatal(err)
	}
	if served.Default != "extremized" || offline.Default != served.Default || (served.Recommended == nil) != (offline.Recommended == nil) ||
		len(served.Aggregates) != len(scoring.Aggregates) || len(offline.Aggregates) != len(served.Aggregates) {
		t.Fatalf("offline %+v; served %+v", offline, served)
	}
	// User IDs differ between the two databases, and so the order of a
	// day's sums: equal to rounding.
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-12 }
	for i, s := range served.Aggregates {
		o := offline.Aggregates[i]
		if o.Name != s.Name || o.Questions != 40 || s.Questions != 40 || !near(o.Brier, s.Brier) || !near(o.Relative, s.Relative) ||
			!near(o.Interval[0], s.Interval[0]) || !near(o.Interval[1], s.Interval[1]) {
			t.Errorf("aggregate %d: offline %+v; served %+v", i, o, s)
		}
	}
	out.Reset()
	if err := run(context.Background(), []string{"score", "-aggregates", file}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatalf("score -aggregates: %v", err)
	}
	if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 2+len(scoring.Aggregates) ||
		!strings.HasPrefix(lines[1], "median ") || !strings.HasPrefix(lines[len(lines)-1], "crowd: extremized; recommended: ") {
		t.Errorf("score -aggregates printed:\n%s", out.String())
	}
}
