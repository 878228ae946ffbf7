package importer

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"disclose/internal/model"
)

// fundWords maps the words a report names a fund source with to the source
// the model knows it by.
var fundWords = []struct{ word, source string }{
	{"非财政拨款", "其他资金"},
	{"一般公共预算", "一般公共预算"},
	{"政府性基金", "政府性基金预算"},
	{"国有资本经营", "国有资本经营预算"},
	{"财政拨款", "财政拨款"},
	{"其他资金", "其他资金"},
}

func fundOf(label string) string {
	for _, f := range fundWords {
		if strings.Contains(label, f.word) {
			return f.source
		}
	}
	return ""
}

// threePublicWords names the 三公 items in the words reports use.
var threePublicWords = []struct{ word, field string }{
	{"三公", "total"},
	{"出国", "outbound"},
	{"公务用车购置及运行", "vehicles"},
	{"公务用车购置", "vehicle_purchase"},
	{"车辆购置", "vehicle_purchase"},
	{"运行维护", "vehicle_operation"},
	{"公务接待", "reception"},
}

// reader carries what the sentences so far have established: which fund
// they speak of, which node a "其中" list belongs to, whether numbered items
// are parts of the project spending or projects of their own.
type reader struct {
	d        *Draft
	kind     model.DocKind // what the document is: which figures its prose may hold
	fund     string        // "" before any: the department as a whole
	anyFund  bool
	anchor   string // node path the next parts belong to
	parent   string // node path numbered items belong to
	projects bool   // numbered items are projects (a 重点项目 section)
	project  string // the current project's path
	budget   bool   // the sentence speaks of a budget (批复, 预算总数)
	wide     string // the words before the figure, brackets and all
	last     string // the node placed last, whose parts a bracket lists
	carry    bool   // the last sentence ended in a semicolon
	issuing  bool   // this sentence lists money paid out ("发放")
	tpItem   string // the 三公 item this sentence speaks of
	target   string // the target whose text may go on in the next paragraph
	which    bool   // and was listing "其中" parts
	parts    map[string]int
	placed   int
}

func (r *reader) ctx() string {
	if r.fund == "" {
		return "totals"
	}
	return "funds[" + r.fund + "]"
}

// fig is a figure's published text: the number as printed and its unit
// unless it is the report's own 万元.
func fig(m mention) string {
	n := strings.ReplaceAll(strings.ReplaceAll(m.num, "，", ","), ",", ",")
	switch m.unit {
	case "万元", "万", "":
		return n
	}
	return n + m.unit
}

var projectNameCut = regexp.MustCompile(`(市本级|区本级|县本级|预算安排|安排资金|年初预算|预算资金|预算)`)

// narrativeFigures reads the money figures of a report's prose into the
// draft, and lists the ones it cannot place.
func (r *reader) paragraph(p *para) {
	r.carry = false
	r.targets(p)
	r.scores(p)
	if p.heading || isHeading(p.text) {
		r.heading(p.text)
	}
	numbered := numberingRE.FindString(p.text)
	for _, sen := range sentences(p.text) {
		r.sentence(p, sen.s, sen.off, numbered != "" && sen.off == 0)
	}
}

func isHeading(s string) bool {
	return numberingRE.MatchString(s) && len([]rune(s)) <= 30 && !strings.ContainsAny(s, "。；，")
}

func (r *reader) heading(text string) {
	t := cleanLabel(text)
	switch {
	case strings.Contains(t, "项目") && (strings.Contains(t, "万元以上") || strings.Contains(t, "重点") || strings.Contains(t, "专项")):
		r.projects = true
	case fundOf(t) != "":
		r.fund, r.anyFund = fundOf(t), true
		r.projects = false
	default:
		r.projects = false
	}
	r.parent, r.anchor = "", ""
}

func (r *reader) sentence(p *para, s string, off int, numbered bool) {
	ms := mentions(s)
	budget := strings.Contains(s, "批复") || strings.Contains(s, "绩效目标的金额") || strings.Contains(s, "预算总数")
	r.budget = budget || r.carry && r.budget
	inWhich := r.carry && r.which // a "其中" list goes on past a semicolon
	whichAt := strings.Index(s, "其中")
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "其中") || strings.HasPrefix(t, "用于") {
		inWhich = true
	}
	if strings.Contains(s, "预算收入") {
		for _, m := range ms {
			r.unplaced(p, s, off, m, "预算收入的构成，报告里没有对应的位置")
		}
		return
	}
	if !r.carry || r.parts == nil {
		r.parts = map[string]int{}
	}
	r.issuing = false
	if !r.carry {
		r.tpItem = ""
	}
	var stack []string
	prevEnd := 0
	for i, m := range ms {
		// Parts in brackets belong to the item just before the bracket:
		// "养老服务事业121.86万元（其中敬老院维修改造54万元…）".
		between := s[prevEnd:m.start]
		for _, ch := range between {
			switch ch {
			case '（', '(':
				stack = append(stack, r.anchor)
				if r.last != "" {
					r.anchor = r.last
				}
				inWhich = true
			case '）', ')':
				if n := len(stack); n > 0 {
					r.anchor, stack = stack[n-1], stack[:n-1]
				}
			}
		}
		prevEnd = m.end
		if whichAt >= 0 && m.start > whichAt {
			inWhich = true
		}
		prov := &Prov{Loc: p.locAt(off + m.start), Quote: quote(s, m.start, m.end)}
		label := cleanLabel(m.label)
		if label == "" {
			// "基本支出情况：合计数为1723.59万元": the subject is the
			// clause before.
			before := strings.TrimSuffix(strings.TrimRight(s[:m.start], " \t"), m.label)
			before = strings.TrimRight(before, "，,：: ")
			if i := lastBreak(before); i >= 0 {
				before = before[i:]
			}
			label = strings.TrimSuffix(cleanLabel(before), "情况")
		}
		wide := s[:m.start]
		if i := lastBreakOutside(wide); i >= 0 {
			wide = wide[i:]
		}
		r.wide = cleanLabel(wide)
		if (strings.Contains(label, "用于") || strings.Contains(label, "包含") || strings.Contains(label, "包括")) && !strings.HasPrefix(label, "用于") {
			inWhich = true
		}
		if m.approx || m.rate {
			r.unplaced(p, s, off, m, "约数或标准，不是金额")
			continue
		}
		if !r.place(s, m, i, label, numbered && i == 0, inWhich, prov) {
			r.unplaced(p, s, off, m, "没有找到它在报告中的位置")
		} else {
			r.placed++
		}
		// "均用于项目支出": the fund's whole spending is project spending.
		if rest := s[m.end:]; strings.HasPrefix(strings.TrimLeft(rest, "，, "), "均用于项目支出") || strings.HasPrefix(strings.TrimLeft(rest, "，, "), "全部用于项目支出") {
			if r.d.Has(r.ctx() + ".expenditure") {
				r.node(r.ctx(), "project", "项目支出", "项目支出", fig(m), prov)
				r.parent = r.anchor
			}
		}
	}
	t := strings.TrimSpace(s)
	r.carry = strings.HasSuffix(t, "；") || strings.HasSuffix(t, ";")
	r.which = inWhich
	if r.carry {
		return
	}
	// One "其中" item is not a breakdown: it is what of_which holds (on
	// spending lines; a project's parts are always items).
	for anchor, n := range r.parts {
		if n == 1 && !strings.HasPrefix(anchor, "projects[") {
			r.d.Rename(anchor, "items", "of_which")
		}
	}
}

func (r *reader) unplaced(p *para, s string, off int, m mention, why string) {
	r.d.Unplaced = append(r.d.Unplaced, Unplaced{Prov: Prov{Loc: p.locAt(off + m.start), Quote: quote(s, m.start, m.end)}, Why: why, figure: fig(m)})
}

// place puts one figure where its words say it belongs.
func (r *reader) place(s string, m mention, i int, label string, first, inWhich bool, prov *Prov) bool {
	text := fig(m)
	// Only a self-evaluation report tells its funds in prose; in the other
	// kinds such sentences restate their tables, which are read as tables.
	// Any kind may state its 三公 costs.
	if r.kind == model.KindProjectEval {
		return false
	}
	// 三公 first: their items read like spending lines.
	if tp := threePublicField(r.wide, s); tp != "" || r.tpItem != "" {
		// "公务接待费支出决算为22.59万元，完成预算43.2万元的52.3%，比上年
		// 决算数增加20.63万元": the item named first, then its budget and
		// its change.
		if tp == "" {
			tp = r.tpItem
		}
		r.tpItem = tp
		switch {
		case strings.ContainsAny(label, "增减") || strings.Contains(label, "上年") || strings.Contains(label, "降低") || strings.Contains(label, "下降"):
			return false
		case strings.Contains(label, "决算") || strings.Contains(label, "实际") || strings.Contains(label, "执行"):
		case strings.Contains(label, "预算"),
			strings.Contains(s, "预算") && !strings.Contains(s, "执行") && !strings.Contains(s, "决算") && !strings.Contains(label, "支出"):
			return r.d.Set("three_public."+tp+".budget", text, prov)
		}
		return r.d.Set("three_public."+tp+".actual", text, prov)
	}
	if r.kind != "" && r.kind != model.KindSelfEval {
		return false
	}
	if r.projects {
		return r.placeProject(s, m, label, first, text, prov)
	}
	if i == 0 && (strings.Contains(label, "本部门") || strings.Contains(s, "部门整体") || strings.HasPrefix(strings.TrimSpace(s), "本部门")) {
		r.fund = ""
	}
	if f := fundOf(label); f != "" {
		r.fund, r.anyFund = f, true
	}
	ctx := r.ctx()
	switch {
	case strings.Contains(label, "总收入") || strings.Contains(label, "收入总计"):
		r.fund = ""
		return r.d.Set("totals.income", text, prov)
	case strings.Contains(label, "总支出") || strings.Contains(label, "支出总计"):
		r.fund = ""
		r.anchor = "totals"
		return r.d.Set("totals.expenditure", text, prov)
	case strings.Contains(label, "基本支出"):
		return r.node(ctx, "basic", "基本支出", label, text, prov)
	case strings.Contains(label, "项目支出") && !strings.Contains(label, "项目支出具体") && (label == "项目支出" || strings.HasSuffix(label, "项目支出") || strings.Contains(label, "预算") || strings.HasPrefix(label, "项目支出")):
		if strings.HasPrefix(strings.TrimSpace(m.label), "用于") {
			ok := r.node(ctx, "project", "项目支出", "项目支出", text, prov)
			r.parent = r.anchor
			return ok
		}
		named := strings.TrimSuffix(label, "项目支出")
		if named != "" && !strings.HasPrefix(label, "项目支出") && !strings.Contains(label, "部门项目支出") && !strings.Contains("预算部门年度本年全年", named) && fundOf(label) == "" && r.anchor != "" && inWhich {
			return r.part(label, text, prov)
		}
		ok := r.node(ctx, "project", "项目支出", label, text, prov)
		r.parent = r.anchor
		return ok
	case r.budget && i == 0 && (strings.Contains(label, "金额") || strings.Contains(label, "绩效目标") || strings.Contains(label, "总数") || strings.Contains(label, "预算")):
		if r.fund == "" {
			r.d.Set("totals.budget", text, prov)
		}
		r.anchor = ""
		return r.d.Set(ctx+".budget_plan.total", text, prov)
	case fundOf(label) != "" || label == "" || label == "支出" || label == "决算支出" || label == "决算收入" || label == "收入":
		return r.fundField(ctx, label, s, text, prov)
	case strings.Contains(label, "年初预算") && inWhich:
		return r.d.Set(ctx+".initial_budget", text, prov)
	case strings.Contains(label, "调整") && inWhich:
		return r.d.Set(ctx+".adjustment", text, prov)
	case strings.Contains(label, "结转"):
		return r.d.Set(ctx+".carryover", text, prov)
	case label == "决算" || label == "执行数" || label == "实际支出":
		if r.anchor != "" {
			return r.d.Set(r.anchor+".amount", text, prov)
		}
		return r.d.Set(ctx+".expenditure", text, prov)
	case strings.HasSuffix(label, "预算数") || label == "预算":
		return r.d.Set(ctx+".budget", text, prov)
	case !inWhich && (strings.Contains(label, "发放") || r.issuing && i > 0 && !strings.ContainsAny(label, "为是")):
		// "累计发放孤儿生活补贴36.88万元，事实无人抚养儿童生活补贴78.47万元":
		// money paid out under a programme, the verb shared by the list.
		name := label
		if _, after, ok := strings.Cut(label, "发放"); ok {
			name = after
		}
		name = strings.TrimSuffix(name, "资金")
		if len([]rune(name)) < 2 || strings.Contains(name, "金额") || strings.ContainsAny(name, "0123456789") {
			return false
		}
		r.issuing = true
		r.project = "projects[" + name + "]"
		r.anchor, r.last = r.project, r.project
		return r.d.Set(r.project+".paid", text, prov)
	case first && r.parent != "" && !inWhich:
		name := itemName(label)
		if name == "" {
			return false
		}
		r.anchor = r.parent + ".items[" + name + "]"
		r.last = r.anchor
		return r.d.Set(r.anchor+".amount", text, prov)
	case inWhich && r.anchor != "":
		return r.part(label, text, prov)
	}
	return false
}

// node sets a basic or project spending figure and makes it the anchor of
// the "其中" parts that follow.
func (r *reader) node(ctx, key, name, label, text string, prov *Prov) bool {
	base := ctx
	if r.budget {
		base = ctx + ".budget_plan"
	}
	path := base + "." + key
	r.anchor, r.last = path, path
	r.d.SetString(path+".name", name, nil)
	field := "amount"
	// "项目支出年初预算" is a budget; "预算项目支出" is spending of the
	// budget.
	if i, j := strings.LastIndex(label, "预算"), strings.Index(label, name); i > j && j >= 0 && !r.budget {
		field = "budget"
	}
	return r.d.Set(path+"."+field, text, prov)
}

// part adds a "其中" item to the anchor node: items when the sentence lists
// several, so that the checker compares their sum with the whole.
func (r *reader) part(label, text string, prov *Prov) bool {
	for _, verb := range []string{"用于", "具体包含", "具体包括", "包含", "包括"} {
		owner, what, ok := strings.Cut(label, verb)
		if !ok {
			continue
		}
		// "福利彩票公益金用于A10万元、B2.7万元": the parts of an item
		// named before; "项目支出具体包含A…": of the spending line.
		switch owner = cleanLabel(owner); {
		case owner == "项目支出" || owner == "基本支出":
			key := map[string]string{"项目支出": "project", "基本支出": "basic"}[owner]
			if p := r.ctx() + "." + key; r.d.Has(p + ".amount") {
				r.anchor, r.parent = p, p
				label = what
			}
		case r.parent != "":
			if p := r.parent + ".items[" + owner + "]"; r.d.Has(p + ".amount") {
				r.anchor = p
				label = what
			}
		}
		break
	}
	name := itemName(label)
	if name == "" || strings.HasSuffix(r.anchor, "budget_plan") || r.anchor == "totals" || strings.HasPrefix(r.anchor, "funds[") && !strings.Contains(r.anchor, "].") {
		return false
	}
	path := r.anchor + ".items[" + name + "]"
	if !r.d.Set(path+".amount", text, prov) {
		return false
	}
	r.parts[r.anchor]++
	r.last = path
	return true
}

func itemName(label string) string {
	name := strings.TrimSuffix(strings.TrimSuffix(label, "发放"), "资金")
	if i := strings.LastIndexAny(name, "于"); i >= 0 && strings.HasPrefix(name, "用") {
		name = name[i+len("于"):]
	}
	if len([]rune(name)) < 2 || strings.ContainsAny(name, "0123456789") {
		return ""
	}
	return name
}

func (r *reader) fundField(ctx, label, s, text string, prov *Prov) bool {
	switch {
	case strings.Contains(label, "年初预算"):
		return r.d.Set(ctx+".initial_budget", text, prov)
	case strings.Contains(label, "结转"):
		return r.d.Set(ctx+".carryover", text, prov)
	case strings.Contains(label, "收入"):
		r.anchor = ""
		return r.d.Set(ctx+".income", text, prov)
	case strings.Contains(label, "支出") || label == "" && strings.Contains(s, "支出"):
		r.anchor = ctx
		return r.d.Set(ctx+".expenditure", text, prov)
	case strings.Contains(label, "预算"):
		return r.d.Set(ctx+".budget", text, prov)
	}
	return false
}

func (r *reader) placeProject(s string, m mention, label string, first bool, text string, prov *Prov) bool {
	if first {
		name := strings.TrimSpace(stripNumbering(strings.TrimSpace(s[:m.start])))
		if i := projectNameCut.FindStringIndex(name); i != nil && i[0] > 0 {
			name = name[:i[0]]
		}
		name = strings.TrimRight(name, "，,：: ")
		if len([]rune(name)) < 2 {
			return false
		}
		r.project = "projects[" + name + "]"
		return r.d.Set(r.project+".budget", text, prov)
	}
	if r.project == "" {
		return false
	}
	switch {
	case strings.Contains(label, "到位"):
		return r.d.Set(r.project+".arrived", text, prov)
	case strings.Contains(label, "拨付") || strings.Contains(label, "实际使用") || strings.Contains(label, "实际支出"):
		return r.d.Set(r.project+".paid", text, prov)
	}
	return false
}

func threePublicField(label, s string) string {
	if !strings.Contains(s, "三公") && !strings.Contains(s, "公务") && !strings.Contains(label, "出国") {
		return ""
	}
	for _, w := range threePublicWords {
		if strings.Contains(label, w.word) {
			return w.field
		}
	}
	if strings.Contains(label, "公务车") {
		return "vehicle_operation"
	}
	return ""
}

// lastBreakOutside is lastBreak ignoring brackets: "出国（境）支出" is one
// name.
func lastBreakOutside(s string) int {
	best := -1
	for _, b := range []string{"，", ",", "、", "：", ":", "；", ";", "其中", "。"} {
		if i := strings.LastIndex(s, b); i >= 0 && i+len(b) > best {
			best = i + len(b)
		}
	}
	return best
}

var (
	targetRE = regexp.MustCompile(`目标\s*(\d{1,2})\s*[：:]`)
	totalRE  = regexp.MustCompile(`(?:自评|评价|综合|总)得?分(?:为|是|[:：])?\s*(\d{1,3}(?:\.\d+)?)\s*分`)
	partRE   = regexp.MustCompile(`([^，,。；;：:（(]{2,12}?)得分(?:为)?\s*(\d{1,3}(?:\.\d+)?)\s*分`)
	partLead = regexp.MustCompile(`^(?:故|在|因此|综上)+`)
)

// targets reads "目标1：…；目标2：…": each target's text runs to the next
// target, across the paragraphs a portal's markup split it into.
func (r *reader) targets(p *para) {
	ms := targetRE.FindAllStringSubmatchIndex(p.text, -1)
	if len(ms) == 0 {
		if r.target != "" && !p.heading && !isHeading(p.text) {
			r.appendTarget(p.text)
		}
		r.target = ""
		return
	}
	if r.target != "" && ms[0][0] > 0 {
		r.appendTarget(p.text[:ms[0][0]])
	}
	for i, m := range ms {
		end := len(p.text)
		if i+1 < len(ms) {
			end = ms[i+1][0]
		}
		name := "目标" + p.text[m[2]:m[3]]
		r.target = "targets[" + name + "]"
		if r.d.Has(r.target + ".text") {
			r.target = ""
			continue
		}
		r.d.SetString(r.target+".text", trimTarget(p.text[m[1]:end]), &Prov{Loc: p.locAt(m[0]), Quote: name})
	}
}

// appendTarget continues a target's text that a page or cell break cut in
// the middle of a sentence ("…不高于5%，为" | "群众提供便捷服务…"); a target
// that ended its sentence is complete.
func (r *reader) appendTarget(more string) {
	v, ok := r.d.text(r.target + ".text")
	if !ok || v == "" {
		return
	}
	if last, _ := utf8.DecodeLastRuneInString(v); strings.ContainsRune("。；;！？!?", last) {
		return
	}
	r.d.replace(r.target+".text", trimTarget(v+strings.TrimSpace(more)))
}

// trimTarget drops the separator between targets ("目标1：…；目标2：…") but
// keeps a full stop the text ends with.
func trimTarget(s string) string {
	return strings.TrimRight(strings.TrimSpace(s), "；;，, ")
}

// scores reads the self-evaluation's total ("自评得分96分", "自评分为97.35分")
// and the scores of its parts ("预算执行得分 30 分").
func (r *reader) scores(p *para) {
	for _, m := range totalRE.FindAllStringSubmatchIndex(p.text, -1) {
		r.d.Set("score.total", p.text[m[2]:m[3]], &Prov{Loc: p.locAt(m[0]), Quote: quote(p.text, m[0], m[1])})
	}
	for _, m := range partRE.FindAllStringSubmatchIndex(p.text, -1) {
		name := p.text[m[2]:m[3]]
		for range 2 {
			name = cleanLabel(partLead.ReplaceAllString(name, ""))
		}
		if name == "" || strings.ContainsAny(name, "自评总综合评价分") || strings.Contains(name, "指标") {
			continue
		}
		r.d.Set("score.parts["+name+"].score", p.text[m[4]:m[5]], &Prov{Loc: p.locAt(m[0]), Quote: strings.TrimSpace(p.text[m[2]:m[1]])})
	}
}
