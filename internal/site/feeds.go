package site

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"disclose/internal/model"
	"disclose/internal/opendata"
)

func reportJSON(r *model.Report) func() ([]byte, error) {
	return func() ([]byte, error) { return opendata.ReportJSON(r) }
}
func reportCSV(r *model.Report) func() ([]byte, error) {
	return func() ([]byte, error) { return opendata.ReportCSV(r) }
}
func allCSV(m *model.Site) func() ([]byte, error) {
	return func() ([]byte, error) { return opendata.AllCSV(m) }
}
func allXLSX(m *model.Site) func() ([]byte, error) {
	return func() ([]byte, error) { return opendata.AllXLSX(m) }
}

// searchEntry is one searchable page. Short keys keep the index small.
type searchEntry struct {
	Title  string `json:"t"`
	URL    string `json:"u"`
	Dept   string `json:"d,omitempty"`
	Region string `json:"r,omitempty"`
	Year   int    `json:"y,omitempty"`
	Text   string `json:"x,omitempty"`
}

// searchTextLimit bounds each report's text in the index: enough for the
// summary and targets, without shipping every narrative to every reader.
const searchTextLimit = 400

// writeSearchIndex writes a script, not JSON: browsers refuse to fetch a
// JSON file from file://, but they load scripts.
func (s *Site) writeSearchIndex(w io.Writer) error {
	var entries []searchEntry
	for _, r := range s.reports {
		d := r.Department
		var text []string
		text = append(text, d.Name, d.ShortName, d.BudgetCode, d.Authority)
		for _, t := range r.Targets {
			text = append(text, t.Text)
		}
		text = append(text, s.md.Plain(r.Narrative.Summary))
		for _, p := range r.Projects {
			text = append(text, p.Name)
		}
		entries = append(entries, searchEntry{
			Title: r.Title, URL: reportPath(r), Dept: deptName(d), Region: regionText(d), Year: r.Year,
			Text: truncate(strings.Join(nonEmpty(text), " "), searchTextLimit),
		})
	}
	for _, d := range s.m.Departments {
		if len(d.Reports) > 1 {
			entries = append(entries, searchEntry{Title: d.Name + "历年绩效自评情况", URL: departmentPath(d), Dept: deptName(d), Region: regionText(d)})
		}
	}
	for _, y := range s.years {
		entries = append(entries, searchEntry{Title: fmt.Sprintf("%d年度各部门对比", y), URL: comparePath(y), Year: y})
		for _, g := range s.split[y] {
			entries = append(entries, searchEntry{Title: fmt.Sprintf("%d年度各部门对比：%s", y, g.Name), URL: regionPath(y, g.Slug, 1), Region: g.Name, Year: y})
		}
	}
	for _, c := range s.category {
		entries = append(entries, searchEntry{Title: c.KindName + "类别对比：" + c.Name, URL: c.Path})
	}
	entries = append(entries, searchEntry{Title: "名词解释", URL: "glossary.html", Text: "基本支出 项目支出 三公经费 政府性基金 预算执行率 绩效指标 自评"})
	b, err := json.Marshal(entries)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("window.discloseSearchIndex=")
	buf.Write(b)
	buf.WriteString(";\n")
	_, err = w.Write(buf.Bytes())
	return err
}

func nonEmpty(ss []string) []string {
	return slices.DeleteFunc(ss, func(s string) bool { return strings.TrimSpace(s) == "" })
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// htmlPages lists the pages for the sitemap, in the order Files emits
// them: every HTML file but the 404 page, which is served at addresses
// that do not exist.
func htmlPages(files []File) []string {
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".html") && f.Path != "404.html" {
			out = append(out, f.Path)
		}
	}
	return out
}

// writeSitemap lists every page. Without a base URL the locations are
// relative, which browsers and the portal's own tools accept but search
// engines do not; the build says so.
func (s *Site) writeSitemap(w io.Writer, pages []string) error {
	type u struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod,omitempty"`
	}
	type urlset struct {
		XMLName xml.Name `xml:"urlset"`
		NS      string   `xml:"xmlns,attr"`
		URLs    []u      `xml:"url"`
	}
	set := urlset{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	dates := map[string]string{}
	for _, r := range s.reports {
		if d := publicationDate(r); d != nil && d.Day > 0 {
			dates[reportPath(r)] = d.ISO()
		}
	}
	for _, p := range pages {
		set.URLs = append(set.URLs, u{Loc: s.baseURL + p, LastMod: dates[p]})
	}
	return writeXML(w, set)
}

// writeFeed is an Atom feed of the reports, newest publication first.
// FeedEntries is how many of the newest reports feed.xml lists.
const FeedEntries = 100

func (s *Site) writeFeed(w io.Writer) error {
	type atomLink struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr,omitempty"`
		Type string `xml:"type,attr,omitempty"`
	}
	type entry struct {
		Title   string   `xml:"title"`
		ID      string   `xml:"id"`
		Link    atomLink `xml:"link"`
		Updated string   `xml:"updated"`
		Author  string   `xml:"author>name"`
		Summary string   `xml:"summary"`
	}
	type feed struct {
		XMLName xml.Name   `xml:"feed"`
		NS      string     `xml:"xmlns,attr"`
		Base    string     `xml:"xml:base,attr,omitempty"`
		Title   string     `xml:"title"`
		ID      string     `xml:"id"`
		Updated string     `xml:"updated"`
		Links   []atomLink `xml:"link"`
		Author  string     `xml:"author>name"`
		Entries []entry    `xml:"entry"`
	}
	type dated struct {
		r    *model.Report
		date string
	}
	var items []dated
	for _, r := range s.reports {
		items = append(items, dated{r, feedDate(r)})
	}
	slices.SortStableFunc(items, func(a, b dated) int { return strings.Compare(b.date, a.date) })
	f := feed{
		NS: "http://www.w3.org/2005/Atom", Base: s.baseURL, Title: s.m.Config.Title,
		ID:     s.feedID(""),
		Links:  []atomLink{{Href: "index.html", Type: "text/html"}, {Href: "feed.xml", Rel: "self", Type: "application/atom+xml"}},
		Author: orDefault(s.m.Config.Publisher, s.m.Config.Title),
	}
	if len(items) > 0 {
		f.Updated = items[0].date
	} else {
		f.Updated = "2000-01-01T00:00:00Z"
	}
	// A feed tells subscribers what is new; the newest reports are enough,
	// and ten thousand entries would make it megabytes that readers fetch
	// again and again. The sitemap and the lists carry everything.
	for _, it := range items[:min(len(items), FeedEntries)] {
		r := it.r
		author := r.Department.Name
		if r.Source != nil && r.Source.Publisher != "" {
			author = r.Source.Publisher
		}
		f.Entries = append(f.Entries, entry{
			Title: r.Title, ID: s.feedID(reportPath(r)), Link: atomLink{Href: reportPath(r), Type: "text/html"},
			Updated: it.date, Author: author,
			Summary: fmt.Sprintf("%s %d年度部门整体支出绩效自评报告", r.Department.Name, r.Year),
		})
	}
	return writeXML(w, f)
}

// feedID is an entry's permanent identifier: its URL when the site's
// address is known, else a tag URI built from the report's path.
func (s *Site) feedID(p string) string {
	if s.baseURL != "" {
		return s.baseURL + p
	}
	return "tag:disclose,2000:" + p
}

// feedDate: Atom needs a date for every entry. Reports without a date of
// their own are dated the first day after their year, the earliest day
// such a report can have been published.
func feedDate(r *model.Report) string {
	if d := publicationDate(r); d != nil {
		return fmt.Sprintf("%04d-%02d-%02dT00:00:00+08:00", d.Year, max(d.Month, 1), max(d.Day, 1))
	}
	return strconv.Itoa(r.Year+1) + "-01-01T00:00:00+08:00"
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func writeXML(w io.Writer, v any) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

// HasBaseURL tells whether sitemap.xml and feed.xml hold absolute addresses.
func (s *Site) HasBaseURL() bool { return s.baseURL != "" }
