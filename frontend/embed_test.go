package frontend

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

func readAll(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := fs.WalkDir(FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(FS(), path)
		if err != nil {
			return err
		}
		files[path] = string(b)
		return nil
	})
	if err != nil {
		t.Fatalf("walking the embedded UI: %v", err)
	}
	return files
}

func TestEmbeddedFiles(t *testing.T) {
	files := readAll(t)
	for _, want := range []string{"index.html", "js/main.js", "css/app.css", "favicon.svg", "js/pages/home.js", "js/lib/i18n/en.json", "js/lib/i18n/zh.json"} {
		if _, ok := files[want]; !ok {
			t.Errorf("FS() has no %s", want)
		}
	}
}

// The whole UI, not only the first load, stays far below the 300 KB budget
// as it travels (gzip, as the server sends it). The raw ceiling catches a
// file added by accident (a bundle, an image) before compression hides it.
func TestSizeBudget(t *testing.T) {
	raw, zipped := 0, 0
	for _, body := range readAll(t) {
		raw += len(body)
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(body))
		zw.Close()
		zipped += buf.Len()
	}
	if zipped > 150*1024 {
		t.Errorf("embedded UI is %d bytes gzipped; want under 150 KiB (half the 300 KB budget)", zipped)
	}
	if raw > 512*1024 {
		t.Errorf("embedded UI is %d bytes; want under 512 KiB", raw)
	}
	t.Logf("embedded UI: %d bytes, %d gzipped", raw, zipped)
}

// The server's CSP forbids inline scripts, inline styles and event-handler
// attributes; data must never reach the page as HTML.
func TestCSPAndSafeDOM(t *testing.T) {
	files := readAll(t)
	inlineScript := regexp.MustCompile(`<script(?:\s[^>]*)?>`)
	handlerAttr := regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	for path, body := range files {
		switch {
		case strings.HasSuffix(path, ".html"):
			for _, tag := range inlineScript.FindAllString(body, -1) {
				if !strings.Contains(tag, "src=") {
					t.Errorf("%s: inline script %q", path, tag)
				}
			}
			if strings.Contains(body, "style=") || strings.Contains(body, "<style") {
				t.Errorf("%s: inline style", path)
			}
			if handlerAttr.MatchString(body) {
				t.Errorf("%s: inline event handler", path)
			}
			if strings.Contains(body, `src="http`) || strings.Contains(body, `href="http`) {
				t.Errorf("%s: external resource", path)
			}
		case strings.HasSuffix(path, ".js"):
			for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setAttribute('style'", `setAttribute("style"`} {
				if strings.Contains(body, bad) {
					t.Errorf("%s uses %s", path, bad)
				}
			}
		case strings.HasSuffix(path, ".css"):
			if strings.Contains(body, "@import") || strings.Contains(body, "url(http") || strings.Contains(body, "@font-face") {
				t.Errorf("%s loads an external resource", path)
			}
		}
	}
}
