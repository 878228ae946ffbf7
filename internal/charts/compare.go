package charts

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"disclose/internal/model"
)

// ForYear compares the departments of one year side by side, one bar (or
// group of bars) per department, in the order given. Reports of other
// years are ignored; fewer than two departments give no charts.
//
//	compare-totals        budget and expenditure
//	compare-shares        basic and project spending as shares of their sum (100% stacked)
//	compare-rate          execution rate, expenditure ÷ budget
//	compare-three-public  “三公” budget and actual
//	compare-score         self-evaluation score
func ForYear(year int, rs []*model.Report) []Chart { return ForYearRows(year, rowsOf(rs)) }

// ForYearRows is ForYear over rows (RowOf).
func ForYearRows(year int, rows []*Row) []Chart {
	var reps []*Row
	var labels []string
	for _, r := range rows {
		if r != nil && r.Year == year {
			reps = append(reps, r)
			labels = append(labels, r.Dept)
		}
	}
	if len(reps) < 2 {
		return nil
	}
	p := perReport{reps: reps, labels: labels, horizontal: true, head: "部门", lead: yearText(year) + "各部门", id: "compare", title: "各部门", like: true}
	return sourced(p.charts(true), yearText(year)+"，"+strconv.Itoa(len(reps))+"个部门", "各部门公开的"+yearText(year)+model.KindSelfEval.DocTitle())
}

// ForDepartment shows a department's reports over the years, oldest first;
// nil when it has fewer than two.
//
//	history-totals         budget and expenditure
//	history-basic-project  basic and project spending (stacked)
//	history-rate           execution rate, expenditure ÷ budget
//	history-three-public   “三公” budget and actual
//	history-score          self-evaluation score
func ForDepartment(d *model.Department) []Chart {
	if d == nil {
		return nil
	}
	var reps []*Row
	for _, r := range d.Reports {
		// A history compares like with like: the self-evaluation reports,
		// one a year.
		if r != nil && r.DocKind() == model.KindSelfEval {
			reps = append(reps, RowOf(r))
		}
	}
	if len(reps) < 2 {
		return nil
	}
	slices.SortStableFunc(reps, func(a, b *Row) int { return cmp.Compare(a.Year, b.Year) })
	var labels []string
	for _, r := range reps {
		labels = append(labels, yearText(r.Year))
	}
	name := d.ShortName
	if name == "" {
		name = d.Name
	}
	p := perReport{reps: reps, labels: labels, head: "年度", lead: name + "历年", id: "history", title: "历年"}
	years := yearText(reps[0].Year) + "至" + yearText(reps[len(reps)-1].Year)
	full := d.Name
	if full == "" {
		full = name
	}
	return sourced(p.charts(false), full+" "+years, full+years+"各年度"+model.KindSelfEval.DocTitle())
}

// perReport builds charts with one category per report: departments of a
// year, or years of a department.
type perReport struct {
	reps       []*Row
	labels     []string
	horizontal bool
	head       string // table column of the labels: 部门 or 年度
	lead       string // start of each summary: "2022年各部门", "云溪区民政局历年"
	id, title  string // prefixes: "compare"/"各部门", "history"/"历年"
	// like leaves out of the charts the figures that are not the
	// department's whole figure (model.Report.Scopes): departments set side
	// by side are compared like for like.
	like bool
}

func (p perReport) charts(compareShares bool) []Chart {
	hs := map[*Row]model.Overview{}
	scopes := map[*Row]model.OverviewScopes{}
	for _, r := range p.reps {
		hs[r], scopes[r] = r.Overview(), r.scopes()
	}
	// leftOut names a figure of another scope, as the comparison table's
	// column calls it; nil when the charts compare everything.
	leftOut := func(column string, get func(model.OverviewScopes) model.Scope, value func(*Row) string) func(*Row) string {
		if !p.like {
			return nil
		}
		return func(r *Row) string {
			sc := get(scopes[r])
			if sc.Like() {
				return ""
			}
			return column + value(r) + sc.Note
		}
	}
	amountIn := func(get func(model.Overview) *model.Figure) func(*Row) string {
		return func(r *Row) string {
			if f := get(hs[r]); f != nil {
				return "（" + f.Value.String() + "万元）"
			}
			return ""
		}
	}
	none := func(*Row) string { return "" }
	fig := func(get func(model.Overview) *model.Figure) (func(*Row) *model.Decimal, func(*Row) bool) {
		return func(r *Row) *model.Decimal { return figureValue(get(hs[r])) },
			func(r *Row) bool { f := get(hs[r]); return f != nil && f.Computed }
	}
	budget, budgetSum := fig(func(o model.Overview) *model.Figure { return o.Budget })
	spent, spentSum := fig(func(o model.Overview) *model.Figure { return o.Expenditure })
	basic, basicSum := fig(func(o model.Overview) *model.Figure { return o.Basic })
	project, projectSum := fig(func(o model.Overview) *model.Figure { return o.Project })

	var specs []*spec
	specs = append(specs, p.spec("totals", "预算与支出", wan, nil, []measure[*Row]{
		{name: "预算", color: colorBudget, get: budget, computed: budgetSum,
			leftOut: leftOut("全年预算", func(s model.OverviewScopes) model.Scope { return s.Budget }, amountIn(func(o model.Overview) *model.Figure { return o.Budget }))},
		{name: "支出", color: colorSpent, get: spent, computed: spentSum,
			leftOut: leftOut("支出合计", func(s model.OverviewScopes) model.Scope { return s.Expenditure }, amountIn(func(o model.Overview) *model.Figure { return o.Expenditure }))},
	}))
	if compareShares {
		share := func(basicSide bool) func(*Row) *model.Decimal {
			return func(r *Row) *model.Decimal {
				b, pr, ok := shares(hs[r])
				if !ok {
					return nil
				}
				if basicSide {
					return &b
				}
				return &pr
			}
		}
		sharesOut := leftOut("基本支出占比和项目支出占比", func(s model.OverviewScopes) model.Scope { return s.Shares }, none)
		specs = append(specs, p.spec("shares", "基本支出与项目支出占比", "%", func(b *bar) {
			b.stack, b.max = true, "100"
			for i := range b.series {
				b.series[i].hide = narrow(b.series[i].values)
			}
		}, []measure[*Row]{
			{name: "基本支出", color: palette[0], get: share(true), computed: basicSum, leftOut: sharesOut},
			{name: "项目支出", color: palette[1], get: share(false), computed: projectSum, leftOut: sharesOut},
		}))
	} else {
		specs = append(specs, p.spec("basic-project", "基本支出与项目支出", wan, func(b *bar) { b.stack = true }, []measure[*Row]{
			{name: "基本支出", color: palette[0], get: basic, computed: basicSum},
			{name: "项目支出", color: palette[1], get: project, computed: projectSum},
		}))
	}
	specs = append(specs,
		p.spec("rate", "预算执行率", "%", nil, []measure[*Row]{{
			name: "执行率（支出÷预算）", color: colorBudget,
			get: func(r *Row) *model.Decimal {
				v, ok := hs[r].ExecutionRate()
				if !ok {
					return nil
				}
				return &v
			},
			computed: func(r *Row) bool { return budgetSum(r) || spentSum(r) },
			note:     "按各资金来源相加的支出和预算计算",
			leftOut:  leftOut("计算的预算执行率", func(s model.OverviewScopes) model.Scope { return s.Rate }, none),
		}}),
		p.spec("three-public", "“三公”经费", wan, nil, []measure[*Row]{
			{name: "预算", color: colorBudget, get: func(r *Row) *model.Decimal { return r.ThreeBudget }},
			{name: "实际支出", color: colorSpent, get: func(r *Row) *model.Decimal { return r.ThreeActual }},
		}),
		p.spec("score", "自评得分", "分", nil, []measure[*Row]{{
			name: "自评得分", color: colorBudget,
			get: func(r *Row) *model.Decimal { return hs[r].Score },
		}}),
	)
	var out []Chart
	for _, s := range specs {
		if s != nil {
			out = append(out, s.chart())
		}
	}
	return out
}

// summaryItems is how many bars a chart's one-sentence summary names.
const summaryItems = 10

// narrow hides the label of a stacked share too thin to hold it.
func narrow(vs []*model.Decimal) []bool {
	limit := model.MustDecimal("12")
	out := make([]bool, len(vs))
	for i, v := range vs {
		out[i] = v != nil && v.Cmp(limit) < 0
	}
	return out
}

// spec is one per-report chart: the reports stating at least one of the
// measures, when there are two or more of them.
func (p perReport) spec(id, what, unit string, adjust func(*bar), ms []measure[*Row]) *spec {
	return p.make(p.id+"-"+id, p.title+what, p.lead+what, unit, adjust, ms)
}

// make is spec with the chart's ID, title and the start of its summary
// given in full.
func (p perReport) make(id, title, lead, unit string, adjust func(*bar), ms []measure[*Row]) *spec {
	// A figure of another scope is not drawn, but its department still
	// counts towards the two a comparison needs: the chart then shows the
	// others and says what it left out.
	stating := 0
	var left []string
	for i, r := range p.reps {
		stated := false
		for _, m := range ms {
			if m.get(r) == nil {
				continue
			}
			stated = true
			if m.leftOut == nil {
				continue
			}
			if why := m.leftOut(r); why != "" && !slices.Contains(left, p.labels[i]+"的"+why) {
				left = append(left, p.labels[i]+"的"+why)
			}
		}
		if stated {
			stating++
		}
	}
	ms = slices.Clone(ms)
	for i, m := range ms {
		if m.leftOut != nil {
			get, out := m.get, m.leftOut
			ms[i].get = func(r *Row) *model.Decimal {
				if out(r) != "" {
					return nil
				}
				return get(r)
			}
		}
	}
	var reps []*Row
	var labels []string
	for i, r := range p.reps {
		for _, m := range ms {
			if m.get(r) != nil {
				reps = append(reps, r)
				labels = append(labels, p.labels[i])
				break
			}
		}
	}
	if stating < 2 || len(reps) == 0 {
		return nil
	}
	series, used := seriesOf(reps, ms)
	marked := false
	for i, m := range used {
		for _, r := range reps {
			c := m.computed != nil && m.computed(r) && m.get(r) != nil
			series[i].marked = append(series[i].marked, c)
			marked = marked || c
		}
	}
	b := bar{names: labels, series: series, unit: unit, horizontal: p.horizontal}
	// Every bar carries its figure: beside horizontal bars, above vertical
	// ones (upright when two share a year).
	b.labels = true
	if adjust != nil {
		adjust(&b)
	}
	var upright patch
	if !b.horizontal && !b.stack && len(series) > 1 {
		b.upright, upright = true, uprightLabels
	}
	table := Table{Caption: title, Head: []string{p.head}, Numeric: []bool{false}}
	for _, m := range used {
		table.Head = append(table.Head, m.name+unitHead(unit))
		table.Numeric = append(table.Numeric, true)
	}
	table.Head = append(table.Head, "说明")
	table.Numeric = append(table.Numeric, false)
	var parts []string
	for i, r := range reps {
		row := []string{labels[i]}
		var said, notes []string
		for _, m := range used {
			v := m.get(r)
			if v == nil {
				row = append(row, dash)
				continue
			}
			c := m.computed != nil && m.computed(r)
			row = append(row, valueText(*v, unit))
			s := m.name + withUnit(*v, unit) + star(c)
			if len(used) == 1 {
				s = withUnit(*v, unit) + star(c)
			}
			if c {
				note := cmp.Or(m.note, "各资金来源相加")
				s += "（" + note + "）"
				notes = append(notes, m.name+"："+note)
			}
			said = append(said, s)
		}
		row = append(row, strings.Join(notes, "；"))
		table.Rows = append(table.Rows, row)
		parts = append(parts, labels[i]+strings.Join(said, "、"))
	}
	dropEmptyColumn(&table, len(table.Head)-1)
	summary := sentence("%s：%s", lead, list(parts))
	if len(parts) > summaryItems {
		// A sentence naming a province's 150 departments helps no one,
		// least of all someone listening to it; the table has them all.
		summary = sentence("%s（共%d个%s）：%s等，各项数值见数据表", lead, len(parts), p.head, list(parts[:summaryItems]))
	}
	if len(left) > 0 {
		// One sentence still, so that it reads as the chart's description.
		summary = strings.TrimSuffix(summary, "。") + "；" + list(left) + "，口径与其他部门不同，未画入图中。"
	}
	summary = withNote(summary, marked)
	return &spec{id: id, title: title, summary: summary, table: table, height: b.height(), build: b.build(summary), unit: b.unit, patch: upright}
}

func unitHead(unit string) string {
	switch unit {
	case "%":
		return ""
	case wan:
		return "（万元）"
	}
	return "（" + unit + "）"
}

func valueText(v model.Decimal, unit string) string {
	if unit == "%" {
		return pctText(v)
	}
	return v.Grouped()
}
