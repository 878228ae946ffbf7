package site

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"disclose/internal/compliance"
	"disclose/internal/diag"
)

// complianceView is the 公开情况 page: for each department and year, the
// disclosures the site's profile requires, whether each was published,
// when against its deadline, and what it lacks with the basis. The main
// page sums up each year; when the department-years are more than a page
// holds, each year's table has pages of its own (compliance/<year>.html).
type complianceView struct {
	Profile string
	Summary string
	Site    []compliance.Missing
	Years   []complianceYear // the overview, newest first; nil on a year's page
	Year    int              // the year of a year's page
	Rows    []complianceRow
	Pager   *pager
}

// complianceYear is one line of the overview.
type complianceYear struct {
	Year     int
	Href     string // the year's own page, when there are such pages
	Depts    int
	Complete int // departments with every required document, nothing missing
	Missing  int
}

// complianceRow is one disclosure of a department-year.
type complianceRow struct {
	Dept, DeptHref string
	Year           int
	First          bool // the first disclosure of its department-year
	YearStart      bool // the first row of its year: the overview's anchor
	Kind           string
	Href           string // the report page, when published
	Present        bool
	Required       bool
	Timing         string
	Late           bool
	Missing        []compliance.Missing
	Undecided      []compliance.Missing
}

// complianceDeptYear is one department-year of the page: row i of the
// department's rows.
type complianceDeptYear struct {
	g    *Digest
	i    int
	year int
}

// indexCompliance gathers the departments' rows, in department order.
func (s *Site) indexCompliance() {
	s.compliance = nil
	s.tallyOnce, s.tally = sync.Once{}, nil
	for _, g := range s.digests {
		for i, y := range g.complianceYears() {
			s.compliance = append(s.compliance, complianceDeptYear{g, i, y})
		}
	}
}

// compliancePaged tells whether the department-years are split into
// pages by year.
func (s *Site) compliancePaged() bool { return len(s.compliance) > s.pageSize }

// complianceYearRows are the department-years of year y, in department order.
func (s *Site) complianceYearRows(y int) []complianceDeptYear {
	var out []complianceDeptYear
	for _, r := range s.compliance {
		if r.year == y {
			out = append(out, r)
		}
	}
	return out
}

// complianceTally counts, for each year, its department-years, those
// that lack nothing, and the items missing. Every page of 公开情况 shows
// the counts, and reading every department's rows (which wait on disk)
// for each of them was 8 of the 22 CPU-s of a build after one edit at
// 10,000 reports: they are counted once, each department read once.
func (s *Site) complianceTally() map[int]complianceYear {
	s.tallyOnce.Do(func() {
		t := map[int]complianceYear{}
		var last *Digest
		var rows []ComplianceRow
		for _, dy := range s.compliance {
			if dy.g != last {
				last, rows = dy.g, dy.g.complianceRows()
			}
			n := 0
			if dy.i < len(rows) {
				n = missingOf(&rows[dy.i])
			}
			line := t[dy.year]
			line.Year = dy.year
			line.Depts++
			line.Missing += n
			if n == 0 {
				line.Complete++
			}
			t[dy.year] = line
		}
		s.tally = t
	})
	return s.tally
}

// rowsOf reads the rows of dys, whose departments' rows may wait on disk
// (ColdStore): each department's once.
func rowsOf(dys []complianceDeptYear) []ComplianceRow {
	out := make([]ComplianceRow, len(dys))
	var last *Digest
	var rows []ComplianceRow
	for j, dy := range dys {
		if dy.g != last {
			last, rows = dy.g, dy.g.complianceRows()
		}
		if dy.i < len(rows) {
			out[j] = rows[dy.i]
		}
	}
	return out
}

func compliancePath(year, n int) string {
	return "compliance/" + pageSuffix(strconv.Itoa(year), n) + ".html"
}

func (s *Site) complianceView(pg *page) any {
	pg.Title = "公开情况"
	pg.Crumbs = []crumb{{pg.Root + "index.html", "首页"}}
	v := &complianceView{Profile: s.profile.Name, Site: s.siteCompliance.Site}
	depts := map[string]bool{}
	missing := len(s.siteCompliance.Site)
	for _, r := range s.compliance {
		depts[r.g.ID] = true
	}
	// Every department-year is in one of the site's years.
	tally := s.complianceTally()
	for _, y := range s.years {
		line := tally[y]
		line.Year = y
		missing += line.Missing
		if s.compliancePaged() {
			line.Href = pg.Root + compliancePath(y, 1)
		}
		v.Years = append(v.Years, line)
	}
	v.Summary = fmt.Sprintf("%d 个部门，%d 项缺失", len(depts), missing)
	if !s.compliancePaged() {
		for _, y := range s.years {
			v.Rows = append(v.Rows, complianceRows(s.complianceYearRows(y), pg.Root)...)
		}
	}
	pg.Desc = "按“" + s.profile.Name + "”列出各部门各年度应公开的文件是否已公开、是否按时，以及缺少的内容和依据。" + v.Summary + "。"
	return v
}

// complianceYearView is page n of year y's table.
func (s *Site) complianceYearView(y, n int, pg *page) any {
	rows := s.complianceYearRows(y)
	pages := pageCount(len(rows), s.pageSize)
	lo, hi := pageBounds(n, len(rows), s.pageSize)
	pg.Title = fmt.Sprintf("%d年度公开情况", y)
	pg.Crumbs = []crumb{{pg.Root + "index.html", "首页"}, {pg.Root + "compliance.html", "公开情况"}}
	v := &complianceView{Profile: s.profile.Name, Year: y, Rows: complianceRows(rows[lo:hi], pg.Root)}
	v.Summary = fmt.Sprintf("%d 个部门，%d 项缺失", len(rows), s.complianceTally()[y].Missing)
	if pages > 1 {
		v.Pager = newPager(pg.Title+"分页", n, pages, len(rows), s.pageSize, func(k int) string { return pg.Root + compliancePath(y, k) })
	}
	pg.Desc = fmt.Sprintf("%d年度各部门应公开的文件是否已公开、是否按时，以及缺少的内容和依据。%s。", y, v.Summary)
	return v
}

// missingOf counts what a department-year lacks: required documents not
// published and parts missing from those that were.
func missingOf(r *ComplianceRow) int {
	n := 0
	for _, it := range r.Items {
		if it.Required && !it.Present() {
			n++
		}
		n += len(it.Missing)
	}
	return n
}

func complianceRows(dys []complianceDeptYear, root string) []complianceRow {
	var out []complianceRow
	rows := rowsOf(dys)
	for j, dy := range dys {
		row := &rows[j]
		for i, it := range row.Items {
			r := complianceRow{
				Dept: dy.g.Name, DeptHref: root + deptPagePath(dy.g.ID), Year: row.Year, First: i == 0,
				Kind: it.Kind.DocTitle(), Present: it.Present(), Required: it.Required, Missing: it.Missing, Undecided: it.Undecided,
			}
			r.YearStart = i == 0 && (j == 0 || rows[j-1].Year != row.Year)
			if it.Present() {
				r.Href = root + it.Report
				r.Timing, r.Late = timingText(it.Timing), it.Timing.State == compliance.Late
			} else {
				r.Missing = append([]compliance.Missing{{What: "整份文件未公开", Basis: it.Basis}}, r.Missing...)
			}
			out = append(out, r)
		}
	}
	return out
}

// checkCompliance looks up the profile site.yaml names (national when
// none) and checks site.yaml itself against it, for the 公开情况 page.
func (s *Site) checkCompliance() error {
	ps := s.opts.Profiles
	if ps == nil {
		var err error
		if ps, err = compliance.Load(""); err != nil {
			return err
		}
	}
	p, err := ps.Lookup(s.cfg.Profile)
	if err != nil {
		return fmt.Errorf("site.yaml profile: %w", err)
	}
	key, err := json.Marshal(p)
	if err != nil {
		return err
	}
	s.profile, s.profileKey = p, string(key)
	// The page is read against the site as built: a --base-url given to
	// the build fills SiteDomain as it does the pages' tags.
	cfg := *s.cfg
	if s.baseURL != "" {
		cfg.BaseURL = s.baseURL
	}
	s.siteCompliance = compliance.CheckSite(&cfg, p)
	return nil
}

// Shortfalls are what the site's disclosures lack against its profile
// (site.yaml profile:), as the 公开情况 page shows them: publish refuses
// to publish them without --force.
func (s *Site) Shortfalls() []diag.Diagnostic {
	// Sifted department by department: the findings wait in the cold
	// store, and at 30,000 reports all of them read back at once, notes
	// and all, were some 40 MB.
	all := compliance.Result{Diagnostics: s.siteCompliance.Diagnostics}.Shortfalls()
	digests := s.digests
	if digests == nil {
		digests = s.released
	}
	for _, g := range digests {
		all = append(all, compliance.Result{Diagnostics: g.findings()}.Shortfalls()...)
	}
	diag.Sort(all)
	return all
}

// timingText is a published disclosure against its deadline, in words.
func timingText(t compliance.Timing) string {
	pub := "未记录发布日期"
	if t.Published != nil {
		pub = t.Published.ISO() + " 发布"
	}
	switch t.State {
	case compliance.OnTime:
		return fmt.Sprintf("%s，按时（%s 批复，%d 日内即 %s 前）", pub, t.Approved.ISO(), t.Days, t.Due.ISO())
	case compliance.Late:
		return fmt.Sprintf("%s，逾期 %d 天（%s 批复，应于 %s 前公开）", pub, t.LateDays, t.Approved.ISO(), t.Due.ISO())
	case compliance.Undecided:
		return strings.TrimPrefix(pub+"；", "未记录发布日期；") + t.Reason + "，无法判断是否按时"
	}
	return pub
}

// portalMeta are the site-wide tags of the 政府网站网页设计规范
// (国办发〔2017〕47号): every page carries them; article pages add theirs.
// SiteName falls back to the site's title and SiteDomain to the host of
// the base URL, as the compliance check reads them.
func (s *Site) portalMeta(pg *page) []metaTag {
	cfg := *s.cfg
	if cfg.Portal.SiteDomain == "" && s.baseURL != "" {
		cfg.BaseURL = s.baseURL
	}
	var out []metaTag
	for _, t := range []struct{ name, key string }{
		{"SiteName", "site_name"},
		{"SiteDomain", "site_domain"},
		{"SiteIDCode", "site_id_code"},
		{"ColumnName", "column_name"},
		{"ColumnType", "column_type"},
	} {
		if v := compliance.PortalValue(&cfg, t.key); v != "" {
			out = append(out, metaTag{t.name, v})
		}
	}
	if pg.Canonical != "" {
		out = append(out, metaTag{"Url", pg.Canonical})
	}
	return out
}
