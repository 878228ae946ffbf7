package importer

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"disclose/internal/build"
	"disclose/internal/diag"
	"disclose/internal/model"
	"disclose/internal/sourcedoc"
)

// standardRows is a 公开05表 as finance systems print it: the classes of
// spending with 类/款/项 codes, a total row, 小计 = 基本支出 + 项目支出. The
// figures are a fixture's; the last row's 小计 is off by 10 on purpose.
var standardRows = [][]string{
	{"", "", "", "合计", "1,300.00", "1,000.00", "300.00"},
	{"201", "", "", "一般公共服务支出", "1,300.00", "1,000.00", "300.00"},
	{"201", "03", "", "政府办公厅（室）及相关机构事务", "1,300.00", "1,000.00", "300.00"},
	{"201", "03", "01", "行政运行", "1,000.00", "1,000.00", ""},
	{"201", "03", "99", "其他政府办公厅（室）及相关机构事务支出", "310.00", "", "300.00"},
}

func standardWorkbook(t *testing.T) []byte {
	return workbook(t, "公开05表", func(w *sheetWriter) {
		w.put("一般公共预算财政拨款支出决算表")
		w.put("", "", "", "", "", "", "公开05表")
		w.put("部门：某某局", "", "", "", "", "", "金额单位：万元")
		w.put("项目", "", "", "", "本年支出")
		w.put("科目编码", "", "", "科目名称", "小计", "基本支出", "项目支出")
		w.put("类", "款", "项")
		for _, r := range standardRows {
			w.put(r...)
		}
		w.put("注：本表反映部门本年度一般公共预算财政拨款支出情况。")
	})
}

// standardDocx is the same table in a Word file: the title and number as
// paragraphs before it, the codes in one cell ("201 03 01").
func standardDocx(t *testing.T) []byte {
	doc := &sourcedoc.Document{Name: "t.docx"}
	for _, p := range []string{"一般公共预算财政拨款支出决算表", "公开05表", "单位：万元"} {
		doc.Blocks = append(doc.Blocks, sourcedoc.Block{Para: &sourcedoc.Paragraph{Text: p}})
	}
	tb := &sourcedoc.Table{}
	cells := func(texts ...string) []sourcedoc.Cell {
		var row []sourcedoc.Cell
		for _, s := range texts {
			row = append(row, sourcedoc.Cell{Text: s})
		}
		return row
	}
	tb.Rows = append(tb.Rows, cells("科目编码及名称", "小计", "基本支出", "项目支出"))
	for _, r := range standardRows {
		code := strings.TrimSpace(strings.Join([]string{r[0], r[1], r[2]}, " "))
		tb.Rows = append(tb.Rows, cells(strings.TrimSpace(code+" "+r[3]), r[4], r[5], r[6]))
	}
	doc.Blocks = append(doc.Blocks, sourcedoc.Block{Table: tb})
	var buf bytes.Buffer
	if err := sourcedoc.WriteDocx(&buf, doc); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportStandardTables imports a 公开05表 from a workbook and from a Word
// file: every row with its code, name and cells as printed, and the
// checker then finds the row whose 小计 is not 基本支出 + 项目支出.
func TestImportStandardTables(t *testing.T) {
	for _, tc := range []struct {
		file string
		data []byte
		cite string
	}{
		{"决算公开表.xlsx", standardWorkbook(t), "原文表“公开05表”!A8"},
		{"决算公开表.docx", standardDocx(t), "原文表 1 第 2 行第 1 列"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			doc, err := sourcedoc.Read(tc.file, tc.data)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Import(doc, Options{Year: 2023, Kind: model.KindFinalAccounts})
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			files, err := res.Files("dept", "juesuan", tc.data)
			if err != nil {
				t.Fatal(err)
			}
			files["dept/department.yaml"] = []byte("name: 某某局\nlevel: 县级\nregion: [某省, 某市, 某县]\n")
			for name, b := range files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, b, 0o644)
			}
			y := string(files["dept/2023-juesuan.yaml"])
			if !strings.Contains(y, "# "+tc.cite) {
				t.Errorf("the first row does not cite %s:\n%s", tc.cite, y)
			}
			site, ds := build.LoadFS(os.DirFS(dir), "c")
			for _, dg := range ds {
				if dg.Severity == diag.Error && dg.Rule != "missing-site-file" {
					t.Errorf("draft error: %s %s", dg.Location(), dg.Message(diag.Zh))
				}
			}
			r := site.Departments[0].Reports[0]
			if len(r.Tables) != 1 || r.Tables[0].Name != "一般公共预算财政拨款支出决算表" || r.Tables[0].Number != "公开05表" {
				t.Fatalf("tables: %+v\n%s", r.Tables, y)
			}
			tb := r.Tables[0]
			if len(tb.Rows) != len(standardRows) {
				t.Fatalf("%d rows, want %d:\n%s", len(tb.Rows), len(standardRows), y)
			}
			for i, want := range standardRows {
				got := tb.Rows[i]
				code := want[0] + want[1] + want[2]
				if got.Code != code || got.Name != want[3] || strings.Join(got.Cells, "|") != strings.Join(want[4:], "|") {
					t.Errorf("row %d: %q %q %q, want %q %q %q", i, got.Code, got.Name, got.Cells, code, want[3], want[4:])
				}
			}
			flagged := false
			for _, dg := range ds {
				if dg.Rule == "table-sum" && strings.Contains(dg.Message(diag.Zh), "其他政府办公厅") {
					flagged = true
				}
			}
			if !flagged {
				for _, dg := range ds {
					t.Logf("%s %s: %s", dg.Location(), dg.Rule, dg.Message(diag.Zh))
				}
				t.Error("the row whose 小计 is off by 10 is not flagged")
			}
		})
	}
}

// TestMergeSources reads one 决算 from its 情况说明 and the workbook of its
// tables: one draft, each value citing its file, and a figure the two give
// differently listed for a person to settle.
func TestMergeSources(t *testing.T) {
	text, err := os.ReadFile("../../content/_sources/03_zj_lishui_sifaju_juesuan_2023.txt")
	if err != nil {
		t.Fatal(err)
	}
	a, err := sourcedoc.Read("说明.txt", text)
	if err != nil {
		t.Fatal(err)
	}
	book := workbook(t, "三公", func(w *sheetWriter) {
		w.put("“三公”经费支出决算表")
		w.put("项目", "预算数", "决算数")
		w.put("合计", "5.00", "4.00")
	})
	b, err := sourcedoc.Read("表.xlsx", standardWorkbook(t))
	if err != nil {
		t.Fatal(err)
	}
	c, err := sourcedoc.Read("三公.xlsx", book)
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Year: 2023, Kind: model.KindFinalAccounts}
	var res *Result
	for i, doc := range []*sourcedoc.Document{a, b, c} {
		r, err := Import(doc, opt)
		if err != nil {
			t.Fatal(err)
		}
		r.SetSource(doc.Name, []byte{byte(i)})
		if res == nil {
			res = r
		} else {
			res.Merge(r)
		}
	}
	// A second workbook saying 6.00 where the first said 5.00.
	conflict := workbook(t, "三公", func(w *sheetWriter) {
		w.put("项目", "预算数", "决算数")
		w.put("合计", "6.00", "4.00")
	})
	d, _ := sourcedoc.Read("三公2.xlsx", conflict)
	r, _ := Import(d, opt)
	r.SetSource(d.Name, conflict)
	res.Merge(r)

	y, _, err := res.Draft.YAML("")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"amount: 4295.94 # 原文（说明.txt）第 3 行",
		"name: 合计 # 原文（表.xlsx）表“公开05表”!D7",
		"budget: 5.00 # 原文（三公.xlsx）表“三公”!B3",
	} {
		if !strings.Contains(string(y), want) {
			t.Errorf("draft lacks %q:\n%s", want, y)
		}
	}
	found := false
	for _, u := range res.Draft.Unplaced {
		if strings.Contains(u.Prov.Where(), "三公2.xlsx") && strings.Contains(u.Why, "“5.00”不一致") {
			found = true
		}
	}
	if !found {
		t.Errorf("the conflicting 6.00 is not listed: %+v", res.Draft.Unplaced)
	}
	if res.Source != "说明.txt、表.xlsx、三公.xlsx、三公2.xlsx" || len(res.Sources) != 4 {
		t.Errorf("sources %q %v", res.Source, res.Sources)
	}
}
