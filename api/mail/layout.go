package mail

import (
	"bytes"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
)

// body is a message before rendering: every mail is a title, paragraphs,
// an optional button, optional sections of items and a footer, written
// once as text and once as HTML from the same values.
type body struct {
	Lang     string
	Title    string
	Paras    []string
	Button   *link
	Sections []section
	Footer   []string
	// Unsubscribe is the page that confirms an unsubscription ("": none).
	Unsubscribe *link
}

type section struct {
	Title string
	Items []item
}

type item struct {
	Text   string
	Detail string
	Link   *link
}

type link struct {
	Text string
	URL  string
}

var textLayout = texttemplate.Must(texttemplate.New("text").Parse(`{{.Title}}

{{range .Paras}}{{.}}

{{end}}{{with .Button}}{{.Text}}: {{.URL}}

{{end}}{{range .Sections}}== {{.Title}} ==
{{range .Items}}
- {{.Text}}{{with .Detail}}
  {{.}}{{end}}{{with .Link}}
  {{.Text}}: {{.URL}}{{end}}
{{end}}
{{end}}--
{{range .Footer}}{{.}}
{{end}}{{with .Unsubscribe}}{{.Text}}: {{.URL}}
{{end}}`))

var htmlLayout = htmltemplate.Must(htmltemplate.New("html").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{.Title}}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2328;max-width:40em;margin:0 auto;padding:1em">
<h1 style="font-size:1.3em">{{.Title}}</h1>
{{range .Paras}}<p>{{.}}</p>
{{end}}{{with .Button}}<p><a href="{{.URL}}" style="display:inline-block;padding:.6em 1.2em;background:#1a5fb4;color:#fff;text-decoration:none;border-radius:4px">{{.Text}}</a></p>
{{end}}{{range .Sections}}<h2 style="font-size:1.1em;margin-top:1.5em">{{.Title}}</h2>
<ul>{{range .Items}}<li>{{.Text}}{{with .Detail}}<br><span style="color:#57606a">{{.}}</span>{{end}}{{with .Link}}<br><a href="{{.URL}}">{{.Text}}</a>{{end}}</li>
{{end}}</ul>
{{end}}<hr style="border:0;border-top:1px solid #d0d7de">
<p style="color:#57606a;font-size:.9em">{{range .Footer}}{{.}}<br>{{end}}{{with .Unsubscribe}}<a href="{{.URL}}">{{.Text}}</a>{{end}}</p>
</body></html>
`))

// render writes b as text and as HTML.
func (b body) render() (text, html string, err error) {
	var t, h bytes.Buffer
	if err := textLayout.Execute(&t, b); err != nil {
		return "", "", err
	}
	if err := htmlLayout.Execute(&h, b); err != nil {
		return "", "", err
	}
	return strings.TrimSpace(t.String()) + "\n", h.String(), nil
}
