package content

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"
)

func TestTreeKeys(t *testing.T) {
	base := func() fstest.MapFS {
		return fstest.MapFS{
			"site.yaml":                  {Data: []byte("title: 测试\n")},
			"a-dept/department.yaml":     {Data: []byte("name: 甲\n")},
			"a-dept/2024.yaml":           {Data: []byte("total: 1\n")},
			"a-dept/2024/summary.md":     {Data: []byte("概述\n")},
			"b-dept/department.yaml":     {Data: []byte("name: 乙\n")},
			"b-dept/2024.yaml":           {Data: []byte("total: 2\n")},
			"_schema/report.schema.json": {Data: []byte("{}")},
			"a-dept/.2024.yaml.swp":      {Data: []byte("swap")},
			"a-dept/2024/notes.md~":      {Data: []byte("backup")},
		}
	}
	keysOf := func(t *testing.T, fsys fstest.MapFS) Keys {
		t.Helper()
		k, err := TreeKeys(context.Background(), fsys, nil)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	before := keysOf(t, base())
	if len(before.Depts) != 2 {
		t.Fatalf("departments keyed: %v, want a-dept and b-dept", slices.Collect(maps.Keys(before.Depts)))
	}
	cases := []struct {
		name    string
		edit    func(fstest.MapFS)
		site    bool     // the site key changes
		changed []string // the departments whose key changes
	}{
		{"nothing", func(fstest.MapFS) {}, false, nil},
		{"one byte of a report", func(m fstest.MapFS) { m["a-dept/2024.yaml"] = &fstest.MapFile{Data: []byte("total: 3\n")} }, false, []string{"a-dept"}},
		{"a narrative", func(m fstest.MapFS) { m["a-dept/2024/summary.md"] = &fstest.MapFile{Data: []byte("概述。\n")} }, false, []string{"a-dept"}},
		{"a file renamed", func(m fstest.MapFS) {
			m["b-dept/2025.yaml"] = m["b-dept/2024.yaml"]
			delete(m, "b-dept/2024.yaml")
		}, false, []string{"b-dept"}},
		// The same bytes moved between a file and a folder of the same name
		// must not hash alike.
		{"a section moved up", func(m fstest.MapFS) {
			m["a-dept/summary.md"] = m["a-dept/2024/summary.md"]
			delete(m, "a-dept/2024/summary.md")
		}, false, []string{"a-dept"}},
		{"site settings", func(m fstest.MapFS) { m["site.yaml"] = &fstest.MapFile{Data: []byte("title: 另一个\n")} }, true, nil},
		{"a stray file at the top", func(m fstest.MapFS) { m["notes.txt"] = &fstest.MapFile{Data: []byte("x")} }, true, nil},
		{"a new department", func(m fstest.MapFS) { m["c-dept/department.yaml"] = &fstest.MapFile{Data: []byte("name: 丙\n")} }, false, []string{"c-dept"}},
		{"a department removed", func(m fstest.MapFS) {
			delete(m, "b-dept/department.yaml")
			delete(m, "b-dept/2024.yaml")
		}, false, []string{"b-dept"}},
		{"editor leftovers and _schema", func(m fstest.MapFS) {
			m["a-dept/.2024.yaml.swp"] = &fstest.MapFile{Data: []byte("other swap")}
			m["a-dept/4913"] = &fstest.MapFile{Data: []byte("")}
			m["_schema/report.schema.json"] = &fstest.MapFile{Data: []byte("{\"x\":1}")}
			m[".git/HEAD"] = &fstest.MapFile{Data: []byte("ref")}
		}, false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := base()
			tc.edit(fsys)
			after := keysOf(t, fsys)
			if (after.Site != before.Site) != tc.site {
				t.Errorf("site key changed = %v, want %v", after.Site != before.Site, tc.site)
			}
			want := map[string]bool{}
			for _, d := range tc.changed {
				want[d] = true
			}
			for d, k := range after.Depts {
				if got := before.Depts[d] != k; got != want[d] {
					t.Errorf("key of %s changed = %v, want %v", d, got, want[d])
				}
				// One department keyed alone has the key the whole
				// tree's walk gives it.
				if one, err := DeptKey(fsys, d, nil); err != nil || one != k {
					t.Errorf("DeptKey(%s) = %x, %v; TreeKeys gave %x", d, one, err, k)
				}
			}
			for d := range before.Depts {
				if _, ok := after.Depts[d]; !ok && !want[d] {
					t.Errorf("%s lost its key", d)
				}
			}
		})
	}
}

// readCounter counts the files read through it.
type readCounter struct {
	fs.FS
	reads atomic.Int32
}

func (c *readCounter) ReadFile(name string) ([]byte, error) {
	c.reads.Add(1)
	return fs.ReadFile(c.FS, name)
}

func (c *readCounter) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(c.FS, name) }

// TestTreeKeysTrustsStats: a file whose stat is as recorded is not read
// again; one whose bytes changed is, even when its size and modification
// time were put back as they were; one changed just before it was hashed
// is never trusted.
func TestTreeKeysTrustsStats(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"site.yaml":              "title: 测试\n",
		"a-dept/department.yaml": "name: 甲\n",
		"a-dept/2024.yaml":       "total: 1\n",
		"a-dept/2024/summary.md": "概述\n",
		"b-dept/department.yaml": "name: 乙\n",
	}
	for p, s := range files {
		f := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	keys := func(t *testing.T, known FileHashes) (Keys, int) {
		t.Helper()
		c := &readCounter{FS: os.DirFS(dir)}
		k, err := TreeKeys(context.Background(), c, known)
		if err != nil {
			t.Fatal(err)
		}
		return k, int(c.reads.Load())
	}

	// Just written: every file is read, and none is trusted next time.
	fresh, reads := keys(t, nil)
	if reads != len(files) || len(fresh.Files) != 0 {
		t.Fatalf("fresh files: %d read, %d remembered; want %d and none", reads, len(fresh.Files), len(files))
	}
	defer func(c func() time.Time) { clock = c }(clock)
	clock = func() time.Time { return time.Now().Add(time.Hour) }
	first, reads := keys(t, fresh.Files)
	if reads != len(files) || len(first.Files) != len(files) {
		t.Fatalf("settled files: %d read, %d remembered; want %d of each", reads, len(first.Files), len(files))
	}
	if first.Site != fresh.Site || !maps.Equal(first.Depts, fresh.Depts) {
		t.Fatal("the keys changed with nothing changed")
	}
	again, reads := keys(t, first.Files)
	if reads != 0 || again.Site != first.Site || !maps.Equal(again.Depts, first.Depts) {
		t.Fatalf("nothing changed: %d files read again, keys equal %v", reads, maps.Equal(again.Depts, first.Depts))
	}

	// The same size and modification time, other bytes: the change time
	// gives it away.
	rewriteKeepingTimes(t, filepath.Join(dir, "a-dept", "2024.yaml"), "total: 2\n")
	edited, reads := keys(t, first.Files)
	if reads != 1 {
		t.Errorf("after one file's edit, %d files read, want 1", reads)
	}
	if edited.Depts["a-dept"] == first.Depts["a-dept"] || edited.Depts["b-dept"] != first.Depts["b-dept"] {
		t.Error("the edit did not change exactly its department's key")
	}

	// A hash taken from the record is used as it is: proof that the file
	// was not read.
	forged := maps.Clone(edited.Files)
	fh := forged["b-dept/department.yaml"]
	fh.Sum[0] ^= 1
	forged["b-dept/department.yaml"] = fh
	if k, _ := keys(t, forged); k.Depts["b-dept"] == edited.Depts["b-dept"] {
		t.Error("the recorded hash of an unchanged file was not used")
	}
}

// rewriteKeepingTimes gives file other bytes under its old modification
// time: only the change time (or the bytes) can tell.
func rewriteKeepingTimes(t *testing.T, file, text string) {
	t.Helper()
	st, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(file, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
}
