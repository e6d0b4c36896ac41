package api

import (
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// TestClientIPWalksForwardedFor: the rightmost X-Forwarded-For entry that
// is not a trusted proxy is the client, and only a trusted peer's header
// is read; entries that do not parse stop the walk at the last trusted hop.
// Peers are loopback source addresses: 127.0.0.1 is trusted, 127.0.0.9 not.
func TestClientIPWalksForwardedFor(t *testing.T) {
	trusted, err := ParseTrustedProxies("127.0.0.1/32, 10.0.0.0/8,::1")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{cfg: Config{TrustedProxies: trusted}}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString(s.clientIP(c)) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	t.Cleanup(func() { _ = app.Shutdown() })
	for _, c := range []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"untrusted peer's header ignored", "127.0.0.9", []string{"198.51.100.1"}, "127.0.0.9"},
		{"trusted peer without header", "127.0.0.1", nil, "127.0.0.1"},
		{"one proxy", "127.0.0.1", []string{"198.51.100.1"}, "198.51.100.1"},
		{"client's forged entries on the left", "127.0.0.1", []string{"203.0.113.5, 198.51.100.1"}, "198.51.100.1"},
		{"two trusted hops", "127.0.0.1", []string{"203.0.113.5, 198.51.100.1, 10.1.2.3"}, "198.51.100.1"},
		{"several header lines", "127.0.0.1", []string{"203.0.113.5", "198.51.100.1, 10.1.2.3"}, "198.51.100.1"},
		{"with a port", "127.0.0.1", []string{"198.51.100.1:4711"}, "198.51.100.1"},
		{"IPv6 with a port", "127.0.0.1", []string{"[2001:db8::7]:4711"}, "2001:db8::7"},
		{"IPv4-mapped entry", "127.0.0.1", []string{"::ffff:198.51.100.1"}, "198.51.100.1"},
		{"garbage stops at the last trusted hop", "127.0.0.1", []string{"198.51.100.1, not-an-address, 10.1.2.3"}, "10.1.2.3"},
		{"all trusted", "127.0.0.1", []string{"10.0.0.1, 10.0.0.2"}, "10.0.0.1"},
	} {
		dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(c.peer)}, Timeout: 5 * time.Second}
		client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: dialer.DialContext}}
		req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/", nil)
		for _, h := range c.xff {
			req.Header.Add("X-Forwarded-For", h)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		client.CloseIdleConnections()
		if string(got) != c.want {
			t.Errorf("%s: client %q; want %q", c.name, got, c.want)
		}
	}
	for _, bad := range []string{"10.0.0/8", "example.org", "10.0.0.0/40"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("ParseTrustedProxies(%q) accepted", bad)
		}
	}
}
