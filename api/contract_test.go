package api

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// contract holds the served OpenAPI document and checks every answer the
// API tests receive against it with a JSON Schema 2020-12 validator: a
// status the document does not list, or a body that does not match the
// listed schema, fails the test that made the request. It also counts
// which operations and statuses the tests reached.
type contract struct {
	compiler *jsonschema.Compiler
	ops      []contractOp
	mu       sync.Mutex
	schemas  map[string]*jsonschema.Schema
	seen     map[string]bool // "operationId status"
}

type contractOp struct {
	method, template, id string
	re                   *regexp.Regexp
	responses            map[string]map[string]any
}

const docURL = "mem://signpost/openapi.json"

var (
	theContract     *contract
	theContractOnce sync.Once
	theContractErr  error
)

// loadContract reads the document the server serves (once per test binary:
// every test server serves the same document).
func loadContract(base string) (*contract, error) {
	theContractOnce.Do(func() {
		resp, err := http.Get(base + "/api/openapi.json")
		if err != nil {
			theContractErr = err
			return
		}
		defer resp.Body.Close()
		raw, err := io.ReadAll(resp.Body)
		if err != nil {
			theContractErr = err
			return
		}
		theContract, theContractErr = newContract(raw)
	})
	return theContract, theContractErr
}

func newContract(raw []byte) (*contract, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	c := &contract{compiler: jsonschema.NewCompiler(), schemas: map[string]*jsonschema.Schema{}, seen: map[string]bool{}}
	c.compiler.DefaultDraft(jsonschema.Draft2020)
	c.compiler.AssertFormat()
	if err := c.compiler.AddResource(docURL, doc); err != nil {
		return nil, err
	}
	var typed struct {
		Paths map[string]map[string]struct {
			OperationID string                    `json:"operationId"`
			Responses   map[string]map[string]any `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &typed); err != nil {
		return nil, err
	}
	param := regexp.MustCompile(`\{[a-z_]+\}`)
	for path, item := range typed.Paths {
		for method, op := range item {
			re := regexp.MustCompile("^" + param.ReplaceAllString(path, `[^/]+`) + "$")
			c.ops = append(c.ops, contractOp{method: strings.ToUpper(method), template: path, id: op.OperationID,
				re: re, responses: op.Responses})
		}
	}
	// Literal segments win over parameters (/teams/join before /teams/{id}).
	sort.Slice(c.ops, func(i, j int) bool {
		return strings.Count(c.ops[i].template, "{") < strings.Count(c.ops[j].template, "{")
	})
	return c, nil
}

func (c *contract) match(method, path string) *contractOp {
	for i := range c.ops {
		if c.ops[i].method == method && c.ops[i].re.MatchString(path) {
			return &c.ops[i]
		}
	}
	return nil
}

// check validates one answer; it returns why it breaks the contract.
func (c *contract) check(method, rawPath string, status int, header http.Header, body []byte) error {
	path, _, _ := strings.Cut(rawPath, "?")
	op := c.match(method, path)
	if op == nil {
		if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
			return nil // not an operation: the catch-all answers
		}
		return fmt.Errorf("%s %s answered %d but is not in the document", method, path, status)
	}
	code := strconv.Itoa(status)
	resp, ok := op.responses[code]
	if !ok {
		return fmt.Errorf("%s (%s %s) answered %d, which the document does not list: %s", op.id, method, path, status, body)
	}
	c.mu.Lock()
	c.seen[op.id+" "+code] = true
	c.mu.Unlock()
	content, _ := resp["content"].(map[string]any)
	if len(content) == 0 {
		if len(body) > 0 && status != http.StatusNotModified {
			return fmt.Errorf("%s answered %d with a body the document does not describe", op.id, status)
		}
		return nil
	}
	media, _, _ := strings.Cut(header.Get("Content-Type"), ";")
	if _, ok := content[media]; !ok {
		return fmt.Errorf("%s answered %d as %q; the document lists %v", op.id, status, media, keys(content))
	}
	if media != "application/json" {
		return nil
	}
	sch, err := c.schema(op.template, strings.ToLower(method), code)
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s answered %d with invalid JSON: %v", op.id, status, err)
	}
	if err := sch.Validate(v); err != nil {
		return fmt.Errorf("%s answered %d with a body that breaks its schema: %v\nbody: %.2000s", op.id, status, err, body)
	}
	return nil
}

func (c *contract) schema(template, method, code string) (*jsonschema.Schema, error) {
	ptr := "#/paths/" + escapePointer(template) + "/" + method + "/responses/" + code + "/content/application~1json/schema"
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.schemas[ptr]; ok {
		return s, nil
	}
	s, err := c.compiler.Compile(docURL + ptr)
	if err != nil {
		return nil, fmt.Errorf("compile %s: %v", ptr, err)
	}
	c.schemas[ptr] = s
	return s, nil
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestMain runs the package's tests, then, on a full run, fails if an
// operation of the document was never answered with success by any test:
// every operation is exercised against the contract.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && theContract != nil {
		var missing []string
		for _, op := range theContract.ops {
			ok := false
			for status := range op.responses {
				if strings.HasPrefix(status, "2") && theContract.seen[op.id+" "+status] {
					ok = true
				}
			}
			if !ok {
				missing = append(missing, op.id)
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			fmt.Fprintf(os.Stderr, "FAIL: operations no test answered with success (against the contract): %v\n", missing)
			code = 1
		}
	}
	os.Exit(code)
}

// TestContractCatchesDrift shows the check fails on what it must catch: a
// missing required field, a wrong type, an undocumented status.
func TestContractCatchesDrift(t *testing.T) {
	e := newTestEnv(t)
	e.must(200, "GET", "/healthz", "", nil, nil)
	r := e.must(200, "GET", "/api/v1/tournaments", "", nil, nil)
	ct, err := loadContract(e.base)
	if err != nil {
		t.Fatal(err)
	}
	if err := ct.check("GET", "/api/v1/tournaments", 200, r.header, r.raw); err != nil {
		t.Fatalf("a real answer fails: %v", err)
	}
	broken := map[string][]byte{
		"missing field": bytes.Replace(r.raw, []byte(`"slug":`), []byte(`"slugs":`), 1),
		"wrong type":    bytes.Replace(r.raw, []byte(`"id":1`), []byte(`"id":"1"`), 1),
		"not an object": []byte(`[]`),
	}
	for name, body := range broken {
		if bytes.Equal(body, r.raw) {
			t.Fatalf("%s: the replacement did not apply", name)
		}
		if err := ct.check("GET", "/api/v1/tournaments", 200, r.header, body); err == nil {
			t.Errorf("%s: check passed %s", name, body)
		}
	}
	if err := ct.check("GET", "/api/v1/tournaments", 418, r.header, r.raw); err == nil {
		t.Error("an undocumented status passed")
	}
	if err := ct.check("GET", "/api/v1/questions/7", 409, r.header, r.raw); err == nil {
		t.Error("a status the operation does not list passed")
	}
}
