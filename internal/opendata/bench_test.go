package opendata

import (
	"testing"
	"testing/fstest"

	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/gen"
	"disclose/internal/model"
)

// genSite loads the content disclose gen makes for departments
// departments over one year: synthetic, but in the real format with the
// real variety (trees, indicators, projects, 三公), unlike bigSite's copies
// of the five seeds.
func genSite(tb testing.TB, departments int) *model.Site {
	tb.Helper()
	return genLoaded(tb, gen.Options{Departments: departments, Years: 1, Seed: 1})
}

// genLoaded loads what disclose gen makes with o, which must load without
// errors and give a report per department and year.
func genLoaded(tb testing.TB, o gen.Options) *model.Site {
	tb.Helper()
	files, err := gen.Files(o)
	if err != nil {
		tb.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for p, data := range files {
		fsys[p] = &fstest.MapFile{Data: data}
	}
	site, ds := content.Load(fsys, "gen")
	for _, d := range ds {
		if d.Severity == diag.Error {
			tb.Fatalf("%s: %s", d.Location(), d.Message(diag.En))
		}
	}
	if n := len(siteReports(site)); n != o.Departments*o.Years {
		tb.Fatalf("generated %d reports, want %d", n, o.Departments*o.Years)
	}
	return site
}

// BenchmarkAllXLSXGenerated streams the workbook of 1,000 generated
// reports to a writer that only counts, as the build streams it to disk;
// bytes is the file's size.
func BenchmarkAllXLSXGenerated(b *testing.B) {
	site := genSite(b, 1000)
	b.ReportAllocs()
	var size int64
	start := cpuTime()
	for b.Loop() {
		var w countingWriter
		if err := WriteAllXLSX(&w, site); err != nil {
			b.Fatal(err)
		}
		size = w.n
	}
	if cpu := cpuTime() - start; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
	b.ReportMetric(float64(size), "bytes")
}

// BenchmarkAllXLSXOneReport writes the workbook of one generated report:
// the fixed cost of a workbook, which a small site pays for each build.
func BenchmarkAllXLSXOneReport(b *testing.B) {
	site := genSite(b, 1)
	b.ReportAllocs()
	var size int64
	for b.Loop() {
		var w countingWriter
		if err := WriteAllXLSX(&w, site); err != nil {
			b.Fatal(err)
		}
		size = w.n
	}
	b.ReportMetric(float64(size), "bytes")
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}
