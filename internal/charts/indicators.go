package charts

import (
	"fmt"
	"strings"

	"disclose/internal/model"
)

// verdict is whether an indicator's actual value met its target.
type verdict int

const (
	incomparable verdict = iota // qualitative, no target, other unit, or a bound that does not decide
	met
	unmet
)

// judge compares an indicator's actual value with its target, exactly, and
// only where the comparison is honest: both numeric, the same unit, and a
// target that says which way is good (≥, >, ≤, <, =). A target written
// without a comparator ("100%") is not judged: whether 98% meets it is not
// ours to decide. An actual that is itself a bound (">90%") meets a target
// it clears, but is never judged short, since the true value is unknown.
func judge(target, actual *model.Measure) verdict {
	if target == nil || actual == nil || target.Value == nil || actual.Value == nil {
		return incomparable
	}
	if unitKey(target.Unit) != unitKey(actual.Unit) {
		return incomparable
	}
	c := actual.Value.Cmp(*target.Value)
	ok := func(b bool) verdict {
		if b {
			return met
		}
		return unmet
	}
	switch actual.Op {
	case "", "=":
		switch target.Op {
		case "≥":
			return ok(c >= 0)
		case ">":
			return ok(c > 0)
		case "≤":
			return ok(c <= 0)
		case "<":
			return ok(c < 0)
		case "=":
			return ok(c == 0)
		}
	case "≥", ">":
		strict := actual.Op == ">"
		if (target.Op == "≥" && c >= 0) || (target.Op == ">" && (c > 0 || (c == 0 && strict))) {
			return met
		}
	case "≤", "<":
		strict := actual.Op == "<"
		if (target.Op == "≤" && c <= 0) || (target.Op == "<" && (c < 0 || (c == 0 && strict))) {
			return met
		}
	}
	return incomparable
}

func unitKey(u string) string {
	return strings.ReplaceAll(strings.TrimSpace(u), "％", "%")
}

// leaves are the indicators that carry values: those without sub-indicators.
func leaves(in *model.Indicator) []*model.Indicator {
	if in == nil {
		return nil
	}
	if len(in.Items) == 0 {
		return []*model.Indicator{in}
	}
	var out []*model.Indicator
	for _, c := range in.Items {
		out = append(out, leaves(c)...)
	}
	return out
}

func indicatorResultsChart(r *model.Report) *spec {
	type tally struct {
		name   string
		counts [3]int // by verdict
	}
	var rows []tally
	var all [3]int
	for _, top := range r.Indicators {
		if top == nil {
			continue
		}
		t := tally{name: top.Name}
		for _, l := range leaves(top) {
			t.counts[judge(l.Target, l.Actual)]++
		}
		for i := range all {
			all[i] += t.counts[i]
		}
		rows = append(rows, t)
	}
	comparable := all[met] + all[unmet]
	if comparable == 0 {
		return nil
	}
	order := []struct {
		v     verdict
		name  string
		color string
	}{
		{met, "达到目标", colorIncome},
		{unmet, "未达到目标", colorSpent},
		{incomparable, "无法按数值比较", colorOther},
	}
	var series []barSeries
	nonzero := 0
	for _, o := range order {
		s := barSeries{name: o.name, color: o.color}
		for _, t := range rows {
			n := intDecimal(t.counts[o.v])
			s.values = append(s.values, &n)
			s.hide = append(s.hide, t.counts[o.v] == 0)
			if t.counts[o.v] > 0 {
				nonzero++
			}
		}
		series = append(series, s)
	}
	if nonzero < 2 {
		return nil // one bar: the summary says it all
	}
	const title = "绩效指标完成情况"
	table := Table{Caption: title, Head: []string{"一级指标"}, Numeric: []bool{false}}
	for _, o := range order {
		table.Head = append(table.Head, o.name+"（项）")
		table.Numeric = append(table.Numeric, true)
	}
	var names []string
	for _, t := range rows {
		names = append(names, t.name)
		row := []string{t.name}
		for _, o := range order {
			row = append(row, fmt.Sprint(t.counts[o.v]))
		}
		table.Rows = append(table.Rows, row)
	}
	total := comparable + all[incomparable]
	summary := fmt.Sprintf("%s共%d项末级绩效指标，其中%d项的目标值和实际完成值可按数值比较：达到目标%d项，未达到%d项",
		yearText(r.Year), total, comparable, all[met], all[unmet])
	if all[incomparable] > 0 {
		summary += fmt.Sprintf("；其余%d项为定性指标或缺少可比的目标值", all[incomparable])
	}
	summary = sentence("%s", summary)
	b := bar{names: names, series: series, unit: "项", horizontal: true, stack: true, labels: true}
	return &spec{id: "indicator-results", title: title, summary: summary, table: table, height: b.height(), build: b.build(summary), unit: b.unit}
}
