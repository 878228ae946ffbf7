package importer

import (
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"disclose/internal/model"
	"disclose/internal/sourcedoc"
)

// Options say what the importer cannot read from the document itself, or
// what the user knows better.
type Options struct {
	Year int           // 0: from the document
	Kind model.DocKind // "": from the document
	// Else is the year and kind to take when the document states none: a
	// workbook of tables imported together with its report.
	ElseYear int
	ElseKind model.DocKind
}

// Result is a draft report read from one source document.
type Result struct {
	Draft      *Draft
	Year       int
	Kind       model.DocKind
	Title      string
	DeptName   string            // 部门（单位）名称 as the document gives it
	BudgetCode string            // 预算编码
	codeAt     string            // where the 预算编码 stands, as a comment
	Sections   map[string]string // narrative key → Markdown
	Figures    int               // money figures placed
	Indicators int               // indicator rows placed
	Source     string            // the source file's base name (names, when several)
	SourceSum  string            // its SHA-256, hex (the first file's, when several)
	Sources    []SourceFile      // every file the draft draws on
}

// SourceFile is a file a draft was read from.
type SourceFile struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

// Merge adds what o read to res: one report read from several files (the
// Word report and the workbook of its tables). res's values win where both
// have one; a figure the two give differently is listed as unplaced.
func (res *Result) Merge(o *Result) {
	res.Draft.merge(o.Draft)
	res.Figures += o.Figures
	res.Sources = append(res.Sources, o.Sources...)
	var names []string
	for _, s := range res.Sources {
		names = append(names, s.Name)
	}
	res.Source = strings.Join(names, "、")
	for _, p := range res.Draft.provs() {
		p.NameFile = true
	}
	for k, v := range o.Sections {
		if res.Sections[k] == "" {
			res.Sections[k] = v
		} else {
			res.Sections[k] += "\n" + v
		}
	}
	if res.Title == "" {
		res.Title = o.Title
	}
}

// SetSource records the bytes of the file res was read from.
func (res *Result) SetSource(name string, data []byte) {
	res.Source = name
	res.Sources = []SourceFile{{Name: name, SHA256: hex.EncodeToString(sum(data))}}
}

var (
	titleYearRE = regexp.MustCompile(`(20\d{2})\s*年`)
	titleWordRE = regexp.MustCompile(`(报告|说明|公开|表)[）)]?$`)
	dateRE      = regexp.MustCompile(`(20\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?`)
)

// Import reads a draft report out of doc.
func Import(doc *sourcedoc.Document, opt Options) (*Result, error) {
	paras := paragraphs(doc)
	if len(paras) == 0 {
		return nil, fmt.Errorf("%s: 文件里没有文字", doc.Name)
	}
	res := &Result{Draft: NewDraft(), Source: doc.Name, Sections: map[string]string{}}
	d := res.Draft
	res.Title, res.Kind = title(paras)
	if opt.Kind != "" {
		res.Kind = opt.Kind
	}
	res.Year = opt.Year
	if res.Year == 0 {
		if m := titleYearRE.FindStringSubmatch(res.Title); m != nil {
			res.Year, _ = strconv.Atoi(m[1])
		}
	}
	if res.Year == 0 && opt.ElseYear != 0 {
		res.Year = opt.ElseYear
		if res.Kind == "" {
			res.Kind = opt.ElseKind
		}
	}
	if res.Year == 0 {
		return nil, fmt.Errorf("%s: 标题里找不到报告年度，请用 --year 指定", doc.Name)
	}
	d.Set("year", strconv.Itoa(res.Year), nil)
	if res.Kind != "" && res.Kind != model.KindSelfEval {
		d.SetString("kind", string(res.Kind), nil)
	}
	if res.Title != "" {
		d.SetString("title", res.Title, nil)
	}
	header(paras, res)
	r := &reader{d: d, kind: res.Kind}
	for _, p := range paras {
		r.paragraph(p)
	}
	res.Figures = r.placed
	res.Figures += forms(doc, res.Kind, d)
	res.Indicators = indicatorTables(doc, d)
	if res.Kind == model.KindFinalAccounts || res.Kind == model.KindBudget {
		standardTables(doc, res.Kind, d)
		a := &accountsReader{d: d}
		for _, p := range paras {
			a.paragraph(p)
		}
		res.Figures += a.placed
	}
	res.Sections = sections(paras)
	d.dropPlaced()
	d.SetString("source.title", res.Title, nil)
	d.SetString("source.file", doc.Name, nil)
	return res, nil
}

// title finds the report's title: the first paragraph that names a report
// kind, joined with the line before it when the cover breaks it in two.
func title(paras []*para) (string, model.DocKind) {
	limit := min(len(paras), 200)
	for i := 0; i < limit; i++ {
		// "…自评表(2023年度) | ||||": a converter's row of one cell.
		t := strings.TrimSpace(strings.TrimRight(paras[i].text, "| "))
		// A title is a line of its own, neither prose nor a column header
		// ("预算数", "绩效指标(90分)"): it names a year or a kind of paper.
		if n := len([]rune(t)); n > 60 || strings.ContainsAny(t, "，,。；;") || !titleYearRE.MatchString(t) && !titleWordRE.MatchString(t) {
			continue
		}
		kind := kindOf(t)
		if kind == "" {
			continue
		}
		if !titleYearRE.MatchString(t) && i > 0 && len([]rune(paras[i-1].text)) < 40 && titleYearRE.MatchString(paras[i-1].text) {
			t = strings.TrimSpace(paras[i-1].text) + t
		}
		return stripNumbering(spacesRE.ReplaceAllString(t, "")), kind
	}
	return "", ""
}

func kindOf(t string) model.DocKind {
	switch {
	case strings.Contains(t, "项目支出绩效自评"), strings.Contains(t, "项目支出绩效评价"):
		return model.KindProjectEval
	case strings.Contains(t, "绩效"):
		return model.KindSelfEval
	case strings.Contains(t, "三公"):
		return model.KindThreePublic
	case strings.Contains(t, "决算"):
		return model.KindFinalAccounts
	case strings.Contains(t, "预算"):
		return model.KindBudget
	}
	return ""
}

var headerFields = []struct {
	re   *regexp.Regexp
	path string
}{
	{regexp.MustCompile(`^部门\s*[（(]\s*单位\s*[)）]\s*名\s*称\s*[：:]\s*(.+)$`), "dept"},
	{regexp.MustCompile(`^单位名称\s*[：:\t]\s*(.+)$`), "dept"},
	{regexp.MustCompile(`^预\s*算\s*编\s*码\s*[：:]\s*(\d+)`), "budget_code"},
	{regexp.MustCompile(`^评\s*价\s*方\s*式\s*[：:]\s*(.+)$`), "evaluation.text"},
	{regexp.MustCompile(`^评\s*价\s*机\s*构\s*[：:]\s*(.+)$`), "evaluation.body"},
	{regexp.MustCompile(`^报\s*告\s*日\s*期\s*[：:]\s*(.+)$`), "report_date"},
}

// header reads the cover fields: department, budget code, evaluation method
// and body, report date.
func header(paras []*para, res *Result) {
	d := res.Draft
	for i, p := range paras {
		if i > 40 {
			break
		}
		t := strings.TrimSpace(p.text)
		for _, h := range headerFields {
			m := h.re.FindStringSubmatch(t)
			if m == nil {
				continue
			}
			v := strings.TrimSpace(m[1])
			prov := &Prov{Loc: p.pieces[0].loc, Quote: t}
			switch h.path {
			case "dept":
				if res.DeptName == "" {
					res.DeptName = v
				}
			case "budget_code":
				if res.BudgetCode == "" {
					res.BudgetCode, res.codeAt = v, prov.Comment()
				}
			case "report_date":
				if dm := dateRE.FindStringSubmatch(strings.ReplaceAll(v, " ", "")); dm != nil {
					date := fmt.Sprintf("%s-%02s", dm[1], dm[2])
					if dm[3] != "" {
						date += fmt.Sprintf("-%02s", dm[3])
					}
					d.SetString("report_date", fixDate(date), prov)
				}
			default:
				d.SetString(h.path, v, prov)
			}
		}
	}
}

// fixDate zero-pads month and day: "%02s" pads with spaces.
func fixDate(s string) string {
	parts := strings.Split(s, "-")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.TrimSpace(parts[i])
		if len(parts[i]) == 1 {
			parts[i] = "0" + parts[i]
		}
	}
	return strings.Join(parts, "-")
}

// sectionKeys maps words of a section heading to the narrative section it
// belongs in.
var sectionKeys = []struct{ word, key string }{
	{"综述", "summary"}, {"结论", "summary"},
	{"概况", "overview"}, {"基本情况", "overview"},
	{"问题", "problems"},
	{"措施", "measures"}, {"改进", "measures"}, {"建议", "measures"},
	{"结果应用", "results_use"}, {"公开", "results_use"},
	{"自评工作", "process"}, {"组织", "process"},
	{"规划", "plan"}, {"计划", "plan"},
	{"预算", "budget"}, {"支出", "budget"}, {"资金", "budget"},
	{"绩效", "performance"}, {"成效", "performance"}, {"工作开展", "performance"}, {"目标", "performance"},
}

// sections files the prose under the narrative sections by its headings;
// text before the first heading and under headings of no known section goes
// to "other", so nothing is dropped.
func sections(paras []*para) map[string]string {
	out := map[string]string{}
	key := "other"
	for _, p := range paras {
		t := strings.TrimSpace(p.text)
		if p.heading || isHeading(t) && !strings.Contains(t, "。") {
			if k := sectionOf(t); k != "" {
				key = k
			}
			out[key] += "## " + t + "\n\n"
			continue
		}
		out[key] += t + "\n\n"
	}
	for k, v := range out {
		out[k] = strings.TrimSpace(v) + "\n"
	}
	return out
}

func sectionOf(t string) string {
	for _, s := range sectionKeys {
		if strings.Contains(t, s.word) {
			return s.key
		}
	}
	return ""
}
