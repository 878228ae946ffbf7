package gen

import (
	"strconv"
	"strings"
)

// node is a spending category as the report prints it.
type node struct {
	name, code string
	amt        money
	budget     money // 0: the report gives no budget for it
	statedRate bool  // print amt ÷ budget as the report's execution rate
	note       string
	items      []*node // full breakdown: adds up to amt
	ofWhich    []*node // 其中: parts singled out, less than amt
	pub        string  // published text, when it is not amt in 万元 (the 元 slip)
	erratum    string  // why pub is wrong, when the transcriber recorded it
}

// fund is one fund source, or the department as a whole (report.totals).
type fund struct {
	source, label                               string
	initial, adjust, budget, income, exp, carry money
	hasInitial, hasBudget, hasIncome, hasExp    bool
	hasCarry                                    bool
	rate                                        int64 // stated rate, hundredths of %; -1: none stated
	basic, project                              *node
	plan                                        *budgetPlan
	note                                        string
}

type budgetPlan struct {
	total          money
	basic, project *node
}

// budgetActual is one 三公 item; a missing budget is not printed.
type budgetActual struct {
	budget, actual money
	hasBudget      bool
}

type threePublic struct {
	total                                    budgetActual
	outbound, purchase, operation, reception *budgetActual
}

type project struct {
	name, group           string
	places                int
	budget, arrived, paid money
	hasArrived, hasPaid   bool
	desc                  string
	outputs               []string
	items                 []*node
}

type target struct{ name, text string }

type indicator struct {
	name                      string
	weight, score             score
	scored                    bool
	target, actual, deviation string
	items                     []*indicator
}

type scorePart struct {
	name          string
	weight, score score
	note          string
}

type staffing struct {
	authorized, inService, retired int
	showAuthorized                 bool
	byType                         []namedCount
}

type namedCount struct {
	name  string
	count int
}

type textErratum struct{ published, corrected, reason string }

type section struct {
	key, md string
	inline  bool
}

// report is one generated report: the numbers first, then the text that
// describes them.
type report struct {
	d      *dept
	pr     *profile
	r      *rng
	year   int
	seed   int64
	places int
	trim   bool
	unit   money

	title, date                    string
	evalMethod, evalText, evalBody string
	evalIssuer                     string
	hasScore, hasParts, showGrade  bool
	total                          score
	grade                          string
	parts                          []scorePart
	staff                          *staffing
	totals                         *fund
	funds                          []*fund
	three                          *threePublic
	projects                       []*project
	targets                        []target
	inds                           []*indicator
	indFull                        bool
	sections                       []section
	notes                          []string
	errata                         []textErratum
}

// m prints an amount at the report's precision.
func (rp *report) m(x money) string { return x.format(rp.places, rp.trim) }

// shown is a node's amount as the document prints it, with its unit.
func (rp *report) shown(n *node) string {
	if n.pub != "" {
		return n.pub
	}
	return rp.m(n.amt) + "万元"
}

// Report shapes, as the seed documents show them.
const (
	shapeFunds  = iota // per fund source, with or without department totals (云溪区)
	shapeFiscal        // one 财政拨款 fund with its budget plan (湘潭市)
	shapeTotals        // department totals only (大祥区, 芦淞区)
)

// profile is what stays the same across a department's years: the way
// its finance office writes, and the size of its budget.
type profile struct {
	places      int
	trim        bool
	shape       int
	codes       bool // function codes on project categories
	econBasic   bool // basic spending by economic class (301 …) rather than 人员/公用经费
	deepBasic   bool // break the classes down once more
	hasTotals   bool
	hasGov      bool
	hasOther    bool
	hasState    bool
	indFull     bool
	scoreStyle  int // 0: parts and total, 1: total only, 2: none
	inline      bool
	budget      money
	authorized  int
	staffScheme int
	unitType    string
	offices     []string
	subs        []string
	dutiesMode  int // 0: none, 1: in department.yaml, 2: duties.md
	showCode    bool
	showAuthor  bool
	fileExt     string
	evalMethod  int
}

func newProfile(r *rng, d *dept) *profile {
	pr := &profile{places: 2, trim: !r.chance(15)}
	if r.chance(12) {
		pr.places = 4
	}
	switch x := r.intn(100); {
	case x < 62:
		pr.shape = shapeFunds
	case x < 88:
		pr.shape = shapeFiscal
	default:
		pr.shape = shapeTotals
	}
	pr.codes = r.chance(45)
	pr.econBasic = r.chance(65)
	pr.deepBasic = r.chance(45)
	pr.hasTotals = r.chance(70)
	pr.hasGov = len(d.kind.fund) > 0 && r.chance(55)
	pr.hasOther = r.chance(40)
	pr.hasState = r.chance(6)
	pr.indFull = r.chance(78)
	switch x := r.intn(100); {
	case x < 58:
		pr.scoreStyle = 0
	case x < 88:
		pr.scoreStyle = 1
	default:
		pr.scoreStyle = 2
	}
	pr.inline = r.chance(10)
	// A county's 民政局 spends some 600–6000 万元 a year; other kinds and
	// levels scale from there.
	lo, hi := int64(600), int64(6000)
	base := money(r.between64(lo*int64(wan), hi*int64(wan)))
	base = money(int64(base) * int64(d.kind.scale) / 100 * d.scale())
	pr.budget = roundTo(base, unitFor(pr.places))
	switch d.level {
	case levelProvince:
		pr.authorized = r.between(80, 400)
	case levelCity:
		pr.authorized = r.between(30, 150)
	default:
		pr.authorized = r.between(12, 60)
	}
	pr.staffScheme = r.intn(2)
	pr.unitType = "行政单位"
	if r.chance(12) {
		pr.unitType = "参公事业单位"
	}
	suffix := [3]string{"处", "科", "股"}[d.level]
	pr.offices = []string{"办公室"}
	if r.chance(60) {
		pr.offices = append(pr.offices, "计划财务"+suffix)
	}
	for _, o := range subset(r, d.kind.offices, r.between(2, min(6, len(d.kind.offices)))) {
		pr.offices = append(pr.offices, o+suffix)
	}
	for _, s := range subset(r, d.kind.subs, r.between(0, min(4, len(d.kind.subs)))) {
		pr.subs = append(pr.subs, d.where()+s)
	}
	switch x := r.intn(100); {
	case x < 20:
		pr.dutiesMode = 0
	case x < 45:
		pr.dutiesMode = 1
	default:
		pr.dutiesMode = 2
	}
	pr.showCode = r.chance(60)
	pr.showAuthor = r.chance(70)
	pr.fileExt = pick(r, []string{".docx", ".pdf", ".doc", ".wps"})
	pr.evalMethod = r.intn(100)
	return pr
}

// basicSpec is basic spending by economic class, the same for every kind.
var basicSpec, _ = parseTree(strings.Split(`工资福利支出 301
  基本工资 30101
  津贴补贴 30102
  奖金 30103
  绩效工资 30107
  机关事业单位基本养老保险缴费 30108
  职业年金缴费 30109
  职工基本医疗保险缴费 30110
  住房公积金 30113
  其他工资福利支出 30199
商品和服务支出 302
  办公费 30201
  印刷费 30202
  水费 30205
  电费 30206
  邮电费 30207
  差旅费 30211
  维修（护）费 30213
  会议费 30215
  培训费 30216
  公务接待费 30217
  工会经费 30228
  福利费 30229
  公务用车运行维护费 30231
  其他交通费用 30239
  其他商品和服务支出 30299
对个人和家庭的补助 303
  退休费 30302
  生活补助 30305
  医疗费补助 30307
  奖励金 30309
资本性支出 310
  办公设备购置 31002
  信息网络及软件购置更新 31007`, "\n"))

// basicWeight is each economic item's usual share of its class, so that
// 基本工资 outweighs 奖金 and 公务接待费 stays small, as in real accounts.
var basicWeight = map[string]int64{
	"基本工资": 20, "津贴补贴": 22, "奖金": 6, "绩效工资": 15, "机关事业单位基本养老保险缴费": 10, "职业年金缴费": 4,
	"职工基本医疗保险缴费": 6, "住房公积金": 8, "其他工资福利支出": 3,
	"办公费": 10, "印刷费": 3, "水费": 2, "电费": 6, "邮电费": 4, "差旅费": 8, "维修（护）费": 8, "会议费": 3, "培训费": 3,
	"公务接待费": 2, "工会经费": 6, "福利费": 5, "公务用车运行维护费": 5, "其他交通费用": 15, "其他商品和服务支出": 10,
	"退休费": 40, "生活补助": 20, "医疗费补助": 20, "奖励金": 20,
	"办公设备购置": 60, "信息网络及软件购置更新": 40,
}

// buildReport makes the report of one year. The profile's budget grows from
// year to year, so a department's history reads like one.
func buildReport(r *rng, d *dept, pr *profile, year int, first bool, fl flaw, seed int64) *report {
	rp := &report{d: d, pr: pr, r: r, year: year, seed: seed, places: pr.places, trim: pr.trim}
	rp.unit = unitFor(rp.places)
	if !first {
		pr.budget = roundTo(money(int64(pr.budget)*int64(10000+r.between(-600, 1200))/10000), rp.unit)
	}
	rp.heading()
	rp.figures()
	rp.threePublicCosts()
	rp.keyProjects()
	rp.goals()
	rp.indicators()
	rp.scores()
	rp.staffing()
	switch fl {
	case flawSum, flawYuan:
		rp.breakParts(fl)
	case flawRate:
		rp.breakRate()
	default:
		if r.chance(1) {
			rp.recordedYuan()
		}
	}
	rp.narrative()
	return rp
}

func (rp *report) heading() {
	r, d, y := rp.r, rp.d, strconv.Itoa(rp.year)
	name := d.name
	switch r.intn(4) {
	case 0:
		rp.title = name + y + "年度部门整体支出绩效自评报告"
	case 1:
		rp.title = y + "年度" + name + "部门整体支出绩效评价报告"
	case 2:
		rp.title = name + y + "年度部门整体支出绩效评价自评报告"
	default:
		rp.title = y + "年" + name + "部门整体支出绩效自评报告"
	}
	month, day := r.between(3, 8), r.between(1, 28)
	switch x := r.intn(100); {
	case x < 75:
		rp.date = strconv.Itoa(rp.year+1) + "-" + two(month) + "-" + two(day)
	case x < 88:
		rp.date = strconv.Itoa(rp.year+1) + "-" + two(month)
	}
	switch m := rp.pr.evalMethod; {
	case m < 85:
		rp.evalMethod, rp.evalText = "部门自评", "部门（单位）绩效自评"
		rp.evalBody = pick(r, []string{"部门（单位）评价组", d.shortOrName() + "绩效评价工作领导小组", "绩效自评工作小组"})
	case m < 95:
		rp.evalMethod, rp.evalText = "第三方评价", "委托第三方机构评价"
		rp.evalBody = d.cityOrProvince() + pick(r, []string{"正信", "华信", "中和", "天健", "明诚"}) + "会计师事务所有限责任公司"
	default:
		rp.evalMethod, rp.evalText = "财政评价", "财政部门重点评价"
		rp.evalBody = d.finance() + "绩效管理科"
	}
	if r.chance(40) {
		rp.evalIssuer = d.finance() + "（制）"
	}
}

func two(n int) string { return strconv.Itoa(n/10) + strconv.Itoa(n%10) }

// shortOrName is the department's short name when it has one.
func (d *dept) shortOrName() string {
	if d.short != "" {
		return d.short
	}
	return d.name
}

// cityOrProvince names where a third-party evaluator would be based.
func (d *dept) cityOrProvince() string {
	if d.level == levelProvince {
		return d.prov.name
	}
	return d.city.name
}

// figures lays out the year's budget, income and spending in the profile's
// shape. Every total is the exact sum of its parts.
func (rp *report) figures() {
	r, pr, u := rp.r, rp.pr, rp.unit
	total := pr.budget
	newFund := func(source string, budget money) *fund {
		f := &fund{source: source, budget: budget, rate: -1, hasBudget: true, hasExp: true}
		bp := 10000
		if !r.chance(45) {
			bp = r.between(8500, 9999)
		}
		f.exp = pct(budget, bp, u)
		f.income = budget
		f.carry = f.income - f.exp
		return f
	}
	switch pr.shape {
	case shapeFunds:
		var others []*fund
		rest := total
		add := func(source string, lo, hi int) {
			b := pct(total, r.between(lo, hi), u)
			if b <= 0 || b >= rest {
				return
			}
			rest -= b
			others = append(others, newFund(source, b))
		}
		if pr.hasGov && r.chance(85) {
			add("政府性基金预算", 200, 1000)
		}
		if pr.hasState && r.chance(80) {
			add("国有资本经营预算", 50, 200)
		}
		if pr.hasOther && r.chance(85) {
			add("其他资金", 100, 800)
		}
		general := newFund("一般公共预算", rest)
		if r.chance(45) {
			general.adjust = pct(general.budget, r.between(-300, 2500), u)
			general.initial = general.budget - general.adjust
			general.hasInitial = general.initial > 0
		}
		general.hasIncome = r.chance(60)
		general.hasCarry = r.chance(35)
		rp.spending(general, 1500, 4500)
		if r.chance(30) {
			rp.plan(general)
		}
		rp.funds = append([]*fund{general}, others...)
		for _, f := range others {
			f.hasIncome = r.chance(50)
			f.hasCarry = r.chance(30)
			f.hasBudget = !pr.hasTotals || r.chance(60)
			switch f.source {
			case "政府性基金预算":
				f.project = rp.tree("项目支出", rp.d.kind.fund, f.exp, 1, 3)
				if r.chance(40) {
					f.note = "均用于项目支出。"
				}
			case "国有资本经营预算":
				rp.spending(f, 0, 5000)
			default:
				if r.chance(40) {
					f.project = rp.tree("项目支出", rp.d.kind.cats, f.exp, 1, 2)
				} else {
					rp.spending(f, 2000, 7000)
				}
			}
		}
		if pr.hasTotals {
			t := &fund{rate: -1, hasBudget: true, hasExp: true, hasIncome: true}
			for _, f := range rp.funds {
				t.budget += f.budget
				t.income += f.income
				t.exp += f.exp
				t.hasIncome = t.hasIncome && f.hasIncome
			}
			t.rate = rate(t.exp, t.budget)
			rp.totals = t
		} else {
			general.rate = rate(general.exp, general.budget)
			for _, f := range others {
				f.hasBudget = true
				if r.chance(30) {
					f.rate = rate(f.exp, f.budget)
				}
			}
		}
	case shapeFiscal:
		f := newFund("财政拨款", total)
		if r.chance(70) {
			f.adjust = pct(total, r.between(-300, 3000), u)
			f.initial = total - f.adjust
			f.hasInitial = f.initial > 0
		}
		f.hasIncome, f.hasCarry = true, r.chance(70)
		f.rate = rate(f.exp, f.budget)
		rp.spending(f, 1500, 5000)
		if r.chance(60) {
			rp.plan(f)
		}
		rp.funds = []*fund{f}
		if r.chance(30) {
			rp.funds = append(rp.funds, &fund{source: "其他资金", label: "非财政拨款", rate: -1,
				carry: pct(total, r.between(50, 500), u), hasCarry: true})
		}
	case shapeTotals:
		t := newFund("", total)
		t.rate = rate(t.exp, t.budget)
		rp.spending(t, 1500, 5000)
		if r.chance(30) {
			rp.plan(t)
		}
		rp.totals = t
	}
}

// spending splits a fund's expenditure into basic and project spending
// with basic taking lo–hi basis points, and builds both trees.
func (rp *report) spending(f *fund, lo, hi int) {
	r := rp.r
	basic := pct(f.exp, r.between(lo, hi), rp.unit)
	if basic <= 0 || basic >= f.exp {
		f.project = rp.tree("项目支出", rp.d.kind.cats, f.exp, 2, 5)
		return
	}
	f.basic = rp.basicTree(basic)
	f.project = rp.tree("项目支出", rp.d.kind.cats, f.exp-basic, 2, 5)
	if r.chance(20) {
		withBudget(r, f.basic, rp.unit)
	}
	if r.chance(8) {
		withBudget(r, f.project, rp.unit)
	}
}

// withBudget gives n a budget a little above its amount and states the
// execution rate, as 芦淞区 does for its project spending.
func withBudget(r *rng, n *node, unit money) {
	b := roundTo(money(int64(n.amt)*10000/int64(r.between(8800, 10000))), unit)
	if b < n.amt {
		b = n.amt
	}
	n.budget, n.statedRate = b, true
}

// plan adds the approved budget's split: the initial budget (or the full
// one) into basic and project, the basic part sometimes by 人员/公用经费.
func (rp *report) plan(f *fund) {
	r, u := rp.r, rp.unit
	total := f.budget
	if f.hasInitial {
		total = f.initial
	}
	basicShare := 3000
	if f.basic != nil && f.exp > 0 {
		basicShare = int(int64(f.basic.amt) * 10000 / int64(f.exp))
	}
	b := pct(total, min(9500, max(500, basicShare+r.between(-500, 500))), u)
	if b <= 0 || b >= total {
		return
	}
	pl := &budgetPlan{total: total, basic: &node{name: "基本支出", amt: b}, project: &node{name: "项目支出", amt: total - b}}
	if r.chance(50) {
		personnel := pct(b, r.between(7000, 9000), u)
		pl.basic.items = []*node{{name: "人员经费", amt: personnel}, {name: "公用经费", amt: b - personnel}}
	}
	if r.chance(30) {
		pl.project.note = "均为业务性专项经费。"
	}
	f.plan = pl
}

// basicTree is basic spending by economic class or by 人员/公用经费.
func (rp *report) basicTree(total money) *node {
	r, u := rp.r, rp.unit
	root := &node{name: "基本支出", amt: total}
	if !rp.pr.econBasic {
		personnel := pct(total, r.between(7000, 9200), u)
		if personnel <= 0 || personnel >= total {
			return root
		}
		p := &node{name: "人员经费", amt: personnel}
		c := &node{name: "公用经费", amt: total - personnel}
		if rp.pr.deepBasic {
			rp.breakdown(p, []string{"工资福利支出", "对个人和家庭的补助"}, []string{"301", "303"})
			rp.breakdown(c, []string{"商品和服务支出", "资本性支出"}, []string{"302", "310"})
		}
		root.items = []*node{p, c}
		return root
	}
	type share struct {
		spec   *catSpec
		bp     int
		wanted bool
	}
	shares := []share{
		{basicSpec[0], r.between(6000, 8200), true},
		{basicSpec[1], 0, true},
		{basicSpec[2], r.between(200, 1000), r.chance(70)},
		{basicSpec[3], r.between(100, 500), r.chance(35)},
	}
	rest := total
	amts := make([]money, len(shares))
	for i, s := range shares {
		if !s.wanted || s.bp == 0 {
			continue
		}
		amts[i] = pct(total, s.bp, u)
		rest -= amts[i]
	}
	if rest <= 0 || amts[0] <= 0 {
		return root
	}
	amts[1] = rest
	for i, s := range shares {
		if amts[i] <= 0 {
			continue
		}
		n := &node{name: s.spec.name, code: s.spec.code, amt: amts[i]}
		if rp.pr.deepBasic && (i < 2 || r.chance(40)) {
			kids := subset(r, s.spec.kids, r.between(min(3, len(s.spec.kids)), min(7, len(s.spec.kids))))
			w := make([]int64, len(kids))
			for j, k := range kids {
				w[j] = basicWeight[k.name] * int64(r.between(80, 120))
			}
			for j, a := range allot(n.amt, w, u) {
				n.items = append(n.items, &node{name: kids[j].name, code: kids[j].code, amt: a})
			}
		}
		root.items = append(root.items, n)
	}
	return root
}

// breakdown splits n into the named parts.
func (rp *report) breakdown(n *node, names, codes []string) {
	parts := split(rp.r, n.amt, len(names), rp.unit)
	if len(parts) < 2 {
		return
	}
	for i, a := range parts {
		n.items = append(n.items, &node{name: names[i], code: codes[i], amt: a})
	}
}

// tree is a project-spending node of lo–hi categories drawn from specs.
func (rp *report) tree(name string, specs []*catSpec, total money, lo, hi int) *node {
	root := &node{name: name, amt: total}
	k := rp.r.between(min(lo, len(specs)), min(hi, len(specs)))
	chosen := subset(rp.r, specs, k)
	for i, a := range split(rp.r, total, len(chosen), rp.unit) {
		root.items = append(root.items, rp.category(chosen[i], a))
	}
	return root
}

// category builds one category, broken down (or with 其中 items) as its
// spec allows; the depth follows the spec, two or three levels.
func (rp *report) category(s *catSpec, amt money) *node {
	r := rp.r
	n := &node{name: s.name, amt: amt}
	if rp.pr.codes {
		n.code = s.code
	}
	if len(s.kids) == 0 || r.chance(15) {
		return n
	}
	// One listed part would only repeat the category: it is a 其中 item.
	if len(s.kids) == 1 && r.chance(50) {
		return n
	}
	if len(s.kids) == 1 || r.chance(12) {
		kids := subset(r, s.kids, r.between(1, min(2, len(s.kids))))
		part := pct(amt, r.between(3000, 8000), rp.unit)
		for i, a := range split(r, part, len(kids), rp.unit) {
			n.ofWhich = append(n.ofWhich, &node{name: kids[i].name, amt: a})
		}
		return n
	}
	kids := subset(r, s.kids, r.between(min(2, len(s.kids)), len(s.kids)))
	for i, a := range split(r, amt, len(kids), rp.unit) {
		n.items = append(n.items, rp.category(kids[i], a))
	}
	return n
}

// expenditure is the department's spending: the totals' or the funds' sum.
func (rp *report) expenditure() money {
	if rp.totals != nil {
		return rp.totals.exp
	}
	var s money
	for _, f := range rp.funds {
		if f.hasExp {
			s += f.exp
		}
	}
	return s
}

func (rp *report) budgetTotal() money {
	if rp.totals != nil {
		return rp.totals.budget
	}
	var s money
	for _, f := range rp.funds {
		if f.hasBudget {
			s += f.budget
		}
	}
	return s
}

// projectSpending is the sum of the project nodes, for sizing key projects.
func (rp *report) projectSpending() money {
	var s money
	for _, f := range rp.allFunds() {
		if f.project != nil {
			s += f.project.amt
		}
	}
	return s
}

func (rp *report) allFunds() []*fund {
	if rp.totals != nil {
		return append([]*fund{rp.totals}, rp.funds...)
	}
	return rp.funds
}

func (rp *report) threePublicCosts() {
	r := rp.r
	if !r.chance(80) {
		return
	}
	sc := rp.d.scale()
	if sc > 3 {
		sc = 4
	}
	amount := func(lo, hi int) money {
		return money(int64(r.between(lo*100, hi*100)) * int64(cents) * sc)
	}
	actual := func(b money) money {
		if b == 0 {
			return 0
		}
		return pct(b, r.between(4000, 10000), cents)
	}
	tp := &threePublic{}
	tp.operation = &budgetActual{budget: amount(3, 30), hasBudget: true}
	tp.operation.actual = actual(tp.operation.budget)
	tp.reception = &budgetActual{budget: amount(1, 12), hasBudget: true}
	tp.reception.actual = actual(tp.reception.budget)
	tp.outbound = &budgetActual{}
	if r.chance(10) {
		tp.outbound = &budgetActual{budget: amount(2, 10), hasBudget: true}
		tp.outbound.actual = actual(tp.outbound.budget)
	}
	if r.chance(15) {
		tp.purchase = &budgetActual{budget: amount(15, 35), hasBudget: true}
		tp.purchase.actual = actual(tp.purchase.budget)
	} else if r.chance(50) {
		tp.purchase = &budgetActual{}
	}
	tp.total.hasBudget = true
	for _, it := range []*budgetActual{tp.outbound, tp.purchase, tp.operation, tp.reception} {
		if it == nil {
			continue
		}
		tp.total.budget += it.budget
		tp.total.actual += it.actual
	}
	rp.three = tp
}

var projectGroups = []string{"50万元以上项目", "重点项目", "社保民生资金大预算中超50万元以上项目", "部门重点项目"}

func (rp *report) keyProjects() {
	r := rp.r
	specs := rp.d.kind.projects
	if !r.chance(85) {
		return
	}
	chosen := subset(r, specs, r.between(min(3, len(specs)), min(6, len(specs))))
	pool := pct(rp.projectSpending(), r.between(3000, 8000), cents)
	budgets := split(r, pool, len(chosen), cents)
	group := pick(r, projectGroups)
	for _, b := range budgets {
		if b < 50*wan && strings.Contains(group, "50万元以上") {
			group = "重点项目"
		}
	}
	places := 2
	if r.chance(20) {
		places = 4
	}
	pu := unitFor(places)
	for i, b := range budgets {
		s := chosen[i]
		p := &project{name: s.name, group: group, places: places, budget: b}
		p.arrived = b
		if r.chance(30) {
			p.arrived = pct(b, r.between(7000, 9999), cents)
		}
		p.hasArrived = r.chance(50)
		p.paid = roundTo(pct(p.arrived, r.between(8000, 10000), 1), pu)
		if p.paid > p.arrived {
			p.paid = p.arrived
		}
		p.hasPaid = r.chance(80)
		if p.hasPaid && len(s.parts) >= 2 && r.chance(40) {
			names := subset(r, s.parts, r.between(2, len(s.parts)))
			for j, a := range split(r, p.paid, len(names), pu) {
				p.items = append(p.items, &node{name: names[j], amt: a})
			}
		} else if p.hasPaid && r.chance(15) {
			names := []string{"中央补助资金", "省级补助资金", rp.d.levelChar() + "级配套资金"}
			if rp.d.level == levelProvince {
				names = names[:2]
			}
			for j, a := range split(r, p.paid, len(names), pu) {
				p.items = append(p.items, &node{name: names[j], amt: a})
			}
		}
		for _, o := range s.outputs {
			p.outputs = append(p.outputs, rp.expand(o))
		}
		var desc strings.Builder
		desc.WriteString(s.name + "预算安排" + p.budget.format(places, true) + "万元")
		if p.hasArrived {
			desc.WriteString("，实际到位资金" + p.arrived.format(places, true) + "万元")
		}
		if p.hasPaid {
			desc.WriteString("，实际支出" + p.paid.format(places, true) + "万元")
		}
		desc.WriteString("。" + strings.Join(p.outputs, "，") + "。" + rp.expand(s.effect) + "。")
		p.desc = desc.String()
		rp.projects = append(rp.projects, p)
	}
}

func (rp *report) goals() {
	r := rp.r
	named := r.chance(85)
	for i, t := range subset(r, rp.d.kind.targets, r.between(3, min(5, len(rp.d.kind.targets)))) {
		g := target{text: rp.expand(t)}
		if named {
			g.name = "目标" + strconv.Itoa(i+1)
		}
		rp.targets = append(rp.targets, g)
	}
}

var deviations = []string{
	"受项目实施进度影响，未完全达到年度目标，下一步将加快推进项目实施。",
	"部分资金下达较晚，项目实施时间不足，导致完成值略低于目标值。",
	"服务对象需求发生变化，实际完成数低于计划数，已在下年度目标设置中调整。",
	"受上级政策调整影响，部分工作未能按计划完成，将在下一年度继续推进。",
}

// indicators builds the three-level tree: 产出/效益/满意度 → 数量、质量 … →
// the indicators, each level's score the sum of the level below.
func (rp *report) indicators() {
	r, k := rp.r, rp.d.kind
	if !r.chance(90) {
		return
	}
	rp.indFull = rp.pr.indFull
	weights := pick(r, [][3]int{{50, 30, 10}, {50, 30, 20}, {60, 20, 10}, {40, 40, 20}})
	type group struct {
		name  string
		specs []indSpec
	}
	level1 := []struct {
		name   string
		groups []group
	}{
		{"产出指标", []group{
			{"数量指标", subset(r, k.quantity, r.between(2, min(5, len(k.quantity))))},
			{"质量指标", subset(r, k.quality, r.between(1, min(3, len(k.quality))))},
			{"时效指标", subset(r, common.timeliness, r.between(1, 2))},
			{"成本指标", subset(r, common.cost, r.intn(2))},
		}},
		{"效益指标", []group{
			{"社会效益指标", subset(r, k.social, r.between(1, min(3, len(k.social))))},
			{"经济效益指标", subset(r, common.economic, boolInt(r.chance(15)))},
			{"可持续影响指标", subset(r, common.sustain, r.intn(2))},
		}},
		{"满意度指标", []group{
			{"服务对象满意度指标", subset(r, k.satisfied, r.between(1, len(k.satisfied)))},
		}},
	}
	for i, l1 := range level1 {
		top := &indicator{name: l1.name, weight: score(weights[i] * 100), scored: rp.indFull}
		var groups []group
		leaves := 0
		for _, g := range l1.groups {
			if len(g.specs) > 0 {
				groups = append(groups, g)
				leaves += len(g.specs)
			}
		}
		gw := proportional(weights[i], groups, func(g group) int { return len(g.specs) })
		for j, g := range groups {
			mid := &indicator{name: g.name, weight: score(gw[j] * 100), scored: rp.indFull}
			lw := even(gw[j], len(g.specs))
			for n, s := range g.specs {
				leaf := rp.leaf(s, score(lw[n]*100))
				mid.items = append(mid.items, leaf)
				mid.score += leaf.score
			}
			top.items = append(top.items, mid)
			top.score += mid.score
		}
		rp.inds = append(rp.inds, top)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// even splits total into k near-equal whole parts, the larger ones first.
func even(total, k int) []int {
	out := make([]int, k)
	for i := range out {
		out[i] = total / k
		if i < total%k {
			out[i]++
		}
	}
	return out
}

// proportional splits total among xs in proportion to size, in whole
// numbers that add up to total.
func proportional[T any](total int, xs []T, size func(T) int) []int {
	out := make([]int, len(xs))
	sum := 0
	for _, x := range xs {
		sum += size(x)
	}
	if sum == 0 {
		return out
	}
	given := 0
	for i, x := range xs {
		out[i] = total * size(x) / sum
		given += out[i]
	}
	for i := 0; given < total; i = (i + 1) % len(out) {
		out[i]++
		given++
	}
	return out
}

// leaf is one level-3 indicator with its target, actual and score; a few
// fall short and lose points, with the reason.
func (rp *report) leaf(s indSpec, weight score) *indicator {
	r := rp.r
	ind := &indicator{name: s.name, weight: weight, score: weight, scored: rp.indFull}
	short := rp.indFull && s.op != "Q" && weight >= 100 && r.chance(12)
	if s.op == "Q" {
		ind.target, ind.actual = s.target, s.actual
		if !rp.indFull && r.chance(50) {
			ind.target = ""
		}
		return rp.deviation(ind, false)
	}
	lo, hi := s.lo, s.hi
	if s.scaled {
		lo, hi = lo*int(rp.d.scale()), hi*int(rp.d.scale())
	}
	t := nice(r.between(lo, hi))
	unit := s.unit
	if unit == "%" {
		tenths := func(x int) string {
			if x%10 == 0 {
				return strconv.Itoa(x/10) + "%"
			}
			return strconv.Itoa(x/10) + "." + strconv.Itoa(x%10) + "%"
		}
		ind.target = s.op + strconv.Itoa(t) + "%"
		switch s.op {
		case "≥":
			a := t*10 + r.between(0, (100-t)*10)
			if short {
				a = t*10 - r.between(5, 40)
			}
			ind.actual = tenths(a)
		case "≤":
			a := t*10 - r.between(0, t*5)
			if short {
				a = t*10 + r.between(1, 20)
			}
			ind.actual = tenths(a)
		default:
			ind.actual = strconv.Itoa(t) + "%"
			if short && t == 100 {
				ind.actual = tenths(1000 - r.between(5, 40))
			} else {
				short = false
			}
		}
	} else {
		ind.target = s.op + strconv.Itoa(t) + unit
		a := t
		switch s.op {
		case "≥":
			a = t + t*r.between(0, 15)/100
			if short {
				a = t - max(1, t*r.between(2, 15)/100)
			}
		case "≤":
			a = t - t*r.between(0, 30)/100
			if short {
				a = t + max(1, t*r.between(2, 15)/100)
			}
		default:
			short = false
		}
		ind.actual = strconv.Itoa(a) + unit
	}
	if !rp.indFull && r.chance(40) {
		ind.target = ""
	}
	if short {
		lost := score(r.between(1, 4) * 50)
		ind.score = max(0, weight-min(lost, weight))
	}
	return rp.deviation(ind, short)
}

func (rp *report) deviation(ind *indicator, short bool) *indicator {
	switch {
	case short:
		ind.deviation = pick(rp.r, deviations)
	case rp.indFull && rp.r.chance(30):
		ind.deviation = "无偏差"
	}
	return ind
}

// nice rounds a drawn count the way targets are set: 3000, not 2987.
func nice(x int) int {
	switch {
	case x >= 10000:
		return x / 1000 * 1000
	case x >= 1000:
		return x / 100 * 100
	case x >= 100:
		return x / 10 * 10
	}
	return x
}

var scoreParts = []struct {
	name   string
	weight int
}{{"预算执行", 30}, {"预算管理", 20}, {"资产管理", 5}, {"效果产出", 45}}

func (rp *report) scores() {
	r := rp.r
	if rp.pr.scoreStyle == 2 {
		return
	}
	rp.hasScore = true
	rp.hasParts = rp.pr.scoreStyle == 0
	rp.showGrade = rp.hasParts || r.chance(50)
	for _, sp := range scoreParts {
		w := score(sp.weight * 100)
		p := scorePart{name: sp.name, weight: w, score: w, note: "无扣分项目"}
		if r.chance(35) {
			lost := score(r.between(5, 250))
			p.score = w - min(lost, w)
			p.note = pick(r, []string{
				"部分指标未完全达到目标值，扣" + lost.String() + "分。",
				"预算执行率未达到100%，扣" + lost.String() + "分。",
				"绩效目标细化量化不够，扣" + lost.String() + "分。",
				"资金拨付进度滞后，扣" + lost.String() + "分。",
			})
		}
		rp.total += p.score
		rp.parts = append(rp.parts, p)
	}
	switch t := rp.total; {
	case t >= 9000:
		rp.grade = "优"
	case t >= 8000:
		rp.grade = "良"
	case t >= 6000:
		rp.grade = "中"
	default:
		rp.grade = "差"
	}
}

var staffSchemes = [][]string{
	{"行政编制人员", "事业编制人员", "工勤人员"},
	{"全额拨款人员", "自收自支人员", "退伍安置人员"},
}

func (rp *report) staffing() {
	r, pr := rp.r, rp.pr
	if !r.chance(75) {
		return
	}
	s := &staffing{authorized: pr.authorized, showAuthorized: r.chance(60)}
	s.inService = max(1, pr.authorized-r.between(0, pr.authorized/8))
	s.retired = s.inService * r.between(20, 90) / 100
	if r.chance(65) {
		names := staffSchemes[pr.staffScheme]
		for i, c := range split(r, money(s.inService), r.between(2, 3), 1) {
			s.byType = append(s.byType, namedCount{names[i], int(c)})
		}
	}
	rp.staff = s
}

// leafRef is a breakdown item with no breakdown of its own, and its parent.
type leafRef struct{ leaf, parent *node }

// leaves lists the items of the spending trees that can carry a wrong
// figure without disturbing any other check than their parent's sum.
func (rp *report) leaves(minAmt money) []leafRef {
	var out []leafRef
	var walk func(n *node)
	walk = func(n *node) {
		for _, it := range n.items {
			if len(it.items) == 0 && len(it.ofWhich) == 0 && it.amt >= minAmt && it.budget == 0 {
				out = append(out, leafRef{it, n})
			}
			walk(it)
		}
	}
	for _, f := range rp.allFunds() {
		for _, n := range []*node{f.basic, f.project} {
			if n != nil {
				walk(n)
			}
		}
	}
	return out
}

// breakParts plants flawSum or flawYuan: one item's figure no longer adds
// up with its siblings to their parent.
func (rp *report) breakParts(fl flaw) {
	r := rp.r
	if fl == flawYuan {
		if c := rp.leaves(wan); len(c) > 0 {
			l := pick(r, c)
			l.leaf.pub = rp.m(l.leaf.amt) + "元"
			return
		}
	}
	c := rp.leaves(0)
	if len(c) == 0 {
		return // no breakdown to break; the test counting warnings would notice
	}
	l := pick(r, c)
	stated := l.parent.amt
	delta := money(r.between(1, 40))*wan + money(r.between(0, 99))*cents
	if l.leaf.amt > delta && r.chance(50) {
		l.leaf.amt -= delta
	} else {
		l.leaf.amt += delta
	}
	if r.chance(50) {
		var sum money
		for _, it := range l.parent.items {
			sum += it.amt
		}
		gap := stated - sum
		more := "多"
		if gap < 0 {
			gap, more = -gap, "少"
		}
		rp.notes = append(rp.notes, "原文所列"+l.parent.name+"各分项之和为"+rp.m(sum)+"万元，比"+l.parent.name+
			"合计"+rp.m(stated)+"万元"+more+rp.m(gap)+"万元，原文未作说明，按原文照录。")
	}
}

// breakRate plants flawRate: the stated execution rate is not what the
// stated expenditure and budget give.
func (rp *report) breakRate() {
	r := rp.r
	f := rp.totals
	if f == nil || f.rate < 0 {
		for _, g := range rp.funds {
			if g.rate >= 0 {
				f = g
				break
			}
		}
	}
	if f == nil || f.rate < 0 {
		return // every shape states a rate; the test counting warnings would notice
	}
	truth := f.rate
	if truth < 9900 && r.chance(60) {
		f.rate = 10000
	} else if truth > 5000 {
		f.rate = truth - int64(r.between(300, 1500))
	} else {
		f.rate = truth + int64(r.between(300, 1500))
	}
	if r.chance(40) {
		rp.notes = append(rp.notes, "原文称执行率为"+formatRate(f.rate)+"，但所列预算数"+rp.m(f.budget)+"万元、支出数"+
			rp.m(f.exp)+"万元，二者之比约为"+formatRate(truth)+"；原文未说明执行率的计算口径，照录原文。")
	}
}

// recordedYuan is the 元 slip as a careful transcriber records it: an
// erratum, which the checker notes and does not warn about.
func (rp *report) recordedYuan() {
	c := rp.leaves(wan)
	if len(c) == 0 {
		return
	}
	l := pick(rp.r, c)
	l.leaf.pub = rp.m(l.leaf.amt) + "元"
	l.leaf.erratum = "原文写作“" + l.leaf.pub + "”，同段其他金额均以万元计，且各分项之和须按" + rp.m(l.leaf.amt) +
		"万元计才与" + l.parent.name + "合计" + rp.m(l.parent.amt) + "万元相符，判定为单位笔误。"
}
