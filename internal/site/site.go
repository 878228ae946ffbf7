// Package site renders the checked content into the files of the static
// site: pages from the theme's templates, charts, open data, feeds and the
// theme's assets. It writes nothing itself; the build package decides
// where the files go.
//
// A department's own files (its reports' pages and data, its page) are
// rendered from its model; the site-wide files (lists, comparisons,
// categories, 公开情况, search index, feed, sitemap) only from the
// departments' digests (Digest), so that a build can drop each model as
// soon as its files are written.
//
// Layer 5 (see internal/arch): it may import the layers below it: the
// model, diagnostics, the render parts (charts, opendata, theme,
// compliance, markdown, econclass, tables), never loading nor build.
package site

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"disclose/internal/compliance"
	"disclose/internal/diag"
	"disclose/internal/markdown"
	"disclose/internal/model"
	"disclose/internal/opendata"
	"disclose/internal/theme"
)

// Options are the settings of one build beyond the content.
type Options struct {
	// BaseURL is the absolute address of the site root. Only sitemap.xml,
	// feed.xml and canonical links use it; every link between pages stays
	// relative so that the site works from any sub-path and from file://.
	BaseURL string
	// Generator names the tool in the generator meta tag.
	Generator string
	// Memo, when given, keeps work between builds of the same content
	// (the preview): see Memo.
	Memo *Memo
	// PageSize is the most rows a list page shows; 0 means PageSize.
	// Only tests set it, to paginate small sites.
	PageSize int
	// Downloads, when set, gives the writers of data/all.csv and
	// data/all.xlsx, for a build that keeps the departments' share of
	// them (opendata parts) rather than the model; nil writes them from
	// the model New was given.
	Downloads func() (csv, xlsx func(io.Writer) error)
	// Cold, when set, is where the build put the digests' parts that
	// few pages read (Digest.Offload); a page rendered after it failed
	// fails too.
	Cold *ColdStore
	// Profiles are the disclosure-compliance profiles the 公开情况 page
	// may use (site.yaml profile:); nil means the embedded ones alone.
	Profiles *compliance.Profiles
}

// Memo keeps the digests of one build for the next (the preview). The
// preview's loader hands back the same *model.Department for a department
// it did not reread, and the model is read-only once loaded, so its digest
// still holds while its diagnostics and the profile are the same.
type Memo struct {
	mu      sync.Mutex
	digests map[*model.Department]memoEntry
}

type memoEntry struct {
	digest  *Digest
	diags   []diag.Diagnostic
	profile string
}

// digest returns d's digest from the last build, or works it out.
func (m *Memo) digest(s *Site, d *model.Department, diags []diag.Diagnostic) *Digest {
	if m == nil {
		return s.Digest(d, diags)
	}
	m.mu.Lock()
	e, ok := m.digests[d]
	m.mu.Unlock()
	if ok && e.profile == s.profileKey && slices.EqualFunc(e.diags, diags, sameDiagnostic) {
		return e.digest
	}
	g := s.Digest(d, diags)
	m.mu.Lock()
	if m.digests == nil {
		m.digests = map[*model.Department]memoEntry{}
	}
	m.digests[d] = memoEntry{g, diags, s.profileKey}
	m.mu.Unlock()
	return g
}

// keep forgets the departments that are no longer part of the site.
func (m *Memo) keep(depts []*model.Department) {
	if m == nil {
		return
	}
	live := make(map[*model.Department]bool, len(depts))
	for _, d := range depts {
		live[d] = true
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for d := range m.digests {
		if !live[d] {
			delete(m.digests, d)
		}
	}
}

func sameDiagnostic(a, b diag.Diagnostic) bool {
	return a.Pos == b.Pos && a.Severity == b.Severity && a.Rule == b.Rule && a.Stated == b.Stated &&
		a.Computed == b.Computed && slices.Equal(a.Args, b.Args)
}

// File is one output of the site, rendered when Write is called so that a
// build can stream pages to disk in parallel instead of holding the site.
type File struct {
	Path  string // slash-separated, relative to the site root
	Write func(w io.Writer) error
	// Scope says what the file depends on, so that a rebuild after an edit
	// renders only what the edit can change. Every page also depends on
	// the site's shell: its configuration, theme and list of years.
	Scope Scope
	// Slow marks a download of the whole site (all reports as CSV and
	// XLSX): no page shows it, so a preview may write it after the pages.
	Slow bool
}

// Scope is what a file depends on besides the shell.
type Scope struct {
	Kind Kind
	Dept string // the department, for DeptScope
}

// Kind of dependency.
type Kind int

const (
	AllScope   Kind = iota // every report: lists, comparisons, feeds, downloads of all
	DeptScope              // one department's reports
	ShellScope             // nothing but the shell (glossary, search page, 404)
	AssetScope             // a theme file copied as it is
)

// Shell identifies what every page shows besides its own content. When it
// changes between builds, every page must be rendered again.
func (s *Site) Shell() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%+v|%s|%v|%s", *s.cfg, s.baseURL, s.years, s.profileKey)
	return b.String()
}

// Site renders one content tree with one theme: each department's own
// files from its model (DepartmentFiles), and the site-wide files from
// the departments' digests (SiteFiles). New does both over a whole model.
type Site struct {
	cfg      *model.SiteConfig
	theme    fs.FS
	pages    map[string]*template.Template
	opts     Options
	prose    *prose
	checks   *deptChecks
	years    []int // newest first
	baseURL  string
	footer   template.HTML
	intro    template.HTML
	pageSize int
	// profile is the compliance profile the 公开情况 page uses,
	// profileKey that profile as data (for Shell), and siteCompliance what
	// it finds of site.yaml itself.
	profile        *compliance.Profile
	profileKey     string
	siteCompliance compliance.Result

	// Set by New: the model, and its departments by ID.
	m     *model.Site
	depts map[string]*model.Department

	// Set by index, from the digests.
	digests  []*Digest
	released []*Digest // what Release left of them: their findings
	byID     map[string]*Digest
	reports  []*ReportDigest // every report, newest year first, then department order
	category []categoryRef
	byYear   map[int][]*ReportDigest // each year's reports, in department order
	compared map[int][]*ReportDigest // each year's self-evaluation reports: the ones compared side by side
	lists    []listPage              // the report list by year and page; nil when one table holds it
	split    map[int][]regionGroup   // the years whose comparison is split by region
	// compliance is every department-year against the profile; tally
	// what the 公开情况 pages count of each year (complianceTally).
	compliance []complianceDeptYear
	tallyOnce  sync.Once
	tally      map[int]complianceYear
}

// requiredAssets must be in every theme: without them the pages would
// render but charts or preferences would silently fail.
var requiredAssets = []string{
	"assets/vendor/echarts/echarts.min.js",
	"assets/css/site.css",
	"assets/js/site.js",
	"assets/js/prefs.js",
}

// New prepares the rendering of m. diags are the checker's findings; those
// a reader should see are shown on the pages of their report.
func New(m *model.Site, diags []diag.Diagnostic, themeFS fs.FS, opts Options) (*Site, error) {
	s, err := NewShell(&m.Config, Years(m), themeFS, opts)
	if err != nil {
		return nil, err
	}
	s.m = m
	s.checks = &deptChecks{m: m, diags: diags, byDept: map[string][]diag.Diagnostic{}}
	s.depts = make(map[string]*model.Department, len(m.Departments))
	digests := make([]*Digest, len(m.Departments))
	for i, d := range m.Departments {
		s.depts[d.ID] = d
		digests[i] = opts.Memo.digest(s, d, s.checks.of(d.ID))
	}
	opts.Memo.keep(m.Departments)
	s.index(digests)
	return s, nil
}

// Years are the years m reports on, newest first: what every page's
// navigation links to.
func Years(m *model.Site) []int {
	var years []int
	for _, d := range m.Departments {
		for _, r := range d.Reports {
			years = append(years, r.Year)
		}
	}
	return newestFirst(years)
}

// DigestYears are the years digests report on, newest first: Years of the
// model they were taken from.
func DigestYears(digests []*Digest) []int {
	var years []int
	for _, g := range digests {
		for _, r := range g.Reports {
			years = append(years, r.Year)
		}
	}
	return newestFirst(years)
}

func newestFirst(years []int) []int {
	slices.Sort(years)
	years = slices.Compact(years)
	slices.Reverse(years)
	return years
}

// NewShell prepares what every page of a site shares: its settings,
// theme, the years it reports on (newest first) and the compliance
// profile. Add departments with Digest and DepartmentFiles, and the
// site-wide files with SiteFiles.
func NewShell(cfg *model.SiteConfig, years []int, themeFS fs.FS, opts Options) (*Site, error) {
	for _, a := range requiredAssets {
		if _, err := fs.Stat(themeFS, a); err != nil {
			if strings.Contains(a, "echarts") {
				return nil, fmt.Errorf("theme: %s is missing: ECharts comes from npm; run `make assets` (npm ci, then copy node_modules/echarts/dist/echarts.min.js) before building the binary", a)
			}
			return nil, fmt.Errorf("theme: %s is missing", a)
		}
	}
	s := &Site{cfg: cfg, theme: themeFS, opts: opts, prose: newProse(markdown.New(3)), pageSize: cmp.Or(max(opts.PageSize, 0), PageSize), years: years}
	s.checks = &deptChecks{byDept: map[string][]diag.Diagnostic{}, all: true}
	base := opts.BaseURL
	if base == "" {
		base = cfg.BaseURL
	}
	if base != "" {
		u, err := url.Parse(base)
		if err != nil || !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, fmt.Errorf("base URL %q: must be an absolute http(s) address such as https://www.example.gov.cn/xxgk/jx/", base)
		}
		if !strings.HasSuffix(base, "/") {
			base += "/"
		}
	}
	s.baseURL = base
	pages, err := theme.Templates(themeFS, s.funcs())
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"home", "list", "report", "department", "compare", "categories", "category", "glossary", "compliance", "search", "404"} {
		if pages[name] == nil {
			return nil, fmt.Errorf("theme: templates/%s.html is missing", name)
		}
	}
	s.pages = pages
	s.footer = markdown.New(2).HTML(cfg.Footer)
	s.intro = markdown.New(2).HTML(cfg.Description)
	if err := s.checkCompliance(); err != nil {
		return nil, err
	}
	return s, nil
}

// index lays out the site-wide files over the departments' digests, in
// department order.
func (s *Site) index(digests []*Digest) {
	s.digests = digests
	s.reports = nil
	s.byID = make(map[string]*Digest, len(digests))
	for _, g := range digests {
		g.link()
		s.byID[g.ID] = g
		s.reports = append(s.reports, g.Reports...)
	}
	slices.SortStableFunc(s.reports, func(a, b *ReportDigest) int { return b.Year - a.Year })
	s.category = categoriesOf(comparable(s.reports))
	s.indexCompliance()
	s.plan()
}

// deptChecks hands out the diagnostics of one department. A rebuild after
// an edit asks for one department among thousands, which a scan answers
// at once; a build that asks for many gets them grouped in one pass.
type deptChecks struct {
	m      *model.Site
	diags  []diag.Diagnostic
	mu     sync.Mutex
	root   string
	rooted bool
	byDept map[string][]diag.Diagnostic
	asked  int
	all    bool
}

// scanLimit is how many departments are looked up one by one before the
// diagnostics are grouped all at once.
const scanLimit = 16

func (c *deptChecks) of(id string) []diag.Diagnostic {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ds, ok := c.byDept[id]; ok || c.all {
		return ds
	}
	if c.m == nil {
		return nil
	}
	if !c.rooted {
		c.root, c.rooted = contentRoot(c.m), true
	}
	c.asked++
	if c.asked > scanLimit {
		c.byDept, c.all = map[string][]diag.Diagnostic{}, true
		for _, d := range c.diags {
			if dept, ok := c.deptOf(d.Pos.File); ok {
				c.byDept[dept] = append(c.byDept[dept], d)
			}
		}
		return c.byDept[id]
	}
	var out []diag.Diagnostic
	for _, d := range c.diags {
		if dept, ok := c.deptOf(d.Pos.File); ok && dept == id {
			out = append(out, d)
		}
	}
	c.byDept[id] = out
	return out
}

// DepartmentDiagnostics picks out of diags, the diagnostics of all of m,
// those of department id: what DepartmentFiles is given for it, as New
// would find them.
func DepartmentDiagnostics(m *model.Site, diags []diag.Diagnostic, id string) []diag.Diagnostic {
	c := &deptChecks{m: m, diags: diags, byDept: map[string][]diag.Diagnostic{}}
	return c.of(id)
}

// put gives the diagnostics of department id, for a build that hands
// them out one department at a time; forget drops them once its files
// are written.
func (c *deptChecks) put(id string, ds []diag.Diagnostic) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byDept[id] = ds
}

func (c *deptChecks) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.byDept, id)
}

// deptOf is the department directory a content file is in.
func (c *deptChecks) deptOf(file string) (string, bool) {
	rel := file
	if c.root != "." {
		var ok bool
		if rel, ok = strings.CutPrefix(file, c.root+"/"); !ok {
			return "", false
		}
	}
	dept, _, ok := strings.Cut(rel, "/")
	return dept, ok
}

// contentRoot is the directory the content files are named under, found
// from any report's files: <root>/<department id>/....
func contentRoot(m *model.Site) string {
	for _, d := range m.Departments {
		for _, r := range d.Reports {
			for _, f := range r.Files {
				if dir := path.Dir(f); path.Base(dir) == d.ID {
					return path.Dir(dir)
				}
			}
		}
	}
	return "."
}

// checksOf returns the diagnostics found in r's files.
func (s *Site) checksOf(r *model.Report) []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, d := range s.checks.of(r.Department.ID) {
		if slices.Contains(r.Files, d.Pos.File) {
			out = append(out, d)
		}
	}
	return out
}

// Files lists every output of the site in a fixed order.
func (s *Site) Files() ([]File, error) {
	if s.m == nil {
		return nil, fmt.Errorf("site: Files needs the model (New); a streamed build uses DepartmentFiles and SiteFiles")
	}
	return s.files(func(id string) *model.Department { return s.depts[id] })
}

// DepartmentFiles are d's own files: its reports' pages and data, and its
// page. diags are the checker's findings in its files. Call Done once
// they are written.
func (s *Site) DepartmentFiles(d *model.Department, diags []diag.Diagnostic) []File {
	s.checks.put(d.ID, diags)
	var out []File
	add := func(p string, w func(io.Writer) error) {
		out = append(out, File{Path: p, Write: w, Scope: Scope{Kind: DeptScope, Dept: d.ID}})
	}
	for _, r := range d.Reports {
		s.reportFiles(r, add)
	}
	if len(d.Reports) > 0 {
		s.departmentFile(d, add)
	}
	return out
}

// Done forgets what the files of d kept for their rendering: its
// diagnostics and the texts its pages share.
func (s *Site) Done(d *model.Department) {
	s.checks.forget(d.ID)
	s.prose.forget(d)
}

// SiteFiles are the files about all departments, rendered from their
// digests (in department order): every file but DepartmentFiles'.
func (s *Site) SiteFiles(digests []*Digest) ([]File, error) {
	if s.opts.Downloads == nil {
		return nil, fmt.Errorf("site: SiteFiles needs Options.Downloads: without the model, all.csv and all.xlsx come from the departments' parts")
	}
	s.index(digests)
	return s.files(nil)
}

func (s *Site) reportFiles(r *model.Report, add func(string, func(io.Writer) error)) {
	p := reportPath(r)
	add(p, s.page("report", p, func(pg *page) any { return s.reportView(r, pg) }))
	add(dataPath(r, "json"), func(w io.Writer) error { return writeBytes(w, reportJSON(r)) })
	add(dataPath(r, "csv"), func(w io.Writer) error { return writeBytes(w, reportCSV(r)) })
}

func (s *Site) departmentFile(d *model.Department, add func(string, func(io.Writer) error)) {
	p := departmentPath(d)
	add(p, s.page("department", p, func(pg *page) any { return s.departmentView(d, pg) }))
}

// files lists the outputs in their fixed order. Without dept (a streamed
// build), each department's files are left out: they were written with
// DepartmentFiles, and only their paths count (the sitemap lists them).
func (s *Site) files(dept func(id string) *model.Department) ([]File, error) {
	var out []File
	var pages []string // every page, in order, for the sitemap
	scope := Scope{Kind: AllScope}
	add := func(p string, w func(io.Writer) error) {
		out = append(out, File{Path: p, Write: w, Scope: scope})
		if isPage(p) {
			pages = append(pages, p)
		}
	}
	// A department's file written already counts only as a page of the
	// sitemap: listed among the files, they were 10 MB at 30,000 reports,
	// at the moment every digest is held.
	placeholder := func(p string, _ func(io.Writer) error) {
		if isPage(p) {
			pages = append(pages, p)
		}
	}
	add("index.html", s.page("home", "index.html", s.homeView))
	for _, l := range s.lists {
		if l.Path != "index.html" {
			add(l.Path, s.page("list", l.Path, func(pg *page) any { return s.listView(l, pg) }))
		}
	}
	for _, rd := range s.reports {
		scope = Scope{Kind: DeptScope, Dept: rd.dept.ID}
		if dept == nil {
			p := rd.path()
			placeholder(p, nil)
			placeholder(strings.TrimSuffix(strings.Replace(p, "reports/", "data/", 1), ".html")+".json", nil)
			placeholder(strings.TrimSuffix(strings.Replace(p, "reports/", "data/", 1), ".html")+".csv", nil)
			continue
		}
		s.reportFiles(s.reportOf(dept(rd.dept.ID), rd), add)
	}
	// Every department has its page, one report or many: it is where its
	// offices, duties and every document it published are found.
	for _, g := range s.digests {
		if len(g.Reports) > 0 {
			scope = Scope{Kind: DeptScope, Dept: g.ID}
			if dept == nil {
				placeholder(deptPagePath(g.ID), nil)
				continue
			}
			s.departmentFile(dept(g.ID), add)
		}
	}
	scope = Scope{Kind: AllScope}
	for _, y := range s.years {
		y := y
		p := comparePath(y)
		add(p, s.page("compare", p, func(pg *page) any { return s.compareView(y, pg) }))
		for _, g := range s.split[y] {
			for n := 1; n <= pageCount(len(g.Reports), s.pageSize); n++ {
				p := regionPath(y, g.Slug, n)
				add(p, s.page("compare", p, func(pg *page) any { return s.regionView(y, g, n, pg) }))
			}
		}
	}
	add("compare/categories.html", s.page("categories", "compare/categories.html", s.categoriesView))
	for _, c := range s.category {
		for n := 1; n <= pageCount(len(c.Reports), s.pageSize); n++ {
			p := categoryPagePath(c, n)
			add(p, s.page("category", p, func(pg *page) any { return s.categoryView(c, n, pg) }))
		}
	}
	add("compliance.html", s.page("compliance", "compliance.html", s.complianceView))
	if s.compliancePaged() {
		for _, y := range s.years {
			for n := 1; n <= pageCount(len(s.complianceYearRows(y)), s.pageSize); n++ {
				p := compliancePath(y, n)
				add(p, s.page("compliance", p, func(pg *page) any { return s.complianceYearView(y, n, pg) }))
			}
		}
	}
	scope = Scope{Kind: ShellScope}
	add("glossary.html", s.page("glossary", "glossary.html", func(*page) any { return nil }))
	// The search shows its results a page at a time, as the lists do.
	add("search.html", s.page("search", "search.html", func(*page) any { return struct{ PageSize int }{s.pageSize} }))
	add("404.html", s.page("404", "404.html", func(*page) any { return nil }))
	scope = Scope{Kind: AllScope}
	add(searchIndexPath, s.writeSearchIndex)
	for _, y := range s.years {
		add(searchYearPath(y), s.writeSearchYear(y))
	}
	if s.opts.Downloads != nil {
		csv, xlsx := s.opts.Downloads()
		add("data/all.csv", csv)
		add("data/all.xlsx", xlsx)
	} else {
		add("data/all.csv", func(w io.Writer) error { return opendata.WriteAllCSV(w, s.m) })
		add("data/all.xlsx", func(w io.Writer) error { return opendata.WriteAllXLSX(w, s.m) })
	}
	out[len(out)-1].Slow, out[len(out)-2].Slow = true, true
	listed := slices.Clip(pages) // the pages so far: not the theme's assets
	add("sitemap.xml", func(w io.Writer) error { return s.writeSitemap(w, listed) })
	add("feed.xml", s.writeFeed)
	assets, err := theme.Assets(s.theme)
	if err != nil {
		return nil, fmt.Errorf("theme assets: %w", err)
	}
	scope = Scope{Kind: AssetScope}
	for _, a := range assets {
		a := a
		add(a, func(w io.Writer) error {
			f, err := s.theme.Open(a)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = io.Copy(w, f)
			return err
		})
	}
	return out, nil
}

// reportOf is the report of d that rd digests.
func (s *Site) reportOf(d *model.Department, rd *ReportDigest) *model.Report {
	for _, r := range d.Reports {
		if r.Key() == rd.Key {
			return r
		}
	}
	panic("site: no report " + rd.Key + " in " + d.ID)
}

func writeBytes(w io.Writer, f func() ([]byte, error)) error {
	b, err := f()
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// page is what every template gets: the layout's data plus the page's own
// view in Body.
type page struct {
	Root      string // relative path from this page to the site root: "", "../", "../../"
	Path      string
	Name      string // template name, also the active navigation entry
	Title     string // <title> and <h1> unless the view says otherwise
	Desc      string
	Site      *model.SiteConfig
	Footer    template.HTML
	Canonical string
	Meta      []metaTag
	Crumbs    []crumb
	Years     []int
	Body      any
	// Publisher is who published what the page shows, when that is one
	// report's department rather than the site's publisher.
	Publisher string
	// FindRoot is set on a 404 page built without a base URL: the inline
	// script that finds the site root, and its hash for the CSP.
	FindRoot     template.JS
	FindRootHash string
}

type metaTag struct{ Name, Content string }

type crumb struct{ Href, Text string }

func (s *Site) page(tmpl, p string, view func(*page) any) func(io.Writer) error {
	return func(w io.Writer) error {
		pg := &page{
			Root:   strings.Repeat("../", strings.Count(p, "/")),
			Path:   p,
			Name:   tmpl,
			Site:   s.cfg,
			Footer: s.footer,
			Years:  s.years,
		}
		if s.baseURL != "" && tmpl != "404" {
			pg.Canonical = s.baseURL + p
		}
		if tmpl == "404" {
			// The 404 page is served at whatever address was missing, so
			// relative links cannot work there; the base URL can, and
			// without one a script finds the root.
			if s.baseURL != "" {
				pg.Root = s.baseURL
			} else {
				pg.FindRoot, pg.FindRootHash = findRoot()
			}
		}
		pg.Body = view(pg)
		if pg.Title == "" {
			pg.Title = s.cfg.Title
		}
		if pg.Desc == "" {
			// The portal standard asks every page for a Description; a
			// page that does not describe itself is named within the site.
			pg.Desc = cmp.Or(s.cfg.Subtitle, s.cfg.Title)
			if pg.Title != s.cfg.Title {
				pg.Desc = pg.Title + "（" + s.cfg.Title + "）"
			}
		}
		pg.Meta = append(s.portalMeta(pg), pg.Meta...)
		buf := pageBufs.Get().(*bytes.Buffer)
		defer putPageBuf(buf)
		if err := s.pages[tmpl].ExecuteTemplate(buf, tmpl+".html", pg); err != nil {
			return fmt.Errorf("template %s.html for %s: %w", tmpl, p, err)
		}
		// A digest's part that could not be read back shows as a blank,
		// never as a page.
		if err := s.opts.Cold.Err(); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		_, err := w.Write(buf.Bytes())
		return err
	}
}

// pageBufs hold pages while they render, so that a template that fails
// half-way writes nothing. A report page is 50–150 kB: growing a new
// buffer to that for each of 10,000 pages was a fifth of a build's
// allocation.
var pageBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledPage is the largest buffer kept for the next page; a rare
// huge page should not pin its memory.
const maxPooledPage = 1 << 20

func putPageBuf(b *bytes.Buffer) {
	if b.Cap() > maxPooledPage {
		return
	}
	b.Reset()
	pageBufs.Put(b)
}

func reportPath(r *model.Report) string {
	return "reports/" + r.Department.ID + "/" + r.Key() + ".html"
}

func dataPath(r *model.Report, ext string) string {
	return "data/" + r.Department.ID + "/" + r.Key() + "." + ext
}

func departmentPath(d *model.Department) string { return deptPagePath(d.ID) }

func deptPagePath(id string) string { return "departments/" + id + ".html" }

func comparePath(year int) string { return "compare/" + strconv.Itoa(year) + ".html" }

// funcs are available to every theme's templates; the views hand them
// display-ready strings, so little is needed.
func (s *Site) funcs() template.FuncMap {
	return template.FuncMap{"join": strings.Join, "changePart": changePart}
}

// Release lets go of the digests and everything laid out over them once
// the site-wide pages are written, so that a build writes the downloads
// (which read the departments' parts, not the digests) in less memory.
// Only the downloads of the last SiteFiles may still be written, and
// Shortfalls still read, from the findings offloaded digests left in
// their store (a digest never offloaded keeps its findings in memory).
func (s *Site) Release() {
	s.released = s.released[:0]
	for _, g := range s.digests {
		if g.cold != nil {
			s.released = append(s.released, &Digest{cold: g.cold})
		} else {
			s.released = append(s.released, &Digest{Findings: g.Findings})
		}
	}
	s.digests, s.byID, s.reports, s.category = nil, nil, nil, nil
	s.byYear, s.compared, s.lists, s.split, s.compliance = nil, nil, nil, nil, nil
}
