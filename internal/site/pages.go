package site

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"disclose/internal/model"
)

// PageSize is the most rows one list, comparison or category page shows.
// A site with more reports than this gets its report list by year and
// page, a year with more departments gets its comparison by region (and
// by page within a large region), and a category shared by more reports
// gets its table by page. Charts show the rows of their own page only,
// so no chart has more bars than this. Below it, every list is one table.
const PageSize = 200

// listPage is one page of the report list: reports of one year.
type listPage struct {
	Year, N, Pages int
	Count          int // reports of the year
	Offset         int // of the page's first report among the year's
	Reports        []*ReportDigest
	Path           string
}

// regionGroup is the departments of one provincial-level region that
// reported for one year, in department order.
type regionGroup struct {
	Name, Slug string
	Reports    []*ReportDigest
}

// plan lays out the paginated pages: the report list by year and page when
// the site has more reports than a page holds, and the comparison of each
// year with more departments than that by region.
func (s *Site) plan() {
	s.byYear = map[int][]*ReportDigest{}
	s.compared = map[int][]*ReportDigest{}
	s.lists = nil
	for _, r := range s.reports {
		s.byYear[r.Year] = append(s.byYear[r.Year], r)
		if r.Kind == model.KindSelfEval {
			s.compared[r.Year] = append(s.compared[r.Year], r)
		}
	}
	s.split = map[int][]regionGroup{}
	for _, y := range s.years {
		rs := s.byYear[y]
		if len(s.reports) > s.pageSize {
			pages := pageCount(len(rs), s.pageSize)
			for n := 1; n <= pages; n++ {
				lo, hi := pageBounds(n, len(rs), s.pageSize)
				s.lists = append(s.lists, listPage{Year: y, N: n, Pages: pages, Count: len(rs), Offset: lo, Reports: rs[lo:hi], Path: s.listPath(y, n)})
			}
		}
		if cs := s.compared[y]; len(cs) > s.pageSize {
			s.split[y] = groupByRegion(cs)
		}
	}
}

// pageCount is the number of pages n rows take, at least one.
func pageCount(n, size int) int { return max(1, (n+size-1)/size) }

// pageBounds are the rows of page p (from 1) of n rows.
func pageBounds(p, n, size int) (lo, hi int) {
	lo = min((p-1)*size, n)
	return lo, min(lo+size, n)
}

// listPath is page n of year's report list. The first page of the newest
// year is the home page itself.
func (s *Site) listPath(year, n int) string {
	if len(s.years) > 0 && year == s.years[0] && n == 1 {
		return "index.html"
	}
	return "list/" + strconv.Itoa(year) + "/" + strconv.Itoa(n) + ".html"
}

// regionPath is page n of a region's comparison for year.
func regionPath(year int, slug string, n int) string {
	return "compare/" + strconv.Itoa(year) + "/" + pageSuffix(slug, n) + ".html"
}

// categoryPagePath is page n of a category's comparison.
func categoryPagePath(c categoryRef, n int) string {
	return pageSuffix(strings.TrimSuffix(c.Path, ".html"), n) + ".html"
}

// pageSuffix names page n after page 1: name, name-2, name-3 ….
func pageSuffix(name string, n int) string {
	if n <= 1 {
		return name
	}
	return name + "-" + strconv.Itoa(n)
}

// provinces are the provincial-level divisions in the order of the
// national statistical codes, which is how Chinese tables list them, with
// the pinyin that names their pages. A name outside the list (a short form
// such as 湖南 is matched too) gets a page named by a hash, as categories do.
var provinces = []struct{ name, short, slug string }{
	{"北京市", "北京", "beijing"}, {"天津市", "天津", "tianjin"}, {"河北省", "河北", "hebei"},
	{"山西省", "山西", "shanxi"}, {"内蒙古自治区", "内蒙古", "neimenggu"}, {"辽宁省", "辽宁", "liaoning"},
	{"吉林省", "吉林", "jilin"}, {"黑龙江省", "黑龙江", "heilongjiang"}, {"上海市", "上海", "shanghai"},
	{"江苏省", "江苏", "jiangsu"}, {"浙江省", "浙江", "zhejiang"}, {"安徽省", "安徽", "anhui"},
	{"福建省", "福建", "fujian"}, {"江西省", "江西", "jiangxi"}, {"山东省", "山东", "shandong"},
	{"河南省", "河南", "henan"}, {"湖北省", "湖北", "hubei"}, {"湖南省", "湖南", "hunan"},
	{"广东省", "广东", "guangdong"}, {"广西壮族自治区", "广西", "guangxi"}, {"海南省", "海南", "hainan"},
	{"重庆市", "重庆", "chongqing"}, {"四川省", "四川", "sichuan"}, {"贵州省", "贵州", "guizhou"},
	{"云南省", "云南", "yunnan"}, {"西藏自治区", "西藏", "xizang"}, {"陕西省", "陕西", "shaanxi"},
	{"甘肃省", "甘肃", "gansu"}, {"青海省", "青海", "qinghai"}, {"宁夏回族自治区", "宁夏", "ningxia"},
	{"新疆维吾尔自治区", "新疆", "xinjiang"}, {"新疆生产建设兵团", "兵团", "bingtuan"},
	{"台湾省", "台湾", "taiwan"}, {"香港特别行政区", "香港", "xianggang"}, {"澳门特别行政区", "澳门", "aomen"},
}

// noRegion names the group of departments that state no region.
const noRegion = "未注明地区"

// regionKey is where a department's top-level region sorts, what it is
// called and the stable name of its pages.
type regionKey struct {
	order      int // in provinces; len(provinces) for any other name
	name, slug string
}

// compare orders regions as tables list them: provinces by code, then
// other names.
func (k regionKey) compare(o regionKey) int {
	return cmp.Or(cmp.Compare(k.order, o.order), strings.Compare(k.name, o.name))
}

// provinceKeys maps every name and short name of a provincial-level
// region to its key, so that a lookup (ten thousand per rebuild of the
// preview) is one map access.
var provinceKeys = func() map[string]regionKey {
	m := make(map[string]regionKey, 2*len(provinces))
	for i, p := range provinces {
		m[p.name] = regionKey{i, p.name, p.slug}
		m[p.short] = regionKey{i, p.name, p.slug}
	}
	return m
}()

func regionOf(d *model.Department) regionKey {
	name := ""
	if len(d.Region) > 0 {
		name = d.Region[0]
	}
	return provinceKey(name)
}

// provinceKey is the key of a top-level region's name (as regionOf gives
// it, noRegion included).
func provinceKey(name string) regionKey {
	if k, ok := provinceKeys[name]; ok {
		return k
	}
	name = strings.TrimSpace(name)
	if k, ok := provinceKeys[name]; ok {
		return k
	}
	sum := sha256.Sum256([]byte("region/" + name))
	k := regionKey{len(provinces), name, "region-" + hex.EncodeToString(sum[:5])}
	if name == "" || name == noRegion {
		k.order, k.name = len(provinces)+1, noRegion
	}
	return k
}

// groupByRegion splits reports (of one year) by top-level region, in the
// provinces' order, then other names in code-point order; each group keeps
// the reports' order.
func groupByRegion(rs []*ReportDigest) []regionGroup {
	var (
		keys     []regionKey
		groups   = map[string]*regionGroup{}
		lastName string
		last     *regionGroup
	)
	for _, r := range rs {
		// Departments of one province mostly come one after another, and
		// every save in the preview groups 10,000 reports again.
		if last != nil && r.provinceName() == lastName && lastName != "" {
			last.Reports = append(last.Reports, r)
			continue
		}
		k := provinceKey(r.provinceName())
		g := groups[k.slug]
		if g == nil {
			g = &regionGroup{Name: k.name, Slug: k.slug}
			groups[k.slug] = g
			keys = append(keys, k)
		}
		g.Reports = append(g.Reports, r)
		last, lastName = nil, ""
		if r.provinceName() != "" {
			last, lastName = g, r.provinceName()
		}
	}
	slices.SortFunc(keys, regionKey.compare)
	out := make([]regionGroup, 0, len(keys))
	for _, k := range keys {
		out = append(out, *groups[k.slug])
	}
	return out
}

// navLink is an entry of a navigation list. Current is the value of its
// aria-current: "page" for a link to the page itself, "true" for the
// entry the page belongs to (the year of a list's second page), else "".
type navLink struct {
	Href, Text, Current string
}

// navList is a labelled navigation landmark of links.
type navList struct {
	Label string
	Links []navLink
}

// pager links the pages of one paginated list.
type pager struct {
	Label          string // the navigation landmark's aria-label
	Prev, Next     string // hrefs; "" on the first and last page
	Links          []pageLink
	Current, Total int
	First, Last    int // the page's rows, counted from 1
	Rows           int // rows of all pages
}

type pageLink struct {
	Href    string
	N       int
	Current bool
	Gap     bool // pages left out here
}

// pagerWindow is how many pages either side of the current one are linked
// by number when there are too many to link all; the first and last are
// always linked, and "next" reaches every page.
const pagerWindow = 2

// newPager is the pager of page cur of total pages of rows rows at size a
// page; href is the address of page n from the current page.
func newPager(label string, cur, total, rows, size int, href func(n int) string) *pager {
	p := &pager{Label: label, Current: cur, Total: total, Rows: rows}
	lo, hi := pageBounds(cur, rows, size)
	p.First, p.Last = lo+1, hi
	if cur > 1 {
		p.Prev = href(cur - 1)
	}
	if cur < total {
		p.Next = href(cur + 1)
	}
	all := total <= 2*pagerWindow+5
	for n := 1; n <= total; n++ {
		if all || n == 1 || n == total || (n >= cur-pagerWindow && n <= cur+pagerWindow) {
			p.Links = append(p.Links, pageLink{Href: href(n), N: n, Current: n == cur})
		} else if last := len(p.Links) - 1; !p.Links[last].Gap {
			p.Links = append(p.Links, pageLink{Gap: true})
		}
	}
	return p
}

// pageTitle adds the page number to a title when there are several.
func pageTitle(title string, n, pages int) string {
	if pages <= 1 {
		return title
	}
	return fmt.Sprintf("%s（第 %d 页，共 %d 页）", title, n, pages)
}

// comparable keeps the reports whose headline figures mean the same thing
// from one department to the next: the self-evaluation reports. A 决算's
// totals or a project form's funds set beside them would not be like for
// like.
func comparable(rs []*ReportDigest) []*ReportDigest {
	out := make([]*ReportDigest, 0, len(rs))
	for _, r := range rs {
		if r.Kind == model.KindSelfEval {
			out = append(out, r)
		}
	}
	return out
}
