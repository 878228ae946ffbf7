package content_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"disclose/internal/content"
)

// Dir is the guarantee beneath the loader's refusal of listed links: a
// read through a link that leaves the directory fails, whoever asks, even
// for a link put in place after the directory was listed.
func TestDirReadsNothingOutside(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "passwd"), []byte("root:x:0:0"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "d", "2023"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "d", "2023", "summary.md"), []byte("# 综述"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{
		"d/2023/other.md": filepath.Join(outside, "passwd"),
		"d/duties.md":     "../../" + filepath.Base(outside) + "/passwd",
		"d/up":            outside,
		"d/inside.md":     "2023/summary.md",
	} {
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	dir, err := content.OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	for _, name := range []string{"d/2023/other.md", "d/duties.md", "d/up/passwd"} {
		if b, err := fs.ReadFile(dir, name); !errors.Is(err, content.ErrOutside) {
			t.Errorf("ReadFile(%s) = %q, %v; want ErrOutside", name, b, err)
		}
		if _, err := fs.Stat(dir, name); !errors.Is(err, content.ErrOutside) {
			t.Errorf("Stat(%s): %v; want ErrOutside", name, err)
		}
	}
	for _, name := range []string{"../passwd", "/etc/passwd", "d/../../passwd"} {
		if _, err := fs.ReadFile(dir, name); err == nil {
			t.Errorf("ReadFile(%s) succeeded", name)
		}
	}
	// What stays inside reads as usual; the loader refuses such links by
	// their listing, not by this file system.
	if b, err := fs.ReadFile(dir, "d/inside.md"); err != nil || string(b) != "# 综述" {
		t.Errorf("inside link: %q, %v", b, err)
	}
	if fi, err := fs.Lstat(dir, "d/inside.md"); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("Lstat does not show the link: %v, %v", fi, err)
	}
	// A directory deleted and put back is found again.
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "site.yaml"), []byte("title: t\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := dir.Reopen(); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.ReadFile(dir, "site.yaml"); err != nil {
		t.Errorf("after Reopen: %v", err)
	}
}
