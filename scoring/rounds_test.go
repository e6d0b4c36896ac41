package scoring

import "testing"

// rounds returns how many random cases a test should run: n normally,
// a tenth of it under -short or the race detector (see raceEnabled).
func rounds(n int) int {
	if raceEnabled || testing.Short() {
		return max(1, n/10)
	}
	return n
}
