package site

import (
	"fmt"
	"strconv"
	"strings"

	"disclose/internal/model"
)

// This file shows change over time: a figure against the same figure a
// year earlier, either as the report itself states it (上年数, 比上年增减,
// 增减率) or, where the report does not, as the site computes it from the
// report's stated prior-year figure or from the department's previous
// report of the same kind. Computed changes are exact (decimal arithmetic
// on the published figures) and carry the site's * mark.

// notComparable is what a change says when the two figures do not mean the
// same thing: a budget against spending, one fund against all funds.
const notComparable = "口径不同，不作比较"

// yearChange is now − prior and that change as a percentage of prior,
// rounded half-up to two places; rateOK is false when prior is zero (a rate
// against nothing means nothing). Both figures are in 万元, so a figure
// published in 元 compares exactly with one published in 万元.
func yearChange(now, prior model.Decimal) (diff, rate model.Decimal, rateOK bool) {
	diff = now.Sub(prior)
	if prior.IsZero() {
		return diff, model.Decimal{}, false
	}
	rate, rateOK = model.Ratio(diff, prior.Abs(), 2)
	return diff, rate, rateOK
}

// signed shows a change with its sign and thousands separators: "+75.11",
// "-1,234.5", "0.00". The digits are those of the exact difference.
func signed(d model.Decimal) string {
	if d.Units > 0 {
		return "+" + d.Grouped()
	}
	return d.Grouped()
}

// change is a figure's change against the previous year as a table cell or
// a card shows it.
type change struct {
	Amount, Rate string // "+75.11", "+63.49%"; Rate "—" when the prior year is zero
	Unit         string // of a computed Amount: 万元, or 元 when both figures were published in 元; "" when the table's caption says it
	// AmountComputed and RateComputed say the site computed the figure
	// rather than the report stating it.
	AmountComputed, RateComputed bool
	// Basis says how a computed figure was made, for the * mark's title
	// and the cards: "本站按 193.42 − 118.31 计算".
	Basis string
	// Since names what the figure is compared with: "上年" or "2021年".
	Since string
	// NotComparable is set, and the figures empty, when the two years'
	// figures are of a different scope.
	NotComparable string
}

// computedChange compares two published amounts of the same meaning. When
// both were published in 元 the change is shown in 元, from the published
// literals; otherwise in 万元, where a 元 figure converts exactly.
func computedChange(now, prior *model.Amount, since string) *change {
	if now == nil || prior == nil {
		return nil
	}
	n, p, unit := now.Value, prior.Value, ""
	if now.Erratum == nil && prior.Erratum == nil && now.Unit == model.UnitYuan && prior.Unit == model.UnitYuan {
		ny, err1 := model.ParseDecimal(strings.TrimSuffix(strings.TrimSpace(now.Published), "元"))
		py, err2 := model.ParseDecimal(strings.TrimSuffix(strings.TrimSpace(prior.Published), "元"))
		if err1 == nil && err2 == nil {
			n, p, unit = ny, py, "元"
		}
	}
	if unit == "" {
		unit = "万元"
	}
	diff, rate, ok := yearChange(n, p)
	c := &change{Amount: signed(diff), Rate: "—", Unit: unit, AmountComputed: true, Since: since}
	if ok {
		c.Rate, c.RateComputed = signed(rate)+"%", true
	}
	c.Basis = "本站按本年 " + n.Grouped() + " " + unit + " 减" + since + " " + p.Grouped() + " " + unit + " 计算"
	if ok {
		c.Basis += "，增减率 = 增减额 ÷ " + since + "数"
	} else {
		c.Basis += "；" + since + "为零，不计增减率"
	}
	return c
}

// statedChange is the change a report states for a figure, with what the
// site computes where the report leaves a part out: the amount from the
// stated prior year, the rate from the stated prior year or, failing that,
// from this year less the stated change (as the checker does). A stated
// figure is never replaced: a contradiction is the checker's to report.
func statedChange(now, prior *model.Amount, amount, rate *model.Delta) *change {
	if now == nil || (prior == nil && amount == nil && rate == nil) {
		return nil
	}
	c := computedChange(now, prior, "上年")
	if c == nil && amount != nil && !amount.Percent {
		// The prior year is this year less the stated change.
		base := model.Amount{Value: now.Value.Sub(amount.Value)}
		c = computedChange(now, &base, "上年")
		if c != nil {
			c.Basis = "本站按增减额 ÷（本年数 − 增减额）计算"
		}
	}
	if c == nil {
		c = &change{Amount: "—", Rate: "—", Since: "上年"}
	}
	if amount != nil {
		c.Amount, c.AmountComputed, c.Unit = amount.Text, false, ""
	}
	if rate != nil {
		c.Rate, c.RateComputed = rate.Text, false
	}
	if !c.AmountComputed && !c.RateComputed {
		c.Basis = ""
	}
	return c
}

// Computed says whether any part of the change is the site's own.
func (c *change) Computed() bool { return c != nil && (c.AmountComputed || c.RateComputed) }

// previousReport is the department's closest earlier report of the same
// kind (and, for a project form, the same project file), or nil.
func previousReport(r *model.Report) *model.Report {
	var prev *model.Report
	for _, o := range r.Department.Reports {
		if o.Year < r.Year && o.DocKind() == r.DocKind() && o.ID == r.ID && (prev == nil || o.Year > prev.Year) {
			prev = o
		}
	}
	return prev
}

// sinceText names the year compared with: 上年 for the year before, else
// the year itself.
func sinceText(now, prev int) string {
	if prev == now-1 {
		return "上年"
	}
	return strconv.Itoa(prev) + "年"
}

// headline is one of the overview's department-wide figures, with its
// scope: which funds it covers. Figures of different scope are not
// compared.
type headline struct {
	label, term string
	get         func(*model.Fund) *model.Amount
	fig         func(model.Overview) *model.Figure
}

var headlines = []headline{
	{"全年预算", "budget", func(f *model.Fund) *model.Amount { return f.Budget }, func(o model.Overview) *model.Figure { return o.Budget }},
	{"支出合计", "expenditure", func(f *model.Fund) *model.Amount { return f.Expenditure }, func(o model.Overview) *model.Figure { return o.Expenditure }},
	{"基本支出", "basic", func(f *model.Fund) *model.Amount { return nodeAmount(f.Basic) }, func(o model.Overview) *model.Figure { return o.Basic }},
	{"项目支出", "project", func(f *model.Fund) *model.Amount { return nodeAmount(f.Project) }, func(o model.Overview) *model.Figure { return o.Project }},
}

func nodeAmount(n *model.Node) *model.Amount {
	if n == nil {
		return nil
	}
	return n.Amount
}

// scope is what a headline figure covers, as Overview picks it: the
// department's totals, or the funds whose figures it is (or sums).
func (h headline) scope(r *model.Report) string {
	if r.Totals != nil && h.get(r.Totals) != nil {
		return "部门合计"
	}
	var names []string
	for _, f := range r.Funds {
		if h.get(f) != nil {
			names = append(names, f.FundName())
		}
	}
	return strings.Join(names, "+")
}

// statedNode is the node a headline figure was taken from, when the report
// states its prior year or change there.
func (h headline) statedNode(r *model.Report, from *model.Amount) *model.Node {
	if from == nil {
		return nil
	}
	funds := r.Funds
	if r.Totals != nil {
		funds = append([]*model.Fund{r.Totals}, funds...)
	}
	for _, f := range funds {
		for _, n := range []*model.Node{f.Basic, f.Project} {
			if n != nil && n.Amount == from && (n.Prior != nil || n.Change != nil || n.ChangeRate != nil) {
				return n
			}
		}
	}
	return nil
}

// headlineChange is a headline figure's change: as the report states it,
// else against the previous report of the same kind when the figure there
// has the same scope, else nil.
func headlineChange(r, prev *model.Report, h headline) *change {
	now := h.fig(r.Overview())
	if now == nil {
		return nil
	}
	if n := h.statedNode(r, now.From); n != nil {
		return statedChange(n.Amount, n.Prior, n.Change, n.ChangeRate)
	}
	if prev == nil {
		return nil
	}
	c, _ := reportsChange(r, prev, h)
	return c
}

// reportsChange compares a headline figure of two reports of the same kind
// and returns the earlier report's figure too; nil when either lacks it.
// Figures of different scope (one fund against the department's totals,
// or sums over different funds) are not compared.
func reportsChange(r, prev *model.Report, h headline) (*change, *model.Figure) {
	now, before := h.fig(r.Overview()), h.fig(prev.Overview())
	if now == nil || before == nil {
		return nil, nil
	}
	since := sinceText(r.Year, prev.Year)
	if h.scope(r) != h.scope(prev) {
		return &change{Since: since, NotComparable: notComparable + "（" + since + "为" + h.scope(prev) + "，本年为" + h.scope(r) + "）"}, before
	}
	a, b := figureAmount(now), figureAmount(before)
	c := computedChange(&a, &b, since)
	c.Basis += "（" + since + "数取自" + strconv.Itoa(prev.Year) + "年度报告）"
	return c, before
}

// changeTable is the department page's comparison of one report with the
// department's previous report of the same kind.
type changeTable struct {
	Caption  string
	Year     int
	PrevYear int
	Href     string // the later report
	PrevHref string
	Rows     []changeRow
}

type changeRow struct {
	Name       string
	Now, Prior *figure
	Delta      *change
}

// departmentChanges compares each of d's reports with its previous report
// of the same kind, newest first.
func departmentChanges(d *model.Department, root string) []changeTable {
	var out []changeTable
	for i := len(d.Reports) - 1; i >= 0; i-- {
		r := d.Reports[i]
		prev := previousReport(r)
		if prev == nil {
			continue
		}
		t := changeTable{
			Caption: fmt.Sprintf("%s：%d年度比%d年度", r.DocKind().DocTitle(), r.Year, prev.Year),
			Year:    r.Year, PrevYear: prev.Year, Href: root + reportPath(r), PrevHref: root + reportPath(prev),
		}
		nowHref, prevHref := t.Href, t.PrevHref
		o := r.Overview()
		for _, h := range headlines {
			c, before := reportsChange(r, prev, h)
			if c == nil {
				continue
			}
			if c.Unit == "万元" {
				c.Unit = ""
			}
			t.Rows = append(t.Rows, changeRow{Name: h.label, Now: onReport(overviewFig(h.fig(o)), nowHref), Prior: onReport(overviewFig(before), prevHref), Delta: c})
		}
		if tp, pp := r.ThreePublic, prev.ThreePublic; tp != nil && pp != nil && tp.Total != nil && pp.Total != nil && tp.Total.Actual != nil && pp.Total.Actual != nil {
			c := computedChange(tp.Total.Actual, pp.Total.Actual, sinceText(r.Year, prev.Year))
			if c.Unit == "万元" {
				c.Unit = ""
			}
			t.Rows = append(t.Rows, changeRow{Name: "“三公”经费支出", Now: onReport(amountFig(tp.Total.Actual), nowHref), Prior: onReport(amountFig(pp.Total.Actual), prevHref), Delta: c})
		}
		if len(t.Rows) > 0 {
			out = append(out, t)
		}
	}
	return out
}

// figureAmount is a headline figure as an amount: the published one, or
// the site's sum in 万元.
func figureAmount(f *model.Figure) model.Amount {
	if f.From != nil {
		return *f.From
	}
	return model.Amount{Value: f.Value, Unit: model.UnitWan}
}

// threeItems are the 三公 items in table order with their names.
var threeItems = []struct {
	name string
	get  func(*model.ThreePublic) *model.BudgetActual
}{
	{"因公出国（境）费", func(t *model.ThreePublic) *model.BudgetActual { return t.Outbound }},
	{"公务用车购置费", func(t *model.ThreePublic) *model.BudgetActual { return t.VehiclePurchase }},
	{"公务用车运行维护费", func(t *model.ThreePublic) *model.BudgetActual { return t.VehicleOperation }},
	{"公务用车购置及运行维护费", func(t *model.ThreePublic) *model.BudgetActual { return t.Vehicles }},
	{"公务接待费", func(t *model.ThreePublic) *model.BudgetActual { return t.Reception }},
	{"合计", func(t *model.ThreePublic) *model.BudgetActual { return t.Total }},
}

// threeChange is a 三公 item's change in actual spending: as stated, else
// against the same item of the previous report.
func threeChange(ba *model.BudgetActual, prevTP *model.ThreePublic, get func(*model.ThreePublic) *model.BudgetActual, since string) (c *change, prior *model.Amount) {
	if ba == nil || ba.Actual == nil {
		return nil, nil
	}
	if ba.Prior != nil || ba.Change != nil || ba.ChangeRate != nil {
		return statedChange(ba.Actual, ba.Prior, ba.Change, ba.ChangeRate), nil
	}
	if prevTP == nil {
		return nil, nil
	}
	p := get(prevTP)
	if p == nil || p.Actual == nil {
		return nil, nil
	}
	return computedChange(ba.Actual, p.Actual, since), p.Actual
}

// treeChanges gives each row of a report's spending tables its change:
// as the report states it for the row, else against the row of the same
// name and place in the same table of the previous report, whose amount
// then shows as the prior year's, marked as taken from that report.
func treeChanges(tables, prevTables []treeTable, since, prevHref string) {
	prevRows := map[string]*model.Node{}
	for _, t := range prevTables {
		for i, key := range rowKeys(t) {
			prevRows[key] = t.Rows[i].node
		}
	}
	for ti := range tables {
		t := &tables[ti]
		keys := rowKeys(*t)
		for i := range t.Rows {
			r := &t.Rows[i]
			n := r.node
			if n == nil || n.Amount == nil {
				continue
			}
			if n.Prior != nil || n.Change != nil || n.ChangeRate != nil {
				r.Delta = statedChange(n.Amount, n.Prior, n.Change, n.ChangeRate)
			} else if p := prevRows[keys[i]]; p != nil && p.Amount != nil {
				r.Delta = computedChange(n.Amount, p.Amount, since)
				// An erratum mark on the previous report's figure leads
				// to that report's data-check notes.
				r.Prior = onReport(amountFig(p.Amount), prevHref)
				if r.Prior.Unit == t.Unit {
					r.Prior.Unit = ""
				}
				r.PriorTaken = true
				t.PriorTaken = since
				t.HasPrior = true
			}
			if r.Delta == nil {
				continue
			}
			if r.Delta.Unit == t.Unit {
				r.Delta.Unit = ""
			}
			t.HasChange = true
			t.Computed = t.Computed || r.Delta.Computed()
		}
	}
}

// rowKeys names each row of a table by its caption and the names of the
// rows from its top-level row down to it.
func rowKeys(t treeTable) []string {
	out := make([]string, len(t.Rows))
	var path []string
	for i, r := range t.Rows {
		path = append(path[:min(r.Depth, len(path))], r.Name)
		out[i] = t.Caption + "\x00" + strings.Join(path, "\x00")
	}
	return out
}

// changeNote is what a report page says once about the changes it shows.
type changeNote struct {
	Prev     *model.Report // the previous report compared with, if any
	PrevHref string
	Since    string
	Computed bool // some change on the page is the site's own
}

// reportChanges fills the changes of the report page's cards and tables:
// stated ones everywhere, computed ones where the report gives the prior
// year or the department has an earlier report of the same kind.
func reportChanges(v *reportView, r *model.Report, root string) *changeNote {
	prev := previousReport(r)
	note := &changeNote{Prev: prev}
	var prevTrees, prevAccounts []treeTable
	var prevTP *model.ThreePublic
	prevFunds := map[string]*model.Amount{}
	note.Since = "上年"
	if prev != nil {
		note.Since = sinceText(r.Year, prev.Year)
		prevTrees, prevAccounts, prevTP = treeTables(prev), accountTables(prev.Accounts), prev.ThreePublic
		for _, f := range fundRows(prev) {
			prevFunds[f.Name] = f.exp
		}
	}
	shown := false
	mark := func(c *change) {
		if c != nil {
			shown = true
			note.Computed = note.Computed || c.Computed()
		}
	}
	for i := range v.Cards {
		for _, h := range headlines {
			if v.Cards[i].Label == h.label {
				v.Cards[i].Change = headlineChange(r, prev, h)
				mark(v.Cards[i].Change)
			}
		}
	}
	for i := range v.Funds {
		f := &v.Funds[i]
		if p := prevFunds[f.Name]; p != nil && f.exp != nil {
			f.ExpChange = computedChange(f.exp, p, note.Since)
			f.ExpChange.Unit = ""
			mark(f.ExpChange)
		}
	}
	prevHref := ""
	if prev != nil {
		prevHref = root + reportPath(prev)
	}
	treeChanges(v.Trees, prevTrees, note.Since, prevHref)
	treeChanges(v.Accounts, prevAccounts, note.Since, prevHref)
	for _, ts := range [][]treeTable{v.Trees, v.Accounts} {
		for _, t := range ts {
			for _, row := range t.Rows {
				mark(row.Delta)
			}
		}
	}
	if tp := r.ThreePublic; tp != nil {
		for i := range v.Three {
			row := &v.Three[i]
			for _, it := range threeItems {
				if it.name != row.Name {
					continue
				}
				c, prior := threeChange(it.get(tp), prevTP, it.get, note.Since)
				if c != nil && c.Unit == "万元" {
					c.Unit = ""
				}
				row.Delta = c
				if prior != nil {
					row.Prior, row.PriorTaken = onReport(amountFig(prior), prevHref), true
				}
				mark(c)
			}
		}
	}
	if !shown {
		return nil
	}
	return note
}

// changePartView is one figure of a change for the change-part template.
type changePartView struct {
	Text, Unit, Basis string
	Computed          bool
}

func changePart(text, unit string, computed bool, basis string) changePartView {
	if !computed {
		unit = ""
	}
	return changePartView{Text: text, Unit: unit, Basis: basis, Computed: computed}
}
