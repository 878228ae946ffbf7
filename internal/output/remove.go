package output

import (
	"os"
	"path/filepath"
	"runtime"

	"golang.org/x/sync/errgroup"
)

// removeTree is os.RemoveAll spread over the cores. A site of 10,000
// reports has some 33,000 files in a few thousand directories; unlinking
// them one by one took seconds of the build, and directories can be
// emptied side by side. The file named marker, if any, goes last.
func removeTree(dir, marker string) error {
	var subtrees []string
	top, err := os.ReadDir(dir)
	if err != nil {
		return os.RemoveAll(dir)
	}
	for _, e := range top {
		p := filepath.Join(dir, e.Name())
		if e.Name() == marker {
			// Last to go (with dir itself, below): a removal cut short
			// leaves a directory a later run still knows as its own.
			continue
		}
		if !e.IsDir() {
			subtrees = append(subtrees, p)
			continue
		}
		inner, err := os.ReadDir(p)
		if err != nil {
			subtrees = append(subtrees, p)
			continue
		}
		for _, f := range inner {
			subtrees = append(subtrees, filepath.Join(p, f.Name()))
		}
	}
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, p := range subtrees {
		g.Go(func() error {
			// Errors surface from the final RemoveAll below, which
			// retries whatever is left.
			_ = os.RemoveAll(p)
			return nil
		})
	}
	_ = g.Wait()
	return os.RemoveAll(dir)
}
