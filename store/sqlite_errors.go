package store

import (
	"encoding/json"
	"errors"
)

// SQLite result codes (https://sqlite.org/rescode.html).
const sqliteConstraint = 19

// sqliteCodes returns the result code and extended code of a driver error
// in err's chain, or zeros. It reads the driver's exported fields through
// JSON, as gorm's SQLite dialect does, so that the package does not depend
// on the driver's cgo-only error type. Only error paths call it.
func sqliteCodes(err error) (code, extended int) {
	for ; err != nil; err = errors.Unwrap(err) {
		raw, jerr := json.Marshal(err)
		if jerr != nil {
			continue
		}
		var c struct{ Code, ExtendedCode int }
		if json.Unmarshal(raw, &c) == nil && c.Code != 0 {
			return c.Code, c.ExtendedCode
		}
	}
	return 0, 0
}
