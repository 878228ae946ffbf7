package opendata

import (
	"bytes"
	"encoding/csv"

	"disclose/internal/model"
)

// bom makes Excel on Windows read the file as UTF-8 instead of the ANSI
// code page, which would garble every Chinese character.
const bom = "\uFEFF"

// ReportCSV is the long table of every amount of one report (see Columns),
// with a header row.
func ReportCSV(r *model.Report) ([]byte, error) {
	return writeCSV(func(emit func(row) error) error {
		for _, w := range reportRows(r) {
			if err := emit(w); err != nil {
				return err
			}
		}
		return nil
	})
}

// AllCSV is the long table over every report of the site: departments in
// site order, each department's reports by year.
func AllCSV(s *model.Site) ([]byte, error) {
	return writeCSV(func(emit func(row) error) error {
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

func writeCSV(each func(emit func(row) error) error) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(bom)
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	header := make([]string, len(longColumns))
	for i, c := range longColumns {
		header[i] = c.Name
	}
	if err := cw.Write(header); err != nil {
		return nil, err
	}
	if err := each(func(w row) error { return cw.Write(w.fields()) }); err != nil {
		return nil, err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// siteReports lists the site's reports in publishing order.
func siteReports(s *model.Site) []*model.Report {
	var out []*model.Report
	for _, d := range s.Departments {
		out = append(out, d.Reports...)
	}
	return out
}
