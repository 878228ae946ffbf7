package content

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
)

// ErrOutside marks a read that would leave the content directory through a
// symbolic link (or "..").
var ErrOutside = errors.New("路径指向内容目录以外")

// Dir is a content directory on disk as a file system that can read
// nothing outside it: every path is resolved by os.Root, so a symbolic
// link to /etc/passwd (or one swapped in while a build runs) fails to open
// instead of publishing the machine's files. The loader refuses symbolic
// links it lists anyway (see symlinkTarget); this is the guarantee beneath
// that check.
//
// Dir implements fs.ReadDirFS, fs.ReadFileFS, fs.StatFS and fs.ReadLinkFS.
type Dir struct {
	path string
	mu   sync.RWMutex
	root *os.Root
	fsys fs.FS
}

// OpenDir opens the content directory at path.
func OpenDir(path string) (*Dir, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("content directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("content directory %s: not a directory", path)
	}
	d := &Dir{path: path}
	if err := d.Reopen(); err != nil {
		return nil, err
	}
	return d, nil
}

// Reopen resolves the directory's path again. A long-running preview calls
// it before each load, so that a content directory deleted and put back
// (a restore from backup, a branch switch by some tools) is read where it
// now is rather than through the handle of the deleted one.
func (d *Dir) Reopen() error {
	r, err := os.OpenRoot(d.path)
	if err != nil {
		return fmt.Errorf("content directory: %w", err)
	}
	d.mu.Lock()
	old := d.root
	d.root, d.fsys = r, r.FS()
	d.mu.Unlock()
	if old != nil {
		// Files opened through the old root stay valid; only new lookups
		// go through the new one.
		old.Close()
	}
	return nil
}

// Close releases the directory handle.
func (d *Dir) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.root == nil {
		return nil
	}
	err := d.root.Close()
	d.root = nil
	return err
}

func (d *Dir) current() fs.FS {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.fsys
}

func (d *Dir) Open(name string) (fs.File, error) {
	f, err := d.current().Open(name)
	return f, outside(err)
}

func (d *Dir) ReadDir(name string) ([]fs.DirEntry, error) {
	es, err := fs.ReadDir(d.current(), name)
	return es, outside(err)
}

func (d *Dir) ReadFile(name string) ([]byte, error) {
	b, err := fs.ReadFile(d.current(), name)
	return b, outside(err)
}

func (d *Dir) Stat(name string) (fs.FileInfo, error) {
	fi, err := fs.Stat(d.current(), name)
	return fi, outside(err)
}

func (d *Dir) Lstat(name string) (fs.FileInfo, error) {
	fi, err := fs.Lstat(d.current(), name)
	return fi, outside(err)
}

func (d *Dir) ReadLink(name string) (string, error) {
	s, err := fs.ReadLink(d.current(), name)
	return s, outside(err)
}

// outside turns os.Root's refusal into ErrOutside. The standard library
// does not export its error value, so its fixed wording is matched.
func outside(err error) error {
	if err == nil || !strings.Contains(err.Error(), "path escapes from parent") {
		return err
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &fs.PathError{Op: pe.Op, Path: pe.Path, Err: ErrOutside}
	}
	return fmt.Errorf("%w: %v", ErrOutside, err)
}
