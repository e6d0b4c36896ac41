package crowd

import (
	"context"
	"time"

	"signpost/scoring"
)

// DefaultMin is the fewest forecasters a crowd is shown for. With one
// forecaster the crowd is their forecast; with two, two throwaway accounts
// forecasting 1 and 0 leave the median at the victim's.
const DefaultMin = 3

// Rule decides whether a crowd is shown: the one rule of every answer
// that shows or uses a crowd (questions, crowd series, the signpost board,
// pulse, coherence, webhooks).
type Rule struct {
	// Min is the fewest forecasters a crowd is shown for (0: DefaultMin).
	Min int
	// Established, when positive, counts toward Min only forecasters
	// whose accounts are at least this old and who have forecast another
	// question: otherwise throwaway accounts forecasting 0 and 1 around a
	// victim reach the minimum and leave the median at the victim's. The
	// crowd itself still counts everyone.
	Established time.Duration
	// Now is the clock accounts' ages are measured by (nil: time.Now).
	Now func() time.Time
}

func (r Rule) min() int {
	if r.Min <= 0 {
		return DefaultMin
	}
	return r.Min
}

// Shows reports whether a crowd of forecasters, of whom established count
// toward the minimum, is shown.
func (r Rule) Shows(forecasters, established int) bool {
	return forecasters >= r.min() && (r.Established <= 0 || established >= r.min())
}

// Min is the fewest forecasters a crowd is shown for.
func (cc *Crowds) Min() int { return cc.rule.min() }

// Rule is the rule the crowds are shown by.
func (cc *Crowds) Rule() Rule { return cc.rule }

// Shown is the current crowd of a question, or nil when the rule hides
// it: every answer that shows or uses a current crowd goes through it.
func (cc *Crowds) Shown(questionID int64) ([]float64, int) {
	crowd, n := cc.Current(questionID)
	if !cc.ShownWith(questionID, n) {
		return nil, n
	}
	return crowd, n
}

// ShownWith reports whether a crowd of the question with this many
// forecasters (now or on some past day) is shown: enough forecasters,
// and enough of the question's forecasters established.
func (cc *Crowds) ShownWith(questionID int64, forecasters int) bool {
	if forecasters < cc.rule.min() {
		return false
	}
	return cc.rule.Shows(forecasters, cc.established(questionID))
}

// ShownSeries drops the days of a question's crowd series that are not
// shown.
func (cc *Crowds) ShownSeries(questionID int64, points []scoring.CrowdPoint) []scoring.CrowdPoint {
	out := points[:0:0]
	for _, p := range points {
		if cc.ShownWith(questionID, p.Forecasters) {
			out = append(out, p)
		}
	}
	return out
}

// recountEstablished is how long a question's count of established
// forecasters is trusted while below the minimum: accounts age into it
// without any new forecast.
const recountEstablished = time.Minute

// established is how many of a question's forecasters count toward the
// minimum. Once the minimum is reached it stays reached (accounts only age
// and forecasts stay), so a shown crowd costs no query; below it, the
// count is read again after a new forecast on the question or a minute.
func (cc *Crowds) established(questionID int64) int {
	if cc.rule.Established <= 0 {
		return cc.rule.min()
	}
	qc := cc.question(questionID)
	if qc == nil {
		return 0
	}
	now := cc.now()
	cc.mu.Lock()
	n, at, fresh := qc.established, qc.countedAt, qc.counted
	cc.mu.Unlock()
	if n >= cc.rule.min() || (fresh && now.Sub(at) < recountEstablished) {
		return n
	}
	// Not cancellable, like the crowd's own load (see question).
	n, err := cc.st.EstablishedForecasters(context.Background(), questionID, now.Add(-cc.rule.Established))
	if err != nil {
		cc.log.Warn("counting a crowd's established forecasters", "question", questionID, "err", err)
		return 0
	}
	cc.mu.Lock()
	qc.established, qc.countedAt, qc.counted = n, now, true
	cc.mu.Unlock()
	return n
}
