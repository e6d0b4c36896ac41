package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"testing"
	"time"
)

// proxiedEnv is a server that trusts the test client (127.0.0.1) as its
// reverse proxy, so each request can come from any address it names in
// X-Forwarded-For.
func proxiedEnv(t *testing.T, loginRate int) *testEnv {
	return newTestEnv(t, func(c *Config) {
		c.LoginRate = loginRate
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	})
}

// doFrom sends a JSON request as if from client address from.
func (e *testEnv) doFrom(from, method, path, token string, body any) response {
	e.t.Helper()
	raw, _ := json.Marshal(body)
	req, err := http.NewRequest(method, e.base+path, bytes.NewReader(raw))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", from)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, raw: b.Bytes()}
}

func (e *testEnv) loginFrom(from, username, password string) response {
	e.t.Helper()
	return e.doFrom(from, "POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": password})
}

// TestDistributedGuessingCapped: wrong guesses at one account are capped
// across all addresses — a twelfth address gets 429 like the first would
// — while the owner still signs in from an address they have signed in
// from before, and from a new one once the Retry-After has passed.
func TestDistributedGuessingCapped(t *testing.T) {
	e := proxiedEnv(t, 10)
	e.register("olive")
	if r := e.loginFrom("192.0.2.1", "olive", "password-olive"); r.status != 200 {
		t.Fatalf("the owner at home = %d %s", r.status, r.raw)
	}
	var statuses []int
	for i := range 12 {
		r := e.loginFrom("198.51.100."+itoa(int64(i+1)), "olive", "wrong-password")
		statuses = append(statuses, r.status)
	}
	for i, st := range statuses {
		want := 401
		if i >= 10 {
			want = 429
		}
		if st != want {
			t.Fatalf("wrong guesses from twelve addresses answered %v; want ten 401 then 429", statuses)
		}
	}
	if r := e.loginFrom("192.0.2.1", "olive", "password-olive"); r.status != 200 {
		t.Fatalf("the owner from an address they signed in from before, under attack = %d %s; want 200", r.status, r.raw)
	}
	r := e.loginFrom("203.0.113.50", "olive", "password-olive")
	if r.status != 429 || r.header.Get("Retry-After") == "" {
		t.Fatalf("the owner from a new address under attack = %d %s; want 429 with Retry-After", r.status, r.raw)
	}
	wait, _ := strconv.Atoi(r.header.Get("Retry-After"))
	e.clock.set(e.clock.now().Add(time.Duration(wait) * time.Second))
	if r := e.loginFrom("203.0.113.50", "olive", "password-olive"); r.status != 200 {
		t.Fatalf("the owner from a new address after Retry-After = %d %s; want 200", r.status, r.raw)
	}
}

// TestConcurrentGuessesCapped: guesses sent at once from many addresses
// are counted before the password check, not after, so a burst cannot
// slip past the per-username cap while the first ones are being hashed.
func TestConcurrentGuessesCapped(t *testing.T) {
	e := proxiedEnv(t, 10)
	e.register("pat")
	var mu sync.Mutex
	counts := map[int]int{}
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.loginFrom("198.51.100."+itoa(int64(i+1)), "pat", "wrong-password")
			mu.Lock()
			counts[r.status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if counts[401] > 10 || counts[401]+counts[429] != 30 {
		t.Fatalf("30 concurrent guesses from 30 addresses answered %v; want at most 10 reaching the password check, the rest 429", counts)
	}
}

// TestLoginGuardRemembersOwnerAddresses: a right password gives its token
// back and vouches for its address for knownFor; the vouched address skips
// the username's cap, others wait, and the table of known pairs stays
// bounded.
func TestLoginGuardRemembersOwnerAddresses(t *testing.T) {
	g := newLoginGuard(3)
	now := testStart
	a, ok, _ := g.allow(now, "10.0.0.1", "erin")
	if !ok || !a.charged {
		t.Fatalf("first attempt: allowed %v, charged %v", ok, a.charged)
	}
	g.succeeded(now, a)
	for i := range 3 {
		if _, ok, _ := g.allow(now, "10.0.1."+itoa(int64(i)), "erin"); !ok {
			t.Fatalf("guess %d refused", i+1)
		}
	}
	if _, ok, wait := g.allow(now, "10.0.2.1", "erin"); ok || wait <= 0 {
		t.Fatalf("4th guess from yet another address: allowed %v, wait %v; want refused with a wait", ok, wait)
	}
	if a, ok, _ := g.allow(now, "10.0.0.1", "erin"); !ok || a.charged {
		t.Fatalf("the owner's known address: allowed %v, charged %v; want allowed uncharged", ok, a.charged)
	}
	if _, ok, _ := g.allow(now.Add(knownFor+time.Hour), "10.0.0.1", "erin"); !ok {
		t.Fatalf("after knownFor the address is a stranger again, but the bucket has refilled: want allowed")
	}
	if g.known.has(now.Add(knownFor+time.Hour), pairKey("10.0.0.1", "erin")) {
		t.Fatalf("a pair is still known after knownFor")
	}
	k := &knownPairs{at: make(map[string]time.Time), max: 5}
	for i := range 50 {
		k.add(now, "k"+itoa(int64(i)))
	}
	if k.size() > 5 {
		t.Fatalf("known pairs bounded at 5 hold %d", k.size())
	}
}
