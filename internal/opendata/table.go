package opendata

import (
	"strconv"
	"strings"

	"disclose/internal/model"
)

// Column is one column of a download, with the explanation readers get in
// the 说明 sheet.
type Column struct {
	Name string
	Doc  string
}

// Values of the 口径 column: which table of the report a figure belongs to.
const (
	scopeFund    = "收支"
	scopeBasic   = "基本支出"
	scopeProject = "项目支出"
	scopePlan    = "预算批复"
	scopeThree   = "三公经费"
	scopeProj    = "项目"

	// The tables of a 部门决算 or 部门预算 (model.Accounts).
	scopeIncome      = "收入"
	scopeExpenditure = "支出"
	scopeFiscal      = "财政拨款支出"
	scopeFunctional  = "功能分类"
	scopeEconomic    = "经济分类"
	scopeOperating   = "机关运行经费"
	scopeProcurement = "政府采购"
	scopeAssets      = "国有资产"

	// The funds of a 项目支出绩效自评表 (model.ProjectEval).
	scopeEvalFunds = "项目资金"
)

// Values of the 数据项 column that are not specific to one table.
const (
	measurePrior = "上年数"
	measureSME   = "授予中小企业合同金额"
)

// Values of the 分项性质 column.
const (
	kindTotal   = "总数"
	kindItem    = "细分"
	kindOfWhich = "其中"
)

// Values of the 资金来源 column for the department-wide figures.
const wholeDepartment = "部门整体"

var longColumns = []Column{
	{"部门ID", "部门在本站的标识（网址中使用），跨年度不变"},
	{"部门", "部门（单位）全称"},
	{"预算编码", "部门预算编码（原文未写则空白）"},
	{"行政层级", "省级、市级或县级"},
	{"省", "所在省份"},
	{"市", "所在地级市（省级部门空白）"},
	{"县区", "所在县区（市级及以上部门空白）"},
	{"年度", "报告年度"},
	{"文件种类", "数字所在文件的种类：部门整体支出绩效自评、项目支出绩效自评、部门决算、部门预算、三公经费、其他。同一部门同一年度可有多份文件"},
	{"文件", "文件在部门内的标识（网址和下载文件名中使用），如 2023 或 2023-juesuan；同一部门同一年度的不同文件以此区分"},
	{"资金来源", "一般公共预算、政府性基金预算、财政拨款、其他资金等；原文不分资金来源的部门整体数为“部门整体”；三公经费、项目、决算和预算的收支表、项目资金不分资金来源，空白"},
	{"资金名称", "原文对这笔资金的称呼，未另行称呼时同资金来源"},
	{"口径", "数字所属的表：收支（预算、收入、支出、结转结余）、基本支出、项目支出、预算批复（批复的基本支出、项目支出预算）、三公经费、项目（重点项目）；部门决算、部门预算的表：收入（收入总计及其构成）、支出（支出总计及其构成）、财政拨款支出（按一般公共预算、政府性基金预算等）、功能分类（一般公共预算财政拨款支出按功能分类科目）、经济分类（一般公共预算财政拨款基本支出按经济分类科目）、机关运行经费、政府采购（政府采购支出及授予中小企业合同金额）、国有资产（原文列出金额的资产）；项目支出绩效自评表的项目资金（年度资金总额及其中各来源）"},
	{"类别路径", "从口径的总数到本项的类别名称，用“/”分隔，如 项目支出/社会福利支出/儿童福利支出；收支各数为“合计”；三公经费原文给出公务用车购置及运行维护费合计时，购置费和运行维护费列在其下；项目为项目名称及其资金细分；决算和预算各表的总数按原文称呼（原文未称呼时同口径，如 收入总计、政府采购支出总额）；项目资金为 年度资金总额/当年财政拨款 等"},
	{"类别层级", "类别路径的层数：1 为总数，2 为其下一级，依此类推"},
	{"分项性质", "总数：口径的总数；细分：上一级的完整细分，同级各项之和应等于上一级；其中：上一级中单独列出的部分，不要求加总，汇总时应排除以免重复"},
	{"末级", "是：本项在本口径内没有再细分；否：其下还有细分项。在同一部门、年度、资金来源、口径和数据项之内，只对“末级=是”且“分项性质≠其中”的行求和，不会重复计算"},
	{"科目编码", "支出功能分类或经济分类科目编码（原文写了才有），如 208、20802、2080201、301"},
	{"项目", "重点项目名称（口径为项目时）；项目支出绩效自评表的项目名称（口径为项目资金时）"},
	{"项目类别", "项目所属类别，如 社保民生资金大预算中超50万元以上项目"},
	{"数据项", "数字的含义：年初预算、调整预算、全年预算、收入、支出、结转结余（收支）；预算、支出（类别和三公经费）；预算、资金到位、实际拨付（项目）；决算数（部门决算各表的本年数）、预算数（部门预算各表的本年数）、本年数（其他文件中这些表的本年数）、预算（与之对照的预算数）；授予中小企业合同金额（政府采购）；金额（国有资产）；年初预算、全年预算、全年执行（项目资金）；上年数：原文所列的上年数（上年决算数、预算数或实际支出），按此与本年各数区分"},
	{"数值（万元）", "金额，单位万元，按原文的小数位数；原文写错单位并经勘误的，为更正后的数"},
	{"原文写法", "原文的写法与数值不同时（如写作“55.02元”“3229.37 元”），照录原文；相同时空白"},
	{"原文单位", "原文所用单位不是万元时（元、亿元），写明单位；是万元时空白"},
	{"勘误说明", "本数经勘误时，判定原文有误的理由；否则空白"},
}

// columnIndex is the position of the named column in longColumns.
func columnIndex(name string) int {
	for i, c := range longColumns {
		if c.Name == name {
			return i
		}
	}
	panic("opendata: no column " + name)
}

// Columns lists the columns of the long table (ReportCSV, AllCSV and the
// 明细 sheet of AllXLSX) in order, with their meaning.
func Columns() []Column { return append([]Column(nil), longColumns...) }

// row is one figure of the long table. amt points into the report so that
// tests can prove every amount is written exactly once.
type row struct {
	dept     *model.Department
	year     int
	docKind  string // r.DocKind()
	file     string // r.Key()
	source   string
	fundName string
	scope    string
	path     []string
	kind     string
	leaf     bool
	code     string
	project  string
	group    string
	measure  string
	amt      *model.Amount
}

// fields renders the row as the text of the long table's columns.
func (w row) fields() []string {
	var id, name, code, level string
	var region [3]string
	if d := w.dept; d != nil {
		id, name, code, level = d.ID, d.Name, d.BudgetCode, string(d.Level)
		region = splitRegion(d.Region)
	}
	return []string{
		id, name, code, level, region[0], region[1], region[2],
		strconv.Itoa(w.year), w.docKind, w.file, w.source, w.fundName, w.scope,
		strings.Join(w.path, "/"), strconv.Itoa(len(w.path)), w.kind, yesNo(w.leaf),
		w.code, w.project, w.group, w.measure,
		w.amt.Value.String(), publishedText(w.amt), publishedUnit(w.amt), erratumReason(w.amt),
	}
}

// splitRegion maps [省, 市, 县区] onto three columns. A region given below
// county level keeps its extra parts in the last column, so nothing is lost.
func splitRegion(r []string) [3]string {
	var out [3]string
	for i, s := range r {
		if i < 2 {
			out[i] = s
		} else if out[2] == "" {
			out[2] = s
		} else {
			out[2] += "/" + s
		}
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// publishedText is the source's literal when it says more than the value
// does (another unit, thousands separators, an erratum); blank otherwise, so
// that the column draws the eye only where the source differs.
func publishedText(a *model.Amount) string {
	if a.Published == "" || a.Published == a.Value.String() {
		return ""
	}
	return a.Published
}

// publishedUnit is the unit of the literal the source printed. For an
// erratum that is the unit of the published text, not of the correction.
func publishedUnit(a *model.Amount) string {
	_, u, err := model.ParseMoney(a.Published)
	if err != nil || u == model.UnitWan {
		return ""
	}
	return string(u)
}

func erratumReason(a *model.Amount) string {
	if a.Erratum == nil {
		return ""
	}
	return a.Erratum.Reason
}

// reportRows lists every amount of r in declaration order, the order of
// r.Amounts().
func reportRows(r *model.Report) []row {
	var out []row
	eachRow(r, func(w row) { out = append(out, w) })
	return out
}

// eachRow passes the rows of reportRows to emit one by one, for callers
// that need not keep them all.
func eachRow(r *model.Report, emit func(row)) {
	// The kind and key are worked out once: every row of the report
	// shares their strings.
	b := &rowBuilder{base: row{dept: r.Department, year: r.Year, docKind: string(r.DocKind()), file: r.Key()}, emit: emit}
	if r.Totals != nil {
		src := wholeDepartment
		if r.Totals.Source != "" {
			src = string(r.Totals.Source)
		}
		name := r.Totals.Label
		if name == "" {
			name = src
		}
		b.fund(r.Totals, src, name)
	}
	for _, f := range r.Funds {
		b.fund(f, string(f.Source), f.FundName())
	}
	b.threePublic(r.ThreePublic)
	for _, p := range r.Projects {
		b.project(p)
	}
	b.accounts(r.Accounts, r.DocKind())
	b.projectEval(r.ProjectEval)
}

type rowBuilder struct {
	base row
	emit func(row)
}

func (b *rowBuilder) add(w row) {
	if w.amt != nil {
		b.emit(w)
	}
}

func (b *rowBuilder) fund(f *model.Fund, source, name string) {
	base := b.base
	base.source, base.fundName = source, name
	top := base
	top.scope, top.path, top.kind, top.leaf = scopeFund, []string{"合计"}, kindTotal, true
	for _, m := range []struct {
		measure string
		a       *model.Amount
	}{
		{"年初预算", f.InitialBudget},
		{"调整预算", f.Adjustment},
		{"全年预算", f.Budget},
		{"收入", f.Income},
		{"支出", f.Expenditure},
		{"结转结余", f.CarryOver},
	} {
		w := top
		w.measure, w.amt = m.measure, m.a
		b.add(w)
	}
	spent := measures{amount: "支出", budget: "预算", prior: measurePrior}
	basic, project := base, base
	basic.scope, project.scope = scopeBasic, scopeProject
	b.root(basic, nil, scopeBasic, kindTotal, f.Basic, spent)
	b.root(project, nil, scopeProject, kindTotal, f.Project, spent)
	if p := f.Plan; p != nil {
		plan := base
		plan.scope = scopePlan
		w := plan
		w.path, w.kind, w.leaf, w.measure, w.amt = []string{scopePlan}, kindTotal, p.Basic == nil && p.Project == nil, "预算", p.Total
		b.add(w)
		planned := measures{amount: "预算", budget: "预算", prior: measurePrior}
		b.root(plan, []string{scopePlan}, scopeBasic, kindItem, p.Basic, planned)
		b.root(plan, []string{scopePlan}, scopeProject, kindItem, p.Project, planned)
	}
}

// measures names what a node's Amount, Budget and Prior mean in a given
// table: in a fund's spending tree the amount is what was spent, in the
// approved budget it is the budget, under a project it is what was paid
// out, in a 决算 it is the 决算数; the prior is always the 上年数.
type measures struct{ amount, budget, prior string }

// root writes a basic or project spending tree under parent. Sources often
// leave the root unnamed (it is obvious from the table), so it is then
// called by what it is, fallback.
func (b *rowBuilder) root(base row, parent []string, fallback, kind string, n *model.Node, m measures) {
	if n == nil {
		return
	}
	name := n.Name
	if name == "" {
		name = fallback
	}
	b.node(base, appendPath(parent, name), kind, n, m)
}

func (b *rowBuilder) node(base row, path []string, kind string, n *model.Node, m measures) {
	w := base
	w.path, w.kind, w.leaf, w.code = path, kind, len(n.Items) == 0, n.Code
	a, bud, prior := w, w, w
	a.measure, a.amt = m.amount, n.Amount
	bud.measure, bud.amt = m.budget, n.Budget
	prior.measure, prior.amt = m.prior, n.Prior
	b.add(a)
	b.add(bud)
	b.add(prior)
	for _, c := range n.Items {
		b.node(base, appendPath(path, c.Name), kindItem, c, m)
	}
	for _, c := range n.OfWhich {
		b.node(base, appendPath(path, c.Name), kindOfWhich, c, m)
	}
}

// appendPath never shares the backing array of parent, because sibling
// rows keep their paths.
func appendPath(parent []string, name string) []string {
	p := make([]string, len(parent), len(parent)+1)
	copy(p, parent)
	return append(p, name)
}

// Names of the 三公 items, in the order of model.ThreePublic.
var threePublicNames = []string{"因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务用车购置及运行维护费", "公务接待费"}

// threePublicVehicles is the index in threePublicNames of the item that
// sums the purchase and the operation of vehicles, when a source gives it.
const threePublicVehicles = 3

func (b *rowBuilder) threePublic(t *model.ThreePublic) {
	if t == nil {
		return
	}
	base := b.base
	base.scope = scopeThree
	items := []*model.BudgetActual{t.Outbound, t.VehiclePurchase, t.VehicleOperation, t.Vehicles, t.Reception}
	anyItem := false
	for _, it := range items {
		anyItem = anyItem || it != nil
	}
	pair := func(w row, ba *model.BudgetActual) {
		if ba == nil {
			return
		}
		x, y, z := w, w, w
		x.measure, x.amt = "预算", ba.Budget
		y.measure, y.amt = "支出", ba.Actual
		z.measure, z.amt = measurePrior, ba.Prior
		b.add(x)
		b.add(y)
		b.add(z)
	}
	total := base
	total.path, total.kind, total.leaf = []string{scopeThree}, kindTotal, !anyItem
	pair(total, t.Total)
	// Where the source gives the vehicles' sum, purchase and operation are
	// its breakdown rather than items of the total.
	vehicles := []string{scopeThree}
	if t.Vehicles != nil {
		vehicles = append(vehicles, threePublicNames[threePublicVehicles])
	}
	for i, it := range items {
		w := base
		w.path, w.kind, w.leaf = []string{scopeThree, threePublicNames[i]}, kindItem, true
		switch i {
		case 1, 2:
			w.path = appendPath(vehicles, threePublicNames[i])
		case threePublicVehicles:
			w.leaf = t.VehiclePurchase == nil && t.VehicleOperation == nil
		}
		pair(w, it)
	}
}

func (b *rowBuilder) project(p *model.Project) {
	base := b.base
	base.scope, base.project, base.group = scopeProj, p.Name, p.Group
	w := base
	w.path, w.kind, w.leaf = []string{p.Name}, kindTotal, len(p.Items) == 0
	for _, m := range []struct {
		measure string
		a       *model.Amount
	}{
		{"预算", p.Budget},
		{"资金到位", p.Arrived},
		{"实际拨付", p.Paid},
	} {
		x := w
		x.measure, x.amt = m.measure, m.a
		b.add(x)
	}
	paid := measures{amount: "实际拨付", budget: "预算", prior: measurePrior}
	for _, n := range p.Items {
		b.node(base, []string{p.Name, n.Name}, kindItem, n, paid)
	}
}

// accountsMeasures names a 决算's or 预算's figures by the kind of the
// document they come from: the same table holds 决算数 in a 部门决算 and
// 预算数 in a 部门预算.
func accountsMeasures(kind model.DocKind) measures {
	m := measures{amount: "本年数", budget: "预算", prior: measurePrior}
	switch kind {
	case model.KindFinalAccounts:
		m.amount = "决算数"
	case model.KindBudget:
		m.amount = "预算数"
	}
	return m
}

// accountsTables lists the node trees of a model.Accounts in declaration
// order, each with its 口径 and the name of its total when the source does
// not name it.
func accountsTables(a *model.Accounts) []struct {
	scope, fallback string
	n               *model.Node
} {
	return []struct {
		scope, fallback string
		n               *model.Node
	}{
		{scopeIncome, "收入总计", a.Income},
		{scopeExpenditure, "支出总计", a.Expenditure},
		{scopeFiscal, "财政拨款支出", a.Fiscal},
		{scopeFunctional, "一般公共预算财政拨款支出", a.Functional},
		{scopeEconomic, "一般公共预算财政拨款基本支出", a.Economic},
		{scopeOperating, "机关运行经费", a.Operating},
	}
}

func (b *rowBuilder) accounts(a *model.Accounts, kind model.DocKind) {
	if a == nil {
		return
	}
	m := accountsMeasures(kind)
	for _, t := range accountsTables(a) {
		w := b.base
		w.scope = t.scope
		b.root(w, nil, t.fallback, kindTotal, t.n, m)
	}
	if p := a.Procurement; p != nil {
		w := b.base
		w.scope = scopeProcurement
		total := "政府采购支出总额"
		if p.Total != nil && p.Total.Name != "" {
			total = p.Total.Name
		}
		b.root(w, nil, total, kindTotal, p.Total, m)
		// The share of the total awarded to small firms: a figure of the
		// total itself, told apart by its 数据项, with nothing under it.
		w.path, w.kind, w.leaf, w.measure, w.amt = []string{total}, kindTotal, true, measureSME, p.SME
		if p.Total != nil {
			w.code = p.Total.Code
		}
		b.add(w)
	}
	if s := a.Assets; s != nil {
		// Holdings the source singles out (large equipment, buildings):
		// parts of the department's assets, not a breakdown that adds up.
		for _, it := range s.Items {
			w := b.base
			w.scope, w.path, w.kind, w.leaf, w.measure, w.amt = scopeAssets, []string{scopeAssets, it.Name}, kindOfWhich, true, "金额", it.Amount
			b.add(w)
		}
	}
}

// projectEval writes the fund rows of a 项目支出绩效自评表. The form's first
// row is the 年度资金总额 and the others its “其中” rows (当年财政拨款,
// 上年结转资金, 其他资金); without a total each row stands alone.
func (b *rowBuilder) projectEval(p *model.ProjectEval) {
	if p == nil {
		return
	}
	base := b.base
	base.scope, base.project = scopeEvalFunds, p.Name
	var total []string
	if len(p.Funds) > 1 && isTotalName(p.Funds[0].Name) {
		total = []string{p.Funds[0].Name}
	}
	for i, f := range p.Funds {
		w := base
		switch {
		case total != nil && i == 0:
			w.path, w.kind = total, kindTotal
		case total != nil:
			w.path, w.kind = appendPath(total, f.Name), kindOfWhich
		default:
			w.path, w.kind = []string{f.Name}, kindTotal
		}
		// “其中” rows are no breakdown, so every row is a leaf.
		w.leaf = true
		for _, m := range []struct {
			measure string
			a       *model.Amount
		}{
			{"年初预算", f.InitialBudget},
			{"全年预算", f.Budget},
			{"全年执行", f.Actual},
		} {
			x := w
			x.measure, x.amt = m.measure, m.a
			b.add(x)
		}
	}
}

// isTotalName tells a total row of a fund table by its name: 年度资金总额,
// 合计, 总计.
func isTotalName(s string) bool {
	for _, w := range []string{"总额", "合计", "总计"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// fundsByAmount maps each headline amount of r's funds (not its totals) to
// its fund, to tell which fund a model.Figure was taken from.
func fundsByAmount(r *model.Report) map[*model.Amount]*model.Fund {
	m := map[*model.Amount]*model.Fund{}
	for _, f := range r.Funds {
		for _, a := range []*model.Amount{f.Budget, f.Income, f.Expenditure, nodeAmount(f.Basic), nodeAmount(f.Project)} {
			if a != nil {
				m[a] = f
			}
		}
	}
	return m
}

func nodeAmount(n *model.Node) *model.Amount {
	if n == nil {
		return nil
	}
	return n.Amount
}
