package build

import (
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/gen"
	"disclose/internal/heavytest"
	"disclose/internal/output"
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

// fill sets every field of v, at any depth, to something other than its
// zero value, so that a field the record's encoding forgets is lost.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), n)
		}
	case reflect.String:
		v.SetString("字段 " + strconv.Itoa(*n))
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(*n) * -7)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		fill(v.Index(0), n)
		fill(v.Index(1), n)
	case reflect.Bool:
		v.SetBool(true)
	default:
		panic("fill: " + v.Kind().String())
	}
}

// TestRecordRoundTrip: a record reads back as written, every field of
// every finding included (a nil list stays apart from an empty one, as
// through JSON), and only for its key; a record damaged anywhere, or cut
// short, is no record.
func TestRecordRoundTrip(t *testing.T) {
	var d1, d2 diag.Diagnostic
	n := 0
	fill(reflect.ValueOf(&d1).Elem(), &n)
	fill(reflect.ValueOf(&d2).Elem(), &n)
	d2.Pos.File, d2.Args[1] = d1.Pos.File, d1.Args[0] // strings shared
	empty := d1
	empty.Args = []string{}
	noArgs := d2
	noArgs.Args = nil
	r := record{
		Key: [32]byte{1}, Manifest: [32]byte{2}, RelativeSitemap: true,
		Files: map[string]output.Record{
			"index.html":          {Hash: [32]byte{3}, Size: 1234, MTime: 1700000000123456789},
			"reports/甲/2024.html": {Hash: [32]byte{31: 4}, Size: 0, MTime: -1},
			"data/all.csv":        {Size: 1 << 40, MTime: 1},
			"a b/c\u00a0d/e.json": {MTime: 7},
		},
		Diagnostics: []diag.Diagnostic{d1, d2, empty, noArgs},
		Shortfalls:  []diag.Diagnostic{},
	}
	b := marshalRecord(r)
	got, ok := unmarshalRecord(string(b), r.Key)
	if !ok || !reflect.DeepEqual(got, r) {
		t.Fatalf("read back %+v (%v), want %+v", got, ok, r)
	}
	r.Diagnostics, r.Shortfalls = nil, nil
	if got, ok := unmarshalRecord(string(marshalRecord(r)), r.Key); !ok || got.Diagnostics != nil || got.Shortfalls != nil {
		t.Errorf("no findings read back as %v, %v", got.Diagnostics, got.Shortfalls)
	}
	if _, ok := unmarshalRecord(string(b), [32]byte{9}); ok {
		t.Error("a record was taken for another key")
	}
	for i := range b {
		damaged := slices.Clone(b)
		damaged[i] ^= 0x10
		if _, ok := unmarshalRecord(string(damaged), r.Key); ok {
			t.Fatalf("a record damaged at byte %d of %d was read", i, len(b))
		}
	}
	for n := range len(b) {
		if _, ok := unmarshalRecord(string(b[:n]), r.Key); ok {
			t.Fatalf("a record cut at %d of %d bytes was read", n, len(b))
		}
	}
}

// TestOutputAsRecorded: the output is as recorded only when it holds
// exactly the recorded files (and the marker), each with its size and
// modification time, and no other file, folder or link.
func TestOutputAsRecorded(t *testing.T) {
	type setup func(t *testing.T, out string, files map[string]output.Record)
	cases := []struct {
		name string
		do   setup
		want bool
	}{
		{"as written", func(*testing.T, string, map[string]output.Record) {}, true},
		{"the marker", func(t *testing.T, out string, _ map[string]output.Record) {
			writeTestFile(t, filepath.Join(out, marker), markerText)
		}, true},
		{"a stray file", func(t *testing.T, out string, _ map[string]output.Record) {
			writeTestFile(t, filepath.Join(out, "reports", "stray.html"), "x")
		}, false},
		{"a stray empty folder", func(t *testing.T, out string, _ map[string]output.Record) {
			if err := os.Mkdir(filepath.Join(out, "reports", "a", "empty"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"a file gone", func(t *testing.T, out string, _ map[string]output.Record) {
			if err := os.Remove(filepath.Join(out, "reports", "a", "b", "deep.html")); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"a file of another size", func(t *testing.T, out string, files map[string]output.Record) {
			r := files["index.html"]
			r.Size++
			files["index.html"] = r
		}, false},
		{"a file of another time", func(t *testing.T, out string, files map[string]output.Record) {
			r := files["reports/a/b/deep.html"]
			r.MTime++
			files["reports/a/b/deep.html"] = r
		}, false},
		{"a link for a file", func(t *testing.T, out string, _ map[string]output.Record) {
			p := filepath.Join(out, "index.html")
			if err := os.Rename(p, p+".real"); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("index.html.real", p); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"a link for a folder", func(t *testing.T, out string, _ map[string]output.Record) {
			p := filepath.Join(out, "reports", "a")
			if err := os.Rename(p, filepath.Join(out, "real-a")); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("../real-a", p); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"a folder for a file", func(t *testing.T, out string, _ map[string]output.Record) {
			p := filepath.Join(out, "reports", "b.html")
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			files := map[string]output.Record{}
			for _, p := range []string{"index.html", "reports/b.html", "reports/a/b/deep.html", "data/all.csv"} {
				writeTestFile(t, filepath.Join(out, filepath.FromSlash(p)), p)
				st, err := os.Stat(filepath.Join(out, filepath.FromSlash(p)))
				if err != nil {
					t.Fatal(err)
				}
				files[p] = output.Record{Size: st.Size(), MTime: st.ModTime().UnixNano()}
			}
			tc.do(t, out, files)
			if got := outputAsRecorded(context.Background(), out, files); got != tc.want {
				t.Errorf("as recorded = %v, want %v", got, tc.want)
			}
		})
	}
}

// A first build does not hold the content's hashes while it runs: they
// wait beside the output under another name and become its hashes once
// the output is the build's own. A first build that fails keeps none.
func TestFirstBuildKeepsHashes(t *testing.T) {
	dir := genContent(t, gen.Options{Departments: 3, Years: 1, Seed: 5})
	// Hashes of files changed within the last 2 s are not kept (they may
	// change again unseen by their stat), and a file's ctime cannot be
	// set back.
	time.Sleep(2100 * time.Millisecond)
	out := filepath.Join(t.TempDir(), "public")
	buildInto(t, Options{Content: dir, Out: out})
	got := readHashes(out)
	if len(got) == 0 {
		t.Fatal("the first build kept no hashes")
	}
	for p, fh := range got {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			t.Fatalf("kept a hash of %s: %v", p, err)
		}
		if sha256.Sum256(b) != fh.Sum {
			t.Errorf("the hash kept of %s is not its bytes'", p)
		}
	}
	if _, err := os.Stat(pendingHashesPath(out)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the pending hashes are still there: %v", err)
	}

	// An output that is not a site of ours: the build refuses it.
	notOurs := filepath.Join(t.TempDir(), "docs")
	if err := os.MkdirAll(notOurs, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(notOurs, "keep.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), Options{Content: dir, Out: notOurs}); err == nil {
		t.Fatal("a build replaced a directory it did not make")
	}
	for _, p := range []string{hashesPath(notOurs), pendingHashesPath(notOurs)} {
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a failed first build left %s: %v", filepath.Base(p), err)
		}
	}
}
