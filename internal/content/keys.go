package content

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// Keys identify a content tree by the bytes the loader can read, before
// anything is decoded: a build whose keys are those of the previous build
// has nothing to load, check or render again. A department's key covers
// every name, type and byte under its directory (symbolic links by their
// target, since the loader reports them); Site covers the other entries
// at the top and their bytes (site.yaml, and stray files, which the
// loader reports). Names the loader never reads (Ignored) are left out,
// so an editor's swap file does not make a site stale.
type Keys struct {
	Site  [32]byte
	Depts map[string][32]byte // by directory name
	// Files are the hashes of the files read, with what a stat said of
	// each, for the next TreeKeys to spare itself reading them again.
	Files FileHashes
}

// FileHashes are files' hashes by path, each with the stat it was read
// under.
type FileHashes map[string]FileHash

// FileHash is a file's SHA-256 and the stat it was taken under. As in
// git's index, a file whose stat is still exactly this (size, time of the
// last change of its bytes and of its inode, inode number) has the same
// bytes: ctime cannot be set back by a user, so an edit that keeps size
// and modification time still shows.
type FileHash struct {
	Sum  [32]byte
	Stat FileStat
}

// FileStat is the part of a stat that says a file is unchanged.
type FileStat struct {
	Size, MTime, CTime int64 // nanoseconds
	Ino                uint64
}

// racyWindow: a file changed this close before it was hashed may change
// again within the same clock tick with the same size, unseen by its stat;
// such a file is read again next time rather than trusted (git calls it
// racily clean).
const racyWindow = 2 * time.Second

// clock is time.Now, but for tests, which make files older than they are.
var clock = time.Now

// treeDir is one directory of the tree as TreeKeys reads it. A content
// Dir on Linux is read through directory descriptors (keys_linux.go): at
// 10,000 reports, os.Root's lookup of every path from the top, component
// by component, was half of a build with nothing changed. Any other fs.FS
// is read through its interface (fsDir).
type treeDir interface {
	// entries lists the names the loader could read, sorted, each with
	// its type and, for a regular file, its stat.
	entries() ([]treeEntry, error)
	// sub opens the directory name, which entries listed as one.
	sub(name string) (treeDir, error)
	readFile(name string) ([]byte, error)
	readLink(name string) (string, error)
	close()
}

type treeEntry struct {
	name   string
	typ    fs.FileMode
	stat   FileStat
	statOK bool // stat says enough to trust a recorded hash
}

// TreeKeys computes the keys of the tree in fsys, hashing departments on
// every core. A file whose stat is as in known is not read: its hash is
// taken from there.
func TreeKeys(ctx context.Context, fsys fs.FS, known FileHashes) (Keys, error) {
	topDir, err := openTree(fsys)
	if err != nil {
		return Keys{}, fmt.Errorf("list content: %w", err)
	}
	defer topDir.close()
	entries, err := topDir.entries()
	if err != nil {
		return Keys{}, fmt.Errorf("list content: %w", err)
	}
	t := &treeHasher{known: known, now: clock()}
	top := &treeWalk{treeHasher: t}
	var site []byte
	var dirs []string
	for _, e := range entries {
		if e.typ.IsDir() {
			// Its own key stands for it: a department that comes or
			// goes changes no other key.
			dirs = append(dirs, e.name)
			continue
		}
		if site, err = top.entry(site, topDir, e, e.name); err != nil {
			return Keys{}, err
		}
	}
	// A few workers take the departments in turn: one goroutine each
	// would be 1,500 hand-overs, and on a virtual machine the scheduler's
	// wake-ups are system calls too.
	workers := min(runtime.GOMAXPROCS(0), len(dirs))
	walks := make([]treeWalk, workers+1)
	sums := make([][32]byte, len(dirs))
	var next atomic.Int64
	g, ctx := errgroup.WithContext(ctx)
	for w := range workers {
		walk := &walks[w]
		walk.treeHasher = t
		g.Go(func() error {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(dirs) {
					return nil
				}
				if err := ctx.Err(); err != nil {
					return err
				}
				d, err := topDir.sub(dirs[i])
				if err != nil {
					return fmt.Errorf("list %s: %w", dirs[i], err)
				}
				b, err := walk.dir(walk.buf[:0], d, dirs[i])
				d.close()
				if err != nil {
					return err
				}
				sums[i] = sha256.Sum256(b)
				walk.buf = b
			}
		})
	}
	if err := g.Wait(); err != nil {
		return Keys{}, err
	}
	walks[workers] = *top
	k := Keys{Site: sha256.Sum256(site), Depts: make(map[string][32]byte, len(dirs))}
	for i, dir := range dirs {
		k.Depts[dir] = sums[i]
	}
	k.Files = t.files(walks)
	return k, nil
}

// DeptKey computes the key one department has now, as TreeKeys would give
// it. A build keys the tree before it reads it; a department keyed again
// after it was read, and found changed, was edited meanwhile, so its files
// are not the bytes its earlier key stands for.
func DeptKey(fsys fs.FS, name string, known FileHashes) ([32]byte, error) {
	topDir, err := openTree(fsys)
	if err != nil {
		return [32]byte{}, fmt.Errorf("list content: %w", err)
	}
	defer topDir.close()
	d, err := topDir.sub(name)
	if err != nil {
		return [32]byte{}, fmt.Errorf("list %s: %w", name, err)
	}
	defer d.close()
	w := &treeWalk{treeHasher: &treeHasher{known: known, now: clock()}}
	b, err := w.dir(nil, d, name)
	if err != nil {
		return [32]byte{}, err
	}
	return sha256.Sum256(b), nil
}

type treeHasher struct {
	known FileHashes
	now   time.Time
}

// treeWalk is one goroutine's walk: the paths of the files it took from
// known, and the files it read that can be trusted next time. (Only the
// paths: at 72,000 files, a copy of every hash was megabytes more to
// fault in, on a virtual machine where that costs.)
type treeWalk struct {
	*treeHasher
	reused []string
	fresh  []pathHash
	read   bool   // some file was read
	buf    []byte // what a department's key hashes, kept for the next
}

type pathHash struct {
	path string
	FileHash
}

// files are the hashes to know next time. When every file was as known,
// they are known itself, which tells the caller there is nothing new to
// keep without comparing 72,000 entries.
func (t *treeHasher) files(walks []treeWalk) FileHashes {
	n, read := 0, false
	for _, w := range walks {
		n += len(w.reused) + len(w.fresh)
		read = read || w.read
	}
	if !read && n == len(t.known) && t.known != nil {
		return t.known
	}
	files := make(FileHashes, n)
	for _, w := range walks {
		for _, p := range w.reused {
			files[p] = t.known[p]
		}
		for _, f := range w.fresh {
			files[f.path] = f.FileHash
		}
	}
	return files
}

// dir appends to b everything the loader could read in d (at p), in name
// order, and gives b back. What is appended is hashed whole: a department
// is a few kilobytes of names and sums.
func (w *treeWalk) dir(b []byte, d treeDir, p string) ([]byte, error) {
	entries, err := d.entries()
	if err != nil {
		return b, fmt.Errorf("list %s: %w", p, err)
	}
	for _, e := range entries {
		sp := p + "/" + e.name
		if !e.typ.IsDir() {
			if b, err = w.entry(b, d, e, sp); err != nil {
				return b, err
			}
			continue
		}
		b = appendName(b, e)
		sd, err := d.sub(e.name)
		if err != nil {
			return b, fmt.Errorf("list %s: %w", sp, err)
		}
		b, err = w.dir(b, sd, sp)
		sd.close()
		if err != nil {
			return b, err
		}
		b = append(b, "end "...)
		b = append(b, e.name...)
		b = append(b, '\n')
	}
	return b, nil
}

func appendName(b []byte, e treeEntry) []byte {
	b = append(b, e.name...)
	b = append(b, 0)
	b = append(b, e.typ.String()...)
	return append(b, '\n')
}

// entry appends a file or link of d, at p, to b.
func (w *treeWalk) entry(b []byte, d treeDir, e treeEntry, p string) ([]byte, error) {
	b = appendName(b, e)
	switch {
	case e.typ&fs.ModeSymlink != 0:
		target, err := d.readLink(e.name)
		if err != nil {
			// The loader reports such a link as unreadable; the key only
			// needs to stay the same while it does.
			target = "unreadable"
		}
		b = append(b, "-> "...)
		b = append(b, target...)
		b = append(b, '\n')
	case e.typ.IsRegular():
		sum, err := w.file(d, e, p)
		if err != nil {
			return b, err
		}
		b = hex.AppendEncode(b, sum[:])
		b = append(b, '\n')
	}
	return b, nil
}

// file gives the hash of the file e of d, at p, from known when its stat
// is as recorded there.
func (w *treeWalk) file(d treeDir, e treeEntry, p string) ([32]byte, error) {
	if prev, ok := w.known[p]; ok && e.statOK && prev.Stat == e.stat {
		w.reused = append(w.reused, p)
		return prev.Sum, nil
	}
	w.read = true
	b, err := d.readFile(e.name)
	if err != nil {
		return [32]byte{}, fmt.Errorf("read %s: %w", p, err)
	}
	sum := sha256.Sum256(b)
	if e.statOK && w.now.Sub(time.Unix(0, e.stat.MTime)) > racyWindow && w.now.Sub(time.Unix(0, e.stat.CTime)) > racyWindow {
		w.fresh = append(w.fresh, pathHash{p, FileHash{Sum: sum, Stat: e.stat}})
	}
	return sum, nil
}

// fsDir is a directory of any fs.FS.
type fsDir struct {
	fsys fs.FS
	path string
}

func (d fsDir) entries() ([]treeEntry, error) {
	des, err := fs.ReadDir(d.fsys, d.path)
	if err != nil {
		return nil, err
	}
	out := make([]treeEntry, 0, len(des))
	for _, de := range des {
		if skipName(de.Name()) {
			continue
		}
		e := treeEntry{name: de.Name(), typ: de.Type()}
		if e.typ.IsRegular() {
			if info, err := de.Info(); err == nil {
				e.stat, e.statOK = fileStat(info)
			}
		}
		out = append(out, e)
	}
	return out, nil
}

func (d fsDir) sub(name string) (treeDir, error) {
	return fsDir{d.fsys, path.Join(d.path, name)}, nil
}

func (d fsDir) readFile(name string) ([]byte, error) {
	return fs.ReadFile(d.fsys, path.Join(d.path, name))
}

func (d fsDir) readLink(name string) (string, error) {
	return fs.ReadLink(d.fsys, path.Join(d.path, name))
}

func (fsDir) close() {}
