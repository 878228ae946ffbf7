package check

import (
	"strconv"
	"strings"

	"disclose/internal/diag"
	"disclose/internal/model"
)

// This file checks what the document kinds added: stated changes, shares
// and rates wherever a report prints them, the 决算 and 预算 trees, the
// 三公 counts, and project forms that were never filled in.

// stated checks a node's own prior-year change and share; parent is the
// node it is a part of (nil at the top), for the share.
func (c *checker) stated(n *model.Node, parent *model.Node, label string) {
	if n.Amount != nil {
		c.change(label, n.Amount, n.Prior, n.Change, n.ChangeRate)
		if n.Share != nil && parent != nil && parent.Amount != nil {
			c.share(label, n.Share, n.Amount.Value, parent.Amount.Value)
		}
	}
}

// change recomputes a stated change and rate of change from this year's
// and the prior year's figures.
func (c *checker) change(label string, now, prior *model.Amount, delta, rate *model.Delta) {
	if prior == nil && delta != nil && !delta.Percent && rate != nil && rate.Percent {
		// Documents often state only the change and its rate: the prior
		// year is then this year less the change, and the rate must agree.
		base := now.Value.Sub(delta.Value)
		if !base.IsZero() {
			c.percent(rate.Pos, label, rate.Value, delta.Value, base, func(computed string) diag.Diagnostic {
				d := diag.New(rate.Pos, diag.ChangeRateWrong, label, rate.Text, showMoney(now), base.String()+"万元（本年数减增减额）", computed+"%")
				d.Stated, d.Computed = rate.Text, computed+"%"
				return d
			})
		}
		return
	}
	if prior == nil {
		return
	}
	diff := now.Value.Sub(prior.Value)
	if delta != nil && !delta.Percent {
		// Both figures and the stated change were rounded when published.
		tol := tolerance(now.Value, prior.Value, delta.Value)
		if delta.Value.Sub(diff).Abs().Cmp(tol) > 0 {
			shown := showDiff(now, prior, diff)
			d := diag.New(delta.Pos, diag.ChangeMismatch, label, delta.Text, showMoney(now), showMoney(prior), shown)
			d.Stated, d.Computed = delta.Text, shown
			c.add(d)
		}
	}
	if rate != nil && rate.Percent && !prior.Value.IsZero() {
		c.percent(rate.Pos, label, rate.Value, diff, prior.Value, func(computed string) diag.Diagnostic {
			d := diag.New(rate.Pos, diag.ChangeRateWrong, label, rate.Text, showMoney(now), showMoney(prior), computed+"%")
			d.Stated, d.Computed = rate.Text, computed+"%"
			return d
		})
	}
}

// share recomputes a stated share of a total.
func (c *checker) share(label string, stated *model.Percent, part, whole model.Decimal) {
	if whole.IsZero() {
		return
	}
	c.percent(stated.Pos, label, stated.Value, part, whole, func(computed string) diag.Diagnostic {
		d := diag.New(stated.Pos, diag.ShareMismatch, label, stated.Value.String(), part.String(), whole.String(), computed)
		d.Stated, d.Computed = stated.Value.String()+"%", computed+"%"
		return d
	})
}

// percent compares a stated percentage with num/den at the stated
// precision. A figure that truncation gives but rounding does not gets its
// own rule: the document is not wrong about the size, only careless about
// the last digit. mismatch builds the warning for a plain disagreement.
func (c *checker) percent(pos model.Pos, label string, stated, num, den model.Decimal, mismatch func(computed string) diag.Diagnostic) {
	p := stated.Places
	rounded, ok := model.Ratio(num, den, p)
	if !ok || rounded.Cmp(stated) == 0 {
		return
	}
	// The amounts were rounded too: accept any rate that figures within
	// half a unit of the published ones give.
	if withinRounding(stated, num, den) {
		return
	}
	fine, _ := model.Ratio(num, den, model.Scale)
	if truncate(fine, p).Cmp(stated) == 0 {
		d := diag.New(pos, diag.PercentTruncated, label, stated.String(), rounded.Format(p))
		d.Stated, d.Computed = stated.String()+"%", rounded.Format(p)+"%"
		c.add(d)
		return
	}
	c.add(mismatch(rounded.Format(p)))
}

// withinRounding reports whether some num' and den' within half a unit of
// the published figures give stated when rounded to its places.
func withinRounding(stated, num, den model.Decimal) bool {
	hn, hd := num.HalfUnit(), den.HalfUnit()
	lowDen, highDen := den.Sub(hd), den.Add(hd)
	if den.IsNegative() || lowDen.Units <= 0 {
		return false
	}
	lo, ok1 := model.Ratio(num.Sub(hn), highDen, model.Scale)
	hi, ok2 := model.Ratio(num.Add(hn), lowDen, model.Scale)
	if !ok1 || !ok2 {
		return false
	}
	if lo.Cmp(hi) > 0 {
		lo, hi = hi, lo
	}
	h := stated.HalfUnit()
	return stated.Add(h).Cmp(lo) >= 0 && stated.Sub(h).Cmp(hi) <= 0
}

// truncate cuts d to p places toward zero.
func truncate(d model.Decimal, p int) model.Decimal {
	unit := int64(1)
	for i := p; i < model.Scale; i++ {
		unit *= 10
	}
	return model.Decimal{Units: d.Units / unit * unit, Places: p}
}

// showDiff prints now − prior in the unit both were published in (元 when
// both were), at their precision.
func showDiff(now, prior *model.Amount, diff model.Decimal) string {
	if now.Unit == model.UnitYuan && prior.Unit == model.UnitYuan {
		yuan := model.Decimal{Units: diff.Units * 10000, Places: max(places(now.Value, prior.Value)-4, 0)}
		return signed(yuan, yuan.Places) + "元"
	}
	return signed(diff, places(now.Value, prior.Value)) + "万元"
}

func signed(d model.Decimal, p int) string {
	if d.IsNegative() {
		return d.Format(p)
	}
	return "+" + d.Format(p)
}

// showMoney prints an amount as published, with its unit.
func showMoney(a *model.Amount) string {
	if a.Unit == model.UnitWan || a.Unit == "" {
		return a.Value.String() + "万元"
	}
	return a.Published
}

// partExceeds warns when a part is larger than its whole.
func (c *checker) partExceeds(label, partName string, part *model.Amount, wholeName string, whole *model.Amount) {
	if part == nil || whole == nil || part.Value.Cmp(whole.Value) <= 0 {
		return
	}
	if part.Value.Sub(whole.Value).Cmp(tolerance(part.Value, whole.Value)) <= 0 {
		return
	}
	d := diag.New(part.Pos, diag.PartExceedsWhole, label, partName, showMoney(part), wholeName, showMoney(whole))
	d.Stated, d.Computed = showMoney(part), showMoney(whole)
	c.add(d)
}

// overviewScope catches the headline mix-up of figures of different scope:
// a project spending larger than the spending it is part of.
func (c *checker) overviewScope(r *model.Report) {
	o := r.Overview()
	if o.Expenditure == nil {
		return
	}
	whole := &model.Amount{Value: o.Expenditure.Value, Unit: model.UnitWan}
	if o.Expenditure.From != nil {
		whole = o.Expenditure.From
	}
	name := "支出合计"
	if o.Expenditure.Computed {
		name = "各资金来源支出之和"
	}
	for _, p := range []struct {
		name string
		fig  *model.Figure
	}{{"基本支出", o.Basic}, {"项目支出", o.Project}} {
		if p.fig != nil && p.fig.From != nil {
			c.partExceeds("部门整体", p.name, p.fig.From, name, whole)
		}
	}
}

// accounts checks a 决算 or 预算.
func (c *checker) accounts(a *model.Accounts) {
	for _, t := range []struct {
		n     *model.Node
		label string
	}{
		{a.Income, "收入总计"}, {a.Expenditure, "支出总计"}, {a.Fiscal, "财政拨款支出"},
		{a.Functional, "一般公共预算财政拨款支出（功能分类）"}, {a.Economic, "一般公共预算财政拨款基本支出（经济分类）"},
		{a.Operating, "机关运行经费"},
	} {
		if t.n != nil {
			c.node(t.n, t.label)
			c.codes(t.n, t.label)
		}
	}
	if a.Income != nil && a.Expenditure != nil && a.Income.Amount != nil && a.Expenditure.Amount != nil {
		in, out := a.Income.Amount, a.Expenditure.Amount
		if in.Value.Sub(out.Value).Abs().Cmp(tolerance(in.Value, out.Value)) > 0 {
			p := places(in.Value, out.Value)
			d := diag.New(out.Pos, diag.AccountsBalance, showMoney(in), showMoney(out), in.Value.Sub(out.Value).Abs().Format(p)+"万元")
			d.Stated, d.Computed = showMoney(out), showMoney(in)
			c.add(d)
		}
	}
	if pr := a.Procurement; pr != nil && pr.Total != nil {
		c.node(pr.Total, "政府采购")
		if pr.Total.Amount != nil {
			c.partExceeds("政府采购", "授予中小企业合同金额", pr.SME, "政府采购支出总额", pr.Total.Amount)
			if pr.SMEShare != nil && pr.SME != nil {
				c.share("政府采购 › 授予中小企业合同金额", pr.SMEShare, pr.SME.Value, pr.Total.Amount.Value)
			}
		}
	}
	if as := a.Assets; as != nil && as.Vehicles != nil && len(as.ByType) > 0 {
		c.vehicles(as.Pos, *as.Vehicles, as.ByType)
	}
}

func (c *checker) vehicles(pos model.Pos, total int, by []*model.Count) {
	sum := 0
	for _, v := range by {
		sum += v.Count
	}
	if sum != total {
		d := diag.New(pos, diag.VehicleCount, strconv.Itoa(sum), strconv.Itoa(total))
		d.Stated, d.Computed = strconv.Itoa(total), strconv.Itoa(sum)
		c.add(d)
	}
}

// codes checks that each child's classification code extends its
// parent's, and that the codes whose names are fixed carry those names.
func (c *checker) codes(n *model.Node, label string) {
	if n.Code != "" {
		if want, ok := classNames[n.Code]; ok && n.Name != "" && !sameClass(want, n.Name) {
			c.add(diag.New(n.Pos, diag.CodeName, n.Code, want, n.Name))
		}
	}
	for _, kids := range [][]*model.Node{n.Items, n.OfWhich} {
		for _, k := range kids {
			if n.Code != "" && k.Code != "" && !strings.HasPrefix(k.Code, n.Code) {
				c.add(diag.New(k.Pos, diag.CodeTree, k.Name, k.Code, n.Name, n.Code))
			}
			c.codes(k, label)
		}
	}
}

// sameClass accepts the usual short forms: "社会保障和就业" for
// "社会保障和就业支出", and either name inside the other.
func sameClass(official, written string) bool {
	norm := func(s string) string {
		s = strings.TrimSpace(s)
		s = strings.TrimSuffix(s, "支出")
		return strings.NewReplacer("（", "(", "）", ")", " ", "", "、", "").Replace(s)
	}
	a, b := norm(official), norm(written)
	return a == b || strings.Contains(a, b) || strings.Contains(b, a)
}

// classNames are the 类 of the 支出功能分类 and the 类 of the 部门支出经济
// 分类 (政府收支分类科目): fixed nationally, so a code beside another name
// is a slip in one of the two.
var classNames = map[string]string{
	"201": "一般公共服务支出", "202": "外交支出", "203": "国防支出", "204": "公共安全支出",
	"205": "教育支出", "206": "科学技术支出", "207": "文化旅游体育与传媒支出", "208": "社会保障和就业支出",
	"209": "社会保险基金支出", "210": "卫生健康支出", "211": "节能环保支出", "212": "城乡社区支出",
	"213": "农林水支出", "214": "交通运输支出", "215": "资源勘探工业信息等支出", "216": "商业服务业等支出",
	"217": "金融支出", "219": "援助其他地区支出", "220": "自然资源海洋气象等支出", "221": "住房保障支出",
	"222": "粮油物资储备支出", "223": "国有资本经营预算支出", "224": "灾害防治及应急管理支出", "227": "预备费",
	"229": "其他支出", "230": "转移性支出", "231": "债务还本支出", "232": "债务付息支出", "233": "债务发行费用支出",
	"301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助", "307": "债务利息及费用支出",
	"309": "资本性支出（基本建设）", "310": "资本性支出", "311": "对企业补助（基本建设）", "312": "对企业补助",
	"313": "对社会保障基金补助", "399": "其他支出",
}

// threeCounts checks the counts beside the 三公 amounts.
func (c *checker) threeCounts(t *model.ThreePublic) {
	if k := t.Counts; k != nil && k.VehiclesHeld != nil && len(k.VehiclesByType) > 0 {
		c.vehicles(k.Pos, *k.VehiclesHeld, k.VehiclesByType)
	}
	for _, it := range []struct {
		name string
		ba   *model.BudgetActual
	}{
		{"“三公”经费合计", t.Total}, {"因公出国（境）费", t.Outbound}, {"公务用车购置费", t.VehiclePurchase},
		{"公务用车运行维护费", t.VehicleOperation}, {"公务用车购置及运行维护费", t.Vehicles}, {"公务接待费", t.Reception},
	} {
		if it.ba == nil {
			continue
		}
		ba := it.ba
		if ba.Actual != nil {
			c.change(it.name, ba.Actual, ba.Prior, ba.Change, ba.ChangeRate)
			if ba.Rate != nil && ba.Budget != nil {
				c.rate(ba.Rate, ba.Actual.Value, ba.Budget.Value, it.name+"完成率")
			}
			if ba.Share != nil && t.Total != nil && t.Total.Actual != nil && ba != t.Total {
				c.share(it.name, ba.Share, ba.Actual.Value, t.Total.Actual.Value)
			}
			c.plausible(it.name, ba.Actual, t)
		}
		if ba.Budget != nil {
			c.plausible(it.name+"预算", ba.Budget, t)
		}
	}
}

// threeLimit is a 三公 figure in 万元 above which a county or city
// department's figure was most likely published in 元: a county bureau
// spends tens of 万元 a year on all four items, a whole county's summary
// about a thousand (鹿寨 2019: 1165.08).
var threeLimit = map[model.Level]model.Decimal{
	model.LevelCounty: model.MustDecimal("5000"),
	model.LevelCity:   model.MustDecimal("20000"),
}

func (c *checker) plausible(label string, a *model.Amount, t *model.ThreePublic) {
	if c.report == nil || c.report.Department == nil || a.Unit != model.UnitWan {
		return
	}
	lv := c.report.Department.Level
	limit, ok := threeLimit[lv]
	if !ok || a.Value.Cmp(limit) <= 0 {
		return
	}
	c.add(diag.New(a.Pos, diag.UnitImplausible, label, a.Value.String(), "对"+string(lv)+"部门的“三公”经费来说太大", "is implausibly large for a department's 三公"))
}

// yuanReport flags bare amounts in a report that says it is in 元: the
// loader reads a bare number as 万元, so each would be 10,000 times too big.
func (c *checker) yuanReport(r *model.Report) {
	if strings.TrimSpace(r.Unit) != "元" {
		return
	}
	for _, a := range r.Amounts() {
		if a.Unit == model.UnitWan && !strings.HasSuffix(strings.TrimSpace(a.Published), "万元") && a.Erratum == nil {
			c.add(diag.New(a.Pos, diag.UnitImplausible, "金额", a.Published, "没有写单位，按万元读取，而本文件写明以元为单位（unit: 元）", "has no unit and is read as 万元, but the file says unit: 元"))
		}
	}
}

// projectEval checks a project form's fund rows: rates and scores, and
// that no 其中 row (当年财政拨款, 上年结转资金) exceeds 年度资金总额.
func (c *checker) projectEval(p *model.ProjectEval) {
	var total *model.EvalFund
	for _, f := range p.Funds {
		if strings.Contains(f.Name, "总额") {
			total = f
			break
		}
	}
	if total != nil {
		for _, f := range p.Funds {
			if f == total {
				continue
			}
			for _, m := range []struct {
				name      string
				part, all *model.Amount
			}{
				{"年初预算数", f.InitialBudget, total.InitialBudget},
				{"全年预算数", f.Budget, total.Budget},
				{"全年执行数", f.Actual, total.Actual},
			} {
				c.partExceeds("项目资金 › "+m.name, f.Name, m.part, total.Name, m.all)
			}
		}
	}
	for _, f := range p.Funds {
		label := "项目资金 › " + f.Name
		if f.Rate != nil && f.Actual != nil && f.Budget != nil {
			c.rate(f.Rate, f.Actual.Value, f.Budget.Value, label)
		}
		if f.Score != nil && f.Weight != nil && f.Score.Value.Cmp(f.Weight.Value) > 0 {
			c.add(diag.New(f.Score.Pos, diag.ScoreOverWeight, label, f.Score.Value.String(), f.Weight.Value.String()))
		}
	}
}

// missedFullMarks flags a level-3 indicator whose actual misses a
// quantitative target yet scores its full weight.
func (c *checker) missedFullMarks(ind *model.Indicator) {
	if len(ind.Items) > 0 || ind.Score == nil || ind.Weight == nil || ind.Score.Value.Cmp(ind.Weight.Value) < 0 {
		return
	}
	target := ind.Target
	if ind.Adjusted != nil {
		target = ind.Adjusted
	}
	if target == nil || ind.Actual == nil || target.Value == nil || ind.Actual.Value == nil {
		return
	}
	if normUnit(target.Unit) != normUnit(ind.Actual.Unit) {
		return
	}
	t, a := *target.Value, *ind.Actual.Value
	missed := false
	switch target.Op {
	case "≥":
		missed = a.Cmp(t) < 0
	case ">":
		missed = a.Cmp(t) <= 0
	case "≤":
		missed = a.Cmp(t) > 0
	case "<":
		missed = a.Cmp(t) >= 0
	case "=", "":
		// A bare target of a positive indicator reads as "at least".
		if strings.Contains(ind.Nature, "反向") {
			missed = a.Cmp(t) > 0
		} else {
			missed = a.Cmp(t) < 0
		}
	}
	if missed {
		d := diag.New(ind.Score.Pos, diag.MissedFullMarks, ind.Name, ind.Actual.Text, target.Text, ind.Score.Value.String())
		d.Stated, d.Computed = ind.Score.Value.String(), "<"+ind.Weight.Value.String()
		c.add(d)
	}
}

func normUnit(u string) string {
	return strings.NewReplacer("％", "%", " ", "").Replace(strings.TrimSpace(u))
}

// placeholders are what a form template says where a value should be.
// An ellipsis is not one: documents write "根据……文件" as prose.
var placeholders = []string{"xxx", "XXX", "××", "（填写", "(填写", "请填写", "待填写", "此处填"}

func placeholder(s string) bool {
	s = strings.TrimSpace(s)
	for _, p := range placeholders {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// unfilled reports a project form (or any report with an indicator table)
// that was published without its scores, actuals or conclusions.
func (c *checker) unfilled(r *model.Report) {
	var leaves []*model.Indicator
	var walk func([]*model.Indicator)
	walk = func(is []*model.Indicator) {
		for _, i := range is {
			if len(i.Items) == 0 {
				leaves = append(leaves, i)
			}
			walk(i.Items)
		}
	}
	walk(r.Indicators)
	if r.DocKind() != model.KindProjectEval || (r.Source != nil && r.Source.Truncated) {
		// A report's indicator list may quote only targets; a form's
		// table exists to be filled in. What a cut-off copy lacks was
		// not necessarily left blank.
		leaves = nil
	}
	scored, blank := 0, 0
	for _, l := range leaves {
		if l.Score != nil {
			scored++
		}
		if l.Actual == nil || strings.TrimSpace(l.Actual.Text) == "" || placeholder(l.Actual.Text) {
			blank++
		}
	}
	pos := r.Pos
	if len(r.Indicators) > 0 {
		pos = r.Indicators[0].Pos
	}
	if len(leaves) > 0 && scored == 0 && (r.Score == nil || r.Score.Total == nil) {
		c.add(diag.New(pos, diag.FormUnfilled, "绩效指标表没有任何得分，也没有总分", "the indicator table has no scores and no total"))
	}
	if len(leaves) > 0 && blank == len(leaves) {
		c.add(diag.New(pos, diag.FormUnfilled, "绩效指标表的实际完成值全部空白或是占位文字", "every actual value of the indicator table is blank or a placeholder"))
	}
	if pe := r.ProjectEval; pe != nil {
		for _, g := range pe.Goals {
			for _, text := range []string{g.Expected, g.Actual} {
				if placeholder(text) {
					c.add(diag.New(g.Pos, diag.FormUnfilled, "年度总体目标里是占位文字：“"+short(text)+"”", "the annual goal holds placeholder text"))
				}
			}
		}
	}
	for _, sec := range r.Narrative.Sections() {
		if placeholder(sec.Markdown) && len([]rune(strings.TrimSpace(sec.Markdown))) < 40 {
			c.add(diag.New(r.Narrative.Pos, diag.FormUnfilled, "“"+sec.Title+"”只有占位文字：“"+short(sec.Markdown)+"”", "section "+sec.Key+" holds only placeholder text"))
		}
	}
}

func short(s string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return string(r)
}

// kindFields warns about structured parts that belong to another kind of
// document: a project form's head in a 决算, accounts in a project form.
func (c *checker) kindFields(r *model.Report) {
	k := r.DocKind()
	if r.ProjectEval != nil && k != model.KindProjectEval && k != model.KindOther {
		c.add(diag.New(r.ProjectEval.Pos, diag.KindFields, "project_eval", "项目支出绩效自评表", string(k), "项目支出绩效自评表写 kind: 项目支出绩效自评。"))
	}
	if r.Accounts != nil && k != model.KindFinalAccounts && k != model.KindBudget && k != model.KindOther {
		c.add(diag.New(r.Accounts.Pos, diag.KindFields, "accounts", "部门决算或部门预算", string(k), "决算写 kind: 部门决算，预算写 kind: 部门预算。"))
	}
}

// vehicleSplit checks 公务用车购置及运行维护费 against its two parts.
func (c *checker) vehicleSplit(t *model.ThreePublic) {
	for _, m := range []struct {
		name string
		get  func(*model.BudgetActual) *model.Amount
	}{
		{"预算", func(b *model.BudgetActual) *model.Amount { return b.Budget }},
		{"实际支出", func(b *model.BudgetActual) *model.Amount { return b.Actual }},
	} {
		if t.VehiclePurchase == nil || t.VehicleOperation == nil {
			return
		}
		whole, a, b := m.get(t.Vehicles), m.get(t.VehiclePurchase), m.get(t.VehicleOperation)
		if whole == nil || a == nil || b == nil {
			continue
		}
		c.sumWarning(whole.Pos, "公务用车购置及运行维护费"+m.name, whole.Value, []*model.Amount{a, b}, []string{"公务用车购置费", "公务用车运行维护费"})
	}
}
