package site

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"golang.org/x/net/html"

	"disclose/internal/diag"
	"disclose/internal/gen"
	"disclose/internal/heavytest"
	"disclose/internal/model"
	"disclose/internal/theme"
)

// loaded is a checked content tree.
type loaded struct {
	m  *model.Site
	ds []diag.Diagnostic
}

var (
	genMu    sync.Mutex
	genCache = map[gen.Options]loaded{}
)

// genTree loads a generated content tree (from memory, once per options).
func genTree(t testing.TB, o gen.Options) loaded {
	t.Helper()
	genMu.Lock()
	defer genMu.Unlock()
	if l, ok := genCache[o]; ok {
		return l
	}
	files, err := gen.Files(o)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for p, b := range files {
		fsys[p] = &fstest.MapFile{Data: b}
	}
	m, ds := loadChecked(fsys, "content")
	if diag.HasErrors(ds) {
		t.Fatalf("generated content has errors: %v", ds[0])
	}
	l := loaded{m, ds}
	genCache[o] = l
	return l
}

// contentTree loads the real content: content/, documents of every kind.
func contentTree(t *testing.T) loaded {
	t.Helper()
	m, ds := loadChecked(os.DirFS("../../content"), "content")
	return loaded{m, ds}
}

// renderSome renders the files keep selects (all when nil) and returns
// them by path, with the list of every file of the site.
func renderSome(t testing.TB, l loaded, opts Options, keep func(File) bool) (map[string][]byte, []File) {
	t.Helper()
	th, err := theme.Open("")
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(l.m, l.ds, th, opts)
	if err != nil {
		t.Fatal(err)
	}
	files, err := s.Files()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		if _, dup := out[f.Path]; dup {
			t.Fatalf("two files at %s", f.Path)
		}
		if keep != nil && !keep(f) {
			continue
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		out[f.Path] = buf.Bytes()
	}
	return out, files
}

// siteWide keeps the pages about all reports, the sitemap and the search
// index: what the number of reports changes.
func siteWide(f File) bool {
	return f.Scope.Kind == AllScope && !f.Slow
}

// parsed parses each page once, for the checks below that look at pages
// many times.
type parsed struct {
	files map[string][]byte
	docs  map[string]*html.Node
}

func newParsed(files map[string][]byte) *parsed {
	return &parsed{files: files, docs: map[string]*html.Node{}}
}

func (ps *parsed) doc(t *testing.T, p string) *html.Node {
	t.Helper()
	d, ok := ps.docs[p]
	if !ok {
		d = parse(t, p, ps.files[p])
		ps.docs[p] = d
	}
	return d
}

func TestPager(t *testing.T) {
	for _, tc := range []struct {
		cur, total int
		want       string // page numbers, "…" for a gap, [n] the current one
		prev, next bool
	}{
		{1, 1, "[1]", false, false},
		{1, 2, "[1] 2", false, true},
		{2, 2, "1 [2]", true, false},
		{5, 9, "1 2 3 4 [5] 6 7 8 9", true, true},
		{1, 10, "[1] 2 3 … 10", false, true},
		{4, 10, "1 2 3 [4] 5 6 … 10", true, true},
		{5, 10, "1 … 3 4 [5] 6 7 … 10", true, true},
		{10, 10, "1 … 8 9 [10]", true, false},
		{13, 13, "1 … 11 12 [13]", true, false},
	} {
		t.Run(fmt.Sprintf("%d of %d", tc.cur, tc.total), func(t *testing.T) {
			p := newPager("分页", tc.cur, tc.total, tc.total*10, 10, func(n int) string { return fmt.Sprintf("p%d.html", n) })
			var got []string
			for _, l := range p.Links {
				switch {
				case l.Gap:
					got = append(got, "…")
				case l.Current:
					got = append(got, fmt.Sprintf("[%d]", l.N))
				default:
					got = append(got, strconv.Itoa(l.N))
				}
				if !l.Gap && l.Href != fmt.Sprintf("p%d.html", l.N) {
					t.Errorf("page %d links to %s", l.N, l.Href)
				}
			}
			if s := strings.Join(got, " "); s != tc.want {
				t.Errorf("links %s, want %s", s, tc.want)
			}
			if (p.Prev != "") != tc.prev || (p.Next != "") != tc.next {
				t.Errorf("prev %q, next %q", p.Prev, p.Next)
			}
			if p.First != (tc.cur-1)*10+1 || p.Last != tc.cur*10 {
				t.Errorf("rows %d–%d", p.First, p.Last)
			}
		})
	}
}

func TestRegionOf(t *testing.T) {
	hash := regionOf(&model.Department{Region: []string{"某某省"}}).slug
	for _, tc := range []struct {
		region     []string
		name, slug string
	}{
		{[]string{"湖南省", "岳阳市", "云溪区"}, "湖南省", "hunan"},
		{[]string{"湖南", "岳阳市"}, "湖南省", "hunan"},
		{[]string{"山西省"}, "山西省", "shanxi"},
		{[]string{"陕西省"}, "陕西省", "shaanxi"},
		{[]string{"广西壮族自治区", "南宁市"}, "广西壮族自治区", "guangxi"},
		{[]string{"某某省", "某某市"}, "某某省", hash},
		{nil, noRegion, regionOf(&model.Department{}).slug},
	} {
		k := regionOf(&model.Department{Region: tc.region})
		if k.name != tc.name || k.slug != tc.slug {
			t.Errorf("%v: %s %s, want %s %s", tc.region, k.name, k.slug, tc.name, tc.slug)
		}
	}
	if !regexp.MustCompile(`^region-[0-9a-f]{10}$`).MatchString(hash) {
		t.Errorf("slug of an unknown region %q", hash)
	}
	slugs := map[string]bool{}
	for _, p := range provinces {
		if slugs[p.slug] || !regexp.MustCompile(`^[a-z]+$`).MatchString(p.slug) {
			t.Errorf("slug %q repeated or not plain", p.slug)
		}
		slugs[p.slug] = true
	}
}

// generated is a generated tree of depts departments with one report each.
func generated(depts int) func(*testing.T) loaded {
	return func(t *testing.T) loaded { return genTree(t, gen.Options{Departments: depts, Years: 1, Seed: 1}) }
}

// TestPaginationBoundaries: a site of exactly a page of reports keeps
// today's single tables; one more report splits them.
func TestPaginationBoundaries(t *testing.T) {
	const year = gen.DefaultFirstYear
	for _, tc := range []struct {
		name  string
		tree  func(t *testing.T) loaded
		size  int
		paged bool
		index int            // rows on the home page; 0: every document of the tree
		lists map[string]int // rows of the other list pages
		split bool           // the comparison of the year is by region
	}{
		{"exactly PageSize reports", generated(PageSize), 0, false, PageSize, nil, false},
		{"PageSize+1 reports", generated(PageSize + 1), 0, true, PageSize, map[string]int{fmt.Sprintf("list/%d/2.html", year): 1}, true},
		{"10 reports, pages of 10", generated(10), 10, false, 10, nil, false},
		{"10 reports, pages of 9", generated(10), 9, true, 9, map[string]int{fmt.Sprintf("list/%d/2.html", year): 1}, true},
		{"10 reports, pages of 5", generated(10), 5, true, 5, map[string]int{fmt.Sprintf("list/%d/2.html", year): 5}, true},
		// content/ is well below a page: every document, of every
		// kind, in one table on the home page.
		{"content", contentTree, 0, false, 0, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.tree(t)
			files, _ := renderSome(t, l, Options{PageSize: tc.size}, siteWide)
			ps := newParsed(files)
			if tc.index == 0 {
				for _, d := range l.m.Departments {
					tc.index += len(d.Reports)
				}
				if tc.index <= 5 || tc.index > PageSize {
					t.Fatalf("%d documents: not a site that fits a page, with more than the seeds", tc.index)
				}
			}
			lists := map[string]int{}
			split := false
			for p := range files {
				switch {
				case strings.HasPrefix(p, "list/"):
					lists[p] = len(tableRows(t, ps, p, "reports"))
				case strings.HasPrefix(p, "compare/"+strconv.Itoa(year)+"/"):
					split = true
				}
			}
			if n := len(tableRows(t, ps, "index.html", "reports")); n != tc.index {
				t.Errorf("index.html has %d rows, want %d", n, tc.index)
			}
			if !mapsEqual(lists, tc.lists) {
				t.Errorf("list pages %v, want %v", lists, tc.lists)
			}
			if split != tc.split {
				t.Errorf("comparison split %v, want %v", split, tc.split)
			}
			home := string(files["index.html"])
			if paged := strings.Contains(home, `class="pager"`); paged != tc.paged {
				t.Errorf("home page pager %v, want %v", paged, tc.paged)
			}
			// The single table keeps its year filter; pages filter by province.
			if year := strings.Contains(home, `<select name="year">`); year == tc.paged {
				t.Errorf("home page year filter %v with pagination %v", year, tc.paged)
			}
		})
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestPaginatedSites renders whole sites, paginated at several sizes, and
// checks what pagination must keep: each list shows every report exactly
// once and in order, no page has more rows or chart bars than a page
// holds, the pagers link every page, and every page is in the sitemap and
// reachable by links from the home page.
func TestPaginatedSites(t *testing.T) {
	small := func(t *testing.T) loaded { return genTree(t, gen.Options{Departments: 40, Years: 2, Seed: 1}) }
	for _, tc := range []struct {
		name string
		tree func(t *testing.T) loaded
		size int
		want []string // pages that must be there: what the case is for
	}{
		{"content", contentTree, 0, nil},
		{"content by 2", contentTree, 2, []string{"list/2023/1.html", "compare/2022.html"}},
		{"content by 1", contentTree, 1, []string{"list/2023/2.html", "compare/2023/hunan-2.html", "compare/2022/hubei.html"}},
		{"80 reports by 7", small, 7, []string{"list/2021/6.html", "compare/2022/anhui.html"}},
		{"80 reports by 3", small, 3, []string{"list/2021/14.html", "compare/2022/hunan-2.html"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.tree(t)
			files, _ := renderSome(t, l, Options{PageSize: tc.size}, nil)
			ps := newParsed(files)
			for _, p := range tc.want {
				if files[p] == nil {
					t.Errorf("no %s", p)
				}
			}
			size := cmp.Or(tc.size, PageSize)
			for name, b := range files {
				if strings.HasSuffix(name, ".html") {
					checkRules(t, name, b)
				}
			}
			checkLists(t, l.m, ps, size)
			checkPageLimits(t, ps, size, func(p string) bool {
				// Report pages chart a report's own categories, which
				// do not grow with the site.
				return !strings.HasPrefix(p, "reports/") && !strings.HasPrefix(p, "departments/")
			})
			checkReachable(t, ps)
		})
	}
}

// TestHeavyLargeSitePages: with 1,000 reports every page about all
// reports stays small, with at most PageSize rows and chart bars. Heavy:
// rendering at scale, one page at a time.
func TestHeavyLargeSitePages(t *testing.T) {
	heavytest.Mark(t)
	if testing.Short() {
		t.Skip("renders the site-wide pages of 1,000 reports")
	}
	l := genTree(t, gen.Options{Departments: 250, Years: 4, Seed: 1})
	files, _ := renderSome(t, l, Options{}, func(f File) bool { return siteWide(f) && strings.HasSuffix(f.Path, ".html") })
	const limit = 1 << 20
	largest, pages := "", 0
	for p, b := range files {
		pages++
		if len(b) > limit {
			t.Errorf("%s is %d bytes, more than %d", p, len(b), limit)
		}
		if largest == "" || len(b) > len(files[largest]) {
			largest = p
		}
	}
	t.Logf("%d site-wide pages; the largest, %s, has %d bytes", pages, largest, len(files[largest]))
	ps := newParsed(files)
	checkPageLimits(t, ps, PageSize, func(string) bool { return true })
	checkLists(t, l.m, ps, PageSize)
}

// tableRows returns the body rows of the table with the given id.
func tableRows(t *testing.T, ps *parsed, name string, id string) []*html.Node {
	t.Helper()
	var rows []*html.Node
	walk(ps.doc(t, name), func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "table" {
			if v, _ := attr(n, "id"); v == id {
				walk(n, func(c *html.Node) {
					if c.Type == html.ElementNode && c.Data == "tr" && c.Parent != nil && c.Parent.Data == "tbody" {
						rows = append(rows, c)
					}
				})
			}
		}
	})
	return rows
}

// rowTargets are the pages the first links of rows point at, relative to
// the site root.
func rowTargets(from string, rows []*html.Node) []string {
	var out []string
	for _, r := range rows {
		var href string
		walk(r, func(n *html.Node) {
			if href == "" && n.Type == html.ElementNode && n.Data == "a" {
				href, _ = attr(n, "href")
			}
		})
		out = append(out, resolve(from, href))
	}
	return out
}

// resolve is the site path a relative link on page from points at.
func resolve(from, href string) string {
	u, err := url.Parse(href)
	if err != nil || u.Scheme != "" || u.Path == "" {
		return ""
	}
	return path.Join(path.Dir(from), u.Path)
}

var (
	listRe     = regexp.MustCompile(`^list/(\d+)/(\d+)\.html$`)
	regionRe   = regexp.MustCompile(`^compare/(\d+)/([a-z]+|region-[0-9a-f]{10})(?:-(\d+))?\.html$`)
	categoryRe = regexp.MustCompile(`^(compare/category/(?:econ|func)-[0-9]+(?:-[0-9]{3,7})*)(?:-(\d+))?\.html$`)
)

// pageNumber is n of a page named …-n.html, 1 without a number.
func pageNumber(s string) int {
	if s == "" {
		return 1
	}
	n, _ := strconv.Atoi(s)
	return n
}

// checkLists checks that the report list lists every document exactly
// once, in order, and the comparisons and the categories every
// self-evaluation report (only those are compared side by side), on pages
// of at most size rows, and that each page's pager marks it and links the
// next.
func checkLists(t *testing.T, m *model.Site, ps *parsed, size int) {
	t.Helper()
	files := ps.files
	var all []*model.Report
	byYear := map[int][]string{}
	compared := map[int][]string{} // the self-evaluation reports of each year
	for _, d := range m.Departments {
		all = append(all, d.Reports...)
	}
	slices.SortStableFunc(all, func(a, b *model.Report) int { return b.Year - a.Year })
	var years []int
	for _, r := range all {
		if len(byYear[r.Year]) == 0 {
			years = append(years, r.Year)
		}
		byYear[r.Year] = append(byYear[r.Year], reportPath(r))
		if r.DocKind() == model.KindSelfEval {
			compared[r.Year] = append(compared[r.Year], reportPath(r))
		}
	}

	// groups of pages: the list of each year, the comparison of each
	// year's region, each category; page numbers to row targets.
	type group map[int][]string
	lists, regions, cats := map[int]group{}, map[string]group{}, map[string]group{}
	add := func(gs map[string]group, key string, n int, rows []string) {
		if gs[key] == nil {
			gs[key] = group{}
		}
		gs[key][n] = rows
	}
	paged := len(all) > size
	for p := range files {
		var rows []*html.Node
		switch {
		case p == "index.html":
			rows = tableRows(t, ps, p, "reports")
			if paged {
				if lists[years[0]] == nil {
					lists[years[0]] = group{}
				}
				lists[years[0]][1] = rowTargets(p, rows)
			} else if got := rowTargets(p, rows); !slices.Equal(got, reportPaths(all)) {
				t.Errorf("index.html lists %d reports, want all %d in order", len(got), len(all))
			}
		case listRe.MatchString(p):
			sm := listRe.FindStringSubmatch(p)
			y, _ := strconv.Atoi(sm[1])
			rows = tableRows(t, ps, p, "reports")
			if lists[y] == nil {
				lists[y] = group{}
			}
			lists[y][pageNumber(sm[2])] = rowTargets(p, rows)
			if !paged {
				t.Errorf("%s: a list page though %d reports fit on one", p, len(all))
			}
		case regionRe.MatchString(p):
			sm := regionRe.FindStringSubmatch(p)
			rows = tableRows(t, ps, p, "compare")
			add(regions, sm[1]+"/"+sm[2], pageNumber(sm[3]), rowTargets(p, rows))
		case categoryRe.MatchString(p):
			sm := categoryRe.FindStringSubmatch(p)
			rows = tableRows(t, ps, p, "category")
			add(cats, sm[1], pageNumber(sm[2]), rowTargets(p, rows))
		case strings.HasPrefix(p, "compare/") && strings.Count(p, "/") == 1 && p != "compare/categories.html":
			rows = tableRows(t, ps, p, "compare")
		}
		if len(rows) > size {
			t.Errorf("%s: %d rows, more than %d", p, len(rows), size)
		}
	}
	// pages concatenates a group's pages, which must be numbered 1…n
	// with every page but the last full.
	pages := func(what string, g group) []string {
		var out []string
		for n := 1; n <= len(g); n++ {
			rows, ok := g[n]
			if !ok {
				t.Errorf("%s: no page %d of %d", what, n, len(g))
				continue
			}
			if n < len(g) && len(rows) != size {
				t.Errorf("%s: page %d of %d has %d rows, want %d", what, n, len(g), len(rows), size)
			}
			out = append(out, rows...)
		}
		return out
	}
	if paged {
		for _, y := range years {
			if got := pages(fmt.Sprintf("%d list", y), lists[y]); !slices.Equal(got, byYear[y]) {
				t.Errorf("the %d list pages show %d reports, want the year's %d in order", y, len(got), len(byYear[y]))
			}
		}
	}
	// Each year's comparison: one page, or its regions' pages.
	for _, y := range years {
		p := comparePath(y)
		if files[p] == nil {
			continue
		}
		var got []string
		split := false
		for key, g := range regions {
			if strings.HasPrefix(key, strconv.Itoa(y)+"/") {
				got = append(got, pages(key, g)...)
				split = true
			}
		}
		if n := len(tableRows(t, ps, p, "compare")); split && n != 0 {
			t.Errorf("%s: split by region but still lists %d departments", p, n)
		}
		if !split {
			got = rowTargets(p, tableRows(t, ps, p, "compare"))
		}
		if split != (len(compared[y]) > size) {
			t.Errorf("%s: split by region %v with %d departments", p, split, len(compared[y]))
		}
		slices.Sort(got)
		if want := slices.Sorted(slices.Values(compared[y])); !slices.Equal(got, want) {
			t.Errorf("%d comparison shows %v, want the year's self-evaluation reports %v, each once", y, got, want)
		}
	}
	for key, g := range cats {
		rows := pages(key, g)
		if len(rows) < 2 {
			t.Errorf("%s: %d reports", key, len(rows))
		}
		if len(g) > 1 && len(rows) <= size {
			t.Errorf("%s: %d pages for %d reports", key, len(g), len(rows))
		}
		for _, r := range rows {
			if !slices.Contains(compared[yearOf(r)], r) {
				t.Errorf("%s lists %s, not a self-evaluation report", key, r)
			}
		}
	}
	for p := range files {
		if strings.HasSuffix(p, ".html") {
			checkPagers(t, ps, p)
		}
	}
}

// yearOf is the year of a report page reports/<dept>/<year>[-<name>].html.
func yearOf(p string) int {
	key := strings.TrimSuffix(path.Base(p), ".html")
	year, _, _ := strings.Cut(key, "-")
	y, _ := strconv.Atoi(year)
	return y
}

func reportPaths(rs []*model.Report) []string {
	var out []string
	for _, r := range rs {
		out = append(out, reportPath(r))
	}
	return out
}

// checkPagers: a page's pager marks the page itself as current, and its
// next and previous links lead to pages whose pagers point back.
func checkPagers(t *testing.T, ps *parsed, p string) {
	t.Helper()
	files := ps.files
	walk(ps.doc(t, p), func(n *html.Node) {
		if n.Type != html.ElementNode || n.Data != "nav" {
			return
		}
		label, _ := attr(n, "aria-label")
		by, _ := attr(n, "aria-labelledby")
		if label == "" && by == "" {
			t.Errorf("%s: <nav> without a label", p)
		}
		class, _ := attr(n, "class")
		if class != "pager" {
			return
		}
		current := 0
		walk(n, func(a *html.Node) {
			if a.Type != html.ElementNode || a.Data != "a" {
				return
			}
			href, _ := attr(a, "href")
			target := resolve(p, href)
			if _, ok := files[target]; !ok {
				t.Errorf("%s: pager links to missing %s", p, target)
			}
			if c, _ := attr(a, "aria-current"); c == "page" {
				current++
				if target != p {
					t.Errorf("%s: the current page link points at %s", p, target)
				}
			}
			rel, _ := attr(a, "rel")
			if back := map[string]string{"next": "prev", "prev": "next"}[rel]; back != "" && files[target] != nil {
				if resolve(target, relHref(t, ps, target, back)) != p {
					t.Errorf("%s: %s page %s does not link back with rel=%s", p, rel, target, back)
				}
			}
		})
		if current != 1 {
			t.Errorf("%s: %d pager links marked current", p, current)
		}
	})
}

func relHref(t *testing.T, ps *parsed, name string, rel string) string {
	var href string
	walk(ps.doc(t, name), func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "a" {
			if r, _ := attr(n, "rel"); r == rel {
				href, _ = attr(n, "href")
			}
		}
	})
	return href
}

// checkPageLimits: no page (of those which selects) is larger than 1 MB
// or has a chart with more than size bars.
func checkPageLimits(t *testing.T, ps *parsed, size int, which func(string) bool) {
	t.Helper()
	for p, b := range ps.files {
		if !strings.HasSuffix(p, ".html") || !which(p) {
			continue
		}
		if len(b) > 1<<20 {
			t.Errorf("%s: %d bytes", p, len(b))
		}
		walk(ps.doc(t, p), func(n *html.Node) {
			if n.Type != html.ElementNode || n.Data != "script" {
				return
			}
			if typ, _ := attr(n, "type"); typ != "application/json" {
				return
			}
			id, _ := attr(n, "id")
			if bars := chartBars(t, p, text(n)); bars > size {
				t.Errorf("%s: chart %s has %d bars, more than %d", p, id, bars, size)
			}
		})
	}
}

// chartBars is the most categories or data points of any axis or series
// of a chart's option.
func chartBars(t *testing.T, p, option string) int {
	var o struct {
		XAxis, YAxis []struct {
			Data []json.RawMessage `json:"data"`
		}
		Series []struct {
			Data []json.RawMessage `json:"data"`
		}
	}
	if err := json.Unmarshal([]byte(option), &o); err != nil {
		t.Errorf("%s: chart option: %v", p, err)
		return 0
	}
	n := 0
	for _, a := range append(o.XAxis, o.YAxis...) {
		n = max(n, len(a.Data))
	}
	for _, s := range o.Series {
		n = max(n, len(s.Data))
	}
	return n
}

// checkReachable: every page but 404.html can be reached by links from
// index.html and is in the sitemap, which lists only pages.
func checkReachable(t *testing.T, ps *parsed) {
	t.Helper()
	files := ps.files
	reached := map[string]bool{"index.html": true}
	for queue := []string{"index.html"}; len(queue) > 0; queue = queue[1:] {
		p := queue[0]
		walk(ps.doc(t, p), func(n *html.Node) {
			if n.Type != html.ElementNode || n.Data != "a" {
				return
			}
			href, _ := attr(n, "href")
			target := resolve(p, href)
			if strings.HasSuffix(target, ".html") && !reached[target] {
				if files[target] == nil {
					t.Errorf("%s links to missing %s", p, target)
					return
				}
				reached[target] = true
				queue = append(queue, target)
			}
		})
	}
	inSitemap := map[string]bool{}
	for _, m := range regexp.MustCompile(`<loc>([^<]+)</loc>`).FindAllSubmatch(files["sitemap.xml"], -1) {
		p := string(m[1])
		if inSitemap[p] {
			t.Errorf("sitemap lists %s twice", p)
		}
		inSitemap[p] = true
		if files[p] == nil {
			t.Errorf("sitemap lists missing %s", p)
		}
	}
	var pages []string
	for p := range files {
		if strings.HasSuffix(p, ".html") && p != "404.html" {
			pages = append(pages, p)
		}
	}
	slices.Sort(pages)
	for _, p := range pages {
		if !reached[p] {
			t.Errorf("%s: not reachable from index.html", p)
		}
		if !inSitemap[p] {
			t.Errorf("%s: not in the sitemap", p)
		}
	}
}

// TestSearchIndexNamesRegionPages: the pages of a year split by region
// are found, in that year's part of the index, by searching for the
// region.
func TestSearchIndexNamesRegionPages(t *testing.T) {
	files, _ := renderSome(t, contentTree(t), Options{PageSize: 1}, siteWide)
	found := false
	for _, e := range searchFile(t, files, searchYearPath(2022), searchYearPrefix(2022)) {
		if e.URL == "compare/2022/hubei.html" && e.Region == "湖北省" && e.Year == 2022 {
			found = true
		}
		if _, ok := files[e.URL]; !ok && !strings.HasPrefix(e.URL, "reports/") {
			t.Errorf("search entry %q points at missing %s", e.Title, e.URL)
		}
	}
	if !found {
		t.Error("no search entry for compare/2022/hubei.html")
	}
}

// TestFeedListsTheNewest: feed.xml carries the FeedEntries newest reports,
// not all of them.
func TestFeedListsTheNewest(t *testing.T) {
	files, _ := renderSome(t, genTree(t, gen.Options{Departments: FeedEntries + 20, Years: 2, Seed: 1}), Options{}, func(f File) bool { return f.Path == "feed.xml" })
	feed := string(files["feed.xml"])
	if n := strings.Count(feed, "<entry>"); n != FeedEntries {
		t.Errorf("feed has %d entries, want %d", n, FeedEntries)
	}
	// Both years have the same dates' pattern; the newest year comes first.
	if strings.Contains(feed, fmt.Sprintf("/%d.html", gen.DefaultFirstYear)) {
		t.Errorf("the feed lists reports of the older year while newer ones are left out")
	}
}
