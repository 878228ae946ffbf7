package content

import (
	"context"
	"crypto/sha256"
	"fmt"
	"hash"
	"io/fs"
	"path"
	"runtime"
	"sync"
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

// TreeKeys computes the keys of the tree in fsys, hashing departments on
// every core. A file whose stat is as in known is not read: its hash is
// taken from there.
func TreeKeys(ctx context.Context, fsys fs.FS, known FileHashes) (Keys, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return Keys{}, fmt.Errorf("list content: %w", err)
	}
	t := &treeHasher{fsys: fsys, known: known, files: FileHashes{}, now: clock()}
	site := sha256.New()
	var dirs []string
	for _, e := range entries {
		name := e.Name()
		if skipName(name) {
			continue
		}
		if e.IsDir() {
			// Its own key stands for it: a department that comes or
			// goes changes no other key.
			dirs = append(dirs, name)
			continue
		}
		if err := t.entry(site, e, name); err != nil {
			return Keys{}, err
		}
	}
	sums := make([][32]byte, len(dirs))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, dir := range dirs {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			h := sha256.New()
			if err := t.dir(h, dir); err != nil {
				return err
			}
			h.Sum(sums[i][:0])
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return Keys{}, err
	}
	k := Keys{Depts: make(map[string][32]byte, len(dirs)), Files: t.files}
	for i, dir := range dirs {
		k.Depts[dir] = sums[i]
	}
	site.Sum(k.Site[:0])
	return k, nil
}

type treeHasher struct {
	fsys  fs.FS
	known FileHashes
	now   time.Time
	mu    sync.Mutex
	files FileHashes
}

// dir writes everything the loader could read under dir into h, in the
// listing's (name) order.
func (t *treeHasher) dir(h hash.Hash, dir string) error {
	entries, err := fs.ReadDir(t.fsys, dir)
	if err != nil {
		return fmt.Errorf("list %s: %w", dir, err)
	}
	for _, e := range entries {
		name := e.Name()
		if skipName(name) {
			continue
		}
		p := path.Join(dir, name)
		if e.IsDir() {
			fmt.Fprintf(h, "%s\x00%v\n", name, e.Type())
			if err := t.dir(h, p); err != nil {
				return err
			}
			fmt.Fprintf(h, "end %s\n", name)
			continue
		}
		if err := t.entry(h, e, p); err != nil {
			return err
		}
	}
	return nil
}

// entry writes a file or link at p into h.
func (t *treeHasher) entry(h hash.Hash, e fs.DirEntry, p string) error {
	fmt.Fprintf(h, "%s\x00%v\n", e.Name(), e.Type())
	switch {
	case e.Type()&fs.ModeSymlink != 0:
		target, err := fs.ReadLink(t.fsys, p)
		if err != nil {
			// The loader reports such a link as unreadable; the key only
			// needs to stay the same while it does.
			target = "unreadable"
		}
		fmt.Fprintf(h, "-> %s\n", target)
	case e.Type().IsRegular():
		sum, err := t.file(e, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%x\n", sum)
	}
	return nil
}

// file gives the hash of the file at p, from known when its stat is as
// recorded there.
func (t *treeHasher) file(e fs.DirEntry, p string) ([32]byte, error) {
	var st FileStat
	statOK := false
	if info, err := e.Info(); err == nil {
		st, statOK = fileStat(info)
	}
	if prev, ok := t.known[p]; ok && statOK && prev.Stat == st {
		t.remember(p, prev)
		return prev.Sum, nil
	}
	b, err := fs.ReadFile(t.fsys, p)
	if err != nil {
		return [32]byte{}, fmt.Errorf("read %s: %w", p, err)
	}
	sum := sha256.Sum256(b)
	if statOK && t.now.Sub(time.Unix(0, st.MTime)) > racyWindow && t.now.Sub(time.Unix(0, st.CTime)) > racyWindow {
		t.remember(p, FileHash{Sum: sum, Stat: st})
	}
	return sum, nil
}

func (t *treeHasher) remember(p string, fh FileHash) {
	t.mu.Lock()
	t.files[p] = fh
	t.mu.Unlock()
}
