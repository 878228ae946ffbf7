package charts

import (
	"os"
	"sync"
	"testing"
	"testing/fstest"

	"disclose/internal/diag"
	"disclose/internal/gen"
	"disclose/internal/model"
)

// BenchmarkForReport makes every chart of the reports of content/ (the
// seeds and the real documents of other kinds): the share of a site build
// that goes to chart options.
func BenchmarkForReport(b *testing.B) {
	m, ds := loadChecked(os.DirFS("../../content"), "content")
	if m == nil {
		b.Fatal(ds)
	}
	for b.Loop() {
		for _, d := range m.Departments {
			for _, r := range d.Reports {
				ForReport(r)
			}
		}
	}
}

// BenchmarkForReportGenerated makes every chart of the ten reports of a
// generated tree (5 departments × 2 years): the reports of a 10,000-report
// build look like these, with more charts per report than most seeds.
func BenchmarkForReportGenerated(b *testing.B) {
	rs := allReports(generated(b))
	for b.Loop() {
		for _, r := range rs {
			ForReport(r)
		}
	}
}

var generatedSite = sync.OnceValues(func() (*model.Site, []diag.Diagnostic) {
	files, err := gen.Files(gen.Options{Departments: 5, Years: 2, Seed: 1})
	if err != nil {
		panic(err)
	}
	fsys := fstest.MapFS{}
	for p, data := range files {
		fsys[p] = &fstest.MapFile{Data: data}
	}
	return loadChecked(fsys, "content")
})

// generated is a generated content tree of 5 departments × 2 years,
// loaded once per test binary.
func generated(tb testing.TB) *model.Site {
	tb.Helper()
	m, ds := generatedSite()
	if m == nil || diag.HasErrors(ds) {
		tb.Fatalf("generated content does not load: %v", ds)
	}
	return m
}

// BenchmarkTidy tidies the options of every chart of the generated reports
// (as BenchmarkForReportGenerated makes them) from what go-echarts wrote:
// the step tidyjson.go took over from the encoding/json round trip, and that
// round trip for comparison.
func BenchmarkTidy(b *testing.B) {
	rs := allReports(generated(b))
	opts := goEchartsOptions(func() {
		for _, r := range rs {
			ForReport(r)
		}
	})
	b.Run("tidy", func(b *testing.B) {
		for b.Loop() {
			for _, o := range opts {
				t := tidiers.Get().(*tidier)
				t.tidy(o.in, o.patch)
				tidiers.Put(t)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			for _, o := range opts {
				referenceTidy(o.in, o.patch)
			}
		}
	})
}
