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
		table.Rows = append(table.Rows, []string{p.name, p.a.Value.String(), share})
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
	return &spec{id: id, title: title, summary: summary, table: table, height: b.height(), build: b.build(summary)}
}
