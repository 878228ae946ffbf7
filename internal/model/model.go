// Package model holds a department's annual spending and performance
// disclosure exactly as published. It does no I/O and imports nothing of the
// project, so every other part (loader, checker, site, charts) shares it.
//
// Struct tags drive the YAML decoder and the JSON Schema:
//
//	yaml:"key"       the key in the content files ("-" = not from YAML)
//	req:"true"       the key must be present
//	doc:"..."        the description editors show (Chinese, for finance staff)
//	ex:"..."         an example value for the schema
//
// Layer 0 (see internal/arch).
package model

// Pos locates a value in a content file, for diagnostics.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) IsZero() bool { return p.File == "" && p.Line == 0 }

// Site is the whole content tree: site settings and every department with
// its reports.
type Site struct {
	Config      SiteConfig
	Departments []*Department // sorted by ID
}

// SiteConfig is content/site.yaml.
type SiteConfig struct {
	Title       string `yaml:"title" req:"true" doc:"网站标题" ex:"部门整体支出绩效自评报告公开"`
	Subtitle    string `yaml:"subtitle" doc:"副标题"`
	Description string `yaml:"description" doc:"网站简介（Markdown）"`
	Publisher   string `yaml:"publisher" doc:"发布机构" ex:"某某市财政局"`
	Language    string `yaml:"language" doc:"页面语言，默认 zh-CN"`
	BaseURL     string `yaml:"base_url" doc:"网站根地址（绝对网址，如 https://www.example.gov.cn/xxgk/jx/），用于 sitemap.xml、feed.xml 和规范链接；站内链接一律为相对链接，不受影响"`
	Portal      Portal `yaml:"portal" doc:"政府网站元数据（SiteName、SiteDomain 等）"`
	Footer      string `yaml:"footer" doc:"页脚文字（Markdown）"`
	Profile     string `yaml:"profile" doc:"公开要求（合规检查和“公开情况”页所用）：national（全国统一要求，默认）、hunan（湖南省），或内容目录旁 profiles/ 中自定义的名称"`
	Pos         Pos    `yaml:"-"`
}

// Portal carries the meta tags government portals require on every page.
type Portal struct {
	SiteName      string `yaml:"site_name" doc:"SiteName：网站名称"`
	SiteDomain    string `yaml:"site_domain" doc:"SiteDomain：网站域名；不填时取 base_url 的域名"`
	SiteIDCode    string `yaml:"site_id_code" doc:"SiteIDCode：网站标识码"`
	ColumnName    string `yaml:"column_name" doc:"ColumnName：栏目名称"`
	ColumnType    string `yaml:"column_type" doc:"ColumnType：栏目类别，如 信息公开"`
	ContentSource string `yaml:"content_source" doc:"ContentSource：内容来源"`
	Pos           Pos    `yaml:"-"`
}

// Department is the stable facts of one department: content/<id>/department.yaml.
type Department struct {
	ID           string      `yaml:"-"` // directory name, used in URLs
	Name         string      `yaml:"name" req:"true" doc:"部门（单位）全称" ex:"岳阳市云溪区民政局"`
	ShortName    string      `yaml:"short_name" doc:"简称" ex:"云溪区民政局"`
	BudgetCode   string      `yaml:"budget_code" doc:"预算编码（加引号，保留前导零）" ex:"201001"`
	Level        Level       `yaml:"level" req:"true" doc:"行政层级：省级、市级、县级"`
	Region       []string    `yaml:"region" req:"true" doc:"所在地区，从省到县区，如 [湖南省, 岳阳市, 云溪区]"`
	Authority    string      `yaml:"authority" doc:"主管部门" ex:"岳阳市云溪区人民政府"`
	UnitType     UnitType    `yaml:"unit_type" doc:"单位性质：行政单位、参公事业单位、事业单位、其他"`
	Funding      FundingType `yaml:"funding" doc:"经费形式：全额拨款、差额拨款、自收自支"`
	Rank         string      `yaml:"rank" doc:"机构规格，如 正科级"`
	Offices      *OrgUnits   `yaml:"offices" doc:"内设机构（股室、科室）"`
	Subordinates *OrgUnits   `yaml:"subordinates" doc:"下属（所属）单位"`
	Duties       string      `yaml:"duties" doc:"主要职能（Markdown）；也可写在同目录 duties.md"`
	DutiesFile   string      `yaml:"-"`
	Reports      []*Report   `yaml:"-"` // sorted by year, oldest first
	Pos          Pos         `yaml:"-"`
}

// OrgUnits is a count of units and, where the document names them, the names.
type OrgUnits struct {
	Count *int     `yaml:"count" doc:"个数"`
	Names []string `yaml:"names" doc:"名称列表"`
	Pos   Pos      `yaml:"-"`
}

// Report is one department's disclosure for one year: content/<id>/<year>.yaml.
type Report struct {
	Department  *Department   `yaml:"-"`
	Year        int           `yaml:"year" req:"true" doc:"报告年度（与文件名一致）" ex:"2023"`
	Kind        DocKind       `yaml:"kind" doc:"文件种类：部门整体支出绩效自评（默认）、项目支出绩效自评、部门决算、部门预算、三公经费、其他"`
	ID          string        `yaml:"-"` // "" for <year>.yaml, "juesuan" for <year>-juesuan.yaml
	Title       string        `yaml:"title" req:"true" doc:"报告标题，按原文"`
	Issuer      string        `yaml:"issuer" doc:"发布或编制单位，按原文（如 某某县民政局）"`
	Unit        string        `yaml:"unit" doc:"原文所述金额单位，如 万元、元（仅作记录；每个金额仍按其书写的单位读取）"`
	Approved    *Date         `yaml:"approved" doc:"预算或决算的批复日期（公开时限自此起算）"`
	ReportDate  *Date         `yaml:"report_date" doc:"报告日期，如 2024-05-31 或 2024-05"`
	Evaluation  *Evaluation   `yaml:"evaluation" doc:"评价方式与评价机构"`
	Score       *Score        `yaml:"score" doc:"自评得分"`
	Staff       *Staff        `yaml:"staff" doc:"人员情况"`
	Totals      *Fund         `yaml:"totals" doc:"部门整体（全部资金）收支，原文未按资金来源细分时填这里"`
	Funds       []*Fund       `yaml:"funds" doc:"按资金来源的收支：一般公共预算、政府性基金预算等"`
	ThreePublic *ThreePublic  `yaml:"three_public" doc:"“三公”经费预算与实际支出"`
	Projects    []*Project    `yaml:"projects" doc:"重点项目（如50万元以上项目）"`
	Accounts    *Accounts     `yaml:"accounts" doc:"部门决算、部门预算的收支数字（收支总表、财政拨款、功能分类、经济分类、机关运行经费、政府采购、国有资产）"`
	ProjectEval *ProjectEval  `yaml:"project_eval" doc:"项目支出绩效自评表的表头：项目名称、主管部门、资金、年度总体目标"`
	Chapters    []*Chapter    `yaml:"chapters" doc:"按原文顺序的章节（决算、预算、“三公”说明等文件用；自评报告用 narrative）"`
	Profile     string        `yaml:"profile" doc:"报表格式：决算默认 national-juesuan（财政部统一的9张表），预算默认 national-yusuan；地方格式如 hunan-yusuan-2024、zhejiang-yusuan-2023"`
	Tables      []*Table      `yaml:"tables" doc:"决算、预算公开表，按原表逐行照录"`
	Targets     []*Target     `yaml:"targets" doc:"年度绩效目标（目标1…目标N）"`
	Indicators  []*Indicator  `yaml:"indicators" doc:"绩效指标：一级（产出/效益/满意度）→ 二级 → 三级"`
	Narrative   Narrative     `yaml:"narrative" doc:"文字部分（Markdown）；也可写成同名 .md 文件放在 <年度>/ 目录"`
	Source      *Source       `yaml:"source" req:"true" doc:"来源文件"`
	Notes       []string      `yaml:"notes" doc:"编者注：转录时需要向读者说明的情况（Markdown）"`
	Errata      []*Erratum    `yaml:"errata" doc:"文字勘误（数字的勘误直接写在金额处）"`
	Pos         Pos           `yaml:"-"`
	Files       []string      `yaml:"-"` // every file the report was read from
	Sections    []SectionFile `yaml:"-"`
}

// SectionFile records a narrative section read from its own .md file.
type SectionFile struct {
	Key  string
	File string
}

// Date is a calendar date of which the day (or month) may be unknown.
type Date struct {
	Year, Month, Day int
	Pos              Pos
}

// Evaluation says who evaluated and how.
type Evaluation struct {
	Method EvalMethod `yaml:"method" doc:"评价方式：部门自评、第三方评价、财政评价"`
	Text   string     `yaml:"text" doc:"评价方式原文，如 部门（单位）绩效自评"`
	Body   string     `yaml:"body" doc:"评价机构，如 部门（单位）评价组"`
	Issuer string     `yaml:"issuer" doc:"制发单位，如 岳阳市云溪财政局（制）"`
	Pos    Pos        `yaml:"-"`
}

// Score is the self-evaluation score: the total and its parts.
type Score struct {
	Total   *Number      `yaml:"total" doc:"总分"`
	Max     *Number      `yaml:"max" doc:"满分，默认 100"`
	Grade   string       `yaml:"grade" doc:"等级，如 优、良"`
	Parts   []*ScorePart `yaml:"parts" doc:"分项得分，如 预算执行 30/30"`
	Partial bool         `yaml:"partial" doc:"原文只给出部分分项时写 true：分项不再与总分核对"`
	Pos     Pos          `yaml:"-"`
}

// ScorePart is one dimension of the score with its weight.
type ScorePart struct {
	Name   string  `yaml:"name" req:"true" doc:"评价维度，如 预算执行"`
	Weight *Number `yaml:"weight" doc:"分值（权重）"`
	Score  *Number `yaml:"score" doc:"得分（未填写的表可不写）"`
	Note   string  `yaml:"note" doc:"扣分说明"`
	Pos    Pos     `yaml:"-"`
}

// Number is a non-money figure (score, weight, count) kept exact.
type Number struct {
	Value Decimal
	Pos   Pos
}

// Staff is head counts at the end of the year.
type Staff struct {
	AsOf             *Date        `yaml:"as_of" doc:"统计截止日期"`
	Authorized       *int         `yaml:"authorized" doc:"编制数"`
	AuthorizedByType []*StaffPart `yaml:"authorized_by_type" doc:"编制按类别，如 行政编制、事业编制、工勤编制"`
	InService        *int         `yaml:"in_service" doc:"实有在职人数"`
	ByType           []*StaffPart `yaml:"by_type" doc:"在职人员按经费或身份分类"`
	Retired          *int         `yaml:"retired" doc:"退休人数"`
	Pos              Pos          `yaml:"-"`
}

// StaffPart is one category of in-service staff.
type StaffPart struct {
	Name  string `yaml:"name" req:"true" doc:"类别，如 全额拨款人员"`
	Count int    `yaml:"count" req:"true" doc:"人数"`
	Pos   Pos    `yaml:"-"`
}

// Fund is the budget, income and spending of one fund source, or of the
// department as a whole (Report.Totals).
type Fund struct {
	Source        FundSource  `yaml:"source" doc:"资金来源（funds 中必填）"`
	Label         string      `yaml:"label" doc:"显示名称，默认同资金来源"`
	InitialBudget *Amount     `yaml:"initial_budget" doc:"年初预算（万元）"`
	Adjustment    *Amount     `yaml:"adjustment" doc:"年中调整预算（万元，可为负）"`
	Budget        *Amount     `yaml:"budget" doc:"全年预算数（万元）"`
	Income        *Amount     `yaml:"income" doc:"收入（万元）"`
	Expenditure   *Amount     `yaml:"expenditure" doc:"支出（万元）"`
	CarryOver     *Amount     `yaml:"carryover" doc:"年末结转结余（万元）"`
	ExecutionRate *Percent    `yaml:"execution_rate" doc:"原文所述预算执行率，如 84.69%"`
	Basic         *Node       `yaml:"basic" doc:"基本支出"`
	Project       *Node       `yaml:"project" doc:"项目支出"`
	Plan          *BudgetPlan `yaml:"budget_plan" doc:"预算批复构成（基本支出、项目支出的预算数）"`
	Note          string      `yaml:"note" doc:"说明（Markdown）"`
	Pos           Pos         `yaml:"-"`
}

// BudgetPlan is how the approved budget splits into basic and project.
type BudgetPlan struct {
	Total   *Amount `yaml:"total" doc:"预算总数（万元）"`
	Basic   *Node   `yaml:"basic" doc:"基本支出预算"`
	Project *Node   `yaml:"project" doc:"项目支出预算"`
	Pos     Pos     `yaml:"-"`
}

// Node is a spending category. Items are a full breakdown (they must add up
// to Amount); OfWhich are "其中" items that highlight parts and need not.
type Node struct {
	Name          string   `yaml:"name" doc:"名称（功能分类或经济分类）"`
	Code          string   `yaml:"code" doc:"科目编码，如 301、2081002（加引号）"`
	Amount        *Amount  `yaml:"amount" doc:"金额（万元）"`
	Budget        *Amount  `yaml:"budget" doc:"预算数（万元）"`
	ExecutionRate *Percent `yaml:"execution_rate" doc:"原文所述执行率"`
	Note          string   `yaml:"note" doc:"说明（Markdown）"`
	Prior         *Amount  `yaml:"prior" doc:"上年数（原文所述上年决算数或预算数）"`
	Change        *Delta   `yaml:"change" doc:"原文所述增减额，按原文，如 \"减少18,987.42元\"、\"增加3.5万元\""`
	ChangeRate    *Delta   `yaml:"change_rate" doc:"原文所述增减率，按原文，如 \"下降42.13%\""`
	Share         *Percent `yaml:"share" doc:"原文所述占上级合计的比重，如 \"38.29%\""`
	Reason        string   `yaml:"reason" doc:"原文所述变动或差异原因"`
	Items         []*Node  `yaml:"items" doc:"完整细分：各项之和应等于本项金额"`
	OfWhich       []*Node  `yaml:"of_which" doc:"“其中”项：只列出部分，之和不超过本项金额"`
	Partial       bool     `yaml:"partial" doc:"原文只列出部分细分（列到“等”为止或文字被截断）时写 true：items 不再与合计核对"`
	Pos           Pos      `yaml:"-"`
}

// ThreePublic is "三公"经费: four items with budget and actual, and totals.
type ThreePublic struct {
	Total            *BudgetActual `yaml:"total" doc:"“三公”经费合计"`
	Outbound         *BudgetActual `yaml:"outbound" doc:"因公出国（境）费"`
	VehiclePurchase  *BudgetActual `yaml:"vehicle_purchase" doc:"公务用车购置费"`
	VehicleOperation *BudgetActual `yaml:"vehicle_operation" doc:"公务用车运行维护费"`
	Vehicles         *BudgetActual `yaml:"vehicles" doc:"公务用车购置及运行维护费：原文只给出两项合计时填这里"`
	Reception        *BudgetActual `yaml:"reception" doc:"公务接待费"`
	Counts           *ThreeCounts  `yaml:"counts" doc:"数量：出国团组与人次、购置与保有车辆、接待批次与人次"`
	Note             string        `yaml:"note" doc:"说明"`
	Pos              Pos           `yaml:"-"`
}

// ThreeCounts are the counts a 三公 statement gives beside its amounts.
type ThreeCounts struct {
	OutboundGroups    *int     `yaml:"outbound_groups" doc:"因公出国（境）团组数（个）"`
	OutboundPersons   *int     `yaml:"outbound_persons" doc:"因公出国（境）人次"`
	VehiclesBought    *int     `yaml:"vehicles_bought" doc:"公务用车购置数（辆）"`
	VehiclesHeld      *int     `yaml:"vehicles_held" doc:"公务用车保有量（辆）"`
	VehiclesByType    []*Count `yaml:"vehicles_by_type" doc:"保有车辆按用途"`
	ReceptionBatches  *int     `yaml:"reception_batches" doc:"国内公务接待批次"`
	ReceptionPersons  *int     `yaml:"reception_persons" doc:"国内公务接待人次"`
	ForeignReceptions *int     `yaml:"foreign_receptions" doc:"外事接待批次"`
	Pos               Pos      `yaml:"-"`
}

// BudgetActual pairs a budget with the actual figure, and what the
// document says about it against the previous year.
type BudgetActual struct {
	Budget     *Amount  `yaml:"budget" doc:"预算数（万元）"`
	Actual     *Amount  `yaml:"actual" doc:"实际支出（万元）"`
	Rate       *Percent `yaml:"rate" doc:"原文所述完成率（实际支出÷预算），如 \"62.5%\""`
	Prior      *Amount  `yaml:"prior" doc:"上年实际支出"`
	Change     *Delta   `yaml:"change" doc:"原文所述比上年增减额，按原文，如 \"减少18,987.42元\""`
	ChangeRate *Delta   `yaml:"change_rate" doc:"原文所述比上年增减率，按原文，如 \"下降42.13%\""`
	Share      *Percent `yaml:"share" doc:"原文所述占“三公”经费合计的比重"`
	Reason     string   `yaml:"reason" doc:"原文所述增减或差异原因"`
	Pos        Pos      `yaml:"-"`
}

// Project is a named project, e.g. one of the 50万元以上 projects.
type Project struct {
	Name        string   `yaml:"name" req:"true" doc:"项目名称"`
	Group       string   `yaml:"group" doc:"所属类别，如 社保民生资金"`
	Budget      *Amount  `yaml:"budget" doc:"预算安排（万元）"`
	Arrived     *Amount  `yaml:"arrived" doc:"资金到位（万元）"`
	Paid        *Amount  `yaml:"paid" doc:"实际拨付或使用（万元）"`
	Description string   `yaml:"description" doc:"项目说明与完成情况（Markdown）"`
	Outputs     []string `yaml:"outputs" doc:"主要产出"`
	Items       []*Node  `yaml:"items" doc:"资金细分：各项之和应等于实际拨付"`
	Pos         Pos      `yaml:"-"`
}

// Target is one annual performance target (目标1…N).
type Target struct {
	Name string `yaml:"name" doc:"目标名称，如 目标1"`
	Text string `yaml:"text" req:"true" doc:"目标内容"`
	Pos  Pos    `yaml:"-"`
}

// Indicator is a node of the indicator tree. Level-1 and level-2 nodes
// group; level-3 nodes carry target, actual and score.
type Indicator struct {
	Name      string       `yaml:"name" req:"true" doc:"指标名称"`
	Weight    *Number      `yaml:"weight" doc:"分值"`
	Score     *Number      `yaml:"score" doc:"得分"`
	Target    *Measure     `yaml:"target" doc:"指标值（目标），如 ≥90%、=100人、或文字"`
	Actual    *Measure     `yaml:"actual" doc:"实际完成值"`
	Deviation string       `yaml:"deviation" doc:"偏差原因及改进措施"`
	Nature    string       `yaml:"nature" doc:"指标性质，按原文，如 正向指标、反向指标、定量、定性"`
	Unit      string       `yaml:"unit" doc:"度量单位，按原文，如 人、%、万元"`
	Adjusted  *Measure     `yaml:"adjusted" doc:"调整后指标值"`
	Factor    *Number      `yaml:"factor" doc:"得分系数"`
	Core      bool         `yaml:"core" doc:"是否核心指标：是写 true"`
	Items     []*Indicator `yaml:"items" doc:"下级指标"`
	Pos       Pos          `yaml:"-"`
}

// Measure is a target or actual value: a comparator, a number and a unit, or
// qualitative text. Text is always the literal as published.
type Measure struct {
	Text  string
	Op    string // "≥", "≤", "=", ">", "<" or "" when qualitative
	Value *Decimal
	Unit  string
	Pos   Pos
}

// Narrative holds the text sections of a report, in Markdown.
type Narrative struct {
	Summary     string `yaml:"summary" doc:"评价报告综述 / 自评结论"`
	Overview    string `yaml:"overview" doc:"部门（单位）概况"`
	Plan        string `yaml:"plan" doc:"长期规划与年度计划"`
	Budget      string `yaml:"budget" doc:"预算执行与管理情况说明"`
	Process     string `yaml:"process" doc:"自评工作开展情况"`
	Performance string `yaml:"performance" doc:"绩效情况 / 工作成效"`
	Problems    string `yaml:"problems" doc:"存在的问题及原因分析"`
	Measures    string `yaml:"measures" doc:"下一步改进措施"`
	ResultsUse  string `yaml:"results_use" doc:"绩效自评结果应用和公开情况"`
	Other       string `yaml:"other" doc:"其他需要说明的情况"`
	Pos         Pos    `yaml:"-"`
}

// Section is one narrative section with its reader-facing title.
type Section struct {
	Key, Title, Markdown string
}

// SectionTitles lists the narrative keys in reading order with their titles.
var SectionTitles = []struct{ Key, Title string }{
	{"summary", "评价报告综述"},
	{"overview", "部门（单位）概况"},
	{"plan", "规划与年度计划"},
	{"budget", "预算执行与管理情况"},
	{"process", "自评工作开展情况"},
	{"performance", "部门整体支出绩效情况"},
	{"problems", "存在的问题及原因分析"},
	{"measures", "下一步改进措施"},
	{"results_use", "绩效自评结果应用和公开情况"},
	{"other", "其他需要说明的情况"},
}

// Get returns the Markdown of the section with key k.
func (n *Narrative) Get(k string) string {
	if p := n.field(k); p != nil {
		return *p
	}
	return ""
}

// Set stores the Markdown of section k; it reports false for unknown keys.
func (n *Narrative) Set(k, md string) bool {
	p := n.field(k)
	if p == nil {
		return false
	}
	*p = md
	return true
}

func (n *Narrative) field(k string) *string {
	switch k {
	case "summary":
		return &n.Summary
	case "overview":
		return &n.Overview
	case "plan":
		return &n.Plan
	case "budget":
		return &n.Budget
	case "process":
		return &n.Process
	case "performance":
		return &n.Performance
	case "problems":
		return &n.Problems
	case "measures":
		return &n.Measures
	case "results_use":
		return &n.ResultsUse
	case "other":
		return &n.Other
	}
	return nil
}

// Sections returns the non-empty sections in reading order.
func (n *Narrative) Sections() []Section {
	var out []Section
	for _, st := range SectionTitles {
		if md := n.Get(st.Key); md != "" {
			out = append(out, Section{Key: st.Key, Title: st.Title, Markdown: md})
		}
	}
	return out
}

// Source names the document a report was transcribed from.
type Source struct {
	Title     string `yaml:"title" req:"true" doc:"来源文件标题"`
	Publisher string `yaml:"publisher" doc:"发布单位"`
	File      string `yaml:"file" doc:"原始文件名"`
	URL       string `yaml:"url" doc:"原文网址"`
	Published *Date  `yaml:"published" doc:"发布日期"`
	Note      string `yaml:"note" doc:"转录说明"`
	Truncated bool   `yaml:"truncated" doc:"能找到的原文不完整（文字中途截断）时写 true：缺的部分不当作原文未填写"`
	Pos       Pos    `yaml:"-"`
}
