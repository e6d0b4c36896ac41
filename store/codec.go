package store

import (
	"database/sql/driver"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// encodeProbs stores probabilities as little-endian float64 bits: lossless
// and decoded without parsing text.
func encodeProbs(ps []float64) []byte {
	b := make([]byte, 8*len(ps))
	for i, p := range ps {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(p))
	}
	return b
}

func decodeProbs(b []byte) ([]float64, error) {
	if len(b)%8 != 0 || len(b) == 0 {
		return nil, fmt.Errorf("corrupt probabilities: %d bytes", len(b))
	}
	ps := make([]float64, len(b)/8)
	for i := range ps {
		ps[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return ps, nil
}

func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// fromMicrosOrNil reads a nullable instant column.
func fromMicrosOrNil(us *int64) *time.Time {
	if us == nil {
		return nil
	}
	at := fromMicros(*us)
	return &at
}

func decodeText(s string) Text {
	var t Text
	if s == "" {
		return Text{}
	}
	if err := json.Unmarshal([]byte(s), &t); err != nil || t == nil {
		return Text{}
	}
	return t
}

// flag is a yes/no column stored as the integer 0 or 1 on both databases
// (SQLite has no boolean type), so the SQL they share can say "annulled = 0".
type flag bool

// Value writes 0 or 1: PostgreSQL's driver will not put a Go bool in an
// integer column.
func (f flag) Value() (driver.Value, error) {
	if f {
		return int64(1), nil
	}
	return int64(0), nil
}

// Scan reads 0 or 1 (or a boolean).
func (f *flag) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		*f = v != 0
	case bool:
		*f = flag(v)
	default:
		return fmt.Errorf("flag: cannot read %T", src)
	}
	return nil
}
