package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"
)

// TestSoak: -soak measures a capacity, paces half of it and reports the
// minutes with errors and RSS at start and end.
func TestSoak(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out, errb bytes.Buffer
	args := []string{"-preset", "quick", "-users", "30", "-questions", "4", "-per", "2", "-tokens", "12",
		"-c", "4", "-d", "500ms", "-warmup", "50ms", "-soak", "2s", "-dir", t.TempDir(), "-json"}
	if err := run(ctx, args, &out, &errb); err != nil {
		t.Fatalf("run(%q) = %v; stderr:\n%s", args, err, errb.String())
	}
	var res Result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	s := res.Soak
	if s == nil || s.CapacityRPS <= 0 || s.TargetRPS != s.CapacityRPS/2 || len(s.Minutes) != 1 || s.Requests == 0 ||
		s.RSSStartMB <= 0 || s.RSSEndMB <= 0 {
		t.Fatalf("soak = %+v; want a capacity, half of it as target, one (partial) minute and RSS figures", s)
	}
	if s.Errors != 0 {
		t.Fatalf("soak errors = %d (first: %s)", s.Errors, s.FirstError)
	}
}
