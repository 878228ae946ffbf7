//go:build linux

package build

import (
	"context"
	"errors"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sys/unix"

	"disclose/internal/output"
)

// errStale stops the walk of an output that is not as recorded.
var errStale = errors.New("the output is not as recorded")

var direntBufs = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// outputAsRecorded walks out and says whether it holds exactly the files
// recorded (and the marker), each with its recorded size and time. It
// reads each directory through its descriptor and stats each file by its
// name there: 33,000 files at 10,000 reports, and on a virtual machine
// every system call counts. The top two levels are walked first; the
// folders below them (a department's, a report's) are then shared among a
// few workers, which take them in turn.
func outputAsRecorded(ctx context.Context, out string, files map[string]output.Record) bool {
	w := &outputWalk{files: files, dirs: outputDirs(files)}
	fd, err := openDir(unix.AT_FDCWD, out)
	if err != nil {
		return false
	}
	w.open = append(w.open, fd)
	defer func() {
		for _, fd := range w.open {
			unix.Close(fd)
		}
	}()
	if err := w.dir(fd, "", 0); err != nil {
		return false
	}
	var next atomic.Int64
	g, ctx := errgroup.WithContext(ctx)
	for range min(runtime.GOMAXPROCS(0), len(w.later)) {
		g.Go(func() error {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(w.later) {
					return nil
				}
				if err := ctx.Err(); err != nil {
					return err
				}
				j := w.later[i]
				sub, err := openDir(j.parent, j.name)
				if err != nil {
					return err
				}
				err = w.dir(sub, j.path, -1)
				unix.Close(sub)
				if err != nil {
					return err
				}
			}
		})
	}
	return g.Wait() == nil && w.seen.Load() == int64(len(files))
}

// splitDepth is the depth of the folders left for the workers.
const splitDepth = 2

type outputWalk struct {
	files map[string]output.Record
	dirs  map[string]bool
	seen  atomic.Int64
	// Before the workers start: the folders left for them, and the
	// descriptors of their parents, open until the walk ends.
	later []laterDir
	open  []int
}

type laterDir struct {
	parent     int
	name, path string
}

// dir checks the directory fd, at path dir and the given depth; below
// splitDepth (-1: the workers' own folders), everything under it too.
func (w *outputWalk) dir(fd int, dir string, depth int) error {
	var p []byte // the entry's path, looked up without a copy
	return eachEntry(fd, func(name []byte, typ byte) error {
		p = p[:0]
		if dir != "" {
			p = append(append(p, dir...), '/')
		}
		p = append(p, name...)
		var st unix.Stat_t
		if typ == unix.DT_UNKNOWN {
			if err := unix.Fstatat(fd, string(name), &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
				return err
			}
			if st.Mode&unix.S_IFMT == unix.S_IFDIR {
				typ = unix.DT_DIR
			}
		}
		switch {
		case typ == unix.DT_DIR:
			if !w.dirs[string(p)] {
				return errStale
			}
			if depth+1 == splitDepth {
				w.later = append(w.later, laterDir{fd, string(name), string(p)})
				return nil
			}
			sub, err := openDir(fd, string(name))
			if err != nil {
				return err
			}
			if depth < 0 {
				err = w.dir(sub, string(p), depth)
				unix.Close(sub)
				return err
			}
			w.open = append(w.open, sub)
			return w.dir(sub, string(p), depth+1)
		case string(p) == marker:
			return nil
		}
		rec, ok := w.files[string(p)]
		if !ok {
			return errStale
		}
		if err := unix.Fstatat(fd, string(name), &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return err
		}
		if st.Mode&unix.S_IFMT != unix.S_IFREG || st.Size != rec.Size || int64(st.Mtim.Sec)*1e9+int64(st.Mtim.Nsec) != rec.MTime {
			return errStale
		}
		w.seen.Add(1)
		return nil
	})
}

// openDir opens the directory name in dir, not following a link.
func openDir(dir int, name string) (int, error) {
	for {
		fd, err := unix.Openat(dir, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if !errors.Is(err, unix.EINTR) {
			return fd, err
		}
	}
}

// eachEntry calls f with each entry of the directory fd but . and .., in
// the order the file system lists them, with its type as listed.
func eachEntry(fd int, f func(name []byte, typ byte) error) error {
	bp := direntBufs.Get().(*[]byte)
	defer direntBufs.Put(bp)
	buf := *bp
	for {
		n, err := unix.Getdents(fd, buf)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return err
		}
		if n <= 0 {
			return nil
		}
		for b := buf[:n]; len(b) > 0; {
			// struct linux_dirent64: ino u64, off s64, reclen u16, type
			// u8, then the name, NUL-terminated, padded to reclen.
			reclen := int(b[16]) | int(b[17])<<8
			if reclen < 19 || reclen > len(b) {
				return errors.New("malformed directory entry")
			}
			typ, name := b[18], b[19:reclen]
			b = b[reclen:]
			if i := slices.Index(name, 0); i >= 0 {
				name = name[:i]
			}
			if string(name) == "." || string(name) == ".." {
				continue
			}
			if err := f(name, typ); err != nil {
				return err
			}
		}
	}
}

// mapFile maps file into memory, read-only, until release. The files it
// maps are replaced by a rename, never truncated in place, which would
// fault a reader.
func mapFile(file string) (b []byte, release func(), err error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if st.Size() == 0 || st.Size() != int64(int(st.Size())) {
		return nil, func() {}, nil
	}
	b, err = unix.Mmap(int(f.Fd()), 0, int(st.Size()), unix.PROT_READ, unix.MAP_PRIVATE)
	if err != nil {
		return nil, nil, err
	}
	return b, func() { unix.Munmap(b) }, nil
}
