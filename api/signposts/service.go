// Package signposts owns the signpost board, pulse, coherence, crowd links and cache.
// It imports store and scoring, never signpost/api nor fiber.
package signposts

import (
	"context"
	"time"

	"signpost/scoring"
	"signpost/store"
)

// Crowds is the crowd cache as the board reads it: every answer syncs it
// first, then reads crowds of questions as of that sync.
type Crowds interface {
	// Current is a question's crowd forecast as of the last sync (nil
	// without forecasts) and the number of forecasters behind it, with no
	// minimum applied.
	Current(questionID int64) ([]float64, int)
	// Shown is Current when the crowd rule shows it, else nil and the
	// number of forecasters.
	Shown(questionID int64) ([]float64, int)
	// ShownWith reports whether the rule shows a crowd of the question
	// with this many forecasters (on some past day).
	ShownWith(questionID int64, forecasters int) bool
	// ShownSeries drops the days of a question's crowd series that the
	// rule does not show.
	ShownSeries(questionID int64, points []scoring.CrowdPoint) []scoring.CrowdPoint
	// Min is the fewest forecasters a crowd is shown for.
	Min() int
	// LastForecast is the ID of the latest forecast the cache has seen.
	LastForecast() int64
	// Sync reads the forecasts stored since the last sync.
	Sync(ctx context.Context) error
	// Series is a question's daily crowd series (fs its forecasts) up to
	// until, the days the rule hides dropped; DailySeries keeps them.
	Series(ctx context.Context, q *store.Question, fs []scoring.Forecast, until time.Time) ([]scoring.CrowdPoint, error)
	DailySeries(ctx context.Context, q *store.Question, fs []scoring.Forecast, until time.Time) ([]scoring.CrowdPoint, error)
	// Before is a question's crowd from the forecasts made before
	// `before`, and the number of forecasters behind it, no minimum
	// applied.
	Before(ctx context.Context, q *store.Question, before time.Time) ([]float64, int, error)
}

// Config is what a Service reads; every number must be positive.
type Config struct {
	Store  *store.Store
	Crowds Crowds
	// Now is the clock (UTC); question states and the 30-day change follow it.
	Now func() time.Time
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

// shownCrowd is a question's current crowd, or nil when the crowd rule
// hides it (so that nobody's forecast can be read off it).
func (s *Service) shownCrowd(questionID int64) ([]float64, int) {
	return s.cfg.Crowds.Shown(questionID)
}
