package output

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Beside the output directory a writer keeps, for a moment, directories of
// its own: the new output (.public.new-*), files staged by the preview
// (.public.stage-*) and the new output's manifest before the swap
// (.public.new-*.disclose-manifest). A writer that is killed (kill -9, a
// power cut) cannot remove them, so each writer removes those that no
// other running writer owns before it writes: writers of one output take
// turns by a lock file beside it (.public.disclose-lock), so whatever is
// there while a writer holds the lock is left over. A directory is removed
// only if it carries the writer's marker, written first thing into each.

func lockPath(out string) string { return Beside(out, ".disclose-lock") }

// lockPoll is how often a writer waiting for another one tries the lock.
const lockPoll = 100 * time.Millisecond

// lockOutput takes the output's lock, waiting while another writer holds
// it, and returns its release. wait is told once if the writer must wait.
func lockOutput(ctx context.Context, out string, wait func()) (func(), error) {
	if err := os.MkdirAll(filepath.Dir(filepath.Clean(out)), 0o755); err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	f, err := os.OpenFile(lockPath(out), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("output lock: %w", err)
	}
	told := false
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("output lock: %w", err)
		}
		if ok {
			// The lock file itself stays: removing it would let a waiting
			// build lock a file that no longer has this name.
			return func() { unlock(f); f.Close() }, nil
		}
		if !told && wait != nil {
			wait()
			told = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}

// removeLeftovers removes what interrupted writers of out left beside it.
// The caller holds out's lock.
func removeLeftovers(out, marker string) {
	out = filepath.Clean(out)
	parent, base := filepath.Dir(out), "."+filepath.Base(out)
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base+".new-") && !strings.HasPrefix(name, base+".stage-") {
			continue
		}
		p := filepath.Join(parent, name)
		switch {
		case e.IsDir():
			if _, err := os.Lstat(filepath.Join(p, marker)); err == nil {
				_ = removeTree(p, marker)
			}
		case e.Type().IsRegular() && strings.HasSuffix(name, manifestSuffix) && isManifestFile(p):
			_ = os.Remove(p)
		}
	}
}

func isManifestFile(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	return err == nil && strings.HasPrefix(line, ManifestHeader)
}

// makeOwnDir creates a temporary directory beside out and marks it at
// once, so that a later writer may remove it if this one never gets to.
func makeOwnDir(out, kind string, o Options) (string, error) {
	out = filepath.Clean(out)
	dir, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+"."+kind+"-*")
	if err != nil {
		return "", fmt.Errorf("output: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, o.Marker), o.MarkerText, 0o644); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("output: %w", err)
	}
	return dir, nil
}
