package importer

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"disclose/internal/content"
	"disclose/internal/model"
	"disclose/internal/sourcedoc"
)

// evalFormWorkbook lays out a report's fund rows as the common
// 项目支出绩效自评表 workbook does: a merged title, a merged "预算执行情况"
// label down the first column, a header row, one row per fund, figures as
// the form printed them (text cells, so that "0.00" stays "0.00").
func evalFormWorkbook(t *testing.T, r *model.Report) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "绩效自评表"
	f.SetSheetName("Sheet1", sheet)
	set := func(cell, v string) {
		if err := f.SetCellStr(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", fmt.Sprintf("项目支出绩效自评表（%d年度）", r.Year))
	f.MergeCell(sheet, "A1", "H1")
	set("A2", "项目名称")
	set("B2", r.ProjectEval.Name)
	set("A3", "预算执行情况（万元）")
	for i, h := range []string{"", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"} {
		if h != "" {
			set(string(rune('B'+i))+"3", h)
		}
	}
	row := 4
	for _, fund := range r.ProjectEval.Funds {
		set(fmt.Sprintf("B%d", row), fund.Name)
		cells := []*model.Amount{fund.InitialBudget, fund.Budget, fund.Actual}
		for i, a := range cells {
			if a != nil {
				set(fmt.Sprintf("%c%d", 'C'+i, row), a.Published)
			}
		}
		row++
	}
	f.MergeCell(sheet, "A3", fmt.Sprintf("A%d", row-1))
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportEvalFormWorkbooks builds the workbook of every project
// self-evaluation in content/ and imports it: every fund figure comes back
// at its place, with its cell as the source.
func TestImportEvalFormWorkbooks(t *testing.T) {
	site, _ := content.Load(os.DirFS("../../content"), "content")
	n := 0
	for _, d := range site.Departments {
		for _, hand := range d.Reports {
			if hand.ProjectEval == nil || len(hand.ProjectEval.Funds) == 0 {
				continue
			}
			n++
			name := d.ID + "-" + hand.Key() + ".xlsx"
			doc, err := sourcedoc.Read(name, evalFormWorkbook(t, hand))
			if err != nil {
				t.Fatal(err)
			}
			got, res, _ := importInto(t, hand, doc)
			var want []Figure
			for _, f := range Figures(hand) {
				if strings.HasPrefix(f.Path, "project_eval.funds[") {
					want = append(want, f)
				}
			}
			s := Compare(want, Figures(got))
			t.Logf("%s: %d of %d fund figures, %d wrong", name, s.Right, s.Hand, len(s.Wrong))
			if s.Right != s.Hand || len(s.Wrong) > 0 {
				t.Errorf("%s: missed %v, wrong %v", name, s.Missed, s.Wrong)
			}
			y, leaves, err := res.Draft.YAML("")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(y), "# 原文表“绩效自评表”!C4") {
				t.Errorf("%s: the first fund row's cell is not cited:\n%s", name, y)
			}
			for _, l := range leaves {
				switch {
				case l.Path == "project_eval.name":
					if l.Text != hand.ProjectEval.Name || l.Prov.Loc.String() != "表“绩效自评表”!B2" {
						t.Errorf("%s: project name %q from %s, want %q from B2", name, l.Text, l.Prov.Loc, hand.ProjectEval.Name)
					}
				case l.Prov.Loc.Sheet != "绩效自评表" || l.Prov.Loc.Row < 4:
					t.Errorf("%s: %s cites %s", name, l.Path, l.Prov.Loc)
				}
			}
			if got.ProjectEval == nil || got.ProjectEval.Name != hand.ProjectEval.Name {
				t.Errorf("%s: the draft's project is not named %q", name, hand.ProjectEval.Name)
			}
		}
	}
	if n < 3 {
		t.Fatalf("only %d project self-evaluations in content/", n)
	}
}
