package store

import "database/sql"

// pgStageSQL stages a batch on PostgreSQL as arrays that unnest turns back
// into rows: one round trip per batch instead of one per forecast
// (measured: 495 forecasts/s one by one over loopback).
const pgStageSQL = `INSERT INTO import_forecasts
	(import_id, seq, question_ref, user_ref, probabilities, rationale, created_at)
	SELECT $1, $2 + b.ord - 1, b.question_ref, b.user_ref, b.probabilities, b.rationale, b.created_at
	FROM unnest($3::bigint[], $4::bigint[], $5::bytea[], $6::text[], $7::bigint[])
		WITH ORDINALITY AS b(question_ref, user_ref, probabilities, rationale, created_at, ord)`

func pgStage(tx *sql.Tx, importID, seq int64, rows []stagedForecast) error {
	qrefs, urefs, ats := make([]int64, len(rows)), make([]int64, len(rows)), make([]int64, len(rows))
	probs, rationales := make([][]byte, len(rows)), make([]string, len(rows))
	for i, r := range rows {
		qrefs[i], urefs[i], probs[i], rationales[i], ats[i] = r.qref, r.uref, r.probs, r.rationale, r.at
	}
	_, err := tx.Exec(pgStageSQL, importID, seq, qrefs, urefs, probs, rationales, ats)
	return err
}
