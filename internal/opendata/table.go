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
	{"资金来源", "一般公共预算、政府性基金预算、财政拨款、其他资金等；原文不分资金来源的部门整体数为“部门整体”；三公经费和项目不分资金来源，空白"},
	{"资金名称", "原文对这笔资金的称呼，未另行称呼时同资金来源"},
	{"口径", "数字所属的表：收支（预算、收入、支出、结转结余）、基本支出、项目支出、预算批复（批复的基本支出、项目支出预算）、三公经费、项目（重点项目）"},
	{"类别路径", "从口径的总数到本项的类别名称，用“/”分隔，如 项目支出/社会福利支出/儿童福利支出；收支各数为“合计”；项目为项目名称及其资金细分"},
	{"类别层级", "类别路径的层数：1 为总数，2 为其下一级，依此类推"},
	{"分项性质", "总数：口径的总数；细分：上一级的完整细分，同级各项之和应等于上一级；其中：上一级中单独列出的部分，不要求加总，汇总时应排除以免重复"},
	{"末级", "是：本项在本口径内没有再细分；否：其下还有细分项。在同一部门、年度、资金来源、口径和数据项之内，只对“末级=是”且“分项性质≠其中”的行求和，不会重复计算"},
	{"科目编码", "支出功能分类或经济分类科目编码（原文写了才有）"},
	{"项目", "重点项目名称（口径为项目时）"},
	{"项目类别", "项目所属类别，如 社保民生资金大预算中超50万元以上项目"},
	{"数据项", "数字的含义：年初预算、调整预算、全年预算、收入、支出、结转结余（收支）；预算、支出（类别和三公经费）；预算、资金到位、实际拨付（项目）"},
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
		strconv.Itoa(w.year), w.source, w.fundName, w.scope,
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
	b := &rowBuilder{base: row{dept: r.Department, year: r.Year}, emit: emit}
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
	spent := measures{amount: "支出", budget: "预算"}
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
		planned := measures{amount: "预算", budget: "预算"}
		b.root(plan, []string{scopePlan}, scopeBasic, kindItem, p.Basic, planned)
		b.root(plan, []string{scopePlan}, scopeProject, kindItem, p.Project, planned)
	}
}

// measures names what a node's Amount and Budget mean in a given table: in
// a fund's spending tree the amount is what was spent, in the approved
// budget it is the budget, under a project it is what was paid out.
type measures struct{ amount, budget string }

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
	a, bud := w, w
	a.measure, a.amt = m.amount, n.Amount
	bud.measure, bud.amt = m.budget, n.Budget
	b.add(a)
	b.add(bud)
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
var threePublicNames = []string{"因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"}

func (b *rowBuilder) threePublic(t *model.ThreePublic) {
	if t == nil {
		return
	}
	base := b.base
	base.scope = scopeThree
	items := []*model.BudgetActual{t.Outbound, t.VehiclePurchase, t.VehicleOperation, t.Reception}
	anyItem := false
	for _, it := range items {
		anyItem = anyItem || it != nil
	}
	pair := func(w row, ba *model.BudgetActual) {
		if ba == nil {
			return
		}
		x, y := w, w
		x.measure, x.amt = "预算", ba.Budget
		y.measure, y.amt = "支出", ba.Actual
		b.add(x)
		b.add(y)
	}
	total := base
	total.path, total.kind, total.leaf = []string{scopeThree}, kindTotal, !anyItem
	pair(total, t.Total)
	for i, it := range items {
		w := base
		w.path, w.kind, w.leaf = []string{scopeThree, threePublicNames[i]}, kindItem, true
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
	paid := measures{amount: "实际拨付", budget: "预算"}
	for _, n := range p.Items {
		b.node(base, []string{p.Name, n.Name}, kindItem, n, paid)
	}
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
