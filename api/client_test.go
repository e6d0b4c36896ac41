package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// docClient is a client that knows the API only through the served OpenAPI
// document, as a generated client does: it finds operations by
// operationId, fills in the parameters the document declares (and refuses
// any other), checks the request body against the document's request
// schema before sending, and checks the answer against the response schema.
type docClient struct {
	t     *testing.T
	base  string
	token string
	ct    *contract
	ops   map[string]docOperation
}

type docOperation struct {
	method, path string
	params       map[string]string // name -> "path" or "query"
	request      string            // JSON pointer of the request schema, "" if none
}

func newDocClient(t *testing.T, base string) *docClient {
	t.Helper()
	resp, err := http.Get(base + "/api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Parameters  []struct {
				Name string `json:"name"`
				In   string `json:"in"`
			} `json:"parameters"`
			RequestBody *struct{} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	ct, err := loadContract(base)
	if err != nil {
		t.Fatal(err)
	}
	c := &docClient{t: t, base: base, ct: ct, ops: map[string]docOperation{}}
	for path, item := range doc.Paths {
		for method, op := range item {
			d := docOperation{method: strings.ToUpper(method), path: path, params: map[string]string{}}
			for _, p := range op.Parameters {
				d.params[p.Name] = p.In
			}
			if op.RequestBody != nil {
				d.request = "#/paths/" + escapePointer(path) + "/" + method + "/requestBody/content/application~1json/schema"
			}
			c.ops[op.OperationID] = d
		}
	}
	return c
}

// call runs an operation and decodes its answer into out; it returns the
// status.
func (c *docClient) call(id string, params map[string]any, body any, out any) int {
	c.t.Helper()
	op, ok := c.ops[id]
	if !ok {
		c.t.Fatalf("the document has no operation %q", id)
	}
	path, query := op.path, url.Values{}
	for name, v := range params {
		switch op.params[name] {
		case "path":
			path = strings.ReplaceAll(path, "{"+name+"}", url.PathEscape(fmt.Sprint(v)))
		case "query":
			query.Set(name, fmt.Sprint(v))
		default:
			c.t.Fatalf("%s declares no parameter %q", id, name)
		}
	}
	if strings.Contains(path, "{") {
		c.t.Fatalf("%s: parameters missing in %s", id, path)
	}
	var rd io.Reader
	if body != nil {
		if op.request == "" {
			c.t.Fatalf("%s takes no request body", id)
		}
		raw, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		c.validateRequest(id, op.request, raw)
		rd = bytes.NewReader(raw)
	}
	target := path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	req, err := http.NewRequest(op.method, c.base+target, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := c.ct.check(op.method, target, resp.StatusCode, resp.Header, raw); err != nil {
		c.t.Fatalf("contract: %v", err)
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			c.t.Fatalf("%s: %v in %s", id, err, raw)
		}
	}
	return resp.StatusCode
}

func (c *docClient) validateRequest(id, ptr string, raw []byte) {
	c.t.Helper()
	sch, err := c.ct.compiler.Compile(docURL + ptr)
	if err != nil {
		c.t.Fatalf("%s: request schema: %v", id, err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		c.t.Fatal(err)
	}
	if err := sch.Validate(v); err != nil {
		c.t.Fatalf("%s: the request breaks the document's schema: %v", id, err)
	}
}

// TestClientFromDocument drives the core flow (register, sign in,
// forecast, resolution, leaderboard) through a client that knows only the
// served document.
func TestClientFromDocument(t *testing.T) {
	e := newTestEnv(t)
	c := newDocClient(t, e.base)

	if st := c.call("register", nil, map[string]any{"username": "bot1", "password": "bot-password"}, nil); st != 201 {
		t.Fatalf("register = %d", st)
	}
	var auth struct {
		Token string `json:"token"`
	}
	if st := c.call("login", nil, map[string]any{"username": "bot1", "password": "bot-password"}, &auth); st != 200 {
		t.Fatalf("login = %d", st)
	}
	c.token = auth.Token

	var td struct {
		Questions []struct {
			ID    int64  `json:"id"`
			Kind  string `json:"kind"`
			State string `json:"state"`
		} `json:"questions"`
	}
	c.call("getTournament", map[string]any{"slug": "ai-scenarios-2027"}, nil, &td)
	var binary int64
	for _, q := range td.Questions {
		if q.Kind == "binary" && q.State == "open" {
			binary = q.ID
			break
		}
	}
	if binary == 0 {
		t.Fatal("no open binary question in the default tournament")
	}
	if st := c.call("createForecast", map[string]any{"id": binary}, map[string]any{"probability": 0.8, "rationale": "from a client"}, nil); st != 201 {
		t.Fatalf("createForecast = %d", st)
	}
	if st := c.call("createForecast", map[string]any{"id": binary}, map[string]any{"probability": 1.5}, nil); st != 400 {
		t.Fatalf("createForecast with 1.5 = %d; want 400", st)
	}

	e.clock.set(testStart.Add(20 * time.Hour)) // the forecast stands 20 hours
	c.token = e.admin
	if st := c.call("resolveQuestion", map[string]any{"id": binary}, map[string]any{"outcome": 0}, nil); st != 200 {
		t.Fatalf("resolveQuestion = %d", st)
	}
	c.token = ""
	var board struct {
		Entries []struct {
			Rank int `json:"rank"`
			User struct {
				Username string `json:"username"`
			} `json:"user"`
		} `json:"entries"`
	}
	c.call("getLeaderboard", map[string]any{"slug": "ai-scenarios-2027", "by": "user"}, nil, &board)
	if len(board.Entries) != 1 || board.Entries[0].User.Username != "bot1" || board.Entries[0].Rank != 1 {
		t.Fatalf("leaderboard = %+v; want bot1 ranked 1", board.Entries)
	}
}
