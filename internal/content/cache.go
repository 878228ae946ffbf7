package content

import (
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"disclose/internal/diag"
	"disclose/internal/model"
)

// Cache loads a content tree again after edits, re-reading only the
// departments whose files changed. The live preview rebuilds after every
// save; loading a province of 10,000 reports takes seconds, while an edit
// touches one department.
//
// Departments are cached by directory name, each with its diagnostics.
// The site configuration and the top-level listing are cached too (see
// Load for when they are read again). The checks across departments
// (ValidateDepartments) depend on all departments and run on every Load.
//
// The *model.Site that Load returns is new each time, with a new
// Departments slice, but a department that did not change (and its
// reports) is the same *model.Department as in the previous result: a
// caller that keeps results per department (the builder keeps each one's
// check diagnostics) knows by that which ones were read again. Callers
// must therefore treat the whole model as read-only: a change made to one
// result would show in the next.
//
// A Cache is safe for concurrent use; calls to Load run one at a time.
type Cache struct {
	fsys    fs.FS
	display string

	mu sync.Mutex
	// haveSite is false until the site configuration has been read, and
	// again when it must be re-read.
	haveSite    bool
	config      model.SiteConfig
	configDiags []diag.Diagnostic // sorted
	// listed is true when dirs and rootDiags hold the top-level listing
	// as it is now.
	listed    bool
	dirs      []string // directories at the root, in listing order
	rootDiags []diag.Diagnostic
	index     map[string]int // position in dirs
	// entries[i] is dirs[i] loaded, or nil when it must be read (again).
	entries []*deptEntry
}

// deptEntry is one directory at the content root, loaded.
type deptEntry struct {
	dept  *model.Department // nil when the loader could not use it
	diags []diag.Diagnostic // sorted, ready for diag.Merge
}

// NewCache returns an empty cache for the content tree in fsys; display
// prefixes file names in positions, as for Load. The first Load reads
// everything.
func NewCache(fsys fs.FS, display string) *Cache {
	return &Cache{fsys: fsys, display: display}
}

// Load returns the whole site and its diagnostics exactly as the function
// Load(fsys, display) would: the same site and the same diagnostics in
// the same order, provided that changed names every change since the
// previous call.
//
// changed names what was created, written or removed: paths relative to
// the content root, slash-separated, such as
// "hunan-xiangtan-minzheng/2024.yaml", "hunan-xiangtan-minzheng/2024/summary.md",
// "site.yaml", or a department's directory. changed == nil means the
// changes are not known (the first call, or the watcher lost events), and
// everything is read again. An empty, non-nil changed reads nothing.
//
// A path inside a department directory re-reads that whole department,
// since department.yaml and the directory listing bear on all its reports.
// site.yaml or site.yml re-reads the site configuration. Paths the loader
// never reads (Ignored: editor backups, hidden files, _schema) are
// skipped. The top-level listing is read again unless every change is
// inside a listed department directory that is still there; so
// departments created or removed appear and disappear, and stray files at
// the top are reported. Any other path is not understood (not a valid fs
// path, ".", or a top-level name that is neither listed now nor was
// before, such as a stray file that was removed), and everything is read
// again: the safe answer costs time, never a wrong result.
func (c *Cache) Load(changed []string) (*model.Site, []diag.Diagnostic) {
	c.mu.Lock()
	defer c.mu.Unlock()

	if changed == nil {
		c.forget()
		c.listed = false
	}
	inside := c.listed && c.onlyInside(changed)
	if inside {
		for _, p := range changed {
			if !Ignored(p) {
				top, _, _ := strings.Cut(p, "/")
				c.entries[c.index[top]] = nil
			}
		}
	} else {
		c.relist(changed)
	}
	if !c.haveSite {
		c.config, c.configDiags = LoadSite(c.fsys, c.display)
		diag.Sort(c.configDiags)
		c.haveSite = true
	}
	if c.listed {
		loaded := c.refresh()
		if inside && c.vanished(loaded) {
			// A department directory named only by the files in it was
			// removed: the listing has changed after all.
			c.relist(changed)
			if c.listed {
				c.refresh()
			}
		}
	}

	site := &model.Site{Config: c.config}
	if !c.listed {
		// Nothing under the root can be trusted to be as cached once the
		// root could not be listed (it may be replaced as a whole); start
		// afresh when it can.
		c.forget()
		return site, diag.Merge(c.configDiags, c.rootDiags)
	}
	lists := make([][]diag.Diagnostic, 0, len(c.entries)+3)
	lists = append(lists, c.configDiags, c.rootDiags)
	for _, e := range c.entries {
		lists = append(lists, e.diags)
		if e.dept != nil {
			site.Departments = append(site.Departments, e.dept)
		}
	}
	across := ValidateDepartments(site.Departments)
	diag.Sort(across)
	return site, diag.Merge(append(lists, across)...)
}

// forget drops the site configuration and every department, so that they
// are read again.
func (c *Cache) forget() {
	c.haveSite = false
	clear(c.entries)
}

// onlyInside reports whether every change is inside a listed department
// directory, so that the top-level listing need not be read again: in a
// large tree, reading it costs more than reloading a department.
func (c *Cache) onlyInside(changed []string) bool {
	for _, p := range changed {
		if !fs.ValidPath(p) {
			return false
		}
		if Ignored(p) {
			continue
		}
		top, _, inside := strings.Cut(p, "/")
		if _, ok := c.index[top]; !inside || !ok {
			return false
		}
	}
	return true
}

// vanished reports whether one of the departments just loaded (by
// position) could not be used because its directory is gone. Only then is
// it worth asking the file system.
func (c *Cache) vanished(loaded []int) bool {
	for _, i := range loaded {
		if c.entries[i].dept != nil {
			continue
		}
		if fi, err := fs.Stat(c.fsys, c.dirs[i]); err != nil || !fi.IsDir() {
			return true
		}
	}
	return false
}

// relist reads the top-level listing again and keeps the departments that
// are still listed and not named by changed. It forgets everything when it
// does not understand a path.
func (c *Cache) relist(changed []string) {
	dirs, rootDiags, ok := ReadRoot(c.fsys, c.display)
	diag.Sort(rootDiags)
	index := make(map[string]int, len(dirs))
	for i, d := range dirs {
		index[d] = i
	}
	stale := map[string]bool{}
	for _, p := range changed {
		dir, understood := c.invalidate(p, index, rootDiags)
		if !understood {
			c.forget()
			break
		}
		if dir != "" {
			stale[dir] = true
		}
	}
	entries := make([]*deptEntry, len(dirs))
	for i, d := range dirs {
		if j, ok := c.index[d]; ok && !stale[d] {
			entries[i] = c.entries[j]
		}
	}
	c.listed, c.dirs, c.rootDiags, c.index, c.entries = ok, dirs, rootDiags, index, entries
}

// invalidate works out what the change at p makes stale, given the
// listing just read (index, rootDiags) and the one before (c.index): the
// site configuration, which it marks to be read again, and the department
// directory it returns, if any. ok is false when it does not understand p.
func (c *Cache) invalidate(p string, index map[string]int, rootDiags []diag.Diagnostic) (dir string, ok bool) {
	if !fs.ValidPath(p) || p == "." {
		return "", false
	}
	if Ignored(p) {
		return "", true
	}
	top, _, inside := strings.Cut(p, "/")
	if top == "site.yaml" || top == "site.yml" {
		c.haveSite = false
		ok = true
	}
	_, before := c.index[top]
	if _, now := index[top]; before || now {
		// A department edited, created or removed.
		return top, true
	}
	file := top
	if c.display != "" {
		file = path.Join(c.display, top)
	}
	if !ok && !inside && slices.ContainsFunc(rootDiags, func(d diag.Diagnostic) bool { return d.Pos.File == file }) {
		ok = true // a stray, misnamed or linked file at the root: the listing reports it
	}
	return "", ok
}

// refresh loads the listed directories that are not cached, and returns
// their positions. They are independent, so they load in parallel, as in
// Load.
func (c *Cache) refresh() []int {
	var missing []int
	for i, e := range c.entries {
		if e == nil {
			missing = append(missing, i)
		}
	}
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, i := range missing {
		g.Go(func() error {
			dept, ds := LoadDepartment(c.fsys, c.display, c.dirs[i])
			diag.Sort(ds)
			c.entries[i] = &deptEntry{dept: dept, diags: ds}
			return nil
		})
	}
	_ = g.Wait() // the loads report problems as diagnostics, never as errors
	return missing
}
