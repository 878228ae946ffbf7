// Package check reconciles the figures of loaded reports: totals against
// their parts, stated rates against computed ones, scores against weights.
// Published documents do contain such errors; the checker's job is to show
// them (as warnings) without changing any figure.
//
// The checks are pure functions of the model: Site, Config, Department,
// Report. check reads no file and keeps no state; internal/build pairs it
// with loading (build.Load, build.Cache), and the preview's incremental
// state lives there too.
//
// Layer 3 (see internal/arch): it imports model, diag, markdown and tables;
// never content (loading), nor anything that renders.
package check

import (
	"strconv"
	"strings"

	"disclose/internal/diag"
	"disclose/internal/model"
	"disclose/internal/tables"
)

// Site checks the site settings and every report of every department.
func Site(s *model.Site) []diag.Diagnostic {
	out := Config(&s.Config)
	for _, d := range s.Departments {
		out = append(out, Department(d)...)
	}
	diag.Sort(out)
	return out
}

// Department checks each of a department's reports, and the prior-year
// figures one report quotes against the department's previous report.
func Department(d *model.Department) []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, r := range d.Reports {
		out = append(out, Report(r)...)
	}
	return append(out, priorYears(d)...)
}

// Report checks one report.
func Report(r *model.Report) []diag.Diagnostic {
	c := &checker{report: r}
	c.kindFields(r)
	c.yuanReport(r)
	if r.Accounts != nil {
		c.accounts(r.Accounts)
	}
	if r.ProjectEval != nil {
		c.projectEval(r.ProjectEval)
	}
	c.unfilled(r)
	c.out = append(c.out, tables.Check(r)...)
	c.overviewScope(r)
	if r.Totals != nil {
		c.fund(r.Totals, "部门整体")
	}
	for _, f := range r.Funds {
		c.fund(f, fundLabel(f))
	}
	c.fundsVsTotals(r)
	if r.ThreePublic != nil {
		c.threePublic(r.ThreePublic)
		c.threeCounts(r.ThreePublic)
	}
	if r.Score != nil {
		c.score(r.Score)
	}
	for _, ind := range r.Indicators {
		c.indicator(ind, ind.Name)
	}
	for _, p := range r.Projects {
		c.project(p)
	}
	if r.Staff != nil {
		c.staff(r.Staff)
	}
	for _, e := range r.AllErrata() {
		c.add(diag.New(e.Pos, diag.ErratumApplied, e.Published, e.Corrected, e.Reason))
	}
	if r.ReportDate != nil && r.ReportDate.Year <= r.Year {
		c.add(diag.New(r.ReportDate.Pos, diag.ReportDateEarly, r.ReportDate.String(), strconv.Itoa(r.Year)+"年"))
	}
	c.markdownReport(r)
	return c.out
}

func fundLabel(f *model.Fund) string {
	if f.Label != "" {
		return f.Label
	}
	return string(f.Source)
}

type checker struct {
	report *model.Report
	out    []diag.Diagnostic
}

func (c *checker) add(d diag.Diagnostic) { c.out = append(c.out, d) }

// tolerance is how far a sum may stray from its total through rounding
// alone: each figure was rounded to the finest precision any of them was
// published at, so each contributes up to half a unit in that place.
func tolerance(figs ...model.Decimal) model.Decimal {
	places := 0
	for _, f := range figs {
		places = max(places, f.Places)
	}
	half := model.Decimal{Places: places}.HalfUnit()
	return model.Decimal{Units: half.Units * int64(len(figs)), Places: half.Places}
}

// agrees reports whether stated and the sum of parts match within rounding.
// A gap that rounding explains is still a difference a reader who adds up
// the published figures will notice, so it is noted (not warned about).
func (c *checker) agrees(pos model.Pos, label string, stated model.Decimal, parts []model.Decimal) bool {
	sum := model.Sum(parts...)
	gap := stated.Sub(sum)
	if gap.Abs().Cmp(tolerance(append([]model.Decimal{stated}, parts...)...)) > 0 {
		return false
	}
	if gap.Units != 0 {
		p := places(append(parts, stated)...)
		d := diag.New(pos, diag.Rounding, label, show(stated, p), show(sum, p), show(gap, p))
		d.Stated, d.Computed = show(stated, p), show(sum, p)
		c.add(d)
	}
	return true
}

func places(ds ...model.Decimal) int {
	p := 0
	for _, d := range ds {
		p = max(p, d.Places)
	}
	return p
}

// show prints a figure at the precision the comparison is made at.
func show(d model.Decimal, p int) string { return d.Format(p) }

func (c *checker) sumWarning(pos model.Pos, label string, stated model.Decimal, parts []*model.Amount, partNames []string) {
	vals := values(parts)
	if c.agrees(pos, label, stated, vals) {
		return
	}
	sum := model.Sum(vals...)
	// A figure written in 元 has four more places than its neighbours; show
	// the comparison at the precision of the 万元 figures.
	shown := []model.Decimal{stated}
	for _, a := range parts {
		if a.Unit != model.UnitYuan {
			shown = append(shown, a.Value)
		}
	}
	p := places(shown...)
	hintZh, hintEn := "", ""
	for i, a := range parts {
		if a.Unit == model.UnitYuan && a.Erratum == nil {
			hintZh = "注意：“" + partNames[i] + "”写的是“" + a.Published + "”（元），若原文单位有误应为万元，请按勘误格式记录。"
			hintEn = " Note: " + partNames[i] + " is written in 元; if that is a slip for 万元, record an erratum."
			break
		}
	}
	d := diag.New(pos, diag.SumMismatch, label, show(stated, p), show(sum, p), show(stated.Sub(sum), p), hintZh, hintEn)
	d.Stated, d.Computed = show(stated, p), show(sum, p)
	c.add(d)
}

func values(as []*model.Amount) []model.Decimal {
	out := make([]model.Decimal, len(as))
	for i, a := range as {
		out[i] = a.Value
	}
	return out
}

func (c *checker) fund(f *model.Fund, label string) {
	if f.InitialBudget != nil && f.Adjustment != nil && f.Budget != nil {
		c.split(diag.BudgetSplit, label, "全年预算", f.Budget, f.InitialBudget.Value, f.Adjustment.Value)
	}
	if f.Expenditure != nil && f.Basic != nil && f.Basic.Amount != nil && f.Project != nil && f.Project.Amount != nil {
		c.split(diag.FundSplit, label, "支出合计", f.Expenditure, f.Basic.Amount.Value, f.Project.Amount.Value)
	}
	if f.ExecutionRate != nil && f.Expenditure != nil {
		budget := f.Budget
		if budget == nil {
			budget = f.InitialBudget
		}
		if budget != nil {
			c.rate(f.ExecutionRate, f.Expenditure.Value, budget.Value, label)
		}
	}
	if f.Expenditure != nil {
		c.partExceeds(label, "基本支出", nodeAmount(f.Basic), "支出合计", f.Expenditure)
		c.partExceeds(label, "项目支出", nodeAmount(f.Project), "支出合计", f.Expenditure)
	}
	if f.Basic != nil {
		c.node(f.Basic, label+" › 基本支出")
	}
	if f.Project != nil {
		c.node(f.Project, label+" › 项目支出")
	}
	if pl := f.Plan; pl != nil {
		if pl.Total != nil && pl.Basic != nil && pl.Basic.Amount != nil && pl.Project != nil && pl.Project.Amount != nil {
			c.split(diag.PlanSplit, label, "预算批复总数", pl.Total, pl.Basic.Amount.Value, pl.Project.Amount.Value)
		}
		if pl.Basic != nil {
			c.node(pl.Basic, label+" › 预算批复 › 基本支出")
		}
		if pl.Project != nil {
			c.node(pl.Project, label+" › 预算批复 › 项目支出")
		}
	}
}

// split reports rule when total is not a + b within rounding. The rule's
// template takes label, a, b, a+b and the total, in that order; what names
// the total for the rounding note.
func (c *checker) split(rule diag.Rule, label, what string, total *model.Amount, a, b model.Decimal) {
	parts := []model.Decimal{a, b}
	if c.agrees(total.Pos, label+" › "+what, total.Value, parts) {
		return
	}
	p := places(total.Value, a, b)
	sum := model.Sum(parts...)
	d := diag.New(total.Pos, rule, label, show(a, p), show(b, p), show(sum, p), show(total.Value, p))
	d.Stated, d.Computed = show(total.Value, p), show(sum, p)
	c.add(d)
}

// rate compares a stated percentage with spent/budget. Both the amounts and
// the percentage were rounded when published, so the stated rate is wrong
// only if no values within those roundings give it.
func (c *checker) rate(stated *model.Percent, spent, budget model.Decimal, label string) {
	if budget.Units <= 0 {
		return
	}
	hs, hb := spent.HalfUnit(), budget.HalfUnit()
	lowBudget := budget.Sub(hb)
	if lowBudget.Units <= 0 {
		return
	}
	low, ok1 := model.Ratio(spent.Sub(hs), budget.Add(hb), model.Scale)
	high, ok2 := model.Ratio(spent.Add(hs), lowBudget, model.Scale)
	if !ok1 || !ok2 {
		return
	}
	hr := stated.Value.HalfUnit()
	if stated.Value.Add(hr).Cmp(low) >= 0 && stated.Value.Sub(hr).Cmp(high) <= 0 {
		return
	}
	p := max(stated.Value.Places, 2)
	computed, _ := model.Ratio(spent, budget, p)
	d := diag.New(stated.Pos, diag.RateMismatch, label, stated.Value.String(), spent.String(), budget.String(), computed.Format(p))
	d.Stated, d.Computed = stated.Value.String()+"%", computed.Format(p)+"%"
	c.add(d)
}

func nodeAmount(n *model.Node) *model.Amount {
	if n == nil {
		return nil
	}
	return n.Amount
}

func (c *checker) node(n *model.Node, label string) { c.nodeIn(n, nil, label) }

// nodeIn checks n, a part of parent (nil at the top of a tree).
func (c *checker) nodeIn(n, parent *model.Node, label string) {
	if n.Name != "" && !strings.HasSuffix(label, n.Name) {
		label += " › " + n.Name
	}
	c.stated(n, parent, label)
	// A full breakdown that adds up wrongly is a sum-mismatch, and 其中
	// items have their own rule; a partial list is checked part by part.
	if n.Amount != nil && n.Partial {
		for _, k := range n.Items {
			if k.Amount != nil && k.Amount.Value.Cmp(n.Amount.Value) > 0 {
				name := k.Name
				if name == "" {
					name = "下级项目"
				}
				c.partExceeds(label, name, k.Amount, "合计", n.Amount)
			}
		}
	}
	if len(n.Items) > 0 && !n.Partial {
		names := make([]string, len(n.Items))
		for i, it := range n.Items {
			names[i] = it.Name
		}
		if n.Amount != nil {
			if parts, ok := measure(n.Items, func(x *model.Node) *model.Amount { return x.Amount }); ok {
				c.sumWarning(n.Amount.Pos, label, n.Amount.Value, parts, names)
			}
		}
		if n.Budget != nil {
			if parts, ok := measure(n.Items, func(x *model.Node) *model.Amount { return x.Budget }); ok {
				c.sumWarning(n.Budget.Pos, label+"（预算数）", n.Budget.Value, parts, names)
			}
		}
	}
	if len(n.OfWhich) > 0 && n.Amount != nil {
		if parts, ok := measure(n.OfWhich, func(x *model.Node) *model.Amount { return x.Amount }); ok {
			vals := values(parts)
			sum := model.Sum(vals...)
			tol := tolerance(append(vals, n.Amount.Value)...)
			if sum.Sub(n.Amount.Value).Cmp(tol) > 0 {
				p := places(append(vals, n.Amount.Value)...)
				d := diag.New(n.Amount.Pos, diag.OfWhichExceeds, label, show(n.Amount.Value, p), show(sum, p))
				d.Stated, d.Computed = show(n.Amount.Value, p), show(sum, p)
				c.add(d)
			}
		}
	}
	if n.ExecutionRate != nil && n.Amount != nil && n.Budget != nil {
		c.rate(n.ExecutionRate, n.Amount.Value, n.Budget.Value, label)
	}
	for _, it := range n.Items {
		c.nodeIn(it, n, label)
	}
	for _, it := range n.OfWhich {
		c.nodeIn(it, n, label)
	}
}

// measure collects one amount of every node; ok is false if any lacks it,
// since a breakdown missing a part cannot be added up.
func measure(ns []*model.Node, get func(*model.Node) *model.Amount) ([]*model.Amount, bool) {
	out := make([]*model.Amount, 0, len(ns))
	for _, n := range ns {
		a := get(n)
		if a == nil {
			return nil, false
		}
		out = append(out, a)
	}
	return out, true
}

// fundsVsTotals compares the department totals with the sum over fund
// sources, when every source states the figure and none overlaps another
// (财政拨款 already contains the three budgets).
func (c *checker) fundsVsTotals(r *model.Report) {
	if r.Totals == nil || len(r.Funds) == 0 {
		return
	}
	hasFiscal, hasBudgets := false, false
	for _, f := range r.Funds {
		switch f.Source {
		case model.FundFiscal:
			hasFiscal = true
		case model.FundGeneral, model.FundGovernment, model.FundStateCapital:
			hasBudgets = true
		}
	}
	if hasFiscal && hasBudgets {
		return
	}
	measures := []struct {
		name string
		get  func(*model.Fund) *model.Amount
	}{
		{"预算", func(f *model.Fund) *model.Amount { return f.Budget }},
		{"收入", func(f *model.Fund) *model.Amount { return f.Income }},
		{"支出", func(f *model.Fund) *model.Amount { return f.Expenditure }},
	}
	for _, m := range measures {
		total := m.get(r.Totals)
		if total == nil {
			continue
		}
		var parts []model.Decimal
		for _, f := range r.Funds {
			a := m.get(f)
			if a == nil {
				parts = nil
				break
			}
			parts = append(parts, a.Value)
		}
		if parts == nil || c.agrees(total.Pos, "部门整体"+m.name, total.Value, parts) {
			continue
		}
		p := places(append(parts, total.Value)...)
		sum := model.Sum(parts...)
		d := diag.New(total.Pos, diag.FundsVsTotals, m.name, show(sum, p), show(total.Value, p))
		d.Stated, d.Computed = show(total.Value, p), show(sum, p)
		c.add(d)
	}
}

func (c *checker) threePublic(t *model.ThreePublic) {
	items := []*model.BudgetActual{t.Outbound, t.VehiclePurchase, t.VehicleOperation, t.Reception}
	if t.Vehicles != nil {
		// Many statements give 公务用车购置及运行维护费 as one figure; it
		// then stands for the two vehicle items in the total, and is their
		// sum when they are given too.
		items = []*model.BudgetActual{t.Outbound, t.Vehicles, t.Reception}
		c.vehicleSplit(t)
	}
	for _, m := range []struct {
		name string
		get  func(*model.BudgetActual) *model.Amount
	}{
		{"预算", func(b *model.BudgetActual) *model.Amount { return b.Budget }},
		{"实际支出", func(b *model.BudgetActual) *model.Amount { return b.Actual }},
	} {
		if t.Total == nil || m.get(t.Total) == nil {
			continue
		}
		total := m.get(t.Total)
		var parts []model.Decimal
		missing := 0
		for _, it := range items {
			if it == nil || m.get(it) == nil {
				missing++
				continue
			}
			parts = append(parts, m.get(it).Value)
		}
		if len(parts) == 0 || c.agrees(total.Pos, "“三公”经费"+m.name, total.Value, parts) {
			continue
		}
		sum := model.Sum(parts...)
		hintZh, hintEn := "", ""
		if missing > 0 && sum.Cmp(total.Value) < 0 {
			hintZh = "有 " + strconv.Itoa(missing) + " 项未填写，差额可能就在其中：原文给出时请补上。"
			hintEn = " " + strconv.Itoa(missing) + " item(s) are not filled in; the difference may be there."
		}
		p := places(append(parts, total.Value)...)
		d := diag.New(total.Pos, diag.ThreePublicSum, m.name, show(sum, p), show(total.Value, p), hintZh, hintEn)
		d.Stated, d.Computed = show(total.Value, p), show(sum, p)
		c.add(d)
	}
}

func (c *checker) score(s *model.Score) {
	var parts []model.Decimal
	for _, p := range s.Parts {
		if p.Score == nil {
			continue
		}
		parts = append(parts, p.Score.Value)
		if p.Weight != nil && p.Score.Value.Cmp(p.Weight.Value) > 0 {
			c.add(diag.New(p.Score.Pos, diag.ScoreOverWeight, p.Name, p.Score.Value.String(), p.Weight.Value.String()))
		}
	}
	if s.Total != nil && !s.Partial && len(parts) > 0 && len(parts) == len(s.Parts) && !c.agrees(s.Total.Pos, "自评得分", s.Total.Value, parts) {
		sum := model.Sum(parts...)
		d := diag.New(s.Total.Pos, diag.ScoreSum, "自评得分", sum.String(), s.Total.Value.String())
		d.Stated, d.Computed = s.Total.Value.String(), sum.String()
		c.add(d)
	}
	if s.Total != nil {
		limit := model.MustDecimal("100")
		if s.Max != nil {
			limit = s.Max.Value
		}
		if s.Total.Value.Cmp(limit) > 0 {
			c.add(diag.New(s.Total.Pos, diag.ScoreOverWeight, "总分", s.Total.Value.String(), limit.String()))
		}
	}
}

func (c *checker) indicator(ind *model.Indicator, label string) {
	c.missedFullMarks(ind)
	if ind.Score != nil && ind.Weight != nil && ind.Score.Value.Cmp(ind.Weight.Value) > 0 {
		c.add(diag.New(ind.Score.Pos, diag.ScoreOverWeight, label, ind.Score.Value.String(), ind.Weight.Value.String()))
	}
	if ind.Score != nil && len(ind.Items) > 0 {
		var parts []model.Decimal
		for _, it := range ind.Items {
			if it.Score == nil {
				parts = nil
				break
			}
			parts = append(parts, it.Score.Value)
		}
		if parts != nil && !c.agrees(ind.Score.Pos, label, ind.Score.Value, parts) {
			sum := model.Sum(parts...)
			d := diag.New(ind.Score.Pos, diag.ScoreSum, label, sum.String(), ind.Score.Value.String())
			d.Stated, d.Computed = ind.Score.Value.String(), sum.String()
			c.add(d)
		}
	}
	for _, it := range ind.Items {
		c.indicator(it, label+" › "+it.Name)
	}
}

func (c *checker) project(p *model.Project) {
	if p.Paid != nil && len(p.Items) > 0 {
		parts, ok := measure(p.Items, func(x *model.Node) *model.Amount { return x.Amount })
		if ok {
			vals := values(parts)
			if !c.agrees(p.Paid.Pos, "项目“"+p.Name+"”", p.Paid.Value, vals) {
				sum := model.Sum(vals...)
				pl := places(append(vals, p.Paid.Value)...)
				d := diag.New(p.Paid.Pos, diag.ProjectItemsSum, p.Name, show(p.Paid.Value, pl), show(sum, pl))
				d.Stated, d.Computed = show(p.Paid.Value, pl), show(sum, pl)
				c.add(d)
			}
		}
	}
	for _, it := range p.Items {
		c.node(it, "项目“"+p.Name+"”")
	}
}

func (c *checker) staff(s *model.Staff) {
	c.headcount(s.Pos, diag.AuthorizedSum, s.Authorized, s.AuthorizedByType)
	c.headcount(s.Pos, diag.StaffSum, s.InService, s.ByType)
}

// headcount warns when the categories do not add up to the stated count.
func (c *checker) headcount(pos model.Pos, rule diag.Rule, total *int, parts []*model.StaffPart) {
	if total == nil || len(parts) == 0 {
		return
	}
	sum := 0
	for _, p := range parts {
		sum += p.Count
	}
	if sum != *total {
		d := diag.New(pos, rule, strconv.Itoa(sum), strconv.Itoa(*total))
		d.Stated, d.Computed = strconv.Itoa(*total), strconv.Itoa(sum)
		c.add(d)
	}
}
