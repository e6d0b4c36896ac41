package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"signpost/api/webhook"
	"signpost/store"
	"signpost/store/storetest"
)

// clock is the injectable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// testEnv is a real server on a real SQLite file (or a PostgreSQL schema
// of its own when SIGNPOST_TEST_POSTGRES_DSN is set), served over real HTTP on
// 127.0.0.1 with an injectable clock.
type testEnv struct {
	t      *testing.T
	st     *store.Store
	srv    *Server
	clock  *clock
	base   string
	secret []byte
	admin  string // an admin's token
	hooks  *webhook.Worker
}

var testStart = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func newTestEnv(t *testing.T, tweak ...func(*Config)) *testEnv {
	t.Helper()
	ctx := context.Background()
	// The store runs on the server's clock, as in production.
	clk := &clock{t: testStart}
	st, err := store.Open(ctx, storetest.Address(t, "test.db"), store.Options{Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, st: st, clock: clk, secret: []byte("test-secret-0123456789")}
	cfg := Config{Store: st, Now: e.clock.now, Secret: e.secret, BcryptCost: 4,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, f := range tweak {
		f(&cfg)
	}
	e.srv = New(cfg)
	e.useHooks(webhook.Config{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.srv.App().Listener(ln)
	e.base = "http://" + ln.Addr().String()
	t.Cleanup(func() {
		e.srv.App().Shutdown()
		st.Close()
	})
	u, err := store.NewAccount("admin", "admin-password", "The Admin", store.RoleAdmin, 4)
	if err != nil {
		t.Fatal(err)
	}
	u, err = st.CreateUser(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	e.admin = e.token(u)
	return e
}

func (e *testEnv) token(u store.User) string {
	e.t.Helper()
	tok, _, err := e.srv.issueToken(u)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	raw    []byte
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.raw, v); err != nil {
		t.Fatalf("status %d body %q: %v", r.status, r.raw, err)
	}
}

func (r response) errorCode() (code, field string) {
	var b errorBody
	_ = json.Unmarshal(r.raw, &b)
	return b.Error.Code, b.Error.Field
}

// do sends a request; body may be a string (sent as is) or a value (JSON).
func (e *testEnv) do(method, path, token string, body any) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.base+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	e.checkContract(method, path, resp, raw)
	return response{status: resp.StatusCode, header: resp.Header, raw: raw}
}

// checkContract holds every answer to the served OpenAPI document.
func (e *testEnv) checkContract(method, path string, resp *http.Response, raw []byte) {
	e.t.Helper()
	ct, err := loadContract(e.base)
	if err != nil {
		e.t.Fatalf("loading the OpenAPI document: %v", err)
	}
	if err := ct.check(method, path, resp.StatusCode, resp.Header, raw); err != nil {
		e.t.Errorf("contract: %v", err)
	}
}

// must sends a request and fails the test unless the status is want.
func (e *testEnv) must(want int, method, path, token string, body any, out any) response {
	e.t.Helper()
	r := e.do(method, path, token, body)
	if r.status != want {
		e.t.Fatalf("%s %s = %d %s; want %d", method, path, r.status, r.raw, want)
	}
	if out != nil {
		r.decode(e.t, out)
	}
	return r
}

// register creates a forecaster and returns their token and ID.
func (e *testEnv) register(name string) (string, int64) {
	e.t.Helper()
	var a authResponse
	e.must(201, "POST", "/api/v1/auth/register", "", map[string]string{"username": name, "password": "password-" + name}, &a)
	return a.Token, a.User.ID
}

// questionIDs maps the default tournament's question slugs to IDs.
func (e *testEnv) questionIDs() map[string]int64 {
	e.t.Helper()
	var td tournamentDetailDTO
	e.must(200, "GET", "/api/v1/tournaments/ai-scenarios-2027", "", nil, &td)
	ids := make(map[string]int64)
	for _, q := range td.Questions {
		ids[q.Slug] = q.ID
	}
	return ids
}

func qpath(id int64, rest string) string {
	return "/api/v1/questions/" + strconv.FormatInt(id, 10) + rest
}

// scenario is one row of a handler table.
type scenario struct {
	name      string
	method    string
	path      string
	token     string
	body      any
	status    int
	code      string // error code, when status >= 400
	field     string // error field, when set
	checkBody func(t *testing.T, r response)
}

func (e *testEnv) runScenarios(t *testing.T, rows []scenario) {
	t.Helper()
	for _, sc := range rows {
		t.Run(sc.name, func(t *testing.T) {
			r := e.do(sc.method, sc.path, sc.token, sc.body)
			if r.status != sc.status {
				t.Fatalf("%s %s = %d %s; want %d", sc.method, sc.path, r.status, r.raw, sc.status)
			}
			if sc.code != "" || sc.field != "" {
				code, field := r.errorCode()
				if code != sc.code || field != sc.field {
					t.Fatalf("error = (%q, %q) in %s; want (%q, %q)", code, field, r.raw, sc.code, sc.field)
				}
			}
			if sc.checkBody != nil {
				sc.checkBody(t, r)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
