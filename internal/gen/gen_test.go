package gen_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"disclose/internal/build"
	"disclose/internal/diag"
	"disclose/internal/gen"
	"disclose/internal/heavytest"
)

// flawed is how many reports carry a deliberate inconsistency: 1.5%, and
// at least one of each of the three kinds (see the package comment).
func flawed(reports int) int { return min(reports, max(3, reports*15/1000)) }

// The generated tree loads and checks with no error at all; its only
// warnings are the planted ones, one per flawed report, of the intended
// rules; its only notes are recorded errata.
func TestGeneratedContentChecks(t *testing.T) {
	tests := []struct {
		name string
		o    gen.Options
	}{
		{"20×3", gen.Options{Departments: 20, Years: 3, Seed: 1}},
		{"7×1 other seed", gen.Options{Departments: 7, Years: 1, Seed: 42, FirstYear: 2019}},
		{"60×5", gen.Options{Departments: 60, Years: 5, Seed: 2024}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			st, err := gen.Write(dir, tt.o)
			if err != nil {
				t.Fatal(err)
			}
			site, ds := build.LoadFS(os.DirFS(dir), "content")
			errs, warns, _ := diag.Count(ds)
			if errs != 0 {
				for _, d := range ds {
					if d.Severity == diag.Error {
						t.Errorf("%s: %s [%s]: %s", d.Location(), d.Severity, d.Rule, d.Message(diag.Zh))
					}
				}
				t.Fatalf("%d errors", errs)
			}
			reports := tt.o.Departments * tt.o.Years
			if warns != flawed(reports) {
				t.Errorf("%d warnings, want %d (one per flawed report)", warns, flawed(reports))
			}
			rules := map[string]int{}
			for _, d := range ds {
				switch {
				case d.Severity == diag.Note && d.Rule != diag.ErratumApplied:
					t.Errorf("unexpected note %s: %s", d.Rule, d.Message(diag.Zh))
				case d.Severity != diag.Warning:
				case d.Rule == diag.SumMismatch && strings.Contains(d.Hint(diag.Zh), "（元）"):
					rules["sum-mismatch, 元 for 万元"]++
				case d.Rule == diag.SumMismatch, d.Rule == diag.RateMismatch:
					rules[string(d.Rule)]++
				default:
					t.Errorf("unintended warning %s: %s: %s", d.Rule, d.Location(), d.Message(diag.Zh))
				}
			}
			for _, want := range []string{"sum-mismatch", "rate-mismatch", "sum-mismatch, 元 for 万元"} {
				if rules[want] == 0 {
					t.Errorf("no %s warning; got %v", want, rules)
				}
			}

			if len(site.Departments) != tt.o.Departments || st.Departments != tt.o.Departments || st.Reports != reports {
				t.Fatalf("%d departments loaded, stats %+v; want %d departments, %d reports", len(site.Departments), st, tt.o.Departments, reports)
			}
			first := tt.o.FirstYear
			if first == 0 {
				first = gen.DefaultFirstYear
			}
			for _, d := range site.Departments {
				if len(d.Reports) != tt.o.Years {
					t.Fatalf("%s has %d reports, want %d", d.ID, len(d.Reports), tt.o.Years)
				}
				for i, r := range d.Reports {
					if r.Year != first+i {
						t.Errorf("%s: report %d is for %d, want %d", d.ID, i, r.Year, first+i)
					}
				}
			}
		})
	}
}

// files reads a generated tree back, by slash-separated path.
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameFiles(a, b map[string][]byte) (string, bool) {
	if len(a) != len(b) {
		return "file count", false
	}
	for p, x := range a {
		if !bytes.Equal(x, b[p]) {
			return p, false
		}
	}
	return "", true
}

// Same options, same bytes: on disk and in memory, on one core or many.
// Another seed gives another tree.
func TestDeterministic(t *testing.T) {
	o := gen.Options{Departments: 20, Years: 3, Seed: 1}
	dirA, dirB := t.TempDir(), t.TempDir()
	if _, err := gen.Write(dirA, o); err != nil {
		t.Fatal(err)
	}
	procs := runtime.GOMAXPROCS(1)
	_, err := gen.Write(dirB, o)
	runtime.GOMAXPROCS(procs)
	if err != nil {
		t.Fatal(err)
	}
	a, b := files(t, dirA), files(t, dirB)
	if p, ok := sameFiles(a, b); !ok {
		t.Fatalf("two runs differ at %s", p)
	}
	mem, err := gen.Files(o)
	if err != nil {
		t.Fatal(err)
	}
	delete(a, gen.Marker)
	if p, ok := sameFiles(a, mem); !ok {
		t.Fatalf("Files and Write differ at %s", p)
	}

	other, err := gen.Files(gen.Options{Departments: 20, Years: 3, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	differ := 0
	for p, x := range other {
		if !strings.HasPrefix(p, "_schema/") && !bytes.Equal(x, mem[p]) {
			differ++
		}
	}
	if differ == 0 {
		t.Fatal("seed 2 gives the same tree as seed 1")
	}
}

func TestOptions(t *testing.T) {
	tests := []struct {
		o     gen.Options
		valid bool
	}{
		{gen.Options{Departments: 1, Years: 1}, true},
		{gen.Options{Departments: 3, Years: 2, FirstYear: 2099}, true},
		{gen.Options{Departments: 0, Years: 1}, false},
		{gen.Options{Departments: 1, Years: 0}, false},
		{gen.Options{Departments: gen.MaxDepartments + 1, Years: 1}, false},
		{gen.Options{Departments: 1, Years: gen.MaxYears + 1}, false},
		{gen.Options{Departments: 1, Years: 1, FirstYear: 1999}, false},
		{gen.Options{Departments: 1, Years: 3, FirstYear: 2099}, false},
		{gen.Options{Departments: 1, Years: 1, Province: "gansu"}, true},
		{gen.Options{Departments: 1, Years: 1, Province: "甘肃省"}, false},
	}
	for _, tt := range tests {
		if err := tt.o.Check(); (err == nil) != tt.valid {
			t.Errorf("%+v: Check() = %v, want valid %v", tt.o, err, tt.valid)
		}
	}
	// Departments and files as asked: each department directory holds
	// department.yaml and one <year>.yaml per year.
	fsys, err := gen.Files(gen.Options{Departments: 13, Years: 4, FirstYear: 2030})
	if err != nil {
		t.Fatal(err)
	}
	depts := map[string]int{}
	for p := range fsys {
		dir, rest, ok := strings.Cut(p, "/")
		if !ok || strings.HasPrefix(dir, "_") {
			continue
		}
		if rest == "department.yaml" || (strings.HasSuffix(rest, ".yaml") && rest >= "2030" && rest < "2034") {
			depts[dir]++
		}
	}
	if len(depts) != 13 {
		t.Fatalf("%d department directories, want 13", len(depts))
	}
	for d, n := range depts {
		if n != 5 {
			t.Errorf("%s has %d of department.yaml and 4 reports", d, n)
		}
	}
}

// With a province, every department is one of its own: a province's
// portal with comparison pages as long as its departments are many.
func TestProvince(t *testing.T) {
	fsys, err := gen.Files(gen.Options{Departments: 60, Years: 1, Province: "gansu"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for p, f := range fsys {
		if !strings.HasSuffix(p, "/department.yaml") {
			continue
		}
		n++
		if !strings.Contains(string(f), "region: [甘肃省") || !strings.HasPrefix(p, "gansu-") {
			t.Errorf("%s is not in 甘肃省:\n%s", p, f)
		}
	}
	if n != 60 {
		t.Errorf("%d departments, want 60", n)
	}
}

// Write never touches a directory it did not make, and replaces one it did.
func TestWriteRefusesForeignDir(t *testing.T) {
	o := gen.Options{Departments: 2, Years: 1, Seed: 1}
	foreign := t.TempDir()
	precious := filepath.Join(foreign, "site.yaml")
	if err := os.WriteFile(precious, []byte("title: 真实内容\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := gen.Write(foreign, o); !errors.Is(err, gen.ErrForeignDir) {
		t.Fatalf("Write into a foreign directory: %v, want ErrForeignDir", err)
	}
	if b, _ := os.ReadFile(precious); string(b) != "title: 真实内容\n" {
		t.Fatal("foreign file changed")
	}
	if entries, _ := os.ReadDir(foreign); len(entries) != 1 {
		t.Fatalf("refused Write left %d entries", len(entries))
	}

	ours := filepath.Join(t.TempDir(), "new", "dir")
	if _, err := gen.Write(ours, o); err != nil {
		t.Fatal(err)
	}
	stray := filepath.Join(ours, "old-department")
	if err := os.Mkdir(stray, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := gen.Write(ours, gen.Options{Departments: 1, Years: 1, Seed: 9}); err != nil {
		t.Fatalf("rewriting an earlier gen output: %v", err)
	}
	if _, err := os.Stat(stray); !errors.Is(err, fs.ErrNotExist) {
		t.Error("an earlier output's files survived the rewrite")
	}
}

// A generated tree builds into a site: the renderers cope with every shape
// the generator produces.
func TestHeavyBuildGenerated(t *testing.T) {
	heavytest.Mark(t)
	if testing.Short() {
		t.Skip("builds a 200-report site")
	}
	content, out := t.TempDir(), filepath.Join(t.TempDir(), "public")
	if _, err := gen.Write(content, gen.Options{Departments: 50, Years: 4, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	res, err := build.Build(context.Background(), build.Options{Content: content, Out: out})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if res.Files < 200 {
		t.Fatalf("build wrote %d files for 200 reports", res.Files)
	}
	pages, _ := filepath.Glob(filepath.Join(out, "reports", "*", "*.html"))
	if len(pages) != 200 {
		t.Errorf("%d report pages, want 200", len(pages))
	}
}

// BenchmarkGenerate times 1,000 reports (250 departments × 4 years),
// written to disk as disclose gen does and built in memory.
func BenchmarkGenerate(b *testing.B) {
	o := gen.Options{Departments: 250, Years: 4, Seed: 1}
	b.Run("disk", func(b *testing.B) {
		base := b.TempDir()
		var size int64
		i := 0
		for b.Loop() {
			// A fresh directory each time: replacing the last one would
			// time the deletion of 7,000 files too.
			i++
			st, err := gen.Write(filepath.Join(base, strconv.Itoa(i)), o)
			if err != nil {
				b.Fatal(err)
			}
			size = st.Bytes
		}
		b.SetBytes(size)
		b.ReportMetric(1000, "reports/op")
	})
	b.Run("memory", func(b *testing.B) {
		for b.Loop() {
			if _, err := gen.Files(o); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(1000, "reports/op")
	})
}
