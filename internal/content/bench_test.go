package content_test

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"disclose/internal/check"
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
		_, ds := check.Content(fsys, "content")
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
