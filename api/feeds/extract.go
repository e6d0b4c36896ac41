package feeds

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"signpost/store"
)

// Row says which record a feed reads: the last, the first, or the one
// whose key column equals a value.
type Row struct {
	// Which is "last", "first" or "match".
	Which  string
	Column string
	Equals string
}

// ParseRow reads the API spelling of a row: "last", "first" or
// {"column": …, "equals": …}. An empty value is the last row.
func ParseRow(raw json.RawMessage) (Row, error) {
	if len(bytes.TrimSpace(raw)) == 0 || string(raw) == "null" {
		return Row{Which: "last"}, nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s == "last" || s == "first" {
			return Row{Which: s}, nil
		}
		return Row{}, fmt.Errorf("row must be \"last\", \"first\" or {\"column\", \"equals\"}, not %q", s)
	}
	var m struct {
		Column *string `json:"column"`
		Equals *string `json:"equals"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil || m.Column == nil || m.Equals == nil || *m.Column == "" {
		return Row{}, errors.New("row must be \"last\", \"first\" or {\"column\": name, \"equals\": text}")
	}
	return Row{Which: "match", Column: *m.Column, Equals: *m.Equals}, nil
}

// CheckExtract reports what is wrong with how a feed reads its number,
// as an error naming the field (pointer, column or row), or nil.
func CheckExtract(e store.FeedExtract) (field string, err error) {
	switch e.Format {
	case store.FeedJSON:
		if _, err := splitPointer(e.Pointer); err != nil {
			return "pointer", err
		}
	case store.FeedCSV:
		if e.Pointer != "" {
			return "pointer", errors.New("a CSV feed has no pointer: name a column and a row")
		}
		if e.Column == "" {
			return "column", errors.New("a CSV feed needs a column")
		}
	default:
		return "format", errors.New(`format must be "json" or "csv"`)
	}
	if e.Format == store.FeedJSON && e.Column == "" && len(e.Row) > 0 {
		return "row", errors.New("a row picks a record of the array the pointer names: give a column too")
	}
	if _, err := ParseRow(e.Row); err != nil {
		return "row", err
	}
	return "", nil
}

// Extract reads a feed's number from a fetched body.
//
// JSON: the pointer (RFC 6901) names the number. When a column is given as
// well, the pointer names an array of objects instead: the row picks one
// of them as it picks a CSV record, and the column names its field (how a
// time series such as SEC EDGAR's companyfacts is read at its newest
// entry, which no pointer can name).
//
// CSV: the first record is the header; the column is a header name and
// the row picks a record.
//
// The number must be plain (see ParseNumber): nothing is guessed.
func Extract(e store.FeedExtract, body []byte) (float64, error) {
	row, err := ParseRow(e.Row)
	if err != nil {
		return 0, err
	}
	switch e.Format {
	case store.FeedJSON:
		return extractJSON(body, e.Pointer, e.Column, row)
	case store.FeedCSV:
		return extractCSV(body, e.Column, row)
	}
	return 0, fmt.Errorf("unknown format %q", e.Format)
}

func extractJSON(body []byte, pointer, column string, row Row) (float64, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return 0, fmt.Errorf("body is not JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return 0, errors.New("body is not one JSON document")
	}
	v, err := Resolve(doc, pointer)
	if err != nil {
		return 0, err
	}
	if column == "" {
		return jsonNumber(v, pointer)
	}
	arr, ok := v.([]any)
	if !ok {
		return 0, fmt.Errorf("%q is not an array of records", pointer)
	}
	records := make([]map[string]any, 0, len(arr))
	for i, r := range arr {
		m, ok := r.(map[string]any)
		if !ok {
			return 0, fmt.Errorf("%s/%d is not an object", pointer, i)
		}
		records = append(records, m)
	}
	i, err := pickRow(len(records), row, func(i int) (string, bool) {
		f, ok := records[i][row.Column]
		if !ok {
			return "", false
		}
		switch f := f.(type) {
		case string:
			return f, true
		case json.Number:
			return f.String(), true
		}
		return fmt.Sprint(f), true
	})
	if err != nil {
		return 0, err
	}
	f, ok := records[i][column]
	if !ok {
		return 0, fmt.Errorf("record %d has no field %q", i, column)
	}
	return jsonNumber(f, fmt.Sprintf("%s/%d/%s", pointer, i, column))
}

// jsonNumber reads a JSON number, or a string holding a plain number (some
// APIs quote their numbers).
func jsonNumber(v any, where string) (float64, error) {
	switch v := v.(type) {
	case json.Number:
		return ParseNumber(v.String())
	case string:
		f, err := ParseNumber(v)
		if err != nil {
			return 0, fmt.Errorf("%q: %v", where, err)
		}
		return f, nil
	case nil:
		return 0, fmt.Errorf("%q is null", where)
	}
	return 0, fmt.Errorf("%q is not a number", where)
}

// splitPointer splits a JSON Pointer into its unescaped reference tokens
// (RFC 6901: "" is the whole document; otherwise each token follows a
// "/", with "~1" for "/" and "~0" for "~").
func splitPointer(p string) ([]string, error) {
	if p == "" {
		return nil, nil
	}
	if p[0] != '/' {
		return nil, fmt.Errorf("pointer %q must be empty or start with /", p)
	}
	parts := strings.Split(p[1:], "/")
	for i, t := range parts {
		for j := 0; j < len(t); j++ {
			if t[j] == '~' && (j+1 == len(t) || (t[j+1] != '0' && t[j+1] != '1')) {
				return nil, fmt.Errorf("pointer %q: ~ must be followed by 0 or 1", p)
			}
		}
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return parts, nil
}

var arrayIndex = regexp.MustCompile(`^(0|[1-9][0-9]*)$`)

// Resolve evaluates a JSON Pointer (RFC 6901) on a decoded document.
func Resolve(doc any, pointer string) (any, error) {
	tokens, err := splitPointer(pointer)
	if err != nil {
		return nil, err
	}
	cur := doc
	for n, tok := range tokens {
		at := "/" + strings.Join(tokens[:n+1], "/")
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[tok]
			if !ok {
				return nil, fmt.Errorf("no member %q at %s", tok, at)
			}
			cur = next
		case []any:
			if !arrayIndex.MatchString(tok) {
				return nil, fmt.Errorf("%q is not an array index at %s", tok, at)
			}
			i, err := strconv.Atoi(tok)
			if err != nil || i >= len(v) {
				return nil, fmt.Errorf("index %s past the array's %d elements at %s", tok, len(v), at)
			}
			cur = v[i]
		default:
			return nil, fmt.Errorf("nothing to step into at %s", at)
		}
	}
	return cur, nil
}

func extractCSV(body []byte, column string, row Row) (float64, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = -1
	records, err := r.ReadAll()
	if err != nil {
		return 0, fmt.Errorf("body is not CSV: %v", err)
	}
	if len(records) == 0 {
		return 0, errors.New("CSV body is empty")
	}
	header, data := records[0], records[1:]
	col := func(name string) int {
		for i, h := range header {
			if strings.TrimSpace(h) == name {
				return i
			}
		}
		return -1
	}
	vi := col(column)
	if vi < 0 {
		return 0, fmt.Errorf("no column %q in the header", column)
	}
	ki := -1
	if row.Which == "match" {
		if ki = col(row.Column); ki < 0 {
			return 0, fmt.Errorf("no column %q in the header", row.Column)
		}
	}
	// Blank lines are skipped by the reader; a record of empty fields
	// (a trailing ",,,") is not data either.
	data = dropBlankRecords(data)
	i, err := pickRow(len(data), row, func(i int) (string, bool) {
		if ki >= len(data[i]) {
			return "", false
		}
		return data[i][ki], true
	})
	if err != nil {
		return 0, err
	}
	if vi >= len(data[i]) {
		return 0, fmt.Errorf("record %d has no %q field", i+2, column)
	}
	f, err := ParseNumber(data[i][vi])
	if err != nil {
		return 0, fmt.Errorf("line %d, column %q: %v", i+2, column, err)
	}
	return f, nil
}

func dropBlankRecords(rs [][]string) [][]string {
	out := rs[:0:0]
	for _, r := range rs {
		if strings.TrimSpace(strings.Join(r, "")) != "" {
			out = append(out, r)
		}
	}
	return out
}

// pickRow returns the index of the record row names among n, key giving a
// record's key field. More than one record matching is an error: the feed
// would read an arbitrary one.
func pickRow(n int, row Row, key func(int) (string, bool)) (int, error) {
	if n == 0 {
		return 0, errors.New("no records")
	}
	switch row.Which {
	case "first":
		return 0, nil
	case "last":
		return n - 1, nil
	}
	found := -1
	for i := range n {
		if k, ok := key(i); ok && strings.TrimSpace(k) == row.Equals {
			if found >= 0 {
				return 0, fmt.Errorf("more than one record has %s = %q", row.Column, row.Equals)
			}
			found = i
		}
	}
	if found < 0 {
		return 0, fmt.Errorf("no record has %s = %q", row.Column, row.Equals)
	}
	return found, nil
}

// plainNumber is the only spelling of a number a feed reads: an optional
// sign, digits with an optional fraction, an optional exponent.
var plainNumber = regexp.MustCompile(`^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$`)

// ParseNumber reads a plain decimal number, spaces around it ignored.
// Anything else is an error, never a guess: "12.5%" is not 12.5 nor
// 0.125, "1,234" is not 1234 nor 1.234 (thousands and decimal commas
// differ by country), and currency signs, units, NaN and infinities are
// refused. A feed whose source writes such cells needs another column or
// source.
func ParseNumber(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if !plainNumber.MatchString(t) {
		switch {
		case t == "":
			return 0, errors.New("the value is empty")
		case strings.HasSuffix(t, "%"):
			return 0, fmt.Errorf("%q has a percent sign: feeds read plain numbers only", s)
		case strings.Contains(t, ","):
			return 0, fmt.Errorf("%q has a comma: feeds read plain numbers only (no thousands separators or decimal commas)", s)
		}
		return 0, fmt.Errorf("%q is not a plain number", s)
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	return f, nil
}
