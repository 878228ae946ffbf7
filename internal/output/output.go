// Package output owns every write to an output directory: the built site
// (disclose build and the preview), chart images (disclose charts) and
// generated content (disclose gen). Its callers decide what to write; it
// decides how: into a temporary directory beside the output, swapped in
// whole (Txn) or moved in file by file (Stage), under a lock that makes
// writers of one output take turns, with a marker file that keeps it from
// replacing a directory it did not make, a manifest kept beside the output
// for the next write, hard links for files unchanged from the previous
// output, and removal of what crashed runs left behind.
//
// Layer 0 (see internal/arch): it imports nothing of ours. Files come as
// paths and writers, and a manifest as opaque bytes; build, chartimage and
// gen import it.
package output

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Options say whose output a directory is and how to wait for it.
type Options struct {
	// Marker is the name of the file that marks a directory as written by
	// this kind of writer (".disclose-site"); MarkerText is its content.
	// A non-empty directory without it is never replaced.
	Marker     string
	MarkerText []byte
	// Waiting, when set, is told when the write must wait for another
	// writer of the same output to finish.
	Waiting func()
}

// ErrForeign means the output directory holds files that were not written
// by the kind of writer that wants to replace it.
var ErrForeign = errors.New("the directory holds files that disclose did not write")

// Check refuses an output directory that holds files but has no marker:
// replacing it would delete them, serving it would publish them. A missing
// or empty directory is fine.
func Check(out, marker string) error {
	st, err := os.Stat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output %s: %w", out, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("output %s: exists and is not a directory", out)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("output %s: %w", out, err)
	}
	if len(entries) == 0 {
		return nil
	}
	if st, err := os.Stat(filepath.Join(out, marker)); err != nil || !st.Mode().IsRegular() {
		return fmt.Errorf("output %s: %w (no %s marker); choose an empty or new directory, or empty this one yourself", out, ErrForeign, marker)
	}
	return nil
}

var errBadManifest = errors.New("output: a manifest must begin with " + ManifestHeader)

// Txn writes a whole new output into a temporary directory beside out;
// Commit swaps it in, so that readers see the old output or the new, never
// a mix, and a failed or stopped write leaves the old one as it was.
type Txn struct {
	out    string
	marker string
	w      *writer
	unlock func()
	done   bool
}

// Begin takes out's lock (waiting for another writer), refuses a foreign
// out, removes what crashed writers left beside it and makes the
// temporary directory, marked at once. Call Abort when done (after Commit
// it does nothing).
func Begin(ctx context.Context, out string, o Options) (*Txn, error) {
	tmp, unlock, err := begin(ctx, out, o, "new")
	if err != nil {
		return nil, err
	}
	t := &Txn{out: out, marker: o.Marker, w: &writer{dir: tmp}, unlock: unlock}
	if err := os.Chmod(tmp, 0o755); err != nil {
		t.Abort()
		return nil, fmt.Errorf("output: %w", err)
	}
	// Files that come out as the previous output has them are linked from
	// it rather than written again: a rebuild of a large site changes few
	// files, and deleting the old site then frees almost no blocks.
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		t.w.prev = out
	}
	return t, nil
}

// Lock takes out's lock as Begin does, waiting while another writer holds
// it, and returns its release: for a reader that must see the output and
// its manifest as one writer left them. Holding the lock, it removes what
// crashed writers of o's kind left beside out, as every writer does.
func Lock(ctx context.Context, out string, o Options) (func(), error) {
	unlock, err := lockOutput(ctx, out, o.Waiting)
	if err != nil {
		return nil, err
	}
	if o.Marker != "" {
		removeLeftovers(out, o.Marker)
	}
	return unlock, nil
}

// begin is what Begin and BeginStage share; the caller owns the directory
// and the lock it returns.
func begin(ctx context.Context, out string, o Options, kind string) (string, func(), error) {
	if o.Marker == "" || strings.ContainsAny(o.Marker, `/\`) {
		return "", nil, fmt.Errorf("output: bad marker name %q", o.Marker)
	}
	// Checked before the lock too, so that a refused directory gets no
	// lock file beside it.
	if err := Check(out, o.Marker); err != nil {
		return "", nil, err
	}
	unlock, err := lockOutput(ctx, out, o.Waiting)
	if err != nil {
		return "", nil, err
	}
	if err := Check(out, o.Marker); err != nil {
		unlock()
		return "", nil, err
	}
	removeLeftovers(out, o.Marker)
	tmp, err := makeOwnDir(out, kind, o)
	if err != nil {
		unlock()
		return "", nil, err
	}
	return tmp, unlock, nil
}

// Prev is the output being replaced, or "" when there is none yet.
func (t *Txn) Prev() string { return t.w.prev }

// WriteAll writes files into the new output (see Plan). A file the
// previous output has with the same bytes is linked from it.
func (t *Txn) WriteAll(ctx context.Context, files []File, p Plan) (Written, error) {
	return t.w.writeAll(ctx, files, p)
}

// WriteFile writes one file of the new output, creating its directories;
// rel is slash-separated. It may be called from several goroutines.
func (t *Txn) WriteFile(rel string, data []byte) error {
	if !fs.ValidPath(rel) || rel == "." {
		return fmt.Errorf("output: bad file name %q", rel)
	}
	return t.w.writeFile(rel, data)
}

// Commit puts the new output in place of the old and then, when manifest
// is not nil, keeps it beside the output for the next write (see
// ManifestPath). A manifest's first line must begin with ManifestHeader.
func (t *Txn) Commit(manifest []byte) error {
	if t.done {
		return errors.New("output: transaction already ended")
	}
	if manifest != nil && !strings.HasPrefix(string(manifest), ManifestHeader) {
		t.Abort()
		return errBadManifest
	}
	var pending string
	if manifest != nil {
		pending = t.w.dir + manifestSuffix
		if err := os.WriteFile(pending, manifest, 0o644); err != nil {
			t.Abort()
			return fmt.Errorf("output: %w", err)
		}
	}
	old, err := swap(t.w.dir, t.out)
	if err != nil {
		os.Remove(pending)
		t.Abort()
		return fmt.Errorf("output %s: %w", t.out, err)
	}
	if old != "" {
		// The new output is in place whatever happens here; what is left
		// of the old one carries the marker, so the next writer removes
		// it (removeLeftovers).
		_ = removeTree(old, t.marker)
	}
	if pending != "" {
		// A manifest left behind by a failure here only costs renders:
		// each file it lists must still have its recorded size and time.
		if err := os.Rename(pending, ManifestPath(t.out)); err != nil {
			os.Remove(pending)
		}
	}
	t.done = true
	t.unlock()
	return nil
}

// Abort removes the new output and releases the lock, leaving the old
// output as it was. After Commit it does nothing.
func (t *Txn) Abort() {
	if t.done {
		return
	}
	t.done = true
	_ = removeTree(t.w.dir, t.marker)
	t.unlock()
}

// Stage replaces some files of an existing output: they are written into
// a staging directory beside it, and Apply moves the changed ones in. The
// preview uses it after an edit, when a few of a site's thousands of files
// change.
type Stage struct {
	out    string
	w      *writer
	unlock func()
	done   bool
	// applied: Apply moved the staged files into place, and what is left
	// is small.
	applied bool
}

// BeginStage is Begin for a Stage.
func BeginStage(ctx context.Context, out string, o Options) (*Stage, error) {
	dir, unlock, err := begin(ctx, out, o, "stage")
	if err != nil {
		return nil, err
	}
	return &Stage{out: out, w: &writer{dir: dir}, unlock: unlock}, nil
}

// WriteAll writes files into the staging directory (see Plan); with
// Plan.Old, a file whose bytes are unchanged is not written.
func (s *Stage) WriteAll(ctx context.Context, files []File, p Plan) (Written, error) {
	return s.w.writeAll(ctx, files, p)
}

// Apply moves the written files from the staging directory into the
// output and deletes the removed ones, with the directories they leave
// empty (so that the tree is what a whole new output would be). applied
// is told of each path done, so that a caller can keep track when Apply
// fails half-way.
func (s *Stage) Apply(written, removed []string, applied func(path string)) error {
	s.applied = true
	for _, p := range written {
		dst := filepath.Join(s.out, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		if err := os.Rename(filepath.Join(s.w.dir, filepath.FromSlash(p)), dst); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		applied(p)
	}
	for _, p := range removed {
		if err := os.Remove(filepath.Join(s.out, filepath.FromSlash(p))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("output: %w", err)
		}
		applied(p)
		removeEmptyParents(s.out, path.Dir(p))
	}
	return nil
}

// Close removes the staging directory with whatever Apply left in it, and
// releases the lock. A stage never applied (a stopped or failed write)
// is removed after the lock is released, in the background: unlinking
// the half of a site-wide download it may hold took up to 12 ms, which a
// preview's next save waited for. The directory is marked as ours, so a
// later writer removes it if this process ends first.
func (s *Stage) Close() {
	if s.done {
		return
	}
	s.done = true
	if !s.applied {
		s.unlock()
		dir := s.w.dir
		go func() { _ = os.RemoveAll(dir) }() // a leftover is removed by the next writer
		return
	}
	_ = os.RemoveAll(s.w.dir)
	s.unlock()
}

// removeEmptyParents drops directories left empty by a removed file, so
// that an incremental build leaves the same tree as a clean one.
func removeEmptyParents(root, dir string) {
	for dir != "." && dir != "/" && dir != "" {
		if os.Remove(filepath.Join(root, filepath.FromSlash(dir))) != nil {
			return // not empty
		}
		dir = path.Dir(dir)
	}
}

// A manifest lets a write reuse what the previous one wrote (see Plan.Reuse
// and Written.Records); its content is the caller's. It lives beside the
// output directory (public/ has .public.disclose-manifest), not in it: it
// holds modification times, and the output itself must come out the same
// byte for byte.
const (
	manifestSuffix = ".disclose-manifest"
	// ManifestHeader begins the first line of every manifest, so that one
	// left behind by a crash is known for what it is and removed.
	ManifestHeader = "disclose-manifest "
)

// ManifestPath is where the manifest of the output in out is kept.
func ManifestPath(out string) string { return Beside(out, manifestSuffix) }

// Beside names a file kept beside out, not in it (public/ has
// .public<suffix>): what describes the site must not change its bytes.
func Beside(out, suffix string) string {
	out = filepath.Clean(out)
	return filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+suffix)
}
