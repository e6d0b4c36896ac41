package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"signpost/store"
)

// lockTestArchive is an archive of n forecasts on a new tournament,
// encoded forecasts last (as Export writes it).
func lockTestArchive(t *testing.T, slug string, n int) []byte {
	t.Helper()
	a := store.Archive{Format: store.ArchiveFormat, Tournament: store.ArchiveTournament{Slug: slug,
		Title: store.Text{"en": "Lock test"}, StartsAt: "2025-01-01T00:00:00Z", EndsAt: "2026-12-31T00:00:00Z"},
		Teams: []store.ArchiveTeam{}}
	for q := range 4 {
		a.Questions = append(a.Questions, store.ArchiveQuestion{Slug: fmt.Sprintf("q%d", q), Kind: "binary",
			Title: store.Text{"en": "Q"}, Criteria: store.Text{"en": "c"},
			Options: []store.Option{{Label: store.Text{"en": "Yes"}}, {Label: store.Text{"en": "No"}}},
			OpensAt: "2025-01-01T00:00:00Z", ClosesAt: "2026-06-01T00:00:00Z"})
	}
	const users = 50
	for u := range users {
		a.Users = append(a.Users, store.ArchiveUser{Username: fmt.Sprintf("user%d", u), DisplayName: "U"})
	}
	start := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	for i := range n {
		p := float64(i%99+1) / 100
		a.Forecasts = append(a.Forecasts, store.ArchiveForecast{Username: fmt.Sprintf("user%d", i%users),
			QuestionSlug: fmt.Sprintf("q%d", (i/users)%4), Probabilities: []float64{p, 1 - p},
			CreatedAt: start.Add(time.Duration(i) * time.Second).Format(time.RFC3339Nano)})
	}
	doc, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// pendingImports counts the imports staging or publishing in db, read
// beside whoever serves it.
func pendingImports(t *testing.T, db string) int64 {
	t.Helper()
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := st.PendingImports(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCommandsBesideAServerLeaveItsImportAlone: `signpost export`, run
// while the server is in the middle of staging an import, exports beside
// it without recovering anything (it used to drop the running import,
// which then failed with 500), and `signpost migrate` and `signpost
// import` refuse, saying the database is in use.
func TestCommandsBesideAServerLeaveItsImportAlone(t *testing.T) {
	db := filepath.Join(t.TempDir(), "signpost.db")
	env := map[string]string{"SIGNPOST_ADMIN_USERNAME": "admin", "SIGNPOST_ADMIN_PASSWORD": "admin-password"}
	base, _ := bootServer(t, db, env)
	var admin authAnswer
	call(t, "POST", base+"/api/v1/auth/login", "", map[string]string{"username": "admin", "password": "admin-password"}, &admin)

	const n = 3000
	doc := lockTestArchive(t, "beside", n)
	half := strings.Index(string(doc), `"forecasts":[`) + len(doc[strings.Index(string(doc), `"forecasts":[`):])/2
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.CloseWithError(errors.New("the test ended")) })
	type answer struct {
		status int
		body   string
		err    error
	}
	answered := make(chan answer, 1)
	go func() {
		req, _ := http.NewRequest("POST", base+"/api/v1/admin/import", pr)
		req.Header.Set("Authorization", "Bearer "+admin.Token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- answer{err: err}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answered <- answer{status: resp.StatusCode, body: string(b)}
	}()
	if _, err := pw.Write(doc[:half]); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for pendingImports(t, db) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the import never started staging")
		}
		time.Sleep(20 * time.Millisecond)
	}

	vars := map[string]string{"SIGNPOST_DB": db}
	getenv := func(k string) string { return vars[k] }
	var exported strings.Builder
	if err := run(context.Background(), []string{"export"}, getenv, nil, &exported, io.Discard); err != nil {
		t.Fatalf("export beside a server: %v", err)
	}
	if !strings.Contains(exported.String(), store.DefaultTournamentSlug) {
		t.Fatalf("export wrote %.200q; want the default tournament", exported.String())
	}
	for _, args := range [][]string{{"migrate"}, {"import", filepath.Join(t.TempDir(), "any.json")}} {
		err := run(context.Background(), args, getenv, nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "in use by another signpost process") {
			t.Errorf("%s beside a server = %v; want a refusal saying the database is in use", args[0], err)
		}
	}
	if got := pendingImports(t, db); got != 1 {
		t.Fatalf("%d imports pending after the commands; want the server's one", got)
	}

	if _, err := pw.Write(doc[half:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	a := <-answered
	if a.err != nil || a.status != 200 || !strings.Contains(a.body, fmt.Sprintf(`"forecasts":%d`, n)) {
		t.Fatalf("import = %d %s (%v); want 200 with %d forecasts", a.status, a.body, a.err, n)
	}
}

// TestImportCutAfterCommitFinishesWithoutMigrating: an import killed
// (SIGKILL) while it publishes is finished by the next server even when
// that server starts with --migrate=false, as the instances of a
// multi-instance setup do; it used to stay half visible for good.
func TestImportCutAfterCommitFinishesWithoutMigrating(t *testing.T) {
	dir := t.TempDir()
	db, archive := filepath.Join(dir, "signpost.db"), filepath.Join(dir, "archive.json")
	const n = 60000
	if err := os.WriteFile(archive, lockTestArchive(t, "cut", n), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(signpostBinary(t), "import", "--db", db, archive)
	cmd.Env = append(os.Environ(), "SIGNPOST_BCRYPT_COST=4")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	killed := false
	for lines.Scan() {
		if strings.Contains(lines.Text(), "published") {
			_ = cmd.Process.Signal(syscall.SIGKILL)
			killed = true
			break
		}
	}
	_ = cmd.Wait()
	if !killed {
		t.Fatal("the import ended before publishing anything")
	}
	if got := pendingImports(t, db); got != 1 {
		t.Fatalf("%d imports pending after the kill; want 1 half published", got)
	}
	bootServer(t, db, map[string]string{"SIGNPOST_MIGRATE": "false"})
	if got := pendingImports(t, db); got != 0 {
		t.Fatalf("%d imports pending once a server started with --migrate=false; want it finished", got)
	}
	var exported strings.Builder
	vars := map[string]string{"SIGNPOST_DB": db}
	if err := run(context.Background(), []string{"export", "--tournament", "cut"},
		func(k string) string { return vars[k] }, nil, &exported, io.Discard); err != nil {
		t.Fatal(err)
	}
	var a store.Archive
	if err := json.Unmarshal([]byte(exported.String()), &a); err != nil {
		t.Fatal(err)
	}
	if len(a.Forecasts) != n {
		t.Fatalf("%d forecasts after the restart; want all %d", len(a.Forecasts), n)
	}
}
