package main

import (
	"io"
	"testing"
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
