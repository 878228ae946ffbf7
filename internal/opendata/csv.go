package opendata

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"disclose/internal/model"
)

// bom makes Excel on Windows read the file as UTF-8 instead of the ANSI
// code page, which would garble every Chinese character.
const bom = "\uFEFF"

// ReportCSV is the long table of every amount of one report (see Columns),
// with a header row.
func ReportCSV(r *model.Report) ([]byte, error) {
	var buf bytes.Buffer
	err := writeCSV(&buf, func(emit func(row) error) error {
		for _, w := range reportRows(r) {
			if err := emit(w); err != nil {
				return err
			}
		}
		return nil
	})
	return buf.Bytes(), err
}

// AllCSV is the long table over every report of the site: departments in
// site order, each department's reports by year.
func AllCSV(s *model.Site) ([]byte, error) {
	var buf bytes.Buffer
	err := WriteAllCSV(&buf, s)
	return buf.Bytes(), err
}

// WriteAllCSV streams AllCSV to w: at 10,000 reports the table is about
// 100 MB, which need not be held in memory. It writes the parts of the
// site's departments (see PartOf), one at a time.
func WriteAllCSV(w io.Writer, s *model.Site) error {
	return writeAllCSV(w, &siteReader{depts: s.Departments})
}

// WriteAllCSVParts writes AllCSV of the site whose departments' parts
// parts gives, in order.
func WriteAllCSVParts(w io.Writer, parts PartSource) error {
	return writeAllCSV(w, readerOf(parts))
}

func writeAllCSV(w io.Writer, src partReader) error {
	if err := writeCSV(w, func(func(row) error) error { return nil }); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	var (
		dec    sheetDecoder
		buf    []byte
		record = make([]string, len(longColumns))
		werr   error
	)
	// Texts repeat from one department to the next (口径, 数据项, region),
	// and are made once while the table of them stays small.
	strs := map[string]string{}
	intern := func(b []byte) string {
		if s, ok := strs[string(b)]; ok {
			return s
		}
		s := string(b)
		if len(strs) < 1<<14 {
			strs[s] = s
		}
		return s
	}
	emit := func(cells []cell) {
		if werr != nil {
			return
		}
		// A row has every column's cell (the decoder allows no more);
		// a missing one would be empty, as in the workbook.
		clear(record)
		for i, c := range cells {
			record[i] = csvField(c)
		}
		werr = cw.Write(record)
	}
	for i := range src.Len() {
		b, err := src.section(i, secDetail, buf[:0])
		if err == nil {
			buf = b
			err = dec.rows(b, secDetail, emit, intern)
		}
		if err == nil {
			err = werr
		}
		if err != nil {
			return fmt.Errorf("opendata: all.csv: part %d: %w", i, err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvField is the CSV field of a cell of the 明细 sheet, whose cells are
// the long table's fields (see detailCells). The columns of csvNumeric
// are the sheet's numbers, so a text is never one of those.
func csvField(c cell) string {
	switch c.kind {
	case cellText:
		return csvText(c.text)
	case cellInt:
		return strconv.FormatInt(c.n, 10)
	case cellDecimal:
		return c.dec.String()
	}
	return ""
}

// writeCSV writes the BOM, the header and the rows each passes to emit.
func writeCSV(w io.Writer, each func(emit func(row) error) error) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	header := make([]string, len(longColumns))
	for i, c := range longColumns {
		header[i] = c.Name
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	err := each(func(w row) error { return cw.Write(csvRecord(w)) })
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// csvRecord is the CSV record of a row of the long table.
func csvRecord(w row) []string {
	f := w.fields()
	for i := range f {
		if !csvNumeric[i] {
			f[i] = csvText(f[i])
		}
	}
	return f
}

// csvNumeric marks the long table's columns that the code formats from
// model numbers (the year, the path's depth, the amount) rather than copies
// from content. Their text is a number by construction, and a negative
// amount such as an adjustment must reach the spreadsheet as a number, so
// csvText leaves them alone; TestCSVNumericColumnsMatchXLSX holds the list
// to the 明细 sheet's numeric cells.
var csvNumeric = func() []bool {
	n := make([]bool, len(longColumns))
	for _, name := range []string{"年度", "类别层级", "数值（万元）"} {
		n[columnIndex(name)] = true
	}
	return n
}()

// csvText keeps a spreadsheet from running content as a formula (CSV
// injection): a department named =HYPERLINK(…) would otherwise be a live
// link when the file is opened in Excel. As OWASP advises, a text starting
// with = + - @, a tab or a carriage return (which a reader may strip before
// looking for a formula; encoding/csv itself drops a lone CR) gets a
// leading apostrophe, which makes it text. The apostrophe is then part of
// what every reader of the file gets, so a text that is exactly a signed
// decimal, such as a budget code "-1", is left as it is: a spreadsheet
// reads it as that number, never as a formula. JSON and the workbook's
// string cells are never evaluated, so those downloads keep the exact text.
func csvText(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if !isPlainDecimal(s) {
			return "'" + s
		}
	}
	return s
}

// isPlainDecimal reports whether s is digits with an optional sign and an
// optional fraction: 12, -12.5, +0.25, but not -.5, 1e5 or 1,234.
func isPlainDecimal(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	whole, frac, dot := strings.Cut(s, ".")
	return allDigits(whole) && (!dot || allDigits(frac))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
