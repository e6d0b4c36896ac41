package api

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/openapi.json from the route table")

// TestOpenAPIDocumentUnchanged keeps the served contract from moving by
// accident: the document generated from the route table must equal the
// committed testdata/openapi.json byte for byte (as `signpost openapi`
// prints it). A deliberate change to the API regenerates it with
// `go test ./api -run OpenAPIDocumentUnchanged -update` and shows in review.
func TestOpenAPIDocumentUnchanged(t *testing.T) {
	var got bytes.Buffer
	enc := json.NewEncoder(&got)
	enc.SetIndent("", "  ")
	if err := enc.Encode(New(Config{Version: "dev"}).OpenAPI()); err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/openapi.json"
	if *updateGolden {
		if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("the OpenAPI document differs from %s (%d bytes, want %d); if the change is meant, run with -update",
			golden, got.Len(), len(want))
	}
}
