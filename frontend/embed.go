// Package frontend holds the web UI's static files: plain ES modules, CSS and
// SVG with no build step, embedded so that `go build` alone ships the UI.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:static
var static embed.FS

// FS returns the UI files rooted at the static folder (index.html at its root).
func FS() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		// fs.Sub fails only on an invalid path; "static" is a constant.
		panic(err)
	}
	return sub
}
