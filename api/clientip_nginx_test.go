package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLimitsBehindNginx runs the server behind a real nginx configured as
// in the README: one client's wrong passwords no longer lock out another
// client of the same nginx, and X-Forwarded-For is believed only from the
// trusted proxy. Clients are told apart by their loopback source address
// (127.0.0.2, 127.0.0.3, …); nginx reaches the server from 127.0.0.1.
func TestLimitsBehindNginx(t *testing.T) {
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		for _, p := range []string{"/usr/sbin/nginx", "/usr/local/sbin/nginx"} {
			if _, serr := os.Stat(p); serr == nil {
				nginx, err = p, nil
			}
		}
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("nginx is not installed: CI must install it (.ci/run)")
		}
		t.Skip("nginx not installed (apt-get install nginx): the reverse-proxy test is not run")
	}
	e := newTestEnv(t, func(c *Config) {
		c.LoginRate = 10
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	})
	e.register("bystander")
	front := startNginx(t, nginx, strings.TrimPrefix(e.base, "http://"))

	login := func(from, base, username, forged string) int {
		t.Helper()
		return loginFrom(t, from, base, username, "wrong-password", forged)
	}
	// Ten wrong passwords from one client, on ten different names so that
	// only the per-address limit is in play.
	for i := range 10 {
		if st := login("127.0.0.2", front, "target"+itoa(int64(i)), ""); st != 401 {
			t.Fatalf("wrong password %d through nginx = %d; want 401", i+1, st)
		}
	}
	if st := loginFrom(t, "127.0.0.3", front, "bystander", "password-bystander", ""); st != 200 {
		t.Fatalf("another client behind the same nginx signing in = %d; want 200 (the first client's guesses count against it alone)", st)
	}
	if st := login("127.0.0.2", front, "target10", ""); st != 429 {
		t.Fatalf("the guessing client's 11th attempt = %d; want 429", st)
	}
	// Its own X-Forwarded-For is kept by nginx on the left, where it is
	// not believed.
	if st := login("127.0.0.2", front, "target11", "198.51.100.7"); st != 429 {
		t.Fatalf("the guessing client with a forged X-Forwarded-For through nginx = %d; want 429", st)
	}
	// A client reaching the server directly is not a trusted proxy: its
	// header is ignored and every guess counts against its own address.
	for i := range 10 {
		if st := login("127.0.0.5", e.base, "direct"+itoa(int64(i)), fmt.Sprintf("203.0.113.%d", i+1)); st != 401 {
			t.Fatalf("direct wrong password %d = %d; want 401", i+1, st)
		}
	}
	if st := login("127.0.0.5", e.base, "direct10", "203.0.113.99"); st != 429 {
		t.Fatalf("11th direct guess with a fresh forged X-Forwarded-For = %d; want 429 (the header must be ignored)", st)
	}
}

// loginFrom signs in from a given loopback source address, optionally
// sending an X-Forwarded-For of its own, and returns the status.
func loginFrom(t *testing.T, from, base, username, password, forwardedFor string) int {
	t.Helper()
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: dialer.DialContext}}
	defer client.CloseIdleConnections()
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	req, err := http.NewRequest("POST", base+"/api/v1/auth/login", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// startNginx runs nginx in the foreground with the README's proxy settings
// in a temporary directory, in front of backend, and returns its base URL.
func startNginx(t *testing.T, nginx, backend string) string {
	t.Helper()
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	user := ""
	if os.Geteuid() == 0 {
		// Workers would otherwise run as nobody, who cannot enter the
		// temporary directory.
		user = "user root;"
	}
	conf := fmt.Sprintf(`%s
worker_processes 1;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path %[2]s/body;
    proxy_temp_path %[2]s/proxy;
    fastcgi_temp_path %[2]s/fastcgi;
    uwsgi_temp_path %[2]s/uwsgi;
    scgi_temp_path %[2]s/scgi;
    upstream signpost {
        server %[3]s;
        keepalive 8;
    }
    server {
        listen %[4]s;
        location / {
            proxy_pass http://signpost;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }
    }
}
`, user, dir, backend, addr)
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(nginx, "-p", dir, "-c", confPath, "-e", filepath.Join(dir, "error.log"), "-g", "daemon off;")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// SIGTERM is nginx's fast shutdown: the master stops its workers.
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	base := "http://" + addr
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return base
			}
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx did not answer on %s: %v\n%s\n%s", addr, err, out.String(), log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
