package api

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestCrowdLoadsQuestionsOnFirstRead: a question's latest forecasts are
// read when it is first shown, not at start, and whatever the order of
// forecasts, reads and loads, every question's crowd equals the one a
// fresh cache builds from the table.
func TestCrowdLoadsQuestionsOnFirstRead(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.CrowdMin = 1 })
	ids := e.questionIDs()
	scen, bin := ids["scenario-2027"], ids["a-huawei-ascend-960-launch"]
	ctx := context.Background()
	first := newCrowdCache(e.st, slog.Default())
	if err := first.sync(ctx); err != nil {
		t.Fatal(err)
	}
	first.current(scen)
	if n := first.loaded(); !slices.Equal(n, []int64{scen}) {
		t.Fatalf("loaded questions after reading one = %v; want [%d]", n, scen)
	}
	// The server's own cache: the tournament view read every question.
	e.srv.crowd.restart(0)
	rng := rand.New(rand.NewPCG(7, 14))
	tokens := make([]string, 6)
	for i := range tokens {
		tokens[i], _ = e.register("lazy" + itoa(int64(i)))
	}
	for step := range 60 {
		e.clock.set(testStart.Add(time.Duration(step) * time.Minute))
		tok := tokens[rng.IntN(len(tokens))]
		switch rng.IntN(4) {
		case 0:
			p := rng.Float64()
			e.must(201, "POST", qpath(bin, "/forecasts"), tok, map[string]any{"probability": p}, nil)
		case 1:
			a, b := rng.Float64()/2, rng.Float64()/2
			e.must(201, "POST", qpath(scen, "/forecasts"), tok,
				map[string]any{"probabilities": []float64{a, b, (1 - a - b) / 2, (1 - a - b) / 2}}, nil)
		case 2:
			// The binary question is first read part way through: its
			// forecasts so far were skipped while followed, and come
			// from its load.
			if step > 20 {
				e.must(200, "GET", qpath(bin, ""), tok, nil, nil)
			}
		default:
			e.must(200, "GET", qpath(scen, ""), tok, nil, nil)
		}
		if step == 20 && slices.Contains(e.srv.crowd.loaded(), bin) {
			t.Fatalf("question %d was loaded before anyone read it", bin)
		}
	}
	e.must(200, "GET", qpath(bin, ""), "", nil, nil)
	fresh := newCrowdCache(e.st, slog.Default())
	if err := fresh.sync(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{scen, bin} {
		got, n := e.srv.crowd.current(id)
		want, wn := fresh.current(id)
		if n != wn || !slices.Equal(got, want) || n == 0 {
			t.Fatalf("question %d: crowd %v of %d forecasters; a fresh cache says %v of %d", id, got, n, want, wn)
		}
		for u := int64(1); u < 12; u++ {
			if got, want := e.srv.crowd.latestID(id, u), fresh.latestID(id, u); got != want {
				t.Fatalf("question %d, user %d: latest forecast %d; a fresh cache says %d", id, u, got, want)
			}
		}
	}
}

// loaded lists the questions a crowd cache holds.
func (cc *crowdCache) loaded() []int64 {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	var ids []int64
	for id := range cc.qs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
