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
	if len(d.Region) > 0 {
		row.Province = d.Region[0]
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
}

type homeView struct {
	Intro   any
	Table   summaryTable
	Years   []int
	Regions []string
	Compare []link
	Depts   int
}

func (s *Site) homeView(pg *page) any {
	v := &homeView{Intro: s.intro, Years: s.years, Depts: len(s.m.Departments)}
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
	for _, y := range s.years {
		v.Compare = append(v.Compare, link{Href: comparePath(y), Text: fmt.Sprintf("%d年度各部门对比", y)})
	}
	return v
}

type compareView struct {
	Year       int
	Table      summaryTable
	Charts     []chartView
	Categories []categoryRef
	Other      []link
}

func (s *Site) compareView(year int, pg *page) any {
	v := &compareView{Year: year}
	pg.Title = fmt.Sprintf("%d年度各部门对比", year)
	v.Table = summaryTable{ID: "compare", Caption: pg.Title, Root: pg.Root, ShowRegion: true, ShowShares: true, ShowThree: true}
	pg.Crumbs = []crumb{{pg.Root + "index.html", "首页"}}
	var rs []*model.Report
	for _, r := range s.reports {
		if r.Year == year {
			rs = append(rs, r)
			v.Table.Rows = append(v.Table.Rows, s.summary(r, pg.Root))
		}
	}
	v.Charts = chartViews(charts.ForYear(year, rs))
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

type departmentView struct {
	D      *model.Department
	Name   string
	Table  summaryTable
	Charts []chartView
}

func (s *Site) departmentView(d *model.Department, pg *page) any {
	pg.Title = d.Name + "历年绩效自评情况"
	pg.Crumbs = []crumb{{pg.Root + "index.html", "首页"}}
	v := &departmentView{D: d, Name: deptName(d)}
	v.Table = summaryTable{ID: "history", Caption: d.Name + "历年情况", Root: pg.Root, ShowShares: true, ShowThree: true}
	for i := len(d.Reports) - 1; i >= 0; i-- {
		v.Table.Rows = append(v.Table.Rows, s.summary(d.Reports[i], pg.Root))
	}
	v.Charts = chartViews(charts.ForDepartment(d))
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
}

type categoryRow struct {
	Href, Dept, Region string
	Year               int
	Amount             *figure
	Share              string
}

func (s *Site) categoryView(c categoryRef, pg *page) any {
	pg.Title = c.KindName + "类别对比：" + c.Name
	pg.Crumbs = []crumb{{pg.Root + "index.html", "首页"}, {pg.Root + "compare/categories.html", "支出类别对比"}}
	v := &categoryView{C: c}
	for _, r := range c.Reports {
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
	v.Charts = chartViews(charts.ForCategory(c.Name, c.Reports))
	return v
}
