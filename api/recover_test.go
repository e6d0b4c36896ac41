package api

import (
	"bytes"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestPanicAnswers500 proves a panicking handler costs one request a 500,
// logged with its request ID, and not the process: without recovery the
// panic ends this test binary.
func TestPanicAnswers500(t *testing.T) {
	logs := &lockedBuffer{}
	e := newTestEnv(t)
	// A server of its own, never listening: fiber's route table may not
	// change under a running listener.
	srv := New(Config{Store: e.st, Now: e.clock.now, Secret: e.secret, Log: slog.New(slog.NewTextHandler(logs, nil))})
	srv.App().Get("/panicking", func(*fiber.Ctx) error { panic("handler bug") })
	resp, err := srv.App().Test(httptest.NewRequest("GET", "/panicking", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	id := resp.Header.Get("X-Request-ID")
	if resp.StatusCode != 500 || !strings.Contains(string(body), `"internal"`) || strings.Contains(string(body), "handler bug") {
		t.Fatalf("panicking handler: %d %s; want 500 with the fixed internal message", resp.StatusCode, body)
	}
	if id == "" || !strings.Contains(logs.String(), id) || !strings.Contains(logs.String(), "handler bug") {
		t.Fatalf("log %q lacks the panic and request ID %q", logs.String(), id)
	}
	// The server still answers.
	resp, err = srv.App().Test(httptest.NewRequest("GET", "/api/v1/tournaments", nil), -1)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("after the panic: %v %v; want 200", resp, err)
	}
}
