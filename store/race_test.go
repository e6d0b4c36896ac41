//go:build race

package store

// raceEnabled marks a race-detector build: it makes database code several
// times slower, unevenly, so the tests that bound how long a live writer
// waits say nothing there and run in the plain build only (.ci/run runs
// them again without -race).
const raceEnabled = true
