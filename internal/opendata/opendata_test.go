package opendata

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/model"
	"disclose/internal/seedset"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// seeds loads the seed departments of the shipped content once, the way
// content.Load does; every test only reads it.
var seeds = sync.OnceValues(func() (*model.Site, error) {
	fsys := os.DirFS("../../content")
	cfg, ds := content.LoadSite(fsys, "content")
	site := &model.Site{Config: cfg}
	for _, dir := range seedset.IDs {
		d, dds := content.LoadDepartment(fsys, "content", dir)
		ds = append(ds, dds...)
		if d != nil {
			site.Departments = append(site.Departments, d)
		}
	}
	ds = append(ds, content.ValidateDepartments(site.Departments)...)
	for _, d := range ds {
		if d.Severity == diag.Error {
			return nil, fmt.Errorf("%s: %s", d.Location(), d.Message(diag.En))
		}
	}
	return site, nil
})

func seedSite(t testing.TB) *model.Site {
	t.Helper()
	site, err := seeds()
	if err != nil {
		t.Fatal(err)
	}
	if len(siteReports(site)) != 5 {
		t.Fatalf("got %d seed reports, want 5", len(siteReports(site)))
	}
	return site
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/opendata -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; review with go test ./internal/opendata -update && git diff %s", name, path)
	}
}

func reportName(r *model.Report) string {
	return fmt.Sprintf("%s-%d", r.Department.ID, r.Year)
}

func TestGoldenJSON(t *testing.T) {
	for _, r := range siteReports(seedSite(t)) {
		t.Run(reportName(r), func(t *testing.T) {
			b, err := ReportJSON(r)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, reportName(r)+".json", b)
		})
	}
}

func TestGoldenCSV(t *testing.T) {
	b, err := AllCSV(seedSite(t))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "all.csv", b)
}

func TestGoldenXLSX(t *testing.T) {
	b, err := AllXLSX(seedSite(t))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "all.xlsx.txt", []byte(dumpXLSX(t, b)))
}

// Every amount of every report is one row of its CSV, in declaration order,
// with its exact value and, where they say more, its published literal and
// unit.
func TestReportCSVHasEveryAmountOnce(t *testing.T) {
	for _, r := range siteReports(seedSite(t)) {
		t.Run(reportName(r), func(t *testing.T) { checkEveryAmountOnce(t, r) })
	}
}

// checkEveryAmountOnce holds r's long table to r.Amounts(): one row per
// amount, in declaration order, each identifiable without its value.
func checkEveryAmountOnce(t *testing.T, r *model.Report) {
	t.Helper()
	amounts := r.Amounts()
	rows := reportRows(r)
	seen := map[*model.Amount]int{}
	for _, w := range rows {
		seen[w.amt]++
	}
	for i, a := range amounts {
		if seen[a] != 1 {
			t.Errorf("amount %s at %s:%d is in %d rows, want 1", a.Value, a.Pos.File, a.Pos.Line, seen[a])
		}
		if i < len(rows) && rows[i].amt != a {
			t.Errorf("row %d is %s at line %d, want the amount at line %d (declaration order)", i, rows[i].amt.Value, rows[i].amt.Pos.Line, a.Pos.Line)
		}
	}
	if len(rows) != len(amounts) {
		t.Fatalf("%d rows for %d amounts", len(rows), len(amounts))
	}

	b, err := ReportCSV(r)
	if err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, b)
	if len(recs) != len(amounts)+1 {
		t.Fatalf("CSV has %d records, want header + %d", len(recs), len(amounts))
	}
	col := func(name string) int { return columnIndex(name) }
	keys := map[string]bool{}
	for i, a := range amounts {
		rec := recs[i+1]
		if got := rec[col("数值（万元）")]; got != a.Value.String() {
			t.Errorf("row %d value %q, want %q", i+1, got, a.Value.String())
		}
		if rec[col("原文写法")] != "" && rec[col("原文写法")] != a.Published {
			t.Errorf("row %d published %q, want %q", i+1, rec[col("原文写法")], a.Published)
		}
		if (rec[col("勘误说明")] != "") != (a.Erratum != nil) {
			t.Errorf("row %d erratum column %q, erratum %v", i+1, rec[col("勘误说明")], a.Erratum)
		}
		// A row must be identifiable without its value, or a pivot
		// would add two figures together.
		key := strings.Join([]string{rec[col("资金来源")], rec[col("资金名称")], rec[col("口径")], rec[col("类别路径")], rec[col("数据项")]}, "|")
		if keys[key] {
			t.Errorf("row %d repeats the key %s", i+1, key)
		}
		keys[key] = true
	}
}

// readCSV checks the framing Excel needs (BOM, CRLF) and parses the rest.
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatal("CSV does not start with a UTF-8 byte-order mark")
	}
	body := b[3:]
	if n, crlf := bytes.Count(body, []byte("\n")), bytes.Count(body, []byte("\r\n")); n != crlf {
		// Multi-line fields keep their own newlines; the seeds have none.
		t.Errorf("%d of %d line ends are not CRLF", n-crlf, n)
	}
	cr := csv.NewReader(bytes.NewReader(body))
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 || !equal(recs[0], columnNames(longColumns)) {
		t.Fatalf("header = %v", recs[0])
	}
	return recs
}

func columnNames(cs []Column) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The site-wide table is the reports' tables one after another.
func TestAllCSVConcatenatesReports(t *testing.T) {
	site := seedSite(t)
	all, err := AllCSV(site)
	if err != nil {
		t.Fatal(err)
	}
	var head bytes.Buffer
	if err := writeCSV(&head, func(func(row) error) error { return nil }); err != nil {
		t.Fatal(err)
	}
	want := head.Bytes()
	header := len(want)
	for _, r := range siteReports(site) {
		b, err := ReportCSV(r)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, b[header:]...)
	}
	if !bytes.Equal(all, want) {
		t.Error("AllCSV is not the header followed by each ReportCSV's rows")
	}
	readCSV(t, all)
}

func TestReportJSONRoundTrip(t *testing.T) {
	for _, r := range siteReports(seedSite(t)) {
		t.Run(reportName(r), func(t *testing.T) { checkJSONRoundTrip(t, r) })
	}
}

// checkJSONRoundTrip holds ReportJSON(r) to its shape: indented, every
// amount a JSON number with its exact digits, and nothing lost or
// reordered by decoding into the typed document and encoding again.
func checkJSONRoundTrip(t *testing.T, r *model.Report) {
	t.Helper()
	b, err := ReportJSON(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(b, []byte("}\n")) || !bytes.HasPrefix(b, []byte("{\n  \"schema\": ")) {
		t.Errorf("not 2-space indented with a trailing newline: %.40q … %q", b, b[len(b)-3:])
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	top := v.(map[string]any)
	if top["schema"] != Schema || top["unit"] != "万元" {
		t.Errorf("schema %v, unit %v", top["schema"], top["unit"])
	}
	if top["year"] != json.Number(strconv.Itoa(r.Year)) {
		t.Errorf("year = %v", top["year"])
	}
	// Every amount is in the document as a number with exactly its
	// published digits: no float64 rounding, no padding.
	numbers := map[string]int{}
	collectNumbers(v, numbers)
	for _, a := range r.Amounts() {
		if numbers[a.Value.String()] == 0 {
			t.Errorf("amount %s (line %d) is not a JSON number in the document", a.Value, a.Pos.Line)
		}
	}
	// Decoding into the typed document and encoding again gives the
	// same bytes: nothing is lost or reordered.
	var doc reportDoc
	strict := json.NewDecoder(bytes.NewReader(b))
	strict.DisallowUnknownFields()
	if err := strict.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	enc := json.NewEncoder(&again)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&doc); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), b) {
		t.Error("JSON does not survive decode and encode unchanged")
	}
}

func collectNumbers(v any, into map[string]int) {
	switch x := v.(type) {
	case json.Number:
		into[string(x)]++
	case map[string]any:
		for _, e := range x {
			collectNumbers(e, into)
		}
	case []any:
		for _, e := range x {
			collectNumbers(e, into)
		}
	}
}

// Figures written in another unit or corrected by an erratum carry the
// published literal, the unit and the erratum in every format.
func TestPublishedLiteralAndErratum(t *testing.T) {
	site := seedSite(t)
	var xiangtan *model.Report
	for _, r := range siteReports(site) {
		if r.Department.ID == "hunan-xiangtan-minzheng" {
			xiangtan = r
		}
	}
	if xiangtan == nil {
		t.Fatal("湘潭市 report missing")
	}
	b, err := ReportJSON(xiangtan)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Funds []struct {
			Expenditure struct {
				Value     json.Number
				Published string
				Unit      string
				Erratum   *struct{ Published, Corrected, Reason string }
			}
		}
		Errata []struct{ Kind, Published string }
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	e := doc.Funds[0].Expenditure
	if e.Value != "3229.37" || e.Published != "3229.37 元" || e.Unit != "元" || e.Erratum == nil || e.Erratum.Corrected != "3229.37" {
		t.Errorf("expenditure = %+v", e)
	}
	kinds := map[string]int{}
	for _, x := range doc.Errata {
		kinds[x.Kind]++
	}
	if kinds["amount"] != 1 || kinds["text"] != 1 {
		t.Errorf("errata kinds = %v, want one amount and one text erratum", kinds)
	}

	csvb, err := ReportCSV(xiangtan)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, rec := range readCSV(t, csvb)[1:] {
		if rec[columnIndex("原文写法")] == "3229.37 元" {
			found = true
			if rec[columnIndex("数值（万元）")] != "3229.37" || rec[columnIndex("原文单位")] != "元" || rec[columnIndex("勘误说明")] == "" {
				t.Errorf("erratum row = %v", rec)
			}
		}
	}
	if !found {
		t.Error("no CSV row keeps the published “3229.37 元”")
	}
}

func TestDeterministic(t *testing.T) {
	site := seedSite(t)
	for _, tt := range []struct {
		name  string
		build func() ([]byte, error)
	}{
		{"AllCSV", func() ([]byte, error) { return AllCSV(site) }},
		{"AllXLSX", func() ([]byte, error) { return AllXLSX(site) }},
		{"ReportJSON", func() ([]byte, error) {
			var all []byte
			for _, r := range siteReports(site) {
				b, err := ReportJSON(r)
				if err != nil {
					return nil, err
				}
				all = append(all, b...)
			}
			return all, nil
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			first, err := tt.build()
			if err != nil {
				t.Fatal(err)
			}
			// Several builds, since map order in a dependency would show
			// only now and then.
			for range 4 {
				again, err := tt.build()
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(first, again) {
					t.Fatal("two builds differ")
				}
			}
		})
	}
}

// The workbook's ZIP entries and document dates come from the data, not
// the clock.
func TestXLSXTimes(t *testing.T) {
	site := seedSite(t)
	b, err := AllXLSX(site)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
	year := 0
	for _, d := range site.Departments {
		year = max(year, PartOf(d).head.year)
	}
	if got := documentTime(year); !got.Equal(want) {
		t.Fatalf("documentTime = %v, want %v", got, want)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if !zf.Modified.Equal(want) {
			t.Errorf("%s modified %v, want %v", zf.Name, zf.Modified, want)
		}
	}
	f := openWorkbook(t, b)
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Created != "2024-12-31T00:00:00Z" || props.Modified != props.Created {
		t.Errorf("document dates %q, %q", props.Created, props.Modified)
	}
}

// The workbook opens, and its figures are numbers shown at the published
// precision, not text.
func TestXLSXRoundTrip(t *testing.T) {
	site := seedSite(t)
	b, err := AllXLSX(site)
	if err != nil {
		t.Fatal(err)
	}
	f := openWorkbook(t, b)
	// 湘潭市 states its 三公经费, so that sheet is there; the seeds have no
	// 决算, 预算 or project forms, so theirs are not.
	if got, want := f.GetSheetList(), []string{"汇总", "明细", "绩效指标", "项目", "三公经费", "说明"}; !equal(got, want) {
		t.Fatalf("sheets = %v, want %v", got, want)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("active sheet %d, want 汇总", f.GetActiveSheetIndex())
	}

	reports := siteReports(site)
	wantRows := map[string]int{"汇总": len(reports), "明细": 0, "绩效指标": 0, "项目": 0}
	for _, r := range reports {
		wantRows["明细"] += len(r.Amounts())
		wantRows["项目"] += len(r.Projects)
		var count func([]*model.Indicator) int
		count = func(is []*model.Indicator) int {
			n := len(is)
			for _, in := range is {
				n += count(in.Items)
			}
			return n
		}
		wantRows["绩效指标"] += count(r.Indicators)
	}
	for sheet, n := range wantRows {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != n+1 {
			t.Errorf("%s has %d rows, want header + %d", sheet, len(rows), n)
		}
	}
	for _, sheet := range f.GetSheetList() {
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: header row not frozen: %+v", sheet, panes)
		}
		id, err := f.GetCellStyle(sheet, "A1")
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Font == nil || !st.Font.Bold {
			t.Errorf("%s: header is not bold", sheet)
		}
	}

	// Cells located by content, so the test does not depend on row order.
	tests := []struct {
		sheet, key   string // a row whose first cells include key
		column       string // header of the column to read
		raw, display string
	}{
		{"汇总", "hubei-jingmen-minzheng", "全年预算（万元）", "11605.29", "11,605.29"},
		{"汇总", "hubei-jingmen-minzheng", "执行率·原文（%）", "100", "100"},
		{"汇总", "hubei-jingmen-minzheng", "执行率·计算（%）", "186.81", "186.81"},
		{"汇总", "hunan-yueyang-yunxi-minzheng", "自评得分", "97.35", "97.35"},
		{"汇总", "hunan-xiangtan-minzheng", "三公经费支出（万元）", "9.32", "9.32"},
		{"项目", "城乡低保", "实际拨付（万元）", "3176.4889", "3,176.4889"},
		{"项目", "困难群众生活救助", "预算（万元）", "1700", "1,700"},
		{"明细", "项目支出/社会福利支出/老年人福利支出", "数值（万元）", "55.02", "55.02"},
		{"明细", "项目支出/社会福利支出/残疾人福利支出", "数值（万元）", "451.1", "451.1"},
		{"绩效指标", "临时性救助人次数", "实际数值", "3633", "3,633"},
	}
	for _, tt := range tests {
		ref := findCell(t, f, tt.sheet, tt.key, tt.column)
		if ref == "" {
			t.Errorf("%s: no row %s", tt.sheet, tt.key)
			continue
		}
		typ, err := f.GetCellType(tt.sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s!%s is of type %v, want a number", tt.sheet, ref, typ)
		}
		raw, _ := f.GetCellValue(tt.sheet, ref, excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue(tt.sheet, ref)
		if raw != tt.raw || shown != tt.display {
			t.Errorf("%s!%s = %q shown as %q, want %q shown as %q", tt.sheet, ref, raw, shown, tt.raw, tt.display)
		}
	}

	// 云溪区 states no department totals: its expenditure is the sum of its
	// four funds, and the summary says so.
	ref := findCell(t, f, "汇总", "hunan-yueyang-yunxi-minzheng", "加总项")
	if got, _ := f.GetCellValue("汇总", ref); got != "支出、基本支出、项目支出" {
		t.Errorf("加总项 = %q", got)
	}
	ref = findCell(t, f, "汇总", "hunan-yueyang-yunxi-minzheng", "支出（万元）")
	if got, _ := f.GetCellValue("汇总", ref, excelize.Options{RawCellValue: true}); got != "4722.25" {
		t.Errorf("云溪区 支出 = %q, want 4308.49+254.65+41+118.11 = 4722.25", got)
	}
}

// findCell returns the reference of the cell in column header of the first
// row of sheet that has a cell equal to key.
func findCell(t *testing.T, f *excelize.File, sheet, key, header string) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == header {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("%s has no column %s", sheet, header)
	}
	for r, cells := range rows[1:] {
		for _, c := range cells {
			if c == key {
				ref, _ := excelize.CoordinatesToCellName(col+1, r+2)
				return ref
			}
		}
	}
	return ""
}

// dumpXLSX renders every sheet as text for a golden file that can be
// reviewed in a diff: frozen panes, column widths, and each non-empty cell
// as "text" or #number{format}, with markers for bold (!) and italic (/).
func dumpXLSX(t *testing.T, b []byte) string {
	t.Helper()
	f := openWorkbook(t, b)
	var out strings.Builder
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&out, "title=%q creator=%q created=%s modified=%s language=%s\n",
		props.Title, props.Creator, props.Created, props.Modified, props.Language)
	styles := map[int]string{}
	styleOf := func(sheet, ref string) string {
		id, err := f.GetCellStyle(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		if s, ok := styles[id]; ok {
			return s
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		var s string
		if st.Font != nil && st.Font.Bold {
			s += "!"
		}
		if st.Font != nil && st.Font.Italic {
			s += "/"
		}
		if st.CustomNumFmt != nil {
			s += "{" + *st.CustomNumFmt + "}"
		}
		styles[id] = s
		return s
	}
	for _, sheet := range f.GetSheetList() {
		fmt.Fprintf(&out, "\n== %s ==\n", sheet)
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		dim, err := f.GetSheetDimension(sheet)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&out, "used=%s freeze=%v ysplit=%d topleft=%s\n", dim, panes.Freeze, panes.YSplit, panes.TopLeftCell)
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		var widths []string
		for i := range rows[0] {
			col, _ := excelize.ColumnNumberToName(i + 1)
			w, err := f.GetColWidth(sheet, col)
			if err != nil {
				t.Fatal(err)
			}
			widths = append(widths, fmt.Sprintf("%s=%g", col, w))
		}
		fmt.Fprintf(&out, "widths %s\n", strings.Join(widths, " "))
		for r, cells := range rows {
			var parts []string
			for c, v := range cells {
				if v == "" {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				typ, err := f.GetCellType(sheet, ref)
				if err != nil {
					t.Fatal(err)
				}
				col, _ := excelize.ColumnNumberToName(c + 1)
				if typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber {
					parts = append(parts, col+"#"+v+styleOf(sheet, ref))
				} else {
					parts = append(parts, col+strconv.Quote(v)+styleOf(sheet, ref))
				}
			}
			fmt.Fprintf(&out, "%d: %s\n", r+1, strings.Join(parts, " "))
		}
	}
	return out.String()
}

func TestEmptySite(t *testing.T) {
	s := &model.Site{}
	c, err := AllCSV(s)
	if err != nil {
		t.Fatal(err)
	}
	if recs := readCSV(t, c); len(recs) != 1 {
		t.Errorf("empty site CSV has %d records, want the header only", len(recs))
	}
	x, err := AllXLSX(s)
	if err != nil {
		t.Fatal(err)
	}
	f := openWorkbook(t, x)
	if len(f.GetSheetList()) != 5 {
		t.Errorf("sheets = %v", f.GetSheetList())
	}
}

// A report outside a site (no department) still renders.
func TestReportWithoutDepartment(t *testing.T) {
	d := model.MustDecimal("12.5")
	r := &model.Report{Year: 2023, Title: "t", Funds: []*model.Fund{{
		Source:      model.FundGeneral,
		Expenditure: &model.Amount{Value: d, Published: "12.5", Unit: model.UnitWan},
	}}}
	j, err := ReportJSON(r)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(j, []byte(`"department"`)) || !bytes.Contains(j, []byte(`"value": 12.5`)) {
		t.Errorf("JSON = %s", j)
	}
	c, err := ReportCSV(r)
	if err != nil {
		t.Fatal(err)
	}
	if recs := readCSV(t, c); len(recs) != 2 || recs[1][columnIndex("数值（万元）")] != "12.5" {
		t.Errorf("CSV = %q", c)
	}
}

func TestPublishedColumns(t *testing.T) {
	tests := []struct {
		published, value string
		erratum          bool
		text, unit       string
	}{
		{"444.37", "444.37", false, "", ""},
		{"253", "253", false, "", ""},
		{"11,605.29", "11605.29", false, "11,605.29", ""},
		{"3176.4889万元", "3176.4889", false, "3176.4889万元", ""},
		{"1.2亿元", "12000", false, "1.2亿元", "亿元"},
		{"55.02元", "55.02", true, "55.02元", "元"},
		{"3229.37 元", "3229.37", true, "3229.37 元", "元"},
	}
	for _, tt := range tests {
		a := &model.Amount{Value: model.MustDecimal(tt.value), Published: tt.published}
		if tt.erratum {
			a.Erratum = &model.Erratum{Published: tt.published, Corrected: tt.value, Reason: "r"}
		}
		if got := publishedText(a); got != tt.text {
			t.Errorf("publishedText(%q) = %q, want %q", tt.published, got, tt.text)
		}
		if got := publishedUnit(a); got != tt.unit {
			t.Errorf("publishedUnit(%q) = %q, want %q", tt.published, got, tt.unit)
		}
	}
}

func TestSplitRegion(t *testing.T) {
	tests := []struct {
		in   []string
		want [3]string
	}{
		{nil, [3]string{}},
		{[]string{"湖北省", "荆门市"}, [3]string{"湖北省", "荆门市", ""}},
		{[]string{"湖南省", "岳阳市", "云溪区"}, [3]string{"湖南省", "岳阳市", "云溪区"}},
		{[]string{"湖南省", "岳阳市", "云溪区", "某镇"}, [3]string{"湖南省", "岳阳市", "云溪区/某镇"}},
	}
	for _, tt := range tests {
		if got := splitRegion(tt.in); got != tt.want {
			t.Errorf("splitRegion(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	for in, want := range map[string]int{"": 0, "abc": 3, "部门ID": 6, "≥90%": 4, "一行\n两行更长": 8, "（万元）": 8} {
		if got := displayWidth(in); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", in, got, want)
		}
	}
}

// BenchmarkAllXLSX builds the workbook of a site of 10,000 reports, the
// size the site build must handle within its time budget. cpu-ns/op is the
// CPU time, garbage collection included, and bytes the file's size.
func BenchmarkAllXLSX(b *testing.B) {
	site := bigSite(b, 10000)
	b.ReportAllocs()
	var size int
	start := cpuTime()
	for b.Loop() {
		x, err := AllXLSX(site)
		if err != nil {
			b.Fatal(err)
		}
		size = len(x)
	}
	if cpu := cpuTime() - start; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
	b.ReportMetric(float64(size), "bytes")
}

// BenchmarkAllXLSXSeeds builds the workbook of the five seed reports.
func BenchmarkAllXLSXSeeds(b *testing.B) {
	site := seedSite(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := AllXLSX(site); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAllCSV(b *testing.B) {
	site := seedSite(b)
	for b.Loop() {
		if _, err := AllCSV(site); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReportJSON(b *testing.B) {
	site := seedSite(b)
	reports := siteReports(site)
	for b.Loop() {
		for _, r := range reports {
			if _, err := ReportJSON(r); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// siteReports lists the site's reports in publishing order.
func siteReports(s *model.Site) []*model.Report {
	var out []*model.Report
	for _, d := range s.Departments {
		out = append(out, d.Reports...)
	}
	return out
}
