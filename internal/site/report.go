package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"disclose/internal/charts"
	"disclose/internal/diag"
	"disclose/internal/model"
)

type reportView struct {
	R          *model.Report
	Dept       *model.Department
	DeptName   string
	Facts      []fact
	Cards      []card
	Checks     []checkView
	Errata     []*model.Erratum
	Funds      []fundRow
	FundCols   fundCols
	FundsNote  []template.HTML
	Trees      []treeTable
	Three      []threeRow
	ThreeNote  string
	Staff      []fact
	Projects   []projectView
	Targets    []*model.Target
	Indicators []indicatorRow
	Score      []scoreRow
	Sections   []sectionView
	Duties     template.HTML
	Notes      []template.HTML
	Source     *model.Source
	Charts     []chartView
	Downloads  []link
	History    string // link to the department's history page, when it has one
	Compare    string
	TOC        []link

	Kind         string // the document kind's title, e.g. 部门决算
	Accounts     []treeTable
	AccountFacts []fact
	ThreeCols    threeCols
	ThreeCounts  []fact
	ProjectEval  *projectEvalView
	Chapters     []sectionView
	ScoreNote    template.HTML
	Siblings     []link // the department's other documents of the same year
	Tables       []stdTable
	TablesNote   string
	IndCols      indicatorCols
	// Change says what the change columns and notes compare with; nil when
	// nothing on the page shows a change.
	Change *changeNote
}

type fact struct{ Label, Value string }

type card struct {
	Label, Term string // Term: glossary anchor
	Value       *figure
	Unit        string
	Note        string
	Change      *change // against the previous year, where known
}

type link struct{ Href, Text, Note string }

type checkView struct {
	Message, Hint, Stated, Computed, Where string
	Warning                                bool
}

type fundRow struct {
	Name                                                        string
	Initial, Adjustment, Budget, Income, Expenditure, CarryOver *figure
	StatedRate, ComputedRate                                    string
	Total                                                       bool
	// ExpChange is the spending's change against the same fund in the
	// department's previous report of the same kind.
	ExpChange *change
	exp       *model.Amount
}

// fundCols says which columns of the funds table any row fills: reports
// differ widely in what they state, and a column of dashes helps nobody.
type fundCols struct {
	Initial, Adjustment, Budget, Income, Expenditure, CarryOver, Rate bool
	Change                                                            bool
}

func fundColumns(rows []fundRow) fundCols {
	var c fundCols
	for _, r := range rows {
		c.Initial = c.Initial || r.Initial != nil
		c.Adjustment = c.Adjustment || r.Adjustment != nil
		c.Budget = c.Budget || r.Budget != nil
		c.Income = c.Income || r.Income != nil
		c.Expenditure = c.Expenditure || r.Expenditure != nil
		c.CarryOver = c.CarryOver || r.CarryOver != nil
		c.Rate = c.Rate || r.StatedRate != "" || r.ComputedRate != ""
		c.Change = c.Change || r.ExpChange != nil
	}
	return c
}

type treeTable struct {
	Caption   string
	Rows      []treeRow
	HasBudget bool
	// Columns of what documents state beside a figure: the prior year, the
	// change and its rate, the share; shown only when some row has them.
	HasPrior, HasChange, HasShare, HasReason bool
	// Unit is the caption's unit: 万元, or the one every figure was
	// published in.
	Unit string
	// PriorTaken is the year ("上年", "2021年") whose report gave some
	// row's prior-year figure, when the report itself did not; Computed
	// says some change is the site's own.
	PriorTaken string
	Computed   bool
}

type treeRow struct {
	Depth   int
	Name    string
	Code    string
	Amount  *figure
	Budget  *figure
	Rate    string
	Note    string
	OfWhich bool // a 其中 item: part of its parent, not a full breakdown
	Head    bool // 基本支出 / 项目支出 rows
	Prior   *figure
	Change  string // as published
	Rate2   string // rate of change, as published
	Share   string
	Reason  string
	Partial bool // the source lists only some of its parts
	// Delta is the row's change against the prior year: stated, computed
	// from the stated prior year, or from the previous report.
	Delta      *change
	PriorTaken bool // Prior is the previous report's figure
	node       *model.Node
}

type threeRow struct {
	Name                  string
	Budget, Actual, Prior *figure
	Rate, Share           string
	Change, Rate2, Reason string
	Total                 bool
	Delta                 *change
	PriorTaken            bool // Prior is the previous report's figure
}

// threeCols says which of the optional 三公 columns any row fills.
type threeCols struct {
	Rate, Prior, Change, Share, Reason bool
	PriorTaken                         string // as treeTable's
	Computed                           bool
}

type projectView struct {
	P                     *model.Project
	Budget, Arrived, Paid *figure
	Description           template.HTML
	Items                 []treeRow
}

type indicatorRow struct {
	Level          int
	LevelName      string
	Name           string
	Target, Actual string
	Weight, Score  string
	Deviation      string
	// The columns provincial forms add; shown when some row has them.
	Nature, Unit, Adjusted, Factor string
	Core                           bool
}

// indicatorCols says which of the optional indicator columns any row fills.
type indicatorCols struct{ Nature, Unit, Adjusted, Factor, Core bool }

func indicatorColumns(rows []indicatorRow) indicatorCols {
	var c indicatorCols
	for _, r := range rows {
		c.Nature = c.Nature || r.Nature != ""
		c.Unit = c.Unit || r.Unit != ""
		c.Adjusted = c.Adjusted || r.Adjusted != ""
		c.Factor = c.Factor || r.Factor != ""
		c.Core = c.Core || r.Core
	}
	return c
}

type scoreRow struct{ Name, Weight, Score, Note string }

type sectionView struct {
	Key, Title string
	HTML       template.HTML
}

type chartView struct {
	charts.Chart
	DOMID string
	JSON  template.JS
	// Height is a size class near the chart's own height, for the first
	// paint; inline styles would break the CSP. PX is the chart's own
	// height in CSS px (0 for none), which site.js gives the canvas before
	// drawing: a comparison of 150 departments needs thousands of px.
	Height string
	PX     int
	// Table shadows the chart's own table with one laid out cell by cell.
	Table dataTable
}

// dataTable is a chart's data table with each cell knowing its place:
// the template then prints cells instead of asking, per cell, whether
// the column is numeric and whether it is the row's first (two function
// calls by reflection each, the largest cost of a report page). The
// embedded Table still offers Head, Rows and Numeric to a theme's own
// "table" template.
type dataTable struct {
	charts.Table
	Cols []dataCell   // the header row
	Body [][]dataCell // the rows, first cell the row's header
}

type dataCell struct {
	Text string
	N    bool // numeric: right-aligned
	Th   bool // the row's header
}

func newDataTable(t charts.Table) dataTable {
	numeric := func(i int) bool { return i < len(t.Numeric) && t.Numeric[i] }
	d := dataTable{Table: t, Cols: make([]dataCell, len(t.Head)), Body: make([][]dataCell, len(t.Rows))}
	for i, h := range t.Head {
		d.Cols[i] = dataCell{Text: h, N: numeric(i)}
	}
	cells := make([]dataCell, 0, len(t.Rows)*len(t.Head))
	for i, row := range t.Rows {
		start := len(cells)
		for j, c := range row {
			cells = append(cells, dataCell{Text: c, N: j > 0 && numeric(j), Th: j == 0})
		}
		d.Body[i] = cells[start:len(cells):len(cells)]
	}
	return d
}

func (s *Site) reportView(r *model.Report, pg *page) any {
	d := r.Department
	v := &reportView{R: r, Dept: d, DeptName: deptName(d), Source: r.Source}
	pg.Title = r.Title
	kind := r.DocKind()
	v.Kind = kind.DocTitle()
	pg.Desc = fmt.Sprintf("%s%d年度%s：%s。", d.Name, r.Year, kind.DocTitle(), kindDesc(kind))
	pg.Crumbs = []crumb{{pg.Root + "index.html", "首页"}, {pg.Root + comparePath(r.Year), fmt.Sprintf("%d年度", r.Year)}}
	pg.Meta = append(pg.Meta, metaTag{"ArticleTitle", r.Title})
	if date := pubDate(r); date != nil {
		pg.Meta = append(pg.Meta, metaTag{"PubDate", pubDateMeta(*date)})
	}
	if src := s.cfg.Portal.ContentSource; src != "" {
		pg.Meta = append(pg.Meta, metaTag{"ContentSource", src})
	} else if r.Source != nil && r.Source.Publisher != "" {
		pg.Meta = append(pg.Meta, metaTag{"ContentSource", r.Source.Publisher})
	}
	pg.Meta = append(pg.Meta, metaTag{"Keywords", d.Name + "," + kindKeyword(kind) + "," + strconv.Itoa(r.Year)})
	// A department publishes its own report; the source may name the
	// office that did.
	pg.Publisher = d.Name
	if r.Source != nil && r.Source.Publisher != "" {
		pg.Publisher = r.Source.Publisher
	}

	v.Facts = reportFacts(r)
	v.Cards = reportCards(r)
	v.Checks = checkViews(s.checksOf(r))
	v.Errata = r.AllErrata()
	v.Funds = fundRows(r)
	v.FundCols = fundColumns(v.Funds)
	for _, f := range append([]*model.Fund{r.Totals}, r.Funds...) {
		if f != nil && f.Note != "" {
			v.FundsNote = append(v.FundsNote, s.prose.html(fundRowName(r, f)+"："+f.Note))
		}
	}
	v.Trees = treeTables(r)
	v.Three, v.ThreeNote = threeRows(r.ThreePublic)
	v.ThreeCounts = threeCounts(r.ThreePublic)
	v.Accounts = accountTables(r.Accounts)
	v.Change = reportChanges(v, r, pg.Root)
	v.FundCols = fundColumns(v.Funds)
	v.ThreeCols = threeColumns(v.Three)
	if v.Change != nil {
		if v.Change.Prev != nil {
			v.Change.PrevHref = pg.Root + reportPath(v.Change.Prev)
		}
		for _, row := range v.Three {
			v.ThreeCols.Computed = v.ThreeCols.Computed || row.Delta.Computed()
			if row.PriorTaken {
				v.ThreeCols.PriorTaken = v.Change.Since
			}
		}
	}
	v.AccountFacts = accountFacts(r.Accounts)
	v.ProjectEval = projectEval(r.ProjectEval)
	v.Chapters = s.chapterViews(r)
	v.Tables, v.TablesNote = tableViews(r)
	v.ScoreNote = scoreNote(r.Score)
	for _, o := range d.Reports {
		if o != r && o.Year == r.Year {
			v.Siblings = append(v.Siblings, link{Href: pg.Root + reportPath(o), Text: o.Title, Note: o.DocKind().DocTitle()})
		}
	}
	v.Staff = staffFacts(r.Staff)
	for _, p := range r.Projects {
		pv := projectView{P: p, Budget: amountFig(p.Budget), Arrived: amountFig(p.Arrived), Paid: amountFig(p.Paid), Description: s.prose.html(p.Description)}
		for _, n := range p.Items {
			pv.Items = appendTree(pv.Items, n, "", 0, false)
		}
		v.Projects = append(v.Projects, pv)
	}
	v.Targets = r.Targets
	for _, ind := range r.Indicators {
		v.Indicators = appendIndicator(v.Indicators, ind, 1)
	}
	v.IndCols = indicatorColumns(v.Indicators)
	if r.Score != nil {
		for _, p := range r.Score.Parts {
			v.Score = append(v.Score, scoreRow{p.Name, numberText(p.Weight), numberText(p.Score), p.Note})
		}
	}
	for _, sec := range r.Narrative.Sections() {
		html := s.prose.html
		if sec.Key == "summary" {
			// The search index holds its text too.
			html = func(src string) template.HTML { return s.prose.once(src).html }
		}
		v.Sections = append(v.Sections, sectionView{Key: sec.Key, Title: sectionTitle(kind, sec.Key, sec.Title), HTML: html(sec.Markdown)})
	}
	v.Duties = s.prose.once(d.Duties).html
	for _, n := range r.Notes {
		v.Notes = append(v.Notes, s.prose.html(n))
	}
	v.Charts = chartViews(charts.ForReport(r))
	v.Downloads = []link{
		{pg.Root + dataPath(r, "json"), "本报告数据（JSON）", "结构化数据，适合程序读取"},
		{pg.Root + dataPath(r, "csv"), "本报告数据（CSV）", "UTF-8 编码，可用 Excel 打开"},
		{pg.Root + "data/all.xlsx", "全部报告汇总（Excel）", "所有部门、年度的汇总与明细"},
		{pg.Root + "data/all.csv", "全部报告明细（CSV）", ""},
	}
	v.History = pg.Root + departmentPath(d)
	v.Compare = pg.Root + comparePath(r.Year)
	v.TOC = reportTOC(v)
	return v
}

func reportTOC(v *reportView) []link {
	var toc []link
	add := func(ok bool, id, text string) {
		if ok {
			toc = append(toc, link{Href: "#" + id, Text: text})
		}
	}
	add(len(v.Checks)+len(v.Errata) > 0, "checks", "数据核对提示")
	add(v.ProjectEval != nil, "project-eval", "项目资金与目标")
	add(len(v.Accounts) > 0, "accounts", "收支情况")
	add(len(v.Tables) > 0, "tables", "公开表")
	add(len(v.Funds) > 0, "funds", "预算收支")
	add(len(v.Charts) > 0, "charts", "图表")
	add(len(v.Trees) > 0, "breakdown", "支出明细")
	add(len(v.Three) > 0, "three-public", "“三公”经费")
	add(len(v.Projects) > 0, "projects", "重点项目")
	add(len(v.Targets) > 0, "targets", "绩效目标")
	add(len(v.Indicators) > 0, "indicators", "绩效指标")
	add(len(v.Score) > 0, "score", "自评得分")
	for _, s := range v.Sections {
		add(true, "sec-"+s.Key, s.Title)
	}
	for _, s := range v.Chapters {
		add(true, "sec-"+s.Key, s.Title)
	}
	add(true, "source", "来源与下载")
	return toc
}

func reportFacts(r *model.Report) []fact {
	d := r.Department
	var out []fact
	add := func(label, value string) {
		if value != "" {
			out = append(out, fact{label, value})
		}
	}
	add("部门（单位）", d.Name)
	add("报告年度", strconv.Itoa(r.Year)+"年度")
	add("预算编码", d.BudgetCode)
	add("行政层级", string(d.Level))
	add("所在地区", regionText(d))
	add("主管部门", d.Authority)
	add("单位性质", string(d.UnitType))
	add("经费形式", string(d.Funding))
	add("机构规格", d.Rank)
	add("内设机构", orgUnitsText(d.Offices))
	add("下属单位", orgUnitsText(d.Subordinates))
	if r.ReportDate != nil {
		add("报告日期", r.ReportDate.String())
	}
	if e := r.Evaluation; e != nil {
		method := e.Text
		if method == "" {
			method = string(e.Method)
		}
		add("评价方式", method)
		add("评价机构", e.Body)
	}
	if o := r.Overview(); o.Score != nil {
		add("自评得分", o.Score.String()+" 分（"+scoreMeaning(o)+"）")
	}
	return out
}

func reportCards(r *model.Report) []card {
	o := r.Overview()
	var out []card
	add := func(label, term string, f *model.Figure) {
		if f != nil {
			c := card{Label: label, Term: term, Value: overviewFig(f), Unit: "万元"}
			if f.Computed {
				c.Note = "各资金来源相加所得，原文未给出合计"
			}
			out = append(out, c)
		}
	}
	add("全年预算", "budget", o.Budget)
	add("支出合计", "expenditure", o.Expenditure)
	add("基本支出", "basic", o.Basic)
	add("项目支出", "project", o.Project)
	if o.StatedRate != nil {
		c := card{Label: "预算执行率", Term: "execution-rate", Value: &figure{Text: o.StatedRate.Value.String()}, Unit: "%", Note: "原文所述"}
		if rate, ok := o.ExecutionRate(); ok && rate.Cmp(o.StatedRate.Value) != 0 {
			c.Note = "原文所述；按支出÷预算计算为 " + pct(rate)
		}
		out = append(out, c)
	} else if rate, ok := o.ExecutionRate(); ok {
		out = append(out, card{Label: "预算执行率", Term: "execution-rate", Value: &figure{Text: rate.Format(2), Computed: true}, Unit: "%", Note: "按支出÷预算计算"})
	}
	out = append(out, perPerson(r, o)...)
	if o.Score != nil {
		c := card{Label: "自评得分", Term: "score", Value: &figure{Text: o.Score.String()}, Unit: "分"}
		var notes []string
		if o.ScoreMax != nil {
			notes = append(notes, "满分 "+o.ScoreMax.String())
		}
		notes = append(notes, scoreMeaning(o))
		c.Note = strings.Join(notes, "；")
		out = append(out, c)
	}
	return out
}

// checkViews keeps what readers should see: reconciliation warnings and
// the rounding notes. Errata are listed from the model with their reasons.
func checkViews(ds []diag.Diagnostic) []checkView {
	var out []checkView
	for _, d := range ds {
		if d.Severity == diag.Note && d.Rule != diag.Rounding {
			continue
		}
		out = append(out, checkView{
			Message:  d.Message(diag.Zh),
			Stated:   d.Stated,
			Computed: d.Computed,
			Where:    d.Location(),
			Warning:  d.Severity >= diag.Warning,
		})
	}
	return out
}

func fundRows(r *model.Report) []fundRow {
	var out []fundRow
	row := func(f *model.Fund, name string, total bool) {
		fr := fundRow{
			Name: name, Total: total,
			Initial: amountFig(f.InitialBudget), Adjustment: amountFig(f.Adjustment),
			Budget: amountFig(f.Budget), Income: amountFig(f.Income),
			Expenditure: amountFig(f.Expenditure), CarryOver: amountFig(f.CarryOver),
			StatedRate: percentText(f.ExecutionRate), exp: f.Expenditure,
		}
		if f.Budget != nil && f.Expenditure != nil && !f.Budget.Value.IsZero() {
			if rate, ok := model.Ratio(f.Expenditure.Value, f.Budget.Value, 2); ok {
				fr.ComputedRate = pct(rate)
			}
		}
		if fr.Initial == nil && fr.Adjustment == nil && fr.Budget == nil && fr.Income == nil && fr.Expenditure == nil && fr.CarryOver == nil && fr.StatedRate == "" {
			return
		}
		out = append(out, fr)
	}
	for _, f := range r.Funds {
		row(f, fundRowName(r, f), false)
	}
	if r.Totals != nil {
		row(r.Totals, fundRowName(r, r.Totals), true)
	}
	return out
}

func treeTables(r *model.Report) []treeTable {
	var out []treeTable
	add := func(caption string, basic, project *model.Node, planTotal *model.Amount) {
		t := treeTable{Caption: caption}
		if planTotal != nil {
			t.Rows = append(t.Rows, treeRow{Name: "预算总数", Amount: amountFig(planTotal)})
		}
		if basic != nil {
			t.Rows = appendTree(t.Rows, basic, "基本支出", 0, false)
		}
		if project != nil {
			t.Rows = appendTree(t.Rows, project, "项目支出", 0, false)
		}
		if len(t.Rows) == 0 {
			return
		}
		for i := range t.Rows {
			t.Rows[i].Head = t.Rows[i].Depth == 0
		}
		finishTree(&t)
		out = append(out, t)
	}
	funds := r.Funds
	if r.Totals != nil {
		funds = append([]*model.Fund{r.Totals}, funds...)
	}
	for _, f := range funds {
		name := f.FundName()
		if f == r.Totals && f.Label == "" {
			name = "部门整体"
		}
		if f.Basic != nil || f.Project != nil {
			add(name+"支出明细（万元）", f.Basic, f.Project, nil)
		}
		if p := f.Plan; p != nil {
			add(name+"预算批复构成（万元）", p.Basic, p.Project, p.Total)
		}
	}
	return out
}

// appendTree flattens n's tree into rows; unnamed is the display name of a
// basic or project node the source left unnamed.
func appendTree(rows []treeRow, n *model.Node, unnamed string, depth int, ofWhich bool) []treeRow {
	name := n.Name
	if name == "" {
		name = unnamed
	}
	if ofWhich {
		name = "其中：" + name
	}
	rows = append(rows, treeRow{
		Depth: depth, Name: name, Code: n.Code, Amount: amountFig(n.Amount), Budget: amountFig(n.Budget),
		Rate: percentText(n.ExecutionRate), Note: n.Note, OfWhich: ofWhich,
		Prior: amountFig(n.Prior), Change: deltaText(n.Change), Rate2: deltaText(n.ChangeRate),
		Share: percentText(n.Share), Reason: n.Reason, Partial: n.Partial, node: n,
	})
	for _, c := range n.Items {
		rows = appendTree(rows, c, "", depth+1, false)
	}
	for _, c := range n.OfWhich {
		rows = appendTree(rows, c, "", depth+1, true)
	}
	return rows
}

func threeRows(t *model.ThreePublic) ([]threeRow, string) {
	if t == nil {
		return nil, ""
	}
	var out []threeRow
	add := func(name string, ba *model.BudgetActual, total bool) {
		if ba != nil {
			out = append(out, threeRow{
				Name: name, Budget: amountFig(ba.Budget), Actual: amountFig(ba.Actual), Total: total,
				Prior: amountFig(ba.Prior), Rate: percentText(ba.Rate), Share: percentText(ba.Share),
				Change: deltaText(ba.Change), Rate2: deltaText(ba.ChangeRate), Reason: ba.Reason,
			})
		}
	}
	add("因公出国（境）费", t.Outbound, false)
	add("公务用车购置费", t.VehiclePurchase, false)
	add("公务用车运行维护费", t.VehicleOperation, false)
	add("公务用车购置及运行维护费", t.Vehicles, false)
	add("公务接待费", t.Reception, false)
	add("合计", t.Total, true)
	return out, t.Note
}

func staffFacts(st *model.Staff) []fact {
	if st == nil {
		return nil
	}
	var out []fact
	num := func(label string, n *int) {
		if n != nil {
			out = append(out, fact{label, strconv.Itoa(*n) + " 人"})
		}
	}
	if st.AsOf != nil {
		out = append(out, fact{"统计截止", st.AsOf.String()})
	}
	num("编制数", st.Authorized)
	for _, p := range st.AuthorizedByType {
		out = append(out, fact{"其中 " + p.Name, strconv.Itoa(p.Count) + " 人"})
	}
	num("实有在职人数", st.InService)
	for _, p := range st.ByType {
		out = append(out, fact{p.Name, strconv.Itoa(p.Count) + " 人"})
	}
	num("退休人数", st.Retired)
	return out
}

var levelNames = []string{"", "一级指标", "二级指标", "三级指标"}

func appendIndicator(rows []indicatorRow, ind *model.Indicator, level int) []indicatorRow {
	name := ""
	if level < len(levelNames) {
		name = levelNames[level]
	}
	rows = append(rows, indicatorRow{
		Level: level, LevelName: name, Name: ind.Name,
		Target: measureText(ind.Target), Actual: measureText(ind.Actual),
		Weight: numberText(ind.Weight), Score: numberText(ind.Score), Deviation: ind.Deviation,
		Nature: ind.Nature, Unit: ind.Unit, Adjusted: measureText(ind.Adjusted), Factor: numberText(ind.Factor), Core: ind.Core,
	})
	for _, c := range ind.Items {
		rows = appendIndicator(rows, c, level+1)
	}
	return rows
}

func chartViews(cs []charts.Chart) []chartView {
	out := make([]chartView, 0, len(cs))
	for _, c := range cs {
		out = append(out, chartView{Chart: c, DOMID: "chart-" + c.ID, JSON: scriptJSON(c.Option), Height: heightClass(c.Height), PX: max(c.Height, 0), Table: newDataTable(c.Table)})
	}
	return out
}

// scriptJSON is an option for a script block. HTMLEscape keeps
// "</script>" and friends out of it whatever text the content holds. The
// charts package writes options escaped already, as encoding/json does,
// so that is usually a copy of the option into a buffer grown for it, and
// is skipped when there is nothing to escape.
func scriptJSON(opt json.RawMessage) template.JS {
	if !bytes.ContainsAny(opt, "<>&\u2028\u2029") {
		return template.JS(opt)
	}
	var buf bytes.Buffer
	json.HTMLEscape(&buf, opt)
	return template.JS(buf.String())
}

// heightClass maps a suggested height to the nearest of the stylesheet's
// sizes (300, 380, 480 and 600 px): the canvas's height before site.js
// gives it the chart's own (so that the page hardly moves then), and
// without script.
func heightClass(h int) string {
	switch {
	case h < 340:
		return "h-s"
	case h < 430:
		return "h-m"
	case h < 540:
		return "h-l"
	}
	return "h-xl"
}

// publicationDate is the report's date, else the source's publication date.
func publicationDate(r *model.Report) *model.Date {
	if r.ReportDate != nil {
		return r.ReportDate
	}
	if r.Source != nil && r.Source.Published != nil {
		return r.Source.Published
	}
	return nil
}

// pubDate is the date of the PubDate tag: when the source was published,
// where recorded, else the report's own date.
func pubDate(r *model.Report) *model.Date {
	if r.Source != nil && r.Source.Published != nil {
		return r.Source.Published
	}
	return r.ReportDate
}

// pubDateMeta formats the PubDate tag as "YYYY-MM-DD HH:MM" (the portal
// standard); partial dates fall on the first of the month or year.
func pubDateMeta(d model.Date) string {
	m, day := max(d.Month, 1), max(d.Day, 1)
	return fmt.Sprintf("%04d-%02d-%02d 00:00", d.Year, m, day)
}

// fundRowName is what the funds table and its notes call a fund: the
// department-wide figures, which name no source, are 部门合计.
func fundRowName(r *model.Report, f *model.Fund) string {
	if f == r.Totals && f.Label == "" {
		return "部门合计"
	}
	return f.FundName()
}

// orgUnitsText is "7 个" or "3 个：办公室、…", as department.yaml gives them.
func orgUnitsText(u *model.OrgUnits) string {
	if u == nil {
		return ""
	}
	s := ""
	if u.Count != nil {
		s = strconv.Itoa(*u.Count) + " 个"
	}
	if len(u.Names) > 0 {
		if s != "" {
			s += "："
		}
		s += strings.Join(u.Names, "、")
	}
	return s
}

// scoreBands are the grades most evaluation rules give a score out of 100:
// 优 from 90, 良 from 80, 中 from 60, below that 差.
var scoreBands = []struct {
	from  int64
	grade string
}{{90, "优"}, {80, "良"}, {60, "中"}, {0, "差"}}

// scoreMeaning says what a self-assessed score means: the grade the report
// gives, or else the usual band it falls in, and that the department
// scored itself.
func scoreMeaning(o model.Overview) string {
	if o.Grade != "" {
		return "原文评定为“" + o.Grade + "”；系部门自评"
	}
	hundred := model.Decimal{Units: 100 * pow10(model.Scale)}
	if o.ScoreMax != nil && o.ScoreMax.Cmp(hundred) != 0 {
		return "系部门自评"
	}
	for _, b := range scoreBands {
		if o.Score.Cmp(model.Decimal{Units: b.from * pow10(model.Scale)}) >= 0 {
			return "按常用分档属“" + b.grade + "”（" + bandRange(b.grade) + "），系部门自评，非第三方评价"
		}
	}
	return "系部门自评"
}

func bandRange(grade string) string {
	switch grade {
	case "优":
		return "90 分及以上"
	case "良":
		return "80–90 分"
	case "中":
		return "60–80 分"
	}
	return "60 分以下"
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// perPerson divides the spending and the 三公 actual by the in-service staff
// the report gives, exactly, to two places: figures the site computes, and
// says so.
func perPerson(r *model.Report, o model.Overview) []card {
	st := r.Staff
	if st == nil || st.InService == nil || *st.InService <= 0 {
		return nil
	}
	n := *st.InService
	// Ratio gives num ÷ den × 100; a den of n × 100 gives num ÷ n.
	den := model.Decimal{Units: int64(n) * 100 * pow10(model.Scale)}
	var out []card
	each := func(label string, total model.Decimal, what string) {
		if v, ok := model.Ratio(total, den, 2); ok {
			// Not marked Computed: that mark reads 各项相加所得; the note
			// says how this one was computed.
			out = append(out, card{Label: label, Term: "per-person", Value: &figure{Text: v.Format(2)}, Unit: "万元/人",
				Note: fmt.Sprintf("本站按%s %s 万元 ÷ 实有在职 %d 人计算", what, total.String(), n)})
		}
	}
	if o.Expenditure != nil {
		each("人均支出", o.Expenditure.Value, "支出合计")
	}
	if tp := r.ThreePublic; tp != nil && tp.Total != nil && tp.Total.Actual != nil {
		each("人均“三公”经费", tp.Total.Actual.Value, "“三公”经费实际支出")
	}
	return out
}
