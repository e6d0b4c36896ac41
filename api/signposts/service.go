// Package signposts owns the signpost board, pulse, coherence, crowd links and cache.
// It imports store and scoring, never signpost/api nor fiber.
package signposts

import (
	"context"
	"time"

	"signpost/store"
)

// Crowds is the crowd cache as the board reads it: every answer syncs it
// first, then reads crowds of questions as of that sync.
type Crowds interface {
	// Current is a question's crowd forecast as of the last sync (nil
	// without forecasts) and the number of forecasters behind it, with no
	// minimum applied.
	Current(questionID int64) ([]float64, int)
	// LastForecast is the ID of the latest forecast the cache has seen.
	LastForecast() int64
	// Sync reads the forecasts stored since the last sync.
	Sync(ctx context.Context) error
}

// Config is what a Service reads; every number must be positive.
type Config struct {
	Store  *store.Store
	Crowds Crowds
	// Now is the clock (UTC); question states and the 30-day change follow it.
	Now func() time.Time
	// CrowdMin is the fewest forecasters a crowd is used for.
	CrowdMin int
	// ConditionalMin is how many forecasters must answer both branches
	// of a conditional pair before its crowd table replaces the admin's
	// links.
	ConditionalMin int
	// CoherenceThreshold is the total variation distance above which a
	// scenario forecast is called incoherent.
	CoherenceThreshold float64
}

// Service answers the signpost board, the pulse and coherence. It keeps
// the last board and pulse of each tournament (see cache), so one is
// shared by every caller.
type Service struct {
	cfg   Config
	cache cache
}

// New returns a Service reading cfg.
func New(cfg Config) *Service {
	return &Service{cfg: cfg}
}

// shownCrowd is a question's current crowd, or nil below the crowd
// minimum (so that nobody's forecast can be read off it).
func (s *Service) shownCrowd(questionID int64) ([]float64, int) {
	crowd, n := s.cfg.Crowds.Current(questionID)
	if n < s.cfg.CrowdMin {
		return nil, n
	}
	return crowd, n
}
