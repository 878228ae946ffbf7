package content

import (
	"context"
	"crypto/sha256"
	"fmt"
	"hash"
	"io/fs"
	"path"
	"runtime"

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
}

// TreeKeys computes the keys of the tree in fsys, hashing departments on
// every core.
func TreeKeys(ctx context.Context, fsys fs.FS) (Keys, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return Keys{}, fmt.Errorf("list content: %w", err)
	}
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
		fmt.Fprintf(site, "%s\x00%v\n", name, e.Type())
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			if err := hashLink(site, fsys, name); err != nil {
				return Keys{}, err
			}
		case e.Type().IsRegular():
			if err := hashFile(site, fsys, name); err != nil {
				return Keys{}, err
			}
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
			if err := hashDir(h, fsys, dir); err != nil {
				return err
			}
			h.Sum(sums[i][:0])
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return Keys{}, err
	}
	k := Keys{Depts: make(map[string][32]byte, len(dirs))}
	for i, dir := range dirs {
		k.Depts[dir] = sums[i]
	}
	site.Sum(k.Site[:0])
	return k, nil
}

// hashDir writes everything the loader could read under dir into h, in
// the listing's (name) order.
func hashDir(h hash.Hash, fsys fs.FS, dir string) error {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return fmt.Errorf("list %s: %w", dir, err)
	}
	for _, e := range entries {
		name := e.Name()
		if skipName(name) {
			continue
		}
		p := path.Join(dir, name)
		fmt.Fprintf(h, "%s\x00%v\n", name, e.Type())
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			err = hashLink(h, fsys, p)
		case e.IsDir():
			err = hashDir(h, fsys, p)
			fmt.Fprintf(h, "end %s\n", name)
		case e.Type().IsRegular():
			err = hashFile(h, fsys, p)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func hashFile(h hash.Hash, fsys fs.FS, p string) error {
	b, err := fs.ReadFile(fsys, p)
	if err != nil {
		return fmt.Errorf("read %s: %w", p, err)
	}
	fmt.Fprintf(h, "%d\n", len(b))
	h.Write(b)
	return nil
}

func hashLink(h hash.Hash, fsys fs.FS, p string) error {
	target, err := fs.ReadLink(fsys, p)
	if err != nil {
		// The loader reports such a link as unreadable; the key only needs
		// to stay the same while it does.
		target = "unreadable"
	}
	fmt.Fprintf(h, "-> %s\n", target)
	return nil
}
