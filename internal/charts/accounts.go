package charts

import (
	"strings"

	"disclose/internal/model"
)

// accountsCharts draw a 决算's or 预算's structure: where the income came
// from, what the spending went to, and the 功能分类 classes. Each is a
// sorted horizontal bar of one tree's first level, so that labels are
// never cut and the largest part leads.
func accountsCharts(r *model.Report) []*spec {
	a := r.Accounts
	if a == nil {
		return nil
	}
	var out []*spec
	for _, t := range []struct {
		id, title string
		n         *model.Node
	}{
		{"accounts-income", "收入构成", incomeParts(a.Income)},
		{"accounts-expenditure", "支出构成", incomeParts(a.Expenditure)},
		{"accounts-functional", "一般公共预算财政拨款支出（按功能分类）", a.Functional},
		{"accounts-economic", "一般公共预算财政拨款基本支出（按经济分类）", a.Economic},
	} {
		if s := partsChart(r, t.id, t.title, t.n); s != nil {
			out = append(out, s)
		}
	}
	if s := budgetVsFinal(r); s != nil {
		out = append(out, s)
	}
	return out
}

// incomeParts is the node whose items are the year's income (or
// spending) types: 本年收入合计 under 收入总计 when the document gives it.
func incomeParts(n *model.Node) *model.Node {
	if n == nil {
		return nil
	}
	for _, k := range n.Items {
		if strings.HasPrefix(k.Name, "本年") && len(k.Items) > 0 {
			return k
		}
	}
	return n
}

// partsChart is a bar of n's items with their amounts, largest first;
// nil when fewer than two items carry a figure above zero.
func partsChart(r *model.Report, id, title string, n *model.Node) *spec {
	if n == nil {
		return nil
	}
	type part struct {
		name string
		a    *model.Amount
	}
	var parts []part
	converted := false
	for _, k := range n.Items {
		if k.Amount == nil || k.Amount.Value.Units <= 0 {
			continue
		}
		name := k.Name
		if k.Code != "" {
			name = k.Code + " " + name
		}
		parts = append(parts, part{name, k.Amount})
		converted = converted || (k.Amount.Unit != "" && k.Amount.Unit != model.UnitWan)
	}
	if len(parts) < 2 {
		return nil
	}
	sortParts := func(i, j int) bool { return parts[i].a.Value.Cmp(parts[j].a.Value) > 0 }
	for i := 1; i < len(parts); i++ {
		for j := i; j > 0 && sortParts(j, j-1); j-- {
			parts[j], parts[j-1] = parts[j-1], parts[j]
		}
	}
	ms := []measure[part]{{name: "金额", color: colorSpent, get: func(p part) *model.Decimal { return amountOf(p.a) }}}
	series, _ := seriesOf(parts, ms)
	var names []string
	table := Table{Caption: title, Head: []string{"项目", "金额（万元）", "占比"}, Numeric: []bool{false, true, true}}
	var total model.Decimal
	for _, p := range parts {
		total = total.Add(p.a.Value)
	}
	var said []string
	for _, p := range parts {
		names = append(names, p.name)
		share := ""
		if s, ok := pct(p.a.Value, total); ok {
			share = pctText(s)
		}
		table.Rows = append(table.Rows, []string{p.name, p.a.Value.Grouped(), share})
		said = append(said, p.name+withUnit(p.a.Value, wan)+"（占"+share+"）")
	}
	b := bar{names: names, series: series, unit: wan, horizontal: true, labels: true}
	summary := yearText(r.Year) + title + "：" + strings.Join(said, "，")
	if converted {
		summary += "；原文以元为单位的金额在图中换算为万元"
	}
	if n.Partial {
		summary += "；原文只列出了部分细分"
	}
	summary = sentence("%s", summary)
	return &spec{id: id, title: title, summary: summary, table: table, height: b.height(), build: b.build(summary), unit: b.unit}
}

// threePublicYears draws a department's 三公 spending over the years from
// every document that states it: the report's own figure and the prior
// year it quotes, and the department's other documents of earlier years
// (a 三公 statement before a 决算 before a self-evaluation). Budgets are
// not spending and are left out. Nil for fewer than two years.
func threePublicYears(r *model.Report) *spec {
	if r.ThreePublic == nil || r.ThreePublic.Total == nil || r.ThreePublic.Total.Actual == nil || r.DocKind() == model.KindBudget {
		return nil
	}
	type point struct {
		year   int
		a      *model.Amount
		source string
	}
	byYear := map[int]point{}
	rank := func(k model.DocKind) int {
		switch k {
		case model.KindThreePublic:
			return 0
		case model.KindFinalAccounts:
			return 1
		}
		return 2
	}
	best := map[int]int{}
	put := func(y int, a *model.Amount, source string, rk int) {
		if a == nil {
			return
		}
		if old, ok := best[y]; ok && old <= rk {
			return
		}
		best[y] = rk
		byYear[y] = point{y, a, source}
	}
	if d := r.Department; d != nil {
		for _, o := range d.Reports {
			k := o.DocKind()
			if o.Year > r.Year || k == model.KindBudget || k == model.KindProjectEval || o.ThreePublic == nil || o.ThreePublic.Total == nil {
				continue
			}
			rk := rank(k)
			if o == r {
				rk = -1 // the report's own figure comes first
			}
			put(o.Year, o.ThreePublic.Total.Actual, k.DocTitle(), rk)
		}
	}
	put(r.Year, r.ThreePublic.Total.Actual, r.DocKind().DocTitle(), -1)
	put(r.Year-1, r.ThreePublic.Total.Prior, "本文件所述上年数", 3)
	if len(byYear) < 2 {
		return nil
	}
	var pts []point
	for _, p := range byYear {
		pts = append(pts, p)
	}
	for i := 1; i < len(pts); i++ {
		for j := i; j > 0 && pts[j].year < pts[j-1].year; j-- {
			pts[j], pts[j-1] = pts[j-1], pts[j]
		}
	}
	var amounts []*model.Amount
	for _, p := range pts {
		amounts = append(amounts, p.a)
	}
	unit, converted := commonUnit(amounts)
	ms := []measure[point]{{name: "实际支出", color: colorSpent, get: func(p point) *model.Decimal { return inUnit(p.a, unit) }}}
	series, _ := seriesOf(pts, ms)
	const title = "“三公”经费历年支出"
	table := Table{Caption: title, Head: []string{"年度", "实际支出（" + unit + "）", "出处"}, Numeric: []bool{false, true, false}}
	var names, said []string
	for _, p := range pts {
		v := inUnit(p.a, unit)
		names = append(names, yearText(p.year))
		table.Rows = append(table.Rows, []string{yearText(p.year), v.Grouped(), p.source})
		said = append(said, yearText(p.year)+withUnit(*v, unit))
	}
	summary := "“三公”经费实际支出：" + strings.Join(said, "，")
	if converted {
		summary += "（原文以元为单位的金额换算为万元）"
	}
	summary = sentence("%s", summary)
	b := bar{names: names, series: series, unit: unit, labels: true}
	return &spec{id: "three-public-years", title: title, summary: summary, table: table, height: b.height(), build: b.build(summary), unit: b.unit}
}

// budgetVsFinal sets a 决算's 功能分类 classes beside the same year's 部门
// 预算 of the department, when content holds both: what was planned and
// what was spent, class by class (matched by code, else by name).
func budgetVsFinal(r *model.Report) *spec {
	if r.DocKind() != model.KindFinalAccounts || r.Accounts == nil || r.Accounts.Functional == nil || r.Department == nil {
		return nil
	}
	var plan *model.Node
	for _, o := range r.Department.Reports {
		if o.Year == r.Year && o.DocKind() == model.KindBudget && o.Accounts != nil && o.Accounts.Functional != nil {
			plan = o.Accounts.Functional
			break
		}
	}
	if plan == nil {
		return nil
	}
	type row struct {
		name           string
		budget, actual *model.Amount
	}
	var rows []row
	var amounts []*model.Amount
	for _, k := range r.Accounts.Functional.Items {
		rw := row{name: k.Name, actual: k.Amount}
		if k.Code != "" {
			rw.name = k.Code + " " + k.Name
		}
		for _, p := range plan.Items {
			if (k.Code != "" && p.Code == k.Code) || (k.Code == "" && p.Name == k.Name) {
				rw.budget = p.Amount
			}
		}
		rows = append(rows, rw)
		amounts = append(amounts, rw.budget, rw.actual)
	}
	unit, converted := commonUnit(amounts)
	ms := []measure[row]{
		{name: "年初预算（部门预算）", color: colorBudget, get: func(x row) *model.Decimal { return inUnit(x.budget, unit) }},
		{name: "决算", color: colorSpent, get: func(x row) *model.Decimal { return inUnit(x.actual, unit) }},
	}
	series, used := seriesOf(rows, ms)
	if len(used) < 2 {
		return nil
	}
	const title = "部门预算与决算对比（按功能分类）"
	table := Table{Caption: title, Head: []string{"科目", "部门预算（" + unit + "）", "决算（" + unit + "）"}, Numeric: []bool{false, true, true}}
	var names, said []string
	for _, x := range rows {
		names = append(names, x.name)
		table.Rows = append(table.Rows, []string{x.name, cell(inUnit(x.budget, unit)), cell(inUnit(x.actual, unit))})
		if b, a := inUnit(x.budget, unit), inUnit(x.actual, unit); b != nil && a != nil {
			said = append(said, x.name+"预算"+withUnit(*b, unit)+"、决算"+withUnit(*a, unit))
		}
	}
	summary := yearText(r.Year) + "部门预算与决算：" + strings.Join(said, "；")
	if converted {
		summary += "（原文以元为单位的金额换算为万元）"
	}
	summary = sentence("%s", summary)
	b := bar{names: names, series: series, unit: unit, horizontal: true, labels: true}
	return &spec{id: "budget-vs-final", title: title, summary: summary, table: table, height: b.height(), build: b.build(summary), unit: b.unit}
}
