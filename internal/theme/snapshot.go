package theme

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
)

// ErrSymlink is returned for a user theme that holds a symbolic link.
var ErrSymlink = errors.New("主题目录中不能有符号链接")

// MaxThemeSize bounds what a user theme may hold in all. A theme is
// templates, a stylesheet and a few pictures; the default one, with all
// of ECharts, is under 2 MiB.
const MaxThemeSize = 64 << 20

// snapshot reads the user theme in dir into memory through os.Root, so
// that nothing outside dir is read, and refuses any symbolic link with
// the file named: a link could publish a file from anywhere on the
// machine as a site asset. Reading it once also means one build sees one
// version of the theme, however it is edited meanwhile, and no directory
// handle outlives the build.
func snapshot(dir string) (fs.FS, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("theme %s: %w", dir, err)
	}
	defer root.Close()
	rfs := root.FS()
	m := &memFS{files: map[string]*memFile{}}
	total := int64(0)
	err = fs.WalkDir(rfs, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := fs.ReadLink(rfs, p)
			return fmt.Errorf("%s（指向 %s）：%w；把文件本身复制到主题目录里", path.Join(dir, p), target, ErrSymlink)
		case d.IsDir():
			m.files[p] = &memFile{info: info}
			return nil
		case !info.Mode().IsRegular():
			return nil // sockets, devices: not theme files
		}
		total += info.Size()
		if total > MaxThemeSize {
			return fmt.Errorf("theme %s: more than %d MiB in all", dir, MaxThemeSize>>20)
		}
		b, err := fs.ReadFile(rfs, p)
		if err != nil {
			return err
		}
		m.files[p] = &memFile{info: info, data: b}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("theme %s: %w", dir, err)
	}
	return m, nil
}

// memFS is a read-only file system held in memory: a theme snapshot.
type memFS struct{ files map[string]*memFile }

type memFile struct {
	info fs.FileInfo
	data []byte
}

func (m *memFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, ok := m.files[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	if f.info.IsDir() {
		entries, err := m.ReadDir(name)
		if err != nil {
			return nil, err
		}
		return &dir{info: f.info, entries: entries}, nil
	}
	return &openFile{info: f.info, Reader: bytes.NewReader(f.data)}, nil
}

func (m *memFS) ReadDir(name string) ([]fs.DirEntry, error) {
	f, ok := m.files[name]
	if !ok || !f.info.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	prefix := name + "/"
	if name == "." {
		prefix = ""
	}
	var out []fs.DirEntry
	for p, c := range m.files {
		if rest, ok := strings.CutPrefix(p, prefix); ok && p != "." && rest != "" && !strings.Contains(rest, "/") {
			out = append(out, fs.FileInfoToDirEntry(c.info))
		}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

func (m *memFS) Stat(name string) (fs.FileInfo, error) {
	f, ok := m.files[name]
	if !ok {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return f.info, nil
}

func (m *memFS) ReadFile(name string) ([]byte, error) {
	f, ok := m.files[name]
	if !ok || f.info.IsDir() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return slices.Clone(f.data), nil
}

type openFile struct {
	info fs.FileInfo
	*bytes.Reader
}

func (f *openFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *openFile) Close() error               { return nil }

// Assets are served with http.ServeContent in tests and streamed into the
// site: both want a seekable file.
var _ io.ReadSeeker = (*openFile)(nil)
