package e2e

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestLinks crawls the site over real HTTP from index.html, once at the
// server root and once under a portal sub-path, and checks every link and
// asset; then checks that every page is reachable.
func TestLinks(t *testing.T) {
	dir, portalRoot := site(t)
	for _, tc := range []struct {
		name string
		root func(t *testing.T) *url.URL
	}{
		{"root", func(t *testing.T) *url.URL { return serveStrict(t, dir, "/") }},
		{"subpath", func(*testing.T) *url.URL { return portalRoot }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCrawler(tc.root(t), dir, baseURL)
			c.run()
			report(t, c.problems)
		})
	}
}

// TestLinksOnDisk checks the site as a reader opening it from file:// (or a
// copy on a USB stick) sees it: every relative reference in every HTML and
// CSS file must name an existing file, never a directory, since file:// does
// not turn a directory into its index.html.
func TestLinksOnDisk(t *testing.T) {
	dir, _ := site(t)
	report(t, checkDisk(dir, baseURL))
}

// TestLinkCheckers makes sure the checkers above catch what they are meant
// to: a tiny broken site whose every page carries one known mistake.
func TestLinkCheckers(t *testing.T) {
	const (
		dir  = "testdata/broken"
		base = "https://www.example.gov.cn/xxgk/jx/"
	)
	c := newCrawler(serveStrict(t, dir, subPath), dir, base)
	c.run()
	disk := checkDisk(dir, base)
	for _, tc := range []struct {
		name     string
		problems []string
		want     []string
	}{
		{"http", c.problems, []string{
			"index.html: Content-Security-Policy style-src allows 'unsafe-inline'",
			"index.html: a href \"/portal/xxgk/jx/about.html\": absolute-path link (breaks under a sub-path and from file://)",
			"index.html: a href \"https://www.gov.cn/\": external URL",
			"index.html: a href \"missing.html\": HTTP 404",
			"index.html: a href \"sub/\": HTTP 404",
			"index.html: a href \"sub/page.html#nowhere\": no element with id=\"nowhere\"",
			"index.html: link href \"https://www.example.gov.cn/xxgk/jx/other.html\": canonical link points at other.html, not at this page",
			"orphan.html: not listed in sitemap.xml",
			"orphan.html: not reachable from index.html",
			"sitemap.xml: URL \"https://elsewhere.example.com/x.html\": external URL",
			"sitemap.xml: URL \"https://www.example.gov.cn/xxgk/jx/gone.html\": HTTP 404",
			"style.css: css url() \"gone.png\": HTTP 404",
			"sub/page.html: <html lang=\"zh\">, want zh-CN",
			"sub/page.html: img src \"../../../../x.png\": points outside the site",
		}},
		{"disk", disk, []string{
			"index.html: a href \"/portal/xxgk/jx/about.html\": absolute-path link (breaks under a sub-path and from file://)",
			"index.html: a href \"missing.html\": missing.html does not exist",
			"index.html: a href \"sub/\": sub is a directory; link to a file",
			"index.html: a href \"sub/page.html#nowhere\": no element with id=\"nowhere\"",
			"style.css: css url() \"gone.png\": gone.png does not exist",
			"sub/page.html: img src \"../../../../x.png\": points outside the site",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !slices.Equal(tc.problems, tc.want) {
				t.Errorf("problems:\n  %s\nwant:\n  %s", strings.Join(tc.problems, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

// report fails the test with every problem, one per line.
func report(t testing.TB, problems []string) {
	t.Helper()
	if len(problems) == 0 {
		return
	}
	const most = 60
	shown := problems
	more := ""
	if len(shown) > most {
		shown, more = shown[:most], fmt.Sprintf("\n  … and %d more", len(problems)-most)
	}
	t.Errorf("%d problems:\n  %s%s", len(problems), strings.Join(shown, "\n  "), more)
}

// problemSet collects problems once each, sorted for stable output.
type problemSet map[string]bool

func (s problemSet) add(format string, args ...any) { s[fmt.Sprintf(format, args...)] = true }

func (s problemSet) sorted() []string {
	out := make([]string, 0, len(s))
	for p := range s {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// refKind says what a reference is and whether it is allowed where it is.
type refKind int

const (
	refRelative refKind = iota // a relative URL inside the site: follow it
	refFragment                // "#id" in the same document
	refSite                    // an absolute URL below the site's base URL
	refOK                      // mailto:, tel:, data:
	refBad                     // never allowed; the string says why
)

// classify decides what to do with a reference found in a page or
// stylesheet. The site must work from any sub-path and from file://, and
// must not make the reader's browser contact anyone but the site; so
// absolute URLs are only allowed when they point into the site itself
// (base), and the caller allows even those only where a relative link
// cannot work: the canonical link and 404.html.
func classify(r ref, base string) (refKind, *url.URL, string) {
	if r.url == "" {
		return refBad, nil, "empty URL"
	}
	u, err := url.Parse(r.url)
	if err != nil {
		return refBad, nil, "malformed URL: " + err.Error()
	}
	switch u.Scheme {
	case "":
	case "mailto", "tel":
		return refOK, u, ""
	case "data":
		if r.where == "a href" {
			return refBad, u, "data: URL in a link"
		}
		return refOK, u, ""
	case "http", "https":
		if base != "" && strings.HasPrefix(r.url, base) {
			return refSite, u, ""
		}
		return refBad, u, "external URL"
	default:
		return refBad, u, "URL scheme " + u.Scheme + ": not allowed"
	}
	switch {
	case u.Host != "":
		return refBad, u, "protocol-relative URL"
	case strings.HasPrefix(u.Path, "/"):
		return refBad, u, "absolute-path link (breaks under a sub-path and from file://)"
	case u.Path == "" && u.RawQuery == "":
		return refFragment, u, ""
	}
	return refRelative, u, ""
}

// A crawler walks the served site from index.html (and 404.html, which a
// server shows at any address and so nothing links to).
type crawler struct {
	root     *url.URL // the site root, ending in "/"
	dir      string
	base     string // the base URL the site was built with
	client   *http.Client
	problems []string

	set       problemSet
	queued    map[string]bool      // site paths (relative to root) seen
	queue     []string             // site paths left to fetch
	pages     map[string]*page     // HTML pages fetched, by site path
	fragments map[string][]fragRef // fragment links to check, by target path
	linked    map[string]linker    // the first link to each target, for messages
	inSitemap map[string]bool      // pages sitemap.xml lists
	edges     map[string][]string  // page → the site paths it links to
}

type fragRef struct {
	from string
	r    ref
	id   string
}

func newCrawler(root *url.URL, dir, base string) *crawler {
	return &crawler{
		root: root,
		dir:  dir,
		base: base,
		client: &http.Client{
			Timeout: patient(10 * time.Second),
			// A redirect is a mistake here: every link names its file.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		set:       problemSet{},
		queued:    map[string]bool{},
		pages:     map[string]*page{},
		fragments: map[string][]fragRef{},
		linked:    map[string]linker{},
		inSitemap: map[string]bool{},
		edges:     map[string][]string{},
	}
}

func (c *crawler) enqueue(p string) {
	if !c.queued[p] {
		c.queued[p] = true
		c.queue = append(c.queue, p)
	}
}

func (c *crawler) run() {
	c.enqueue("index.html")
	if _, err := os.Stat(filepath.Join(c.dir, "404.html")); err == nil {
		c.enqueue("404.html")
	}
	for _, p := range []string{"sitemap.xml", "feed.xml"} {
		if _, err := os.Stat(filepath.Join(c.dir, p)); err == nil {
			c.enqueue(p)
		}
	}
	for len(c.queue) > 0 {
		p := c.queue[0]
		c.queue = c.queue[1:]
		c.fetch(p)
	}
	for target, refs := range c.fragments {
		pg := c.pages[target]
		if pg == nil {
			continue // the fetch failed and said so, or it is not HTML
		}
		for _, f := range refs {
			if !pg.ids[f.id] {
				c.set.add("%s: %s %q: no element with id=%q", f.from, f.r.where, f.r.url, f.id)
			}
		}
	}
	// Reachable means by clicking from index.html: a page that only the
	// sitemap, the feed or another orphan names is still an orphan.
	reached := map[string]bool{"index.html": true}
	for next := []string{"index.html"}; len(next) > 0; {
		p := next[0]
		next = next[1:]
		for _, q := range c.edges[p] {
			if !reached[q] {
				reached[q] = true
				next = append(next, q)
			}
		}
	}
	_, err := os.Stat(filepath.Join(c.dir, "sitemap.xml"))
	hasSitemap := err == nil
	for _, p := range htmlFiles(c.dir) {
		if p == "404.html" {
			continue
		}
		if !reached[p] {
			c.set.add("%s: not reachable from index.html", p)
		}
		if hasSitemap && !c.inSitemap[p] {
			c.set.add("%s: not listed in sitemap.xml", p)
		}
	}
	c.problems = c.set.sorted()
}

// A linker is the page and reference that first led to a target, so that a
// failure names where the bad link is.
type linker struct {
	from string
	r    ref
}

func (c *crawler) fetch(p string) {
	u := c.root.ResolveReference(&url.URL{Path: p})
	res, err := c.client.Get(u.String())
	if err != nil {
		c.fail(p, "%v", err)
		return
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.fail(p, "reading: %v", err)
		return
	}
	if res.StatusCode != http.StatusOK {
		c.fail(p, "HTTP %d", res.StatusCode)
		return
	}
	ct := res.Header.Get("Content-Type")
	switch {
	case strings.HasSuffix(p, ".html"):
		if !strings.HasPrefix(ct, "text/html") {
			c.set.add("%s: served as %q, not text/html", p, ct)
		}
		pg, err := parsePage(body)
		if err != nil {
			c.set.add("%s: parsing HTML: %v", p, err)
			return
		}
		c.pages[p] = pg
		c.checkHead(p, pg)
		for _, r := range pg.refs {
			c.follow(p, u, r, pg)
		}
	case strings.HasSuffix(p, ".css"):
		for _, s := range cssURLs(string(body)) {
			c.follow(p, u, ref{where: "css url()", url: s}, nil)
		}
	case p == "sitemap.xml" || p == "feed.xml":
		for _, s := range xmlURLs(string(body)) {
			c.follow(p, u, ref{where: "URL", url: s}, nil)
			if p == "sitemap.xml" {
				c.inSitemap[siteFile(strings.TrimPrefix(s, c.base))] = true
			}
		}
	}
}

func (c *crawler) enqueueFrom(from string, r ref, target string) {
	if strings.HasSuffix(from, ".html") {
		c.edges[from] = append(c.edges[from], target)
	}
	if _, ok := c.linked[target]; !ok {
		c.linked[target] = linker{from, r}
	}
	c.enqueue(target)
}

// fail records that fetching p failed, naming the link that led there.
func (c *crawler) fail(p, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if l, ok := c.linked[p]; ok {
		c.set.add("%s: %s %q: %s", l.from, l.r.where, l.r.url, msg)
		return
	}
	c.set.add("%s: %s", p, msg)
}

func (c *crawler) follow(from string, base *url.URL, r ref, pg *page) {
	kind, u, why := classify(r, c.base)
	switch kind {
	case refBad:
		c.set.add("%s: %s %q: %s", from, r.where, r.url, why)
	case refSite:
		target := siteFile(strings.TrimPrefix(u.Path, mustParse(c.base).Path))
		switch {
		case isCanonical(r):
			if target != from {
				c.set.add("%s: %s %q: canonical link points at %s, not at this page", from, r.where, r.url, target)
			}
		case from == "404.html" || from == "sitemap.xml" || from == "feed.xml":
			c.enqueueFrom(from, r, target)
			if u.Fragment != "" {
				c.fragments[target] = append(c.fragments[target], fragRef{from, r, u.Fragment})
			}
		default:
			c.set.add("%s: %s %q: %s", from, r.where, r.url, siteAbsolute)
		}
	case refFragment:
		if u.Fragment != "" && pg != nil && !pg.ids[u.Fragment] {
			c.set.add("%s: %s %q: no element with id=%q", from, r.where, r.url, u.Fragment)
		}
	case refRelative:
		abs := base.ResolveReference(u)
		target, ok := strings.CutPrefix(abs.Path, c.root.Path)
		if !ok || abs.Host != c.root.Host {
			c.set.add("%s: %s %q: points outside the site", from, r.where, r.url)
			return
		}
		c.enqueueFrom(from, r, target)
		if u.Fragment != "" {
			c.fragments[target] = append(c.fragments[target], fragRef{from, r, u.Fragment})
		}
	}
}

// checkHead checks the page-wide settings the other checks rely on: the
// language (screen readers pick their voice by it) and a Content-Security-
// Policy that lets the page load nothing but the site's own files, which is
// what makes "no request leaves the site" hold for every reader.
func (c *crawler) checkHead(p string, pg *page) {
	if pg.lang != "zh-CN" {
		c.set.add("%s: <html lang=%q>, want zh-CN", p, pg.lang)
	}
	if len(pg.csp) != 1 {
		c.set.add("%s: %d Content-Security-Policy <meta> elements, want 1", p, len(pg.csp))
		return
	}
	for _, d := range strings.Split(pg.csp[0], ";") {
		f := strings.Fields(d)
		if len(f) == 0 {
			continue
		}
		for _, src := range f[1:] {
			// data: images are what ECharts and inline icons need;
			// anything else would open the page to other hosts or to
			// injected code.
			// An inline script's hash, where the page has that script
			// (the 404 page's root finder), allows that script alone.
			if src != "'self'" && src != "'none'" && !(f[0] == "img-src" && src == "data:") && !(f[0] == "script-src" && pg.inline[src]) {
				c.set.add("%s: Content-Security-Policy %s allows %s", p, f[0], src)
			}
		}
	}
}

const siteAbsolute = "absolute URL of the site itself (breaks under another address and from file://); use a relative link"

func isCanonical(r ref) bool {
	return r.where == "link href" && slices.Contains(strings.Fields(r.rel), "canonical")
}

func mustParse(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// siteFile maps a path below the site root to the file that serves it.
func siteFile(rel string) string {
	if rel == "" || strings.HasSuffix(rel, "/") {
		return rel + "index.html"
	}
	return rel
}

var xmlURLRe = regexp.MustCompile(`<loc>\s*([^<\s]+)\s*</loc>|<link\b[^>]*\bhref="([^"]+)"`)

// xmlURLs returns the page addresses in a sitemap (<loc>) or an Atom feed
// (<link href>).
func xmlURLs(s string) []string {
	var out []string
	for _, m := range xmlURLRe.FindAllStringSubmatch(s, -1) {
		out = append(out, html.UnescapeString(m[1]+m[2]))
	}
	return out
}

// htmlFiles lists the HTML files of a site directory.
func htmlFiles(dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".html") {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(out)
	return out
}

// checkDisk checks every relative reference of every HTML and CSS file
// against the files on disk.
func checkDisk(dir, base string) []string {
	set := problemSet{}
	pages := map[string]*page{}
	load := func(p string) *page {
		if pg, ok := pages[p]; ok {
			return pg
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		var pg *page
		if err == nil {
			pg, err = parsePage(b)
		}
		if err != nil {
			set.add("%s: %v", p, err)
		}
		pages[p] = pg
		return pg
	}
	var all []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".css")) {
			rel, _ := filepath.Rel(dir, p)
			all = append(all, filepath.ToSlash(rel))
		}
		return nil
	})
	for _, from := range all {
		var refs []ref
		var self *page
		if strings.HasSuffix(from, ".html") {
			if self = load(from); self == nil {
				continue
			}
			refs = self.refs
		} else {
			b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(from)))
			if err != nil {
				set.add("%s: %v", from, err)
				continue
			}
			for _, s := range cssURLs(string(b)) {
				refs = append(refs, ref{where: "css url()", url: s})
			}
		}
		for _, r := range refs {
			kind, u, why := classify(r, base)
			if kind == refSite {
				if isCanonical(r) {
					continue // the HTTP crawl checks it names its page
				}
				if from != "404.html" {
					set.add("%s: %s %q: %s", from, r.where, r.url, siteAbsolute)
					continue
				}
				// 404.html's links are absolute, as it is served at any
				// address; they must still name existing files.
				kind = refRelative
				u = &url.URL{Path: strings.Repeat("../", strings.Count(from, "/")) + siteFile(strings.TrimPrefix(u.Path, mustParse(base).Path)), Fragment: u.Fragment}
			}
			switch kind {
			case refBad:
				// External URLs are the HTTP crawl's to report; the
				// rest break file:// too.
				if why != "external URL" {
					set.add("%s: %s %q: %s", from, r.where, r.url, why)
				}
			case refFragment:
				if u.Fragment != "" && self != nil && !self.ids[u.Fragment] {
					set.add("%s: %s %q: no element with id=%q", from, r.where, r.url, u.Fragment)
				}
			case refRelative:
				target := path.Join(path.Dir(from), u.Path)
				if target == ".." || strings.HasPrefix(target, "../") {
					set.add("%s: %s %q: points outside the site", from, r.where, r.url)
					continue
				}
				st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(target)))
				switch {
				case err != nil:
					set.add("%s: %s %q: %s does not exist", from, r.where, r.url, target)
				case st.IsDir():
					set.add("%s: %s %q: %s is a directory; link to a file", from, r.where, r.url, target)
				case u.Fragment != "" && strings.HasSuffix(target, ".html"):
					if pg := load(target); pg != nil && !pg.ids[u.Fragment] {
						set.add("%s: %s %q: no element with id=%q", from, r.where, r.url, u.Fragment)
					}
				}
			}
		}
	}
	return set.sorted()
}
