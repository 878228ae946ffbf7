package gen

import (
	"strconv"
	"strings"
)

// department generates every file of department i: department.yaml, its
// duties and one report per year with its Markdown sections.
func (p *plan) department(i int) []file {
	d := p.depts[i]
	r := newRNG(p.o.Seed, uint64(i)+1)
	pr := newProfile(r, d)
	duties := dutiesText(r, d)
	out := []file{{path: d.id + "/department.yaml", data: departmentYAML(d, pr, duties)}}
	if pr.dutiesMode == 2 {
		out = append(out, file{path: d.id + "/duties.md", data: []byte(duties)})
	}
	for y := range p.o.Years {
		year := p.o.FirstYear + y
		rp := buildReport(r, d, pr, year, y == 0, p.flawOf(i, y), p.o.Seed)
		ys := strconv.Itoa(year)
		out = append(out, file{path: d.id + "/" + ys + ".yaml", data: reportYAML(rp)})
		for _, s := range rp.sections {
			if !s.inline {
				out = append(out, file{path: d.id + "/" + ys + "/" + s.key + ".md", data: []byte(s.md)})
			}
		}
	}
	return out
}

func dutiesText(r *rng, d *dept) string {
	clauses := subset(r, d.kind.duties, r.between(min(4, len(d.kind.duties)), len(d.kind.duties)))
	j := d.levelChar()
	var b strings.Builder
	for i, c := range clauses {
		if i > 0 {
			b.WriteString("；")
		}
		b.WriteString(strings.ReplaceAll(c, "{j}", j))
	}
	if d.level == levelProvince {
		b.WriteString("；完成省委、省政府交办的其他任务。\n")
	} else {
		b.WriteString("；完成" + j + "委、" + j + "政府交办的其他任务。\n")
	}
	return b.String()
}

// expand fills a template's placeholders (see types.txt). Counts and
// amounts scale with the department's level, so a province reports bigger
// numbers than a county.
func (rp *report) expand(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		b.WriteString(rp.placeholder(s[i+1 : i+j]))
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

func (rp *report) placeholder(p string) string {
	d, r := rp.d, rp.r
	switch p {
	case "r":
		return d.where()
	case "j":
		return d.levelChar()
	case "y":
		return strconv.Itoa(rp.year)
	case "y1":
		return strconv.Itoa(rp.year + 1)
	case "u":
		return d.selfRef()
	case "d":
		return d.shortOrName()
	case "k":
		return [3]string{"处室", "科室", "股室"}[d.level]
	}
	kind, span, ok := strings.Cut(p, ":")
	los, his, ok2 := strings.Cut(span, "-")
	lo, ok3 := tenths(los)
	hi, ok4 := tenths(his)
	if !ok || !ok2 || !ok3 || !ok4 {
		return "{" + p + "}" // left visible; a test looks for these
	}
	sc := d.scale()
	switch kind {
	case "N":
		return strconv.FormatInt(r.between64(lo/10*sc, hi/10*sc), 10)
	case "n":
		return strconv.FormatInt(r.between64(lo/10, hi/10), 10)
	case "W":
		return money(r.between64(lo*10*sc, hi*10*sc)*int64(cents)).format(2, true)
	case "w":
		return money(r.between64(lo*10, hi*10)*int64(cents)).format(2, true)
	case "p":
		v := r.between64(lo, hi)
		if v%10 == 0 {
			return strconv.FormatInt(v/10, 10)
		}
		return strconv.FormatInt(v/10, 10) + "." + strconv.FormatInt(v%10, 10)
	}
	return "{" + p + "}"
}

// tenths reads "12" or "4.5" as tenths: 120, 45.
func tenths(s string) (int64, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || len(frac) > 1 {
		return 0, false
	}
	f := int64(0)
	if frac != "" {
		f = int64(frac[0] - '0')
	}
	return w*10 + f, true
}

var numerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"}

func numeral(i int) string {
	if i < len(numerals) {
		return numerals[i]
	}
	return strconv.Itoa(i + 1)
}

// narrative writes the Markdown sections. Which sections a report has,
// and whether they sit in the YAML or in .md files, vary as in the seeds;
// the figures they quote are the report's own, as published.
func (rp *report) narrative() {
	r := rp.r
	add := func(key string, pct int, md func() string) {
		if !r.chance(pct) {
			return
		}
		text := md()
		if text == "" {
			return
		}
		inline := rp.pr.inline || (key == "other" && r.chance(60)) || (key == "overview" && r.chance(20))
		rp.sections = append(rp.sections, section{key: key, md: text, inline: inline})
	}
	add("summary", 95, rp.summary)
	add("overview", 55, rp.overview)
	add("plan", 35, rp.planText)
	add("budget", 85, rp.budgetText)
	add("process", 50, rp.processText)
	add("performance", 95, rp.performance)
	add("problems", 90, rp.problems)
	add("measures", 88, rp.measures)
	add("results_use", 50, rp.resultsUse)
	add("other", 30, func() string { return pick(r, common.other) + "\n" })
	if r.chance(5) {
		rp.textErratum()
	}
}

// paras joins paragraphs into Markdown.
func paras(ps ...string) string {
	var b strings.Builder
	for _, p := range ps {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p)
	}
	b.WriteString("\n")
	return b.String()
}

// statedRate is the execution rate the report states for the department.
func (rp *report) statedRate() string {
	for _, f := range rp.allFunds() {
		if f.rate >= 0 {
			return formatRate(f.rate)
		}
	}
	return ""
}

func (rp *report) basicProject() (basic, project money) {
	// Trees sit either in the totals or in the funds, never both.
	for _, f := range rp.allFunds() {
		if f.basic != nil {
			basic += f.basic.amt
		}
		if f.project != nil {
			project += f.project.amt
		}
	}
	return basic, project
}

func (rp *report) summary() string {
	r, d := rp.r, rp.d
	y, y1 := strconv.Itoa(rp.year), strconv.Itoa(rp.year+1)
	abbr := string([]rune(d.where())[:1])
	p1 := "根据《" + d.finance() + "关于开展" + y1 + "年财政资金绩效评价工作的通知》（" + abbr + "财绩〔" + y1 + "〕" +
		strconv.Itoa(r.between(1, 30)) + "号）文件精神，" + d.selfRef() + "成立了绩效评价工作小组，对" + y +
		"年度部门整体支出绩效进行了全面综合评价。评价小组本着强化绩效和责任意识、提高财政资金使用效益的目标，从预算执行、预算管理、资产管理和效果产出等方面进行了综合评价"
	if rp.hasScore {
		p1 += "，自评得分为" + rp.total.String() + "分"
		if rp.showGrade {
			p1 += "，评价等级为“" + rp.grade + "”"
		}
	}
	p1 += "。现将自评情况报告如下："
	var p2 string
	if b, e := rp.budgetTotal(), rp.expenditure(); b > 0 && e > 0 {
		p2 = y + "年度，" + d.shortOrName() + "全年预算" + rp.m(b) + "万元，实际支出" + rp.m(e) + "万元"
		if s := rp.statedRate(); s != "" {
			p2 += "，预算执行率为" + s
		}
		if basic, project := rp.basicProject(); basic > 0 && project > 0 {
			p2 += "。其中基本支出" + rp.m(basic) + "万元，占" + formatRate(rate(basic, basic+project)) +
				"；项目支出" + rp.m(project) + "万元，占" + formatRate(rate(project, basic+project))
		}
		p2 += "。"
	}
	p3 := pick(r, []string{
		"总体来看，" + d.selfRef() + "部门整体支出管理规范，资金使用合规，年初设定的绩效目标基本完成，较好地履行了部门职责。",
		"评价结果表明，" + d.selfRef() + "预算编制较为科学，预算执行总体有序，各项重点工作任务顺利完成，部门整体支出取得了较好的经济效益和社会效益。",
		"从评价情况看，年度绩效目标总体实现，但在预算编制精细化、执行进度均衡性等方面仍有提升空间。",
	})
	return paras(p1, p2, p3)
}

func (rp *report) overview() string {
	d, pr := rp.d, rp.pr
	rank := [3]string{"正厅级", "正处级", "正科级"}[d.level]
	unitWord := [3]string{"处室", "科室", "股室"}[d.level]
	p1 := d.name + "是" + d.government() + "工作部门，为" + rank + "，属财政全额拨款" + pr.unitType + "，内设" +
		unitWord + strconv.Itoa(len(pr.offices)) + "个"
	if len(pr.subs) > 0 {
		p1 += "、所属单位" + strconv.Itoa(len(pr.subs)) + "个"
	}
	p1 += "。" + d.shortOrName() + "贯彻落实党中央关于" + d.kind.short + "工作的方针政策和决策部署，在履行职责过程中坚持和加强党对" +
		d.kind.short + "工作的集中统一领导。"
	var p2 string
	if s := rp.staff; s != nil {
		p2 = "截至" + strconv.Itoa(rp.year) + "年12月31日，" + d.shortOrName()
		if s.showAuthorized {
			p2 += "核定编制" + strconv.Itoa(s.authorized) + "名，"
		}
		p2 += "实有在职人员" + strconv.Itoa(s.inService) + "名"
		if len(s.byType) > 0 {
			var parts []string
			for _, t := range s.byType {
				parts = append(parts, t.name+strconv.Itoa(t.count)+"名")
			}
			p2 += "，其中" + strings.Join(parts, "、")
		}
		p2 += "；退休人员" + strconv.Itoa(s.retired) + "名。"
	}
	return paras(p1, p2)
}

func (rp *report) planText() string {
	d, y := rp.d, strconv.Itoa(rp.year)
	t := d.kind.short
	long := "紧紧围绕" + d.where() + "经济社会发展大局，坚持以人民为中心的发展思想，立足" + t + "工作职能，着力补短板、强弱项、提品质，推动" +
		t + "事业高质量发展。到“十四五”末，" + t + "公共服务体系更加健全，服务保障能力显著提升，人民群众的获得感、幸福感、安全感持续增强。"
	var goals []string
	for _, g := range rp.targets {
		goals = append(goals, strings.TrimSuffix(g.text, "。"))
	}
	year := y + "年，" + d.selfRef() + "按照" + d.levelChar() + "委、" + d.levelChar() + "政府的决策部署，统筹做好以下重点工作："
	if len(goals) > 0 {
		year += strings.Join(goals, "；") + "。"
	} else {
		year += "全面完成年度各项目标任务。"
	}
	parts := []string{"### 一、中长期规划", long, "### 二、年度工作计划", year}
	if len(rp.targets) > 0 {
		parts = append(parts, "### 三、部门整体支出绩效目标")
		for i, g := range rp.targets {
			name := g.name
			if name == "" {
				name = "目标" + strconv.Itoa(i+1)
			}
			parts = append(parts, name+"："+g.text)
		}
	}
	return paras(parts...)
}

// listItems writes "工资福利支出444.37万元、…", with each item's own parts
// in brackets, as the seeds' budget sections do.
func (rp *report) listItems(ns []*node) string {
	var parts []string
	for _, n := range ns {
		s := n.name + rp.shown(n)
		if len(n.items) > 0 {
			s += "（其中" + rp.listItems(n.items) + "）"
		} else if len(n.ofWhich) > 0 {
			s += "（其中" + rp.listItems(n.ofWhich) + "）"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "、")
}

func fundTitle(f *fund) string {
	switch {
	case f.label != "":
		return f.label
	case f.source != "":
		return f.source
	}
	return "部门整体"
}

func (rp *report) budgetText() string {
	d, y := rp.d, strconv.Itoa(rp.year)
	var out []string
	var withIncome []*fund
	for _, f := range rp.funds {
		if f.hasIncome {
			withIncome = append(withIncome, f)
		}
	}
	sec := 0
	heading := func(title string) {
		out = append(out, "### "+numeral(sec)+"、"+title)
		sec++
	}
	if t := rp.totals; (t != nil && t.hasIncome) || len(withIncome) > 0 {
		heading("收入情况")
		var sum money
		var parts []string
		for _, f := range withIncome {
			sum += f.income
			parts = append(parts, fundTitle(f)+"收入"+rp.m(f.income)+"万元")
		}
		if t := rp.totals; t != nil && t.hasIncome {
			sum = t.income
		}
		p := y + "年度" + d.shortOrName() + "收入合计" + rp.m(sum) + "万元"
		if len(parts) > 1 {
			p += "，其中" + strings.Join(parts, "、")
		}
		out = append(out, p+"。")
	}
	heading("支出情况")
	out = append(out, y+"年度支出合计"+rp.m(rp.expenditure())+"万元，按支出性质分为基本支出和项目支出，具体情况如下：")
	var spending []*fund
	for _, f := range rp.allFunds() {
		if f.basic != nil || f.project != nil {
			spending = append(spending, f)
		}
	}
	for i, f := range spending {
		if len(spending) > 1 {
			out = append(out, "#### （"+numeral(i)+"）"+fundTitle(f)+"支出情况")
		}
		intro := fundTitle(f) + "支出" + rp.m(f.exp) + "万元"
		if f.basic != nil && f.project != nil {
			intro += "，其中基本支出" + rp.m(f.basic.amt) + "万元、项目支出" + rp.m(f.project.amt) + "万元"
		} else if f.basic == nil {
			intro += "，均用于项目支出"
		}
		out = append(out, intro+"。")
		if f.basic != nil && len(f.basic.items) > 0 {
			out = append(out, "基本支出"+rp.m(f.basic.amt)+"万元。其中"+rp.listItems(f.basic.items)+"。")
		}
		if f.project != nil && len(f.project.items) > 0 {
			out = append(out, "项目支出"+rp.m(f.project.amt)+"万元，具体明细如下：")
			for j, c := range f.project.items {
				p := strconv.Itoa(j+1) + "." + c.name + rp.shown(c)
				switch {
				case len(c.items) > 0:
					p += "。其中" + rp.listItems(c.items)
				case len(c.ofWhich) > 0:
					p += "，其中" + rp.listItems(c.ofWhich)
				}
				out = append(out, p+"。")
			}
		}
	}
	if tp := rp.three; tp != nil {
		heading("“三公”经费支出情况")
		p := y + "年“三公”经费预算" + tp.total.budget.format(2, true) + "万元，实际支出" + tp.total.actual.format(2, true) + "万元"
		if diff := tp.total.budget - tp.total.actual; diff > 0 {
			p += "，比预算减少" + diff.format(2, true) + "万元"
		}
		var items []string
		for _, it := range []struct {
			name string
			ba   *budgetActual
		}{{"因公出国（境）费", tp.outbound}, {"公务用车购置费", tp.purchase}, {"公务用车运行维护费", tp.operation}, {"公务接待费", tp.reception}} {
			if it.ba != nil {
				items = append(items, it.name+it.ba.actual.format(2, true)+"万元")
			}
		}
		p += "。其中" + strings.Join(items, "，") + "。“三公”经费支出控制在预算以内，主要原因是严格落实中央八项规定精神，厉行节约，从严控制公务接待和公务用车支出。"
		out = append(out, p)
	}
	heading("预算管理情况")
	rateText := ""
	if s := rp.statedRate(); s != "" {
		rateText = "全年预算执行率为" + s + "。"
	}
	out = append(out,
		"（一）预算编制。"+d.selfRef()+"按照"+d.finance()+"的统一部署，坚持“量入为出、收支平衡”的原则，基本支出按定员定额标准编制，项目支出按轻重缓急排序编制，预算编制做到应编尽编。",
		"（二）预算执行。严格按照批复的预算执行，加强对预算执行进度的跟踪和分析，"+rateText+"未发生超预算、无预算支出的情况。",
		"（三）资产管理。建立健全固定资产管理制度，定期开展资产清查，资产配置、使用和处置均按规定程序办理，做到账实相符。",
	)
	return paras(out...)
}

func (rp *report) processText() string {
	var ps []string
	for _, l := range subset(rp.r, common.process, rp.r.between(3, len(common.process))) {
		ps = append(ps, rp.expand(l))
	}
	return paras(ps...)
}

// topicParagraph is "1.标题。句子……" with some of the topic's sentences.
func (rp *report) topicParagraph(n int, t topic) string {
	lines := subset(rp.r, t.lines, rp.r.between(min(2, len(t.lines)), len(t.lines)))
	var b strings.Builder
	b.WriteString(strconv.Itoa(n) + "." + t.title + "。")
	for _, l := range lines {
		b.WriteString(rp.expand(l))
	}
	return b.String()
}

func (rp *report) performance() string {
	r, k := rp.r, rp.d.kind
	out := []string{pick(r, []string{
		rp.d.selfRef() + "在部门整体支出中，严格按照预算安排，严格遵守资金管理制度，强化监督，专款专用。",
		strconv.Itoa(rp.year) + "年，在" + rp.d.levelChar() + "委、" + rp.d.levelChar() + "政府的坚强领导下，" + rp.d.selfRef() +
			"围绕年度目标任务，统筹用好各项资金，各项工作取得了明显成效。",
		"对照年初设定的部门整体支出绩效目标，" + rp.d.selfRef() + "各项工作推进有力，主要成效如下：",
	})}
	heads := subset(r, k.heads, r.between(2, min(3, len(k.heads))))
	topics := subset(r, k.topics, r.between(max(len(heads), min(3, len(k.topics))), len(k.topics)))
	sec := 0
	ti := 0
	for h, head := range heads {
		out = append(out, "### （"+numeral(sec)+"）"+rp.expand(head))
		sec++
		// Share the topics out evenly. The data lists topics in the order
		// of the headings with the extra ones last, so later headings take
		// the extras.
		n := len(topics) / len(heads)
		if h >= len(heads)-len(topics)%len(heads) {
			n++
		}
		for j := 0; j < n && ti < len(topics); j++ {
			out = append(out, rp.topicParagraph(j+1, topics[ti]))
			ti++
		}
	}
	if r.chance(70) {
		out = append(out, "### （"+numeral(sec)+"）加强内部管理，提升履职效能")
		sec++
		for j, t := range subset(r, common.topics, r.between(1, 2)) {
			out = append(out, rp.topicParagraph(j+1, t))
		}
	}
	if len(rp.projects) > 0 && r.chance(50) {
		out = append(out, "### （"+numeral(sec)+"）重点项目实施情况")
		for j, p := range rp.projects {
			out = append(out, strconv.Itoa(j+1)+"."+p.desc)
		}
	}
	return paras(out...)
}

func (rp *report) problems() string {
	r := rp.r
	out := []string{strconv.Itoa(rp.year) + "年，" + rp.d.selfRef() + "在资金使用上达到了预期绩效目标，但对照预算绩效管理的要求，仍存在一些问题和不足："}
	withFix := r.chance(20)
	for i, t := range subset(r, common.problems, r.between(2, 3)) {
		p := "（" + numeral(i) + "）" + t.title + "。" + rp.expand(strings.Join(t.lines, ""))
		out = append(out, p)
		if withFix {
			out = append(out, "整改责任人：财务部门及相关业务"+rp.placeholder("k")+"负责人",
				"整改完成时限："+strconv.Itoa(rp.year+1)+"年"+strconv.Itoa(r.between(6, 12))+"月底")
		}
	}
	return paras(out...)
}

func (rp *report) measures() string {
	r := rp.r
	var out []string
	for i, t := range subset(r, common.measures, r.between(2, min(4, len(common.measures)))) {
		var b strings.Builder
		b.WriteString("（" + numeral(i) + "）" + t.title + "。")
		for j, l := range t.lines {
			if j > 0 {
				b.WriteString("；")
			}
			b.WriteString(numeral(j) + "是" + strings.TrimSuffix(rp.expand(l), "。"))
		}
		b.WriteString("。")
		out = append(out, b.String())
	}
	return paras(out...)
}

func (rp *report) resultsUse() string {
	var ps []string
	for _, l := range subset(rp.r, common.results, rp.r.between(1, len(common.results))) {
		ps = append(ps, rp.expand(l))
	}
	return paras(ps...)
}

// textErratum plants a slip in the text and records it, as the seeds'
// transcribers did: a wrong year, a doubled comma, a homophone.
func (rp *report) textErratum() {
	sec := func(key string) *section {
		for i := range rp.sections {
			if rp.sections[i].key == key {
				return &rp.sections[i]
			}
		}
		return nil
	}
	y, prev := strconv.Itoa(rp.year), strconv.Itoa(rp.year-1)
	switch rp.r.intn(3) {
	case 0:
		s := sec("budget")
		if s == nil {
			return
		}
		wrong := prev + "年度批复" + rp.d.selfRef() + "部门预算支出预算总数为" + rp.m(rp.budgetTotal()) + "万元"
		s.md = strings.TrimSuffix(s.md, "\n") + "\n\n" + wrong + "。\n"
		rp.errata = append(rp.errata, textErratum{wrong, strings.Replace(wrong, prev+"年度", y+"年度", 1),
			"本报告为" + y + "年度报告，所列预算总数与" + y + "年度预算一致，“" + prev + "年度”应为“" + y + "年度”。"})
	case 1:
		s := sec("performance")
		if s == nil {
			return
		}
		runes := []rune(s.md)
		for i := 8; i < len(runes)-6; i++ {
			if runes[i] == '，' {
				published := string(runes[i-6:i]) + "，，" + string(runes[i+1:i+5])
				s.md = string(runes[:i]) + "，" + string(runes[i:])
				rp.errata = append(rp.errata, textErratum{published, strings.Replace(published, "，，", "，", 1), "重复的逗号，标点笔误。"})
				return
			}
		}
	default:
		s := sec("performance")
		if s == nil {
			return
		}
		wrong := "春节期间走访慰问困难群众，发放慰问物质价值" + rp.placeholder("W:1-20") + "万余元"
		s.md = strings.TrimSuffix(s.md, "\n") + "\n\n" + wrong + "。\n"
		rp.errata = append(rp.errata, textErratum{"发放慰问物质", "发放慰问物资", "“物质”为“物资”的同音笔误。"})
	}
}
