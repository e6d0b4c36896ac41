//go:build race

package scoring

// raceEnabled shrinks the randomised tests under the race detector, which
// makes this single-goroutine code an order of magnitude slower without
// finding anything more in it.
const raceEnabled = true
