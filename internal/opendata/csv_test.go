package opendata

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"disclose/internal/model"
)

// formulaSite is one report in which every text the long table copies from
// content is s, with negative amounts among its figures.
func formulaSite(s string) *model.Site {
	amt := func(v string) *model.Amount {
		return &model.Amount{Value: model.MustDecimal(v), Published: v, Unit: model.UnitWan}
	}
	d := &model.Department{
		ID:         s,
		Name:       s,
		BudgetCode: s,
		Level:      model.Level(s),
		Region:     []string{s, s, s},
	}
	spent := amt("3")
	spent.Published = s
	spent.Erratum = &model.Erratum{Published: s, Corrected: "3", Reason: s}
	r := &model.Report{
		Department: d,
		Year:       2024,
		Kind:       model.DocKind(s),
		Title:      s,
		Funds: []*model.Fund{{
			Source:      model.FundSource(s),
			Label:       s,
			Adjustment:  amt("-12.5"),
			Expenditure: spent,
			Basic:       &model.Node{Name: s, Code: s, Amount: amt("-0.25")},
		}},
		Projects: []*model.Project{{Name: s, Group: s, Paid: amt("-7")}},
	}
	d.Reports = []*model.Report{r}
	return &model.Site{Departments: []*model.Department{d}}
}

// The texts a spreadsheet would run as a formula (OWASP's list: = + - @,
// tab, carriage return) reach the CSV with a leading apostrophe, in both
// the per-report and the site-wide file. want is the cell's text as
// written.
var formulaCases = []struct {
	name, in, want string
}{
	{"hyperlink", `=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
	{"equals", "=1+1", "'=1+1"},
	{"plus", "+SUM(1,2)", "'+SUM(1,2)"},
	{"minus", "-2+3", "'-2+3"},
	{"minus cmd", `-cmd|' /C calc'!A0`, `'-cmd|' /C calc'!A0`},
	{"at", "@SUM(1,2)", "'@SUM(1,2)"},
	{"tab", "\t=1+1", "'\t=1+1"},
	{"carriage return", "\r=1+1", "'\r=1+1"},
	{"minus alone", "-", "'-"},
	{"minus text", "-无", "'-无"},
	// Only a plain signed decimal is a number to every spreadsheet; these
	// look numeric but are not, or could run as formulas.
	{"two dots", "-1.2.3", "'-1.2.3"},
	{"exponent", "-1e5", "'-1e5"},
	{"bare fraction", "-.5", "'-.5"},
	{"thousands", "-1,234.5", "'-1,234.5"},
	{"space", "- 1", "'- 1"},
	// A text that is exactly a signed decimal, such as a budget code "-1",
	// cannot run anything: Excel reads it as the number it says, as it
	// reads an unsigned code. An apostrophe would only alter the data.
	{"negative code", "-1", "-1"},
	{"negative decimal", "-12.5", "-12.5"},
	{"positive code", "+1", "+1"},
	// Not formulas: left exactly as published.
	{"inner operator", "1+1", "1+1"},
	{"full-width equals", "＝1+1", "＝1+1"},
	{"apostrophe already", "'=1+1", "'=1+1"},
	{"chinese", "岳阳市云溪区民政局", "岳阳市云溪区民政局"},
}

// Columns the code fills itself, never from content. 文件 is the year and
// the file's name, which the loader allows only in lower-case letters,
// digits and hyphens, so it always starts with a digit.
var codeColumns = map[string]bool{"口径": true, "分项性质": true, "末级": true, "数据项": true, "文件": true}

func TestCSVNeutralisesFormulas(t *testing.T) {
	for _, tt := range formulaCases {
		t.Run(tt.name, func(t *testing.T) {
			site := formulaSite(tt.in)
			// encoding/csv drops a lone CR when it writes CRLF records,
			// which is also why a CR-led cell needs the apostrophe: without
			// it, "\r=1+1" reaches Excel as =1+1.
			want := strings.ReplaceAll(tt.want, "\r", "")
			report, err := ReportCSV(siteReports(site)[0])
			if err != nil {
				t.Fatal(err)
			}
			var all bytes.Buffer
			if err := WriteAllCSV(&all, site); err != nil {
				t.Fatal(err)
			}
			for _, f := range []struct {
				name string
				b    []byte
			}{{"ReportCSV", report}, {"WriteAllCSV", all.Bytes()}} {
				recs := readCSV(t, f.b)
				if len(recs) != 5 {
					t.Fatalf("%s: %d records, want header + 4", f.name, len(recs))
				}
				seen := map[string]bool{}
				for _, rec := range recs[1:] {
					for i, c := range longColumns {
						got := rec[i]
						switch {
						case csvNumeric[i], codeColumns[c.Name]:
						case got == want:
							seen[c.Name] = true
						case got != "" && !(c.Name == "类别路径" && got == "合计"):
							t.Errorf("%s: %s = %q, want %q", f.name, c.Name, got, want)
						}
					}
				}
				for _, c := range longColumns {
					if i := columnIndex(c.Name); !csvNumeric[i] && !codeColumns[c.Name] && !seen[c.Name] && c.Name != "原文单位" {
						t.Errorf("%s: no row has %s = %q", f.name, c.Name, want)
					}
				}
				// Negative amounts are numbers, written as numbers.
				var values []string
				for _, rec := range recs[1:] {
					values = append(values, rec[columnIndex("年度")]+" "+rec[columnIndex("类别层级")]+" "+rec[columnIndex("数值（万元）")])
				}
				if got, wantValues := strings.Join(values, ", "), "2024 1 -12.5, 2024 1 3, 2024 1 -0.25, 2024 1 -7"; got != wantValues {
					t.Errorf("%s: 年度 类别层级 数值 = %s, want %s", f.name, got, wantValues)
				}
			}
		})
	}
}

// csvNumeric must mark exactly the columns the 明细 sheet writes as
// numbers: both say which columns hold figures rather than content text.
func TestCSVNumericColumnsMatchXLSX(t *testing.T) {
	var x detailCells
	eachRow(siteReports(formulaSite("-1"))[0], func(w row) {
		for i, c := range x.fill(w) {
			if number := c.kind == cellInt || c.kind == cellDecimal; number != csvNumeric[i] {
				t.Errorf("%s: numeric in XLSX %v, in CSV %v", longColumns[i].Name, number, csvNumeric[i])
			}
		}
	})
}

func TestCSVText(t *testing.T) {
	for _, tt := range formulaCases {
		if got := csvText(tt.in); got != tt.want {
			t.Errorf("csvText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := csvText(""); got != "" {
		t.Errorf("csvText(\"\") = %q", got)
	}
}

// The JSON is for programs, not spreadsheets: it keeps the exact text.
func TestJSONKeepsFormulaText(t *testing.T) {
	const s = `=HYPERLINK("http://x","y")`
	b, err := ReportJSON(siteReports(formulaSite(s))[0])
	if err != nil {
		t.Fatal(err)
	}
	var doc reportDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	d := doc.Department
	got := []string{d.ID, d.Name, d.BudgetCode, d.Level, doc.Projects[0].Name, doc.Projects[0].Group}
	got = append(got, d.Region...)
	for _, g := range got {
		if g != s {
			t.Errorf("JSON has %q, want %q", g, s)
		}
	}
	if !bytes.Contains(b, []byte(`"name": "=HYPERLINK(\"http://x\",\"y\")"`)) {
		t.Errorf("JSON does not hold the name verbatim:\n%s", b)
	}
}

// Excel runs only a cell's <f> element as a formula; a shared-string cell
// (t="s") is text whatever it starts with. So the workbook keeps the exact
// text, and its negative figures stay numeric cells.
func TestXLSXWritesFormulaTextAsString(t *testing.T) {
	for _, tt := range formulaCases {
		t.Run(tt.name, func(t *testing.T) {
			b, err := AllXLSX(formulaSite(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			_, parts := zipEntries(t, b)
			formula := regexp.MustCompile(`<f[ >/]`)
			for name, data := range parts {
				if strings.HasPrefix(name, "xl/worksheets/") && formula.Match(data) {
					t.Errorf("%s has a formula element", name)
				}
			}
			f := openWorkbook(t, b)
			sheet := parts[sheetPart(t, b, f, sheetSummary)]
			if m := regexp.MustCompile(`<c r="B2"[^>]*>`).Find(sheet); !bytes.Contains(m, []byte(` t="s"`)) {
				t.Errorf("汇总!B2 is %s, want a shared-string cell", m)
			}
			for _, ref := range []string{"A2", "B2", "C2", "D2"} {
				typ, err := f.GetCellType(sheetSummary, ref)
				if err != nil {
					t.Fatal(err)
				}
				got, err := f.GetCellValue(sheetSummary, ref)
				if err != nil {
					t.Fatal(err)
				}
				// XML turns a literal CR into a line feed unless escaped;
				// appendEscaped writes &#xD;, so it comes back.
				if typ != excelize.CellTypeSharedString || got != tt.in {
					t.Errorf("汇总!%s = %q (type %v), want the string %q", ref, got, typ, tt.in)
				}
			}
			detail := parts[sheetPart(t, b, f, sheetDetail)]
			for _, v := range []string{"-12.5", "-0.25", "-7"} {
				// A numeric cell has no t attribute.
				col := columnName(columnIndex("数值（万元）") + 1)
				if !regexp.MustCompile(`<c r="` + col + `\d+" s="\d+"><v>` + regexp.QuoteMeta(v) + `</v></c>`).Match(detail) {
					t.Errorf("明细 has no numeric cell %s", v)
				}
			}
		})
	}
}
