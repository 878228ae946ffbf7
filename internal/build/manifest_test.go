package build

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"disclose/internal/output"
)

// TestManifestBuildEqualsClean: after every kind of edit, a build that
// reuses files by the previous build's manifest leaves on disk byte for
// byte the site a build into an empty directory writes, and it rendered
// again exactly what the edit can change.
func TestManifestBuildEqualsClean(t *testing.T) {
	t.Run("build", func(t *testing.T) {
		manifestSteps(t, func(_ int, t *testing.T, o Options) Result { return buildInto(t, o) })
	})
	// The preview's first build shares the manifest with disclose build:
	// each starts from what the other left.
	t.Run("build and preview start in turn", func(t *testing.T) {
		manifestSteps(t, func(step int, t *testing.T, o Options) Result {
			if step%2 == 0 {
				return startPreview(t, o)
			}
			return buildInto(t, o)
		})
	})
}

// startPreview makes the first build of a preview: a Builder that stays
// for the rebuilds after edits.
func startPreview(t *testing.T, o Options) Result {
	t.Helper()
	b := NewBuilder(o)
	t.Cleanup(func() { b.Close() })
	u, err := b.Rebuild(context.Background(), Change{All: true})
	if err != nil {
		t.Fatalf("first preview build: %v (diagnostics: %v)", err, u.Diagnostics)
	}
	return u.Result
}

// manifestSteps edits the content step by step; build (told the step's
// number, -1 for the first build) builds after each edit.
func manifestSteps(t *testing.T, build func(step int, t *testing.T, o Options) Result) {
	content := copyDir(t, seeds)
	th := t.TempDir()
	out := filepath.Join(t.TempDir(), "public")
	o := Options{Content: content, Out: out, Theme: th}
	first := build(-1, t, o)
	if first.Reused != 0 {
		t.Fatalf("first build reused %d files from nowhere", first.Reused)
	}
	if _, err := os.Stat(output.ManifestPath(out)); err != nil {
		t.Fatalf("no manifest after a build: %v", err)
	}
	xiangtan := filepath.Join(content, "hunan-xiangtan-minzheng")
	const (
		xiangtanPage = "reports/hunan-xiangtan-minzheng/2024.html"
		jingmenPage  = "reports/hubei-jingmen-minzheng/2022.html"
	)
	for i, step := range []struct {
		name     string
		do       func(t *testing.T)
		reused   []string // files that must be linked from the previous site
		rendered []string // files that must be rendered again
		none     bool     // nothing may be reused
		// upToDate: Build may answer from its record (record.go), which
		// loads and renders nothing; the preview never does.
		upToDate bool
	}{
		{
			name:     "nothing changed",
			do:       func(*testing.T) {},
			reused:   []string{xiangtanPage, jingmenPage, "index.html", "compare/2024.html", "data/all.csv", "data/all.xlsx", "assets/search-index.js"},
			upToDate: true,
		},
		{
			name:     "a narrative section",
			do:       func(t *testing.T) { edit(t, filepath.Join(xiangtan, "2024", "problems.md"), "。", "。（修订）") },
			reused:   []string{jingmenPage, "index.html", "compare/2024.html", "data/hubei-jingmen-minzheng/2022.json"},
			rendered: []string{xiangtanPage, "data/hunan-xiangtan-minzheng/2024.json", "data/all.csv", "data/all.xlsx"},
		},
		{
			name: "a figure that the lists show",
			do: func(t *testing.T) {
				edit(t, filepath.Join(content, "hubei-jingmen-minzheng", "2022.yaml"), "expenditure: 21680.25", "expenditure: 21680.26")
			},
			reused:   []string{xiangtanPage},
			rendered: []string{jingmenPage, "index.html", "compare/2022.html", "data/all.xlsx"},
		},
		{
			name:     "a new department",
			do:       func(t *testing.T) { copyDepartment(t, content, xiangtan) },
			reused:   []string{xiangtanPage, jingmenPage},
			rendered: []string{"reports/hunan-xiangtan-minzheng-copy/2024.html", "index.html"},
		},
		{
			name:     "a department removed",
			do:       func(t *testing.T) { removeDepartmentCopy(t, content) },
			reused:   []string{xiangtanPage, jingmenPage},
			rendered: []string{"index.html"},
		},
		{
			name: "a page edited by hand in the output",
			do: func(t *testing.T) {
				p := filepath.Join(out, filepath.FromSlash(jingmenPage))
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				// Same size, other bytes, and a time that differs only in
				// the nanoseconds: still found out.
				st, _ := os.Stat(p)
				b = bytes.Replace(b, []byte("<h1"), []byte("<H1"), 1)
				if err := os.WriteFile(p, b, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Chtimes(p, st.ModTime(), st.ModTime().Add(time.Nanosecond)); err != nil {
					t.Fatal(err)
				}
			},
			reused:   []string{xiangtanPage},
			rendered: []string{jingmenPage},
		},
		{
			name: "the site configuration",
			do:   func(t *testing.T) { retitleSite(t, content) },
			none: true,
		},
		{
			name: "a template of the user theme",
			do:   func(t *testing.T) { override404(t, th) },
			none: true,
		},
		{
			name:     "nothing changed after all that",
			do:       func(*testing.T) {},
			reused:   []string{xiangtanPage, jingmenPage, "index.html", "data/all.csv"},
			upToDate: true,
		},
	} {
		t.Run(step.name, func(t *testing.T) {
			step.do(t)
			var mu sync.Mutex
			reused := map[string]bool{}
			reusedHook = func(p string) {
				mu.Lock()
				reused[p] = true
				mu.Unlock()
			}
			defer func() { reusedHook = nil }()
			res := build(i, t, o)
			if res.UpToDate {
				if !step.upToDate {
					t.Fatal("answered from the build record though the inputs or the output changed")
				}
				if len(reused) != 0 || res.Reused != res.Files {
					t.Errorf("up to date, yet %d files were linked and Reused = %d of %d", len(reused), res.Reused, res.Files)
				}
				sameAsClean(t, Options{Content: content, Theme: th}, out)
				return
			}
			if res.Reused != len(reused) {
				t.Errorf("Reused = %d, but %d files were reused", res.Reused, len(reused))
			}
			if step.none && res.Reused != 0 {
				t.Errorf("reused %d files; the change touches every page", res.Reused)
			}
			if !step.none && res.Reused == 0 {
				t.Error("reused nothing")
			}
			for _, p := range step.reused {
				if !reused[p] {
					t.Errorf("%s was not reused", p)
				}
			}
			for _, p := range step.rendered {
				if reused[p] {
					t.Errorf("%s was reused though the change touches it", p)
				}
			}
			sameAsClean(t, Options{Content: content, Theme: th}, out)
		})
	}
}

// A damaged or foreign manifest is ignored: the build renders everything.
func TestManifestDamagedIsIgnored(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	o := Options{Out: out}
	buildInto(t, o)
	b, err := os.ReadFile(output.ManifestPath(out))
	if err != nil {
		t.Fatal(err)
	}
	for _, damaged := range []string{
		"",
		"disclose-manifest 0\n" + string(b[len(manifestVersion)+1:]),
		strings.Replace(string(b), "\nfile\t", "\nfile\t../", 1),
		strings.Replace(string(b), "\nkey ", "\nkey 00", 1),
		string(b[:len(b)/2]) + "\x00",
	} {
		if err := os.WriteFile(output.ManifestPath(out), []byte(damaged), 0o644); err != nil {
			t.Fatal(err)
		}
		if res := buildInto(t, o); res.Reused != 0 {
			t.Errorf("reused %d files on a damaged manifest", res.Reused)
		}
		sameAsClean(t, Options{Content: seeds}, out)
	}
}

func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(manifestVersion + "\nkey " + strings.Repeat("ab", 32) + "\ndept\td\t" + strings.Repeat("01", 32) + "\t" + strings.Repeat("02", 32) + "\nfile\ta/b.html\t" + strings.Repeat("03", 32) + "\t12\t34\n"))
	f.Add([]byte(manifestVersion + "\nkey \n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parseManifest(b)
		if err != nil {
			return
		}
		// What parses must come back the same through marshal.
		again, err := parseManifest(m.marshal())
		if err != nil {
			t.Fatalf("re-reading a marshalled manifest: %v", err)
		}
		if again.key != m.key || len(again.depts) != len(m.depts) || len(again.files) != len(m.files) {
			t.Fatal("manifest changed through marshal and parse")
		}
		for p, r := range m.files {
			if again.files[p] != r {
				t.Fatalf("file %s changed through marshal and parse", p)
			}
		}
		for d, k := range m.depts {
			if again.depts[d] != k {
				t.Fatalf("department %s changed through marshal and parse", d)
			}
		}
	})
}

// --fresh renders everything, and still leaves a manifest for the next
// build.
func TestFreshIgnoresManifest(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	buildInto(t, Options{Out: out})
	if res := buildInto(t, Options{Out: out, Fresh: true}); res.Reused != 0 {
		t.Errorf("a fresh build reused %d files", res.Reused)
	}
	if res := buildInto(t, Options{Out: out}); res.Reused == 0 {
		t.Error("the build after a fresh one reused nothing")
	}
}

// Only the first load of a preview is recorded, and only when it succeeds
// in building is the record used: a preview that starts on broken content
// renders everything once the content is fixed.
func TestPreviewStartOnBrokenContentRendersAll(t *testing.T) {
	content := copyDir(t, seeds)
	out := filepath.Join(t.TempDir(), "public")
	o := Options{Content: content, Out: out}
	buildInto(t, o)
	file := filepath.Join(content, "hubei-jingmen-minzheng", "2022.yaml")
	good, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, append(slices.Clone(good), "year: [\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	b := NewBuilder(o)
	defer b.Close()
	if _, err := b.Rebuild(context.Background(), Change{All: true}); !errors.Is(err, ErrContent) {
		t.Fatalf("broken content built: %v", err)
	}
	if err := os.WriteFile(file, good, 0o644); err != nil {
		t.Fatal(err)
	}
	u, err := b.Rebuild(context.Background(), Change{Content: []string{"hubei-jingmen-minzheng/2022.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	if u.Reused != 0 || !u.Full {
		t.Errorf("Reused = %d, Full = %v; want a full render", u.Reused, u.Full)
	}
	sameAsClean(t, Options{Content: content}, out)
	if res := buildInto(t, o); res.Reused == 0 {
		t.Error("the build after the preview reused nothing")
	}
}
