package build

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"disclose/internal/gen"
	"disclose/internal/heavytest"
	"disclose/internal/site"
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
// edit could change. So it is when the rebuild writes the edited
// departments' own files first (DepartmentsFirst, the preview) and Follow
// the rest; the first part then writes no site-wide file.
func TestIncrementalEqualsClean(t *testing.T) {
	t.Run("at once", func(t *testing.T) { incrementalSteps(t, false) })
	t.Run("departments first", func(t *testing.T) { incrementalSteps(t, true) })
}

func incrementalSteps(t *testing.T, deptFirst bool) {
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
	if deptFirst {
		b.DepartmentsFirst()
	}
	t.Cleanup(func() { b.Close() })
	if _, err := b.Rebuild(context.Background(), Change{All: true}); err != nil {
		t.Fatal(err)
	}
	xiangtan := filepath.Join(content, "hunan-xiangtan-minzheng")
	followed := 0
	defer func() {
		if deptFirst && followed == 0 {
			t.Error("no step wrote its departments first")
		}
	}()

	for _, step := range []struct {
		name    string
		do      func(t *testing.T)
		change  Change
		written []string // files that must be among those written
		not     []string // files that must not be rendered again
		full    bool
		most    int    // at most this many files rendered (0: no limit)
		first   string // written by the first part, when departments go first
	}{
		{
			name:    "a figure in one report",
			do:      func(t *testing.T) { edit(t, filepath.Join(xiangtan, "2024.yaml"), "paid: 1190.27", "paid: 1190.28") },
			change:  Change{Content: []string{"hunan-xiangtan-minzheng/2024.yaml"}},
			written: []string{"reports/hunan-xiangtan-minzheng/2024.html", "data/hunan-xiangtan-minzheng/2024.json", "data/all.csv"},
			not:     []string{"reports/hubei-jingmen-minzheng/2022.html", "glossary.html", "assets/css/site.css"},
			first:   "reports/hunan-xiangtan-minzheng/2024.html",
		},
		{
			name: "a spending line's name, which only the search index shows site-wide",
			do: func(t *testing.T) {
				edit(t, filepath.Join(content, "hunan-yueyang-yunxi-minzheng", "2023.yaml"), "name: 城乡低保支出", "name: 城乡最低生活保障支出")
			},
			change:  Change{Content: []string{"hunan-yueyang-yunxi-minzheng/2023.yaml"}},
			written: []string{"reports/hunan-yueyang-yunxi-minzheng/2023.html", "assets/search/2023.js"},
		},
		{
			name:    "a narrative section",
			do:      func(t *testing.T) { edit(t, filepath.Join(xiangtan, "2024", "problems.md"), "。", "。（修订）") },
			change:  Change{Content: []string{"hunan-xiangtan-minzheng/2024/problems.md"}},
			written: []string{"reports/hunan-xiangtan-minzheng/2024.html", "data/hunan-xiangtan-minzheng/2024.json"},
			first:   "reports/hunan-xiangtan-minzheng/2024.html",
			// The report's page and data, the department's page, and the
			// two site-wide downloads: no list or comparison shows the
			// narrative.
			most: 6,
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
			// A further document of a department-year: the list, the
			// comparison's list of other documents and the department's
			// other pages show it.
			name: "a 三公 statement added",
			do: func(t *testing.T) {
				write(t, filepath.Join(xiangtan, "2024-sangong.yaml"), sangong("减少25,000.00元", "三公经费"))
			},
			change:  Change{Content: []string{"hunan-xiangtan-minzheng/2024-sangong.yaml"}},
			written: []string{"reports/hunan-xiangtan-minzheng/2024-sangong.html", "reports/hunan-xiangtan-minzheng/2024.html", "index.html", "compare/2024.html"},
		},
		{
			// The comparison page prints a statement's stated change.
			name: "a 三公 statement's stated change",
			do: func(t *testing.T) {
				edit(t, filepath.Join(xiangtan, "2024-sangong.yaml"), "减少25,000.00元", "减少25,000.01元")
			},
			change:  Change{Content: []string{"hunan-xiangtan-minzheng/2024-sangong.yaml"}},
			written: []string{"compare/2024.html"},
		},
		{
			// The lists name a document's kind.
			name: "a document's kind",
			do: func(t *testing.T) {
				edit(t, filepath.Join(xiangtan, "2024-sangong.yaml"), "kind: 三公经费", "kind: 其他")
			},
			change:  Change{Content: []string{"hunan-xiangtan-minzheng/2024-sangong.yaml"}},
			written: []string{"index.html"},
		},
		{
			name: "a document renamed",
			do: func(t *testing.T) {
				if err := os.Rename(filepath.Join(xiangtan, "2024-sangong.yaml"), filepath.Join(xiangtan, "2024-sgjf.yaml")); err != nil {
					t.Fatal(err)
				}
			},
			change:  Change{Content: []string{"hunan-xiangtan-minzheng/2024-sangong.yaml", "hunan-xiangtan-minzheng/2024-sgjf.yaml"}},
			written: []string{"reports/hunan-xiangtan-minzheng/2024-sgjf.html", "index.html"},
		},
		{
			name:    "a new department",
			do:      func(t *testing.T) { copyDepartment(t, content, xiangtan) },
			change:  Change{Content: []string{"hunan-xiangtan-minzheng-copy"}},
			written: []string{"reports/hunan-xiangtan-minzheng-copy/2024.html", "index.html"},
		},
		{
			name:    "a department removed",
			do:      func(t *testing.T) { removeDepartmentCopy(t, content) },
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
			name:    "the site configuration",
			do:      func(t *testing.T) { retitleSite(t, content) },
			change:  Change{Content: []string{"site.yaml"}},
			written: []string{"glossary.html", "reports/hubei-jingmen-minzheng/2022.html"},
			full:    true,
		},
		{
			name:    "a template of the theme",
			do:      func(t *testing.T) { override404(t, th) },
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
			if deptFirst && step.first != "" && !slices.Contains(u.Written, step.first) {
				t.Errorf("%s not written first; first: %v", step.first, u.Written)
			}
			if u.Follow {
				followed++
				for _, w := range u.Written {
					if !ownFile(w) {
						t.Errorf("%s written before the departments' own files were done", w)
					}
				}
				f, err := b.Follow(context.Background())
				if err != nil {
					t.Fatalf("follow: %v", err)
				}
				if f.Follow {
					t.Error("Follow left more to follow")
				}
				u.Written = append(u.Written, f.Written...)
				u.Full = u.Full || f.Full
				// The departments' files are rendered twice, once for
				// each part: step.most counts a rebuild at once.
				u.Rendered = 0
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
			sameAsClean(t, Options{Content: content, Theme: th}, out)
		})
	}
}

// ownFile tells a department's own file (its reports' pages and data, its
// page) from the site-wide files.
func ownFile(p string) bool {
	if rest, ok := strings.CutPrefix(p, "data/"); ok {
		return strings.Contains(rest, "/")
	}
	return strings.HasPrefix(p, "reports/") || strings.HasPrefix(p, "departments/")
}

// sameAsClean checks that out holds byte for byte what a clean build of o
// writes, and no empty directory.
func sameAsClean(t *testing.T, o Options, out string) {
	t.Helper()
	o.Out = filepath.Join(t.TempDir(), "clean")
	if _, err := Build(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "against a clean build", tree(t, out), tree(t, o.Out))
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
}

// TestHeavyIncrementalPaginated: on a site large enough for the report
// list, the comparison and the categories to be split into pages, an edit
// of a listed figure rewrites the pages that show it, and a department
// that comes or goes moves rows across pages, adds and removes pages;
// after each, the incremental build equals a clean one. Heavy: builds of
// 201 reports, one after the other; the parallel build is under -race in
// TestParallelBuildMatchesSequential.
func TestHeavyIncrementalPaginated(t *testing.T) {
	heavytest.Mark(t)
	if testing.Short() {
		t.Skip("builds a generated site of 201 reports several times")
	}
	const depts = site.PageSize + 1
	content := genContent(t, gen.Options{Departments: depts, Years: 1, Seed: 1})
	entries, err := os.ReadDir(content)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), "_") {
			ids = append(ids, e.Name())
		}
	}
	slices.Sort(ids)
	if len(ids) != depts {
		t.Fatalf("%d departments generated", len(ids))
	}
	first, last := ids[0], ids[len(ids)-1]
	year := strconv.Itoa(gen.DefaultFirstYear)
	secondPage := "list/" + year + "/2.html"
	saved := filepath.Join(t.TempDir(), first)
	if err := os.CopyFS(saved, os.DirFS(filepath.Join(content, first))); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	b := NewBuilder(Options{Content: content, Out: out})
	defer b.Close()
	u, err := b.Rebuild(context.Background(), Change{All: true})
	if err != nil {
		t.Fatal(err)
	}
	regionPages := func(files []string) []string {
		var out []string
		for _, p := range files {
			if strings.HasPrefix(p, "compare/"+year+"/") {
				out = append(out, p)
			}
		}
		return out
	}
	if !slices.Contains(u.Written, secondPage) || len(regionPages(u.Written)) == 0 {
		t.Fatalf("a site of %d reports has no %s or no comparison by region", depts, secondPage)
	}

	for _, step := range []struct {
		name    string
		do      func(t *testing.T)
		change  Change
		written []string // files that must be among those written
		removed []string // files that must be removed
		not     []string // files that must not be written
		regions bool     // some comparison by region is written
	}{
		{
			// The last department is the only row of the second page.
			name:    "a listed figure on the second page",
			do:      func(t *testing.T) { bumpFirst(t, filepath.Join(content, last, year+".yaml"), "expenditure: ") },
			change:  Change{Content: []string{last + "/" + year + ".yaml"}},
			written: []string{secondPage, "reports/" + last + "/" + year + ".html"},
			not:     []string{"index.html", "reports/" + first + "/" + year + ".html"},
			regions: true,
		},
		{
			name: "a department removed: one page holds every report",
			do: func(t *testing.T) {
				if err := os.RemoveAll(filepath.Join(content, first)); err != nil {
					t.Fatal(err)
				}
			},
			change:  Change{Content: []string{first}},
			written: []string{"index.html", "compare/" + year + ".html"},
			removed: []string{secondPage, "reports/" + first + "/" + year + ".html"},
		},
		{
			name: "the department back: two pages again",
			do: func(t *testing.T) {
				if err := os.CopyFS(filepath.Join(content, first), os.DirFS(saved)); err != nil {
					t.Fatal(err)
				}
			},
			change:  Change{Content: []string{first}},
			written: []string{"index.html", secondPage, "compare/" + year + ".html", "reports/" + first + "/" + year + ".html"},
			regions: true,
		},
		{
			name: "a department before all others moves every row",
			do: func(t *testing.T) {
				dst := filepath.Join(content, "aaa-"+first)
				if err := os.CopyFS(dst, os.DirFS(saved)); err != nil {
					t.Fatal(err)
				}
				edit(t, filepath.Join(dst, "department.yaml"), "\nname: ", "\nname: 复制的")
				edit(t, filepath.Join(dst, "department.yaml"), "\nbudget_code: \"", "\nbudget_code: \"9")
			},
			change:  Change{Content: []string{"aaa-" + first}},
			written: []string{"index.html", secondPage, "reports/aaa-" + first + "/" + year + ".html"},
			not:     []string{"reports/" + first + "/" + year + ".html"},
			regions: true,
		},
	} {
		t.Run(step.name, func(t *testing.T) {
			step.do(t)
			u, err := b.Rebuild(context.Background(), step.change)
			if err != nil {
				t.Fatalf("rebuild: %v", err)
			}
			if u.Full {
				t.Error("a content edit rebuilt everything")
			}
			for _, w := range step.written {
				if !slices.Contains(u.Written, w) {
					t.Errorf("%s not written", w)
				}
			}
			for _, r := range step.removed {
				if !slices.Contains(u.Removed, r) {
					t.Errorf("%s not removed", r)
				}
			}
			for _, n := range step.not {
				if slices.Contains(u.Written, n) {
					t.Errorf("%s written though the change cannot touch it", n)
				}
			}
			if got := regionPages(u.Written); step.regions != (len(got) > 0) {
				t.Errorf("comparison pages by region written: %v", got)
			}
			if !step.regions && len(step.removed) > 0 && len(regionPages(u.Removed)) == 0 {
				t.Errorf("the comparison by region was not removed: %v", u.Removed)
			}
			sameAsClean(t, Options{Content: content}, out)
		})
	}
}

// bumpFirst changes the last digit of the first value of key in file.
func bumpFirst(t *testing.T, file, key string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(b), key)
	if i < 0 {
		t.Fatalf("%s has no %q", file, key)
	}
	end := i + len(key)
	for end < len(b) && b[end] != '\n' {
		end++
	}
	last := end - 1
	if b[last] < '0' || b[last] > '9' {
		t.Fatalf("%s: %q is not a number", file, b[i:end])
	}
	b[last] = '0' + (b[last]-'0'+1)%10
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// The edits TestIncrementalEqualsClean and TestManifestBuildEqualsClean
// both make.

func copyDepartment(t *testing.T, content, dept string) {
	dst := filepath.Join(content, "hunan-xiangtan-minzheng-copy")
	if err := os.CopyFS(dst, os.DirFS(dept)); err != nil {
		t.Fatal(err)
	}
	edit(t, filepath.Join(dst, "department.yaml"), "name: ", "name: 复制的")
}

func removeDepartmentCopy(t *testing.T, content string) {
	if err := os.RemoveAll(filepath.Join(content, "hunan-xiangtan-minzheng-copy")); err != nil {
		t.Fatal(err)
	}
}

func retitleSite(t *testing.T, content string) {
	edit(t, filepath.Join(content, "site.yaml"), "title: 部门整体支出绩效自评报告公开", "title: 绩效自评报告公开")
}

func override404(t *testing.T, theme string) {
	if err := os.MkdirAll(filepath.Join(theme, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(theme, "templates", "404.html"), []byte(`{{template "_base.html" .}}{{define "main"}}<h1>找不到</h1>{{end}}`), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sangong is a 三公 statement of 2024 in 元 with the given stated change.
func sangong(change, kind string) string {
	return "year: 2024\nkind: " + kind + "\ntitle: 湘潭市民政局2024年度“三公”经费决算情况说明\nsource:\n  title: 测试\nthree_public:\n  total:\n    actual: 155,000.00元\n    prior: 180,000.00元\n    change: " + change + "\n"
}

func write(t *testing.T, p, text string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFollowIsNeverLost: with DepartmentsFirst, the site-wide pages left
// by a rebuild are written by the next rebuild, or by Flush, when Follow
// was not called: the site ends as a clean build's.
func TestFollowIsNeverLost(t *testing.T) {
	content := copyDir(t, seeds)
	out := filepath.Join(t.TempDir(), "public")
	b := NewBuilder(Options{Content: content, Out: out})
	b.DepartmentsFirst()
	b.DeferSlow()
	t.Cleanup(func() { b.Close() })
	ctx := context.Background()
	if _, err := b.Rebuild(ctx, Change{All: true}); err != nil {
		t.Fatal(err)
	}
	for i, e := range []struct{ file, old, new string }{
		{"hubei-jingmen-minzheng/2022.yaml", "expenditure: 21680.25", "expenditure: 21680.26"},
		{"hunan-xiangtan-minzheng/2024.yaml", "paid: 1190.27", "paid: 1190.28"},
	} {
		edit(t, filepath.Join(content, filepath.FromSlash(e.file)), e.old, e.new)
		u, err := b.Rebuild(ctx, Change{Content: []string{e.file}})
		if err != nil {
			t.Fatal(err)
		}
		if !u.Follow {
			t.Fatalf("edit %d: nothing left to follow", i)
		}
		for _, w := range u.Written {
			if !ownFile(w) {
				t.Errorf("edit %d: %s written with the departments' own files", i, w)
			}
		}
	}
	if _, err := b.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	sameAsClean(t, Options{Content: content}, out)
}

// TestPendingServesTheFirstBuild: while the first build writes a new site,
// Pending renders any of its files, byte for byte as the build writes
// it; before and after, it has nothing to give.
func TestPendingServesTheFirstBuild(t *testing.T) {
	ctx := context.Background()
	const page = "reports/hunan-xiangtan-minzheng/2024.html"
	o := Options{Content: seeds, Out: filepath.Join(t.TempDir(), "public"), Jobs: 1}
	var b *Builder
	var (
		once    sync.Once
		during  []byte
		ok      bool
		pendErr error
	)
	o.Progress = func(done, total int) {
		once.Do(func() { during, ok, pendErr = b.Pending(ctx, page) })
	}
	b = NewBuilder(o)
	t.Cleanup(func() { b.Close() })
	if _, ok, _ := b.Pending(ctx, page); ok {
		t.Error("Pending gave a page before any build")
	}
	if _, err := b.Rebuild(ctx, Change{All: true}); err != nil {
		t.Fatal(err)
	}
	if pendErr != nil || !ok {
		t.Fatalf("during the first build: ok %v, %v", ok, pendErr)
	}
	written, err := os.ReadFile(filepath.Join(o.Out, filepath.FromSlash(page)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(during, written) {
		t.Error("the page Pending gave differs from the one the build wrote")
	}
	if _, ok, _ := b.Pending(ctx, page); ok {
		t.Error("Pending still gives pages once the site is written")
	}
}
