package chartimage

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"disclose/internal/content"
	"disclose/internal/model"
)

// benchmarkExport times a whole export (SVG and PNG of every job, written
// to disk, the index page too) on every core, and reports images per
// second: the figure issue 5 sets at 20 PNG per second on 2 cores.
func benchmarkExport(b *testing.B, m *model.Site) {
	r := renderer(b)
	ras, err := r.font.Rasterizer()
	if err != nil {
		b.Fatal(err)
	}
	groups := Groups(m, "")
	dir := b.TempDir()
	o := Options{Width: 800, Height: 500, SVG: true, PNG: ras, Scale: 2}
	// The first export loads ECharts into the pool's runtimes; a command
	// pays that once (about 0.3 s per core), not per chart.
	if _, err := r.Export(context.Background(), groups[:min(len(groups), 4)], filepath.Join(dir, "warm"), o); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	n := 0
	for b.Loop() {
		var err error
		if n, err = r.Export(context.Background(), groups, filepath.Join(dir, "out"), o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "PNG+SVG/s")
	b.ReportMetric(float64(n), "charts")
}

// BenchmarkExportSeeds: every chart of the five seed reports.
func BenchmarkExportSeeds(b *testing.B) {
	m, ds := content.Load(os.DirFS("../../content"), "content")
	if m == nil {
		b.Fatal(ds)
	}
	benchmarkExport(b, m)
}

// BenchmarkRasterize: the pure-Go PNG step alone, one chart at a time on
// one core, over the seed charts.
func BenchmarkRasterize(b *testing.B) {
	r := renderer(b)
	ras, err := r.font.Rasterizer()
	if err != nil {
		b.Fatal(err)
	}
	names, svgs, sizes := seedSVGs(b, r)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		n := names[i%len(names)]
		if _, err := ras.PNG(svgs[n], sizes[n][0], sizes[n][1], 2); err != nil {
			b.Fatal(err)
		}
	}
}
