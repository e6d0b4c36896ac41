package scoreboard

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"testing"
	"time"

	"signpost/store"
)

// TestBoardCosts times what a leaderboard costs on a database that
// signpost-bench -keep left behind (SIGNPOST_BOARD_COSTS_DB=path/bench.db;
// skipped without it): the raw read of every scored question's forecasts,
// the cold build, and the next read after a resolution correction, a team
// change and an import of 10,000 forecasts. Wall and CPU time per phase;
// SIGNPOST_BOARD_COSTS_PROFILE=prefix writes a CPU profile per phase. It
// changes the database.
func TestBoardCosts(t *testing.T) {
	path := os.Getenv("SIGNPOST_BOARD_COSTS_DB")
	if path == "" {
		t.Skip("SIGNPOST_BOARD_COSTS_DB is not set")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	tid, _, err := st.TournamentVersion(ctx, "bench")
	if err != nil {
		t.Fatal(err)
	}
	qs, err := st.ListQuestions(ctx, tid)
	if err != nil {
		t.Fatal(err)
	}
	var scored []store.Question
	for _, q := range qs {
		if q.Scored() {
			scored = append(scored, q)
		}
	}
	admin, err := st.FindUserByUsername(ctx, "bench-admin")
	if err != nil {
		t.Fatal(err)
	}
	bc := New(st, slog.Default())
	get := func() {
		_, version, err := st.TournamentVersion(ctx, "bench")
		if err == nil {
			_, err = bc.Boards(ctx, tid, version)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	phase := func(name string, f func()) {
		if prefix := os.Getenv("SIGNPOST_BOARD_COSTS_PROFILE"); prefix != "" {
			out, err := os.Create(prefix + "-" + name + ".pprof")
			if err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			if err := pprof.StartCPUProfile(out); err != nil {
				t.Fatal(err)
			}
			defer pprof.StopCPUProfile()
		}
		c0, w0 := cpuNow(), time.Now()
		f()
		fmt.Printf("%-28s wall %7.0f ms  cpu %7.0f ms\n", name, ms(time.Since(w0)), ms(cpuNow()-c0))
	}
	phase("raw read (first)", func() {
		for _, q := range scored {
			if _, err := st.ScoringForecasts(ctx, q.ID); err != nil {
				t.Fatal(err)
			}
		}
	})
	phase("raw read", func() {
		for _, q := range scored {
			if _, err := st.ScoringForecasts(ctx, q.ID); err != nil {
				t.Fatal(err)
			}
		}
	})
	runtime.GC()
	phase("cold leaderboard", get)
	phase("warm leaderboard", get)
	for i := range 2 {
		q := scored[i*len(scored)/2]
		phase("resolution correction", func() {
			got, err := st.ResolveQuestion(ctx, q.ID, store.Resolution{Outcome: (q.Resolution.Outcome + 1) % len(q.Options),
				ResolvedAt: q.Resolution.ResolvedAt}, admin.ID)
			if err != nil {
				t.Fatal(err)
			}
			scored[i*len(scored)/2] = got
			get()
		})
	}
	teams, err := st.TournamentTeams(ctx, tid)
	if err != nil {
		t.Fatal(err)
	}
	phase("team change", func() {
		m := teams[0].Members[0]
		if err := st.LeaveTeam(ctx, tid, m); err != nil {
			t.Fatal(err)
		}
		if _, err := st.JoinTeam(ctx, tid, teams[1].InviteCode, m); err != nil {
			t.Fatal(err)
		}
		get()
	})
	phase("import 10k (open questions)", func() {
		a := store.Archive{Format: store.ArchiveFormat, Tournament: store.ArchiveTournament{Slug: "bench",
			Title: store.Text{"en": "bench"}, StartsAt: "2020-01-01T00:00:00Z", EndsAt: "2030-01-01T00:00:00Z"}}
		now := time.Now().UTC()
		for i := range 10_000 {
			var q *store.Question
			for j := range qs {
				if !qs[(i+j)%len(qs)].Scored() {
					q = &qs[(i+j)%len(qs)]
					break
				}
			}
			p := float64(i%97) / 100
			probs := []float64{p, 1 - p}
			for len(probs) < len(q.Options) {
				probs[len(probs)-1] /= 2
				probs = append(probs, probs[len(probs)-1])
			}
			a.Forecasts = append(a.Forecasts, store.ArchiveForecast{Username: fmt.Sprintf("bench-u%06d", 1+i%100),
				QuestionSlug: q.Slug, Probabilities: probs, CreatedAt: now.Add(-time.Duration(i) * time.Millisecond).Format(time.RFC3339Nano)})
		}
		if _, err := st.Import(ctx, a, now, admin.ID, func(string) (string, error) { return "!", nil }); err != nil {
			t.Fatal(err)
		}
		get()
	})
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("heap in use %.0f MB, peak RSS %s, %d questions rescored, %d from their tallies, %d team-only\n", float64(ms.HeapInuse)/1e6,
		peakRSS(), bc.rescored.Load(), bc.tallied.Load(), bc.teamRescored.Load())
}

func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// peakRSS reads the process's peak resident memory (Linux), or "?".
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}
