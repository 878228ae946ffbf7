// Package theme resolves the files of a site theme: a user theme directory
// laid over the embedded default, file by file, and parses its templates.
//
// Layer 4 (see internal/arch): it imports the embedded default theme (disclose/themes) only.
package theme

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"disclose/themes"
)

// Open returns the theme in dir laid over the default theme; dir "" gives
// the default alone. A user theme need only hold the files it changes.
func Open(dir string) (fs.FS, error) {
	base := themes.Default()
	if dir == "" {
		return base, nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("theme %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("theme %s: not a directory", dir)
	}
	top, err := snapshot(dir)
	if err != nil {
		return nil, err
	}
	return Overlay(top, base), nil
}

// Overlay returns a file system where top's files hide base's files of the
// same name and directories list the union of both.
func Overlay(top, base fs.FS) fs.FS { return overlay{top, base} }

type overlay struct{ top, base fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	st, err := o.Stat(name)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		entries, err := o.ReadDir(name)
		if err != nil {
			return nil, err
		}
		return &dir{info: st, entries: entries}, nil
	}
	if _, err := fs.Stat(o.top, name); err == nil {
		return o.top.Open(name)
	}
	return o.base.Open(name)
}

// dir is a directory of the overlay, listing the union of both layers.
type dir struct {
	info    fs.FileInfo
	entries []fs.DirEntry
	off     int
}

func (d *dir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dir) Close() error               { return nil }
func (d *dir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.Name(), Err: fs.ErrInvalid}
}

func (d *dir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.off += n
	return rest[:n], nil
}

func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	topEntries, topErr := fs.ReadDir(o.top, name)
	baseEntries, baseErr := fs.ReadDir(o.base, name)
	if topErr != nil && baseErr != nil {
		return nil, baseErr
	}
	seen := map[string]bool{}
	var out []fs.DirEntry
	for _, e := range topEntries {
		seen[e.Name()] = true
		out = append(out, e)
	}
	for _, e := range baseEntries {
		if !seen[e.Name()] {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

func (o overlay) Stat(name string) (fs.FileInfo, error) {
	if st, err := fs.Stat(o.top, name); err == nil {
		return st, nil
	}
	return fs.Stat(o.base, name)
}

// Assets lists every file under assets/, sorted, as paths relative to the
// theme root (e.g. "assets/css/site.css"). Dotfiles are left out.
func Assets(fsys fs.FS) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == "assets" {
				return fs.SkipDir
			}
			return err
		}
		if strings.HasPrefix(path.Base(p), ".") && p != "assets" {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}
