package site

import (
	"fmt"

	"disclose/internal/diag"
	"slices"
	"strings"

	"disclose/internal/charts"
	"disclose/internal/econclass"
	"disclose/internal/model"
)

// summaryRow is one report in the home, comparison and history tables.
type summaryRow struct {
	Href, Dept, Region, Province string
	City                         string // province and city, as regionText writes them; "" for a province-level department
	Kind                         string // the document kind, when it is not a self-evaluation report
	Year                         int
	Budget, Expenditure          *figure
	Basic, Project               *figure
	BasicShare, ProjectShare     string
	StatedRate, ComputedRate     string
	Three                        *figure
	Score                        string
	Checks                       int // warnings shown on the report's page
	// Scope notes of the share and computed-rate cells (see figure.Scope),
	// and every marked cell of the row, for the note under the table.
	ShareScope, RateScope string
	Scopes                []scopeCell
}

// scopeCell is a cell that is not of its column's scope.
type scopeCell struct {
	Column, Text, Note string
	Shares             bool // the share columns, which not every table shows
}

// summaryOf is r's row with addresses relative to the site root; own are
// the checker's findings in r's files.
func summaryOf(r *model.Report, own []diag.Diagnostic) summaryRow {
	o := r.Overview()
	d := r.Department
	row := summaryRow{
		Href: reportPath(r), Dept: deptName(d), Region: regionText(d), Year: r.Year,
		Budget: overviewFig(o.Budget), Expenditure: overviewFig(o.Expenditure),
		Basic: overviewFig(o.Basic), Project: overviewFig(o.Project),
		StatedRate: percentText(o.StatedRate),
	}
	row.Province = regionOf(d).name
	if len(d.Region) > 1 {
		row.City = strings.Join(d.Region[:2], "")
	}
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
		row.Three = amountFig(t.Total.Actual)
	}
	if o.Score != nil {
		row.Score = o.Score.String()
	}
	row.markScopes(r.Scopes(o))
	for _, c := range checkViews(own) {
		if c.Warning {
			row.Checks++
		}
	}
	return row
}

// summary is r's row on a page root away from the site root.
func (s *Site) summary(r *model.Report, root string) summaryRow {
	return rooted(summaryOf(r, s.checksOf(r)), root)
}

// rooted is row on a page root away from the site root: its links, and
// the links of its figures' errata to the report page.
func rooted(row summaryRow, root string) summaryRow {
	row.Href = root + row.Href
	for _, f := range []**figure{&row.Budget, &row.Expenditure, &row.Basic, &row.Project, &row.Three} {
		*f = onReport(*f, row.Href)
	}
	return row
}

// markScopes marks the row's figures that are not the department's whole
// figure of their column, so that no comparison sets them beside others'
// unmarked (the charts leave them out: charts.ForYear).
func (row *summaryRow) markScopes(sc model.OverviewScopes) {
	for _, c := range []struct {
		column string
		f      *figure
		s      model.Scope
	}{{"全年预算", row.Budget, sc.Budget}, {"支出合计", row.Expenditure, sc.Expenditure}, {"基本支出", row.Basic, sc.Basic}, {"项目支出", row.Project, sc.Project}} {
		if c.f == nil || c.s.Like() {
			continue
		}
		c.f.Scope = c.s.Note
		row.Scopes = append(row.Scopes, scopeCell{Column: c.column, Text: c.f.Text + "万元", Note: c.s.Note})
	}
	if row.BasicShare != "" && !sc.Shares.Like() {
		row.ShareScope = sc.Shares.Note
		row.Scopes = append(row.Scopes, scopeCell{"基本支出占比和项目支出占比", "", sc.Shares.Note, true})
	}
	if row.ComputedRate != "" && !sc.Rate.Like() {
		row.RateScope = sc.Rate.Note
		row.Scopes = append(row.Scopes, scopeCell{Column: "计算的预算执行率", Text: row.ComputedRate, Note: sc.Rate.Note})
	}
}

// ScopeNotes are the rows with marked cells, each with the anchor its
// marks link to.
func (t summaryTable) ScopeNotes() []scopeNote {
	var out []scopeNote
	for i, r := range t.Rows {
		var cells []scopeCell
		for _, c := range r.Scopes {
			if c.Shares && !t.ShowShares {
				continue // not a column of this table
			}
			cells = append(cells, c)
		}
		if len(cells) > 0 {
			out = append(out, scopeNote{ID: t.ScopeID(i), Dept: r.Dept, Year: r.Year, Cells: cells})
		}
	}
	return out
}

// ScopeID is the anchor of row i's scope note.
func (t summaryTable) ScopeID(i int) string { return fmt.Sprintf("%s-scope-%d", t.ID, i+1) }

type scopeNote struct {
	ID, Dept string
	Year     int
	Cells    []scopeCell
}

// summaryTable is the data of the shared summary-table partial.
type summaryTable struct {
	ID, Caption, Root                 string
	Rows                              []summaryRow
	ShowRegion, ShowShares, ShowThree bool
}

type homeView struct {
	Intro   any
	Table   summaryTable
	Years   []int
	Filter  regionFilter
	Compare []link
	Depts   int
	Reports int
	// List is the first page of the newest year when the reports are
	// listed by year and page; Table is then unused.
	List *reportList
}

func (s *Site) homeView(pg *page) any {
	v := &homeView{Intro: s.intro, Years: s.years, Depts: len(s.digests), Reports: len(s.reports)}
	for _, y := range s.years {
		v.Compare = append(v.Compare, link{Href: comparePath(y), Text: fmt.Sprintf("%d年度各部门对比", y)})
	}
	if len(s.lists) > 0 {
		v.List = s.reportList(s.lists[0], pg)
		return v
	}
	v.Table = summaryTable{ID: "reports", Caption: "全部报告", Root: pg.Root, ShowRegion: true}
	for _, r := range s.reports {
		v.Table.Rows = append(v.Table.Rows, rooted(r.Row, pg.Root))
	}
	v.Filter = newRegionFilter(v.Table.Rows)
	return v
}

// regionFilter is the choice of a list's rows by province, city and full
// region: a reader looks for 湖南省 or 岳阳市 as often as for one county.
type regionFilter struct {
	Provinces       []string
	Cities, Regions []filterOption
}

// A filterOption is one choice of a select; In is the choice of the select
// above it (the province of a city) under which it is offered.
type filterOption struct{ Value, Label, In string }

func newRegionFilter(rows []summaryRow) regionFilter {
	var f regionFilter
	seen := map[string]bool{}
	for _, row := range rows {
		if !seen["p"+row.Province] {
			seen["p"+row.Province] = true
			f.Provinces = append(f.Provinces, row.Province)
		}
		if row.City != "" && !seen["c"+row.City] {
			seen["c"+row.City] = true
			f.Cities = append(f.Cities, filterOption{row.City, strings.TrimPrefix(row.City, row.Province), row.Province})
		}
		if !seen["r"+row.Region] {
			seen["r"+row.Region] = true
			f.Regions = append(f.Regions, filterOption{row.Region, row.Region, row.Province})
		}
	}
	slices.SortFunc(f.Provinces, func(a, b string) int {
		return regionKey.compare(provinceKey(a), provinceKey(b))
	})
	byValue := func(a, b filterOption) int { return strings.Compare(a.Value, b.Value) }
	slices.SortFunc(f.Cities, byValue)
	slices.SortFunc(f.Regions, byValue)
	return f
}

// reportList is one page of the report list, by year and page.
type reportList struct {
	Root   string
	Year   int
	Size   int // reports a page holds
	Table  summaryTable
	Years  navList
	Pager  *pager
	Filter regionFilter // of the page's rows
}

func (s *Site) reportList(l listPage, pg *page) *reportList {
	v := &reportList{Root: pg.Root, Year: l.Year, Size: s.pageSize}
	v.Table = summaryTable{ID: "reports", Caption: pageTitle(fmt.Sprintf("%d年度报告", l.Year), l.N, l.Pages), Root: pg.Root, ShowRegion: true}
	for _, r := range l.Reports {
		v.Table.Rows = append(v.Table.Rows, rooted(r.Row, pg.Root))
	}
	v.Filter = newRegionFilter(v.Table.Rows)
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
			v.Table.Rows = append(v.Table.Rows, rooted(r.Row, pg.Root))
		}
		v.Charts = chartViews(charts.ForYearRows(year, chartRows(rs)))
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
		v.Table.Rows = append(v.Table.Rows, rooted(r.Row, pg.Root))
	}
	// The charts show this page's departments only.
	v.Charts = chartViews(charts.ForYearRows(year, chartRows(rs)))
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
func (s *Site) regionRow(name string, rs []*ReportDigest) regionRow {
	row := regionRow{Name: name, Depts: len(rs)}
	var sums [4]model.Decimal
	var missing [4]int
	var spent, budget model.Decimal
	for _, r := range rs {
		o := r.Chart.Overview()
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
		if r.Row.Checks > 0 {
			row.Checks++
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

// categoryRef is a class of the official classification (econclass)
// that at least two reports' spending lines map to, which gets its own
// comparison page.
type categoryRef struct {
	Name, Kind, KindName, Path string // Kind: the scheme; Name: the class as readers see it
	Class                      econclass.Class
	Reports                    []*ReportDigest
}

// mappedLine is one of a report's spending lines (model.Category) and the
// class it maps to; Class is the zero Class when it maps to none.
type mappedLine struct {
	Kind, Name string
	Class      econclass.Class
	Why        string
}

// classEntry is what a report gives for one class: the amount of its
// lines that map there (summed, and so Computed, when several do), or a
// group's sum of its parts.
type classEntry struct {
	// The class by its scheme and code (econclass.Lookup): a digest keeps
	// a few for every report, and the class itself, with its group's
	// parts, is three times the size.
	Scheme   econclass.Scheme
	Code     string
	Amount   model.Decimal
	Computed bool
	Why      string // which published lines, and why they map here
}

func entryOf(c econclass.Class, amount model.Decimal, computed bool, why string) classEntry {
	return classEntry{Scheme: c.Scheme, Code: c.Code, Amount: amount, Computed: computed, Why: why}
}

// class is the entry's class in the classification.
func (e classEntry) class() econclass.Class {
	c, _ := econclass.Lookup(e.Scheme, e.Code)
	return c
}

// key is class().Key(), without the lookup.
func (e classEntry) key() string { return econclass.Class{Scheme: e.Scheme, Code: e.Code}.Key() }

// classEntries maps r's spending lines to the classification. A group
// (人员经费 = 301 + 303) that the report does not state under its own name
// is added up from its parts when the report states every part.
func classEntries(r *model.Report) ([]classEntry, []mappedLine) {
	var entries []classEntry
	var lines []mappedLine
	index := map[string]int{}
	for _, c := range r.Categories() {
		m, ok := econclass.Map(c.Name, c.Code)
		line := mappedLine{Kind: model.KindTitle(c.Kind), Name: c.Name, Class: m.Class, Why: m.Why}
		lines = append(lines, line)
		if !ok {
			continue
		}
		why := "“" + c.Name + "”（" + line.Kind + "）→ " + m.Class.Label() + "：" + m.Why
		if c.Computed {
			why += "；金额由本站将各资金来源的同名项相加"
		}
		k := m.Class.Key()
		if i, seen := index[k]; seen {
			e := &entries[i]
			e.Amount, e.Computed, e.Why = e.Amount.Add(c.Amount), true, e.Why+"；"+why
			continue
		}
		index[k] = len(entries)
		entries = append(entries, entryOf(m.Class, c.Amount, c.Computed, why))
	}
	for _, g := range econclass.Groups() {
		if _, stated := index[g.Key()]; stated {
			continue
		}
		var sum model.Decimal
		var parts []string
		complete := true
		for _, code := range g.Parts {
			part, _ := econclass.Lookup(g.Scheme, code)
			i, ok := index[part.Key()]
			if !ok {
				complete = false
				break
			}
			sum = sum.Add(entries[i].Amount)
			parts = append(parts, part.Label())
		}
		if !complete {
			continue
		}
		why := "本站将" + strings.Join(parts, "与") + "相加：" + g.Def
		lines = append(lines, mappedLine{Kind: "基本支出", Name: "（本站相加）", Class: g, Why: why})
		entries = append(entries, entryOf(g, sum, true, why))
	}
	return entries, lines
}

func categoriesOf(reports []*ReportDigest) []categoryRef {
	var out []categoryRef
	index := map[string]int{}
	for _, r := range reports {
		for _, e := range r.Classes {
			k := e.key()
			i, ok := index[k]
			if !ok {
				i = len(out)
				index[k] = i
				c := e.class()
				out = append(out, categoryRef{Name: c.Label(), Kind: string(c.Scheme), KindName: c.Scheme.Title(), Path: categoryPath(c), Class: c})
			}
			out[i].Reports = append(out[i].Reports, r)
		}
	}
	out = slices.DeleteFunc(out, func(c categoryRef) bool { return len(c.Reports) < 2 })
	// Economic classes first, then the classes most reports share.
	slices.SortStableFunc(out, func(a, b categoryRef) int {
		if a.Kind != b.Kind {
			if a.Kind == string(econclass.Econ) {
				return -1
			}
			return 1
		}
		return len(b.Reports) - len(a.Reports)
	})
	return out
}

// categoryPath is the class's page, named by its code so that the address
// says what it is and does not change when other classes come and go.
func categoryPath(c econclass.Class) string {
	return "compare/category/" + c.Key() + ".html"
}

type categoriesView struct {
	Categories []categoryRef
	Lines      []categoryLineRow
	Mapped     int // distinct published names mapped to a class
}

// categoryLineRow is one published name of a spending line on the
// categories page, with the reports that use it: the class it maps to
// and why, or none.
type categoryLineRow struct {
	Kind, Name string
	Reports    []link // the first few reports that use the name
	More       int    // how many more do
	Class, Why string // empty when unmapped
	ClassHref  string // the class's comparison page, when it has one
}

// namesShown is how many reports a row of the categories page names.
const namesShown = 3

func (s *Site) categoriesView(pg *page) any {
	pg.Title = "支出类别对比"
	pg.Crumbs = []crumb{{pg.Root + "index.html", "首页"}}
	v := &categoriesView{Categories: s.category}
	pages := map[string]string{}
	for _, c := range s.category {
		pages[c.Class.Key()] = pg.Root + c.Path
	}
	// One row per published name (and class): a site of many reports
	// repeats the same names.
	type key struct{ kind, name, class string }
	index := map[key]int{}
	for _, r := range comparable(s.reports) {
		for _, l := range r.lines() {
			k := key{l.Kind, l.Name, l.Class.Key()}
			i, ok := index[k]
			if !ok {
				i = len(v.Lines)
				index[k] = i
				row := categoryLineRow{Kind: l.Kind, Name: l.Name}
				if l.Class.Code != "" {
					row.Class, row.Why, row.ClassHref = l.Class.Label(), l.Why, pages[l.Class.Key()]
					v.Mapped++
				}
				v.Lines = append(v.Lines, row)
			}
			row := &v.Lines[i]
			if len(row.Reports) < namesShown {
				row.Reports = append(row.Reports, link{Href: pg.Root + r.path(), Text: fmt.Sprintf("%s %d年度", r.deptName(), r.Year)})
			} else {
				row.More++
			}
		}
	}
	return v
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
	Why                string // the published lines and why they map to the class
}

// categoryView is page n of a category's comparison.
func (s *Site) categoryView(c categoryRef, n int, pg *page) any {
	pages := pageCount(len(c.Reports), s.pageSize)
	pg.Title = pageTitle("支出类别对比："+c.Name, n, pages)
	pg.Crumbs = []crumb{{pg.Root + "index.html", "首页"}, {pg.Root + "compare/categories.html", "支出类别对比"}}
	v := &categoryView{C: c}
	lo, hi := pageBounds(n, len(c.Reports), s.pageSize)
	rs := c.Reports[lo:hi]
	if pages > 1 {
		v.Pager = newPager(c.Name+"分页", n, pages, len(c.Reports), s.pageSize, func(k int) string { return pg.Root + categoryPagePath(c, k) })
	}
	key := c.Class.Key()
	entry := func(r *ReportDigest) (classEntry, bool) {
		for _, e := range r.Classes {
			if e.key() == key {
				return e, true
			}
		}
		return classEntry{}, false
	}
	for _, r := range rs {
		row := categoryRow{Href: pg.Root + r.path(), Dept: r.deptName(), Region: r.region(), Year: r.Year}
		if e, ok := entry(r); ok {
			row.Amount = &figure{Text: money(e.Amount), Computed: e.Computed}
			row.Why = e.Why
			// Of basic plus project, not of stated expenditure: some
			// reports state expenditure for one fund but projects for
			// the whole department (as the charts do).
			if o := r.Chart.Overview(); o.Basic != nil && o.Project != nil {
				if share, ok := model.Ratio(e.Amount, o.Basic.Value.Add(o.Project.Value), 2); ok {
					row.Share = pct(share)
				}
			}
		}
		v.Rows = append(v.Rows, row)
	}
	// The charts show this page's reports only.
	of := make(map[*charts.Row]*ReportDigest, len(rs))
	for _, r := range rs {
		of[r.Chart] = r
	}
	v.Charts = chartViews(charts.ForCategoryAmounts(c.Name, chartRows(rs), func(row *charts.Row) (model.Decimal, bool, bool) {
		e, ok := entry(of[row])
		return e.Amount, e.Computed, ok
	}))
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
		if r.Kind == model.KindSelfEval {
			continue
		}
		if len(docs) >= s.pageSize {
			more++
			continue
		}
		href := root + r.path()
		docs = append(docs, link{Href: href, Text: r.deptName() + "：" + r.Title, Note: r.Kind.DocTitle()})
		if t := r.Three; t != nil {
			row := *t
			row.Href, row.Budget, row.Actual = href, onReport(t.Budget, href), onReport(t.Actual, href)
			three = append(three, row)
		}
	}
	return docs, three, more
}

// chartRows are what the comparison charts read of rs.
func chartRows(rs []*ReportDigest) []*charts.Row {
	out := make([]*charts.Row, len(rs))
	for i, r := range rs {
		out[i] = r.Chart
	}
	return out
}
