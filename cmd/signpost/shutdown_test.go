package main

import (
	"errors"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestShutdownUnderKeepAliveLoad (issue 11, item 9): keep-alive clients
// posting while the server is told to stop each get an answer to every
// request they sent; the only failure allowed is a connection that could not
// be made (the server is gone and nothing was sent).
func TestShutdownUnderKeepAliveLoad(t *testing.T) {
	for round := range 3 {
		base, stop := bootServer(t, filepath.Join(t.TempDir(), "signpost.db"), nil)
		var answered, refused, lost atomic.Int64
		var firstLost atomic.Value
		var wg, connected sync.WaitGroup
		done := make(chan struct{})
		for range 8 {
			wg.Add(1)
			connected.Add(1)
			go func() {
				defer wg.Done()
				client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}, Timeout: 10 * time.Second}
				markConnected := sync.OnceFunc(connected.Done)
				defer markConnected() // a client that gave up must not hold the stop
				for {
					// A POST: the transport never retries it on its own,
					// so a lost answer shows.
					resp, err := client.Post(base+"/api/v1/auth/login", "application/json",
						strings.NewReader(`{"username":"x","password":"wrong-password"}`))
					switch {
					case err == nil:
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						answered.Add(1)
						markConnected()
						continue
					case isDialError(err):
						refused.Add(1) // the request never left: safe to retry elsewhere
					default:
						lost.Add(1)
						firstLost.CompareAndSwap(nil, err.Error())
					}
					select {
					case <-done:
						return
					default:
					}
					if refused.Load() > 0 {
						return
					}
				}
			}()
		}
		// Every client holds a keep-alive connection the server has
		// accepted (a connection still waiting in the kernel's queue when
		// the listener closes is reset: that race is the client's dial).
		connected.Wait()
		time.Sleep(200 * time.Millisecond)
		stop()
		close(done)
		wg.Wait()
		if lost.Load() != 0 || answered.Load() == 0 {
			t.Fatalf("round %d: %d answered, %d refused, %d lost without an answer (first: %v); want none lost",
				round, answered.Load(), refused.Load(), lost.Load(), firstLost.Load())
		}
		t.Logf("round %d: %d answered, %d refused after the stop", round, answered.Load(), refused.Load())
	}
}

// isDialError says the connection was never made (refused, or reset while
// connecting as the listener closed): no request was sent.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}
