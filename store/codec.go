package store

import (
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
