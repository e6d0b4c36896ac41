package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBackupUnderLoadRestores: a backup taken while forecasts pour in
// restores to a database whose leaderboard is the live one; restore refuses
// a database a server is using.
func TestBackupUnderLoadRestores(t *testing.T) {
	dir := t.TempDir()
	live, bak, restored := filepath.Join(dir, "live.db"), filepath.Join(dir, "backup.db"), filepath.Join(dir, "restored.db")
	env := map[string]string{"SIGNPOST_ADMIN_USERNAME": "admin", "SIGNPOST_ADMIN_PASSWORD": "admin-password",
		"SIGNPOST_REGISTER_RATE": "0"}
	base, stop := bootServer(t, live, env)
	var admin authAnswer
	call(t, "POST", base+"/api/v1/auth/login", "", map[string]string{"username": "admin", "password": "admin-password"}, &admin)
	binary := openBinaries(t, base, 2)
	resolved, loaded := binary[0], binary[1]
	var tokens []string
	for i := range 5 {
		var a authAnswer
		name := "backup" + string(rune('a'+i))
		call(t, "POST", base+"/api/v1/auth/register", "", map[string]string{"username": name, "password": "password-" + name}, &a)
		tokens = append(tokens, a.Token)
		if st := call(t, "POST", base+qp(resolved, "/forecasts"), a.Token, map[string]float64{"probability": 0.1 + 0.2*float64(i)}, nil); st != 201 {
			t.Fatalf("forecast = %d", st)
		}
	}
	at := time.Now().UTC().Add(-time.Second).Format(time.RFC3339Nano)
	if st := call(t, "POST", base+qp(resolved, "/resolve"), admin.Token, map[string]any{"outcome": 0, "resolved_at": at}, nil); st != 200 {
		t.Fatalf("resolve = %d", st)
	}
	board := func(base string) any {
		var b any
		call(t, "GET", base+"/api/v1/tournaments/ai-scenarios-2027/leaderboard", "", nil, &b)
		return b
	}
	want := board(base)

	// Forecasts on another question keep the writer busy during the backup.
	var posted atomic.Int64
	quit := make(chan struct{})
	var wg sync.WaitGroup
	for _, tok := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-quit:
					return
				default:
				}
				req, _ := http.NewRequest("POST", base+qp(loaded, "/forecasts"), strings.NewReader(`{"probability":0.5}`))
				req.Header.Set("Authorization", "Bearer "+tok)
				if resp, err := http.DefaultClient.Do(req); err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode == 201 {
						posted.Add(1)
					}
				}
			}
		}()
	}
	time.Sleep(200 * time.Millisecond)
	getenv := func(string) string { return "" }
	if err := run(context.Background(), []string{"backup", "--db", live, "--to", bak}, getenv, nil, io.Discard, io.Discard); err != nil {
		t.Fatalf("backup under load: %v", err)
	}
	time.Sleep(100 * time.Millisecond)
	close(quit)
	wg.Wait()
	// The load's keep-alive connections end here, not in the server's
	// shutdown.
	http.DefaultClient.CloseIdleConnections()
	if posted.Load() == 0 {
		t.Fatal("no forecasts were posted during the backup")
	}
	err := run(context.Background(), []string{"restore", "--db", live, "--from", bak}, getenv, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("restore over a running server's database = %v; want refused as in use", err)
	}
	stop()
	if err := run(context.Background(), []string{"restore", "--db", restored, "--from", bak}, getenv, nil, io.Discard, io.Discard); err != nil {
		t.Fatalf("restore: %v", err)
	}
	base2, _ := bootServer(t, restored, env)
	if got := board(base2); !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Fatalf("restored leaderboard\n%s\nwant\n%s", g, w)
	}
}

func qp(id int64, rest string) string {
	return "/api/v1/questions/" + itoa(id) + rest
}
