package api

import "time"

// loginGuard slows password guessing without locking the owner out:
//
//   - every attempt takes a token from its address's bucket (rate a
//     minute), so one address cannot guess fast;
//   - every failure takes a token from the username's bucket and marks the
//     (username, address) pair. While the username's bucket is empty, an
//     address that has failed for it is held back, but an address that has
//     not — the owner on a new network — still gets through to the password
//     check.
//
// Ten wrong passwords from one place therefore no longer lock the account
// from everywhere. Every bucket is bounded and forgotten once refilled.
type loginGuard struct {
	ips, users, pairs *limiter
}

func newLoginGuard(perMinute int) *loginGuard {
	return &loginGuard{
		ips:   newLimiter(perMinute, time.Minute, defaultMaxKeys),
		users: newLimiter(perMinute, time.Minute, defaultMaxKeys),
		// A pair's bucket is drained by one failure and refills within a
		// minute, so it marks "failed here recently".
		pairs: newLimiter(1, time.Minute, defaultMaxKeys),
	}
}

// allow says whether an attempt for username from ip may go ahead.
func (g *loginGuard) allow(now time.Time, ip, username string) (bool, time.Duration) {
	pair := username + "\x00" + ip
	if g.users.empty(now, username) && g.pairs.empty(now, pair) {
		return false, time.Minute / time.Duration(max(1, g.users.burst))
	}
	return g.ips.allow(now, ip)
}

// failed records a wrong password.
func (g *loginGuard) failed(now time.Time, ip, username string) {
	g.users.take(now, username)
	g.pairs.take(now, username+"\x00"+ip)
}

func (g *loginGuard) size() int { return g.ips.size() + g.users.size() + g.pairs.size() }
