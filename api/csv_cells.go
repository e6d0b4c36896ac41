package api

import (
	"encoding/csv"
	"io"
	"strconv"
)

// csvWriter writes CSV whose text cells a spreadsheet cannot run. A cell
// starting with =, +, -, @, a tab or a carriage return is read by Excel
// and LibreOffice as a formula (a display name "=HYPERLINK(…)" became a
// live link), so such a cell gets a leading apostrophe, as OWASP's CSV
// injection guidance recommends. A number stays a number: "-0.05" is a
// relative score, not a formula.
type csvWriter struct {
	*csv.Writer
	cells []string
}

func newCSVWriter(w io.Writer) *csvWriter { return &csvWriter{Writer: csv.NewWriter(w)} }

// Write writes one row with its cells made inert.
func (w *csvWriter) Write(row []string) error {
	w.cells = w.cells[:0]
	for _, c := range row {
		w.cells = append(w.cells, inertCell(c))
	}
	return w.Writer.Write(w.cells)
}

// WriteAll writes rows and flushes, as csv.Writer.WriteAll does.
func (w *csvWriter) WriteAll(rows [][]string) error {
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// inertCell returns c, prefixed with an apostrophe when a spreadsheet
// would take it for a formula.
func inertCell(c string) string {
	if c == "" {
		return c
	}
	switch c[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.ParseFloat(c, 64); err == nil {
			return c
		}
		return "'" + c
	}
	return c
}
