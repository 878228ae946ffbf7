// Package storetest holds a publish.Store to its contract, method by
// method, looking at the store's files both through the store and on the
// disk that backs it, as testing/fstest does for fs.FS: every Store (the
// deploy directory, the SFTP server) passes the same checks. It is
// imported by tests only, and imports internal/publish only.
//
// It is a package for tests only (see internal/arch).
package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"disclose/internal/publish"
)

// Conformance runs the checks on s, whose root is the empty directory
// local on this machine.
func Conformance(t *testing.T, s publish.Store, local string) {
	t.Helper()
	at := func(name string) string { return filepath.Join(local, filepath.FromSlash(name)) }
	must := func(t *testing.T, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	write := func(t *testing.T, name, text string) {
		t.Helper()
		must(t, s.MkdirAll(parent(name)))
		must(t, s.WriteFile(name, strings.NewReader(text)))
	}
	// noTemp fails if dir holds anything but want: a temporary file left
	// by a write would be published with the release.
	noTemp := func(t *testing.T, dir string, want ...string) {
		t.Helper()
		es, err := os.ReadDir(at(dir))
		must(t, err)
		var got []string
		for _, e := range es {
			got = append(got, e.Name())
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s holds %q, want %q", dir, got, want)
		}
	}

	t.Run("WriteFile", func(t *testing.T) {
		write(t, "w/a/b.html", "<p>一</p>")
		got, err := os.ReadFile(at("w/a/b.html"))
		must(t, err)
		if string(got) != "<p>一</p>" {
			t.Errorf("on disk %q", got)
		}
		b, err := s.ReadFile("w/a/b.html")
		must(t, err)
		if string(b) != "<p>一</p>" {
			t.Errorf("ReadFile %q", b)
		}
		// Over an existing file: replaced whole.
		must(t, s.WriteFile("w/a/b.html", strings.NewReader("二")))
		if got, _ := os.ReadFile(at("w/a/b.html")); string(got) != "二" {
			t.Errorf("after rewrite on disk %q", got)
		}
		noTemp(t, "w/a", "b.html")
		fi, err := s.Stat("w/a/b.html")
		must(t, err)
		if fi.Size() != int64(len("二")) || !fi.Mode().IsRegular() || fi.Name() != "b.html" {
			t.Errorf("Stat: %s size %d mode %v", fi.Name(), fi.Size(), fi.Mode())
		}
		// Big enough to take many SFTP packets, in flight together.
		big := bytes.Repeat([]byte("0123456789abcdef"), 300_001)
		must(t, s.WriteFile("w/big.bin", bytes.NewReader(big)))
		if got, _ := os.ReadFile(at("w/big.bin")); !bytes.Equal(got, big) {
			t.Errorf("big file on disk: %d bytes, want %d (or different bytes)", len(got), len(big))
		}
		// A reader that is not a bytes.Reader: sent sequentially.
		must(t, s.WriteFile("w/piped.bin", io.MultiReader(strings.NewReader("a"), bytes.NewReader(big))))
		if got, _ := s.ReadFile("w/piped.bin"); len(got) != len(big)+1 {
			t.Errorf("piped file: %d bytes, want %d", len(got), len(big)+1)
		}
		noTemp(t, "w", "a", "big.bin", "piped.bin")
	})

	t.Run("WriteFileInterrupted", func(t *testing.T) {
		write(t, "i/kept.html", "旧")
		broken := errors.New("source read failed")
		for _, name := range []string{"i/kept.html", "i/new.html"} {
			r := io.MultiReader(strings.NewReader(strings.Repeat("新", 50_000)), errReader{broken})
			if err := s.WriteFile(name, r); !errors.Is(err, broken) {
				t.Errorf("WriteFile %s from a failing reader: %v, want %v", name, err, broken)
			}
		}
		if got, _ := os.ReadFile(at("i/kept.html")); string(got) != "旧" {
			t.Errorf("a failed write over a file left %d bytes, want the old file", len(got))
		}
		if _, err := s.Stat("i/new.html"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a failed write of a new file left it: %v", err)
		}
		noTemp(t, "i", "kept.html")
	})

	t.Run("WriteFileConcurrent", func(t *testing.T) {
		must(t, s.MkdirAll("c"))
		var wg sync.WaitGroup
		errs := make([]error, 16)
		for i := range errs {
			wg.Go(func() {
				errs[i] = s.WriteFile(fmt.Sprintf("c/%02d.html", i), strings.NewReader(strings.Repeat("x", i*1000)))
			})
		}
		wg.Wait()
		var want []string
		for i, err := range errs {
			must(t, err)
			name := fmt.Sprintf("%02d.html", i)
			want = append(want, name)
			if fi, err := os.Stat(at("c/" + name)); err != nil || fi.Size() != int64(i*1000) {
				t.Errorf("c/%s: %v, size %v", name, err, fi)
			}
		}
		noTemp(t, "c", want...)
	})

	t.Run("NotExist", func(t *testing.T) {
		_, err := s.Stat("none/x")
		check := func(what string, err error) {
			t.Helper()
			if !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s of a missing name: %v, want fs.ErrNotExist", what, err)
			}
		}
		check("Stat", err)
		_, err = s.ReadFile("none.html")
		check("ReadFile", err)
		_, err = s.ReadDir("none")
		check("ReadDir", err)
		_, err = s.Readlink("none")
		check("Readlink", err)
		check("Rename", s.Rename("none", "other"))
		check("Link", s.Link("none", "other"))
		must(t, s.RemoveAll("none"))
	})

	t.Run("MkdirAllReadDir", func(t *testing.T) {
		must(t, s.MkdirAll("d/x/y"))
		must(t, s.MkdirAll("d/x/y")) // again: no error
		for _, n := range []string{"b.html", "a.html", "B.html", "z.css", "a.html.gz"} {
			write(t, "d/"+n, n)
		}
		must(t, s.Symlink("x", "d/link"))
		es, err := s.ReadDir("d")
		must(t, err)
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
			switch e.Name() {
			case "x":
				if !e.IsDir() {
					t.Errorf("x: mode %v, want a directory", e.Mode())
				}
			case "link":
				if e.Mode()&fs.ModeSymlink == 0 {
					t.Errorf("link: mode %v, want a symbolic link (not followed)", e.Mode())
				}
			}
		}
		want := []string{"B.html", "a.html", "a.html.gz", "b.html", "link", "x", "z.css"}
		if !slices.Equal(names, want) {
			t.Errorf("ReadDir: %q, want %q", names, want)
		}
		if fi, err := os.Stat(at("d/x/y")); err != nil || !fi.IsDir() {
			t.Errorf("d/x/y on disk: %v", err)
		}
		es, err = s.ReadDir(".")
		must(t, err)
		if len(es) == 0 {
			t.Error("ReadDir(.) lists nothing")
		}
	})

	t.Run("Link", func(t *testing.T) {
		write(t, "releases/r1/index.html", "首页")
		must(t, s.MkdirAll("releases/r2"))
		must(t, s.Link("releases/r1/index.html", "releases/r2/index.html"))
		a, err := os.Stat(at("releases/r1/index.html"))
		must(t, err)
		b, err := os.Stat(at("releases/r2/index.html"))
		must(t, err)
		if !os.SameFile(a, b) {
			t.Error("Link made a copy, not a hard link: the server would store the file twice")
		}
		if got, _ := s.ReadFile("releases/r2/index.html"); string(got) != "首页" {
			t.Errorf("linked file reads %q", got)
		}
		if err := s.Link("releases/r1/index.html", "releases/r2/index.html"); err == nil {
			t.Error("Link over an existing name: no error")
		}
	})

	t.Run("SymlinkReadlink", func(t *testing.T) {
		must(t, s.MkdirAll("releases/r1"))
		must(t, s.Symlink("releases/r1", "current"))
		got, err := s.Readlink("current")
		must(t, err)
		if got != "releases/r1" {
			t.Errorf("Readlink(current) = %q, want releases/r1", got)
		}
		onDisk, err := os.Readlink(at("current"))
		must(t, err)
		if onDisk != "releases/r1" {
			t.Errorf("on disk, current -> %q, want releases/r1", onDisk)
		}
		fi, err := s.Stat("current")
		must(t, err)
		if fi.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("Stat(current) mode %v: followed the link", fi.Mode())
		}
	})

	t.Run("RenameReplacesLink", func(t *testing.T) {
		must(t, s.MkdirAll("releases/r9"))
		must(t, s.Symlink("releases/r8", "live"))
		must(t, s.Symlink("releases/r9", "live.next"))
		must(t, s.Rename("live.next", "live"))
		if got, err := s.Readlink("live"); err != nil || got != "releases/r9" {
			t.Errorf("after the switch live -> %q (%v), want releases/r9", got, err)
		}
		if _, err := s.Stat("live.next"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("live.next after the rename: %v", err)
		}
		// A file over a file, and a directory to a new name.
		write(t, "mv/a", "A")
		write(t, "mv/b", "B")
		must(t, s.Rename("mv/a", "mv/b"))
		if got, _ := s.ReadFile("mv/b"); string(got) != "A" {
			t.Errorf("mv/b = %q after renaming a over it", got)
		}
		must(t, s.Rename("mv", "moved"))
		if got, _ := os.ReadFile(at("moved/b")); string(got) != "A" {
			t.Errorf("moved/b on disk = %q", got)
		}
	})

	t.Run("RemoveAll", func(t *testing.T) {
		write(t, "keep/x.html", "keep")
		write(t, "tree/a/b/c.html", "c")
		write(t, "tree/top.html", "t")
		must(t, s.Symlink("../keep", "tree/a/out"))
		must(t, s.Link("keep/x.html", "tree/a/x.html"))
		must(t, s.RemoveAll("tree"))
		if _, err := os.Lstat(at("tree")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("tree after RemoveAll: %v", err)
		}
		if got, err := os.ReadFile(at("keep/x.html")); err != nil || string(got) != "keep" {
			t.Errorf("RemoveAll followed a link or a hard link out of the tree: keep/x.html %q, %v", got, err)
		}
		write(t, "single.html", "s")
		must(t, s.RemoveAll("single.html"))
		if _, err := os.Lstat(at("single.html")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("single.html after RemoveAll: %v", err)
		}
	})

	t.Run("Confined", func(t *testing.T) {
		outside := filepath.Join(filepath.Dir(local), "escaped-"+filepath.Base(local))
		t.Cleanup(func() { os.RemoveAll(outside) })
		up := "../" + filepath.Base(outside)
		calls := map[string]error{
			"WriteFile": s.WriteFile(up, strings.NewReader("x")),
			"MkdirAll":  s.MkdirAll(up),
			"Symlink":   s.Symlink("releases/r1", up),
			"Link":      s.Link("releases/r1/index.html", up),
			"deep":      s.WriteFile("a/../../"+filepath.Base(outside), strings.NewReader("x")),
		}
		_, calls["Stat"] = s.Stat("../")
		_, calls["ReadFile"] = s.ReadFile("../../etc/passwd")
		_, calls["ReadDir"] = s.ReadDir("..")
		calls["RemoveAll"] = s.RemoveAll("..")
		calls["Rename"] = s.Rename("releases", up)
		for name, err := range calls {
			if err == nil {
				t.Errorf("%s with a name outside the root: no error", name)
			}
		}
		if _, err := os.Lstat(outside); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("something was made outside the root: %v", err)
		}
		if _, err := os.Stat(local); err != nil {
			t.Errorf("root: %v", err)
		}
	})
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func parent(name string) string {
	if i := strings.LastIndex(name, "/"); i >= 0 {
		return name[:i]
	}
	return "."
}
