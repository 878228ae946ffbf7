package site

import (
	"bufio"
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
// names, projects and targets and the start of the summary, without
// shipping every narrative to every reader. At 10,000 reports it makes a
// year's index about 3 MB (300 KB compressed).
const searchTextLimit = 400

// The search index is split so that a search downloads only what it needs:
// searchIndexPath holds every department under its name and region (its
// history page, or its one report without the text), the category pages
// and the glossary; searchYearPath(y) holds year y's reports with their
// text and its comparison pages. The search page loads the common file and
// the years it searches, the newest by default, so a department is found
// by its name whichever year is chosen. Both are scripts, not JSON:
// browsers refuse to fetch a JSON file from file://, but they load scripts.
const (
	searchIndexPath   = "assets/search-index.js"
	searchIndexPrefix = "window.discloseSearchIndex="
	// searchYearsVar is the registry each year's script adds its entries
	// to, under the year; the search code reads it once the script has
	// loaded, so the order the scripts run in does not matter.
	searchYearsVar = "window.discloseSearchYears"
)

func searchYearPath(y int) string { return "assets/search/" + strconv.Itoa(y) + ".js" }

func searchYearPrefix(y int) string {
	return searchYearsVar + "=" + searchYearsVar + "||{};" + searchYearsVar + "[" + strconv.Itoa(y) + "]="
}

// writeSearchIndex writes the common entries.
func (s *Site) writeSearchIndex(w io.Writer) error {
	var entries []searchEntry
	for _, g := range s.digests {
		switch len(g.Reports) {
		case 0:
		case 1:
			r := g.Reports[0]
			entries = append(entries, searchEntry{Title: r.Title, URL: r.path(), Dept: r.deptName(), Region: r.region(), Year: r.Year})
		default:
			r := g.Reports[0]
			entries = append(entries, searchEntry{Title: g.Name + "历年绩效自评情况", URL: deptPagePath(g.ID), Dept: r.deptName(), Region: r.region()})
		}
	}
	for _, c := range s.category {
		entries = append(entries, searchEntry{Title: "支出类别对比：" + c.Name + "（" + c.KindName + "）", URL: c.Path})
	}
	entries = append(entries, searchEntry{Title: "名词解释", URL: "glossary.html", Text: "基本支出 项目支出 三公经费 政府性基金 预算执行率 绩效指标 自评"})
	return writeSearchScript(w, searchIndexPrefix, entries)
}

// writeSearchYear writes the entries of year y: its reports, in the order
// of the lists, then its comparison pages.
func (s *Site) writeSearchYear(y int) func(io.Writer) error {
	return func(w io.Writer) error {
		// A report's text is read back from the cold store only as its
		// entry is written: a year of a province's texts held at once
		// was 10 MB at 30,000 reports, twice over with two years in
		// flight.
		var reports []*ReportDigest
		for _, r := range s.reports {
			if r.Year == y {
				reports = append(reports, r)
			}
		}
		var pages []searchEntry
		pages = append(pages, searchEntry{Title: fmt.Sprintf("%d年度各部门对比", y), URL: comparePath(y), Year: y})
		for _, g := range s.split[y] {
			pages = append(pages, searchEntry{Title: fmt.Sprintf("%d年度各部门对比：%s", y, g.Name), URL: regionPath(y, g.Slug, 1), Region: g.Name, Year: y})
		}
		err := writeSearchEntries(w, searchYearPrefix(y), len(reports)+len(pages), func(i int) searchEntry {
			if i < len(reports) {
				r := reports[i]
				return searchEntry{Title: r.Title, URL: r.path(), Dept: r.deptName(), Region: r.region(), Year: r.Year, Text: r.searchText()}
			}
			return pages[i-len(reports)]
		})
		if err != nil {
			return err
		}
		// A text that could not be read back is a blank in what was
		// written: the file fails.
		return s.opts.Cold.Err()
	}
}

// searchText is a report's text in the search index. It leaves out what
// the title and department already say, and puts the short, telling parts
// (budget code, authority, project names, targets) before the summary,
// so that the limit cuts the summary, not the project names.
func (s *Site) searchText(r *model.Report) string {
	d := r.Department
	var text []string
	if d.Name != deptName(d) && !strings.Contains(r.Title, d.Name) {
		text = append(text, d.Name)
	}
	text = append(text, d.BudgetCode, d.Authority)
	// The kind, so that 决算 or 三公 finds the documents of that kind; a
	// project form's project by name.
	if k := r.DocKind(); k != model.KindSelfEval {
		text = append(text, k.DocTitle())
	}
	if pe := r.ProjectEval; pe != nil {
		text = append(text, pe.Name)
	}
	for _, p := range r.Projects {
		text = append(text, p.Name)
	}
	// The spending categories, so that 低保 finds the report whose largest
	// line is 城乡低保支出.
	text = append(text, categoryNames(r)...)
	for _, t := range r.Targets {
		text = append(text, t.Text)
	}
	text = append(text, s.prose.once(r.Narrative.Summary).plain)
	return truncate(strings.Join(nonEmpty(text), " "), searchTextLimit)
}

// writeSearchScript writes prefix, the entries as JSON, and ";". The JSON
// encoder escapes <, >, & and U+2028/U+2029, so no text can end the
// script or break it in older browsers.
func writeSearchScript(w io.Writer, prefix string, entries []searchEntry) error {
	if entries == nil {
		return writeSearchEntries(w, prefix, -1, nil)
	}
	return writeSearchEntries(w, prefix, len(entries), func(i int) searchEntry { return entries[i] })
}

// writeSearchEntries writes n entries, entry(0) … entry(n-1), as
// writeSearchScript would write them in a slice; n < 0 writes null.
func writeSearchEntries(w io.Writer, prefix string, n int, entry func(int) searchEntry) error {
	// Entry by entry, as json.Marshal of the slice would write them: a
	// year of a province's index is megabytes, which need not be held
	// twice over.
	buf := bufio.NewWriterSize(w, 64<<10)
	buf.WriteString(prefix)
	if n < 0 {
		buf.WriteString("null")
	} else {
		buf.WriteByte('[')
		for i := range n {
			if i > 0 {
				buf.WriteByte(',')
			}
			b, err := json.Marshal(entry(i))
			if err != nil {
				return err
			}
			buf.Write(b)
		}
		buf.WriteByte(']')
	}
	buf.WriteString(";\n")
	return buf.Flush()
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

// isPage reports whether p is a page the sitemap lists: every HTML file
// but the 404 page, which is served at addresses that do not exist.
func isPage(p string) bool { return strings.HasSuffix(p, ".html") && p != "404.html" }

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
		if d := r.Date; d != nil && d.Day > 0 {
			dates[r.path()] = d.ISO()
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
		r    *ReportDigest
		date string
	}
	var items []dated
	for _, r := range s.reports {
		items = append(items, dated{r, feedDate(r)})
	}
	slices.SortStableFunc(items, func(a, b dated) int { return strings.Compare(b.date, a.date) })
	f := feed{
		NS: "http://www.w3.org/2005/Atom", Base: s.baseURL, Title: s.cfg.Title,
		ID:     s.feedID(""),
		Links:  []atomLink{{Href: "index.html", Type: "text/html"}, {Href: "feed.xml", Rel: "self", Type: "application/atom+xml"}},
		Author: orDefault(s.cfg.Publisher, s.cfg.Title),
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
		f.Entries = append(f.Entries, entry{
			Title: r.Title, ID: s.feedID(r.path()), Link: atomLink{Href: r.path(), Type: "text/html"},
			Updated: it.date, Author: r.Author,
			Summary: fmt.Sprintf("%s %d年度%s", r.dept.Name, r.Year, r.Kind.DocTitle()),
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
func feedDate(r *ReportDigest) string {
	if d := r.Date; d != nil {
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

// categoryNames lists, once each, the names of a report's spending and
// income lines: funds and totals with their basic and project trees, and
// the 决算/预算 accounts, in document order.
func categoryNames(r *model.Report) []string {
	seen := map[string]bool{"基本支出": true, "项目支出": true}
	var out []string
	var walk func(n *model.Node)
	walk = func(n *model.Node) {
		if n == nil {
			return
		}
		if n.Name != "" && !seen[n.Name] {
			seen[n.Name] = true
			out = append(out, n.Name)
		}
		for _, c := range n.Items {
			walk(c)
		}
		for _, c := range n.OfWhich {
			walk(c)
		}
	}
	for _, f := range append([]*model.Fund{r.Totals}, r.Funds...) {
		if f != nil {
			walk(f.Basic)
			walk(f.Project)
		}
	}
	if a := r.Accounts; a != nil {
		for _, n := range []*model.Node{a.Income, a.Expenditure, a.Fiscal, a.Functional, a.Economic, a.Operating} {
			walk(n)
		}
	}
	return out
}
