// Package mailtest starts a real SMTP server for tests (Mailpit, pinned in
// .ci/run) on loopback ports and reads what arrived through its API.
package mailtest

import (
	"encoding/json"
	"fmt"
	"go/build"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Server is a running Mailpit.
type Server struct {
	// SMTPURL is the server's address for SIGNPOST_SMTP_URL.
	SMTPURL string
	// Host and Port are its SMTP address.
	Host string
	Port int
	api  string
}

// Start runs Mailpit for the test, dropping messages whose Message-ID it
// has seen (as a receiving server deduplicates). Without mailpit installed
// the test is skipped, and fails in CI (CI=true), which must install it.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := find()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("mailpit is not installed: CI must install it (.ci/run)")
		}
		t.Skip("mailpit not installed (go install github.com/axllent/mailpit@v1.33.1): the mail test is not run")
	}
	smtpPort, httpPort := freePort(t), freePort(t)
	cmd := exec.Command(bin, "--smtp", "127.0.0.1:"+strconv.Itoa(smtpPort), "--listen", "127.0.0.1:"+strconv.Itoa(httpPort),
		"--database", filepath.Join(t.TempDir(), "mailpit.db"), "--ignore-duplicate-ids", "--quiet")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	s := &Server{Host: "127.0.0.1", Port: smtpPort, SMTPURL: fmt.Sprintf("smtp://127.0.0.1:%d", smtpPort),
		api: fmt.Sprintf("http://127.0.0.1:%d/api/v1", httpPort)}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/readyz", httpPort))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", smtpPort)); err == nil {
		c.Close()
	}
	return s
}

// find is the mailpit binary: on PATH or where go install puts it.
func find() string {
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	dirs := []string{os.Getenv("GOBIN")}
	for _, gp := range filepath.SplitList(build.Default.GOPATH) {
		dirs = append(dirs, filepath.Join(gp, "bin"))
	}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		if p := filepath.Join(d, "mailpit"); isFile(p) {
			return p
		}
	}
	return ""
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Address is a mailbox in a message's headers.
type Address struct {
	Name    string
	Address string
}

// Summary is a message in Mailpit's list.
type Summary struct {
	ID        string
	MessageID string
	To        []Address
	Subject   string
}

// Message is one message as Mailpit read it.
type Message struct {
	ID        string
	MessageID string
	To        []Address
	Subject   string
	Text      string
	HTML      string
	// Headers are the raw headers, by name.
	Headers map[string][]string
}

// Messages lists every message that arrived, newest first.
func (s *Server) Messages(t testing.TB) []Summary {
	t.Helper()
	var out struct {
		Messages []Summary `json:"messages"`
	}
	s.get(t, "/messages?limit=1000", &out)
	return out.Messages
}

// Message reads one message with its headers.
func (s *Server) Message(t testing.TB, id string) Message {
	t.Helper()
	var m Message
	s.get(t, "/message/"+id, &m)
	s.get(t, "/message/"+id+"/headers", &m.Headers)
	return m
}

// To returns the messages to an address, oldest first, read in full.
func (s *Server) To(t testing.TB, address string) []Message {
	t.Helper()
	var out []Message
	list := s.Messages(t)
	for i := len(list) - 1; i >= 0; i-- {
		for _, a := range list[i].To {
			if a.Address == address {
				out = append(out, s.Message(t, list[i].ID))
			}
		}
	}
	return out
}

// Wait waits until n messages have arrived in all and returns them.
func (s *Server) Wait(t testing.TB, n int) []Summary {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		list := s.Messages(t)
		if len(list) >= n {
			return list
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages arrived; want %d", len(list), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *Server) get(t testing.TB, path string, v any) {
	t.Helper()
	resp, err := http.Get(s.api + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("mailpit GET %s = %d", path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}
