package store

import (
	"database/sql"
	"fmt"
)

// importBatch sends an import's forecasts to PostgreSQL a thousand at a
// time, as arrays that unnest turns back into rows: one round trip per
// thousand instead of one per forecast (measured: 495 forecasts/s one by
// one over loopback). It keeps two queues, as the SQLite path keeps two
// statements: forecasts inserted as they are, and forecasts skipped when
// already stored (same question, user and time).
type importBatch struct {
	tx     *sql.Tx
	counts *ImportCounts
	plain  forecastColumns
	unless forecastColumns
	seen   map[[3]int64]bool // unless-stored keys queued, so a batch holds each once
}

type forecastColumns struct {
	qids, tids, uids, ats []int64
	probs                 [][]byte
	rationales            []string
}

func (c *forecastColumns) add(qid, tid, uid int64, probs []byte, rationale string, at int64) {
	c.qids, c.tids, c.uids = append(c.qids, qid), append(c.tids, tid), append(c.uids, uid)
	c.probs, c.rationales, c.ats = append(c.probs, probs), append(c.rationales, rationale), append(c.ats, at)
}

func (c *forecastColumns) reset() { *c = forecastColumns{} }

const importBatchSize = 1000

const (
	pgUnnestForecasts = `SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bytea[], $5::text[], $6::bigint[])
		AS b(question_id, tournament_id, user_id, probabilities, rationale, created_at)`
	pgImportPlainSQL  = insertForecastInto + pgUnnestForecasts
	pgImportUnlessSQL = insertForecastInto + `SELECT * FROM (` + pgUnnestForecasts + `) b
		WHERE NOT EXISTS (SELECT 1 FROM forecasts f
			WHERE f.question_id = b.question_id AND f.user_id = b.user_id AND f.created_at = b.created_at)`
)

func (b *importBatch) add(qid, tid, uid int64, probs []byte, rationale string, at int64, unlessStored bool) error {
	if !unlessStored {
		b.plain.add(qid, tid, uid, probs, rationale, at)
	} else {
		key := [3]int64{qid, uid, at}
		if b.seen[key] {
			return nil // the same forecast twice in one archive: stored once, as on SQLite
		}
		if b.seen == nil {
			b.seen = make(map[[3]int64]bool)
		}
		b.seen[key] = true
		b.unless.add(qid, tid, uid, probs, rationale, at)
	}
	if len(b.plain.qids)+len(b.unless.qids) >= importBatchSize {
		return b.flush()
	}
	return nil
}

// flush sends what is queued; a nil batch (SQLite) has nothing to send.
func (b *importBatch) flush() error {
	if b == nil {
		return nil
	}
	for _, q := range []struct {
		sql  string
		cols *forecastColumns
	}{{pgImportPlainSQL, &b.plain}, {pgImportUnlessSQL, &b.unless}} {
		c := q.cols
		if len(c.qids) == 0 {
			continue
		}
		res, err := b.tx.Exec(q.sql, c.qids, c.tids, c.uids, c.probs, c.rationales, c.ats)
		if err != nil {
			return fmt.Errorf("insert forecasts: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		b.counts.Forecasts += int(n)
		c.reset()
	}
	clear(b.seen)
	return nil
}
