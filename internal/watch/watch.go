// Package watch tells `disclose serve` which files under the site's
// folders changed, in batches: one save in an editor, or one git checkout,
// gives one batch and so one rebuild.
//
// fsnotify watches single folders, not trees, so the Watcher adds a watch
// for every folder under its roots and keeps that set up to date as
// folders are created, moved and removed. It watches folders, never files:
// editors save by writing a temporary file and renaming it over the
// original, which replaces the file's inode, and a watch on the file
// itself would be lost after the first save.
//
// Layer 0 (see internal/arch): it imports nothing of ours.
package watch

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Options tunes a Watcher. The zero value gives the defaults.
type Options struct {
	// Quiet is the coalescing window: a batch is delivered once no event
	// has arrived for this long. Default 30ms; an editor's atomic save is
	// several events within a few milliseconds.
	Quiet time.Duration
	// MaxWait bounds how long a continuing burst (copying many files) may
	// hold a batch back. Default 300ms; never less than Quiet.
	MaxWait time.Duration
	// Ignore, if set, is asked about every path (as it would appear in a
	// Batch) in addition to the built-in rules; a folder it ignores is
	// neither watched nor descended into.
	Ignore func(path string) bool
}

const (
	defaultQuiet   = 30 * time.Millisecond
	defaultMaxWait = 300 * time.Millisecond
	// replaceGrace is how long, after the last event, a batch waits for a
	// removed path to come back. Editors that save by renaming leave the
	// target missing for a moment (vim moves it to file~ before writing the
	// new one); delivering the batch then would show a "file not found"
	// error in the preview for one rebuild.
	replaceGrace = 150 * time.Millisecond
)

// Batch is a set of changes that arrived close together.
type Batch struct {
	// Paths are the changed files, and folders that were created, removed
	// or moved; cleaned, sorted and without duplicates. Each is its root as
	// given to New joined with the path below it, so relative roots give
	// relative paths. A folder means anything below it may have changed.
	// For a folder created or moved in, the files and folders inside it are
	// listed too.
	Paths []string
	// Rescan is set when the kernel dropped events (its queue overflowed):
	// anything under the roots may have changed, and the roots are in Paths.
	Rescan bool
}

// Watcher watches folder trees and single files and delivers their changes
// as Batches. Create one with New and stop it with Close.
type Watcher struct {
	fsw     *fsnotify.Watcher
	roots   []string
	ignore  func(string) bool
	quiet   time.Duration
	maxWait time.Duration

	batches chan Batch
	errs    chan error
	done    chan struct{}
	exited  chan struct{}
	once    sync.Once

	// Everything below is owned by the run goroutine once New returns.

	watched map[string]bool // folders with an inotify watch, by path

	pending       map[string]bool // changed paths of the batch being gathered → last change was a removal
	pendingRescan bool
	first, last   time.Time // of the batch being gathered
	timer         *time.Timer

	ready       map[string]struct{} // gathered batches the receiver has not taken yet, merged
	readyRescan bool
	readyBatch  *Batch // ready, sorted; nil until needed

	errq []error // problems not yet taken from Errors
}

// New starts watching roots. A root that is a folder is watched with
// everything below it. A root that is a file (a site config) is watched
// through its parent folder, so that editors' rename-over saves are seen.
// A root that does not exist yet is not an error as long as its parent
// folder exists: it is watched for through the parent and, once it
// appears, treated like any other root (so `themes/NAME` may be created
// after the preview has started). The parent of every root is watched for
// the same reason, so a root folder deleted and restored (by git, say) is
// picked up again; the parents themselves must stay.
//
// Paths under a root whose name, or the name of a folder between it and
// the root, is ignored (see IsIgnored) or rejected by o.Ignore are
// neither watched nor reported. Symbolic links below a root are reported
// when they change but not followed; a root itself may be a link.
//
// Errors from New are *Error, worded for users. Reaching the system's
// watch limit while starting is an error (the preview would silently miss
// changes otherwise); other folders that cannot be watched are reported
// on Errors and watching goes on.
func New(roots []string, o Options) (*Watcher, error) {
	w := &Watcher{
		ignore:  o.Ignore,
		quiet:   o.Quiet,
		maxWait: o.MaxWait,
		batches: make(chan Batch),
		errs:    make(chan error),
		done:    make(chan struct{}),
		exited:  make(chan struct{}),
		watched: map[string]bool{},
		pending: map[string]bool{},
		ready:   map[string]struct{}{},
	}
	if w.quiet <= 0 {
		w.quiet = defaultQuiet
	}
	if w.maxWait <= 0 {
		w.maxWait = defaultMaxWait
	}
	w.maxWait = max(w.maxWait, w.quiet)
	for _, r := range roots {
		r = filepath.Clean(r)
		if !slices.Contains(w.roots, r) {
			w.roots = append(w.roots, r)
		}
	}

	w.timer = time.NewTimer(time.Hour)
	w.timer.Stop()
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, startError(err)
	}
	w.fsw = fsw
	for _, r := range w.roots {
		if err := w.addRoot(r); err != nil {
			fsw.Close()
			return nil, err
		}
	}
	go w.run()
	return w, nil
}

// Batches delivers the changes. It is closed by Close. A receiver that is
// slow (busy rebuilding) gets the changes made meanwhile merged into one
// batch when it comes back; nothing is lost and the Watcher never blocks.
func (w *Watcher) Batches() <-chan Batch { return w.batches }

// Errors delivers problems that do not stop the Watcher, such as a folder
// that could not be watched; they are *Error, worded for users. It is
// closed by Close. Nobody has to read it: the Watcher keeps a few and drops
// repeats rather than block.
func (w *Watcher) Errors() <-chan error { return w.errs }

// Close stops the Watcher, releases every inotify watch and closes
// Batches and Errors. It waits for the Watcher's goroutine to end. Calling
// it again does nothing and returns nil.
func (w *Watcher) Close() error {
	var err error
	w.once.Do(func() {
		close(w.done)
		<-w.exited
		if cerr := w.fsw.Close(); cerr != nil {
			err = &Error{Err: cerr, msg: "停止监视文件改动时出错：" + cerr.Error()}
		}
		close(w.batches)
		close(w.errs)
	})
	return err
}

// addRoot watches r, and its parent so that r can appear, disappear and
// reappear. Only a full watch table (and a parent that is missing) stops
// New; other problems go to Errors.
func (w *Watcher) addRoot(r string) error {
	parent := filepath.Dir(r)
	if err := w.addWatch(parent, true); err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return missingError(r, parent)
		}
		return w.problem(parent, err)
	}
	if fi, err := os.Stat(r); err == nil && fi.IsDir() {
		return w.addTree(r, false, false)
	}
	return nil
}

// problem returns err, met at path, if it is fatal (the watch table is
// full: everything after it would fail too) and queues it for Errors
// otherwise.
func (w *Watcher) problem(path string, err error) error {
	ue := userError(path, err)
	if IsWatchLimit(err) {
		return ue
	}
	w.report(ue)
	return nil
}

// report queues e for Errors unless the same message is already waiting.
func (w *Watcher) report(e error) {
	const keep = 16
	for _, q := range w.errq {
		if q.Error() == e.Error() {
			return
		}
	}
	if len(w.errq) < keep {
		w.errq = append(w.errq, e)
	}
}

// addWatch adds an inotify watch for the folder dir. force re-adds a
// folder already in the set, for a rescan after lost events, when the
// folder at that path may be a new one.
func (w *Watcher) addWatch(dir string, force bool) error {
	if w.watched[dir] && !force {
		return nil
	}
	if err := w.fsw.Add(dir); err != nil {
		return err
	}
	w.watched[dir] = true
	return nil
}

// addTree watches dir and every folder below it that is not ignored. With
// report, it also records dir and everything found below it as changed:
// a folder created with files already inside (mkdir -p then a quick
// write, or a folder moved in) gives no events for those files. It
// returns only a fatal error; see problem.
func (w *Watcher) addTree(dir string, report, force bool) error {
	if report {
		// Even if it cannot be watched: the rebuild will still see what
		// is in it now.
		w.note(dir, false)
	}
	if err := w.addWatch(dir, force); err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return nil // gone again already; its removal is on its way
		}
		return w.problem(dir, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return nil
		}
		return w.problem(dir, err)
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if IsIgnored(e.Name()) || w.ignore != nil && w.ignore(p) {
			continue
		}
		if e.IsDir() {
			if err := w.addTree(p, report, force); err != nil {
				return err
			}
		} else if report {
			w.note(p, false)
		}
	}
	return nil
}

// dropTree forgets the watches on dir and every folder below it, after dir
// was removed or moved away. Moved away, its watches would live on and
// report changes in the new place under the old names.
func (w *Watcher) dropTree(dir string) {
	if !w.watched[dir] {
		return // not a folder we watch, so nothing below it is watched either
	}
	for d := range w.watched {
		if d == dir || isUnder(d, dir) {
			// fsnotify and the kernel already forget a deleted folder's
			// watch; their "no such watch" errors say only that.
			_ = w.fsw.Remove(d)
			delete(w.watched, d)
		}
	}
}

// relevant reports whether a change at p is one to report: p is a root,
// or lies under one with no ignored name between.
func (w *Watcher) relevant(p string) bool {
	for _, r := range w.roots {
		if p == r {
			return true
		}
		if !isUnder(p, r) {
			continue
		}
		rel := p
		if r != "." {
			rel = strings.TrimPrefix(p[len(r):], string(filepath.Separator))
		}
		if !w.ignoredBelow(r, rel) {
			return true
		}
	}
	return false
}

// ignoredBelow reports whether the path rel below root, or a folder on the
// way to it, is ignored: the same test addTree makes on its way down.
func (w *Watcher) ignoredBelow(root, rel string) bool {
	p := root
	for name := range strings.SplitSeq(rel, string(filepath.Separator)) {
		p = filepath.Join(p, name)
		if IsIgnored(name) || w.ignore != nil && w.ignore(p) {
			return true
		}
	}
	return false
}

// isRoot reports whether p is one of the roots.
func (w *Watcher) isRoot(p string) bool { return slices.Contains(w.roots, p) }

// isUnder reports whether the clean path p lies strictly below the clean
// folder path dir.
func isUnder(p, dir string) bool {
	switch {
	case p == dir:
		return false
	case dir == ".":
		return !filepath.IsAbs(p) && p != ".." && !strings.HasPrefix(p, ".."+string(filepath.Separator))
	case strings.HasSuffix(dir, string(filepath.Separator)): // "/"
		return strings.HasPrefix(p, dir)
	}
	return strings.HasPrefix(p, dir+string(filepath.Separator))
}

// run is the Watcher's one goroutine: it turns fsnotify events into
// batches and hands batches and errors out without ever blocking on the
// receivers, so that fsnotify keeps draining the kernel's queue.
func (w *Watcher) run() {
	defer close(w.exited)
	defer w.timer.Stop()
	for {
		var out chan<- Batch
		var next Batch
		if len(w.ready) > 0 || w.readyRescan {
			if w.readyBatch == nil {
				w.readyBatch = &Batch{Paths: slices.Sorted(maps.Keys(w.ready)), Rescan: w.readyRescan}
			}
			out, next = w.batches, *w.readyBatch
		}
		var errOut chan<- error
		var nextErr error
		if len(w.errq) > 0 {
			errOut, nextErr = w.errs, w.errq[0]
		}

		select {
		case <-w.done:
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			w.handle(ev)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.rescan()
			} else {
				w.report(userError("", err))
			}
		case <-w.timer.C:
			w.tick()
		case out <- next:
			clear(w.ready)
			w.readyRescan = false
			w.readyBatch = nil
		case errOut <- nextErr:
			w.errq = w.errq[1:]
		}
	}
}

// handle applies one fsnotify event: it keeps the set of watched folders
// in step and records the changed path.
func (w *Watcher) handle(ev fsnotify.Event) {
	p := filepath.Clean(ev.Name)
	if !w.relevant(p) {
		return
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		w.dropTree(p)
		if !ev.Has(fsnotify.Create) {
			w.note(p, true)
			return
		}
	}
	if ev.Has(fsnotify.Create) {
		// A root may be a link to a folder; links below a root are not
		// followed, or a link to an ancestor would never end.
		stat := os.Lstat
		if w.isRoot(p) {
			stat = os.Stat
		}
		if fi, err := stat(p); err == nil && fi.IsDir() {
			if err := w.addTree(p, true, false); err != nil {
				w.report(err)
			}
			return
		}
	}
	w.note(p, false)
}

// note adds p to the batch being gathered and (re)arms the timer that
// ends it. removed tells whether p's latest change was its removal.
func (w *Watcher) note(p string, removed bool) {
	now := time.Now()
	if len(w.pending) == 0 && !w.pendingRescan {
		w.first = now
		w.timer.Reset(w.quiet)
	}
	w.last = now
	w.pending[p] = removed
}

// tick ends the batch being gathered if it has been quiet long enough, or
// has waited MaxWait; otherwise it sets the timer for the next check.
// Resetting the timer lazily here, rather than on every event, keeps a
// burst of thousands of events cheap.
func (w *Watcher) tick() {
	if len(w.pending) == 0 && !w.pendingRescan {
		return
	}
	now := time.Now()
	deadline := w.first.Add(w.maxWait)
	due := w.last.Add(w.quiet)
	if due.Before(deadline) && !now.Before(due) && w.awaitingReplacement() {
		due = w.last.Add(max(w.quiet, replaceGrace))
	}
	if deadline.Before(due) {
		due = deadline
	}
	if now.Before(due) {
		w.timer.Reset(due.Sub(now))
		return
	}
	for p := range w.pending {
		w.ready[p] = struct{}{}
	}
	w.readyRescan = w.readyRescan || w.pendingRescan
	w.readyBatch = nil
	clear(w.pending)
	w.pendingRescan = false
}

// awaitingReplacement reports whether a path removed in this batch is still
// missing, which during an editor's rename-over save is a moment's state.
func (w *Watcher) awaitingReplacement() bool {
	for p, removed := range w.pending {
		if !removed {
			continue
		}
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return true
		}
	}
	return false
}

// rescan recovers after the kernel dropped events: folders may have come
// and gone unseen, so it forgets watches on folders that are gone, re-adds
// every folder under the roots and reports everything as changed.
func (w *Watcher) rescan() {
	for d := range w.watched {
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
			_ = w.fsw.Remove(d)
			delete(w.watched, d)
		}
	}
	for _, r := range w.roots {
		if err := w.addWatch(filepath.Dir(r), true); err != nil && !errors.Is(err, fs.ErrNotExist) {
			w.report(userError(filepath.Dir(r), err))
		}
		if fi, err := os.Stat(r); err == nil && fi.IsDir() {
			if err := w.addTree(r, false, true); err != nil {
				w.report(err)
			}
		}
		w.note(r, false)
	}
	w.pendingRescan = true
}
