package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"disclose/internal/gen"
)

const seeds = "../../content"

func buildInto(t *testing.T, o Options) Result {
	t.Helper()
	if o.Content == "" {
		o.Content = seeds
	}
	res, err := Build(context.Background(), o)
	if err != nil {
		t.Fatalf("build: %v (diagnostics: %v)", err, res.Diagnostics)
	}
	return res
}

// genContent generates a content tree of o in a temporary directory.
func genContent(t *testing.T, o gen.Options) string {
	t.Helper()
	content := filepath.Join(t.TempDir(), "content")
	if _, err := gen.Write(content, o); err != nil {
		t.Fatal(err)
	}
	return content
}

// sameFiles reports each file whose bytes differ between got and want
// (trees of tree), and each file only one of them holds.
func sameFiles(t *testing.T, label string, got, want map[string][32]byte) {
	t.Helper()
	for p, h := range want {
		if g, ok := got[p]; !ok {
			t.Errorf("%s: %s is missing", label, p)
		} else if g != h {
			t.Errorf("%s: %s differs", label, p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: %s should not be there", label, p)
		}
	}
}

// tree maps every file under dir to its content hash.
func tree(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = sha256.Sum256(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestBuildSeedsIsComplete(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	res := buildInto(t, Options{Out: out})
	files := tree(t, out)
	// The build reports every file it wrote, plus the marker.
	if len(files) != res.Files+1 {
		t.Errorf("wrote %d files, reported %d", len(files), res.Files)
	}
	for _, want := range []string{
		"index.html", "404.html", "glossary.html", "search.html", "sitemap.xml", "feed.xml",
		"compare/2022.html", "compare/2023.html", "compare/2024.html", "compare/categories.html",
		"reports/hunan-yueyang-yunxi-minzheng/2023.html", "reports/hubei-jingmen-minzheng/2022.html",
		"data/hunan-xiangtan-minzheng/2024.json", "data/hunan-xiangtan-minzheng/2024.csv",
		"data/all.csv", "data/all.xlsx", "assets/search-index.js",
		"assets/vendor/echarts/echarts.min.js", "assets/css/site.css", "assets/js/site.js", marker,
	} {
		if _, ok := files[want]; !ok {
			t.Errorf("missing %s", want)
		}
	}
	for p := range files {
		if strings.Contains(p, ".new-") || strings.HasPrefix(filepath.Base(p), ".") && p != marker {
			t.Errorf("stray file %s", p)
		}
	}
	if !res.RelativeSitemap {
		t.Error("the seed site sets no base URL, so the sitemap must be relative")
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	buildInto(t, Options{Out: a, BaseURL: "https://example.gov.cn/xxgk/jx/"})
	buildInto(t, Options{Out: b, BaseURL: "https://example.gov.cn/xxgk/jx/"})
	ta, tb := tree(t, a), tree(t, b)
	if len(ta) != len(tb) {
		t.Fatalf("%d files vs %d", len(ta), len(tb))
	}
	for p, h := range ta {
		if tb[p] != h {
			t.Errorf("%s differs between two builds of the same input", p)
		}
	}
}

// copyDir copies the seed content so a test can break it.
func copyDir(t testing.TB, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "content")
	err := os.CopyFS(dst, os.DirFS(src))
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestFailedBuildLeavesSiteUntouched(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	buildInto(t, Options{Out: out})
	before := tree(t, out)

	broken := copyDir(t, seeds)
	report := filepath.Join(broken, "hunan-xiangtan-minzheng", "2024.yaml")
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(report, bytes.Replace(b, []byte("year: 2024"), []byte("year: 2024\nyear: 2025"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	badTheme := t.TempDir()
	if err := os.MkdirAll(filepath.Join(badTheme, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(badTheme, "templates", "report.html"), []byte(`{{template "_base.html" .}}{{define "main"}}{{.Body.NoSuchField}}{{end}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	unparsable := t.TempDir()
	if err := os.MkdirAll(filepath.Join(unparsable, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(unparsable, "templates", "home.html"), []byte(`{{if}}`), 0o644); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		o    Options
		want string
	}{
		{"content error", Options{Content: broken, Out: out}, "content has errors"},
		{"template execution error", Options{Content: seeds, Out: out, Theme: badTheme}, "NoSuchField"},
		{"template parse error", Options{Content: seeds, Out: out, Theme: unparsable}, "home.html"},
		{"missing content", Options{Content: filepath.Join(broken, "nope"), Out: out}, "content directory"},
		{"bad base URL", Options{Content: seeds, Out: out, BaseURL: "example.gov.cn"}, "absolute"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Build(context.Background(), tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
			if tc.name == "content error" && !errors.Is(err, ErrContent) {
				t.Errorf("want ErrContent, got %v", err)
			}
			if tc.name == "content error" && len(res.Diagnostics) == 0 {
				t.Error("no diagnostics for broken content")
			}
			after := tree(t, out)
			if len(after) != len(before) {
				t.Fatalf("output changed: %d files, was %d", len(after), len(before))
			}
			for p, h := range before {
				if after[p] != h {
					t.Errorf("%s changed by a failed build", p)
				}
			}
			leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".public.new-*"))
			if len(leftovers) > 0 {
				t.Errorf("temporary directories left behind: %v", leftovers)
			}
		})
	}
}

func TestBuildRefusesForeignDirectory(t *testing.T) {
	out := t.TempDir()
	keep := filepath.Join(out, "thesis.docx")
	if err := os.WriteFile(keep, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Build(context.Background(), Options{Content: seeds, Out: out})
	if err == nil || !strings.Contains(err.Error(), "did not write") {
		t.Fatalf("err = %v, want a refusal", err)
	}
	if b, _ := os.ReadFile(keep); string(b) != "precious" {
		t.Fatal("a foreign file was touched")
	}
	// Nothing of ours is left beside it either (the content's hashes are
	// kept only beside an output that is ours).
	for _, suffix := range []string{".disclose-hashes", ".disclose-record", ".disclose-manifest"} {
		if _, err := os.Stat(filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+suffix)); err == nil {
			t.Errorf("a refused build left %s beside the directory", suffix)
		}
	}
	// An empty directory is fine.
	empty := t.TempDir()
	buildInto(t, Options{Out: empty})
}

func TestUserThemeOverridesFileByFile(t *testing.T) {
	th := t.TempDir()
	if err := os.MkdirAll(filepath.Join(th, "assets", "css"), 0o755); err != nil {
		t.Fatal(err)
	}
	css := []byte("/* portal colours */ body { color: #000; }\n")
	if err := os.WriteFile(filepath.Join(th, "assets", "css", "site.css"), css, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(th, "assets", "logo.svg"), []byte("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(th, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(th, "templates", "404.html"), []byte(`{{template "_base.html" .}}{{define "main"}}<h1>页面走丢了</h1>{{end}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	buildInto(t, Options{Out: out, Theme: th})
	got, _ := os.ReadFile(filepath.Join(out, "assets", "css", "site.css"))
	if !bytes.Equal(got, css) {
		t.Error("theme stylesheet did not override the default")
	}
	if _, err := os.Stat(filepath.Join(out, "assets", "logo.svg")); err != nil {
		t.Error("theme's extra asset not copied")
	}
	if _, err := os.Stat(filepath.Join(out, "assets", "js", "site.js")); err != nil {
		t.Error("default asset missing under a partial theme")
	}
	page, _ := os.ReadFile(filepath.Join(out, "404.html"))
	if !bytes.Contains(page, []byte("页面走丢了")) {
		t.Error("theme template did not override the default")
	}
	home, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !bytes.Contains(home, []byte("报告列表")) {
		t.Error("default templates lost under a partial theme")
	}
}

func TestBuildReplacesPreviousSite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	buildInto(t, Options{Out: out})
	stale := filepath.Join(out, "reports", "gone.html")
	if err := os.WriteFile(stale, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	buildInto(t, Options{Out: out})
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Error("a file of the previous site survived the rebuild")
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	names := []string{}
	for _, e := range entries {
		// The content's file hashes are kept only for files older than a
		// few seconds (record.go), so they may be missing here; the
		// department cache (deptcache.go) is checked on its own.
		if e.Name() != ".public.disclose-hashes" && e.Name() != ".public.disclose-cache" {
			names = append(names, e.Name())
		}
	}
	if !slices.Equal(names, []string{".public.disclose-lock", ".public.disclose-manifest", ".public.disclose-record", "public"}) {
		t.Errorf("output parent holds %v, want only public, its lock, its manifest, its build record, the content's hashes and the department cache", names)
	}
}

// TestParallelBuildMatchesSequential: a build on every core, with other
// goroutines interleaving at will, writes the same bytes as a build that
// renders one file at a time, on a generated tree large enough (60
// reports in 20 departments over three years) to have every kind of page
// many times over. The incremental builder is held to clean builds in
// TestIncrementalEqualsClean.
func TestParallelBuildMatchesSequential(t *testing.T) {
	content := genContent(t, gen.Options{Departments: 20, Years: 3, Seed: 7})
	dir := t.TempDir()
	seq, par := filepath.Join(dir, "sequential"), filepath.Join(dir, "parallel")
	var calls, last, total int
	buildInto(t, Options{Content: content, Out: seq, Jobs: 1, Progress: func(done, all int) {
		calls++
		if done != last+1 || all < done || all < total {
			t.Errorf("progress %d/%d after %d/%d", done, all, last, total)
		}
		last, total = done, all
	}})
	if calls == 0 || last != total {
		t.Errorf("progress ended at %d/%d after %d calls", last, total, calls)
	}
	buildInto(t, Options{Content: content, Out: par, Jobs: 8})
	ts, tp := tree(t, seq), tree(t, par)
	if len(ts) != len(tp) || len(ts) < 200 {
		t.Fatalf("%d files vs %d", len(ts), len(tp))
	}
	for p, h := range ts {
		if tp[p] != h {
			t.Errorf("%s differs between the sequential and the parallel build", p)
		}
	}
}

// A rebuild links every file that came out the same from the previous
// site, and writes the others afresh; the site it leaves is the site a
// build into an empty directory writes, and the previous site's files are
// never changed in place.
func TestRebuildLinksUnchangedFiles(t *testing.T) {
	content := copyDir(t, seeds)
	out := filepath.Join(t.TempDir(), "public")
	buildInto(t, Options{Content: content, Out: out})
	inode := func(rel string) fs.FileInfo {
		t.Helper()
		st, err := os.Stat(filepath.Join(out, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	const (
		edited    = "reports/hunan-xiangtan-minzheng/2024.html"
		untouched = "reports/hubei-jingmen-minzheng/2022.html"
	)
	before := map[string]fs.FileInfo{edited: inode(edited), untouched: inode(untouched)}
	kept, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(edited)))
	if err != nil {
		t.Fatal(err)
	}
	edit(t, filepath.Join(content, "hunan-xiangtan-minzheng", "2024", "budget.md"), "。", "。（修订）")
	buildInto(t, Options{Content: content, Out: out})

	if !os.SameFile(inode(untouched), before[untouched]) {
		t.Errorf("%s came out the same but was written again", untouched)
	}
	if os.SameFile(inode(edited), before[edited]) {
		t.Errorf("%s changed but kept the previous file", edited)
	}
	clean := filepath.Join(t.TempDir(), "public")
	buildInto(t, Options{Content: content, Out: clean})
	if got, want := tree(t, out), tree(t, clean); !maps.Equal(got, want) {
		t.Error("the rebuilt site differs from a clean build of the same content")
	}
	if now, _ := os.ReadFile(filepath.Join(clean, filepath.FromSlash(edited))); bytes.Equal(now, kept) {
		t.Fatal("the edit did not change the page; the test edits the wrong file")
	}
}
