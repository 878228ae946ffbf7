package build

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"disclose/internal/gen"
)

// TestStreamMatchesModel: the streamed build (one department at a time,
// site-wide files from digests) writes byte for byte what the Builder
// writes from the whole model, with the same diagnostics and shortfalls,
// on the shipped content and on a generated site paginated every way (the
// report list, comparisons by region, categories and 公开情况 by page).
func TestStreamMatchesModel(t *testing.T) {
	generated := filepath.Join(t.TempDir(), "generated")
	if _, err := gen.Write(generated, gen.Options{Departments: 14, Years: 2, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		o        Options
		paginate bool
	}{
		{"seeds", Options{Content: seeds}, false},
		{"generated paginated", Options{Content: generated, PageSize: 3}, true},
		{"generated with base URL", Options{Content: generated, BaseURL: "https://example.gov.cn/jx/"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			streamed := tc.o
			streamed.Out = filepath.Join(t.TempDir(), "streamed")
			got, err := Build(context.Background(), streamed)
			if err != nil {
				t.Fatalf("streamed build: %v (%v)", err, got.Diagnostics)
			}
			whole := tc.o
			whole.Out = filepath.Join(t.TempDir(), "whole")
			b := NewBuilder(whole)
			defer b.Close()
			want, err := b.Rebuild(context.Background(), Change{All: true})
			if err != nil {
				t.Fatalf("builder: %v", err)
			}
			if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
				t.Errorf("diagnostics differ: streamed %d, whole %d", len(got.Diagnostics), len(want.Diagnostics))
			}
			if !reflect.DeepEqual(got.Shortfalls, want.Shortfalls) {
				t.Errorf("shortfalls differ: streamed %d, whole %d", len(got.Shortfalls), len(want.Shortfalls))
			}
			if got.Files != want.Files || got.RelativeSitemap != want.RelativeSitemap {
				t.Errorf("streamed %d files (relative sitemap %v), whole %d (%v)", got.Files, got.RelativeSitemap, want.Files, want.RelativeSitemap)
			}
			w := tree(t, whole.Out)
			sameFiles(t, "streamed against the whole model", tree(t, streamed.Out), w)
			if tc.paginate {
				for _, pattern := range []string{"list/*/2.html", "compare/*/*.html", "compare/category/*-2.html", "compliance/*-2.html"} {
					if m, _ := filepath.Glob(filepath.Join(streamed.Out, pattern)); len(m) == 0 {
						t.Errorf("no %s: the site is not paginated that way", pattern)
					}
				}
			}
			if len(w) < 50 || len(got.Shortfalls) == 0 && tc.name != "seeds" {
				t.Fatalf("%d files and %d shortfalls: the comparison says little", len(w), len(got.Shortfalls))
			}
		})
	}
}

// TestCachedBuildEqualsClean: a build after edits takes every department
// it can from the cache (read, checked and rendered by none), and equals a
// clean build byte for byte, with the same diagnostics and shortfalls;
// a damaged cache entry, or a file of the output changed by hand, only
// sends its department the long way.
func TestCachedBuildEqualsClean(t *testing.T) {
	content := genContent(t, gen.Options{Departments: 8, Years: 2, Seed: 5})
	depts := deptDirs(t, content)
	out := filepath.Join(t.TempDir(), "public")
	o := Options{Content: content, Out: out, PageSize: 4}
	var mu sync.Mutex
	var loaded []string
	loadedHook = func(d string) { mu.Lock(); loaded = append(loaded, d); mu.Unlock() }
	defer func() { loadedHook = nil }()
	build := func(step string, wantLoaded ...string) Result {
		t.Helper()
		loaded = nil
		res, err := Build(context.Background(), o)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		slices.Sort(loaded)
		slices.Sort(wantLoaded)
		if !slices.Equal(loaded, wantLoaded) {
			t.Errorf("%s: read %v, want %v", step, loaded, wantLoaded)
		}
		clean := o
		clean.Fresh = true
		clean.Out = filepath.Join(t.TempDir(), "clean")
		want, err := Build(context.Background(), clean)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(res.Diagnostics, want.Diagnostics) || !reflect.DeepEqual(res.Shortfalls, want.Shortfalls) || res.Files != want.Files {
			t.Errorf("%s: %d diagnostics, %d shortfalls, %d files; clean: %d, %d, %d", step,
				len(res.Diagnostics), len(res.Shortfalls), res.Files, len(want.Diagnostics), len(want.Shortfalls), want.Files)
		}
		sameFiles(t, step+", against a clean build", tree(t, out), tree(t, clean.Out))
		return res
	}
	build("first build", depts...)

	// A figure the lists show: only its department is read again.
	file := filepath.Join(content, depts[2], reportFiles(t, content, depts[2])[0])
	bumpFirst(t, file, "expenditure")
	res := build("one report edited", depts[2])
	if res.Reused == 0 {
		t.Error("nothing was reused")
	}

	// A damaged entry: its department takes the long way.
	if err := os.WriteFile(filepath.Join(cacheDir(out), depts[4]+".json"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	bumpFirst(t, file, "expenditure")
	build("damaged entry", depts[2], depts[4])

	// A page changed by hand in the output: its department is rendered
	// again, whatever the cache says.
	page := filepath.Join(out, "departments", depts[6]+".html")
	if err := os.WriteFile(page, []byte("changed by hand"), 0o644); err != nil {
		t.Fatal(err)
	}
	bumpFirst(t, file, "expenditure")
	build("page changed by hand", depts[2], depts[6])

	// Edited while the build reads: a department whose file changes
	// after the tree was keyed and before the department is read (its
	// cache entry is damaged, so that it is read) shows the new bytes on
	// every page, takes nothing from the previous site on its old key, and
	// is read again by the next build.
	other := filepath.Join(content, depts[3], reportFiles(t, content, depts[3])[0])
	before, err := os.ReadFile(other)
	if err != nil {
		t.Fatal(err)
	}
	bumpFirst(t, other, "expenditure")
	edited, err := os.ReadFile(other)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, before, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cacheDir(out), depts[3]+".json"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	var editErr error
	loadedHook = func(d string) {
		mu.Lock()
		loaded = append(loaded, d)
		mu.Unlock()
		if d == depts[3] {
			once.Do(func() { editErr = os.WriteFile(other, edited, 0o644) })
		}
	}
	bumpFirst(t, file, "expenditure") // so that the site is not up to date
	build("edited while the build reads it", depts[2], depts[3])
	if editErr != nil {
		t.Fatal(editErr)
	}
	loadedHook = func(d string) { mu.Lock(); loaded = append(loaded, d); mu.Unlock() }
	build("the build after that", depts[3])

	// A department gone: the others stay cached, and its entry goes.
	if err := os.RemoveAll(filepath.Join(content, depts[7])); err != nil {
		t.Fatal(err)
	}
	build("department removed")
	if _, err := os.Stat(filepath.Join(cacheDir(out), depts[7]+".json")); !os.IsNotExist(err) {
		t.Errorf("the removed department's entry is still there: %v", err)
	}
}

func deptDirs(t *testing.T, content string) []string {
	t.Helper()
	entries, err := os.ReadDir(content)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), "_") && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	return out
}

func reportFiles(t *testing.T, content, dept string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(content, dept))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".yaml") && e.Name() != "department.yaml" {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestPreviewStartEditedWhileRead: an edit saved after the preview's first
// build keyed the content and before it read it shows on every page (the
// report's own and the lists that show the figure), though the previous
// site's manifest holds the department under the key it had before.
func TestPreviewStartEditedWhileRead(t *testing.T) {
	content := genContent(t, gen.Options{Departments: 6, Years: 2, Seed: 9})
	depts := deptDirs(t, content)
	out := filepath.Join(t.TempDir(), "public")
	o := Options{Content: content, Out: out, PageSize: 4}
	buildInto(t, o)
	bumpFirst(t, filepath.Join(content, depts[0], reportFiles(t, content, depts[0])[0]), "expenditure") // not up to date
	file := filepath.Join(content, depts[1], reportFiles(t, content, depts[1])[0])
	keyedHook = func() { bumpFirst(t, file, "expenditure") }
	defer func() { keyedHook = nil }()
	b := NewBuilder(o)
	defer b.Close()
	if u, err := b.Rebuild(context.Background(), Change{All: true}); err != nil {
		t.Fatalf("first preview build: %v (%v)", err, u.Diagnostics)
	}
	keyedHook = nil
	sameAsClean(t, Options{Content: content, PageSize: 4}, out)
}
