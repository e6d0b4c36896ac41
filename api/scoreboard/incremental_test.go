package scoreboard

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"signpost/store"
	"signpost/store/storetest"
)

// incrWorld is a small live tournament driven by random admin actions.
type incrWorld struct {
	t       *testing.T
	ctx     context.Context
	st      *store.Store
	r       *rand.Rand
	admin   int64
	tid     int64
	slug    string
	qs      []store.Question
	users   []string         // usernames, index = creation order
	ids     map[string]int64 // username -> ID
	teamOf  map[int64]int64  // user -> team, for the users in one
	invites map[int64]string // team -> invite code
	now     time.Time
	step    int
}

var incrOpens = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// TestIncrementalBoardsEqualFullRecompute drives a tournament through a
// seeded random sequence of resolutions, corrections, annulments, team
// creations, joins and leaves, and imports of forecasts (some with new
// users and teams), and after every step wants the leaderboards served
// through the board cache, which rescores only what changed, to equal a
// recompute from every forecast, bit for bit.
func TestIncrementalBoardsEqualFullRecompute(t *testing.T) {
	w := newIncrWorld(t, 14)
	bc := New(w.st, slog.Default())
	w.check(bc)
	counts := map[string]int{}
	for w.step = 1; w.step <= 300; w.step++ {
		op := w.randomStep()
		counts[op]++
		rescored, teams := bc.rescored.Load(), bc.teamRescored.Load()
		w.check(bc)
		switch op {
		case "join", "leave", "create team":
			if bc.rescored.Load() != rescored {
				t.Fatalf("step %d (%s): %d questions rescored from all their forecasts; want 0",
					w.step, op, bc.rescored.Load()-rescored)
			}
			if bc.teamRescored.Load() == teams {
				t.Fatalf("step %d (%s): no team rescored", w.step, op)
			}
		case "resolve", "annul":
			if d := bc.rescored.Load() - rescored; d > 1 {
				t.Fatalf("step %d (%s): %d questions rescored; want at most 1", w.step, op, d)
			}
		}
	}
	for _, op := range []string{"resolve", "annul", "join", "leave", "create team", "import"} {
		if counts[op] == 0 {
			t.Errorf("no %q step in the sequence (%v)", op, counts)
		}
	}
	t.Logf("steps %v; questions rescored %d, team-only rescores %d", counts, bc.rescored.Load(), bc.teamRescored.Load())
}

func newIncrWorld(t *testing.T, seed uint64) *incrWorld {
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.Address(t, "incr.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	admin, err := st.CreateUser(ctx, store.User{Username: "admin", DisplayName: "A", Role: store.RoleAdmin, PasswordHash: "!"})
	if err != nil {
		t.Fatal(err)
	}
	w := &incrWorld{t: t, ctx: ctx, st: st, r: rand.New(rand.NewPCG(seed, 14)), admin: admin.ID, slug: "incr",
		ids: map[string]int64{}, teamOf: map[int64]int64{}, invites: map[int64]string{},
		now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	a := w.archive(20)
	kinds := []string{"binary", "multiple_choice", "ordered", "binary", "multiple_choice"}
	for i, k := range kinds {
		var opts []store.Option
		if k != "binary" {
			opts = []store.Option{{Label: store.Text{"en": "A"}}, {Label: store.Text{"en": "B"}}, {Label: store.Text{"en": "C"}}}
		}
		outcome := i % 2
		a.Questions = append(a.Questions, store.ArchiveQuestion{Slug: fmt.Sprintf("q%d", i), Kind: k,
			Title: store.Text{"en": "Q"}, Criteria: store.Text{"en": "c"}, Options: opts,
			OpensAt: "2025-01-01T00:00:00Z", ClosesAt: "2025-03-01T00:00:00Z",
			Resolution: &store.ArchiveResolution{Outcome: &outcome, ResolvedAt: "2025-03-01T00:00:00Z"}})
	}
	for i := range 4 {
		a.Teams = append(a.Teams, store.ArchiveTeam{Name: fmt.Sprintf("team%d", i),
			Members: []string{w.users[3*i], w.users[3*i+1], w.users[3*i+2]}})
	}
	a.Forecasts = w.forecasts(300)
	w.load(a)
	return w
}

// archive starts an import document adding n users.
func (w *incrWorld) archive(n int) store.Archive {
	a := store.Archive{Format: store.ArchiveFormat, Tournament: store.ArchiveTournament{Slug: w.slug,
		Title: store.Text{"en": "Incremental"}, StartsAt: "2025-01-01T00:00:00Z", EndsAt: "2026-12-31T00:00:00Z"},
		Teams: []store.ArchiveTeam{}}
	for range n {
		name := fmt.Sprintf("user%d", len(w.users))
		w.users = append(w.users, name)
		a.Users = append(a.Users, store.ArchiveUser{Username: name, DisplayName: "U"})
	}
	return a
}

// forecasts draws n forecasts by random users on random questions, at
// random instants of the windows (some after a resolution: never scored).
func (w *incrWorld) forecasts(n int) []store.ArchiveForecast {
	var out []store.ArchiveForecast
	for range n {
		qi := w.r.IntN(5)
		k := 3
		if qi%3 == 0 {
			k = 2
		}
		ps := make([]float64, k)
		left := 1.0
		for j := range k - 1 {
			ps[j] = float64(w.r.IntN(int(left*100)+1)) / 100
			left -= ps[j]
		}
		ps[k-1] = left
		at := incrOpens.Add(time.Duration(w.r.Int64N(int64(59 * 24 * time.Hour))))
		out = append(out, store.ArchiveForecast{Username: w.users[w.r.IntN(len(w.users))],
			QuestionSlug: fmt.Sprintf("q%d", qi), Probabilities: ps, CreatedAt: at.Format(time.RFC3339Nano)})
	}
	return out
}

// load imports a and refreshes what the world knows of the tournament.
func (w *incrWorld) load(a store.Archive) {
	w.t.Helper()
	if _, err := w.st.Import(w.ctx, a, w.now, w.admin, func(string) (string, error) { return "!", nil }); err != nil {
		w.t.Fatalf("step %d: import: %v", w.step, err)
	}
	id, _, err := w.st.TournamentVersion(w.ctx, w.slug)
	if err != nil {
		w.t.Fatal(err)
	}
	w.tid = id
	if w.qs, err = w.st.ListQuestions(w.ctx, id); err != nil {
		w.t.Fatal(err)
	}
	for _, name := range w.users {
		if _, ok := w.ids[name]; !ok {
			u, err := w.st.FindUserByUsername(w.ctx, name)
			if err != nil {
				w.t.Fatal(err)
			}
			w.ids[name] = u.ID
		}
	}
	w.readTeams()
}

func (w *incrWorld) readTeams() {
	teams, err := w.st.TournamentTeams(w.ctx, w.tid)
	if err != nil {
		w.t.Fatal(err)
	}
	clear(w.teamOf)
	for _, tm := range teams {
		w.invites[tm.ID] = tm.InviteCode
		for _, u := range tm.Members {
			w.teamOf[u] = tm.ID
		}
	}
}

// randomStep applies one random change and names it.
func (w *incrWorld) randomStep() string {
	switch x := w.r.IntN(20); {
	case x < 6:
		return w.resolve()
	case x < 7:
		if w.scoredCount() > 2 {
			return w.annul()
		}
		return w.resolve()
	case x < 11:
		return w.join()
	case x < 14:
		return w.leave()
	case x < 16:
		return w.createTeam()
	default:
		return w.importSome()
	}
}

func (w *incrWorld) scoredCount() int {
	n := 0
	for _, q := range w.qs {
		if !q.Annulled {
			n++
		}
	}
	return n
}

func (w *incrWorld) resolve() string {
	i := w.r.IntN(len(w.qs))
	for w.qs[i].Annulled {
		i = w.r.IntN(len(w.qs))
	}
	q := w.qs[i]
	at := q.OpensAt.Add(time.Duration(w.r.Int64N(int64(q.ClosesAt.Sub(q.OpensAt) + 5*24*time.Hour))))
	got, err := w.st.ResolveQuestion(w.ctx, q.ID, store.Resolution{Outcome: w.r.IntN(len(q.Options)), ResolvedAt: at}, w.admin)
	if err != nil {
		w.t.Fatalf("step %d: resolve: %v", w.step, err)
	}
	w.qs[i] = got
	return "resolve"
}

func (w *incrWorld) annul() string {
	i := w.r.IntN(len(w.qs))
	for w.qs[i].Annulled {
		i = w.r.IntN(len(w.qs))
	}
	got, err := w.st.AnnulQuestion(w.ctx, w.qs[i].ID, "test", w.admin)
	if err != nil {
		w.t.Fatalf("step %d: annul: %v", w.step, err)
	}
	w.qs[i] = got
	return "annul"
}

// randomUser returns a user in a team (inTeam) or not, if there is one.
func (w *incrWorld) randomUser(inTeam bool) (int64, bool) {
	for range 50 {
		id := w.ids[w.users[w.r.IntN(len(w.users))]]
		if _, ok := w.teamOf[id]; ok == inTeam {
			return id, true
		}
	}
	return 0, false
}

func (w *incrWorld) join() string {
	u, ok := w.randomUser(false)
	if !ok || len(w.invites) == 0 {
		return w.leave()
	}
	codes := make([]string, 0, len(w.invites))
	for _, c := range w.invites {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	if _, err := w.st.JoinTeam(w.ctx, w.tid, codes[w.r.IntN(len(codes))], u); err != nil {
		w.t.Fatalf("step %d: join: %v", w.step, err)
	}
	w.readTeams()
	return "join"
}

func (w *incrWorld) leave() string {
	u, ok := w.randomUser(true)
	if !ok {
		return w.createTeam()
	}
	if err := w.st.LeaveTeam(w.ctx, w.tid, u); err != nil {
		w.t.Fatalf("step %d: leave: %v", w.step, err)
	}
	w.readTeams()
	return "leave"
}

func (w *incrWorld) createTeam() string {
	u, ok := w.randomUser(false)
	if !ok {
		return w.leave()
	}
	if _, err := w.st.CreateTeam(w.ctx, w.tid, fmt.Sprintf("late%d", w.step), u); err != nil {
		w.t.Fatalf("step %d: create team: %v", w.step, err)
	}
	w.readTeams()
	return "create team"
}

// importSome imports a few forecasts, now and then with a new user or a
// new team of new users.
func (w *incrWorld) importSome() string {
	a := w.archive(w.r.IntN(3))
	if len(a.Users) == 2 && w.r.IntN(2) == 0 {
		a.Teams = append(a.Teams, store.ArchiveTeam{Name: fmt.Sprintf("imported%d", w.step),
			Members: []string{a.Users[0].Username, a.Users[1].Username}})
	}
	a.Forecasts = w.forecasts(1 + w.r.IntN(20))
	w.load(a)
	return "import"
}

// check compares the boards built through the cache with a full recompute.
func (w *incrWorld) check(bc *Scoreboard) {
	w.t.Helper()
	want, err := w.st.Leaderboards(w.ctx, w.tid, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	got, err := w.st.Leaderboards(w.ctx, w.tid, bc.Result)
	if err != nil {
		w.t.Fatalf("step %d: %v", w.step, err)
	}
	if !reflect.DeepEqual(got, want) {
		w.t.Fatalf("step %d: incremental boards differ from a full recompute:\n got users %+v\n     teams %+v\nwant users %+v\n     teams %+v",
			w.step, got.Users, got.Teams, want.Users, want.Teams)
	}
}
