package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"slices"
	"strings"
	"sync"

	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/model"
	"disclose/internal/output"
	"disclose/internal/site"
)

// Change says what changed since the last build.
type Change struct {
	All     bool     // unknown or everything: build from scratch
	Content []string // slash-separated paths relative to the content directory
	Theme   []string // slash-separated paths relative to the user theme directory
}

// Update is the outcome of a rebuild.
type Update struct {
	Result
	Written []string // output files added or changed, sorted
	Removed []string // output files that are gone, sorted
	Full    bool     // every file was rendered (first build, shell or template change)
	// Follow says that the site-wide pages this change can alter are not
	// written yet: Follow writes them (see DepartmentsFirst).
	Follow bool
	// Rendered counts the files rendered to find out what changed.
	Rendered int
}

// Builder keeps what one build learnt for the next, so that the preview
// reads and checks only the departments an edit touched (Cache), renders
// only what the edit can change and writes only the files whose bytes
// differ. It is not safe for concurrent Rebuilds; readers of the output
// directory take RLock. Close releases the content directory.
type Builder struct {
	o      Options
	mu     sync.RWMutex // held for writing while files of o.Out are replaced
	hashes map[string][32]byte
	shell  string
	// aggregates holds, per department, what the site-wide pages showed of
	// it at the last build (site.Site.Aggregate).
	aggregates map[string]string
	memo       *site.Memo
	// adoptKey, set by Adopt, lets the first Rebuild take the output as
	// it is when the inputs still have this key.
	adoptKey    *[32]byte
	adoptHashes content.FileHashes
	// known are the content's hashes Adopt took, for the first build.
	known content.FileHashes
	// With deferSlow, incremental rebuilds leave slow files (pending) for
	// Flush; all are the site's files as the last rebuild rendered them.
	deferSlow bool
	pending   []site.File
	all       []site.File
	// With deptFirst, a rebuild after an edit of departments writes their
	// own files and leaves the site-wide pages to Follow; follow is the
	// change those pages still wait for.
	deptFirst bool
	follow    *Change
	// fastShell renders the departments' files written first, kept while
	// the shell and years are those it was made for (fastYears).
	fastShell *site.Site
	fastYears []int
	// first is the site the first build is writing, while it does (see
	// Pending).
	firstMu sync.Mutex
	first   *firstBuild
	// The content is read from contentDir through cache, nil until the
	// first Rebuild.
	contentDir *content.Dir
	cache      *Cache
}

// DeferSlow makes incremental rebuilds leave the slow downloads (see
// site.File.Slow) to Flush, so that a preview can reload the page first.
func (b *Builder) DeferSlow() { b.deferSlow = true }

// firstBuild is the site a first build writes, once it is known.
type firstBuild struct {
	ready chan struct{} // closed once files is set, or the build ended
	once  sync.Once
	files map[string]site.File
}

func (f *firstBuild) publish(files []site.File) {
	f.once.Do(func() {
		f.files = make(map[string]site.File, len(files))
		for _, file := range files {
			f.files[file.Path] = file
		}
		close(f.ready)
	})
}

// Pending renders the file rel of the site that the first build is
// writing, while it does: a preview started where the site must be built
// first answers the page asked for as soon as the content is read (about
// 8 s at 10,000 reports), not once every file is written (40 s). It waits
// while the content is being read. ok is false when no first build is
// under way, when it failed, or when rel is not one of its files. It is
// safe to call while Rebuild runs.
func (b *Builder) Pending(ctx context.Context, rel string) ([]byte, bool, error) {
	b.firstMu.Lock()
	fb := b.first
	b.firstMu.Unlock()
	if fb == nil {
		return nil, false, nil
	}
	select {
	case <-fb.ready:
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
	f, ok := fb.files[rel]
	if !ok {
		return nil, false, nil
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, false, fmt.Errorf("render %s: %w", rel, err)
	}
	return buf.Bytes(), true, nil
}

// DepartmentsFirst makes a rebuild after an edit of some departments'
// files write those departments' own files (their reports' pages and data,
// their page) and return, so that the page being edited reloads at once;
// the site-wide pages the edit changes (lists, comparisons, categories,
// search, feed) are left to Follow, which must come next. A province's
// lists hold thousands of rows: rendering them took 1.6 s of the 1.7 s a
// save of one figure cost at 10,000 reports.
func (b *Builder) DepartmentsFirst() { b.deptFirst = true }

// Follow writes what the last Rebuild left to it (Update.Follow): the
// site-wide pages, from the content as it is now. It does nothing when
// nothing was left. Until it succeeds, every Rebuild and Flush does its
// work first.
func (b *Builder) Follow(ctx context.Context) (Update, error) {
	if b.follow == nil {
		return Update{}, nil
	}
	return b.rebuild(ctx, Change{}, false)
}

// Following says whether the last Rebuild left pages to Follow.
func (b *Builder) Following() bool { return b.follow != nil }

// Flush writes the files the last rebuild deferred.
func (b *Builder) Flush(ctx context.Context) ([]string, error) {
	if b.follow != nil {
		if _, err := b.Follow(ctx); err != nil {
			return nil, err
		}
	}
	if len(b.pending) == 0 {
		return nil, nil
	}
	pending := b.pending
	b.pending = nil
	written, _, err := b.replace(ctx, b.all, pending, false)
	if err != nil {
		b.pending = pending // still due
	}
	return written, err
}

// NewBuilder prepares builds of o.
func NewBuilder(o Options) *Builder { return &Builder{o: o, memo: &site.Memo{}} }

// Close releases the content directory the first Rebuild opened.
func (b *Builder) Close() error {
	if b.contentDir == nil {
		return nil
	}
	return b.contentDir.Close()
}

// RLock and RUnlock let a server read the output directory while no
// rebuild is replacing files in it.
func (b *Builder) RLock()   { b.mu.RLock() }
func (b *Builder) RUnlock() { b.mu.RUnlock() }

// Adopt tells whether the output is what a build of the content as it is
// now would write (the last build's record says so, see record.go), so that
// a preview can serve it at once; the first Rebuild then loads the content
// and takes the output as its own without writing it, unless the content
// or the output changed meanwhile.
func (b *Builder) Adopt(ctx context.Context) bool {
	known := readHashes(b.o.Out)
	key, tree, err := inputKey(ctx, b.o, known)
	if err != nil {
		return false
	}
	// Not up to date: the first build keys the tree again from these,
	// reading only what changed since (at 10,000 reports, reading every
	// file takes 2 s).
	b.known = tree.Files
	if _, _, ok := upToDate(ctx, b.o, key); !ok {
		return false
	}
	writeHashes(b.o.Out, known, tree.Files)
	b.adoptHashes = tree.Files
	b.adoptKey = &key
	return true
}

// adopt gives the hashes of the output's files when the inputs still have
// key, the output is still as recorded and holds exactly files.
func (b *Builder) adopt(ctx context.Context, key [32]byte, files []site.File) (map[string][32]byte, bool) {
	now, _, err := inputKey(ctx, b.o, b.adoptHashes)
	b.adoptHashes = nil
	if err != nil || now != key {
		return nil, false
	}
	_, records, ok := upToDate(ctx, b.o, key)
	if !ok || len(records) != len(files) {
		return nil, false
	}
	hashes := make(map[string][32]byte, len(files))
	for _, f := range files {
		rec, ok := records[f.Path]
		if !ok {
			return nil, false
		}
		hashes[f.Path] = rec.Hash
	}
	return hashes, true
}

// Rebuild builds after ch. The first build, and any build after a change of
// the site's shell (configuration, years, templates), renders everything;
// later ones render the files whose scope the change touches. On error the
// output directory is left as it was.
func (b *Builder) Rebuild(ctx context.Context, ch Change) (Update, error) {
	return b.rebuild(ctx, ch, b.deptFirst)
}

func (b *Builder) rebuild(ctx context.Context, ch Change, deptFirst bool) (Update, error) {
	var u Update
	if b.follow != nil {
		// What the last rebuild left to Follow is due with this change.
		ch = merge(*b.follow, ch)
	}
	// A first build that does not adopt a site already there writes a
	// new one, whose pages Pending gives meanwhile.
	var fb *firstBuild
	if b.hashes == nil && b.adoptKey == nil {
		fb = &firstBuild{ready: make(chan struct{})}
		b.firstMu.Lock()
		b.first = fb
		b.firstMu.Unlock()
		defer func() {
			b.firstMu.Lock()
			b.first = nil
			b.firstMu.Unlock()
			fb.publish(nil)
		}()
	}
	if b.o.Out == "" {
		return u, errors.New("no output directory")
	}
	if err := checkReplaceable(b.o.Out); err != nil {
		return u, err
	}
	// The first build keys the content before it reads it, for the
	// manifest: an edit made meanwhile then shows as a changed key, never
	// as an old key on new pages.
	var tree *content.Keys
	if b.cache == nil {
		known := b.known
		if known == nil {
			known = readHashes(b.o.Out)
		}
		b.known = nil
		if _, keys, err := inputKey(ctx, b.o, known); err == nil {
			tree = &keys
		}
	}
	if keyedHook != nil {
		keyedHook()
	}
	m, ds, err := b.loadContent(ch)
	if err != nil {
		return u, err
	}
	u.Diagnostics = ds
	if diag.HasErrors(ds) {
		return u, ErrContent
	}
	if deptFirst && b.hashes != nil && b.all != nil && !ch.All && len(ch.Theme) == 0 {
		if u, ok, err := b.departmentsFirst(ctx, ch, m, ds); ok || err != nil {
			return u, err
		}
	}
	s, files, err := render(b.o, m, ds, b.memo)
	if err != nil {
		return u, err
	}
	if fb != nil {
		fb.publish(files)
	}
	u.RelativeSitemap = !s.HasBaseURL()
	u.Shortfalls = s.Shortfalls()
	u.Files = len(files)

	shell := s.Shell()
	full := b.hashes == nil || ch.All || shell != b.shell || touchesTemplates(ch.Theme)
	if b.hashes == nil && b.adoptKey != nil {
		key := *b.adoptKey
		b.adoptKey = nil
		if hashes, ok := b.adopt(ctx, key, files); ok {
			b.aggregates = aggregates(s, m)
			b.hashes, b.shell, b.all = hashes, shell, files
			u.Reused, u.UpToDate = len(files), true
			return u, nil
		}
	}
	if b.hashes == nil {
		// Nothing of ours is known to be in the output yet: write a whole
		// new site beside it and swap it in.
		if tree != nil {
			tree = rekey(ctx, b.o, tree)
		}
		b.aggregates = aggregates(s, m)
		w, err := writeFresh(ctx, b.o, files, b.manifest(tree, site.Years(m), shell))
		if err != nil {
			b.aggregates = nil
			return u, err
		}
		b.hashes, b.shell, b.all = w.Hashes, shell, files
		u.Full, u.Rendered, u.Reused = true, len(files)-w.Reused, w.Reused
		u.Written = sortedKeys(w.Hashes)
		return u, nil
	}
	var (
		selected      []site.File
		newAggregates map[string]string
		sameSet       bool
	)
	if full {
		selected, newAggregates = slices.Clone(files), aggregates(s, m)
	} else {
		selected, newAggregates, sameSet = b.select_(s, m, files, ch)
	}
	// Files deferred by the last rebuild and not yet flushed are due now.
	for _, f := range b.pending {
		if !slices.ContainsFunc(selected, func(s site.File) bool { return s.Path == f.Path }) {
			if i := slices.IndexFunc(files, func(n site.File) bool { return n.Path == f.Path }); i >= 0 {
				selected = append(selected, files[i])
			}
		}
	}
	b.pending, b.all = nil, files
	if b.deferSlow {
		now := selected[:0:0]
		for _, f := range selected {
			if f.Slow {
				b.pending = append(b.pending, f)
			} else {
				now = append(now, f)
			}
		}
		selected = now
	}
	u.Rendered = len(selected)
	written, removed, err := b.replace(ctx, files, selected, sameSet)
	if err != nil {
		return u, err
	}
	if full {
		b.fastShell = nil // the theme, profiles or settings changed
	}
	b.shell, b.aggregates, b.follow = shell, newAggregates, nil
	u.Full, u.Written, u.Removed = full, written, removed
	return u, nil
}

// departmentsFirst writes the own files of the departments ch touched,
// rendered on the site's shell alone (as a streamed build renders them),
// and leaves the rest to Follow. ok is false, and nothing is written,
// when the edit does more than change departments that were there and
// stay: a top-level file, a department that came or went, a new year
// (the shell of every page).
func (b *Builder) departmentsFirst(ctx context.Context, ch Change, m *model.Site, ds []diag.Diagnostic) (u Update, ok bool, err error) {
	ids := map[string]bool{}
	for _, p := range ch.Content {
		dept, rest, found := strings.Cut(p, "/")
		if !found || rest == "" {
			return u, false, nil
		}
		if !strings.HasPrefix(dept, "_") && !strings.HasPrefix(dept, ".") {
			ids[dept] = true
		}
	}
	depts := make([]*model.Department, 0, len(ids))
	for _, d := range m.Departments {
		if ids[d.ID] {
			depts = append(depts, d)
		}
	}
	if len(depts) == 0 || len(depts) != len(ids) {
		return u, false, nil
	}
	for _, d := range depts {
		if _, had := b.aggregates[d.ID]; !had {
			return u, false, nil
		}
	}
	years := site.Years(m)
	if b.fastShell == nil || !slices.Equal(years, b.fastYears) {
		themeFS, opts, err := siteOptions(b.o, nil)
		if err != nil {
			return u, true, err
		}
		sh, err := site.NewShell(&m.Config, years, themeFS, opts)
		if err != nil {
			return u, true, err
		}
		b.fastShell, b.fastYears = sh, years
	}
	sh := b.fastShell
	if sh.Shell() != b.shell {
		return u, false, nil
	}
	var own, selected []site.File
	for _, d := range depts {
		files := sh.DepartmentFiles(d, site.DepartmentDiagnostics(m, ds, d.ID))
		own = append(own, files...)
		selected = append(selected, editedFiles(d, ch.Content, files)...)
	}
	defer func() {
		for _, d := range depts {
			sh.Done(d)
		}
	}()
	// The site's files with these departments' own as they are now.
	all := make([]site.File, 0, len(b.all)+len(own))
	var before []string
	for _, f := range b.all {
		if f.Scope.Kind == site.DeptScope && ids[f.Scope.Dept] {
			before = append(before, f.Path)
		} else {
			all = append(all, f)
		}
	}
	all = append(all, own...)
	after := make([]string, len(own))
	for i, f := range own {
		after[i] = f.Path
	}
	slices.Sort(before)
	slices.Sort(after)
	written, removed, err := b.replace(ctx, all, selected, slices.Equal(before, after))
	if err != nil {
		return u, true, err
	}
	b.all = all
	b.follow = &ch
	u.Diagnostics, u.Files, u.RelativeSitemap = ds, len(all), !sh.HasBaseURL()
	u.Rendered, u.Written, u.Removed, u.Follow = len(selected), written, removed, true
	return u, true, nil
}

// editedFiles picks, of d's own files, those of the reports whose files
// changed (a report's page and data): the page being edited is one of
// them. An edit of any other file of d (department.yaml, its duties)
// picks all. The rest (the department's page, its other reports' pages,
// which may compare with the edited one) come with Follow.
func editedFiles(d *model.Department, changed []string, files []site.File) []site.File {
	var prefixes []string
	for _, p := range changed {
		dept, _, _ := strings.Cut(p, "/")
		if dept != d.ID {
			continue
		}
		var of *model.Report
		for _, r := range d.Reports {
			if slices.ContainsFunc(r.Files, func(f string) bool { return f == p || strings.HasSuffix(f, "/"+p) }) {
				of = r
				break
			}
		}
		if of == nil {
			return files
		}
		key := d.ID + "/" + of.Key() + "."
		prefixes = append(prefixes, "reports/"+key, "data/"+key)
	}
	var out []site.File
	for _, f := range files {
		if slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(f.Path, p) }) {
			out = append(out, f)
		}
	}
	return out
}

// merge is the change of a and then b.
func merge(a, b Change) Change {
	return Change{
		All:     a.All || b.All,
		Content: slices.Concat(a.Content, b.Content),
		Theme:   slices.Concat(a.Theme, b.Theme),
	}
}

// loadContent loads and checks the content after ch through the builder's
// Cache. The first call opens the content directory; later ones find the
// directory again by its path (content.Dir.Reopen) first, so that a
// directory replaced as a whole is read anew.
func (b *Builder) loadContent(ch Change) (*model.Site, []diag.Diagnostic, error) {
	if b.cache == nil {
		dir, err := content.OpenDir(b.o.Content)
		if err != nil {
			return nil, nil, err
		}
		b.contentDir = dir
		b.cache = NewCache(dir, contentRootName(b.o))
		m, ds := b.cache.Load(nil)
		return m, ds, nil
	}
	var changed []string
	if !ch.All {
		changed = ch.Content
	}
	if _, err := os.Stat(b.o.Content); err != nil {
		return nil, nil, fmt.Errorf("content directory: %w", err)
	}
	if err := b.contentDir.Reopen(); err != nil {
		return nil, nil, err
	}
	m, ds := b.cache.Load(changed)
	return m, ds, nil
}

// manifest gives this build's keys (those a streamed build gives, see
// stream), or nil when they cannot be known.
func (b *Builder) manifest(tree *content.Keys, years []int, shell string) *manifest {
	if tree == nil {
		return nil
	}
	m := &manifest{key: streamKey(b.o, tree, years, shell), depts: make(map[string]deptKeys, len(b.aggregates))}
	for id, agg := range b.aggregates {
		if input, ok := tree.Depts[id]; ok {
			m.depts[id] = deptKeys{input: input, aggregate: sha256.Sum256([]byte(agg))}
		}
	}
	return m
}

// rekey gives tree as it stands for what was read after it was taken: a
// department edited meanwhile keeps no key (the next build reads it again,
// and this one takes none of its files from the previous site), and an
// edit of the site's own files leaves no keys at all.
func rekey(ctx context.Context, o Options, tree *content.Keys) *content.Keys {
	_, now, err := inputKey(ctx, o, tree.Files)
	if err != nil || now.Site != tree.Site {
		return nil
	}
	for id, k := range tree.Depts {
		if now.Depts[id] != k {
			tree.Depts[id] = [32]byte{}
		}
	}
	return tree
}

// keyedHook, when set by a test, runs after the first build keyed the
// content and before it reads it.
var keyedHook func()

func touchesTemplates(theme []string) bool {
	for _, p := range theme {
		if !strings.HasPrefix(p, "assets/") {
			return true
		}
	}
	return false
}

func aggregates(s *site.Site, m *model.Site) map[string]string {
	out := make(map[string]string, len(m.Departments))
	for _, d := range m.Departments {
		out[d.ID] = s.Aggregate(d.ID)
	}
	return out
}

// select_ picks the files a change can affect: the files of the departments
// whose content changed, the theme assets that changed, any file the last
// build did not have, and the files about all reports, but those only when
// what they show of a changed department differs (or a department came or
// went). The slow site-wide downloads hold every figure, so any content
// change selects them. It returns the departments' new aggregates, and
// whether only the changed departments' files can have come or gone.
func (b *Builder) select_(s *site.Site, m *model.Site, files []site.File, ch Change) ([]site.File, map[string]string, bool) {
	depts := map[string]bool{}
	contentChanged := false
	for _, p := range ch.Content {
		dept, _, _ := strings.Cut(p, "/")
		if dept == "" || strings.HasPrefix(dept, "_") || strings.HasPrefix(dept, ".") {
			continue // not content the loader reads
		}
		contentChanged = true
		depts[dept] = true
	}
	aggs := maps.Clone(b.aggregates)
	aggregateChanged := false
	if contentChanged {
		present := map[string]bool{}
		for _, d := range m.Departments {
			present[d.ID] = true
		}
		for dept := range depts {
			old, had := aggs[dept]
			if !present[dept] {
				if had {
					delete(aggs, dept)
					aggregateChanged = true
				}
				continue
			}
			now := s.Aggregate(dept)
			if !had || now != old {
				aggs[dept] = now
				aggregateChanged = true
			}
		}
	}
	assets := map[string]bool{}
	for _, p := range ch.Theme {
		assets[path.Clean(p)] = true
	}
	// Outside the changed departments, files come and go only with the
	// site-wide aggregates (category pages) or the theme (assets); when
	// neither changed, no other file needs looking up. A province has tens
	// of thousands of files, so this keeps a save's rebuild short.
	sameSet := !aggregateChanged && len(ch.Theme) == 0
	var out []site.File
	for _, f := range files {
		known := true
		if !sameSet || (f.Scope.Kind == site.DeptScope && depts[f.Scope.Dept]) {
			_, known = b.hashes[f.Path]
		}
		switch {
		case !known:
		case f.Scope.Kind == site.AllScope && f.Slow && contentChanged:
		case f.Scope.Kind == site.AllScope && aggregateChanged:
		case f.Scope.Kind == site.DeptScope && depts[f.Scope.Dept]:
		case f.Scope.Kind == site.AssetScope && assets[f.Path]:
		default:
			continue
		}
		out = append(out, f)
	}
	return out, aggs, sameSet
}

// replace renders selected into a staging directory beside the output,
// then, holding the write lock, moves the changed files into place and
// deletes the files the site no longer has. With sameSet, only selected
// files can be new, which makes finding removed files cheap.
func (b *Builder) replace(ctx context.Context, all, selected []site.File, sameSet bool) (written, removed []string, err error) {
	st, err := output.BeginStage(ctx, b.o.Out, outputOptions(b.o))
	if err != nil {
		return nil, nil, err
	}
	defer st.Close()
	plan := writePlan(b.o)
	plan.Old = b.hashes
	w, err := st.WriteAll(ctx, outputFiles(selected), plan)
	if err != nil {
		return nil, nil, err
	}
	hashes := w.Hashes
	for p, h := range hashes {
		if old, ok := b.hashes[p]; !ok || old != h {
			written = append(written, p)
		}
	}
	unknown := 0
	if sameSet {
		for _, f := range selected {
			if _, ok := b.hashes[f.Path]; !ok {
				unknown++
			}
		}
	}
	// Every old file is still there when the counts say so.
	if !sameSet || len(b.hashes)+unknown != len(all) {
		keep := make(map[string]bool, len(all))
		for _, f := range all {
			keep[f.Path] = true
		}
		for p := range b.hashes {
			if !keep[p] {
				removed = append(removed, p)
			}
		}
	}
	slices.Sort(written)
	slices.Sort(removed)

	b.mu.Lock()
	defer b.mu.Unlock()
	// Written files are in hashes, removed ones are not (they are not in
	// the site any more), so b.hashes follows the output even when Apply
	// stops half-way.
	err = st.Apply(written, removed, func(p string) {
		if h, ok := hashes[p]; ok {
			b.hashes[p] = h
		} else {
			delete(b.hashes, p)
		}
	})
	if err != nil {
		return nil, nil, err
	}
	return written, removed, nil
}

func sortedKeys(m map[string][32]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
