package charts

import (
	"fmt"
	"slices"
	"strings"

	"disclose/internal/model"
)

// ForReport returns the charts of a department-year page, in reading order,
// each only when the report has the figures for it:
//
//	spending            sorted bars of every spending category, amount and share (leads the treemap)
//	categories          treemap of spending: (fund →) basic/project → items → sub-items
//	basic-project       donut of basic against project spending (or of the budget plan)
//	economic            bars of the first-level items of basic spending
//	project-categories  bars of the first-level items of project spending
//	funds               budget, income and expenditure per fund source
//	three-public        “三公” budget against actual, per item
//	projects            budget, funds arrived and paid per key project
//	score               score against weight per part of the self-evaluation
//	indicators          score against weight per first- (or second-) level indicator
//	indicator-results   indicators whose numeric target was met, not met, or cannot be compared
func ForReport(r *model.Report) []Chart {
	if r == nil {
		return nil
	}
	var out []Chart
	for _, build := range []func(*model.Report) *spec{
		spendingChart,
		categoriesChart,
		basicProjectChart,
		func(r *model.Report) *spec { return kindChart(r, model.KindBasic) },
		func(r *model.Report) *spec { return kindChart(r, model.KindProject) },
		fundsChart,
		threePublicChart,
		projectsChart,
		scoreChart,
		indicatorsChart,
		indicatorResultsChart,
	} {
		if s := build(r); s != nil {
			out = append(out, s.chart())
		}
	}
	for _, s := range accountsCharts(r) {
		out = append(out, s.chart())
	}
	if s := threePublicYears(r); s != nil {
		out = append(out, s.chart())
	}
	from := deptFullName(r)
	if r.Title != "" {
		from += "《" + r.Title + "》"
	}
	return sourced(out, strings.TrimSpace(deptFullName(r)+" "+yearText(r.Year)+docKindText(r)), from)
}

// deptFullName is the department's full name, for an image's source line.
func deptFullName(r *model.Report) string {
	if r.Department != nil && r.Department.Name != "" {
		return r.Department.Name
	}
	return deptName(r)
}

// docKindText names a report's kind of document, except the
// self-evaluation every comparison is made of.
func docKindText(r *model.Report) string {
	if k := r.DocKind(); k != model.KindSelfEval {
		return k.DocTitle()
	}
	return ""
}

func categoriesChart(r *model.Report) *spec {
	roots, levels, broken := spendingTree(r)
	if !broken || len(roots) < 1 {
		return nil
	}
	var total model.Decimal
	for _, n := range roots {
		total = total.Add(n.value)
	}
	var parts []string
	marked := false
	for _, n := range roots {
		marked = marked || n.computed
		p := n.name + withUnit(n.value, wan) + star(n.computed)
		if s, ok := pct(n.value, total); ok && len(roots) > 1 {
			p += "（占" + pctText(s) + "）"
		}
		parts = append(parts, p)
	}
	const title = "支出结构（按类别）"
	summary := withNote(sentence("%s支出按%s逐级细分，第一层为：%s", yearText(r.Year), levels, strings.Join(parts, "，")), marked)
	table := Table{
		Caption: title,
		Head:    []string{"类别（逐级）", "金额（万元）", "占上级比例", "说明"},
		Rows:    treeRows(roots),
		Numeric: []bool{false, true, true, false},
	}
	dropEmptyColumn(&table, 3)
	t := treemap{series: "全部支出", roots: roots, height: 440}
	return &spec{id: "categories", title: title, summary: summary, table: table, height: t.height, build: t.build(summary), patch: breadcrumb, unit: wan}
}

// kindScope names the fund a kind's headline figure comes from when that
// fund is not the whole department (see partialScope).
func kindScope(r *model.Report, kind string) string {
	if n := r.Totals.KindNode(kind); n != nil && n.Amount != nil {
		return ""
	}
	var from []*model.Fund
	for _, f := range r.Funds {
		if n := f.KindNode(kind); n != nil && n.Amount != nil {
			from = append(from, f)
		}
	}
	if len(from) != 1 {
		return ""
	}
	return partialScope(r, from[0])
}

func basicProjectChart(r *model.Report) *spec {
	o := r.Overview()
	title := "基本支出与项目支出"
	var b, p model.Decimal
	var note string
	var marks [2]string
	names := [2]string{"基本支出", "项目支出"}
	switch {
	case o.Basic != nil && o.Project != nil:
		b, p = o.Basic.Value, o.Project.Value
		if o.Basic.Computed || o.Project.Computed {
			note = "金额按各资金来源相加"
		}
		marks = [2]string{star(o.Basic.Computed), star(o.Project.Computed)}
		for i, k := range kinds {
			if s := kindScope(r, k); s != "" {
				names[i] += "（" + s + "）"
			}
		}
	default:
		plan := budgetPlan(r)
		if plan == nil {
			return nil
		}
		b, p = plan.Basic.Amount.Value, plan.Project.Amount.Value
		title = "预算构成（基本支出与项目支出）"
	}
	total := b.Add(p)
	bs, ok1 := pct(b, total)
	ps, ok2 := pct(p, total)
	if !ok1 || !ok2 {
		return nil
	}
	var summary string
	if title == "基本支出与项目支出" {
		summary = fmt.Sprintf("%s%s%s%s（占%s），%s%s%s（占%s），两者合计%s%s", yearText(r.Year),
			names[0], withUnit(b, wan), marks[0], pctText(bs), names[1], withUnit(p, wan), marks[1], pctText(ps), withUnit(total, wan), "")
		if note != "" {
			summary += "；" + note
		}
	} else {
		summary = fmt.Sprintf("%s预算中%s%s（占%s），%s%s（占%s）", yearText(r.Year),
			names[0], withUnit(b, wan), pctText(bs), names[1], withUnit(p, wan), pctText(ps))
	}
	summary = withNote(sentence("%s", summary), marks[0]+marks[1] != "")
	d := donut{series: title, height: 320, slices: []slice{
		{name: names[0], value: b, share: bs, color: palette[0], mark: marks[0]},
		{name: names[1], value: p, share: ps, color: palette[1], mark: marks[1]},
	}}
	table := Table{
		Caption: title,
		Head:    []string{"类别", "金额（万元）", "占比"},
		Rows:    [][]string{{names[0], b.Grouped(), pctText(bs)}, {names[1], p.Grouped(), pctText(ps)}},
		Numeric: []bool{false, true, true},
	}
	return &spec{id: "basic-project", title: title, summary: summary, table: table, height: d.height, build: d.build(summary), patch: pieLabels, unit: wan}
}

// budgetPlan is the approved split of the budget into basic and project,
// from the totals or the only fund that has one.
func budgetPlan(r *model.Report) *model.BudgetPlan {
	complete := func(p *model.BudgetPlan) bool {
		return p != nil && p.Basic != nil && p.Basic.Amount != nil && p.Project != nil && p.Project.Amount != nil
	}
	if r.Totals != nil && complete(r.Totals.Plan) {
		return r.Totals.Plan
	}
	var found *model.BudgetPlan
	for _, f := range r.Funds {
		if complete(f.Plan) {
			if found != nil {
				return nil
			}
			found = f.Plan
		}
	}
	return found
}

func kindChart(r *model.Report, kind string) *spec {
	var cats []model.Category
	for _, c := range r.Categories() {
		if c.Kind == kind {
			cats = append(cats, c)
		}
	}
	if len(cats) < 2 {
		return nil
	}
	id, title, color := "economic", "基本支出构成", palette[0]
	if kind == model.KindProject {
		id, title, color = "project-categories", "项目支出构成", palette[1]
	}
	var total model.Decimal
	for _, c := range cats {
		total = total.Add(c.Amount)
	}
	s := barSeries{name: "金额", color: color}
	var names, parts []string
	table := Table{Caption: title, Head: []string{"类别", "金额（万元）", "占各项合计", "说明"}, Numeric: []bool{false, true, true, false}}
	computed := false
	for _, c := range cats {
		v := c.Amount
		s.values = append(s.values, &v)
		s.marked = append(s.marked, c.Computed)
		names = append(names, c.Name)
		share := dash
		if p, ok := pct(c.Amount, total); ok {
			share = pctText(p)
		}
		parts = append(parts, c.Name+withUnit(c.Amount, wan)+star(c.Computed)+"（占"+share+"）")
		note := ""
		if c.Computed {
			note, computed = "各资金来源相加", true
		}
		table.Rows = append(table.Rows, []string{c.Name, c.Amount.Grouped(), share, note})
	}
	dropEmptyColumn(&table, 3)
	summary := fmt.Sprintf("%s%s分为%d项：%s", yearText(r.Year), model.KindTitle(kind), len(cats), strings.Join(parts, "，"))
	if scope := kindScope(r, kind); scope != "" {
		summary += "；以上为" + scope + "的数字"
	}
	if computed {
		summary += "；同名类别按各资金来源相加"
	}
	summary = withNote(sentence("%s", summary), computed)
	b := bar{names: names, series: []barSeries{s}, unit: wan, horizontal: true, labels: true}
	return &spec{id: id, title: title, summary: summary, table: table, height: b.height(), build: b.build(summary), unit: b.unit}
}

func fundsChart(r *model.Report) *spec {
	var funds []*model.Fund
	for _, f := range r.Funds {
		if f.Budget != nil || f.Income != nil || f.Expenditure != nil {
			funds = append(funds, f)
		}
	}
	if len(funds) < 2 {
		return nil
	}
	series, used := seriesOf(funds, []measure[*model.Fund]{
		{name: "预算", color: colorBudget, get: func(f *model.Fund) *model.Decimal { return amountOf(f.Budget) }},
		{name: "收入", color: colorIncome, get: func(f *model.Fund) *model.Decimal { return amountOf(f.Income) }},
		{name: "支出", color: colorSpent, get: func(f *model.Fund) *model.Decimal { return amountOf(f.Expenditure) }},
	})
	const title = "资金来源"
	table := Table{Caption: title, Head: []string{"资金来源"}, Numeric: []bool{false}}
	for _, m := range used {
		table.Head = append(table.Head, m.name+"（万元）")
		table.Numeric = append(table.Numeric, true)
	}
	var names, parts []string
	for _, f := range funds {
		names = append(names, f.FundName())
		row := []string{f.FundName()}
		var said []string
		for _, m := range used {
			v := m.get(f)
			row = append(row, cell(v))
			if v != nil {
				said = append(said, m.name+withUnit(*v, wan))
			}
		}
		table.Rows = append(table.Rows, row)
		parts = append(parts, f.FundName()+"的"+strings.Join(said, "、"))
	}
	summary := sentence("%s各资金来源：%s", yearText(r.Year), list(parts))
	b := bar{names: names, series: series, unit: wan, horizontal: true, labels: true}
	return &spec{id: "funds", title: title, summary: summary, table: table, height: b.height(), build: b.build(summary), unit: b.unit}
}

func threePublicChart(r *model.Report) *spec {
	tp := r.ThreePublic
	if tp == nil {
		return nil
	}
	type item struct {
		name string
		ba   *model.BudgetActual
	}
	var items []item
	for _, it := range []item{
		{"因公出国（境）费", tp.Outbound},
		{"公务用车购置费", tp.VehiclePurchase},
		{"公务用车运行维护费", tp.VehicleOperation},
		{"公务用车购置及运行维护费", vehiclesAlone(tp)},
		{"公务接待费", tp.Reception},
	} {
		if it.ba != nil && (it.ba.Budget != nil || it.ba.Actual != nil) {
			items = append(items, it)
		}
	}
	total := tp.Total != nil && (tp.Total.Budget != nil || tp.Total.Actual != nil)
	drawn := items
	if len(drawn) == 0 && total {
		// Without items the totals are the only pair to compare.
		drawn = []item{{"合计", tp.Total}}
	}
	// A statement published in 元 is charted in 元, as printed; figures
	// of mixed units are compared in 万元, and the summary says so.
	all := append([]item{}, items...)
	if total {
		all = append(all, item{"合计", tp.Total})
	}
	var amounts []*model.Amount
	for _, it := range all {
		amounts = append(amounts, it.ba.Budget, it.ba.Actual)
	}
	unit, converted := commonUnit(amounts)
	ms := []measure[item]{
		{name: "预算", color: colorBudget, get: func(i item) *model.Decimal { return inUnit(i.ba.Budget, unit) }},
		{name: "实际支出", color: colorSpent, get: func(i item) *model.Decimal { return inUnit(i.ba.Actual, unit) }},
	}
	series, used := seriesOf(drawn, ms)
	var names []string
	for _, it := range drawn {
		names = append(names, it.name)
	}
	b := bar{names: names, series: series, unit: unit, horizontal: true, labels: true}
	if b.stated() < 2 {
		return nil
	}
	const title = "“三公”经费预算与实际支出"
	table := Table{Caption: title, Head: []string{"项目"}, Numeric: []bool{false}}
	for _, m := range used {
		table.Head = append(table.Head, m.name+"（"+unit+"）")
		table.Numeric = append(table.Numeric, true)
	}
	say := func(it item) string {
		var s []string
		for _, m := range used {
			if v := m.get(it); v != nil {
				s = append(s, m.name+withUnit(*v, unit))
			}
		}
		return strings.Join(s, "、")
	}
	var parts []string
	for _, it := range items {
		row := []string{it.name}
		for _, m := range used {
			row = append(row, cell(m.get(it)))
		}
		table.Rows = append(table.Rows, row)
		parts = append(parts, it.name+say(it))
	}
	summary := yearText(r.Year) + "“三公”经费"
	if total {
		tot := item{"合计", tp.Total}
		row := []string{"合计"}
		for _, m := range used {
			row = append(row, cell(m.get(tot)))
		}
		table.Rows = append(table.Rows, row)
		summary += say(tot)
		if len(parts) > 0 {
			summary += "；其中" + strings.Join(parts, "，")
		}
	} else {
		summary += "：" + strings.Join(parts, "，")
	}
	if converted {
		summary += "（原文以元为单位的金额换算为万元）"
	}
	summary = sentence("%s", summary)
	return &spec{id: "three-public", title: title, summary: summary, table: table, height: b.height(), build: b.build(summary), unit: b.unit}
}

func projectsChart(r *model.Report) *spec {
	var ps []*model.Project
	for _, p := range r.Projects {
		if p.Budget != nil || p.Arrived != nil || p.Paid != nil {
			ps = append(ps, p)
		}
	}
	series, used := seriesOf(ps, []measure[*model.Project]{
		{name: "预算安排", color: colorBudget, get: func(p *model.Project) *model.Decimal { return amountOf(p.Budget) }},
		{name: "资金到位", color: colorIncome, get: func(p *model.Project) *model.Decimal { return amountOf(p.Arrived) }},
		{name: "实际拨付", color: colorSpent, get: func(p *model.Project) *model.Decimal { return amountOf(p.Paid) }},
	})
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	b := bar{names: names, series: series, unit: wan, horizontal: true, labels: true}
	if b.stated() < 2 {
		return nil
	}
	const title = "重点项目资金"
	table := Table{Caption: title, Head: []string{"项目"}, Numeric: []bool{false}}
	for _, m := range used {
		table.Head = append(table.Head, m.name+"（万元）")
		table.Numeric = append(table.Numeric, true)
	}
	for _, p := range ps {
		row := []string{p.Name}
		for _, m := range used {
			row = append(row, cell(m.get(p)))
		}
		table.Rows = append(table.Rows, row)
	}
	// The summary names the largest projects by the last stage of money the
	// report gives (paid, else arrived, else budgeted); the table has all.
	main := used[len(used)-1]
	type named struct {
		name string
		v    model.Decimal
	}
	var stated []named
	for _, p := range ps {
		if v := main.get(p); v != nil {
			stated = append(stated, named{p.Name, *v})
		}
	}
	slices.SortStableFunc(stated, func(a, b named) int { return b.v.Cmp(a.v) })
	var top []string
	for _, s := range stated[:min(3, len(stated))] {
		top = append(top, s.name+withUnit(s.v, wan))
	}
	var summary string
	switch {
	case len(stated) < len(ps) && len(stated) <= 3:
		summary = fmt.Sprintf("其中%d个列出%s，分别为", len(stated), main.name)
	case len(stated) < len(ps):
		summary = fmt.Sprintf("其中%d个列出%s，最多的是", len(stated), main.name)
	case len(stated) <= 3:
		summary = main.name + "分别为"
	default:
		summary = main.name + "最多的是"
	}
	summary = sentence("%s列出%d个重点项目的资金，%s%s", yearText(r.Year), len(ps), summary, strings.Join(top, "、"))
	return &spec{id: "projects", title: title, summary: summary, table: table, height: b.height(), build: b.build(summary), unit: b.unit}
}

// weighed is a named score with its weight, from score parts or indicators.
type weighed struct {
	name          string
	weight, score *model.Decimal
}

func weighedChart(id, title, lead string, year int, ws []weighed, total *model.Number) *spec {
	series, used := seriesOf(ws, []measure[weighed]{
		{name: "分值", color: colorBudget, get: func(w weighed) *model.Decimal { return w.weight }},
		{name: "得分", color: colorSpent, get: func(w weighed) *model.Decimal { return w.score }},
	})
	var names, parts []string
	table := Table{Caption: title, Head: []string{"项目"}, Numeric: []bool{false}}
	for _, m := range used {
		table.Head = append(table.Head, m.name)
		table.Numeric = append(table.Numeric, true)
	}
	for _, w := range ws {
		names = append(names, w.name)
		row := []string{w.name}
		for _, m := range used {
			row = append(row, cell(m.get(w)))
		}
		table.Rows = append(table.Rows, row)
		p := w.name
		if w.score != nil {
			p += "得" + withUnit(*w.score, "分")
		}
		if w.weight != nil {
			p += "（分值" + withUnit(*w.weight, "分") + "）"
		}
		parts = append(parts, p)
	}
	summary := yearText(year) + lead + "：" + strings.Join(parts, "，")
	if total != nil {
		summary += "；总分" + withUnit(total.Value, "分")
	}
	summary = sentence("%s", summary)
	b := bar{names: names, series: series, unit: "分", horizontal: true, labels: true}
	return &spec{id: id, title: title, summary: summary, table: table, height: b.height(), build: b.build(summary), unit: b.unit}
}

func scoreChart(r *model.Report) *spec {
	if r.Score == nil || len(r.Score.Parts) < 2 {
		return nil
	}
	var ws []weighed
	for _, p := range r.Score.Parts {
		ws = append(ws, weighed{p.Name, numberOf(p.Weight), numberOf(p.Score)})
	}
	return weighedChart("score", "自评得分（分项）", "自评分项", r.Year, ws, r.Score.Total)
}

func indicatorsChart(r *model.Report) *spec {
	scored := func(ins []*model.Indicator) []weighed {
		var ws []weighed
		for _, in := range ins {
			if in != nil && in.Weight != nil && in.Score != nil {
				ws = append(ws, weighed{in.Name, numberOf(in.Weight), numberOf(in.Score)})
			}
		}
		return ws
	}
	ws, lead := scored(r.Indicators), "一级指标得分"
	if len(ws) < 2 {
		var second []*model.Indicator
		for _, in := range r.Indicators {
			if in != nil {
				second = append(second, in.Items...)
			}
		}
		ws, lead = scored(second), "二级指标得分"
	}
	if len(ws) < 2 {
		return nil
	}
	return weighedChart("indicators", "绩效指标得分", lead, r.Year, ws, nil)
}

// vehiclesAlone is the combined vehicle figure when the statement gives
// only that one; beside its two parts it would be counted twice.
func vehiclesAlone(tp *model.ThreePublic) *model.BudgetActual {
	if tp.VehiclePurchase != nil || tp.VehicleOperation != nil {
		return nil
	}
	return tp.Vehicles
}

// commonUnit is 元 when every stated amount was published in 元, else
// 万元; converted says that some 元 figures were turned into 万元.
func commonUnit(as []*model.Amount) (unit string, converted bool) {
	yuan, other := 0, 0
	for _, a := range as {
		switch {
		case a == nil:
		case a.Unit == model.UnitYuan && a.Erratum == nil:
			yuan++
		default:
			other++
		}
	}
	if yuan > 0 && other == 0 {
		return string(model.UnitYuan), false
	}
	return wan, yuan > 0
}

// inUnit is a in the chart's unit: its 万元 value, or in 元 the figure as
// printed (the four places the conversion added are taken back off).
func inUnit(a *model.Amount, unit string) *model.Decimal {
	if a == nil {
		return nil
	}
	if unit == string(model.UnitYuan) {
		return &model.Decimal{Units: a.Value.Units * 10000, Places: max(a.Value.Places-4, 0)}
	}
	v := a.Value
	return &v
}
