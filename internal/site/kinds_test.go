package site

import (
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"golang.org/x/net/html"

	"disclose/internal/diag"
	"disclose/internal/model"
)

// contentFS is content/ read into memory, so that a test can add files.
func contentFS(t *testing.T) fstest.MapFS {
	t.Helper()
	src := os.DirFS("../../content")
	out := fstest.MapFS{}
	err := fs.WalkDir(src, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := fs.ReadFile(src, p)
		out[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// renderFS checks and renders the content tree fsys, which must load
// without errors.
func renderFS(t *testing.T, fsys fs.FS) (*model.Site, map[string][]byte) {
	t.Helper()
	m, ds := loadChecked(fsys, "content")
	for _, d := range ds {
		if d.Severity == diag.Error {
			t.Errorf("content error: %v", d)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	out, _ := renderSome(t, loaded{m, ds}, Options{}, nil)
	return m, out
}

// figureDigits is an amount as a figure on a page prints it: the digits
// of the source (thousands separators kept), and 元 when it was published
// in 元, as `26,085.58<span class="own-unit">元</span>`.
func figureDigits(a *model.Amount) string {
	s := strings.TrimSpace(a.Published)
	if a.Unit == model.UnitYuan {
		return strings.TrimSpace(strings.TrimSuffix(s, "元")) + `<span class="own-unit">元</span>`
	}
	return strings.TrimSpace(strings.TrimSuffix(s, "万元"))
}

// numSpan matches the figures of a page: their text and what follows.
var numSpan = regexp.MustCompile(`<span class="num[^"]*">([^<]*(?:<span class="own-unit">[^<]*</span>)?)`)

// TestThreePublicPages: the page of each real 三公经费 document says what
// kind of document it is and shows every amount as the source printed it.
func TestThreePublicPages(t *testing.T) {
	m, files := render(t, "")
	n := 0
	for _, d := range m.Departments {
		for _, r := range d.Reports {
			if r.DocKind() != model.KindThreePublic {
				continue
			}
			n++
			p := reportPath(r)
			page := string(files[p])
			if page == "" {
				t.Errorf("no page %s", p)
				continue
			}
			eyebrow := regexp.MustCompile(`<p class="eyebrow">.*</p>`).FindString(page)
			if !strings.Contains(eyebrow, `<span class="kind">“三公”经费情况说明</span>`) {
				t.Errorf("%s: eyebrow %q does not name the kind", p, eyebrow)
			}
			var shown []string
			for _, sm := range numSpan.FindAllStringSubmatch(page, -1) {
				// Thousands separators are for reading; the digits are the
				// published ones.
				shown = append(shown, strings.ReplaceAll(sm[1], ",", ""))
			}
			amounts := r.Amounts()
			if len(amounts) < 3 {
				t.Errorf("%s: only %d amounts", p, len(amounts))
			}
			for _, a := range amounts {
				if a.Erratum != nil {
					continue
				}
				if want := strings.ReplaceAll(figureDigits(a), ",", ""); !slices.Contains(shown, want) {
					t.Errorf("%s: amount %q (line %d) is not a figure on the page as %q", p, a.Published, a.Pos.Line, want)
				}
			}
		}
	}
	// 寿县, 广东省财政厅, 鹿寨, 官仓镇, 塘子街道.
	if n < 5 {
		t.Errorf("%d 三公经费 documents in content/, want at least 5", n)
	}
}

// TestCompareOnlySelfEvaluations: the comparison of 2023 has a row for each
// self-evaluation report of the year and none for its other documents,
// which are listed apart, after the comparison and its charts.
func TestCompareOnlySelfEvaluations(t *testing.T) {
	m, files := render(t, "")
	ps := newParsed(files)
	const p = "compare/2023.html"
	rows := rowTargets(p, tableRows(t, ps, p, "compare"))
	page := string(files[p])
	compared, listed, ok := strings.Cut(page, `<section aria-labelledby="h-three-docs">`)
	if !ok {
		t.Fatalf("%s has no list of the 三公 statements", p)
	}
	var self, other []string
	for _, d := range m.Departments {
		for _, r := range d.Reports {
			if r.Year != 2023 {
				continue
			}
			if r.DocKind() == model.KindSelfEval {
				self = append(self, reportPath(r))
			} else {
				other = append(other, reportPath(r))
				// No figure of a department without a self-evaluation
				// that year, in the table or in a chart.
				if !slices.ContainsFunc(d.Reports, func(o *model.Report) bool { return o.Year == 2023 && o.DocKind() == model.KindSelfEval }) &&
					strings.Contains(compared, d.Name) {
					t.Errorf("%s compares %s, which has no self-evaluation report of 2023", p, d.Name)
				}
			}
		}
	}
	if len(self) == 0 || len(other) == 0 {
		t.Fatalf("content/ has %d self-evaluation and %d other documents of 2023, want both", len(self), len(other))
	}
	for _, o := range other {
		if slices.Contains(rows, o) || strings.Contains(compared, o) {
			t.Errorf("%s compares %s, not a self-evaluation report", p, o)
		}
		if !strings.Contains(listed, `href="../`+o+`"`) {
			t.Errorf("%s does not list %s among the year's other documents", p, o)
		}
	}
	slices.Sort(rows)
	slices.Sort(self)
	if !slices.Equal(rows, self) {
		t.Errorf("%s rows %v, want %v", p, rows, self)
	}
}

// siblingLinks are the report pages the block “本部门同年度的其他公开文件”
// of page p links to, and whether the block is there.
func siblingLinks(t *testing.T, p string, b []byte) ([]string, bool) {
	t.Helper()
	var links []string
	found := false
	walk(parse(t, p, b), func(n *html.Node) {
		if n.Type != html.ElementNode || n.Data != "div" {
			return
		}
		if c, _ := attr(n, "class"); c != "siblings" {
			return
		}
		found = true
		if !strings.Contains(text(n), "本部门同年度的其他公开文件") {
			t.Errorf("%s: sibling block without its heading", p)
		}
		walk(n, func(a *html.Node) {
			if a.Type == html.ElementNode && a.Data == "a" {
				href, _ := attr(a, "href")
				links = append(links, resolve(p, href))
			}
		})
	})
	if strings.Contains(string(b), "本部门同年度的其他公开文件") != found {
		t.Errorf("%s: the heading of the sibling block outside it", p)
	}
	return links, found
}

// checkSiblings: every document's page links each other document of its
// department-year and nothing else, and has no sibling block without them.
func checkSiblings(t *testing.T, m *model.Site, files map[string][]byte) (withSiblings int) {
	t.Helper()
	for _, d := range m.Departments {
		for _, r := range d.Reports {
			p := reportPath(r)
			var want []string
			for _, o := range d.Reports {
				if o != r && o.Year == r.Year {
					want = append(want, reportPath(o))
				}
			}
			got, block := siblingLinks(t, p, files[p])
			if block != (len(want) > 0) {
				t.Errorf("%s: sibling block %v with %d other documents that year", p, block, len(want))
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s links %v, want the other documents of its year %v", p, got, want)
			}
			if len(want) > 0 {
				withSiblings++
			}
		}
	}
	return withSiblings
}

// sangongInYuan is a 三公经费 statement published in 元, for 岳阳市云溪区民政局
// (县级), beside its 2023 self-evaluation report.
const sangongInYuan = `year: 2023
kind: 三公经费
unit: 元
title: 岳阳市云溪区民政局2023年度“三公”经费决算情况说明
three_public:
  total:
    budget: 30,000.00元
    actual: 26,085.58元
    rate: "86.95%"
  outbound: {budget: 0元, actual: 0元}
  vehicle_purchase: {budget: 0元, actual: 0元}
  vehicle_operation:
    budget: 20,000.00元
    actual: 20,000.00元
  reception:
    budget: 10,000.00元
    actual: 6,085.58元
source:
  title: 岳阳市云溪区民政局2023年度“三公”经费决算情况说明
`

const otherDoc = `year: 2023
kind: 其他
title: 岳阳市云溪区民政局关于2023年度预算绩效管理工作的说明
chapters:
  - title: 基本情况
    text: 本局2023年开展项目支出绩效自评3项。
source:
  title: 岳阳市云溪区民政局关于2023年度预算绩效管理工作的说明
`

// TestDocumentsOfOneYear: content/ as it is has no department with two
// documents of a year, so no page has a sibling block; with a 三公经费
// statement and another document added to 云溪's 2023, each of the three
// pages links the other two, and the statement's amounts, published in 元,
// are shown in 元, never converted to 万元 (README, "Published units").
func TestDocumentsOfOneYear(t *testing.T) {
	m, files := render(t, "")
	if n := checkSiblings(t, m, files); n != 0 {
		t.Errorf("%d pages with siblings in content/, which has no department-year of several documents", n)
	}

	const dept = "hunan-yueyang-yunxi-minzheng"
	fsys := contentFS(t)
	if fsys[dept+"/2023.yaml"] == nil {
		t.Fatalf("no %s/2023.yaml in content/", dept)
	}
	fsys[dept+"/2023-sangong.yaml"] = &fstest.MapFile{Data: []byte(sangongInYuan)}
	fsys[dept+"/2023-other.yaml"] = &fstest.MapFile{Data: []byte(otherDoc)}
	m, files = renderFS(t, fsys)
	if n := checkSiblings(t, m, files); n != 3 {
		t.Errorf("%d pages with siblings, want the 3 of %s 2023", n, dept)
	}
	for _, key := range []string{"2023", "2023-sangong", "2023-other"} {
		if _, block := siblingLinks(t, key, files["reports/"+dept+"/"+key+".html"]); !block {
			t.Errorf("reports/%s/%s.html: no sibling block", dept, key)
		}
	}

	const p = "reports/" + dept + "/2023-sangong.html"
	page := string(files[p])
	if !strings.Contains(page, `<span class="kind">“三公”经费情况说明</span>`) {
		t.Errorf("%s: kind not shown", p)
	}
	for _, want := range []string{
		`26,085.58<span class="own-unit">元</span>`,
		`30,000.00<span class="own-unit">元</span>`,
		`6,085.58<span class="own-unit">元</span>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("%s: no %s", p, want)
		}
	}
	// Nowhere on a page, not in a chart's summary or data table either.
	for name, b := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			if i := strings.Index(line, "2.608558"); i >= 0 {
				r, at := []rune(line), utf8.RuneCountInString(line[:i])
				t.Errorf("%s shows 26,085.58元 as 2.608558: …%s…", name, string(r[max(0, at-60):min(len(r), at+20)]))
			}
		}
	}
	// Not in the comparison; in the list of the 三公 statements, in 元.
	compared, listed, _ := strings.Cut(string(files["compare/2023.html"]), `<section aria-labelledby="h-three-docs">`)
	if strings.Contains(compared, dept+"/2023-sangong.html") {
		t.Errorf("compare/2023.html has a row for the 三公经费 statement")
	}
	if !strings.Contains(listed, dept+"/2023-sangong.html") || !strings.Contains(listed, `26,085.58<span class="own-unit">元</span>`) {
		t.Errorf("compare/2023.html does not list the 三公经费 statement with its figure in 元")
	}
}

// TestEveryFigureOnItsPage: the page of every document in content/ shows
// every figure of it (amounts in the digits and unit published, stated
// changes as worded, percentages, table cells), as the seeds' faithfulness
// tests demand of the transcription itself.
func TestEveryFigureOnItsPage(t *testing.T) {
	m, files := render(t, "")
	tag := regexp.MustCompile(`<[^>]+>`)
	checked := 0
	for _, d := range m.Departments {
		for _, r := range d.Reports {
			p := reportPath(r)
			page := string(files[p])
			if page == "" {
				t.Errorf("no page %s", p)
				continue
			}
			// The page's text, each element apart (table cells run
			// together otherwise). TestThreePublicPages checks the units.
			text := html.UnescapeString(tag.ReplaceAllString(page, " "))
			flat := strings.ReplaceAll(text, ",", "")
			has := func(s string) bool {
				s = strings.ReplaceAll(s, ",", "")
				re := regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(s) + `($|[^0-9]|\.[^0-9])`)
				return re.MatchString(flat)
			}
			for _, a := range r.Amounts() {
				if a.Erratum != nil {
					continue
				}
				want := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(a.Published), "万元"), "元"))
				if a.Unit == model.UnitWan {
					want = a.Value.String()
				}
				if !has(want) {
					t.Errorf("%s: amount %q (%s:%d) is not on the page", p, a.Published, a.Pos.File, a.Pos.Line)
				}
				checked++
			}
			for _, s := range statedTexts(r) {
				// The page groups a table cell's digits by thousands.
				if !strings.Contains(flat, strings.ReplaceAll(s, ",", "")) {
					t.Errorf("%s: %q is not on the page", p, s)
				}
				checked++
			}
		}
	}
	if checked < 300 {
		t.Errorf("checked %d figures", checked)
	}
}

// statedTexts are a report's stated changes as worded, its percentages and
// its table cells.
func statedTexts(r *model.Report) []string {
	var out []string
	for _, f := range r.StatedFigures() {
		out = append(out, f.Text)
	}
	return out
}
