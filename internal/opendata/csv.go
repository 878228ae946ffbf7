package opendata

import (
	"bytes"
	"encoding/csv"
	"io"

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
// 100 MB, which need not be held in memory.
func WriteAllCSV(w io.Writer, s *model.Site) error {
	return writeCSV(w, func(emit func(row) error) error {
		for _, r := range siteReports(s) {
			for _, w := range reportRows(r) {
				if err := emit(w); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

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
	if err := each(func(w row) error { return cw.Write(w.fields()) }); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// siteReports lists the site's reports in publishing order.
func siteReports(s *model.Site) []*model.Report {
	var out []*model.Report
	for _, d := range s.Departments {
		out = append(out, d.Reports...)
	}
	return out
}
