package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
)

// CrowdSnapshot is a question's crowd state as the crowd cache saves it:
// every forecaster's latest forecast, taking in every forecast of the
// question with an ID up to Through. A start reads the snapshots and the
// forecasts stored since, instead of every forecast (migration 0017).
type CrowdSnapshot struct {
	QuestionID int64
	Through    int64
	Latest     []ForecastDelta // QuestionID is not kept: it is the snapshot's
}

// SaveCrowdSnapshot stores (or replaces) a question's snapshot, in a
// transaction of its own: saving every question at once would hold the
// one writer, and the forecasts queued behind it, for as long.
func (s *Store) SaveCrowdSnapshot(ctx context.Context, c CrowdSnapshot) error {
	blob, err := encodeLatest(c.Latest)
	if err != nil {
		return fmt.Errorf("crowd snapshot of question %d: %w", c.QuestionID, err)
	}
	return s.w.WithContext(ctx).Exec(`INSERT INTO crowd_snapshots (question_id, through_id, latest) VALUES (?, ?, ?)
		ON CONFLICT (question_id) DO UPDATE SET through_id = excluded.through_id, latest = excluded.latest`,
		c.QuestionID, c.Through, blob).Error
}

// CrowdSnapshots reads every saved snapshot.
func (s *Store) CrowdSnapshots(ctx context.Context) ([]CrowdSnapshot, error) {
	rows, err := s.query(ctx, "SELECT question_id, through_id, latest FROM crowd_snapshots")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CrowdSnapshot
	var blob []byte
	for rows.Next() {
		var c CrowdSnapshot
		if err := rows.Scan(&c.QuestionID, &c.Through, &blob); err != nil {
			return nil, err
		}
		if c.Latest, err = decodeLatest(c.QuestionID, blob); err != nil {
			return nil, fmt.Errorf("crowd snapshot of question %d: %w", c.QuestionID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// A snapshot's blob: the option count K (4 bytes), then per forecast its
// user, ID and time in microseconds (8 bytes each) and K probabilities,
// little-endian. One blob per question keeps a start to one row per
// question instead of one per forecaster.
const latestHead = 4

func encodeLatest(fs []ForecastDelta) ([]byte, error) {
	k := 0
	if len(fs) > 0 {
		k = len(fs[0].Probs)
	}
	b := make([]byte, latestHead, latestHead+len(fs)*(24+8*k))
	binary.LittleEndian.PutUint32(b, uint32(k))
	for _, f := range fs {
		if len(f.Probs) != k {
			return nil, fmt.Errorf("forecast %d has %d probabilities, others %d", f.ID, len(f.Probs), k)
		}
		b = binary.LittleEndian.AppendUint64(b, uint64(f.UserID))
		b = binary.LittleEndian.AppendUint64(b, uint64(f.ID))
		b = binary.LittleEndian.AppendUint64(b, uint64(micros(f.CreatedAt)))
		for _, p := range f.Probs {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p))
		}
	}
	return b, nil
}

func decodeLatest(questionID int64, b []byte) ([]ForecastDelta, error) {
	if len(b) < latestHead {
		return nil, fmt.Errorf("corrupt: %d bytes", len(b))
	}
	k := int(binary.LittleEndian.Uint32(b))
	size := 24 + 8*k
	b = b[latestHead:]
	if k > 1000 || len(b)%size != 0 {
		return nil, fmt.Errorf("corrupt: %d bytes of %d-option forecasts", len(b), k)
	}
	out := make([]ForecastDelta, len(b)/size)
	probs := make([]float64, len(out)*k) // one slab for every forecast
	for i := range out {
		e := b[i*size:]
		ps := probs[i*k : (i+1)*k : (i+1)*k]
		for j := range ps {
			ps[j] = math.Float64frombits(binary.LittleEndian.Uint64(e[24+8*j:]))
		}
		out[i] = ForecastDelta{QuestionID: questionID, UserID: int64(binary.LittleEndian.Uint64(e)),
			ID: int64(binary.LittleEndian.Uint64(e[8:])), CreatedAt: fromMicros(int64(binary.LittleEndian.Uint64(e[16:]))), Probs: ps}
	}
	return out, nil
}
