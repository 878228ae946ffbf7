package opendata

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"disclose/internal/model"
)

// bigSite replicates the seed reports under distinct departments until the
// site has n reports: the scale the site build must handle.
func bigSite(tb testing.TB, n int) *model.Site {
	tb.Helper()
	seed := seedSite(tb)
	out := &model.Site{Config: seed.Config}
	count := 0
	for i := 0; count < n; i++ {
		for _, d := range seed.Departments {
			nd := *d
			nd.ID = fmt.Sprintf("%s-%05d", d.ID, i)
			nd.Name = fmt.Sprintf("%s%05d", d.Name, i)
			nd.Reports = nil
			for _, r := range d.Reports {
				nr := *r
				nr.Department = &nd
				nd.Reports = append(nd.Reports, &nr)
				count++
			}
			out.Departments = append(out.Departments, &nd)
		}
	}
	return out
}

// Strings that a writer must escape, replace or truncate.
var (
	hostileControl = "控制\x00字\x01符\x08\x0b\x0c\x1f\x7f结束\uFFFE\uFFFF"
	hostileMarkup  = `<tag attr="x">&amp; 'q' "d" & < > ]]> </worksheet>`
	hostileEmoji   = "😀👍🏽🇨🇳 湖南 ≥90%"
	hostileSpace   = "  leading and trailing  "
	hostileLines   = "line1\r\nline2\rline3\nline4\ttab\n"
	hostileBstr    = "_x0041_ _x005F_ _x005F_x0041_ _x0041_x0042_ _xD800_ _xZZZZ_ x0041_"
	hostileUTF8    = "bad \xff\xfe utf-8 \xe6\xb9"
	hostileLong    = strings.Repeat("😀", 20000)
	hostileLongCJK = strings.Repeat("长文本", 12000)
)

// hostileSite is one report whose texts are hostile strings, with numbers
// at every precision. bstr is put where hostileBstr goes: excelize, which
// wrote the reference, decoded literal _xHHHH_ text on reading back instead
// of escaping it, so the reference cannot have that string.
func hostileSite(bstr string) *model.Site {
	amt := func(s string) *model.Amount {
		return &model.Amount{Value: model.MustDecimal(s), Published: s, Unit: model.UnitWan}
	}
	dec := func(s string) *model.Decimal {
		d := model.MustDecimal(s)
		return &d
	}
	num := func(s string) *model.Number { return &model.Number{Value: model.MustDecimal(s)} }
	d := &model.Department{
		ID:         "hostile",
		Name:       hostileMarkup,
		BudgetCode: "007",
		Level:      model.Level("县级"),
		Region:     []string{"湖南省", hostileEmoji, hostileSpace},
	}
	r := &model.Report{
		Department: d,
		Year:       2025,
		Title:      hostileControl,
		Funds: []*model.Fund{{
			Source:      model.FundGeneral,
			Budget:      amt("-1234567.12345678"),
			Expenditure: amt("0.1"),
			Income:      amt("12345678901"),
			Basic:       &model.Node{Name: hostileLines, Amount: amt("0.000"), Code: bstr},
		}},
		Projects: []*model.Project{{
			Name:        bstr,
			Group:       hostileUTF8,
			Budget:      amt("1,234.5"),
			Paid:        amt("-0.00000001"),
			Description: hostileLong,
			Outputs:     []string{hostileLongCJK, hostileLines},
		}},
		Indicators: []*model.Indicator{{
			Name: hostileEmoji,
			Items: []*model.Indicator{{
				Name:      hostileMarkup,
				Weight:    num("10"),
				Score:     num("9.5"),
				Target:    &model.Measure{Text: "≥90%", Op: "≥", Value: dec("90"), Unit: "%"},
				Actual:    &model.Measure{Text: hostileControl, Op: "<", Value: dec("-3.1415"), Unit: hostileSpace},
				Deviation: hostileLines,
			}},
		}},
	}
	d.Reports = []*model.Report{r}
	return &model.Site{
		Config:      model.SiteConfig{Title: hostileMarkup + hostileControl},
		Departments: []*model.Department{d},
	}
}

// dumpXLSXFull renders everything a reader sees of a workbook: document
// properties, defined names, sheets with their panes, used range and column
// widths, and every cell with its type, raw value and full style (font,
// fill, alignment, number format). Styles are listed once and referred to
// by their order of appearance, so that two writers numbering their styles
// differently give the same text.
func dumpXLSXFull(t *testing.T, b []byte) string {
	t.Helper()
	f := openWorkbook(t, b)
	var out strings.Builder
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&out, "title=%q subject=%q creator=%q lastModifiedBy=%q created=%s modified=%s language=%s\n",
		props.Title, props.Subject, props.Creator, props.LastModifiedBy, props.Created, props.Modified, props.Language)
	fmt.Fprintf(&out, "sheets=%q active=%d\n", f.GetSheetList(), f.GetActiveSheetIndex())
	for _, dn := range f.GetDefinedName() {
		fmt.Fprintf(&out, "defined %s scope=%s refers=%s\n", dn.Name, dn.Scope, strings.ReplaceAll(dn.RefersTo, "$", ""))
	}
	var legend []string
	sigs := map[int]int{}
	styleOf := func(sheet, ref string) int {
		id, err := f.GetCellStyle(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		if n, ok := sigs[id]; ok {
			return n
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		if st.Font != nil {
			s = append(s, fmt.Sprintf("bold=%v italic=%v underline=%q", st.Font.Bold, st.Font.Italic, st.Font.Underline))
		}
		if st.Fill.Type != "" {
			color := st.Fill.Color
			// excelize reports fill colours only for workbooks with a
			// theme part, which ours does not need: read the colour from
			// the style sheet.
			if xf := f.Styles.CellXfs.Xf[id]; strings.Join(color, "") == "" && xf.FillID != nil {
				if pf := f.Styles.Fills.Fill[*xf.FillID].PatternFill; pf != nil && pf.FgColor != nil && pf.FgColor.RGB != "" {
					color = []string{strings.TrimPrefix(pf.FgColor.RGB, "FF")}
				}
			}
			s = append(s, fmt.Sprintf("fill=%s/%d/%v", st.Fill.Type, st.Fill.Pattern, color))
		}
		if a := st.Alignment; a != nil {
			s = append(s, fmt.Sprintf("align=%q/%q wrap=%v", a.Horizontal, a.Vertical, a.WrapText))
		}
		if st.CustomNumFmt != nil {
			s = append(s, "format="+strconv.Quote(*st.CustomNumFmt))
		} else {
			s = append(s, fmt.Sprintf("numfmt=%d", st.NumFmt))
		}
		sig := strings.Join(s, " ")
		n := slices.Index(legend, sig)
		if n < 0 {
			legend = append(legend, sig)
			n = len(legend) - 1
		}
		sigs[id] = n
		return n
	}
	var body strings.Builder
	for _, sheet := range f.GetSheetList() {
		fmt.Fprintf(&body, "\n== %s ==\n", sheet)
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		dim, err := f.GetSheetDimension(sheet)
		if err != nil {
			t.Fatal(err)
		}
		visible, err := f.GetSheetVisible(sheet)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&body, "visible=%v used=%s freeze=%v split=%d,%d topleft=%s active=%s",
			visible, dim, panes.Freeze, panes.XSplit, panes.YSplit, panes.TopLeftCell, panes.ActivePane)
		for _, s := range panes.Selection {
			fmt.Fprintf(&body, " selection=%s/%s/%s", s.SQRef, s.ActiveCell, s.Pane)
		}
		fmt.Fprintf(&body, " autofilter=%s\n", autoFilterRef(t, b, f, sheet))
		cols, err := f.GetCols(sheet)
		if err != nil {
			t.Fatal(err)
		}
		var widths []string
		for i := range max(len(cols), 1) + 1 {
			col, _ := excelize.ColumnNumberToName(i + 1)
			w, err := f.GetColWidth(sheet, col)
			if err != nil {
				t.Fatal(err)
			}
			widths = append(widths, fmt.Sprintf("%s=%g", col, w))
		}
		fmt.Fprintf(&body, "widths %s\n", strings.Join(widths, " "))
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, cells := range rows {
			var parts []string
			for c, v := range cells {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if v == "" {
					continue
				}
				typ, err := f.GetCellType(sheet, ref)
				if err != nil {
					t.Fatal(err)
				}
				col, _ := excelize.ColumnNumberToName(c + 1)
				if typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber {
					parts = append(parts, fmt.Sprintf("%s#%s~%d", col, v, styleOf(sheet, ref)))
				} else {
					parts = append(parts, fmt.Sprintf("%s%s~%d", col, quoteLong(v), styleOf(sheet, ref)))
				}
			}
			fmt.Fprintf(&body, "%d: %s\n", r+1, strings.Join(parts, " "))
		}
	}
	out.WriteString("\n")
	for i, s := range legend {
		fmt.Fprintf(&out, "style ~%d: %s\n", i, s)
	}
	out.WriteString(body.String())
	return out.String()
}

// quoteLong quotes s, shortening long texts to their length, their UTF-16
// length and their ends so that golden files stay readable.
func quoteLong(s string) string {
	if len(s) <= 300 {
		return strconv.Quote(s)
	}
	units := 0
	for _, r := range s {
		units++
		if r > 0xFFFF {
			units++
		}
	}
	return fmt.Sprintf("%s…(%d bytes, %d UTF-16 units)…%s", strconv.Quote(s[:60]), len(s), units, strconv.Quote(s[len(s)-60:]))
}

// autoFilterRef is the range of the sheet's autoFilter element, read from
// the sheet's XML since excelize has no getter for it.
func autoFilterRef(t *testing.T, b []byte, f *excelize.File, sheet string) string {
	t.Helper()
	path := sheetPart(t, b, f, sheet)
	_, parts := zipEntries(t, b)
	data, ok := parts[path]
	if !ok {
		t.Fatalf("no part %s", path)
	}
	i := bytes.Index(data, []byte("<autoFilter ref=\""))
	if i < 0 {
		return "none"
	}
	rest := data[i+len("<autoFilter ref=\""):]
	return strings.ReplaceAll(string(rest[:bytes.IndexByte(rest, '"')]), "$", "")
}

// sheetPart finds the ZIP entry of a sheet through the workbook's
// relationships.
func sheetPart(t *testing.T, b []byte, f *excelize.File, sheet string) string {
	t.Helper()
	idx, err := f.GetSheetIndex(sheet)
	if err != nil || idx < 0 {
		t.Fatalf("no sheet %s", sheet)
	}
	m := f.GetSheetMap()
	for i, name := range m {
		if name == sheet {
			return filepath.ToSlash(fmt.Sprintf("xl/worksheets/sheet%d.xml", i))
		}
	}
	t.Fatalf("no sheet %s in %v", sheet, m)
	return ""
}

// The workbook shows every sheet, cell, value, number format and style the
// excelize-based writer it replaced showed: the golden files were written
// by that writer, so -update should rewrite them only for a change of
// content that is meant.
func TestXLSXMatchesReference(t *testing.T) {
	for _, tt := range []struct {
		name string
		site *model.Site
	}{
		{"seeds", seedSite(t)},
		{"hostile", hostileSite("_x plain _x00_")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := AllXLSX(tt.site)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "xlsx-reference-"+tt.name+".txt", []byte(dumpXLSXFull(t, b)))
		})
	}
}

// Hostile strings survive the trip through the workbook: markup, quotes,
// emoji, spaces at the ends, line breaks and literal _xHHHH_ come back as
// they were; characters XML cannot carry come back as U+FFFD; texts longer
// than Excel allows are cut at a character boundary.
func TestXLSXHostileStrings(t *testing.T) {
	b, err := AllXLSX(hostileSite(hostileBstr))
	if err != nil {
		t.Fatal(err)
	}
	checkParts(t, b)
	f := openWorkbook(t, b)
	sanitized := "控制\uFFFD字\uFFFD符\uFFFD\uFFFD\uFFFD\uFFFD\x7f结束\uFFFD\uFFFD"
	for _, tt := range []struct {
		sheet, ref, want string
	}{
		{"汇总", "B2", hostileMarkup},
		{"汇总", "E2", hostileEmoji},
		{"汇总", "F2", hostileSpace},
		{"汇总", "J2", sanitized},
		{"明细", "N5", hostileLines},
		{"明细", "R5", hostileBstr},
		{"明细", "T6", "bad \uFFFD\uFFFD utf-8 \uFFFD\uFFFD"},
		{"项目", "F2", hostileBstr},
		{"项目", "K2", string([]rune(hostileLongCJK)[:32767])},
		{"项目", "L2", strings.Repeat("😀", 16383)},
		{"绩效指标", "T3", hostileLines},
	} {
		got, err := f.GetCellValue(tt.sheet, tt.ref)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s!%s = %s, want %s", tt.sheet, tt.ref, quoteLong(got), quoteLong(tt.want))
		}
	}
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if want := hostileMarkup + sanitized + " 开放数据"; props.Title != want {
		t.Errorf("title = %q, want %q", props.Title, want)
	}
}

// checkParts reads every entry of the archive, which checks its CRC, and
// parses every XML part.
func checkParts(t *testing.T, b []byte) {
	t.Helper()
	files, parts := zipEntries(t, b)
	for _, zf := range files {
		data := parts[zf.Name]
		if uint64(len(data)) != zf.UncompressedSize64 {
			t.Errorf("%s: %d bytes, header says %d", zf.Name, len(data), zf.UncompressedSize64)
		}
		if !utf8.Valid(data) {
			t.Errorf("%s is not UTF-8", zf.Name)
		}
		d := xml.NewDecoder(bytes.NewReader(data))
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", zf.Name, err)
			}
		}
	}
}

func TestXLSXPartsWellFormed(t *testing.T) {
	for _, site := range []*model.Site{seedSite(t), hostileSite(hostileBstr), {}} {
		b, err := AllXLSX(site)
		if err != nil {
			t.Fatal(err)
		}
		checkParts(t, b)
	}
}

// The 明细 sheet's cells are the long table's fields, as in the CSV.
func TestDetailCellsMatchFields(t *testing.T) {
	var reports []*model.Report
	reports = append(reports, siteReports(seedSite(t))...)
	reports = append(reports, siteReports(hostileSite(hostileBstr))...)
	reports = append(reports, &model.Report{Year: 2020, Funds: []*model.Fund{{
		Source: model.FundGeneral,
		Income: &model.Amount{Value: model.MustDecimal("1.50"), Published: "1.50"},
	}}})
	var x detailCells
	n := 0
	for _, r := range reports {
		eachRow(r, func(w row) {
			n++
			fields := w.fields()
			cells := x.fill(w)
			if len(cells) != len(fields) || len(cells) != len(longColumns) {
				t.Fatalf("%d cells, %d fields, %d columns", len(cells), len(fields), len(longColumns))
			}
			for i, c := range cells {
				var got string
				switch c.kind {
				case cellText:
					got = c.text
				case cellInt:
					got = strconv.FormatInt(c.n, 10)
				case cellDecimal:
					got = c.dec.String()
				}
				if got != fields[i] {
					t.Errorf("row %d %s = %q, field %q", n, longColumns[i].Name, got, fields[i])
				}
			}
		})
	}
	if n < 100 {
		t.Fatalf("only %d rows", n)
	}
}

func TestErrataCount(t *testing.T) {
	for _, r := range siteReports(seedSite(t)) {
		if got, want := errataCount(r), len(r.AllErrata()); got != want {
			t.Errorf("%s: errataCount = %d, want %d", reportName(r), got, want)
		}
	}
}

func TestAppendDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	values := []model.Decimal{
		{}, {Units: 1}, {Units: -1}, {Units: -1, Places: 8}, {Units: 5, Places: 7},
		{Units: -5, Places: 7}, {Units: 49999999, Places: 0}, {Units: 50000000, Places: 0},
		{Units: -50000000, Places: 0}, {Units: math.MaxInt64, Places: 3}, {Units: math.MinInt64, Places: 2},
		{Units: math.MinInt64 + 1, Places: 8}, {Units: 123, Places: -1}, {Units: 123, Places: 12},
	}
	for range 20000 {
		u := rng.Int64() >> rng.IntN(64)
		if rng.IntN(2) == 0 {
			u = -u
		}
		values = append(values, model.Decimal{Units: u, Places: rng.IntN(model.Scale + 1)})
	}
	for _, s := range []string{"0", "1700", "3176.4889", "-0.00000001", "11605.29", "0.10", "-12"} {
		values = append(values, model.MustDecimal(s))
	}
	for _, d := range values {
		if got, want := string(appendDecimal(nil, d)), d.String(); got != want {
			t.Errorf("appendDecimal(%+v) = %q, want %q", d, got, want)
		}
	}
}

func TestCRC32Combine(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 7, 64, 1000, 70000} {
		for _, m := range []int{0, 1, 3, 100, 65536, 200001} {
			a, b := make([]byte, n), make([]byte, m)
			for i := range a {
				a[i] = byte(rng.Uint32())
			}
			for i := range b {
				b[i] = byte(rng.Uint32())
			}
			want := crc32.ChecksumIEEE(append(append([]byte(nil), a...), b...))
			if got := crc32Combine(crc32.ChecksumIEEE(a), crc32.ChecksumIEEE(b), int64(m)); got != want {
				t.Errorf("n=%d m=%d: %08x, want %08x", n, m, got, want)
			}
		}
	}
}

func TestAppendEscaped(t *testing.T) {
	for _, tt := range []struct{ in, want, wantBstr string }{
		{"", "", ""},
		{"plain 文本", "plain 文本", "plain 文本"},
		{"a<b>&c\"d'e", "a&lt;b&gt;&amp;c\"d'e", "a&lt;b&gt;&amp;c\"d'e"},
		{"x\r\ny\tz", "x&#xD;\ny\tz", "x&#xD;\ny\tz"},
		{"\x00\x1f\x7f", "\uFFFD\uFFFD\x7f", "\uFFFD\uFFFD\x7f"},
		{"\uFFFE\uFFFF\uFFFD", "\uFFFD\uFFFD\uFFFD", "\uFFFD\uFFFD\uFFFD"},
		{"\xff\xc3", "\uFFFD\uFFFD", "\uFFFD\uFFFD"},
		{"_x0041_", "_x0041_", "_x005F_x0041_"},
		{"_x0041_x0042_", "_x0041_x0042_", "_x005F_x0041_x005F_x0042_"},
		{"_x005f_ _xabcd_ _x12G4_ _x123_", "_x005f_ _xabcd_ _x12G4_ _x123_", "_x005F_x005f_ _x005F_xabcd_ _x12G4_ _x123_"},
		{"__x0041_", "__x0041_", "__x005F_x0041_"},
	} {
		if got := string(appendEscaped(nil, tt.in, false)); got != tt.want {
			t.Errorf("appendEscaped(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := string(appendEscaped(nil, tt.in, true)); got != tt.wantBstr {
			t.Errorf("appendEscaped(%q, bstr) = %q, want %q", tt.in, got, tt.wantBstr)
		}
	}
}

func TestTruncateUTF16(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 2, "ab"},
		{"abc", 3, "abc"},
		{"长文本", 2, "长文"},
		{"a😀b", 2, "a"},
		{"a😀b", 3, "a😀"},
		{"😀😀", 3, "😀"},
	} {
		if got := truncateUTF16(tt.in, tt.n); got != tt.want {
			t.Errorf("truncateUTF16(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestColumnName(t *testing.T) {
	for n, want := range map[int]string{1: "A", 23: "W", 26: "Z", 27: "AA", 52: "AZ", 53: "BA", 702: "ZZ", 703: "AAA", 16384: "XFD"} {
		if got := columnName(n); got != want {
			t.Errorf("columnName(%d) = %q, want %q", n, got, want)
		}
	}
}

// LibreOffice, where installed, opens the workbook and shows every cell
// as excelize reads it: the same text, and numbers in the same format.
func TestXLSXLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) is not installed")
	}
	// A LibreOffice with Writer alone (libreoffice-writer-nogui, which a
	// document converter pulls in) has no Calc to open a workbook with.
	if real, err := filepath.EvalSymlinks(soffice); err == nil {
		if calc, _ := filepath.Glob(filepath.Join(filepath.Dir(real), "libsclo.so")); len(calc) == 0 {
			t.Skip("LibreOffice Calc is not installed")
		}
	}
	if testing.Short() {
		t.Skip("slow")
	}
	for _, tt := range []struct {
		name string
		site *model.Site
	}{
		{"seeds", seedSite(t)},
		{"hostile", hostileSite(hostileBstr)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := AllXLSX(tt.site)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			in := filepath.Join(dir, "all.xlsx")
			if err := os.WriteFile(in, b, 0o644); err != nil {
				t.Fatal(err)
			}
			// A net for a LibreOffice that hangs, not a speed test: it
			// starts in seconds on an idle machine, far slower on a busy one.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			// CSV, UTF-8, cells as shown, every sheet to its own file.
			cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore",
				"-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
				"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
				"--outdir", dir, in)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("soffice: %v\n%s", err, out)
			}
			f := openWorkbook(t, b)
			for _, sheet := range f.GetSheetList() {
				data, err := os.ReadFile(filepath.Join(dir, "all-"+sheet+".csv"))
				if err != nil {
					t.Fatal(err)
				}
				r := csv.NewReader(bytes.NewReader(data))
				r.FieldsPerRecord = -1
				got, err := r.ReadAll()
				if err != nil {
					t.Fatalf("%s: %v", sheet, err)
				}
				want, err := f.GetRows(sheet)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) {
					t.Errorf("%s: LibreOffice shows %d rows, excelize %d", sheet, len(got), len(want))
				}
				for i := range min(len(got), len(want)) {
					g, w := trimEmpty(got[i]), trimEmpty(want[i])
					for j := range max(len(g), len(w)) {
						var gc, wc string
						if j < len(g) {
							gc = g[j]
						}
						if j < len(w) {
							// LibreOffice keeps line breaks as line feeds.
							wc = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(w[j])
						}
						if gc != wc {
							col, _ := excelize.ColumnNumberToName(j + 1)
							t.Errorf("%s!%s%d: LibreOffice shows %s, excelize %s", sheet, col, i+1, quoteLong(gc), quoteLong(wc))
						}
					}
				}
			}
		})
	}
}

func trimEmpty(rec []string) []string {
	for len(rec) > 0 && rec[len(rec)-1] == "" {
		rec = rec[:len(rec)-1]
	}
	return rec
}

// A sheet may have as many rows as Excel opens, and no more.
func TestXLSXRowLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("writes two million rows")
	}
	for _, rows := range []int{excelMaxRows, excelMaxRows + 1} {
		wb := newWorkbook(io.Discard, time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC))
		wb.start(docProps{})
		sw := wb.sheet("s", 1, false)
		sw.header([]Column{{Name: "a"}})
		for range rows - 1 {
			sw.row(nil)
		}
		sw.end(false)
		err := wb.finish()
		if (err != nil) != (rows > excelMaxRows) {
			t.Errorf("%d rows: error %v", rows, err)
		}
	}
}

// Sheets are compressed in parallel segments; the bytes do not depend on
// how many processors share the work.
func TestXLSXDeterministicParallel(t *testing.T) {
	site := bigSite(t, 300) // several segments per large sheet
	build := func(procs int) []byte {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		b, err := AllXLSX(site)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	one := build(1)
	checkParts(t, one)
	zr, err := zip.NewReader(bytes.NewReader(one), int64(len(one)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name == "xl/worksheets/sheet2.xml" && zf.UncompressedSize64 < 3*segmentSize {
			t.Fatalf("明细 has %d bytes of XML, too few to need several segments", zf.UncompressedSize64)
		}
	}
	for _, procs := range []int{2, 4, 8} {
		if !bytes.Equal(build(procs), one) {
			t.Errorf("GOMAXPROCS=%d gives other bytes than GOMAXPROCS=1", procs)
		}
	}
}

// openWorkbook opens an XLSX with excelize, the independent reader the
// tests hold our writer to; it is closed when the test ends.
func openWorkbook(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// zipEntries reads every entry of an archive (which checks its CRC), by
// name, in archive order.
func zipEntries(t *testing.T, b []byte) ([]*zip.File, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	data := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		d, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", zf.Name, err)
		}
		data[zf.Name] = d
	}
	return zr.File, data
}

// Every workbook's 明细 sheet, read back, holds the figures of the CSV as
// published: each number is exactly the CSV's decimal and is shown with
// its digits (thousands separators aside), each text is the CSV's text
// (before the CSV's guard against formulas). The sites are the seeds, one
// department with every kind of document, and 40 generated reports.
func TestXLSXDetailMatchesCSV(t *testing.T) {
	sites := []struct {
		name string
		site func(t *testing.T) *model.Site
		rows int // a sheet's most rows, when not Excel's
	}{
		{"seeds", func(t *testing.T) *model.Site { return seedSite(t) }, 0},
		{"kinds", func(t *testing.T) *model.Site {
			return &model.Site{Departments: []*model.Department{kindsDepartment(t)}}
		}, 0},
		{"generated", func(t *testing.T) *model.Site { return genSite(t, 40) }, 0},
		// As 30,000 reports outgrow Excel's rows: 明细 goes on in sheets
		// of its own, which together hold the CSV's rows.
		{"continued", func(t *testing.T) *model.Site { return genSite(t, 40) }, 300},
	}
	for _, tt := range sites {
		t.Run(tt.name, func(t *testing.T) {
			if tt.rows > 0 {
				defer func(n int) { sheetRows = n }(sheetRows)
				sheetRows = tt.rows
			}
			site := tt.site(t)
			c, err := AllCSV(site)
			if err != nil {
				t.Fatal(err)
			}
			want := readCSV(t, c)
			b, err := AllXLSX(site)
			if err != nil {
				t.Fatal(err)
			}
			f := openWorkbook(t, b)
			shown, raw := detailRows(t, f, tt.rows)
			if len(shown) != len(want) || len(raw) != len(want) {
				t.Fatalf("明细 has %d rows, the CSV %d", len(shown), len(want))
			}
			numbers := 0
			for i, rec := range want {
				for j, field := range rec {
					var s, r string
					if j < len(shown[i]) {
						s, r = shown[i][j], raw[i][j]
					}
					col, _ := excelize.ColumnNumberToName(j + 1)
					if i == 0 || !csvNumeric[j] {
						if csvText(s) != field {
							t.Errorf("明细!%s%d = %q, CSV %q", col, i+1, s, field)
						}
						continue
					}
					if field == "" {
						if r != "" {
							t.Errorf("明细!%s%d = %q, CSV empty", col, i+1, r)
						}
						continue
					}
					numbers++
					wd, err := model.ParseDecimal(field)
					if err != nil {
						t.Fatalf("CSV %s%d: %v", col, i+1, err)
					}
					gd, err := model.ParseDecimal(r)
					if err != nil || gd.Units != wd.Units {
						t.Errorf("明细!%s%d holds %q, CSV %q", col, i+1, r, field)
					}
					if strings.ReplaceAll(s, ",", "") != field {
						t.Errorf("明细!%s%d is shown as %q, CSV %q", col, i+1, s, field)
					}
				}
			}
			if numbers < len(want) {
				t.Errorf("only %d numbers in %d rows", numbers, len(want))
			}
		})
	}
}

// detailRows reads 明细 and the sheets it goes on in, without their
// repeated headers, as shown and as stored. With rows, every sheet but the
// last must be full.
func detailRows(t *testing.T, f *excelize.File, rows int) (shown, raw [][]string) {
	t.Helper()
	sheets := []string{sheetDetail}
	for _, name := range f.GetSheetList() {
		if strings.HasPrefix(name, sheetDetail+"（续") {
			sheets = append(sheets, name)
		}
	}
	if rows > 0 && len(sheets) < 3 {
		t.Fatalf("明细 went on in %d sheets; the test wants several", len(sheets)-1)
	}
	for i, name := range sheets {
		if i > 0 && name != continuationName(sheetDetail, i+1) {
			t.Fatalf("sheet %q, want %q", name, continuationName(sheetDetail, i+1))
		}
		s, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if rows > 0 && i < len(sheets)-1 && len(s) != rows {
			t.Errorf("%s has %d rows, want the most a sheet holds, %d", name, len(s), rows)
		}
		if i > 0 {
			if !slices.Equal(s[0], shown[0]) {
				t.Errorf("%s's header %q, want 明细's", name, s[0])
			}
			s, r = s[1:], r[1:]
		}
		shown, raw = append(shown, s...), append(raw, r...)
	}
	return shown, raw
}
