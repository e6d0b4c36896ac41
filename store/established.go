package store

import (
	"context"
	"math"
	"time"

	"gorm.io/gorm"
)

// establishedSQL counts a question's forecasters (by forecasts made
// before a time) whose accounts were created no later than a time and who
// have forecast another question too: accounts made to surround a victim's
// forecast are new and forecast nothing else. The other question is found
// through the (question_id, user_id) index, which the table has where it
// has none on user_id alone.
const establishedSQL = `SELECT COUNT(DISTINCT f.user_id) FROM forecasts f JOIN users u ON u.id = f.user_id
	WHERE f.question_id = ? AND f.created_at < ? AND u.created_at <= ?
	AND EXISTS (SELECT 1 FROM questions oq JOIN forecasts g ON g.question_id = oq.id AND g.user_id = f.user_id
		WHERE oq.id <> f.question_id)`

// EstablishedForecasters counts the forecasters of a question whose
// accounts date from createdBy or earlier and who have forecast another
// question: the ones that count toward the crowd minimum when it asks
// for established accounts.
func (s *Store) EstablishedForecasters(ctx context.Context, questionID int64, createdBy time.Time) (int, error) {
	return countEstablished(s.r.WithContext(ctx), questionID, math.MaxInt64, createdBy)
}

// countEstablished is EstablishedForecasters by forecasts made before
// (microseconds).
func countEstablished(db *gorm.DB, questionID, before int64, createdBy time.Time) (int, error) {
	var n int64
	err := db.Raw(establishedSQL, questionID, before, micros(createdBy)).Scan(&n).Error
	return int(n), err
}
