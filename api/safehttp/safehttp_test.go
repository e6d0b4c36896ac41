package safehttp

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A name is checked on the address it resolves to, when connecting.
func TestClientRefusesLoopbackByName(t *testing.T) {
	var got atomic.Int32
	rc := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { got.Add(1) }))
	defer rc.Close()
	client := NewClient(2*time.Second, false)
	resp, err := client.Post(strings.Replace(rc.URL, "127.0.0.1", "localhost", 1), "application/json", strings.NewReader("{}"))
	if err == nil {
		resp.Body.Close()
		t.Fatal("the sender reached a loopback receiver by name; want refused")
	}
	if !strings.Contains(err.Error(), "refused: ") {
		t.Fatalf("err = %v; want the private-address refusal", err)
	}
	if n := got.Load(); n != 0 {
		t.Fatalf("receiver got %d requests; want 0", n)
	}
}

func TestBlockedIP(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1": true, "10.1.2.3": true, "172.16.0.1": true, "192.168.1.1": true, "169.254.169.254": true,
		"100.64.0.1": true, "0.0.0.0": true, "::1": true, "fe80::1": true, "fc00::1": true, "::ffff:127.0.0.1": true,
		"224.0.0.1": true, "8.8.8.8": false, "1.1.1.1": false, "2606:4700:4700::1111": false,
	} {
		if got := BlockedIP(net.ParseIP(addr)); got != want {
			t.Errorf("BlockedIP(%s) = %v; want %v", addr, got, want)
		}
	}
}
