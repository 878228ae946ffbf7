package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math/big"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"disclose/internal/model"
)

// render builds the seed site in memory: path → bytes.
func render(t *testing.T, baseURL string) (*model.Site, map[string][]byte) {
	t.Helper()
	return renderDir(t, "../../content", baseURL)
}

func renderDir(t *testing.T, dir, baseURL string) (*model.Site, map[string][]byte) {
	t.Helper()
	m, ds := loadChecked(os.DirFS(dir), "content")
	out, _ := renderSome(t, loaded{m, ds}, Options{BaseURL: baseURL}, nil)
	return m, out
}

func parse(t *testing.T, name string, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc
}

func walk(n *html.Node, visit func(*html.Node)) {
	visit(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, visit)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func text(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

// TestPagesFollowTheRules checks what every page must do for the CSP, for
// accessibility and for portals.
func TestPagesFollowTheRules(t *testing.T) {
	_, files := render(t, "")
	pages := 0
	for name, b := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pages++
		checkRules(t, name, b)
	}
	if pages < 12 {
		t.Errorf("only %d pages", pages)
	}
}

// checkRules checks one page against what every page must do.
func checkRules(t *testing.T, name string, b []byte) {
	t.Helper()
	doc := parse(t, name, b)
	var h1s, titles int
	hasCSP, hasViewport := false, false
	var csp string
	walk(doc, func(n *html.Node) {
		// A line that opens with "：" lost its label ("：原文……").
		if n.Type == html.TextNode && n.PrevSibling == nil && strings.HasPrefix(strings.TrimSpace(n.Data), "：") && n.Parent != nil && n.Parent.Data != "script" {
			t.Errorf("%s: <%s> begins with an empty label: %.40q", name, n.Parent.Data, strings.TrimSpace(n.Data))
		}
		if n.Type != html.ElementNode {
			return
		}
		switch n.Data {
		case "html":
			if lang, _ := attr(n, "lang"); lang != "zh-CN" {
				t.Errorf("%s: lang=%q", name, lang)
			}
		case "h1":
			h1s++
		case "title":
			titles++
		case "meta":
			if v, _ := attr(n, "http-equiv"); v == "Content-Security-Policy" {
				hasCSP = true
				csp, _ = attr(n, "content")
			}
			if v, _ := attr(n, "name"); v == "viewport" {
				hasViewport = true
			}
		case "script":
			src, hasSrc := attr(n, "src")
			typ, _ := attr(n, "type")
			if !hasSrc && typ != "application/json" {
				// Only a script the CSP names by its hash may be inline.
				sum := sha256.Sum256([]byte(text(n)))
				if !strings.Contains(csp, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") {
					t.Errorf("%s: inline script would break the CSP", name)
				}
			}
			if hasSrc && (strings.HasPrefix(src, "http") || strings.HasPrefix(src, "//")) {
				t.Errorf("%s: external script %s", name, src)
			}
			if typ == "application/json" {
				var v any
				if err := json.Unmarshal([]byte(text(n)), &v); err != nil {
					t.Errorf("%s: chart option is not JSON: %v", name, err)
				}
			}
		case "style":
			t.Errorf("%s: <style> element would break the CSP", name)
		case "table":
			hasCaption := false
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && c.Data == "caption" {
					hasCaption = true
				}
			}
			if !hasCaption {
				t.Errorf("%s: table without caption", name)
			}
		}
		for _, a := range n.Attr {
			if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
				t.Errorf("%s: <%s %s> would break the CSP", name, n.Data, a.Key)
			}
			if (a.Key == "href" || a.Key == "src") && strings.HasPrefix(a.Val, "/") {
				t.Errorf("%s: root-relative link %s breaks sub-path hosting", name, a.Val)
			}
		}
	})
	if h1s != 1 || titles != 1 {
		t.Errorf("%s: %d h1, %d title", name, h1s, titles)
	}
	if !hasCSP || !hasViewport {
		t.Errorf("%s: CSP meta %v, viewport meta %v", name, hasCSP, hasViewport)
	}
}

// TestReportPagesShowEveryFigure: a reader must find every amount of the
// source on its page, exactly as published.
func TestReportPagesShowEveryFigure(t *testing.T) {
	m, files := render(t, "")
	for _, d := range m.Departments {
		for _, r := range d.Reports {
			b := files[reportPath(r)]
			if b == nil {
				t.Fatalf("no page for %s", reportPath(r))
			}
			page := text(parse(t, reportPath(r), b))
			for _, a := range r.Amounts() {
				if !strings.Contains(page, a.Value.String()) {
					t.Errorf("%s: amount %s (%s:%d) not on the page", reportPath(r), a.Value, a.Pos.File, a.Pos.Line)
				}
			}
			for _, e := range r.AllErrata() {
				if !strings.Contains(page, e.Published) {
					t.Errorf("%s: erratum %q not shown", reportPath(r), e.Published)
				}
			}
			if !strings.Contains(page, r.Title) {
				t.Errorf("%s: title missing", reportPath(r))
			}
		}
	}
}

func TestReportPageShowsChecksToReaders(t *testing.T) {
	_, files := render(t, "")
	for _, tc := range []struct {
		page string
		want []string
	}{
		{"reports/hunan-yueyang-yunxi-minzheng/2023.html", []string{"数据核对提示", "合计不符", "212.36", "232.36", "55.02元"}},
		{"reports/hubei-jingmen-minzheng/2022.html", []string{"数据核对提示", "100%", "186.81%"}},
		{"reports/hunan-xiangtan-minzheng/2024.html", []string{"3229.37 元", "尾数差异"}},
	} {
		page := text(parse(t, tc.page, files[tc.page]))
		for _, w := range tc.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: %q not shown", tc.page, w)
			}
		}
	}
}

func TestPortalMeta(t *testing.T) {
	_, files := render(t, "https://www.example.gov.cn/xxgk/jx/")
	doc := parse(t, "report", files["reports/hunan-yueyang-yunxi-minzheng/2023.html"])
	meta := map[string]string{}
	var canonical string
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "meta" {
			if k, ok := attr(n, "name"); ok {
				meta[k], _ = attr(n, "content")
			}
		}
		if n.Type == html.ElementNode && n.Data == "link" {
			if rel, _ := attr(n, "rel"); rel == "canonical" {
				canonical, _ = attr(n, "href")
			}
		}
	})
	for k, want := range map[string]string{
		"SiteName":      "部门整体支出绩效自评报告公开",
		"ColumnName":    "绩效信息公开",
		"ArticleTitle":  "岳阳市云溪区2023年度部门整体支出绩效评价自评报告",
		"PubDate":       "2024-05-31 00:00",
		"ContentSource": "各部门公开的绩效自评报告",
	} {
		if meta[k] != want {
			t.Errorf("meta %s = %q, want %q", k, meta[k], want)
		}
	}
	if canonical != "https://www.example.gov.cn/xxgk/jx/reports/hunan-yueyang-yunxi-minzheng/2023.html" {
		t.Errorf("canonical = %q", canonical)
	}
	if !bytes.Contains(files["sitemap.xml"], []byte("<loc>https://www.example.gov.cn/xxgk/jx/index.html</loc>")) {
		t.Errorf("sitemap lacks absolute locations:\n%s", files["sitemap.xml"])
	}
}

// TestHomeListsNewestFirst: the home page lists every document of the
// site, of every kind, newest year first, each once.
func TestHomeListsNewestFirst(t *testing.T) {
	m, files := render(t, "")
	doc := parse(t, "index.html", files["index.html"])
	var years []string
	var pages []string
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "tr" {
			if y, ok := attr(n, "data-year"); ok {
				years = append(years, y)
				pages = append(pages, rowTargets("index.html", []*html.Node{n})...)
			}
		}
	})
	var want []string
	var all []string
	for _, d := range m.Departments {
		for _, r := range d.Reports {
			want = append(want, strconv.Itoa(r.Year))
			all = append(all, reportPath(r))
		}
	}
	slices.Sort(want)
	slices.Reverse(want)
	if !slices.Equal(years, want) {
		t.Errorf("home rows by year %v, want %v", years, want)
	}
	slices.Sort(pages)
	slices.Sort(all)
	if !slices.Equal(pages, all) {
		t.Errorf("home rows link %v, want every document once: %v", pages, all)
	}
	// content/ has documents of 2024 down to 2015, several in a year.
	if len(want) < 2 || want[0] != "2024" || want[len(want)-1] != "2015" {
		t.Errorf("content/ documents by year %v", want)
	}
}

func TestSearchIndexIsAScript(t *testing.T) {
	_, files := render(t, "")
	found := false
	for _, e := range searchFile(t, files, searchYearPath(2024), searchYearPrefix(2024)) {
		if e.Dept == "湘潭市民政局" && e.Year == 2024 {
			found = true
		}
		if _, ok := files[e.URL]; !ok {
			t.Errorf("search entry %q points at missing %s", e.Title, e.URL)
		}
	}
	if !found {
		t.Error("湘潭市民政局 2024 not searchable")
	}
}

// TestFeedIsAtom: feed.xml is an Atom feed with an entry for every
// document (content/ has fewer than FeedEntries), newest publication first;
// an entry is dated by its report's date or its source's, and a document
// without either the first day after its year.
func TestFeedIsAtom(t *testing.T) {
	m, files := render(t, "")
	feed := string(files["feed.xml"])
	if !strings.Contains(feed, `<feed xmlns="http://www.w3.org/2005/Atom">`) {
		t.Errorf("feed:\n%s", feed)
	}
	var f struct {
		Updated string `xml:"updated"`
		Entries []struct {
			Updated string `xml:"updated"`
			Link    struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(files["feed.xml"], &f); err != nil {
		t.Fatal(err)
	}
	date := map[string]string{} // report page → its date in the feed
	for _, d := range m.Departments {
		for _, r := range d.Reports {
			day := fmt.Sprintf("%d-01-01", r.Year+1)
			for _, pd := range []*model.Date{r.ReportDate, sourcePublished(r)} {
				if pd != nil {
					day = fmt.Sprintf("%04d-%02d-%02d", pd.Year, max(pd.Month, 1), max(pd.Day, 1))
					break
				}
			}
			date[reportPath(r)] = day + "T00:00:00+08:00"
		}
	}
	if len(f.Entries) != len(date) || len(date) <= 5 {
		t.Errorf("feed has %d entries, want one for each of the %d documents", len(f.Entries), len(date))
	}
	seen := map[string]bool{}
	for i, e := range f.Entries {
		want, ok := date[e.Link.Href]
		switch {
		case !ok:
			t.Errorf("entry %d links to %q, no document", i, e.Link.Href)
		case seen[e.Link.Href]:
			t.Errorf("%s has two entries", e.Link.Href)
		case e.Updated != want:
			t.Errorf("%s dated %s, want %s", e.Link.Href, e.Updated, want)
		}
		seen[e.Link.Href] = true
		if i > 0 && e.Updated > f.Entries[i-1].Updated {
			t.Errorf("%s (%s) comes after the older %s (%s)", e.Link.Href, e.Updated, f.Entries[i-1].Link.Href, f.Entries[i-1].Updated)
		}
	}
	if len(f.Entries) > 0 && f.Updated != f.Entries[0].Updated {
		t.Errorf("feed updated %s, its newest entry %s", f.Updated, f.Entries[0].Updated)
	}
	// 岳阳's report, dated 2024-05-31, comes after the undated 2024 report
	// (2025-01-01) and the later-published 2023 documents, and before the
	// undated ones of 2023 (2024-01-01).
	if i, j := strings.Index(feed, "2024-05-31"), strings.Index(feed, "2024-01-01"); i < 0 || j < 0 || i > j {
		t.Errorf("the report dated 2024-05-31 is not before those dated 2024-01-01")
	}
}

func sourcePublished(r *model.Report) *model.Date {
	if r.Source == nil {
		return nil
	}
	return r.Source.Published
}

// TestDepartmentHistory: a department with several years gets a history
// page, linked from each of its reports, with one row per year.
func TestDepartmentHistory(t *testing.T) {
	m, files := renderDir(t, "testdata/history", "")
	d := m.Departments[0]
	if len(d.Reports) < 2 {
		t.Fatalf("fixture has %d reports", len(d.Reports))
	}
	page := files[departmentPath(d)]
	if page == nil {
		t.Fatalf("no %s among %d files", departmentPath(d), len(files))
	}
	doc := parse(t, "history", page)
	rows := 0
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "tr" {
			if _, ok := attr(n, "data-year"); ok {
				rows++
			}
		}
	})
	if rows != len(d.Reports) {
		t.Errorf("history table has %d rows, want %d", rows, len(d.Reports))
	}
	if n := bytes.Count(page, []byte(`class="chart-canvas`)); n == 0 {
		t.Error("history page has no charts")
	}
	for _, r := range d.Reports {
		want := []byte(`href="../../` + departmentPath(d) + `"`)
		if !bytes.Contains(files[reportPath(r)], want) {
			t.Errorf("%s does not link to the history page", reportPath(r))
		}
	}
}

// TestOrgUnitsOnPages: the 内设机构 and 下属单位 department.yaml gives reach
// the page of each of its reports, not only the JSON.
func TestOrgUnitsOnPages(t *testing.T) {
	m, files := render(t, "")
	seen := 0
	for _, d := range m.Departments {
		for _, u := range []struct {
			label string
			units *model.OrgUnits
		}{{"内设机构", d.Offices}, {"下属单位", d.Subordinates}} {
			if u.units == nil || u.units.Count == nil {
				continue
			}
			seen++
			want := fmt.Sprintf("<dt>%s</dt><dd>%d 个", u.label, *u.units.Count)
			for _, r := range d.Reports {
				p := reportPath(r)
				if !strings.Contains(string(files[p]), want) {
					t.Errorf("%s lacks %q", p, want)
				}
			}
		}
	}
	if seen < 3 {
		t.Fatalf("only %d departments state offices or subordinates", seen)
	}
}

// TestEveryPageHasItsIcon: each page names the site's icon, relative to
// itself, so that browsers do not ask the portal for /favicon.ico (a 404 on
// every page view, and outside the site under a sub-path).
func TestEveryPageHasItsIcon(t *testing.T) {
	_, files := render(t, "")
	for name, b := range files {
		if !strings.HasSuffix(name, ".html") || name == "404.html" {
			continue
		}
		href := ""
		walk(parse(t, name, b), func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "link" {
				if rel, _ := attr(n, "rel"); rel == "icon" {
					href, _ = attr(n, "href")
				}
			}
		})
		if href == "" {
			t.Errorf("%s: no <link rel=icon>", name)
			continue
		}
		target := path.Clean(path.Join(path.Dir(name), href))
		if !strings.HasPrefix(target, "assets/") {
			t.Errorf("%s: icon %s resolves to %s", name, href, target)
		}
	}
}

// TestScoreMeaning: a score says what it means — the report's own grade,
// or the usual band — and that the department scored itself.
func TestScoreMeaning(t *testing.T) {
	dec := func(s string) *model.Decimal {
		d, err := model.ParseDecimal(s)
		if err != nil {
			t.Fatal(err)
		}
		return &d
	}
	for _, tc := range []struct {
		score, max, grade string
		want              string
	}{
		{"97.35", "", "", "按常用分档属“优”（90 分及以上），系部门自评"},
		{"90", "100", "", "属“优”"},
		{"89.99", "", "", "属“良”（80–90 分）"},
		{"60", "", "", "属“中”"},
		{"59.5", "", "", "属“差”（60 分以下）"},
		{"95", "", "良", "原文评定为“良”；系部门自评"},
		{"9", "10", "", "系部门自评"},
	} {
		o := model.Overview{Score: dec(tc.score), Grade: tc.grade}
		if tc.max != "" {
			o.ScoreMax = dec(tc.max)
		}
		if got := scoreMeaning(o); !strings.Contains(got, tc.want) || tc.max == "10" && strings.Contains(got, "分档") {
			t.Errorf("%s/%s %q: %q, want %q", tc.score, tc.max, tc.grade, got, tc.want)
		}
	}
	_, files := render(t, "")
	if p := string(files["reports/hunan-yueyang-yunxi-minzheng/2023.html"]); !strings.Contains(p, "97.35 分（按常用分档属“优”") {
		t.Error("云溪区's report page does not say what 97.35 means")
	}
}

// TestPerPerson: where a report gives its in-service staff, the spending
// per person is shown, computed exactly and rounded half up, and says it is
// the site's own figure.
func TestPerPerson(t *testing.T) {
	m, files := render(t, "")
	seen := 0
	for _, d := range m.Departments {
		for _, r := range d.Reports {
			o := r.Overview()
			if r.Staff == nil || r.Staff.InService == nil || o.Expenditure == nil {
				continue
			}
			seen++
			// The same division in big.Rat, independently.
			q := new(big.Rat).SetFrac(big.NewInt(o.Expenditure.Value.Units), big.NewInt(int64(*r.Staff.InService)))
			q.Quo(q, new(big.Rat).SetInt64(100_000_000))
			want := q.FloatString(2)
			page := string(files[reportPath(r)])
			if !strings.Contains(page, ">"+want+"<") || !strings.Contains(page, "本站按支出合计") {
				t.Errorf("%s: no 人均支出 %s", reportPath(r), want)
			}
		}
	}
	if seen == 0 {
		t.Fatal("no report gives its staff and spending")
	}
}
