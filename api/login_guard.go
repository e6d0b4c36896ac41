package api

import (
	"sync"
	"time"
)

// loginGuard caps password guessing at an account across all addresses
// without locking its owner out. Logins and password changes go through it:
//
//   - every attempt takes a token from its address's bucket (rate a
//     minute), so one address cannot guess fast;
//   - an attempt from an address that has not signed in to the account
//     before also takes a token from the username's bucket (rate a minute
//     too), so many addresses together cannot guess faster than one. The
//     token is taken before the password is checked, so a burst of
//     concurrent guesses cannot slip past while the first are hashed, and
//     given back when the password is right;
//   - an address that has signed in to the account before (within
//     knownFor) skips the username's bucket: the owner at home or at work
//     signs in while the account is under attack, and from a new network
//     waits out the Retry-After like anyone else.
//
// Every table is bounded; refilled buckets are forgotten.
type loginGuard struct {
	ips, users *limiter
	known      *knownPairs
}

// knownFor is how long a successful sign-in vouches for its address.
const knownFor = 30 * 24 * time.Hour

func newLoginGuard(perMinute int) *loginGuard {
	return &loginGuard{
		ips:   newLimiter(perMinute, time.Minute, defaultMaxKeys),
		users: newLimiter(perMinute, time.Minute, defaultMaxKeys),
		known: &knownPairs{at: make(map[string]time.Time), max: defaultMaxKeys},
	}
}

// loginAttempt is an attempt the guard let through, to report its success.
type loginAttempt struct {
	ip, username string
	// charged says a token was taken from the username's bucket.
	charged bool
}

// allow says whether an attempt for username from ip may go ahead and, if
// not, how long to wait.
func (g *loginGuard) allow(now time.Time, ip, username string) (loginAttempt, bool, time.Duration) {
	a := loginAttempt{ip: ip, username: username}
	if g.ips.off() {
		return a, true, 0
	}
	if !g.known.has(now, pairKey(ip, username)) {
		if ok, wait := g.users.allow(now, username); !ok {
			return a, false, wait
		}
		a.charged = true
	}
	if ok, wait := g.ips.allow(now, ip); !ok {
		if a.charged {
			g.users.give(now, username)
		}
		return a, false, wait
	}
	return a, true, 0
}

// succeeded records a right password: the guess was not a guess, and its
// address is the owner's from now on.
func (g *loginGuard) succeeded(now time.Time, a loginAttempt) {
	if g.ips.off() {
		return
	}
	if a.charged {
		g.users.give(now, a.username)
	}
	g.known.add(now, pairKey(a.ip, a.username))
}

func pairKey(ip, username string) string { return username + "\x00" + ip }

func (g *loginGuard) size() int { return g.ips.size() + g.users.size() + g.known.size() }

// knownPairs remembers (username, address) pairs that signed in, for
// knownFor, in at most max entries: when full, expired pairs go first and
// then arbitrary ones, so an attacker signing in to many accounts of their
// own can at worst make an owner wait like a stranger.
type knownPairs struct {
	mu  sync.Mutex
	at  map[string]time.Time
	max int
}

func (k *knownPairs) has(now time.Time, key string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	at, ok := k.at[key]
	return ok && now.Sub(at) < knownFor
}

func (k *knownPairs) add(now time.Time, key string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.at[key]; !ok && len(k.at) >= k.max {
		for key, at := range k.at {
			if now.Sub(at) >= knownFor {
				delete(k.at, key)
			}
		}
		for key := range k.at {
			if len(k.at) < k.max {
				break
			}
			delete(k.at, key)
		}
	}
	k.at[key] = now
}

func (k *knownPairs) size() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.at)
}
