package build

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func edit(t testing.TB, file, old, new string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestIncrementalEqualsClean: after every kind of edit, the site an
// incremental rebuild leaves on disk is byte for byte the site a clean
// build of the same input writes, and the rebuild rendered only what the
// edit could change.
func TestIncrementalEqualsClean(t *testing.T) {
	content := copyDir(t, seeds)
	th := t.TempDir()
	if err := os.MkdirAll(filepath.Join(th, "assets", "css"), 0o755); err != nil {
		t.Fatal(err)
	}
	css, err := os.ReadFile("../../themes/default/assets/css/site.css")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(th, "assets", "css", "site.css"), css, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	o := Options{Content: content, Out: out, Theme: th}
	b := NewBuilder(o)
	if _, err := b.Rebuild(context.Background(), Change{All: true}); err != nil {
		t.Fatal(err)
	}
	xiangtan := filepath.Join(content, "hunan-xiangtan-minzheng")

	for _, step := range []struct {
		name    string
		do      func(t *testing.T)
		change  Change
		written []string // files that must be among those written
		not     []string // files that must not be rendered again
		full    bool
		most    int // at most this many files rendered (0: no limit)
	}{
		{
			name:    "a figure in one report",
			do:      func(t *testing.T) { edit(t, filepath.Join(xiangtan, "2024.yaml"), "paid: 1190.27", "paid: 1190.28") },
			change:  Change{Content: []string{"hunan-xiangtan-minzheng/2024.yaml"}},
			written: []string{"reports/hunan-xiangtan-minzheng/2024.html", "data/hunan-xiangtan-minzheng/2024.json", "data/all.csv"},
			not:     []string{"reports/hubei-jingmen-minzheng/2022.html", "glossary.html", "assets/css/site.css"},
		},
		{
			name:    "a narrative section",
			do:      func(t *testing.T) { edit(t, filepath.Join(xiangtan, "2024", "problems.md"), "。", "。（修订）") },
			change:  Change{Content: []string{"hunan-xiangtan-minzheng/2024/problems.md"}},
			written: []string{"reports/hunan-xiangtan-minzheng/2024.html", "data/hunan-xiangtan-minzheng/2024.json"},
			// The department's page and data, and the two site-wide
			// downloads: no list or comparison shows the narrative.
			most: 5,
		},
		{
			name: "a figure that the lists show",
			do: func(t *testing.T) {
				edit(t, filepath.Join(content, "hubei-jingmen-minzheng", "2022.yaml"), "expenditure: 21680.25", "expenditure: 21680.26")
			},
			change:  Change{Content: []string{"hubei-jingmen-minzheng/2022.yaml"}},
			written: []string{"reports/hubei-jingmen-minzheng/2022.html", "index.html", "compare/2022.html", "data/all.xlsx"},
		},
		{
			name: "a new department",
			do: func(t *testing.T) {
				dst := filepath.Join(content, "hunan-xiangtan-minzheng-copy")
				if err := os.CopyFS(dst, os.DirFS(xiangtan)); err != nil {
					t.Fatal(err)
				}
				edit(t, filepath.Join(dst, "department.yaml"), "name: ", "name: 复制的")
			},
			change:  Change{Content: []string{"hunan-xiangtan-minzheng-copy"}},
			written: []string{"reports/hunan-xiangtan-minzheng-copy/2024.html", "index.html"},
		},
		{
			name: "a department removed",
			do: func(t *testing.T) {
				if err := os.RemoveAll(filepath.Join(content, "hunan-xiangtan-minzheng-copy")); err != nil {
					t.Fatal(err)
				}
			},
			change:  Change{Content: []string{"hunan-xiangtan-minzheng-copy"}},
			written: []string{"index.html"},
		},
		{
			name: "the stylesheet of the theme",
			do: func(t *testing.T) {
				edit(t, filepath.Join(th, "assets", "css", "site.css"), "--fg: #1b1b1b;", "--fg: #111111;")
			},
			change:  Change{Theme: []string{"assets/css/site.css"}},
			written: []string{"assets/css/site.css"},
			not:     []string{"index.html", "reports/hunan-xiangtan-minzheng/2024.html"},
		},
		{
			name: "the site configuration",
			do: func(t *testing.T) {
				edit(t, filepath.Join(content, "site.yaml"), "title: 部门整体支出绩效自评报告公开", "title: 绩效自评报告公开")
			},
			change:  Change{Content: []string{"site.yaml"}},
			written: []string{"glossary.html", "reports/hubei-jingmen-minzheng/2022.html"},
			full:    true,
		},
		{
			name: "a template of the theme",
			do: func(t *testing.T) {
				if err := os.MkdirAll(filepath.Join(th, "templates"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(th, "templates", "404.html"), []byte(`{{template "_base.html" .}}{{define "main"}}<h1>找不到</h1>{{end}}`), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			change:  Change{Theme: []string{"templates/404.html"}},
			written: []string{"404.html"},
			full:    true,
		},
	} {
		t.Run(step.name, func(t *testing.T) {
			step.do(t)
			u, err := b.Rebuild(context.Background(), step.change)
			if err != nil {
				t.Fatalf("rebuild: %v", err)
			}
			if step.most > 0 && u.Rendered > step.most {
				t.Errorf("rendered %d files, want at most %d", u.Rendered, step.most)
			}
			if u.Full != step.full {
				t.Errorf("full = %v, want %v", u.Full, step.full)
			}
			for _, w := range step.written {
				if !slices.Contains(u.Written, w) {
					t.Errorf("%s not rewritten; written: %v", w, u.Written)
				}
			}
			for _, n := range step.not {
				if slices.Contains(u.Written, n) {
					t.Errorf("%s rewritten though the change cannot touch it", n)
				}
			}
			clean := filepath.Join(t.TempDir(), "clean")
			if _, err := Build(context.Background(), Options{Content: content, Out: clean, Theme: th}); err != nil {
				t.Fatal(err)
			}
			got, want := tree(t, out), tree(t, clean)
			for p, h := range want {
				if got[p] != h {
					t.Errorf("%s differs from a clean build", p)
				}
			}
			for p := range got {
				if _, ok := want[p]; !ok {
					t.Errorf("%s left over from an earlier build", p)
				}
			}
			var dirs []string
			_ = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
				if err == nil && d.IsDir() {
					if entries, _ := os.ReadDir(p); len(entries) == 0 {
						dirs = append(dirs, p)
					}
				}
				return nil
			})
			if len(dirs) > 0 {
				t.Errorf("empty directories left: %v", dirs)
			}
		})
	}
}

// TestRebuildErrorKeepsSite: a broken save leaves the served site as it
// was; fixing it rebuilds.
func TestRebuildErrorKeepsSite(t *testing.T) {
	content := copyDir(t, seeds)
	out := filepath.Join(t.TempDir(), "public")
	b := NewBuilder(Options{Content: content, Out: out})
	if _, err := b.Rebuild(context.Background(), Change{All: true}); err != nil {
		t.Fatal(err)
	}
	before := tree(t, out)
	file := filepath.Join(content, "hubei-jingmen-minzheng", "2022.yaml")
	edit(t, file, "year: 2022", "year: [2022")
	u, err := b.Rebuild(context.Background(), Change{Content: []string{"hubei-jingmen-minzheng/2022.yaml"}})
	if err == nil || len(u.Diagnostics) == 0 {
		t.Fatalf("broken YAML: err %v, %d diagnostics", err, len(u.Diagnostics))
	}
	after := tree(t, out)
	for p, h := range before {
		if after[p] != h {
			t.Errorf("%s changed by a failed rebuild", p)
		}
	}
	edit(t, file, "year: [2022", "year: 2022")
	u, err = b.Rebuild(context.Background(), Change{Content: []string{"hubei-jingmen-minzheng/2022.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Written) != 0 {
		t.Errorf("fixing the file back rewrote %v", u.Written)
	}
}

// TestDeferSlow: the preview writes pages first and the site-wide
// downloads on Flush; afterwards the site equals a clean build.
func TestDeferSlow(t *testing.T) {
	content := copyDir(t, seeds)
	out := filepath.Join(t.TempDir(), "public")
	b := NewBuilder(Options{Content: content, Out: out})
	b.DeferSlow()
	if _, err := b.Rebuild(context.Background(), Change{All: true}); err != nil {
		t.Fatal(err)
	}
	edit(t, filepath.Join(content, "hunan-xiangtan-minzheng", "2024.yaml"), "paid: 1190.27", "paid: 1190.28")
	u, err := b.Rebuild(context.Background(), Change{Content: []string{"hunan-xiangtan-minzheng/2024.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(u.Written, "data/all.xlsx") || !slices.Contains(u.Written, "reports/hunan-xiangtan-minzheng/2024.html") {
		t.Fatalf("written before Flush: %v", u.Written)
	}
	// Another change, which by itself touches no download, comes before
	// the flush: the deferred downloads stay due.
	if _, err := b.Rebuild(context.Background(), Change{Content: []string{"_sources/notes.txt"}}); err != nil {
		t.Fatal(err)
	}
	flushed, err := b.Flush(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(flushed, []string{"data/all.csv", "data/all.xlsx"}) {
		t.Errorf("Flush wrote %v", flushed)
	}
	clean := filepath.Join(t.TempDir(), "clean")
	if _, err := Build(context.Background(), Options{Content: content, Out: clean}); err != nil {
		t.Fatal(err)
	}
	got, want := tree(t, out), tree(t, clean)
	for p, h := range want {
		if got[p] != h {
			t.Errorf("%s differs from a clean build after Flush", p)
		}
	}
}
