package api

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"signpost/api/tripwires"
	"signpost/store"
)

// useWires builds the environment's tripwire evaluator as cmd/signpost
// does, on the test clock, reading the server's caches.
func (e *testEnv) useWires() *tripwires.Evaluator {
	return tripwires.New(e.st, tripwires.Config{Now: e.clock.now, Log: e.srv.log}, e.srv.TripwireSources())
}

// tickWires runs one round of ev and checks how many tripwires it fired.
func (e *testEnv) tickWires(ev *tripwires.Evaluator, want int) {
	e.t.Helper()
	n, err := ev.Tick(e.t.Context())
	if err != nil || n != want {
		e.t.Fatalf("tripwire round fired %d, %v; want %d", n, err, want)
	}
}

func (e *testEnv) tripwires(slug string) map[int64]tripwireDTO {
	e.t.Helper()
	var l tripwireListDTO
	e.must(200, "GET", "/api/v1/tournaments/"+slug+"/tripwires", "", nil, &l)
	out := map[int64]tripwireDTO{}
	for _, w := range l.Tripwires {
		out[w.ID] = w
	}
	return out
}

func (e *testEnv) addTripwire(slug string, body map[string]any) tripwireDTO {
	e.t.Helper()
	full := map[string]any{"name": map[string]string{"en": "Wire", "zh": "警戒线"}, "owner": "admin",
		"action": map[string]string{"en": "Act.", "zh": "行动。"}}
	for k, v := range body {
		full[k] = v
	}
	var w tripwireDTO
	e.must(201, "POST", "/api/v1/tournaments/"+slug+"/tripwires", e.admin, full, &w)
	return w
}

// TestCrowdTripwiresFireOnceAndRearm: a crowd tripwire fires once when the
// crowd as shown crosses it (not below the crowd minimum), re-arms once
// the crowd is back, fires again on the next crossing, and each firing
// reaches receivers in all four formats.
func TestCrowdTripwiresFireOnceAndRearm(t *testing.T) {
	e := webhookEnv(t) // the default crowd minimum: 3
	q := crowdPrivacyTournament(e)("q", 30*24*time.Hour)
	rc := newReceiver(t)
	for _, f := range []string{"json", "slack", "feishu", "dingtalk"} {
		e.addWebhook("cup", rc.URL+"/"+f, f, "", "tripwire.fired")
	}
	e.register("olive")
	high := e.addTripwire("cup", map[string]any{"kind": "crowd", "question_id": q, "op": ">=", "value": 0.7, "owner": "olive",
		"name": map[string]string{"en": "Yes passes 70%", "zh": "是超过 70%"}, "action": map[string]string{"en": "Review the plan."}})
	low := e.addTripwire("cup", map[string]any{"kind": "crowd", "question_id": q, "option": 1, "op": "<=", "value": 0.25})
	if high.Option == nil || *high.Option != 0 || high.State != "armed" || high.Owner != "olive" || high.FiredAt != nil {
		t.Fatalf("created %+v; want armed on Yes, owned by olive", high)
	}
	ev := e.useWires()
	tokens := map[string]string{}
	for _, n := range []string{"ann", "bob", "cat"} {
		tokens[n], _ = e.register(n)
	}
	forecast := func(p float64, names ...string) {
		for _, n := range names {
			e.must(201, "POST", qpath(q, "/forecasts"), tokens[n], map[string]any{"probability": p}, nil)
		}
	}
	forecast(0.9, "ann", "bob")
	e.tickWires(ev, 0) // two forecasters: no crowd shown, no value
	forecast(0.9, "cat")
	e.tickWires(ev, 2)
	e.tickWires(ev, 0) // fired once
	ws := e.tripwires("cup")
	if w := ws[high.ID]; w.State != "fired" || w.FiredAt == nil || w.FiredValue == nil || *w.FiredValue < 0.7 {
		t.Fatalf("after crossing: %+v; want fired with the crowd's value", w)
	}
	forecast(0.5, "ann", "bob", "cat")
	e.tickWires(ev, 0)
	ws = e.tripwires("cup")
	if ws[high.ID].State != "armed" || ws[low.ID].State != "armed" || ws[high.ID].FiredAt == nil {
		t.Fatalf("after the crowd came back: %+v; want both armed, keeping their last firing", ws)
	}
	e.clock.set(testStart.Add(time.Hour))
	forecast(0.95, "ann", "bob", "cat")
	e.tickWires(ev, 2)
	if w := e.tripwires("cup")[high.ID]; w.FiredAt == nil || *w.FiredAt != formatTime(testStart.Add(time.Hour)) {
		t.Fatalf("fired again: %+v; want fired at %v", w, testStart.Add(time.Hour))
	}
	e.tick()
	if n := len(rc.requests()); n != 16 {
		t.Fatalf("%d deliveries; want 4 firings × 4 formats", n)
	}
	var body struct {
		Event    string         `json:"event"`
		Question map[string]any `json:"question"`
		Tripwire map[string]any `json:"tripwire"`
	}
	for _, g := range rc.requests() {
		if g.path == "/json" && json.Unmarshal(g.body, &body) == nil && body.Tripwire["id"] == float64(high.ID) {
			break
		}
	}
	if body.Event != "tripwire.fired" || body.Tripwire["owner"] != "olive" || body.Tripwire["op"] != ">=" ||
		body.Question["id"] != float64(q) {
		t.Fatalf("json body %+v; want tripwire.fired of olive's tripwire on the question", body)
	}
	for _, f := range []string{"slack", "feishu", "dingtalk"} {
		found := false
		for _, g := range rc.requests() {
			if g.path == "/"+f && strings.Contains(string(g.body), `\"Yes passes 70%\": 90% ≥ 70%. Owner @olive: Review the plan.`) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no chat text naming the tripwire, its value, owner and action", f)
		}
	}
}

// TestScenarioTripwiresFollowTheBoard: evidence and implied tripwires
// watch a scenario's probabilities on the signpost board: resolving an
// indicator that raises the scenario fires them, correcting it re-arms
// them.
func TestScenarioTripwiresFollowTheBoard(t *testing.T) {
	e := newTestEnv(t)
	const slug = "ai-scenarios-2027"
	board := func() signpostsDTO {
		var b signpostsDTO
		e.must(200, "GET", "/api/v1/tournaments/"+slug+"/signposts", "", nil, &b)
		return b
	}
	b0 := board()
	var ind int64
	for _, l := range b0.Scenarios[0].For {
		if l.Trigger == "yes" {
			ind = l.QuestionID
			break
		}
	}
	if ind == 0 {
		t.Fatal("no binary indicator raises the first scenario")
	}
	e.clock.set(testStart.Add(time.Minute))
	e.must(200, "POST", qpath(ind, "/resolve"), e.admin, map[string]any{"outcome": 0}, nil)
	b1 := board()
	ev0, ev1 := b0.Scenarios[0].Evidence, b1.Scenarios[0].Evidence
	im0, im1 := b0.Scenarios[0].Implied, b1.Scenarios[0].Implied
	if !(ev1 > ev0) || !(im1 > im0) {
		t.Fatalf("resolving indicator %d Yes: evidence %v -> %v, implied %v -> %v; want both up", ind, ev0, ev1, im0, im1)
	}
	e.must(200, "POST", qpath(ind, "/resolve"), e.admin, map[string]any{"outcome": 1}, nil)
	scen := b0.ScenarioQuestionID
	evidence := e.addTripwire(slug, map[string]any{"kind": "evidence", "question_id": scen, "option": 0, "op": ">=", "value": (ev0 + ev1) / 2})
	implied := e.addTripwire(slug, map[string]any{"kind": "implied", "question_id": scen, "option": 0, "op": ">=", "value": (im0 + im1) / 2})
	wires := e.useWires()
	e.tickWires(wires, 0) // resolved No: below both
	e.must(200, "POST", qpath(ind, "/resolve"), e.admin, map[string]any{"outcome": 0}, nil)
	e.tickWires(wires, 2)
	e.tickWires(wires, 0)
	ws := e.tripwires(slug)
	if w := ws[evidence.ID]; w.State != "fired" || w.FiredValue == nil || *w.FiredValue != ev1 {
		t.Fatalf("evidence tripwire %+v; want fired at %v", w, ev1)
	}
	e.must(200, "POST", qpath(ind, "/resolve"), e.admin, map[string]any{"outcome": 1}, nil)
	e.tickWires(wires, 0)
	ws = e.tripwires(slug)
	if ws[evidence.ID].State != "armed" || ws[implied.ID].State != "armed" {
		t.Fatalf("after the correction: %+v; want both armed again", ws)
	}
	e.must(200, "POST", qpath(ind, "/resolve"), e.admin, map[string]any{"outcome": 0}, nil)
	e.tickWires(wires, 2)
}

// TestRacingEvaluatorsFireOnce: two evaluators (two instances) running
// rounds at the same moment fire a crossed tripwire once.
func TestRacingEvaluatorsFireOnce(t *testing.T) {
	e := webhookEnv(t)
	q := crowdPrivacyTournament(e)("q", 30*24*time.Hour)
	rc := newReceiver(t)
	hook := e.addWebhook("cup", rc.URL+"/json", "json", "", "tripwire.fired")
	e.addTripwire("cup", map[string]any{"kind": "crowd", "question_id": q, "op": ">=", "value": 0.5})
	for _, n := range []string{"ann", "bob", "cat"} {
		tok, _ := e.register(n)
		e.must(201, "POST", qpath(q, "/forecasts"), tok, map[string]any{"probability": 0.8}, nil)
	}
	a, b := e.useWires(), e.useWires()
	var wg sync.WaitGroup
	fired := make([]int, 2)
	for i, ev := range []*tripwires.Evaluator{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := ev.Tick(t.Context())
			if err != nil {
				t.Error(err)
			}
			fired[i] = n
		}()
	}
	wg.Wait()
	if fired[0]+fired[1] != 1 {
		t.Fatalf("racing evaluators fired %v; want 1 in all", fired)
	}
	if ds := e.deliveries("cup", hook.ID); len(ds) != 1 || ds[0].Event != "tripwire.fired" {
		t.Fatalf("deliveries %+v; want one tripwire.fired", ds)
	}
}

// TestTripwireValidation: only admins set and remove tripwires, and a bad
// field is a 400 naming it.
func TestTripwireValidation(t *testing.T) {
	e := newTestEnv(t)
	const slug = "ai-scenarios-2027"
	ids := e.questionIDs()
	scen := ids["scenario-2027"]
	// A binary indicator without a feed (the seed gives some a feed), the
	// first in slug order so every run tests the same one.
	var binary int64
	for _, s := range slices.Sorted(maps.Keys(ids)) {
		id := ids[s]
		var q questionDTO
		e.must(200, "GET", qpath(id, ""), "", nil, &q)
		if s != "scenario-2027" && q.Kind == "binary" && e.do("GET", qpath(id, "/feed"), e.admin, nil).status == 404 {
			binary = id
			break
		}
	}
	if binary == 0 {
		t.Fatal("the seed has no binary indicator without a feed")
	}
	user, _ := e.register("someone")
	good := func(change map[string]any) map[string]any {
		body := map[string]any{"name": map[string]string{"en": "W"}, "kind": "crowd", "question_id": binary, "op": ">=",
			"value": 0.5, "owner": "someone", "action": map[string]string{"zh": "行动"}}
		for k, v := range change {
			if v == nil {
				delete(body, k)
			} else {
				body[k] = v
			}
		}
		return body
	}
	path := "/api/v1/tournaments/" + slug + "/tripwires"
	e.runScenarios(t, []scenario{
		{name: "no token", method: "POST", path: path, body: good(nil), status: 401},
		{name: "not an admin", method: "POST", path: path, token: user, body: good(nil), status: 403},
		{name: "unknown tournament", method: "POST", path: "/api/v1/tournaments/nope/tripwires", token: e.admin, body: good(nil), status: 404},
		{name: "unknown owner", method: "POST", path: path, token: e.admin, body: good(map[string]any{"owner": "nobody"}),
			status: 400, code: "validation_failed", field: "owner"},
		{name: "no owner", method: "POST", path: path, token: e.admin, body: good(map[string]any{"owner": nil}),
			status: 400, code: "validation_failed", field: "owner"},
		{name: "no name", method: "POST", path: path, token: e.admin, body: good(map[string]any{"name": map[string]string{"en": " "}}),
			status: 400, code: "validation_failed", field: "name"},
		{name: "no action", method: "POST", path: path, token: e.admin, body: good(map[string]any{"action": nil}),
			status: 400, code: "validation_failed", field: "action"},
		{name: "unknown kind", method: "POST", path: path, token: e.admin, body: good(map[string]any{"kind": "vibes"}),
			status: 400, code: "validation_failed", field: "kind"},
		{name: "bad op", method: "POST", path: path, token: e.admin, body: good(map[string]any{"op": ">"}),
			status: 400, code: "validation_failed", field: "op"},
		{name: "probability above 1", method: "POST", path: path, token: e.admin, body: good(map[string]any{"value": 55}),
			status: 400, code: "validation_failed", field: "value"},
		{name: "no such question", method: "POST", path: path, token: e.admin, body: good(map[string]any{"question_id": 999999}),
			status: 400, code: "validation_failed", field: "question_id"},
		{name: "option out of range", method: "POST", path: path, token: e.admin, body: good(map[string]any{"option": 2}),
			status: 400, code: "validation_failed", field: "option"},
		{name: "scenario crowd needs an option", method: "POST", path: path, token: e.admin,
			body: good(map[string]any{"question_id": scen}), status: 400, code: "validation_failed", field: "option"},
		{name: "implied needs the scenario question", method: "POST", path: path, token: e.admin,
			body: good(map[string]any{"kind": "implied", "option": 0}), status: 400, code: "validation_failed", field: "question_id"},
		{name: "evidence option out of range", method: "POST", path: path, token: e.admin,
			body: good(map[string]any{"kind": "evidence", "question_id": scen, "option": 4}), status: 400, code: "validation_failed", field: "option"},
		{name: "feed needs a question with a feed", method: "POST", path: path, token: e.admin,
			body: good(map[string]any{"kind": "feed", "value": 55}), status: 400, code: "validation_failed", field: "question_id"},
		{name: "created", method: "POST", path: path, token: e.admin,
			body: good(map[string]any{"kind": "evidence", "question_id": scen, "option": 3}), status: 201},
		{name: "listed for everyone", method: "GET", path: path, status: 200, checkBody: func(t *testing.T, r response) {
			var l tripwireListDTO
			r.decode(t, &l)
			if len(l.Tripwires) != 1 || l.Tripwires[0].Kind != "evidence" || l.Tripwires[0].State != "armed" {
				t.Fatalf("listed %+v; want the evidence tripwire, armed", l)
			}
		}},
		{name: "delete: not an admin", method: "DELETE", path: path + "/1", token: user, status: 403},
		{name: "delete: no such tripwire", method: "DELETE", path: path + "/99", token: e.admin, status: 404},
		{name: "deleted", method: "DELETE", path: path + "/1", token: e.admin, status: 204},
	})
	r := e.must(200, "GET", "/api/v1/tournaments/"+slug+"/audit", e.admin, nil, nil)
	if !strings.Contains(string(r.raw), "create_tripwire") || !strings.Contains(string(r.raw), "delete_tripwire") {
		t.Fatalf("audit %s; want create_tripwire and delete_tripwire", r.raw)
	}
}

// TestFeedTripwireFollowsGoodSnapshots: a feed tripwire reads the value
// of its question's latest successful snapshot: it fires once when that
// crosses the threshold, a failed fetch changes nothing, and it re-arms
// once a good value is back below.
func TestFeedTripwireFollowsGoodSnapshots(t *testing.T) {
	e := newTestEnv(t)
	ctx := t.Context()
	const slug = "ai-scenarios-2027"
	q := e.questionIDs()["a-huawei-ascend-960-launch"]
	f := store.Feed{QuestionID: q, URL: "https://openrouter.example/rankings", Extract: store.FeedExtract{Format: store.FeedJSON,
		Pointer: "/data/china_share"}, Every: time.Hour, Rule: json.RawMessage(`{"op":">=","value":55}`), Enabled: true}
	if _, err := e.st.PutFeed(ctx, f, 0); err != nil {
		t.Fatal(err)
	}
	at := testStart
	snap := func(status string, v float64) {
		t.Helper()
		at = at.Add(time.Hour)
		sn := store.Snapshot{QuestionID: q, URL: f.URL, Extract: f.Extract, Status: status, Value: v, SHA256: "00", FetchedAt: at}
		if status == store.SnapshotError {
			sn.Error = "timeout"
		}
		if _, err := e.st.AddSnapshot(ctx, sn, at.Add(time.Hour), 0); err != nil {
			t.Fatal(err)
		}
	}
	e.register("strategy")
	w := e.addTripwire(slug, map[string]any{"kind": "feed", "question_id": q, "op": ">=", "value": 55, "owner": "strategy",
		"name": map[string]string{"en": "China share passes 55%"}, "action": map[string]string{"en": "Review the supplier plan."}})
	if w.Option != nil {
		t.Fatalf("feed tripwire %+v; want no option", w)
	}
	ev := e.useWires()
	e.tickWires(ev, 0) // no snapshot yet: no value
	snap(store.SnapshotOK, 51.5)
	e.tickWires(ev, 0)
	snap(store.SnapshotOK, 57.25)
	e.tickWires(ev, 1)
	snap(store.SnapshotError, 0)
	e.tickWires(ev, 0) // a failed fetch is no value: still fired
	if got := e.tripwires(slug)[w.ID]; got.State != "fired" || got.FiredValue == nil || *got.FiredValue != 57.25 {
		t.Fatalf("after a failed fetch: %+v; want fired at 57.25", got)
	}
	snap(store.SnapshotOK, 54)
	e.tickWires(ev, 0)
	if got := e.tripwires(slug)[w.ID]; got.State != "armed" {
		t.Fatalf("back below: %+v; want armed", got)
	}
	snap(store.SnapshotOK, 61)
	e.clock.set(testStart.Add(time.Hour)) // a notice per firing: firings are at different times
	e.tickWires(ev, 1)
	owner, err := e.st.FindUserByUsername(ctx, "strategy")
	if err != nil {
		t.Fatal(err)
	}
	ns, err := e.st.UserNotifications(ctx, owner.ID, 0, 10, false)
	if err != nil || len(ns) != 2 || !strings.Contains(string(ns[0].Data), "61 ≥ 55. Your action: Review the supplier plan.") {
		t.Fatalf("owner's notices %+v, %v; want one per firing with the value and the action", ns, err)
	}
}

// TestResolutionWakesTheEvaluator: a resolution moves the board's
// evidence and the store announces it, so a running evaluator fires an
// evidence tripwire at once rather than at its next tick (an hour away).
func TestResolutionWakesTheEvaluator(t *testing.T) {
	e := newTestEnv(t)
	const slug = "ai-scenarios-2027"
	var b signpostsDTO
	e.must(200, "GET", "/api/v1/tournaments/"+slug+"/signposts", "", nil, &b)
	var ind int64
	for _, l := range b.Scenarios[0].For {
		if l.Trigger == "yes" {
			ind = l.QuestionID
			break
		}
	}
	w := e.addTripwire(slug, map[string]any{"kind": "evidence", "question_id": b.ScenarioQuestionID, "option": 0, "op": ">=",
		"value": b.Scenarios[0].Evidence + 0.001})
	ev := tripwires.New(e.st, tripwires.Config{Interval: time.Hour, Now: e.clock.now, Log: e.srv.log}, e.srv.TripwireSources())
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		ev.Run(ctx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	time.Sleep(100 * time.Millisecond) // the first round, at once, finds nothing crossed
	e.must(200, "POST", qpath(ind, "/resolve"), e.admin, map[string]any{"outcome": 0}, nil)
	if !waitFor(5*time.Second, func() bool { return e.tripwires(slug)[w.ID].State == "fired" }) {
		t.Fatalf("tripwire %+v; want fired within seconds of the resolution", e.tripwires(slug)[w.ID])
	}
}
