package charts

import (
	"os"
	"testing"

	"disclose/internal/content"
)

// BenchmarkForReport makes every chart of the five seed reports: the
// share of a site build that goes to chart options.
func BenchmarkForReport(b *testing.B) {
	m, ds := content.Load(os.DirFS("../../content"), "content")
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
