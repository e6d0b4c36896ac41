package api

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestImportCutMidStreamLeavesNothing: an admin's client that sends half
// of a 4 MiB archive (chunked, so the server reads it as a stream, larger
// than any of its buffers) and hangs up leaves nothing behind, not even
// staged rows; the whole document then imports alone.
func TestImportCutMidStreamLeavesNothing(t *testing.T) {
	e := newTestEnv(t)
	doc := bigArchive(t, 4<<20)
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(conn)
	fmt.Fprintf(w, "POST /api/v1/admin/import HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", e.admin)
	half := doc[:len(doc)/2]
	for len(half) > 0 {
		n := min(len(half), 64<<10)
		fmt.Fprintf(w, "%x\r\n%s\r\n", n, half[:n])
		half = half[n:]
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	// Wait until the server has staged part of the document, then hang up.
	deadline := time.Now().Add(10 * time.Second)
	for n, _ := e.st.PendingImports(e.t.Context()); n == 0 && time.Now().Before(deadline); n, _ = e.st.PendingImports(e.t.Context()) {
		time.Sleep(5 * time.Millisecond)
	}
	conn.Close()
	for n, _ := e.st.PendingImports(e.t.Context()); n != 0; n, _ = e.st.PendingImports(e.t.Context()) {
		if time.Now().After(deadline) {
			t.Fatalf("%d imports still pending after the client hung up; want none", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if r := e.do("GET", "/api/v1/tournaments/big", "", nil); r.status != http.StatusNotFound {
		t.Fatalf("tournament of a cut-off import = %d; want 404", r.status)
	}
	var counts struct{ Users, Forecasts int }
	e.must(200, "POST", "/api/v1/admin/import", e.admin, doc, &counts)
	if want := strings.Count(string(doc), `"question_slug"`); counts.Users != 1 || counts.Forecasts != want {
		t.Fatalf("import after the cut-off one = %+v; want 1 user, %d forecasts", counts, want)
	}
}
