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
	return workbook(t, "绩效自评表", func(w *sheetWriter) {
		w.put(fmt.Sprintf("项目支出绩效自评表（%d年度）", r.Year))
		w.f.MergeCell(w.sheet, "A1", "H1")
		w.put("项目名称", r.ProjectEval.Name)
		w.put("预算执行情况（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
		for _, fund := range r.ProjectEval.Funds {
			w.put("", fund.Name, published(fund.InitialBudget), published(fund.Budget), published(fund.Actual))
		}
		w.f.MergeCell(w.sheet, "A3", fmt.Sprintf("A%d", w.row))
		// The indicator table, its level cells merged down as printed.
		w.put("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "分值", "得分")
		measure := func(m *model.Measure) string {
			if m == nil {
				return ""
			}
			return m.Text
		}
		number := func(n *model.Number) string {
			if n == nil {
				return ""
			}
			return n.Value.String()
		}
		for _, l1 := range r.Indicators {
			top := w.row + 1
			for _, l2 := range l1.Items {
				mid := w.row + 1
				for _, l3 := range l2.Items {
					w.put(l1.Name, l2.Name, l3.Name, l3.Nature, measure(l3.Target), l3.Unit, measure(l3.Actual), number(l3.Weight), number(l3.Score))
				}
				w.f.MergeCell(w.sheet, fmt.Sprintf("B%d", mid), fmt.Sprintf("B%d", w.row))
			}
			w.f.MergeCell(w.sheet, fmt.Sprintf("A%d", top), fmt.Sprintf("A%d", w.row))
		}
	})
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
			got, y, leaves := importBack(t, hand, name, doc, func(f Figure) bool {
				return strings.HasPrefix(f.Path, "project_eval.funds[")
			})
			var want []Figure
			for _, f := range IndicatorFigures(hand) {
				// A level's own weight ("产出指标(50分)") has no cell in
				// this layout.
				if strings.Count(f.Path, ".items[") == 2 {
					want = append(want, f)
				}
			}
			if s := Compare(want, IndicatorFigures(got)); s.Right != s.Hand || len(s.Wrong) > 0 {
				t.Errorf("%s: indicators: %d of %d, missed %v, wrong %v", name, s.Right, s.Hand, s.Missed, s.Wrong)
			} else {
				t.Logf("%s: %d of %d indicator values", name, s.Right, s.Hand)
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
				case strings.HasPrefix(l.Path, "indicators"):
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

// sheetWriter fills one worksheet row by row with text cells, as the forms
// print their figures.
type sheetWriter struct {
	t     *testing.T
	f     *excelize.File
	sheet string
	row   int
}

func (w *sheetWriter) put(cells ...string) {
	w.t.Helper()
	w.row++
	for i, c := range cells {
		if c == "" {
			continue
		}
		name, _ := excelize.CoordinatesToCellName(i+1, w.row)
		if err := w.f.SetCellStr(w.sheet, name, c); err != nil {
			w.t.Fatal(err)
		}
	}
}

func published(a *model.Amount) string {
	if a == nil {
		return ""
	}
	return a.Published
}

func workbook(t *testing.T, sheet string, fill func(w *sheetWriter)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", sheet)
	fill(&sheetWriter{t: t, f: f, sheet: sheet})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportStandardWorkbooks lays out the figures of every report in
// content/ that has them as the standard tables finance systems export —
// the “三公”经费 table (预算数, 决算数), the 收入支出决算总表 (公开01表) — and
// imports each workbook back: every figure at its place, citing its cell.
func TestImportStandardWorkbooks(t *testing.T) {
	site, _ := content.Load(os.DirFS("../../content"), "content")
	tried := map[string]int{}
	for _, d := range site.Departments {
		for _, hand := range d.Reports {
			var books []struct {
				kind   string
				prefix string
				data   []byte
			}
			if tp := hand.ThreePublic; tp != nil && tp.Total != nil && tp.Total.Budget != nil && tp.Total.Actual != nil {
				books = append(books, struct {
					kind   string
					prefix string
					data   []byte
				}{"三公", "three_public.", workbook(t, "三公经费", func(w *sheetWriter) {
					w.put(fmt.Sprintf("%d年度一般公共预算财政拨款“三公”经费支出决算表", hand.Year))
					w.put("单位：万元")
					w.put("项目", "预算数", "决算数")
					for _, it := range []struct {
						label string
						ba    *model.BudgetActual
					}{
						{"合计", tp.Total}, {"因公出国（境）费", tp.Outbound}, {"公务用车购置及运行维护费", tp.Vehicles},
						{"其中：公务用车购置费", tp.VehiclePurchase}, {"公务用车运行维护费", tp.VehicleOperation}, {"公务接待费", tp.Reception},
					} {
						if it.ba != nil && (it.ba.Budget != nil || it.ba.Actual != nil) {
							w.put(it.label, published(it.ba.Budget), published(it.ba.Actual))
						}
					}
				})})
			}
			if ac := hand.Accounts; ac != nil && ac.Income != nil && ac.Expenditure != nil && ac.Income.Amount == nil {
				books = append(books, struct {
					kind   string
					prefix string
					data   []byte
				}{"总表", "accounts.", workbook(t, "公开01表", func(w *sheetWriter) {
					w.put("收入支出决算总表")
					w.put("公开01表")
					w.put("金额单位：万元")
					w.put("收入", "", "", "支出")
					w.put("项目", "行次", "金额", "项目", "行次", "金额")
					for i := 0; i < max(len(ac.Income.Items), len(ac.Expenditure.Items)); i++ {
						row := make([]string, 6)
						if i < len(ac.Income.Items) {
							row[0], row[1], row[2] = ac.Income.Items[i].Name, fmt.Sprint(i+1), published(ac.Income.Items[i].Amount)
						}
						if i < len(ac.Expenditure.Items) {
							row[3], row[4], row[5] = ac.Expenditure.Items[i].Name, fmt.Sprint(i+29), published(ac.Expenditure.Items[i].Amount)
						}
						w.put(row...)
					}
				})})
			}
			if tp, tot := hand.ThreePublic, hand.Totals; tp != nil && tp.Total != nil && tp.Total.Prior != nil && tot != nil && tot.Project != nil && tot.Project.Prior != nil {
				// The 部门整体支出绩效评价基础数据表: last year, this year's
				// budget and final figure, for 三公, 项目支出 and 公用经费.
				books = append(books, struct {
					kind   string
					prefix string
					data   []byte
				}{"基础数据表", "", workbook(t, "基础数据表", func(w *sheetWriter) {
					y := hand.Year
					w.put(fmt.Sprintf("%d年度部门整体支出绩效评价基础数据表", y))
					w.put("经费控制情况（万元）", fmt.Sprintf("%d年决算数", y-1), fmt.Sprintf("%d年预算数", y), fmt.Sprintf("%d年决算数", y))
					ba := func(label string, x *model.BudgetActual) {
						if x != nil {
							w.put(label, published(x.Prior), published(x.Budget), published(x.Actual))
						}
					}
					ba("三公经费：", tp.Total)
					ba("1、公务用车购置和维护经费", tp.Vehicles)
					ba("其中：公车购置", tp.VehiclePurchase)
					ba("公车运行维护", tp.VehicleOperation)
					ba("2、出国经费", tp.Outbound)
					ba("3、公务接待", tp.Reception)
					w.put("项目支出：", published(tot.Project.Prior), published(tot.Project.Budget), published(tot.Project.Amount))
					for _, n := range tot.Basic.OfWhich {
						w.put(n.Name, published(n.Prior), published(n.Budget), published(n.Amount))
						for i, part := range n.OfWhich {
							label := part.Name
							if i == 0 {
								label = "其中：" + label
							}
							w.put(label, published(part.Prior), published(part.Budget), published(part.Amount))
						}
					}
				})})
			}
			for _, b := range books {
				tried[b.kind]++
				name := d.ID + "-" + hand.Key() + "-" + b.kind + ".xlsx"
				doc, err := sourcedoc.Read(name, b.data)
				if err != nil {
					t.Fatal(err)
				}
				_, _, leaves := importBack(t, hand, name, doc, func(f Figure) bool {
					if b.kind == "基础数据表" {
						return strings.HasPrefix(f.Path, "three_public.") || strings.HasPrefix(f.Path, "totals.project.") || strings.HasPrefix(f.Path, "totals.basic.of_which[")
					}
					if strings.HasPrefix(f.Path, "three_public.vehicles.") {
						return b.kind == "三公"
					}
					return strings.HasPrefix(f.Path, b.prefix) && !strings.HasSuffix(f.Path, ".prior") && strings.Count(f.Path, ".items[") <= 1
				})
				for _, l := range leaves {
					if strings.HasPrefix(l.Path, b.prefix) && (l.Prov.Loc.Sheet == "" || l.Prov.Loc.Row == 0) {
						t.Errorf("%s: %s cites %s, not a cell", name, l.Path, l.Prov.Loc)
					}
				}
			}
		}
	}
	if tried["三公"] < 3 || tried["总表"] < 1 || tried["基础数据表"] < 1 {
		t.Fatalf("workbooks built: %v", tried)
	}
}

// importBack imports doc, built from hand, and requires every figure of
// hand that keep selects to come back at its place and none wrong.
func importBack(t *testing.T, hand *model.Report, name string, doc *sourcedoc.Document, keep func(Figure) bool) (*model.Report, []byte, []Leaf) {
	t.Helper()
	got, res, _ := importInto(t, hand, doc)
	var want []Figure
	for _, f := range Figures(hand) {
		if keep(f) {
			want = append(want, f)
		}
	}
	s := Compare(want, Figures(got))
	t.Logf("%s: %d of %d figures, %d wrong", name, s.Right, s.Hand, len(s.Wrong))
	if s.Right != s.Hand || len(s.Wrong) > 0 {
		t.Errorf("%s: missed %v, wrong %v", name, s.Missed, s.Wrong)
	}
	y, leaves, err := res.Draft.YAML("")
	if err != nil {
		t.Fatal(err)
	}
	return got, y, leaves
}
