package charts

import (
	"slices"
	"strconv"
	"strings"

	"disclose/internal/model"
)

// computedNote explains the mark a figure the site added up carries, in
// the charts as in the tables.
const computedNote = "* 为本站根据分项加总"

// star is the mark of a figure the site added up itself.
func star(computed bool) string {
	if computed {
		return "*"
	}
	return ""
}

// withNote ends a summary with the explanation of the * mark when a figure
// of the chart carries it.
func withNote(summary string, marked bool) string {
	if !marked {
		return summary
	}
	return strings.TrimSuffix(summary, "。") + "；" + computedNote + "。"
}

// spendingChart leads a report's charts: every first-level spending
// category, basic and project alike, as horizontal bars sorted largest
// first, each with its amount and its share of them all. The treemap after
// it lets a reader drill down; this one answers “where did the money go”
// at a glance, with every name whole.
func spendingChart(r *model.Report) *spec {
	if roots, _, broken := spendingTree(r); !broken || len(roots) < 1 {
		return nil // no treemap to lead
	}
	cats := r.Categories()
	if len(cats) < 2 {
		return nil
	}
	seen := map[string]int{}
	for _, c := range cats {
		seen[c.Name]++
	}
	type row struct {
		name string
		c    model.Category
	}
	var rows []row
	var total model.Decimal
	for _, c := range cats {
		name := c.Name
		if seen[name] > 1 {
			// The same name under both kinds: say which one each is.
			name += "（" + model.KindTitle(c.Kind) + "）"
		}
		rows = append(rows, row{name, c})
		total = total.Add(c.Amount)
	}
	slices.SortStableFunc(rows, func(a, b row) int { return b.c.Amount.Cmp(a.c.Amount) })
	const title = "支出去向（按类别从大到小）"
	s := barSeries{name: "金额", color: palette[0]}
	table := Table{Caption: title, Head: []string{"类别", "所属", "金额（万元）", "占各类别合计", "说明"}, Numeric: []bool{false, false, true, true, false}}
	var names, parts []string
	marked := false
	for _, rw := range rows {
		v := rw.c.Amount
		share := dash
		if p, ok := pct(v, total); ok {
			share = pctText(p)
		}
		mark := star(rw.c.Computed)
		marked = marked || rw.c.Computed
		names = append(names, rw.name)
		s.values = append(s.values, &v)
		// Two lines: the figure, then its share; beside the bar on a phone
		// in 大字 one line of both has no room.
		s.texts = append(s.texts, v.Grouped()+mark+"\n（"+share+"）")
		note := ""
		if rw.c.Computed {
			note = "各资金来源相加"
		}
		table.Rows = append(table.Rows, []string{rw.name, model.KindTitle(rw.c.Kind), v.Grouped(), share, note})
		parts = append(parts, rw.name+withUnit(v, wan)+mark+"（占"+share+"）")
	}
	dropEmptyColumn(&table, 4)
	shown := parts
	if len(parts) > summaryItems {
		shown = parts[:summaryItems]
	}
	summary := yearText(r.Year) + "支出共" + strconv.Itoa(len(rows)) + "个类别，合计" + withUnit(total, wan) + "，从大到小：" + strings.Join(shown, "，")
	if len(parts) > summaryItems {
		summary += "等，各项数值见数据表"
	}
	var scopes []string
	for _, k := range kinds {
		if sc := kindScope(r, k); sc != "" {
			scopes = append(scopes, model.KindTitle(k)+"为"+sc+"的数字")
		}
	}
	if len(scopes) > 0 {
		summary += "；" + strings.Join(scopes, "，")
	}
	summary = withNote(sentence("%s", summary), marked)
	b := bar{names: names, series: []barSeries{s}, unit: wan, horizontal: true, labels: true}
	return &spec{id: "spending", title: title, summary: summary, table: table, height: b.height(), build: b.build(summary), unit: b.unit}
}
