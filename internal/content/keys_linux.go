//go:build linux

package content

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// fileStat reads what says a file is unchanged; ok is false when the file
// system gives too little to tell.
func fileStat(info fs.FileInfo) (FileStat, bool) {
	sys, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return FileStat{}, false
	}
	return FileStat{
		Size:  info.Size(),
		MTime: info.ModTime().UnixNano(),
		CTime: int64(sys.Ctim.Sec)*1e9 + int64(sys.Ctim.Nsec),
		Ino:   uint64(sys.Ino),
	}, true
}

// openTree gives the top of fsys to read. A content Dir is read through
// descriptors: each directory is opened by its name in its parent's, with
// O_NOFOLLOW, and each file stat'ed and opened the same way, so nothing
// outside the content directory is reached, as through os.Root, but each
// directory costs one open instead of one per component of its path.
func openTree(fsys fs.FS) (treeDir, error) {
	d, ok := fsys.(*Dir)
	if !ok {
		return fsDir{fsys, "."}, nil
	}
	d.mu.RLock()
	root := d.root
	var f *os.File
	err := os.ErrClosed
	if root != nil {
		f, err = root.Open(".")
	}
	d.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	// A descriptor of our own, so that the directory's File, and its
	// finalizer, can go at once.
	fd, err := unix.Openat(int(f.Fd()), ".", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	f.Close()
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: ".", Err: err}
	}
	return fdDir(fd), nil
}

// fdDir is an open directory of the tree.
type fdDir int

const openFlags = unix.O_RDONLY | unix.O_CLOEXEC | unix.O_NOFOLLOW

var direntBufs = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

func (d fdDir) entries() ([]treeEntry, error) {
	bp := direntBufs.Get().(*[]byte)
	defer direntBufs.Put(bp)
	buf := *bp
	out := make([]treeEntry, 0, 16) // a report's folder holds a few sections
	for {
		n, err := unix.Getdents(int(d), buf)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "readdirent", Path: ".", Err: err}
		}
		if n <= 0 {
			break
		}
		for b := buf[:n]; len(b) > 0; {
			// struct linux_dirent64: ino u64, off s64, reclen u16, type
			// u8, then the name, NUL-terminated, padded to reclen.
			reclen := int(b[16]) | int(b[17])<<8
			if reclen < 19 || reclen > len(b) {
				return nil, &fs.PathError{Op: "readdirent", Path: ".", Err: errors.New("malformed directory entry")}
			}
			typ, name := b[18], b[19:reclen]
			b = b[reclen:]
			if i := slices.Index(name, 0); i >= 0 {
				name = name[:i]
			}
			if string(name) == "." || string(name) == ".." || skipName(string(name)) {
				continue
			}
			e := treeEntry{name: strings.Clone(string(name))}
			if err := d.fill(&e, typ); err != nil {
				return nil, err
			}
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b treeEntry) int { return strings.Compare(a.name, b.name) })
	return out, nil
}

// fill sets e's type, from the listing's when it is a directory's or a
// link's, and otherwise from a stat, which a regular file needs anyway.
func (d fdDir) fill(e *treeEntry, typ byte) error {
	switch typ {
	case unix.DT_DIR:
		e.typ = fs.ModeDir
		return nil
	case unix.DT_LNK:
		e.typ = fs.ModeSymlink
		return nil
	}
	var st unix.Stat_t
	for {
		err := unix.Fstatat(int(d), e.name, &st, unix.AT_SYMLINK_NOFOLLOW)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return &fs.PathError{Op: "lstat", Path: e.name, Err: err}
		}
		break
	}
	e.typ = modeType(st.Mode)
	if e.typ.IsRegular() {
		e.stat = FileStat{
			Size:  st.Size,
			MTime: int64(st.Mtim.Sec)*1e9 + int64(st.Mtim.Nsec),
			CTime: int64(st.Ctim.Sec)*1e9 + int64(st.Ctim.Nsec),
			Ino:   uint64(st.Ino),
		}
		e.statOK = true
	}
	return nil
}

// modeType is the type bits of a stat's mode as fs.FileMode has them (as
// os.Lstat gives them).
func modeType(m uint32) fs.FileMode {
	switch m & unix.S_IFMT {
	case unix.S_IFDIR:
		return fs.ModeDir
	case unix.S_IFLNK:
		return fs.ModeSymlink
	case unix.S_IFIFO:
		return fs.ModeNamedPipe
	case unix.S_IFSOCK:
		return fs.ModeSocket
	case unix.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case unix.S_IFBLK:
		return fs.ModeDevice
	}
	return 0
}

func (d fdDir) sub(name string) (treeDir, error) {
	fd, err := openat(int(d), name, openFlags|unix.O_DIRECTORY)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return fdDir(fd), nil
}

func (d fdDir) readFile(name string) ([]byte, error) {
	// Non-blocking: a file swapped for a FIFO since it was listed fails
	// to read instead of hanging the build.
	fd, err := openat(int(d), name, openFlags|unix.O_NONBLOCK)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	f := os.NewFile(uintptr(fd), name)
	defer f.Close()
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	if modeType(st.Mode) != 0 {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("not a regular file")}
	}
	return io.ReadAll(f)
}

func (d fdDir) readLink(name string) (string, error) {
	for size := 256; ; size *= 2 {
		buf := make([]byte, size)
		n, err := unix.Readlinkat(int(d), name, buf)
		if err != nil {
			return "", &fs.PathError{Op: "readlink", Path: name, Err: err}
		}
		if n < size {
			return string(buf[:n]), nil
		}
	}
}

func (d fdDir) close() { unix.Close(int(d)) }

func openat(dir int, name string, flags int) (int, error) {
	for {
		fd, err := unix.Openat(dir, name, flags, 0)
		if !errors.Is(err, unix.EINTR) {
			return fd, err
		}
	}
}
