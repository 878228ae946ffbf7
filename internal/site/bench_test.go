package site

import (
	"io"
	"strings"
	"testing"

	"disclose/internal/gen"
	"disclose/internal/theme"
)

// benchSite prepares the site of a generated tree of depts departments ×
// 4 years, as a build of that tree would, and lists its files.
func benchSite(b *testing.B, depts int) []File {
	b.Helper()
	l := genTree(b, gen.Options{Departments: depts, Years: 4, Seed: 1})
	th, err := theme.Open("")
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(l.m, l.ds, th, Options{})
	if err != nil {
		b.Fatal(err)
	}
	files, err := s.Files()
	if err != nil {
		b.Fatal(err)
	}
	return files
}

// BenchmarkReportPages renders the report pages of 20 generated reports
// (5 departments × 4 years): the page a 10,000-report build renders most,
// charts and tables included, without the disk.
func BenchmarkReportPages(b *testing.B) {
	var pages []File
	for _, f := range benchSite(b, 5) {
		if strings.HasPrefix(f.Path, "reports/") && strings.HasSuffix(f.Path, ".html") {
			pages = append(pages, f)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range pages {
			if err := f.Write(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pages)), "ns/page")
}

// BenchmarkSite1000 renders every file of a site of 1,000 generated
// reports (250 departments × 4 years) one after another, the slow
// site-wide downloads (all.csv, all.xlsx) left out: what a clean build
// spends in this package and the ones it calls, without the disk and the
// loading.
func BenchmarkSite1000(b *testing.B) {
	var files []File
	for _, f := range benchSite(b, 250) {
		if !f.Slow {
			files = append(files, f)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			if err := f.Write(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	}
}
