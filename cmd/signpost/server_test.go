package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a goroutine-safe buffer for the server's output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var listening = regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)

// bootServer runs the real run() on 127.0.0.1:0 against db and returns its
// base URL and a stop function that shuts it down gracefully and waits.
func bootServer(t *testing.T, db string, env map[string]string) (string, func()) {
	t.Helper()
	vars := map[string]string{"SIGNPOST_ADDR": "127.0.0.1:0", "SIGNPOST_DB": db, "SIGNPOST_BCRYPT_COST": "4",
		"SIGNPOST_ACCESS_LOG": "false", "SIGNPOST_LOGIN_RATE": "0",
		// Test accounts are minutes old: every one counts toward the crowd minimum.
		"SIGNPOST_CROWD_ESTABLISHED": "0"}
	for k, v := range env {
		vars[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, nil, func(k string) string { return vars[k] }, strings.NewReader(""), out, errOut)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			stopped := false
			stop := func() {
				if stopped {
					return
				}
				stopped = true
				cancel()
				if err := <-done; err != nil {
					t.Errorf("server stopped with %v; stderr:\n%s", err, errOut.String())
				}
			}
			t.Cleanup(stop)
			return m[1], stop
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("server exited before listening: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errOut.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("server did not start; stdout:\n%s", out.String())
		}
	}
}

// startTestServer boots the real server with a fresh database in a temp dir
// (default tournament loaded) and returns its base URL.
func startTestServer(t *testing.T, env map[string]string) string {
	t.Helper()
	base, _ := bootServer(t, filepath.Join(t.TempDir(), "signpost.db"), env)
	return base
}

// call sends a JSON request and decodes the JSON answer into out (if not nil).
func call(t *testing.T, method, url, token string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: status %d, body %q is not JSON: %v", method, url, resp.StatusCode, raw, err)
		}
	}
	return resp.StatusCode
}

type authAnswer struct {
	Token string `json:"token"`
	User  struct {
		ID       int64  `json:"id"`
		Username string `json:"username"`
		Role     string `json:"role"`
	} `json:"user"`
}

type forecastAnswer struct {
	ID            int64     `json:"id"`
	Probabilities []float64 `json:"probabilities"`
	CreatedAt     string    `json:"created_at"`
}

// TestServeRestart drives register → login → forecast → read back over real
// HTTP, restarts the server on the same database and finds it all again,
// with the old token still valid.
func TestServeRestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "signpost.db")
	base, stop := bootServer(t, db, nil)

	if code := call(t, "GET", base+"/healthz", "", nil, nil); code != 200 {
		t.Fatalf("healthz = %d", code)
	}
	var reg, login authAnswer
	if code := call(t, "POST", base+"/api/v1/auth/register", "", map[string]string{"username": "Ada", "password": "correct horse"}, &reg); code != 201 {
		t.Fatalf("register = %d", code)
	}
	if code := call(t, "POST", base+"/api/v1/auth/login", "", map[string]string{"username": "ada", "password": "correct horse"}, &login); code != 200 {
		t.Fatalf("login = %d", code)
	}
	var tour struct {
		Questions []struct {
			ID    int64  `json:"id"`
			Slug  string `json:"slug"`
			Kind  string `json:"kind"`
			State string `json:"state"`
		} `json:"questions"`
	}
	if code := call(t, "GET", base+"/api/v1/tournaments/ai-scenarios-2027", "", nil, &tour); code != 200 || len(tour.Questions) != 18 {
		t.Fatalf("tournament = %d with %d questions; want 200 with 18", code, len(tour.Questions))
	}
	scenario, indicator := tour.Questions[0], tour.Questions[1]
	if scenario.Kind != "multiple_choice" || indicator.Kind != "binary" {
		t.Fatalf("first questions are %s and %s", scenario.Kind, indicator.Kind)
	}
	probs := []float64{0.1, 0.2, 0.30000000000000004, 0.39999999999999997}
	var f1, f2 forecastAnswer
	if code := call(t, "POST", base+"/api/v1/questions/"+itoa(scenario.ID)+"/forecasts", login.Token,
		map[string]any{"probabilities": probs, "rationale": "compute keeps growing"}, &f1); code != 201 {
		t.Fatalf("forecast = %d", code)
	}
	if code := call(t, "POST", base+"/api/v1/questions/"+itoa(indicator.ID)+"/forecasts", login.Token,
		map[string]any{"probability": 0.35}, &f2); code != 201 {
		t.Fatalf("binary forecast = %d", code)
	}
	stop()

	base, _ = bootServer(t, db, nil)
	var mine struct {
		Forecasts []forecastAnswer `json:"forecasts"`
	}
	if code := call(t, "GET", base+"/api/v1/questions/"+itoa(scenario.ID)+"/forecasts/mine", login.Token, nil, &mine); code != 200 {
		t.Fatalf("my forecasts after restart = %d (token should survive a restart)", code)
	}
	if len(mine.Forecasts) != 1 || mine.Forecasts[0].ID != f1.ID || mine.Forecasts[0].CreatedAt != f1.CreatedAt {
		t.Fatalf("after restart: %+v; want the one forecast %+v", mine.Forecasts, f1)
	}
	for i, p := range mine.Forecasts[0].Probabilities {
		if p != probs[i] {
			t.Errorf("probability %d = %v after restart; want bit-identical %v", i, p, probs[i])
		}
	}
	if code := call(t, "GET", base+"/api/v1/questions/"+itoa(indicator.ID)+"/forecasts/mine", login.Token, nil, &mine); code != 200 ||
		len(mine.Forecasts) != 1 || mine.Forecasts[0].Probabilities[0] != 0.35 || mine.Forecasts[0].Probabilities[1] != 0.65 {
		t.Fatalf("binary forecast after restart: %d %+v", code, mine.Forecasts)
	}
	var tours struct {
		Tournaments []any `json:"tournaments"`
	}
	if call(t, "GET", base+"/api/v1/tournaments", "", nil, &tours); len(tours.Tournaments) != 1 {
		t.Fatalf("%d tournaments after restart; the seed must load once", len(tours.Tournaments))
	}
}

// TestAdminFromEnvironment checks SIGNPOST_ADMIN_* create a working admin once.
func TestAdminFromEnvironment(t *testing.T) {
	db := filepath.Join(t.TempDir(), "signpost.db")
	env := map[string]string{"SIGNPOST_ADMIN_USERNAME": "root", "SIGNPOST_ADMIN_PASSWORD": "admin-password"}
	base, stop := bootServer(t, db, env)
	var login authAnswer
	if code := call(t, "POST", base+"/api/v1/auth/login", "", map[string]string{"username": "root", "password": "admin-password"}, &login); code != 200 || login.User.Role != "admin" {
		t.Fatalf("admin login = %d, role %q", code, login.User.Role)
	}
	stop()
	bootServer(t, db, env) // a second start must not fail on the existing admin
}

func TestAdminCreateCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "signpost.db")
	getenv := func(k string) string { return map[string]string{"SIGNPOST_DB": db, "SIGNPOST_BCRYPT_COST": "4"}[k] }
	var out bytes.Buffer
	err := run(context.Background(), []string{"admin", "create", "--username", "Boss"}, getenv,
		strings.NewReader("a-long-password\n"), &out, io.Discard)
	if err != nil {
		t.Fatalf("admin create: %v", err)
	}
	err = run(context.Background(), []string{"admin", "create", "--username", "boss"}, getenv,
		strings.NewReader("a-long-password\n"), &out, io.Discard)
	if err == nil {
		t.Fatal("creating the same admin twice succeeded")
	}
	err = run(context.Background(), []string{"admin", "create", "--username", "shorty"}, getenv,
		strings.NewReader("short\n"), &out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "password") {
		t.Fatalf("a short password gave %v; want a password error", err)
	}
	base := startTestServerOn(t, db)
	var login authAnswer
	if code := call(t, "POST", base+"/api/v1/auth/login", "", map[string]string{"username": "boss", "password": "a-long-password"}, &login); code != 200 || login.User.Role != "admin" {
		t.Fatalf("login as the created admin = %d, role %q", code, login.User.Role)
	}
}

func startTestServerOn(t *testing.T, db string) string {
	t.Helper()
	base, _ := bootServer(t, db, nil)
	return base
}

func TestBadConfiguration(t *testing.T) {
	cases := map[string]map[string]string{
		"bad login rate":   {"SIGNPOST_LOGIN_RATE": "ten"},
		"half an admin":    {"SIGNPOST_ADMIN_USERNAME": "root"},
		"short secret":     {"SIGNPOST_JWT_SECRET": "short"},
		"bad token ttl":    {"SIGNPOST_TOKEN_TTL": "forever"},
		"postgres for now": {"SIGNPOST_DB": "postgres://localhost/x"},
	}
	for name, vars := range cases {
		t.Run(name, func(t *testing.T) {
			vars["SIGNPOST_ADDR"] = "127.0.0.1:0"
			if vars["SIGNPOST_DB"] == "" {
				vars["SIGNPOST_DB"] = filepath.Join(t.TempDir(), "x.db")
			}
			err := run(context.Background(), nil, func(k string) string { return vars[k] }, nil, io.Discard, io.Discard)
			if err == nil {
				t.Fatal("run accepted a bad configuration")
			}
		})
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, func(string) string { return "" }, nil, &out, io.Discard); err != nil || !strings.HasPrefix(out.String(), "signpost ") {
		t.Fatalf("version: %v %q", err, out.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, nil, io.Discard, io.Discard); err == nil {
		t.Fatal("an unknown command succeeded")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestStopRightAfterStart: a shutdown that arrives before the server has
// begun serving must still stop it (it once hung here).
func TestStopRightAfterStart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "signpost.db")
	for range 50 {
		_, stop := bootServer(t, db, nil)
		done := make(chan struct{})
		go func() { stop(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatal("the server did not stop within 20 s of a shutdown right after start")
		}
	}
}

// openBinaries returns the IDs of the default tournament's first n open
// binary questions, failing the test if the seed has fewer.
func openBinaries(t *testing.T, base string, n int) []int64 {
	t.Helper()
	var tour struct {
		Questions []struct {
			ID          int64
			Kind, State string
		} `json:"questions"`
	}
	call(t, "GET", base+"/api/v1/tournaments/ai-scenarios-2027", "", nil, &tour)
	var ids []int64
	for _, q := range tour.Questions {
		if q.Kind == "binary" && q.State == "open" && len(ids) < n {
			ids = append(ids, q.ID)
		}
	}
	if len(ids) < n {
		t.Fatalf("the seed has %d open binary questions; want %d", len(ids), n)
	}
	return ids
}
