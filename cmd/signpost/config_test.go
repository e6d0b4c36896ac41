package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestCoherenceThresholdSetting(t *testing.T) {
	parse := func(vars map[string]string, args ...string) (config, error) {
		return parseServeConfig(args, func(k string) string { return vars[k] }, io.Discard)
	}
	c, err := parse(nil)
	if err != nil || c.CoherenceThreshold != 0.2 {
		t.Fatalf("default = %v, %v; want 0.2", c.CoherenceThreshold, err)
	}
	c, err = parse(map[string]string{"SIGNPOST_COHERENCE_THRESHOLD": "0.35"})
	if err != nil || c.CoherenceThreshold != 0.35 {
		t.Fatalf("from the environment = %v, %v; want 0.35", c.CoherenceThreshold, err)
	}
	c, err = parse(map[string]string{"SIGNPOST_COHERENCE_THRESHOLD": "0.35"}, "-coherence-threshold", "0.1")
	if err != nil || c.CoherenceThreshold != 0.1 {
		t.Fatalf("flag over environment = %v, %v; want 0.1", c.CoherenceThreshold, err)
	}
	for _, bad := range []string{"abc", "0", "1", "-0.2", "NaN"} {
		if _, err := parse(map[string]string{"SIGNPOST_COHERENCE_THRESHOLD": bad}); err == nil {
			t.Errorf("SIGNPOST_COHERENCE_THRESHOLD=%q accepted", bad)
		}
	}
}

func TestConditionalMinSetting(t *testing.T) {
	parse := func(vars map[string]string, args ...string) (config, error) {
		return parseServeConfig(args, func(k string) string { return vars[k] }, io.Discard)
	}
	if c, err := parse(nil); err != nil || c.ConditionalMin != 5 {
		t.Fatalf("default = %v, %v; want 5", c.ConditionalMin, err)
	}
	if c, err := parse(map[string]string{"SIGNPOST_CONDITIONAL_MIN": "3"}); err != nil || c.ConditionalMin != 3 {
		t.Fatalf("from the environment = %v, %v; want 3", c.ConditionalMin, err)
	}
	for _, bad := range []string{"0", "-1", "five"} {
		if _, err := parse(map[string]string{"SIGNPOST_CONDITIONAL_MIN": bad}); err == nil {
			t.Errorf("SIGNPOST_CONDITIONAL_MIN=%q accepted", bad)
		}
	}
}

// TestConditionalMinNotBelowCrowdMin: a conditional minimum below the
// crowd minimum would let the board show one person's branch forecasts,
// so it is refused at start, naming both settings.
func TestConditionalMinNotBelowCrowdMin(t *testing.T) {
	parse := func(args ...string) (config, error) {
		return parseServeConfig(args, func(string) string { return "" }, io.Discard)
	}
	_, err := parse("-crowd-min", "3", "-conditional-min", "1")
	if err == nil || !strings.Contains(err.Error(), "conditional minimum (1) must be at least the crowd minimum (3)") {
		t.Fatalf("conditional-min 1 under crowd-min 3: err %v; want refused", err)
	}
	if _, err := parse("-crowd-min", "4", "-conditional-min", "4"); err != nil {
		t.Fatalf("equal minimums refused: %v", err)
	}
}

// TestCrowdEstablishedSetting: a day by default, 0 turns it off, negative
// refused.
func TestCrowdEstablishedSetting(t *testing.T) {
	parse := func(vars map[string]string, args ...string) (config, error) {
		return parseServeConfig(args, func(k string) string { return vars[k] }, io.Discard)
	}
	if c, err := parse(nil); err != nil || c.CrowdEstablished != 24*time.Hour {
		t.Fatalf("default = %v, %v; want 24h", c.CrowdEstablished, err)
	}
	if c, err := parse(map[string]string{"SIGNPOST_CROWD_ESTABLISHED": "0"}); err != nil || c.CrowdEstablished != 0 {
		t.Fatalf("0 = %v, %v; want off", c.CrowdEstablished, err)
	}
	if _, err := parse(nil, "-crowd-established", "-1h"); err == nil {
		t.Fatal("a negative age accepted")
	}
}
