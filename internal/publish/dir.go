package publish

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// dirStore is a deploy directory on this machine. Every name goes through
// an os.Root, so that no name read back from a manifest or a link can
// reach outside the deploy directory.
type dirStore struct{ root *os.Root }

// Dir opens the deploy directory at dir as a Store, creating it if it is
// missing. The web server's document root is dir/current.
func Dir(dir string) (Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("deploy directory %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("deploy directory %s: %w", dir, err)
	}
	return &dirStore{root: root}, nil
}

func native(name string) string { return filepath.FromSlash(name) }

func (d *dirStore) Stat(name string) (fs.FileInfo, error) { return d.root.Lstat(native(name)) }

func (d *dirStore) ReadFile(name string) ([]byte, error) { return d.root.ReadFile(native(name)) }

// WriteFile writes into a temporary name beside name, syncs it and renames
// it into place: after a crash or kill -9 the name holds the old bytes, the
// new ones, or nothing, never a part. A file under name shared with an
// older release by a hard link is replaced, never written into.
func (d *dirStore) WriteFile(name string, r io.Reader) (err error) {
	var rnd [6]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return err
	}
	tmp := path.Join(path.Dir(name), "."+path.Base(name)+".tmp-"+hex.EncodeToString(rnd[:]))
	f, err := d.root.OpenFile(native(tmp), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			d.root.Remove(native(tmp))
		}
	}()
	if _, err := io.Copy(f, r); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return d.root.Rename(native(tmp), native(name))
}

func (d *dirStore) MkdirAll(name string) error { return d.root.MkdirAll(native(name), 0o755) }

func (d *dirStore) ReadDir(name string) ([]fs.FileInfo, error) {
	f, err := d.root.Open(native(name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	entries, err := f.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	infos := make([]fs.FileInfo, 0, len(entries))
	for _, e := range entries {
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed since it was listed
		}
		if err != nil {
			return nil, err
		}
		infos = append(infos, info)
	}
	slices.SortFunc(infos, func(a, b fs.FileInfo) int { return strings.Compare(a.Name(), b.Name()) })
	return infos, nil
}

func (d *dirStore) Link(oldname, newname string) error {
	return d.root.Link(native(oldname), native(newname))
}

func (d *dirStore) Symlink(target, name string) error {
	return d.root.Symlink(native(target), native(name))
}

func (d *dirStore) Readlink(name string) (string, error) {
	t, err := d.root.Readlink(native(name))
	return filepath.ToSlash(t), err
}

func (d *dirStore) Rename(oldname, newname string) error {
	return d.root.Rename(native(oldname), native(newname))
}

func (d *dirStore) RemoveAll(name string) error { return d.root.RemoveAll(native(name)) }

func (d *dirStore) Close() error { return d.root.Close() }
