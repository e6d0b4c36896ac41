//go:build race

package scoring

// raceEnabled shrinks the slowest tests under the race detector, which
// makes the single-goroutine scoring code an order of magnitude slower
// without finding anything more in it.
const raceEnabled = true
