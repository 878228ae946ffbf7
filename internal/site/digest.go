package site

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"unique"

	"disclose/internal/charts"
	"disclose/internal/compliance"
	"disclose/internal/diag"
	"disclose/internal/model"
)

// Digest is everything the site-wide files (home and the report list,
// the comparisons and their pages by region, categories and their pages,
// 公开情况, the search index, feed, sitemap) show of one department,
// worked out from its model once. The site-wide files are rendered from
// digests alone, so that a build can drop a department's model as soon as
// its own pages are written, and keep (or cache between builds) only its
// digest. It holds no pointer into the model and survives a round trip
// through JSON unchanged (TestDigestRoundTrip).
type Digest struct {
	ID, Name, ShortName string
	Region              []string
	Reports             []*ReportDigest // in the department's order (year, then kind)
	// Compliance is the department's disclosures against the site's
	// profile, a row per year, and Findings the diagnostics that check
	// gave, sorted.
	Compliance []ComplianceRow
	Findings   []diag.Diagnostic

	cold *cold // where Offload put what it took out
}

// ReportDigest is what the site-wide files show of one report.
type ReportDigest struct {
	Key, Title string
	Year       int
	Kind       model.DocKind
	// Row is the report's line in the lists and comparisons, with its
	// addresses relative to the site root (summary fixes them per page).
	Row summaryRow
	// Chart is what the comparison charts read of it.
	Chart *charts.Row
	// Three is the 三公 line of a document that is not a self-evaluation,
	// for the comparison's list of other documents; nil when it states no
	// 三公 total.
	Three *threeDocRow
	// Classes are its spending lines mapped to the official
	// classification, Lines every line with its class (see classEntries).
	Classes []classEntry
	Lines   []mappedLine
	// SearchText is its text in the search index.
	SearchText string
	// Date is its publication date (publicationDate); Author who
	// published it, for the feed.
	Date   *model.Date
	Author string

	dept *Digest
	cold *reportCold
}

// ComplianceRow is one department-year of the 公开情况 page.
type ComplianceRow struct {
	Year  int
	Items []ComplianceItem
}

// ComplianceItem is compliance.Item with the report named by its page.
type ComplianceItem struct {
	Kind      model.DocKind
	Required  bool
	Basis     string
	Report    string // the report page; "" when not published
	Timing    compliance.Timing
	Missing   []compliance.Missing
	Undecided []compliance.Missing
}

// Present reports whether the document was published.
func (it ComplianceItem) Present() bool { return it.Report != "" }

// Digest works out d's digest. diags are the checker's findings in d's
// files (any others are ignored).
func (s *Site) Digest(d *model.Department, diags []diag.Diagnostic) *Digest {
	g := s.digest(d, diags)
	g.Intern()
	return g
}

// DigestJSON is d's digest as its Aggregate gives it, for a build that
// keeps it on disk (ColdStore.Park) rather than in memory: nothing is
// interned that is thrown away at once.
func (s *Site) DigestJSON(d *model.Department, diags []diag.Diagnostic) []byte {
	return []byte(s.digest(d, diags).Aggregate())
}

func (s *Site) digest(d *model.Department, diags []diag.Diagnostic) *Digest {
	g := &Digest{ID: d.ID, Name: d.Name, ShortName: d.ShortName, Region: d.Region}
	for _, r := range d.Reports {
		g.Reports = append(g.Reports, s.reportDigest(r, diags, g))
	}
	rows, findings := compliance.CheckDepartment(d, s.profile)
	for _, row := range rows {
		cr := ComplianceRow{Year: row.Year}
		for _, it := range row.Items {
			ci := ComplianceItem{Kind: it.Kind, Required: it.Required, Basis: it.Basis, Timing: it.Timing, Missing: it.Missing, Undecided: it.Undecided}
			if it.Report != nil {
				ci.Report = reportPath(it.Report)
			}
			cr.Items = append(cr.Items, ci)
		}
		g.Compliance = append(g.Compliance, cr)
	}
	g.Findings = findings
	return g
}

func (s *Site) reportDigest(r *model.Report, diags []diag.Diagnostic, g *Digest) *ReportDigest {
	rd := &ReportDigest{Key: r.Key(), Title: r.Title, Year: r.Year, Kind: r.DocKind(), dept: g}
	var own []diag.Diagnostic
	for _, d := range diags {
		if slices.Contains(r.Files, d.Pos.File) {
			own = append(own, d)
		}
	}
	rd.Row = summaryOf(r, own)
	rd.Chart = charts.RowOf(r)
	if k := r.DocKind(); k != model.KindSelfEval {
		if t := r.ThreePublic; t != nil && t.Total != nil && (t.Total.Budget != nil || t.Total.Actual != nil) {
			rd.Three = &threeDocRow{
				Dept: deptName(r.Department), Region: regionText(r.Department), Kind: k.DocTitle(),
				Budget: amountFig(t.Total.Budget), Actual: amountFig(t.Total.Actual),
				Rate: percentText(t.Total.Rate), Change: deltaText(t.Total.Change), ChangeRate: deltaText(t.Total.ChangeRate),
			}
		}
	}
	rd.Classes, rd.Lines = classEntries(r)
	rd.SearchText = s.searchText(r)
	if d := publicationDate(r); d != nil {
		// Without its position: the feed needs the day, and the file
		// name would be a string of its own in every report's digest.
		rd.Date = &model.Date{Year: d.Year, Month: d.Month, Day: d.Day}
	}
	rd.Author = r.Department.Name
	if r.Source != nil && r.Source.Publisher != "" {
		rd.Author = r.Source.Publisher
	}
	return rd
}

// Aggregate is the digest of d as text: when an edit leaves it unchanged,
// the site-wide files come out the same, and a rebuild need not render
// them. TestHeavyAggregateCoversSiteWidePages holds it to the rendered
// pages.
func (g *Digest) Aggregate() string {
	b, err := json.Marshal(g)
	if err != nil {
		// Every field is plain data; this cannot fail.
		panic("site: digest: " + err.Error())
	}
	return string(b)
}

// link sets the digests' back-pointers after a round trip through JSON.
func (g *Digest) link() {
	for _, r := range g.Reports {
		r.dept = g
	}
}

func (rd *ReportDigest) path() string {
	return "reports/" + rd.dept.ID + "/" + rd.Key + ".html"
}

func (rd *ReportDigest) deptName() string {
	if rd.dept.ShortName != "" {
		return rd.dept.ShortName
	}
	return rd.dept.Name
}

func (rd *ReportDigest) region() string { return strings.Join(rd.dept.Region, "") }

// provinceName is the first part of the department's region ("" for none).
func (rd *ReportDigest) provinceName() string {
	if len(rd.dept.Region) > 0 {
		return rd.dept.Region[0]
	}
	return ""
}

// Aggregate describes everything the site-wide files show of one
// department: its digest as text (Digest.Aggregate). When an edit leaves
// it unchanged, those files come out the same, and a rebuild need not
// render them; which pages there are, and which rows each holds, follows
// from the years, regions and categories in it.
func (s *Site) Aggregate(deptID string) string {
	if g := s.byID[deptID]; g != nil {
		return g.Aggregate()
	}
	return ""
}

// Intern makes the digest's strings share memory with the equal strings
// of every other digest. A site's digests repeat the same texts thousands
// of times (the classification's explanations of each line, region and
// kind names, the profile's bases), and a build holds every digest until
// the site-wide files are written: at 10,000 reports this is most of the
// memory the digests take.
func (g *Digest) Intern() { internValue(reflect.ValueOf(g).Elem()) }

func internValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if v.Len() > 0 && v.CanSet() {
			v.SetString(unique.Make(v.String()).Value())
		}
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		// A digest shares memory with the model it was made from and with
		// package tables (a class's parts): interning writes into copies
		// of its own, never into memory another goroutine may read.
		if v.CanSet() {
			c := reflect.New(v.Elem().Type())
			c.Elem().Set(v.Elem())
			v.Set(c)
		}
		internValue(v.Elem())
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			// Unexported fields are skipped: the back-pointer to the
			// digest among them.
			if t.Field(i).IsExported() {
				internValue(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Len() > 0 && v.CanSet() {
			c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
			reflect.Copy(c, v)
			v.Set(c)
		}
		for i := range v.Len() {
			internValue(v.Index(i))
		}
	case reflect.Array:
		for i := range v.Len() {
			internValue(v.Index(i))
		}
	}
}
