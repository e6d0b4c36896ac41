package api

import (
	"context"
	"errors"
	"sync"
	"time"

	"signpost/store"
)

// accountCache remembers each signed-in user's role, state and token
// version for accountTTL, so the hot forecast path does not read the users
// table on every request. Changes made by this instance forget the entry at
// once; other instances see them within accountTTL, and role-restricted
// routes always read afresh.
type accountCache struct {
	mu sync.Mutex
	m  map[int64]cachedAccount
}

type cachedAccount struct {
	a  store.UserAuth
	at time.Time
}

const (
	accountTTL  = time.Second
	maxAccounts = 100_000
)

func (ac *accountCache) get(id int64, now time.Time) (store.UserAuth, bool) {
	ac.mu.Lock()
	defer ac.mu.Unlock()
	ca, ok := ac.m[id]
	if !ok || now.Sub(ca.at) >= accountTTL || now.Before(ca.at) {
		return store.UserAuth{}, false
	}
	return ca.a, true
}

func (ac *accountCache) put(id int64, a store.UserAuth, now time.Time) {
	ac.mu.Lock()
	defer ac.mu.Unlock()
	if ac.m == nil || len(ac.m) >= maxAccounts {
		ac.m = make(map[int64]cachedAccount)
	}
	ac.m[id] = cachedAccount{a: a, at: now}
}

func (ac *accountCache) forget(id int64) {
	ac.mu.Lock()
	defer ac.mu.Unlock()
	delete(ac.m, id)
}

// checkAccount holds a verified token against its user: a user that no
// longer exists, is disabled, or has revoked the token (its version is
// older) is refused. The role comes from the account, not from the token,
// so a demotion needs no new token. fresh skips the cache.
func (s *Server) checkAccount(ctx context.Context, p principal, fresh bool) (principal, error) {
	now := s.now()
	a, ok := store.UserAuth{}, false
	if !fresh {
		a, ok = s.accounts.get(p.ID, now)
	}
	if !ok {
		var err error
		a, err = s.cfg.Store.FindUserAuth(ctx, p.ID)
		if errors.Is(err, store.ErrNotFound) {
			return p, unauthorized("the token's user no longer exists")
		}
		if err != nil {
			return p, err
		}
		s.accounts.put(p.ID, a, now)
	}
	switch {
	case a.Disabled:
		return p, unauthorized("this account is disabled")
	case p.Scope == "" && a.TokenVersion != p.TokenVersion:
		// Session tokens only: API tokens are revoked one by one.
		return p, unauthorized("this token was revoked; sign in again")
	}
	p.Role = a.Role
	return p, nil
}
