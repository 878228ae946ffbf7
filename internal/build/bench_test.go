package build

import (
	"context"
	"path/filepath"
	"testing"
)

// BenchmarkBuildSeeds times a whole build of the five seed reports: check,
// render every page, chart, download and asset, write and swap.
func BenchmarkBuildSeeds(b *testing.B) {
	out := filepath.Join(b.TempDir(), "public")
	for b.Loop() {
		if _, err := Build(context.Background(), Options{Content: seeds, Out: out}); err != nil {
			b.Fatal(err)
		}
	}
}
