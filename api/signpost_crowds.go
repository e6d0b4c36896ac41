package api

import (
	"context"

	"signpost/api/signposts"
)

// signpostCrowds lets the signpost service read the crowd cache.
type signpostCrowds struct{ cc *crowdCache }

var _ signposts.Crowds = signpostCrowds{}

func (a signpostCrowds) Current(questionID int64) ([]float64, int) { return a.cc.current(questionID) }

func (a signpostCrowds) Sync(ctx context.Context) error { return a.cc.sync(ctx) }

// LastForecast is the ID of the latest forecast the crowd cache has seen.
func (a signpostCrowds) LastForecast() int64 {
	a.cc.mu.Lock()
	defer a.cc.mu.Unlock()
	return a.cc.lastID
}
