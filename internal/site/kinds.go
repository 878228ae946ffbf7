package site

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"disclose/internal/model"
	"disclose/internal/tables"
)

// This file shapes what the document kinds added for the report page: the
// 决算 and 预算 trees, the 三公 counts, a project form's head, and the
// chapters of documents that are not self-evaluation reports.

func deltaText(d *model.Delta) string {
	if d == nil {
		return ""
	}
	return d.Text
}

// finishTree sets a table's optional columns and its unit.
func finishTree(t *treeTable) {
	units := map[string]bool{}
	for i := range t.Rows {
		r := &t.Rows[i]
		t.HasBudget = t.HasBudget || r.Budget != nil || r.Rate != ""
		t.HasPrior = t.HasPrior || r.Prior != nil
		t.HasChange = t.HasChange || r.Change != "" || r.Rate2 != ""
		t.HasShare = t.HasShare || r.Share != ""
		t.HasReason = t.HasReason || r.Reason != ""
		for _, f := range []*figure{r.Amount, r.Budget, r.Prior} {
			if f != nil {
				units[f.Unit] = true
			}
		}
	}
	t.Unit = "万元"
	if len(units) == 1 {
		for u := range units {
			if u != "" {
				t.Unit = u
				// Every figure is in that unit: the caption says so once.
				for i := range t.Rows {
					for _, f := range []*figure{t.Rows[i].Amount, t.Rows[i].Budget, t.Rows[i].Prior} {
						if f != nil {
							f.Unit = ""
						}
					}
				}
			}
		}
	}
}

// accountTables lays out a 决算's or 预算's trees, one table each.
func accountTables(a *model.Accounts) []treeTable {
	if a == nil {
		return nil
	}
	var out []treeTable
	add := func(caption string, n *model.Node, unnamed string) {
		if n == nil {
			return
		}
		t := treeTable{Caption: caption}
		t.Rows = appendTree(nil, n, unnamed, 0, false)
		t.Rows[0].Head = true
		finishTree(&t)
		out = append(out, t)
	}
	add("收入", a.Income, "收入总计")
	add("支出", a.Expenditure, "支出总计")
	add("财政拨款支出", a.Fiscal, "财政拨款支出")
	add("一般公共预算财政拨款支出（按功能分类）", a.Functional, "合计")
	add("一般公共预算财政拨款基本支出（按经济分类）", a.Economic, "合计")
	add("机关运行经费", a.Operating, "机关运行经费")
	if p := a.Procurement; p != nil && p.Total != nil {
		add("政府采购", p.Total, "政府采购支出总额")
	}
	return out
}

// accountFacts are the counts and shares that are not trees.
func accountFacts(a *model.Accounts) []fact {
	if a == nil {
		return nil
	}
	var out []fact
	if p := a.Procurement; p != nil {
		if f := amountFig(p.SME); f != nil {
			out = append(out, fact{"授予中小企业合同金额", figText(f)})
		}
		if p.SMEShare != nil {
			out = append(out, fact{"授予中小企业合同金额占比", percentText(p.SMEShare)})
		}
	}
	if as := a.Assets; as != nil {
		if as.Vehicles != nil {
			out = append(out, fact{"车辆", strconv.Itoa(*as.Vehicles) + " 辆"})
		}
		for _, c := range as.ByType {
			out = append(out, fact{c.Name, strconv.Itoa(c.Count) + " 辆"})
		}
		for _, it := range as.Items {
			v := ""
			if it.Count != nil {
				v = strconv.Itoa(*it.Count)
			}
			if f := amountFig(it.Amount); f != nil {
				if v != "" {
					v += "，"
				}
				v += figText(f)
			}
			out = append(out, fact{it.Name, v})
		}
	}
	return out
}

// figText is a figure as plain text with its unit.
func figText(f *figure) string {
	if f.Unit != "" {
		return f.Text + " " + f.Unit
	}
	return f.Text + " 万元"
}

func threeCounts(t *model.ThreePublic) []fact {
	if t == nil || t.Counts == nil {
		return nil
	}
	k := t.Counts
	var out []fact
	num := func(label string, n *int, unit string) {
		if n != nil {
			out = append(out, fact{label, strconv.Itoa(*n) + " " + unit})
		}
	}
	num("因公出国（境）团组", k.OutboundGroups, "个")
	num("因公出国（境）人次", k.OutboundPersons, "人次")
	num("公务用车购置", k.VehiclesBought, "辆")
	num("公务用车保有量", k.VehiclesHeld, "辆")
	for _, c := range k.VehiclesByType {
		out = append(out, fact{"其中 " + c.Name, strconv.Itoa(c.Count) + " 辆"})
	}
	num("国内公务接待批次", k.ReceptionBatches, "批次")
	num("国内公务接待人次", k.ReceptionPersons, "人次")
	num("外事接待批次", k.ForeignReceptions, "批次")
	return out
}

func threeColumns(rows []threeRow) threeCols {
	var c threeCols
	for _, r := range rows {
		c.Rate = c.Rate || r.Rate != ""
		c.Prior = c.Prior || r.Prior != nil
		c.Change = c.Change || r.Change != "" || r.Rate2 != "" || r.Delta != nil
		c.Share = c.Share || r.Share != ""
		c.Reason = c.Reason || r.Reason != ""
	}
	return c
}

// projectEvalView is a 项目支出绩效自评表's head.
type projectEvalView struct {
	Facts []fact
	Funds []evalFundRow
	Goals []*model.EvalGoal
}

type evalFundRow struct {
	Name                          string
	Initial, Budget, Actual       *figure
	Weight, Rate, Score           string
	HasWeight, HasScore, NoActual bool
}

func projectEval(p *model.ProjectEval) *projectEvalView {
	if p == nil {
		return nil
	}
	v := &projectEvalView{Goals: p.Goals}
	for _, f := range []fact{{"项目名称", p.Name}, {"主管部门", p.Authority}, {"实施单位", p.Implementer}} {
		if f.Value != "" {
			v.Facts = append(v.Facts, f)
		}
	}
	for _, x := range p.Extra {
		v.Facts = append(v.Facts, fact{x.Name, x.Text})
	}
	for _, f := range p.Funds {
		v.Funds = append(v.Funds, evalFundRow{
			Name: f.Name, Initial: amountFig(f.InitialBudget), Budget: amountFig(f.Budget), Actual: amountFig(f.Actual),
			Weight: numberText(f.Weight), Rate: percentText(f.Rate), Score: numberText(f.Score),
		})
	}
	return v
}

// chapterViews renders a document's chapters in their order.
func (s *Site) chapterViews(r *model.Report) []sectionView {
	var out []sectionView
	for i, c := range r.Chapters {
		out = append(out, sectionView{Key: "ch" + strconv.Itoa(i+1), Title: c.Title, HTML: captionTables(s.prose.html(c.Text), c.Title)})
	}
	return out
}

// sectionTitle is a narrative section's title in a document of kind k: a
// project form's 综述 is its 评价结论.
func sectionTitle(k model.DocKind, key, title string) string {
	if k == model.KindProjectEval {
		switch key {
		case "summary":
			return "评价结论"
		case "problems":
			return "存在的问题"
		case "measures":
			return "改进措施"
		}
	}
	return title
}

// scoreNote says what a partial score table is.
func scoreNote(s *model.Score) template.HTML {
	if s == nil || !s.Partial {
		return ""
	}
	return "原文只给出了部分分项得分，下表不是完整的分项，各项之和不等于总分。"
}

// kindText is, per kind, what a report page's description says the
// document holds and the keyword for the portal's Keywords tag.
var kindText = map[model.DocKind]struct{ desc, keyword string }{
	model.KindSelfEval:      {"预算收支、支出结构、“三公”经费、绩效指标与自评结果", "绩效自评"},
	model.KindFinalAccounts: {"收入支出决算、财政拨款支出、“三公”经费、机关运行经费等情况", "部门决算"},
	model.KindBudget:        {"收入支出预算、财政拨款支出预算、“三公”经费预算等情况", "部门预算"},
	model.KindThreePublic:   {"“三公”经费预算、支出及增减情况", "三公经费"},
	model.KindProjectEval:   {"项目资金执行、年度目标、绩效指标完成情况与自评得分", "项目支出绩效自评"},
	model.KindOther:         {"公开文件全文与数据", "信息公开"},
}

func kindDesc(k model.DocKind) string { return kindText[k].desc }

func kindKeyword(k model.DocKind) string { return kindText[k].keyword }

// captionTables gives each table of a chapter a caption, its chapter's
// title: a table a document prints in its text (the 三公 table of a
// statement) needs a name for screen readers like every other table.
func captionTables(h template.HTML, title string) template.HTML {
	n := strings.Count(string(h), "<table>")
	if n == 0 {
		return h
	}
	var b strings.Builder
	rest := string(h)
	for i := 1; ; i++ {
		before, after, ok := strings.Cut(rest, "<table>")
		b.WriteString(before)
		if !ok {
			break
		}
		caption := title
		if n > 1 {
			caption += "（表" + strconv.Itoa(i) + "）"
		}
		b.WriteString("<table>\n<caption>" + template.HTMLEscapeString(caption) + "</caption>")
		rest = after
	}
	return template.HTML(b.String())
}

// stdTable is one standard table of a 决算 or 预算, cells as printed.
type stdTable struct {
	Caption, Unit string
	Columns       []string
	HasCode       bool
	Rows          []stdRow
	Partial       bool
	Note          string
}

type stdRow struct {
	Code, Name string
	Cells      []string
	Total      bool
}

// tableViews lays out a report's standard tables, and says which of its
// profile's tables the document publishes.
func tableViews(r *model.Report) ([]stdTable, string) {
	var out []stdTable
	for _, t := range r.Tables {
		v := stdTable{Caption: strings.TrimSpace(t.Number + " " + t.Name), Unit: string(t.Unit), Columns: t.Columns, Partial: t.Partial, Note: t.Note}
		if v.Unit == "" {
			v.Unit = string(model.UnitWan)
		}
		for _, row := range t.Rows {
			cells := make([]string, len(t.Columns))
			for i := range min(len(cells), len(row.Cells)) {
				cells[i] = grouped(row.Cells[i])
			}
			v.Rows = append(v.Rows, stdRow{Code: row.Code, Name: row.Name, Cells: cells, Total: row.Code == "" && strings.Contains(row.Name, "合计")})
			v.HasCode = v.HasCode || row.Code != ""
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, ""
	}
	p := tables.ProfileOf(r)
	if p == nil {
		return out, ""
	}
	found := 0
	for _, t := range p.Tables {
		for _, have := range r.Tables {
			if p.Find(have.Name) == t {
				found++
				break
			}
		}
	}
	return out, fmt.Sprintf("按《%s》，本文件公开了其中 %d 张表。", p.Name, found)
}
