package sourcedoc

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// selfEvalXlsx builds a workbook shaped like a 项目支出绩效自评表: a
// merged title, labels merged over two rows, formatted amounts, formulas
// with and without cached values, a hidden sheet and Chinese sheet names.
func selfEvalXlsx(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const s = "绩效自评表"
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", s))
	money, err := f.NewStyle(&excelize.Style{CustomNumFmt: xlsxPtr("#,##0.00")})
	must(err)
	percent, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	must(err)
	hidden, err := f.NewStyle(&excelize.Style{CustomNumFmt: xlsxPtr(";;;")})
	must(err)
	cells := []struct {
		ref   string
		value any
		style int
	}{
		{"A1", "  项目支出绩效自评表 ", 0},
		{"A2", "项目名称", 0}, {"B2", "社区养老服务补助（第一批）", 0},
		{"E2", "主管部门", 0}, {"F2", "岳阳市云溪区民政局", 0},
		{"A4", "项目资金（万元）", 0}, {"B4", "年初预算数", 0}, {"C4", "全年预算数", 0},
		{"D4", "全年执行数", 0}, {"E4", "执行率", 0},
		{"B5", 1234.5, money}, {"C5", 2000, money}, {"D5", 1693.99, money},
		{"E5", 0.8469, percent}, {"F5", 234.5, hidden},
		{"A6", "绩效指标", 0}, {"B6", "一级指标", 0}, {"C6", "二级指标", 0}, {"D6", "三级指标", 0},
		{"B7", "产出指标", 0}, {"C7", "数量指标", 0}, {"D7", "服务对象人数", 0},
		{"A8", "\u3000说明：本表金额单位为万元。 ", 0},
	}
	for _, c := range cells {
		must(f.SetCellValue(s, c.ref, c.value))
		if c.style != 0 {
			must(f.SetCellStyle(s, c.ref, c.ref, c.style))
		}
	}
	must(f.SetCellFormula(s, "G5", "B5*2")) // never calculated: no cached value
	for _, m := range [][2]string{{"A1", "J1"}, {"B2", "D2"}, {"F2", "J2"}, {"A4", "A5"}, {"A6", "A7"}} {
		must(f.MergeCell(s, m[0], m[1]))
	}
	_, err = f.NewSheet("隐藏")
	must(err)
	must(f.SetCellValue("隐藏", "A1", "不应读出"))
	must(f.SetSheetVisible("隐藏", false))
	_, err = f.NewSheet("说明")
	must(err)
	must(f.SetCellValue("说明", "B2", "填表说明"))
	var buf bytes.Buffer
	must(f.Write(&buf))
	// excelize writes every formula as a string result; Excel writes a
	// numeric result as a number, which is what these cells must be.
	return rezipXlsx(t, buf.Bytes(), func(name string, b []byte) []byte {
		if name != "xl/worksheets/sheet1.xml" {
			return b
		}
		b = addXlsxFormula(t, b, "D5", "B5+459.49")
		return addXlsxFormula(t, b, "F5", "B5-1000")
	})
}

func xlsxPtr[T any](v T) *T { return &v }

func addXlsxFormula(t testing.TB, sheet []byte, ref, formula string) []byte {
	t.Helper()
	re := regexp.MustCompile(`(<c r="` + ref + `"[^>/]*>)`)
	if !re.Match(sheet) {
		t.Fatalf("no cell %s in %s", ref, sheet)
	}
	return re.ReplaceAll(sheet, []byte("${1}<f>"+formula+"</f>"))
}

// rezipXlsx copies a zip, passing each entry through edit.
func rezipXlsx(t testing.TB, data []byte, edit func(string, []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	put := func(name string, b []byte) {
		w, err := zw.Create(name)
		if err == nil {
			_, err = w.Write(b)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			b = edit(zf.Name, b)
		}
		put(zf.Name, b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestReadXlsxSelfEvaluation(t *testing.T) {
	doc, err := Read("dir/自评表.xlsx", selfEvalXlsx(t))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Name != "自评表.xlsx" || doc.Format != "xlsx" {
		t.Errorf("doc = %q %q", doc.Name, doc.Format)
	}
	var names []string
	for _, b := range doc.Blocks {
		if b.Table == nil {
			t.Fatalf("block is not a table: %+v", b)
		}
		names = append(names, b.Table.Name)
	}
	if got := strings.Join(names, ","); got != "绩效自评表,说明" {
		t.Fatalf("sheets = %s, want the hidden one skipped", got)
	}
	tab := doc.Blocks[0].Table
	if got := tab.Loc.String(); got != "表“绩效自评表”" {
		t.Errorf("table loc = %s", got)
	}
	var widths []int
	for _, row := range tab.Rows {
		widths = append(widths, len(row))
	}
	if got := fmt.Sprint(widths); got != "[10 10 0 5 6 4 4 1]" {
		t.Errorf("row widths = %s", got)
	}

	for _, tc := range []struct {
		ref    string
		text   string
		merged bool
	}{
		{"A1", "项目支出绩效自评表", false},
		{"B1", "项目支出绩效自评表", true},
		{"J1", "项目支出绩效自评表", true},
		{"B2", "社区养老服务补助（第一批）", false},
		{"D2", "社区养老服务补助（第一批）", true},
		{"E2", "主管部门", false},
		{"J2", "岳阳市云溪区民政局", true},
		{"A4", "项目资金（万元）", false},
		{"A5", "项目资金（万元）", true},
		{"B5", "1,234.50", false},
		{"C5", "2,000.00", false},
		{"D5", "1,693.99", false}, // formula, cached value as formatted
		{"E5", "84.69%", false},
		{"F5", "234.5", false}, // formula whose format hides its cached value
		{"A7", "绩效指标", true},
		{"D7", "服务对象人数", false},
		{"A8", "说明：本表金额单位为万元。", false},
	} {
		t.Run(tc.ref, func(t *testing.T) {
			col, row, err := excelize.CellNameToCoordinates(tc.ref)
			if err != nil {
				t.Fatal(err)
			}
			if row > len(tab.Rows) || col > len(tab.Rows[row-1]) {
				t.Fatalf("no cell %s", tc.ref)
			}
			c := tab.Rows[row-1][col-1]
			if c.Text != tc.text || c.Merged != tc.merged {
				t.Errorf("%s = %q merged=%v, want %q merged=%v", tc.ref, c.Text, c.Merged, tc.text, tc.merged)
			}
			if got, want := c.Loc.String(), "表“绩效自评表”!"+tc.ref; got != want {
				t.Errorf("loc = %s, want %s", got, want)
			}
			if c.Loc.File != "自评表.xlsx" {
				t.Errorf("loc file = %q", c.Loc.File)
			}
		})
	}
	// G5's formula was never calculated and is not evaluated: row 5 ends
	// at F5.
	if got := len(tab.Rows[4]); got != 6 {
		t.Errorf("row 5 has %d cells, want 6", got)
	}

	var lines []string
	for _, l := range doc.Lines() {
		lines = append(lines, fmt.Sprintf("%d %s", l.Loc.Row, l.Text))
	}
	want := []string{
		"1 项目支出绩效自评表",
		"2 项目名称\t社区养老服务补助（第一批）\t主管部门\t岳阳市云溪区民政局",
		"4 项目资金（万元）\t年初预算数\t全年预算数\t全年执行数\t执行率",
		"5 1,234.50\t2,000.00\t1,693.99\t84.69%\t234.5",
		"6 绩效指标\t一级指标\t二级指标\t三级指标",
		"7 产出指标\t数量指标\t服务对象人数",
		"8 说明：本表金额单位为万元。",
		"2 \t填表说明",
	}
	if got := strings.Join(lines, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if got := doc.Lines()[len(want)-1].Cells[1].Loc.String(); got != "表“说明”!B2" {
		t.Errorf("last cell loc = %s", got)
	}
}

// sheetXlsx builds a workbook and lets edit rewrite every sheet's XML,
// for inputs excelize itself would not write (or would write slowly).
func sheetXlsx(t testing.TB, set func(f *excelize.File), edit func([]byte) []byte) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if set != nil {
		set(f)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return rezipXlsx(t, buf.Bytes(), func(name string, b []byte) []byte {
		if strings.HasPrefix(name, "xl/worksheets/sheet") && edit != nil {
			return edit(b)
		}
		return b
	})
}

func addXlsxRows(rows string) func([]byte) []byte {
	return func(b []byte) []byte {
		b = bytes.Replace(b, []byte("<sheetData/>"), []byte("<sheetData></sheetData>"), 1)
		return bytes.Replace(b, []byte("</sheetData>"), []byte(rows+"</sheetData>"), 1)
	}
}

func TestReadXlsxShapes(t *testing.T) {
	setA1 := func(f *excelize.File) { _ = f.SetCellValue("Sheet1", "A1", "x") }
	withMerges := func(refs ...string) func([]byte) []byte {
		return func(b []byte) []byte {
			var m strings.Builder
			m.WriteString("</sheetData><mergeCells>")
			for _, r := range refs {
				fmt.Fprintf(&m, `<mergeCell ref="%s"/>`, r)
			}
			m.WriteString("</mergeCells>")
			return bytes.Replace(b, []byte("</sheetData>"), []byte(m.String()), 1)
		}
	}
	for _, tc := range []struct {
		name  string
		set   func(*excelize.File)
		edit  func([]byte) []byte
		shape string // row widths
		last  string // loc of the last cell
	}{
		{name: "empty sheet", shape: "[]"},
		{
			name:  "far corner",
			edit:  addXlsxRows(`<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>末</t></is></c></row>`),
			shape: "1048576 rows",
			last:  "表“Sheet1”!XFD1048576",
		},
		{
			name:  "empty merge does not widen",
			set:   setA1,
			edit:  withMerges("C3:H9"),
			shape: "[1]",
			last:  "表“Sheet1”!A1",
		},
		{
			name:  "merge beyond the values widens",
			set:   setA1,
			edit:  withMerges("A1:B2"),
			shape: "[2 2]",
			last:  "表“Sheet1”!B2",
		},
		{
			name:  "reversed and single-cell refs",
			set:   setA1,
			edit:  withMerges("C1:A1", "A1", "A1:A1", "bogus", "A0:B1"),
			shape: "[3]",
			last:  "表“Sheet1”!C1",
		},
		{
			name: "trailing styled empties trimmed",
			set:  setA1,
			edit: func(b []byte) []byte {
				return bytes.Replace(b, []byte("</row>"), []byte(`<c r="Z1" t="str"><f>""</f><v> </v></c></row><row r="9"><c r="C9" t="s"/></row>`), 1)
			},
			shape: "[1]",
			last:  "表“Sheet1”!A1",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := ReadXlsx("a.xlsx", sheetXlsx(t, tc.set, tc.edit))
			if err != nil {
				t.Fatal(err)
			}
			rows := doc.Blocks[0].Table.Rows
			var shape string
			if len(rows) > 100 {
				shape = fmt.Sprintf("%d rows", len(rows))
			} else {
				var w []int
				for _, r := range rows {
					w = append(w, len(r))
				}
				shape = fmt.Sprint(w)
				if w == nil {
					shape = "[]"
				}
			}
			if shape != tc.shape {
				t.Errorf("shape = %s, want %s", shape, tc.shape)
			}
			if len(rows) > 0 {
				r := rows[len(rows)-1]
				if got := r[len(r)-1].Loc.String(); got != tc.last {
					t.Errorf("last loc = %s, want %s", got, tc.last)
				}
			}
		})
	}
}

func TestReadXlsxHostile(t *testing.T) {
	valid := selfEvalXlsx(t)
	docx := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for name, body := range map[string]string{
			"[Content_Types].xml": `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
			"_rels/.rels":         `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
			"word/document.xml":   `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>`,
		} {
			w, _ := zw.Create(name)
			_, _ = io.WriteString(w, body)
		}
		_ = zw.Close()
		return buf.Bytes()
	}
	plainZip := func(entries int) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for i := range entries {
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("f%d.txt", i), Method: zip.Store})
			_, _ = io.WriteString(w, "x")
		}
		_ = zw.Close()
		return buf.Bytes()
	}
	// The bomb's entry only declares its size: archive/zip fails an entry
	// that unpacks to more than it declared, so the declaration is what
	// must be refused.
	bomb := func() []byte {
		zr, _ := zip.NewReader(bytes.NewReader(valid), int64(len(valid)))
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, zf := range zr.File {
			_ = zw.Copy(zf)
		}
		w, _ := zw.CreateRaw(&zip.FileHeader{Name: "xl/media/bomb.bin", Method: zip.Deflate,
			CompressedSize64: 2, UncompressedSize64: MaxTextSize})
		_, _ = w.Write([]byte{0x03, 0x00})
		_ = zw.Close()
		return buf.Bytes()
	}()
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	encrypted := append(bytes.Clone(ole), []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")...)
	bigMerge := sheetXlsx(t, func(f *excelize.File) { _ = f.SetCellValue("Sheet1", "A1", "标题") },
		func(b []byte) []byte {
			return bytes.Replace(b, []byte("</sheetData>"), []byte(`</sheetData><mergeCells><mergeCell ref="A1:XFD200"/></mergeCells>`), 1)
		})
	twoFarSheets := sheetXlsx(t, func(f *excelize.File) { _, _ = f.NewSheet("Sheet2") },
		addXlsxRows(`<row r="1048576"><c r="A1048576"><v>1</v></c></row>`))
	for _, tc := range []struct {
		name string
		data []byte
		want string
		is   error
	}{
		{"empty", nil, "不是有效的 Excel 工作簿（.xlsx）", nil},
		{"not a zip", []byte("项目名称\t金额\n"), "不是有效的 Excel 工作簿（.xlsx）", zip.ErrFormat},
		{"truncated", valid[:len(valid)/2], "不是有效的 Excel 工作簿（.xlsx）", nil},
		{"docx renamed", docx(), "Word 文档", nil},
		{"zip without workbook", plainZip(3), "找不到任何工作表", nil},
		{"too many entries", plainZip(MaxZipEntries + 1), "条目太多", nil},
		{"zip bomb", bomb, "解压后太大", nil},
		{"encrypted", encrypted, "密码", nil},
		{"old xls", ole, "97-2003", ErrFormat},
		{"huge merge", bigMerge, "单元格合计超过", nil},
		{"gaps in two sheets", twoFarSheets, "单元格合计超过", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := ReadXlsx("a.xlsx", tc.data)
			if err == nil {
				t.Fatalf("no error; doc has %d blocks", len(doc.Blocks))
			}
			if doc != nil {
				t.Error("doc returned with an error")
			}
			if !strings.HasPrefix(err.Error(), "a.xlsx: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to name the file and say %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error = %v, want it to wrap %v", err, tc.is)
			}
		})
	}
}

// TestXlsxBudgets checks the limits at a small scale: at full scale they
// take seconds under the race detector.
func TestXlsxBudgets(t *testing.T) {
	// Empty rows at the foot of a sheet cost no cells, but excelize steps
	// through the gap above them row by row.
	gap, err := excelize.OpenReader(bytes.NewReader(sheetXlsx(t, nil, addXlsxRows(`<row r="1048576"/>`))))
	if err != nil {
		t.Fatal(err)
	}
	defer gap.Close()
	for _, tc := range []struct {
		name   string
		budget xlsxBudget
		run    func(*xlsxGrid) error
		want   error
	}{
		{
			name:   "overlapping merges",
			budget: xlsxBudget{cells: 1000, visits: 2000},
			run: func(g *xlsxGrid) error {
				if _, err := g.grow(1, 1); err != nil {
					return err
				}
				g.rows[0][0].Text = "标题"
				for range 20 {
					if err := g.merge("A1:J10"); err != nil {
						return err
					}
				}
				return nil
			},
			want: errTooManyCells,
		},
		{
			name:   "one merge within the limits",
			budget: xlsxBudget{cells: 1000, visits: 2000},
			run: func(g *xlsxGrid) error {
				if _, err := g.grow(1, 1); err != nil {
					return err
				}
				g.rows[0][0].Text = "标题"
				return g.merge("A1:J10")
			},
		},
		{
			name:   "empty merge over empty rows",
			budget: xlsxBudget{cells: 1000, visits: 10},
			run: func(g *xlsxGrid) error {
				if _, err := g.grow(100, 1); err != nil {
					return err
				}
				g.rows[99][0].Text = "末行"
				return g.merge("B1:XFD1048576")
			},
			want: errTooManyCells,
		},
		{
			name:   "merge bigger than the cells left",
			budget: xlsxBudget{cells: 50, visits: 1 << 20},
			run: func(g *xlsxGrid) error {
				c, err := g.grow(1, 1)
				if err != nil {
					return err
				}
				c.Text = "标题"
				return g.merge("A1:J10")
			},
			want: errTooManyCells,
		},
		{
			name:   "gap of empty rows",
			budget: xlsxBudget{cells: 1000, steps: 1000},
			run:    func(g *xlsxGrid) error { return g.readValues(gap, "Sheet1") },
			want:   errTooManyRows,
		},
		{
			name:   "gap of empty rows within the limits",
			budget: xlsxBudget{cells: 1000, steps: excelize.TotalRows},
			run:    func(g *xlsxGrid) error { return g.readValues(gap, "Sheet1") },
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.budget
			if err := tc.run(&xlsxGrid{xlsxBudget: &b}); !errors.Is(err, tc.want) {
				t.Errorf("error = %v, want %v", err, tc.want)
			}
		})
	}
}

func FuzzReadXlsx(f *testing.F) {
	f.Add(sheetXlsx(f, func(x *excelize.File) {
		_ = x.SetCellValue("Sheet1", "A1", "标题")
		_ = x.SetCellValue("Sheet1", "B3", 1234.5)
		_ = x.MergeCell("Sheet1", "A1", "C1")
		_ = x.SetCellFormula("Sheet1", "C3", "B3*2")
	}, nil))
	f.Add([]byte{})
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ReadXlsx("fuzz.xlsx", data)
		if err != nil {
			if doc != nil {
				t.Fatal("doc returned with an error")
			}
			return
		}
		for _, b := range doc.Blocks {
			tab := b.Table
			if tab == nil || tab.Loc.Sheet != tab.Name {
				t.Fatalf("bad block %+v", b)
			}
			for i, row := range tab.Rows {
				for j, c := range row {
					if c.Loc.Row != i+1 || c.Loc.Col != j+1 || c.Loc.Sheet != tab.Name {
						t.Fatalf("cell (%d,%d) has loc %+v", i+1, j+1, c.Loc)
					}
				}
				if n := len(row); n > 0 && row[n-1].Text == "" {
					t.Fatalf("row %d ends with an empty cell", i+1)
				}
			}
			if n := len(tab.Rows); n > 0 && len(tab.Rows[n-1]) == 0 {
				t.Fatal("table ends with an empty row")
			}
		}
		doc.Lines()
	})
}
