package build

import (
	"context"
	"io/fs"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"golang.org/x/sync/errgroup"

	"disclose/internal/check"
	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/model"
)

// Load reads and checks the content directory dir: the loader's shape
// diagnostics and the checker's reconciliation warnings, sorted together.
// It is for the commands that check without building (disclose check,
// charts); the error is for a directory that cannot be opened, or ctx
// ended. Loading itself is not interrupted: it takes seconds at most.
func Load(ctx context.Context, dir string) (*model.Site, []diag.Diagnostic, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	root, err := content.OpenDir(dir)
	if err != nil {
		return nil, nil, err
	}
	defer root.Close()
	site, ds := LoadFS(root, filepath.ToSlash(filepath.Clean(dir)))
	return site, ds, ctx.Err()
}

// LoadFS is Load of the content tree in fsys; display prefixes file names
// in positions (see content.Load). Tests load trees held in memory with it.
func LoadFS(fsys fs.FS, display string) (*model.Site, []diag.Diagnostic) {
	site, ds := content.Load(fsys, display)
	ds = append(ds, check.Site(site)...)
	diag.Sort(ds)
	return site, ds
}

// Cache loads and checks a content tree again after edits: content.Cache
// re-reads the departments whose files changed, and only those are checked
// again, since a department's checks (check.Department) depend on that
// department alone. The site-wide checks (check.Config) run every time;
// they are cheap. Load gives what LoadFS gives, in the same order.
//
// As with content.Cache, the model Load returns shares unchanged
// departments with the previous result and must be treated as read-only.
// A Cache is safe for concurrent use; calls to Load run one at a time.
type Cache struct {
	content *content.Cache
	mu      sync.Mutex
	// checked holds each department of the last result with its check
	// diagnostics, sorted. A department content.Cache read again is a new
	// value, so it is not found here and is checked.
	checked map[*model.Department][]diag.Diagnostic
}

// NewCache returns an empty cache for the content tree in fsys, named
// display in positions. The first Load reads and checks everything.
func NewCache(fsys fs.FS, display string) *Cache {
	return &Cache{content: content.NewCache(fsys, display)}
}

// Load returns the site and all diagnostics after the changes named by
// changed, with the meaning content.Cache.Load gives it (nil: unknown,
// read everything).
func (c *Cache) Load(changed []string) (*model.Site, []diag.Diagnostic) {
	c.mu.Lock()
	defer c.mu.Unlock()
	site, loadDiags := c.content.Load(changed)

	checked := make(map[*model.Department][]diag.Diagnostic, len(site.Departments))
	var todo []*model.Department
	for _, d := range site.Departments {
		if ds, ok := c.checked[d]; ok {
			checked[d] = ds
		} else {
			todo = append(todo, d)
		}
	}
	results := make([][]diag.Diagnostic, len(todo))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, d := range todo {
		g.Go(func() error {
			results[i] = check.Department(d)
			diag.Sort(results[i])
			return nil
		})
	}
	_ = g.Wait() // checks report problems as diagnostics, never as errors
	for i, d := range todo {
		checked[d] = results[i]
	}
	c.checked = checked

	// As LoadFS: the loader's diagnostics first among equals, then the
	// checker's, settings first and departments in order.
	config := slices.Clone(check.Config(&site.Config))
	diag.Sort(config)
	lists := make([][]diag.Diagnostic, 0, len(site.Departments)+2)
	lists = append(lists, loadDiags, config)
	for _, d := range site.Departments {
		lists = append(lists, checked[d])
	}
	return site, diag.Merge(lists...)
}
