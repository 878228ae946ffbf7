package content_test

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"disclose/internal/build"
	"disclose/internal/diag"
)

// seedCopies builds an in-memory content tree holding n copies of each seed
// department (5n reports), so that load and check can be measured at scale
// without touching the disk.
func seedCopies(b *testing.B, n int) fstest.MapFS {
	b.Helper()
	src := os.DirFS("../../content")
	fsys := fstest.MapFS{}
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(p, "_") {
			return err
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		if p == "site.yaml" {
			fsys[p] = &fstest.MapFile{Data: data}
			return nil
		}
		dept, rest, _ := strings.Cut(p, "/")
		for i := 0; i < n; i++ {
			copyData := data
			if rest == "department.yaml" {
				// Names must differ, or the loader reports duplicates.
				s := strings.Replace(string(data), "\nname: ", fmt.Sprintf("\nname: 第%d号", i), 1)
				s = strings.Replace(s, "\nbudget_code: \"", fmt.Sprintf("\nbudget_code: \"%d-", i), 1)
				copyData = []byte(s)
			}
			fsys[path.Join(fmt.Sprintf("%s-%d", dept, i), rest)] = &fstest.MapFile{Data: copyData}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return fsys
}

func benchmarkLoadCheck(b *testing.B, copies int) {
	fsys := seedCopies(b, copies)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, ds := build.LoadFS(fsys, "content")
		for _, d := range ds {
			if d.Severity == diag.Error {
				b.Fatalf("%s: %s", d.Location(), d.Rule)
			}
		}
	}
	b.ReportMetric(float64(5*copies), "reports/op")
}

func BenchmarkLoadCheck5(b *testing.B)    { benchmarkLoadCheck(b, 1) }
func BenchmarkLoadCheck1000(b *testing.B) { benchmarkLoadCheck(b, 200) }

// reloadOne times build.Cache.Load after one report of fsys (which holds
// seedCopies) is saved, after a warm full load: what the live preview
// waits for. The report is rewritten with a changed figure, so that each
// Load has something new to read; edit writes it, untimed.
func reloadOne(b *testing.B, fsys fs.FS, edit func(p string, data []byte)) {
	const p = "hubei-jingmen-minzheng-1000/2022.yaml"
	orig, err := fs.ReadFile(fsys, p)
	if err != nil {
		b.Fatal(err)
	}
	edited := []byte(strings.Replace(string(orig), "expenditure: 21680.25", "expenditure: 21680.26", 1))
	c := build.NewCache(fsys, "content")
	site, ds := c.Load(nil)
	if diag.HasErrors(ds) {
		b.Fatal("seed copies have errors")
	}
	depts := len(site.Departments)
	changed := []string{p}
	i := 0
	for b.Loop() {
		data := orig
		if i%2 == 0 {
			data = edited
		}
		i++
		b.StopTimer()
		edit(p, data)
		b.StartTimer()
		site, ds := c.Load(changed)
		if len(site.Departments) != depts || diag.HasErrors(ds) {
			b.Fatalf("%d departments, want %d", len(site.Departments), depts)
		}
	}
	b.ReportMetric(float64(depts), "reports/op")
}

// BenchmarkCacheReloadOne: one report saved among 10,000, in memory.
// fstest.MapFS lists a directory by scanning every file it holds, so here
// each directory the loader lists costs in proportion to the whole tree;
// that, not the loader, is most of the time (and makes a full load of this
// tree take far longer than ten times BenchmarkLoadCheck1000).
func BenchmarkCacheReloadOne(b *testing.B) {
	fsys := seedCopies(b, 2000)
	reloadOne(b, fsys, func(p string, data []byte) { fsys[p] = &fstest.MapFile{Data: data} })
}

// BenchmarkDisk10000 compares, on disk as disclose serve reads it, a full
// load and check of 10,000 reports with the cache's reload of one.
func BenchmarkDisk10000(b *testing.B) {
	dir := b.TempDir()
	if err := os.CopyFS(dir, seedCopies(b, 2000)); err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	b.Run("full", func(b *testing.B) {
		for b.Loop() {
			if _, ds := build.LoadFS(fsys, "content"); diag.HasErrors(ds) {
				b.Fatal("seed copies have errors")
			}
		}
		b.ReportMetric(10000, "reports/op")
	})
	b.Run("reload-one", func(b *testing.B) {
		reloadOne(b, fsys, func(p string, data []byte) {
			if err := os.WriteFile(filepath.Join(dir, p), data, 0o644); err != nil {
				b.Fatal(err)
			}
		})
	})
}
