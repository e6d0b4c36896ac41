package signposts

import (
	"errors"
	"testing"
)

func TestCachedComputesOncePerFingerprint(t *testing.T) {
	var c cache
	calls := 0
	compute := func() (int, error) { calls++; return calls, nil }
	for _, step := range []struct {
		name      string
		key       uint64
		want      int
		wantCalls int
	}{
		{"board a", 1, 1, 1},
		{"board a", 1, 1, 1}, // same fingerprint: from the cache
		{"pulse a", 1, 2, 2}, // another answer of the same tournament
		{"board a", 2, 3, 3}, // a forecast or a minute later: computed again
		{"board a", 2, 3, 3},
	} {
		got, err := cached(&c, step.name, step.key, compute)
		if err != nil || got != step.want || calls != step.wantCalls {
			t.Errorf("cached(%q, %d) = %d, %v after %d computations; want %d after %d",
				step.name, step.key, got, err, calls, step.want, step.wantCalls)
		}
	}
}

func TestCachedKeepsNoError(t *testing.T) {
	var c cache
	boom := errors.New("boom")
	if _, err := cached(&c, "board a", 1, func() (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("cached = %v; want %v", err, boom)
	}
	got, err := cached(&c, "board a", 1, func() (int, error) { return 7, nil })
	if err != nil || got != 7 {
		t.Errorf("cached after a failure = %d, %v; want 7 computed afresh", got, err)
	}
}
