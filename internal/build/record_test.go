package build

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"disclose/internal/content"
	"disclose/internal/heavytest"
)

// TestHeavyBuildUpToDate: a build whose inputs are byte for byte the last
// build's, with that build's output intact, loads nothing, writes nothing
// and reports what the last build found; any change to the inputs, the
// options or the output takes the long way, which leaves a clean build's
// bytes.
func TestHeavyBuildUpToDate(t *testing.T) {
	// Thirty whole builds of the seeds: the build's concurrency is
	// TestParallelBuildMatchesSequential's to test under -race.
	heavytest.Mark(t)
	content := copyDir(t, seeds)
	out := filepath.Join(t.TempDir(), "public")
	userTheme := t.TempDir()
	o := Options{Content: content, Out: out}
	first := buildInto(t, o)
	if first.UpToDate {
		t.Fatal("the first build was up to date with nothing")
	}
	mtimes := func() map[string]time.Time {
		m := map[string]time.Time{}
		for p := range tree(t, out) {
			st, err := os.Stat(filepath.Join(out, filepath.FromSlash(p)))
			if err != nil {
				t.Fatal(err)
			}
			m[p] = st.ModTime()
		}
		return m
	}
	before := mtimes()
	again := buildInto(t, o)
	if !again.UpToDate {
		t.Fatal("nothing changed, yet the build was not up to date")
	}
	if again.Files != first.Files || again.Reused != first.Files || again.RelativeSitemap != first.RelativeSitemap {
		t.Errorf("up-to-date result %+v, want the files of %+v", again, first)
	}
	if len(first.Diagnostics) == 0 || !reflect.DeepEqual(again.Diagnostics, first.Diagnostics) {
		t.Errorf("up-to-date diagnostics differ from the build's (%d, %d)", len(again.Diagnostics), len(first.Diagnostics))
	}
	if len(first.Shortfalls) == 0 || !reflect.DeepEqual(again.Shortfalls, first.Shortfalls) {
		t.Errorf("up-to-date shortfalls differ from the build's (%d, %d)", len(again.Shortfalls), len(first.Shortfalls))
	}
	if after := mtimes(); !reflect.DeepEqual(after, before) {
		t.Error("an up-to-date build touched the output")
	}

	report := filepath.Join(content, "hubei-jingmen-minzheng", "2022.yaml")
	for _, step := range []struct {
		name     string
		do       func(t *testing.T, o *Options)
		upToDate bool
	}{
		{"an editor's swap file in the content", func(t *testing.T, _ *Options) {
			writeTestFile(t, filepath.Join(content, "hubei-jingmen-minzheng", ".2022.yaml.swp"), "swap")
		}, true},
		{"one figure", func(t *testing.T, _ *Options) {
			edit(t, report, "expenditure: 21680.25", "expenditure: 21680.26")
		}, false},
		{"nothing since", func(*testing.T, *Options) {}, true},
		{"the figure back", func(t *testing.T, _ *Options) {
			edit(t, report, "expenditure: 21680.26", "expenditure: 21680.25")
		}, false},
		{"a file added to the output", func(t *testing.T, _ *Options) { writeTestFile(t, filepath.Join(out, "stray.html"), "x") }, false},
		{"an empty folder added to the output", func(t *testing.T, _ *Options) {
			if err := os.Mkdir(filepath.Join(out, "stray"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"a page removed from the output", func(t *testing.T, _ *Options) {
			if err := os.Remove(filepath.Join(out, "index.html")); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"a page rewritten in place", func(t *testing.T, _ *Options) {
			p := filepath.Join(out, "reports", "hubei-jingmen-minzheng", "2022.html")
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)-2] ^= 1
			writeTestFile(t, p, string(b))
			if err := os.Chtimes(p, st.ModTime(), st.ModTime().Add(time.Nanosecond)); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"the page size", func(_ *testing.T, o *Options) { o.PageSize = 3 }, false},
		{"the base URL", func(_ *testing.T, o *Options) { o.BaseURL = "https://czj.example.gov.cn/gk/" }, false},
		{"a compliance profile beside the content", func(t *testing.T, _ *Options) {
			dir := filepath.Join(filepath.Dir(content), "profiles")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			writeTestFile(t, filepath.Join(dir, "local.yaml"), "id: local\nname: 本地要求\nbase: national\n")
		}, false},
		{"a user theme", func(t *testing.T, o *Options) {
			o.Theme = userTheme
			writeTestFile(t, filepath.Join(o.Theme, "assets", "extra.css"), "body{}")
		}, false},
		{"nothing at the end", func(*testing.T, *Options) {}, true},
	} {
		t.Run(step.name, func(t *testing.T) {
			step.do(t, &o)
			res := buildInto(t, o)
			if res.UpToDate != step.upToDate {
				t.Fatalf("up to date = %v, want %v", res.UpToDate, step.upToDate)
			}
			sameAsClean(t, o, out)
		})
	}

	t.Run("fresh", func(t *testing.T) {
		o := o
		o.Fresh = true
		if res := buildInto(t, o); res.UpToDate {
			t.Error("--fresh answered from the record")
		}
	})

	// An edit saved while the build reads the content may or may not be in
	// what it wrote: that build is not recorded, and the next one builds.
	t.Run("content edited during the build", func(t *testing.T) {
		o := o
		o.Fresh = true
		edited := false
		o.Progress = func(done, total int) {
			if !edited {
				edited = true
				edit(t, report, "expenditure: 21680.25", "expenditure: 21680.27")
			}
		}
		buildInto(t, o)
		if _, err := os.Stat(recordPath(out)); err == nil {
			t.Error("a build whose content changed while it ran left a record")
		}
		o.Progress, o.Fresh = nil, false
		if res := buildInto(t, o); res.UpToDate {
			t.Error("the build after it was up to date")
		}
		sameAsClean(t, o, out)
	})
}

func writeTestFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHeavyBuilderAdopt: a Builder that adopts an up-to-date output writes
// nothing on its first Rebuild and then rebuilds incrementally, leaving a
// clean build's bytes; content edited between Adopt and the first Rebuild
// makes that Rebuild write the site as usual.
func TestHeavyBuilderAdopt(t *testing.T) {
	heavytest.Mark(t)
	for _, editFirst := range []bool{false, true} {
		t.Run(map[bool]string{false: "unchanged", true: "edited before the first rebuild"}[editFirst], func(t *testing.T) {
			content := copyDir(t, seeds)
			out := filepath.Join(t.TempDir(), "public")
			o := Options{Content: content, Out: out}
			buildInto(t, o)
			before := tree(t, out)
			b := NewBuilder(o)
			defer b.Close()
			if !b.Adopt(context.Background()) {
				t.Fatal("an output that Build just wrote was not adopted")
			}
			report := filepath.Join(content, "hubei-jingmen-minzheng", "2022.yaml")
			if editFirst {
				edit(t, report, "expenditure: 21680.25", "expenditure: 21680.26")
			}
			u, err := b.Rebuild(context.Background(), Change{All: true})
			if err != nil {
				t.Fatal(err)
			}
			if u.UpToDate == editFirst {
				t.Errorf("first rebuild up to date = %v", u.UpToDate)
			}
			if !editFirst {
				if len(u.Written) != 0 || !reflect.DeepEqual(tree(t, out), before) {
					t.Errorf("adopting wrote %d files", len(u.Written))
				}
				edit(t, report, "expenditure: 21680.25", "expenditure: 21680.26")
				u, err = b.Rebuild(context.Background(), Change{Content: []string{"hubei-jingmen-minzheng/2022.yaml"}})
				if err != nil {
					t.Fatal(err)
				}
				if u.Full || len(u.Written) == 0 || len(u.Written) > 20 {
					t.Errorf("the edit after adopting wrote %d files (full %v)", len(u.Written), u.Full)
				}
			}
			sameAsClean(t, o, out)
		})
	}
}

// The content's hashes read back as written; a damaged line is skipped,
// which costs only reading that file again.
func TestHashesRoundTrip(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	files := content.FileHashes{
		"site.yaml":              {Sum: [32]byte{1, 2, 3}, Stat: content.FileStat{Size: 12, MTime: 1700000000123456789, CTime: 1700000000987654321, Ino: 42}},
		"a-dept/2024/summary.md": {Sum: [32]byte{31: 9}, Stat: content.FileStat{Size: 0, MTime: 1, CTime: 2, Ino: 1 << 40}},
		"b-dept/文件 名.yaml":       {Sum: [32]byte{7}, Stat: content.FileStat{Size: 4 << 20}},
	}
	writeHashes(out, nil, files)
	if got := readHashes(out); !maps.Equal(got, files) {
		t.Fatalf("read back %v, want %v", got, files)
	}
	b, err := os.ReadFile(hashesPath(out))
	if err != nil {
		t.Fatal(err)
	}
	damaged := strings.Replace(string(b), " 42\t", " x\t", 1)
	if err := os.WriteFile(hashesPath(out), []byte(damaged), 0o644); err != nil {
		t.Fatal(err)
	}
	got := readHashes(out)
	if _, ok := got["site.yaml"]; ok || len(got) != len(files)-1 {
		t.Errorf("a damaged line gave %v", got)
	}
}
