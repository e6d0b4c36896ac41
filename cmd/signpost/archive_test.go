package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"signpost/store"
)

// TestExportImportScoreCommands: export from one database, import into
// another, and score the archive offline; all three agree.
func TestExportImportScoreCommands(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	vars := map[string]string{"SIGNPOST_ADMIN_USERNAME": "root", "SIGNPOST_ADMIN_PASSWORD": "admin-password"}
	base, stop := bootServer(t, src, vars)
	var admin, ann, ben authAnswer
	call(t, "POST", base+"/api/v1/auth/login", "", map[string]string{"username": "root", "password": "admin-password"}, &admin)
	call(t, "POST", base+"/api/v1/auth/register", "", map[string]string{"username": "ann", "password": "password-ann"}, &ann)
	call(t, "POST", base+"/api/v1/auth/register", "", map[string]string{"username": "ben", "password": "password-ben"}, &ben)
	call(t, "POST", base+"/api/v1/questions/2/forecasts", ann.Token, map[string]any{"probability": 0.9}, nil)
	call(t, "POST", base+"/api/v1/questions/2/forecasts", ben.Token, map[string]any{"probability": 0.2}, nil)
	if code := call(t, "POST", base+"/api/v1/questions/2/resolve", admin.Token, map[string]any{"outcome": 0}, nil); code != 200 {
		t.Fatalf("resolve = %d", code)
	}
	resp := call(t, "GET", base+"/api/v1/tournaments/ai-scenarios-2027/leaderboard", "", nil, nil)
	if resp != 200 {
		t.Fatalf("leaderboard = %d", resp)
	}
	stop()

	getenv := func(db string) env {
		return func(k string) string { return map[string]string{"SIGNPOST_DB": db, "SIGNPOST_BCRYPT_COST": "4"}[k] }
	}
	var archive bytes.Buffer
	if err := run(context.Background(), []string{"export", "--tournament", "ai-scenarios-2027"}, getenv(src), nil, &archive, io.Discard); err != nil {
		t.Fatalf("export: %v", err)
	}
	file := filepath.Join(dir, "archive.json")
	if err := os.WriteFile(file, archive.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"score", file}, getenv(""), nil, &out, io.Discard); err != nil {
		t.Fatalf("score: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "ann") || !strings.HasPrefix(lines[1], "1 ") || !strings.Contains(lines[2], "ben") {
		t.Fatalf("score printed:\n%s\nwant ann first, then ben", out.String())
	}
	dst := filepath.Join(dir, "dst.db")
	out.Reset()
	var progress bytes.Buffer
	if err := run(context.Background(), []string{"import", file}, getenv(dst), nil, &out, &progress); err != nil {
		t.Fatalf("import: %v", err)
	}
	if !strings.Contains(out.String(), "2 users") || !strings.Contains(out.String(), "2 forecasts") {
		t.Fatalf("import said %q", out.String())
	}
	if want := "import: 2 forecasts read and checked\nimport: 2 forecasts published\nimport: saving the crowds for the next start\n"; progress.String() != want {
		t.Fatalf("import progress on stderr = %q; want %q", progress.String(), want)
	}
	// The import saved the crowds, so the next start restores them rather
	// than reading every question's forecasts.
	imported, err := store.Open(context.Background(), dst, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snaps, err := imported.CrowdSnapshots(context.Background())
	imported.Close()
	saved := map[int64]int{}
	two := false
	for _, sn := range snaps {
		saved[sn.QuestionID] = len(sn.Latest)
		two = two || len(sn.Latest) == 2
	}
	if err != nil || !two {
		t.Fatalf("crowds saved by the import, forecasters by question: %v (%v); want the crowd of ann and ben", saved, err)
	}
	// A broken archive is rejected with the element named, nothing stored.
	bad := strings.Replace(archive.String(), `"probabilities":[0.9,`, `"probabilities":[1.9,`, 1)
	badFile := filepath.Join(dir, "bad.json")
	os.WriteFile(badFile, []byte(bad), 0o644)
	err = run(context.Background(), []string{"import", badFile}, getenv(filepath.Join(dir, "other.db")), nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "forecasts[") {
		t.Fatalf("bad import = %v; want an error naming the forecast", err)
	}
}
