package build

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

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

// seedTree writes n copies of every seed department to a new content
// directory (5n reports), each with its own name so that none is a
// duplicate.
func seedTree(b *testing.B, n int) string {
	b.Helper()
	dst := filepath.Join(b.TempDir(), "content")
	src := os.DirFS(seeds)
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(p, "_") {
			return err
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		dept, rest, found := strings.Cut(p, "/")
		if !found {
			return os.WriteFile(filepath.Join(dst, p), data, 0o644)
		}
		for i := range n {
			out := data
			if rest == "department.yaml" {
				s := strings.Replace(string(data), "\nname: ", fmt.Sprintf("\nname: 第%d号", i), 1)
				s = strings.Replace(s, "\nbudget_code: \"", fmt.Sprintf("\nbudget_code: \"%d-", i), 1)
				out = []byte(s)
			}
			f := filepath.Join(dst, fmt.Sprintf("%s-%d", dept, i), filepath.FromSlash(rest))
			if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(f, out, 0o644); err != nil {
				return err
			}
		}
		return nil
	})
	if err := os.MkdirAll(dst, 0o755); err != nil {
		b.Fatal(err)
	}
	if err != nil {
		b.Fatal(err)
	}
	return dst
}

// benchmarkRebuildOne times the preview's rebuild (cache, deferred
// downloads) after one report of a site of 5×copies reports changed. With
// listed, the edit changes a figure the site-wide lists show (the 三公
// total), so that those pages must be rendered again; otherwise a project
// figure that only the report's own page shows.
func benchmarkRebuildOne(b *testing.B, copies int, listed bool) {
	content := seedTree(b, copies)
	out := filepath.Join(b.TempDir(), "public")
	bl := NewBuilder(Options{Content: content, Out: out})
	bl.DeferSlow()
	start := time.Now()
	if _, err := bl.Rebuild(context.Background(), Change{All: true}); err != nil {
		b.Fatal(err)
	}
	first := time.Since(start)
	rel := "hunan-xiangtan-minzheng-0/2024.yaml"
	file := filepath.Join(content, filepath.FromSlash(rel))
	key, prev := "paid: ", "1190.27"
	if listed {
		key, prev = "actual: ", "9.32"
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		next := fmt.Sprintf("%d.%02d", 2000+i, i%100)
		edit(b, file, key+prev, key+next)
		prev = next
		if _, err := bl.Rebuild(context.Background(), Change{Content: []string{rel}}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(first.Seconds(), "first-build-s")
}

func BenchmarkRebuildOneOf5(b *testing.B)           { benchmarkRebuildOne(b, 1, false) }
func BenchmarkRebuildOneOf5Listed(b *testing.B)     { benchmarkRebuildOne(b, 1, true) }
func BenchmarkRebuildOneOf1000(b *testing.B)        { benchmarkRebuildOne(b, 200, false) }
func BenchmarkRebuildOneOf1000Listed(b *testing.B)  { benchmarkRebuildOne(b, 200, true) }
func BenchmarkRebuildOneOf10000(b *testing.B)       { benchmarkRebuildOne(b, 2000, false) }
func BenchmarkRebuildOneOf10000Listed(b *testing.B) { benchmarkRebuildOne(b, 2000, true) }
