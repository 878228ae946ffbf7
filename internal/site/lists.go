package site

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"

	"disclose/internal/charts"
	"disclose/internal/model"
)

// summaryRow is one report in the home, comparison and history tables.
type summaryRow struct {
	Href, Dept, Region, Province string
	Kind                         string // the document kind, when it is not a self-evaluation report
	Year                         int
	Budget, Expenditure          *figure
	Basic, Project               *figure
	BasicShare, ProjectShare     string
	StatedRate, ComputedRate     string
	Three                        *figure
	Score                        string
	Checks                       int // warnings shown on the report's page
}

func (s *Site) summary(r *model.Report, root string) summaryRow {
	o := r.Overview()
	d := r.Department
	href := root + reportPath(r)
	row := summaryRow{
		Href: href, Dept: deptName(d), Region: regionText(d), Year: r.Year,
		Budget: onReport(overviewFig(o.Budget), href), Expenditure: onReport(overviewFig(o.Expenditure), href),
		Basic: onReport(overviewFig(o.Basic), href), Project: onReport(overviewFig(o.Project), href),
		StatedRate: percentText(o.StatedRate),
	}
	row.Province = regionOf(d).name
	if k := r.DocKind(); k != model.KindSelfEval {
		row.Kind = k.DocTitle()
	}
	if share, ok := o.BasicShare(); ok {
		row.BasicShare = pct(share)
		row.ProjectShare = pct(model.MustDecimal("100").Sub(share))
	}
	if rate, ok := o.ExecutionRate(); ok {
		row.ComputedRate = pct(rate)
	}
	if t := r.ThreePublic; t != nil && t.Total != nil {
		row.Three = onReport(amountFig(t.Total.Actual), href)
	}
	if o.Score != nil {
		row.Score = o.Score.String()
	}
	for _, c := range checkViews(s.checksOf(r)) {
		if c.Warning {
			row.Checks++
		}
	}
	return row
}

// summaryTable is the data of the shared summary-table partial.
type summaryTable struct {
	ID, Caption, Root                 string
	Rows                              []summaryRow
	ShowRegion, ShowShares, ShowThree bool
	// ByProvince gives each row its province (data-province) for the
	// filter of a paginated list.
	ByProvince bool
}

type homeView struct {
	Intro   any
	Table   summaryTable
	Years   []int
	Regions []string
	Compare []link
	Depts   int
	Reports int
	// List is the first page of the newest year when the reports are
	// listed by year and page; Table is then unused.
	List *reportList
}

func (s *Site) homeView(pg *page) any {
	v := &homeView{Intro: s.intro, Years: s.years, Depts: len(s.m.Departments), Reports: len(s.reports)}
	for _, y := range s.years {
		v.Compare = append(v.Compare, link{Href: comparePath(y), Text: fmt.Sprintf("%d年度各部门对比", y)})
	}
	if len(s.lists) > 0 {
		v.List = s.reportList(s.lists[0], pg)
		return v
	}
	v.Table = summaryTable{ID: "reports", Caption: "全部报告", Root: pg.Root, ShowRegion: true}
	seen := map[string]bool{}
	for _, r := range s.reports {
		row := s.summary(r, pg.Root)
		v.Table.Rows = append(v.Table.Rows, row)
		if !seen[row.Region] {
			seen[row.Region] = true
			v.Regions = append(v.Regions, row.Region)
		}
	}
	slices.Sort(v.Regions)
	return v
}

// reportList is one page of the report list, by year and page.
type reportList struct {
	Root      string
	Year      int
	Size      int // reports a page holds
	Table     summaryTable
	Years     navList
	Pager     *pager
	Provinces []string // of the page's rows, for the filter
}

func (s *Site) reportList(l listPage, pg *page) *reportList {
	v := &reportList{Root: pg.Root, Year: l.Year, Size: s.pageSize}
	v.Table = summaryTable{ID: "reports", Caption: pageTitle(fmt.Sprintf("%d年度报告", l.Year), l.N, l.Pages), Root: pg.Root, ShowRegion: true, ByProvince: true}
	var regions []regionKey
	for _, r := range l.Reports {
		v.Table.Rows = append(v.Table.Rows, s.summary(r, pg.Root))
		if k := regionOf(r.Department); !slices.Contains(regions, k) {
			regions = append(regions, k)
		}
	}
	slices.SortFunc(regions, regionKey.compare)
	for _, k := range regions {
		v.Provinces = append(v.Provinces, k.name)
	}
	v.Years.Label = "按年度浏览报告"
	for _, y := range s.years {
		nl := navLink{Href: pg.Root + s.listPath(y, 1), Text: fmt.Sprintf("%d年度（%d 份）", y, len(s.byYear[y]))}
		if y == l.Year {
			nl.Current = "true"
			if l.N == 1 {
				nl.Current = "page"
			}
		}
		v.Years.Links = append(v.Years.Links, nl)
	}
	v.Pager = newPager(fmt.Sprintf("%d年度报告分页", l.Year), l.N, l.Pages, l.Count, s.pageSize, func(n int) string { return pg.Root + s.listPath(l.Year, n) })
	return v
}

// listView is a page of the report list other than the home page.
func (s *Site) listView(l listPage, pg *page) any {
	pg.Title = pageTitle(fmt.Sprintf("%d年度报告列表", l.Year), l.N, l.Pages)
	pg.Crumbs = []crumb{{pg.Root + "index.html", "首页"}}
	return s.reportList(l, pg)
}

type compareView struct {
	Year       int
	Table      summaryTable
	Charts     []chartView
	Categories []categoryRef
	Other      []link
	// A year with more departments than a page holds is compared by
	// region: its page lists the regions (Regions, Total), and each
	// region has pages of its own (Region).
	Regions []regionRow
	Total   *regionRow
	Region  *regionPart
	// The year's other documents: they are not set beside the
	// self-evaluation reports, but listed, and the 三公 statements shown
	// side by side as each printed them.
	Docs      []link
	DocsMore  int
	ThreeDocs []threeDocRow
}

// regionRow sums the reports of one region (or of the whole year).
type regionRow struct {
	Href, Name                          string
	Depts, Pages                        int
	Budget, Expenditure, Basic, Project sumCell
	Rate                                string // of the summed expenditure and budget of the reports stating both
	Checks                              int    // reports with warnings
}

// sumCell is a sum and how many reports did not state the figure.
type sumCell struct {
	Text    string
	Missing int
}

// regionPart is what a region's comparison page adds.
type regionPart struct {
	Name    string
	Count   int // departments of the region in the year
	Regions navList
	Pager   *pager
}

func (s *Site) compareView(year int, pg *page) any {
	v := &compareView{Year: year}
	pg.Title = fmt.Sprintf("%d年度各部门对比", year)
	pg.Crumbs = []crumb{{pg.Root + "index.html", "首页"}}
	rs := s.compared[year]
	if groups := s.split[year]; groups != nil {
		for _, g := range groups {
			row := s.regionRow(g.Name, g.Reports)
			row.Href = pg.Root + regionPath(year, g.Slug, 1)
			row.Pages = pageCount(len(g.Reports), s.pageSize)
			v.Regions = append(v.Regions, row)
		}
		total := s.regionRow("合计", rs)
		v.Total = &total
	} else {
		v.Table = summaryTable{ID: "compare", Caption: pg.Title, Root: pg.Root, ShowRegion: true, ShowShares: true, ShowThree: true}
		for _, r := range rs {
			v.Table.Rows = append(v.Table.Rows, s.summary(r, pg.Root))
		}
		v.Charts = chartViews(charts.ForYear(year, rs))
	}
	v.Docs, v.ThreeDocs, v.DocsMore = s.otherDocs(year, pg.Root)
	for _, c := range s.category {
		for _, r := range c.Reports {
			if r.Year == year {
				v.Categories = append(v.Categories, c)
				break
			}
		}
	}
	for _, y := range s.years {
		if y != year {
			v.Other = append(v.Other, link{Href: pg.Root + comparePath(y), Text: fmt.Sprintf("%d年度", y)})
		}
	}
	return v
}

// regionView is page n of one region's comparison in a year that is split
// by region.
func (s *Site) regionView(year int, g regionGroup, n int, pg *page) any {
	pages := pageCount(len(g.Reports), s.pageSize)
	overview := fmt.Sprintf("%d年度各部门对比", year)
	pg.Title = pageTitle(overview+"："+g.Name, n, pages)
	pg.Crumbs = []crumb{{pg.Root + "index.html", "首页"}, {pg.Root + comparePath(year), overview}}
	lo, hi := pageBounds(n, len(g.Reports), s.pageSize)
	rs := g.Reports[lo:hi]
	v := &compareView{Year: year, Region: &regionPart{Name: g.Name, Count: len(g.Reports)}}
	v.Table = summaryTable{ID: "compare", Caption: pg.Title, Root: pg.Root, ShowRegion: true, ShowShares: true, ShowThree: true}
	for _, r := range rs {
		v.Table.Rows = append(v.Table.Rows, s.summary(r, pg.Root))
	}
	// The charts show this page's departments only.
	v.Charts = chartViews(charts.ForYear(year, rs))
	v.Region.Regions.Label = fmt.Sprintf("%d年度各地区", year)
	for _, o := range s.split[year] {
		nl := navLink{Href: pg.Root + regionPath(year, o.Slug, 1), Text: o.Name}
		if o.Slug == g.Slug {
			nl.Current = "true"
			if n == 1 {
				nl.Current = "page"
			}
		}
		v.Region.Regions.Links = append(v.Region.Regions.Links, nl)
	}
	if pages > 1 {
		v.Region.Pager = newPager(g.Name+"分页", n, pages, len(g.Reports), s.pageSize, func(k int) string { return pg.Root + regionPath(year, g.Slug, k) })
	}
	// Other years: the same region where that year is split too.
	for _, y := range s.years {
		if y == year {
			continue
		}
		href := pg.Root + comparePath(y)
		if slices.ContainsFunc(s.split[y], func(o regionGroup) bool { return o.Slug == g.Slug }) {
			href = pg.Root + regionPath(y, g.Slug, 1)
		}
		v.Other = append(v.Other, link{Href: href, Text: fmt.Sprintf("%d年度", y)})
	}
	return v
}

// regionRow adds up the figures of reports.
func (s *Site) regionRow(name string, rs []*model.Report) regionRow {
	row := regionRow{Name: name, Depts: len(rs)}
	var sums [4]model.Decimal
	var missing [4]int
	var spent, budget model.Decimal
	for _, r := range rs {
		o := r.Overview()
		for i, f := range []*model.Figure{o.Budget, o.Expenditure, o.Basic, o.Project} {
			if f == nil {
				missing[i]++
			} else {
				sums[i] = sums[i].Add(f.Value)
			}
		}
		if o.Budget != nil && o.Expenditure != nil {
			budget, spent = budget.Add(o.Budget.Value), spent.Add(o.Expenditure.Value)
		}
		for _, c := range checkViews(s.checksOf(r)) {
			if c.Warning {
				row.Checks++
				break
			}
		}
	}
	cells := []*sumCell{&row.Budget, &row.Expenditure, &row.Basic, &row.Project}
	for i, c := range cells {
		c.Missing = missing[i]
		if missing[i] < len(rs) {
			c.Text = money(sums[i])
		}
	}
	if !budget.IsZero() {
		if rate, ok := model.Ratio(spent, budget, 2); ok {
			row.Rate = pct(rate)
		}
	}
	return row
}

type departmentView struct {
	D      *model.Department
	Name   string
	Table  summaryTable
	Charts []chartView
	Docs   []docYear // every document, newest year first
	Org    []fact    // 内设机构 and 下属单位, where department.yaml gives them
	// Changes compares each report with the previous one of its kind.
	Changes []changeTable
}

// docYear is one year's documents on the department page.
type docYear struct {
	Year int
	Docs []link
}

func (s *Site) departmentView(d *model.Department, pg *page) any {
	pg.Title = d.Name + "历年公开情况"
	pg.Crumbs = []crumb{{pg.Root + "index.html", "首页"}}
	v := &departmentView{D: d, Name: deptName(d)}
	for _, f := range []fact{{"内设机构", orgUnitsText(d.Offices)}, {"下属单位", orgUnitsText(d.Subordinates)}} {
		if f.Value != "" {
			v.Org = append(v.Org, f)
		}
	}
	v.Table = summaryTable{ID: "history", Caption: d.Name + "历年绩效自评情况", Root: pg.Root, ShowShares: true, ShowThree: true}
	for i := len(d.Reports) - 1; i >= 0; i-- {
		r := d.Reports[i]
		if r.DocKind() == model.KindSelfEval {
			v.Table.Rows = append(v.Table.Rows, s.summary(r, pg.Root))
		}
		if n := len(v.Docs); n == 0 || v.Docs[n-1].Year != r.Year {
			v.Docs = append(v.Docs, docYear{Year: r.Year})
		}
		y := &v.Docs[len(v.Docs)-1]
		y.Docs = append(y.Docs, link{Href: pg.Root + reportPath(r), Text: r.Title, Note: r.DocKind().DocTitle()})
	}
	// Within a year, the kind order of the loader (决算 first).
	for _, y := range v.Docs {
		slices.Reverse(y.Docs)
	}
	v.Charts = chartViews(charts.ForDepartment(d))
	v.Changes = departmentChanges(d, pg.Root)
	return v
}

// categoryRef is a spending category found in at least two reports, which
// gets its own comparison page.
type categoryRef struct {
	Name, Kind, KindName, Path string
	Reports                    []*model.Report
}

// categoryKey identifies a spending category across reports.
type categoryKey struct{ kind, name string }

// categoryKeys lists r's distinct categories in order.
func categoryKeys(r *model.Report, memo *Memo) []categoryKey {
	var keys []categoryKey
	for _, c := range memo.categories(r) {
		k := categoryKey{c.Kind, c.Name}
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

func categoriesOf(reports []*model.Report, memo *Memo) []categoryRef {
	if refs, ok := memo.reuseCategories(reports); ok {
		return refs
	}
	memo.keep(reports)
	var out []categoryRef
	for _, g := range model.SharedCategories(reports, memo.categories) {
		out = append(out, categoryRef{Name: g.Name, Kind: g.Kind, KindName: kindName(g.Kind), Path: categoryPath(g.Kind, g.Name), Reports: g.Reports})
	}
	memo.rememberCategories(reports, out)
	return out
}

func kindName(kind string) string {
	if kind == "basic" {
		return "基本支出"
	}
	return "项目支出"
}

// categoryPath derives a stable file name from the category, so that its
// address does not change when other categories come and go.
func categoryPath(kind, name string) string {
	sum := sha256.Sum256([]byte(kind + "/" + name))
	return "compare/category/" + kind + "-" + hex.EncodeToString(sum[:5]) + ".html"
}

type categoriesView struct{ Categories []categoryRef }

func (s *Site) categoriesView(pg *page) any {
	pg.Title = "支出类别对比"
	pg.Crumbs = []crumb{{pg.Root + "index.html", "首页"}}
	return &categoriesView{Categories: s.category}
}

type categoryView struct {
	C      categoryRef
	Rows   []categoryRow
	Charts []chartView
	// Pager links the pages of a category shared by more reports than a
	// page holds; nil otherwise.
	Pager *pager
}

type categoryRow struct {
	Href, Dept, Region string
	Year               int
	Amount             *figure
	Share              string
}

// categoryView is page n of a category's comparison.
func (s *Site) categoryView(c categoryRef, n int, pg *page) any {
	pages := pageCount(len(c.Reports), s.pageSize)
	pg.Title = pageTitle(c.KindName+"类别对比："+c.Name, n, pages)
	pg.Crumbs = []crumb{{pg.Root + "index.html", "首页"}, {pg.Root + "compare/categories.html", "支出类别对比"}}
	v := &categoryView{C: c}
	lo, hi := pageBounds(n, len(c.Reports), s.pageSize)
	rs := c.Reports[lo:hi]
	if pages > 1 {
		v.Pager = newPager(c.Name+"分页", n, pages, len(c.Reports), s.pageSize, func(k int) string { return pg.Root + categoryPagePath(c, k) })
	}
	for _, r := range rs {
		row := categoryRow{Href: pg.Root + reportPath(r), Dept: deptName(r.Department), Region: regionText(r.Department), Year: r.Year}
		for _, cat := range r.Categories() {
			if cat.Kind == c.Kind && cat.Name == c.Name {
				row.Amount = &figure{Text: money(cat.Amount), Computed: cat.Computed}
				// Of basic plus project, not of stated expenditure: some
				// reports state expenditure for one fund but projects for
				// the whole department (as the charts do).
				if o := r.Overview(); o.Basic != nil && o.Project != nil {
					if share, ok := model.Ratio(cat.Amount, o.Basic.Value.Add(o.Project.Value), 2); ok {
						row.Share = pct(share)
					}
				}
				break
			}
		}
		v.Rows = append(v.Rows, row)
	}
	// The charts show this page's reports only.
	v.Charts = chartViews(charts.ForCategory(c.Name, rs))
	return v
}

// threeDocRow is a 三公 statement's (or a 决算's) 三公 figures, each in
// the unit it was published in.
type threeDocRow struct {
	Href, Dept, Region, Kind string
	Budget, Actual           *figure
	Rate, Change, ChangeRate string
}

// otherDocs lists the year's documents that are not self-evaluation
// reports (at most a page of them; more is the count left out), and the
// 三公 figures those documents state.
func (s *Site) otherDocs(year int, root string) (docs []link, three []threeDocRow, more int) {
	for _, r := range s.byYear[year] {
		k := r.DocKind()
		if k == model.KindSelfEval {
			continue
		}
		if len(docs) >= s.pageSize {
			more++
			continue
		}
		href := root + reportPath(r)
		docs = append(docs, link{Href: href, Text: deptName(r.Department) + "：" + r.Title, Note: k.DocTitle()})
		if t := r.ThreePublic; t != nil && t.Total != nil && (t.Total.Budget != nil || t.Total.Actual != nil) {
			three = append(three, threeDocRow{
				Href: href, Dept: deptName(r.Department), Region: regionText(r.Department), Kind: k.DocTitle(),
				Budget: onReport(amountFig(t.Total.Budget), href), Actual: onReport(amountFig(t.Total.Actual), href),
				Rate: percentText(t.Total.Rate), Change: deltaText(t.Total.Change), ChangeRate: deltaText(t.Total.ChangeRate),
			})
		}
	}
	return docs, three, more
}
