//go:build linux

package content

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"syscall"
	"testing"
	"time"
)

// writeTree writes files (path → text) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, s := range files {
		f := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTreeKeysDirAsFS: a content Dir, which TreeKeys reads through
// directory descriptors on Linux, keys a tree exactly as the same tree
// read through its fs.FS, with links (inside, outside, dangling), a FIFO,
// nested folders and names the loader skips; what lies behind a link out
// of the tree is never part of a key.
func TestTreeKeysDirAsFS(t *testing.T) {
	base := t.TempDir()
	dir, outside := filepath.Join(base, "content"), filepath.Join(base, "outside")
	writeTree(t, dir, map[string]string{
		"site.yaml":                  "title: 测试\n",
		"a-dept/department.yaml":     "name: 甲\n",
		"a-dept/2024.yaml":           "total: 1\n",
		"a-dept/2024/summary.md":     "概述\n",
		"a-dept/2024/deep/notes.md":  "深\n",
		"a-dept/.2024.yaml.swp":      "swap",
		"a-dept/_drafts/x.yaml":      "草稿",
		"b-dept/department.yaml":     "name: 乙\n",
		"_schema/report.schema.json": "{}",
	})
	writeTree(t, outside, map[string]string{"secret.yaml": "password: 1\n", "dept/department.yaml": "name: 外\n"})
	for link, target := range map[string]string{
		"a-dept/inside.yaml":  "2024.yaml",
		"a-dept/passwd.yaml":  filepath.Join(outside, "secret.yaml"),
		"a-dept/dangling.md":  "nowhere.md",
		"b-dept/2024":         filepath.Join(outside, "dept"),
		"linked-dept":         filepath.Join(outside, "dept"),
		"a-dept/2024/up.yaml": "../../../outside/secret.yaml",
	} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "a-dept", "pipe.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	defer func(c func() time.Time) { clock = c }(clock)
	clock = func() time.Time { return time.Now().Add(time.Hour) }

	keys := func(t *testing.T, viaDir bool, known FileHashes) Keys {
		t.Helper()
		var fsys fs.FS = os.DirFS(dir)
		if viaDir {
			d, err := OpenDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			fsys = d
		}
		k, err := TreeKeys(context.Background(), fsys, known)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	want := keys(t, false, nil)
	if len(want.Depts) != 2 || len(want.Files) != 6 {
		t.Fatalf("keyed %d departments and %d files, want 2 and 6: %v", len(want.Depts), len(want.Files), slices.Sorted(maps.Keys(want.Files)))
	}
	got := keys(t, true, nil)
	if got.Site != want.Site || !maps.Equal(got.Depts, want.Depts) || !maps.Equal(got.Files, want.Files) {
		t.Fatalf("through a Dir: %v\nthrough its fs.FS: %v", got, want)
	}
	for name, k := range want.Depts {
		d, err := OpenDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		one, err := DeptKey(d, name, nil)
		d.Close()
		if err != nil || one != k {
			t.Errorf("DeptKey(%s) through a Dir = %x, %v; TreeKeys gave %x", name, one, err, k)
		}
	}
	again := keys(t, true, got.Files)
	if again.Site != want.Site || !maps.Equal(again.Depts, want.Depts) || !maps.Equal(again.Files, want.Files) {
		t.Fatal("the keys changed with nothing changed")
	}

	writeTree(t, outside, map[string]string{"secret.yaml": "password: 2\n", "dept/department.yaml": "name: 外外\n"})
	if k := keys(t, true, got.Files); k.Site != want.Site || !maps.Equal(k.Depts, want.Depts) {
		t.Error("an edit outside the content changed its keys")
	}
}

// TestTreeKeysDirTrustsStats: through a Dir, as through any fs.FS, a file
// whose stat is as recorded is not read again (its recorded hash, forged
// here, is used as it is) and a file whose bytes changed is, even when its
// size and modification time were put back.
func TestTreeKeysDirTrustsStats(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"site.yaml":              "title: 测试\n",
		"a-dept/department.yaml": "name: 甲\n",
		"a-dept/2024.yaml":       "total: 1\n",
		"a-dept/2024/summary.md": "概述\n",
		"b-dept/department.yaml": "name: 乙\n",
	})
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	defer func(c func() time.Time) { clock = c }(clock)
	clock = func() time.Time { return time.Now().Add(time.Hour) }
	keys := func(t *testing.T, known FileHashes) Keys {
		t.Helper()
		k, err := TreeKeys(context.Background(), d, known)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	honest := keys(t, nil)
	if len(honest.Files) != 5 {
		t.Fatalf("%d files remembered, want 5", len(honest.Files))
	}
	// Every recorded hash forged: a file taken on trust keys as forged.
	forged := FileHashes{}
	for p, fh := range honest.Files {
		fh.Sum[0] ^= 1
		forged[p] = fh
	}
	if k := keys(t, forged); k.Site == honest.Site || k.Depts["a-dept"] == honest.Depts["a-dept"] || k.Depts["b-dept"] == honest.Depts["b-dept"] {
		t.Fatal("a recorded hash of an unchanged file was not used")
	}
	if k := keys(t, honest.Files); reflect.ValueOf(k.Files).Pointer() != reflect.ValueOf(honest.Files).Pointer() {
		t.Error("with nothing changed, the hashes to keep are not the ones given")
	}

	rewriteKeepingTimes(t, filepath.Join(dir, "a-dept", "2024.yaml"), "total: 2\n")
	edited := keys(t, nil)
	if edited.Depts["a-dept"] == honest.Depts["a-dept"] {
		t.Fatal("the edit did not change its department's key")
	}
	// The edited file's record forged under its old stat: its new change
	// time shows, so it is read, and a-dept keys as edited.
	forged = maps.Clone(edited.Files)
	fh := forged["a-dept/2024.yaml"]
	fh.Stat = honest.Files["a-dept/2024.yaml"].Stat
	fh.Sum[0] ^= 1
	forged["a-dept/2024.yaml"] = fh
	k := keys(t, forged)
	if k.Depts["a-dept"] != edited.Depts["a-dept"] {
		t.Error("a file whose bytes changed under the same size and time was not read again")
	}
	if maps.Equal(k.Files, forged) {
		t.Error("the hashes to keep still hold the stale one")
	}
}
