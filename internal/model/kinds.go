package model

import (
	"strconv"
	"strings"
)

// DocKind is the kind of disclosure document a report file holds. A
// department-year may hold several: its 部门决算, its 整体自评 and a
// 项目支出绩效自评表 per project are typical.
type DocKind string

const (
	KindSelfEval      DocKind = "部门整体支出绩效自评"
	KindProjectEval   DocKind = "项目支出绩效自评"
	KindFinalAccounts DocKind = "部门决算"
	KindBudget        DocKind = "部门预算"
	KindThreePublic   DocKind = "三公经费"
	KindOther         DocKind = "其他"
)

func (DocKind) Values() []string {
	return []string{"部门整体支出绩效自评", "项目支出绩效自评", "部门决算", "部门预算", "三公经费", "其他"}
}

// Kind is the report's document kind; a report that does not state one is
// a 部门整体支出绩效自评报告, the kind every report was before kinds existed.
func (r *Report) DocKind() DocKind {
	if r.Kind == "" {
		return KindSelfEval
	}
	return r.Kind
}

// KindOrder sorts a department-year's documents: the accounts and budget
// first, then the evaluations, the way portals list them.
func (k DocKind) Order() int {
	switch k {
	case KindFinalAccounts:
		return 0
	case KindBudget:
		return 1
	case KindThreePublic:
		return 2
	case KindSelfEval, "":
		return 3
	case KindProjectEval:
		return 4
	}
	return 5
}

// DocTitle is the generic name of a kind of document, for descriptions and
// lists ("部门整体支出绩效自评报告").
func (k DocKind) DocTitle() string {
	switch k {
	case KindProjectEval:
		return "项目支出绩效自评表"
	case KindFinalAccounts:
		return "部门决算"
	case KindBudget:
		return "部门预算"
	case KindThreePublic:
		return "“三公”经费情况说明"
	case KindOther:
		return "其他公开文件"
	}
	return "部门整体支出绩效自评报告"
}

// Key is the report's name within its department: "2023" for the file
// 2023.yaml, "2023-juesuan" for 2023-juesuan.yaml. URLs and downloads use it.
func (r *Report) Key() string {
	if r.ID == "" {
		return strconv.Itoa(r.Year)
	}
	return strconv.Itoa(r.Year) + "-" + r.ID
}

// Accounts holds the figures of a 部门决算 or 部门预算 and its 情况说明.
// Each is a Node tree, so that a total and its parts, the prior year and
// the stated changes are checked the same way everywhere.
type Accounts struct {
	Income      *Node        `yaml:"income" doc:"收入总计：items 写 本年收入合计（其下再分 财政拨款收入、上级补助收入、事业收入、经营收入、附属单位上缴收入、其他收入）、用事业基金弥补收支差额、年初结转和结余"`
	Expenditure *Node        `yaml:"expenditure" doc:"支出总计：items 写 本年支出合计（其下再分 基本支出、项目支出、上缴上级支出、经营支出、对附属单位补助支出）、结余分配、年末结转和结余"`
	Fiscal      *Node        `yaml:"fiscal" doc:"财政拨款支出（收入支出决算总表之财政拨款部分）：items 按 一般公共预算、政府性基金预算、国有资本经营预算"`
	Functional  *Node        `yaml:"functional" doc:"一般公共预算财政拨款支出，按功能分类：类/款/项，code 写科目编码（如 208、20802、2080201）"`
	Economic    *Node        `yaml:"economic" doc:"一般公共预算财政拨款基本支出，按经济分类：code 写 301、30101 等"`
	Operating   *Node        `yaml:"operating" doc:"机关运行经费"`
	Procurement *Procurement `yaml:"procurement" doc:"政府采购情况"`
	Assets      *Assets      `yaml:"assets" doc:"国有资产占用情况"`
	Note        string       `yaml:"note" doc:"说明（Markdown）"`
	Pos         Pos          `yaml:"-"`
}

// Procurement is the 政府采购 paragraph of a 情况说明.
type Procurement struct {
	Total    *Node    `yaml:"total" doc:"政府采购支出总额：items 写 货物、工程、服务"`
	SME      *Amount  `yaml:"sme" doc:"授予中小企业合同金额"`
	SMEShare *Percent `yaml:"sme_share" doc:"授予中小企业合同金额占政府采购支出总额的比例，如 \"89.5%\""`
	Note     string   `yaml:"note" doc:"说明"`
	Pos      Pos      `yaml:"-"`
}

// Assets is the 国有资产占用 paragraph: vehicles and other holdings.
type Assets struct {
	Vehicles *int        `yaml:"vehicles" doc:"车辆总数（辆）"`
	ByType   []*Count    `yaml:"by_type" doc:"车辆按用途：如 领导干部用车、一般公务用车、执法执勤用车、特种专业技术用车"`
	Items    []*AssetRow `yaml:"items" doc:"其他资产：如 单位价值100万元以上大型设备"`
	Note     string      `yaml:"note" doc:"说明"`
	Pos      Pos         `yaml:"-"`
}

// Count is a named whole number: vehicles of a type, persons of a category.
type Count struct {
	Name  string `yaml:"name" req:"true" doc:"名称"`
	Count int    `yaml:"count" req:"true" doc:"数量"`
	Pos   Pos    `yaml:"-"`
}

// AssetRow is an asset holding the document names with its count or value.
type AssetRow struct {
	Name   string  `yaml:"name" req:"true" doc:"名称"`
	Count  *int    `yaml:"count" doc:"数量"`
	Amount *Amount `yaml:"amount" doc:"金额"`
	Pos    Pos     `yaml:"-"`
}

// ProjectEval is the head of a 项目支出绩效自评表: which project, who runs
// it, and its funds by source. Indicators and score are the report's.
type ProjectEval struct {
	Name        string       `yaml:"name" req:"true" doc:"项目名称"`
	Authority   string       `yaml:"authority" doc:"主管部门"`
	Implementer string       `yaml:"implementer" doc:"实施单位"`
	Funds       []*EvalFund  `yaml:"funds" doc:"项目资金：年度资金总额及其中 当年财政拨款、上年结转资金、其他资金"`
	Goals       []*EvalGoal  `yaml:"goals" doc:"年度总体目标：预期目标与实际完成情况"`
	Extra       []*NamedText `yaml:"extra" doc:"表中其他栏目，如 项目负责人、联系电话"`
	Pos         Pos          `yaml:"-"`
}

// EvalFund is one fund row of a project's self-evaluation form.
type EvalFund struct {
	Name          string   `yaml:"name" req:"true" doc:"资金名称，如 年度资金总额、当年财政拨款、上年结转资金、其他资金"`
	InitialBudget *Amount  `yaml:"initial_budget" doc:"年初预算数"`
	Budget        *Amount  `yaml:"budget" doc:"全年预算数"`
	Actual        *Amount  `yaml:"actual" doc:"全年执行数"`
	Weight        *Number  `yaml:"weight" doc:"分值"`
	Rate          *Percent `yaml:"rate" doc:"执行率"`
	Score         *Number  `yaml:"score" doc:"得分"`
	Pos           Pos      `yaml:"-"`
}

// EvalGoal pairs an expected goal with what was achieved.
type EvalGoal struct {
	Expected string `yaml:"expected" doc:"预期目标"`
	Actual   string `yaml:"actual" doc:"实际完成情况"`
	Pos      Pos    `yaml:"-"`
}

// NamedText is a labelled line of text.
type NamedText struct {
	Name string `yaml:"name" req:"true" doc:"栏目"`
	Text string `yaml:"text" doc:"内容"`
	Pos  Pos    `yaml:"-"`
}

// Chapter is a titled section of a document whose sections are not the
// self-evaluation report's (a 情况说明's 一、二、…).
type Chapter struct {
	Title string `yaml:"title" req:"true" doc:"标题，按原文（不含序号）"`
	Text  string `yaml:"text" req:"true" doc:"正文（Markdown）"`
	Pos   Pos    `yaml:"-"`
}

// Delta is a stated change as published: "下降42.13%", "减少18,987.42元",
// "增加3.5万元", "+12", "持平". Text keeps the literal; Value is signed, in
// 万元 for money, in percentage points for rates.
type Delta struct {
	Text    string
	Value   Decimal
	Percent bool
	Unit    Unit // money unit as written; "" for percentages and bare numbers
	Pos     Pos
}

var (
	deltaUp   = []string{"增加", "增长", "上升", "提高", "上涨", "增", "多"}
	deltaDown = []string{"减少", "下降", "降低", "下调", "节约", "节省", "缩减", "减", "少", "降"}
	deltaFlat = []string{"持平", "无变化", "没有变化", "不变", "与上年一致"}
)

// ParseDelta reads a stated change. It accepts a direction word before the
// number (增加/减少/下降…), a sign, a % or a money unit after it.
func ParseDelta(s string) (Delta, error) {
	d := Delta{Text: s}
	rest := strings.TrimSpace(s)
	for _, w := range deltaFlat {
		if rest == w {
			return d, nil
		}
	}
	neg := false
	found := false
	for _, w := range deltaDown {
		if strings.HasPrefix(rest, w) {
			neg, found, rest = true, true, strings.TrimPrefix(rest, w)
			break
		}
	}
	if !found {
		for _, w := range deltaUp {
			if strings.HasPrefix(rest, w) {
				found, rest = true, strings.TrimPrefix(rest, w)
				break
			}
		}
	}
	rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "了"))
	if strings.HasSuffix(rest, "%") || strings.HasSuffix(rest, "％") {
		v, err := ParsePercent(rest)
		if err != nil {
			return d, err
		}
		d.Value, d.Percent = v, true
	} else if strings.HasSuffix(rest, "个百分点") {
		v, err := ParseDecimal(strings.TrimSuffix(rest, "个百分点"))
		if err != nil {
			return d, err
		}
		d.Value, d.Percent = v, true
	} else {
		v, unit, err := ParseMoney(rest)
		if err != nil {
			return d, err
		}
		d.Value = v
		if strings.HasSuffix(rest, string(unit)) {
			d.Unit = unit
		}
	}
	if found && d.Value.IsNegative() {
		return d, ErrSyntax
	}
	if neg {
		d.Value = d.Value.Neg()
	}
	return d, nil
}

// Table is one of the standard tables of a 决算 or 预算 (收入决算表,
// 一般公共预算财政拨款支出决算表 …), row by row as published. Which tables a
// document has and how their columns relate is data (a profile), not code:
// the set differs by province and year.
type Table struct {
	Name    string      `yaml:"name" req:"true" doc:"表名，按原文，如 一般公共预算财政拨款支出决算表"`
	Number  string      `yaml:"number" doc:"表号，如 公开05表"`
	Unit    Unit        `yaml:"unit" doc:"金额单位：万元（默认）、元或亿元"`
	Columns []string    `yaml:"columns" req:"true" doc:"数字列的列名，按原表（不含科目编码、科目名称）"`
	Rows    []*TableRow `yaml:"rows" doc:"各行，按原表顺序"`
	Partial bool        `yaml:"partial" doc:"原表只存了一部分（截断）时写 true"`
	Note    string      `yaml:"note" doc:"说明"`
	Pos     Pos         `yaml:"-"`
}

// TableRow is a row: its classification code and name, and its cells in
// the order of the table's columns, as printed ("" for a blank cell).
type TableRow struct {
	Code  string   `yaml:"code" doc:"科目编码（加引号）"`
	Name  string   `yaml:"name" req:"true" doc:"科目名称或项目"`
	Cells []string `yaml:"cells" doc:"各列的数，按原表照录，空白格写 \"\"，如 [\"440.55\", \"\", \"0.00\"]"`
	Pos   Pos      `yaml:"-"`
}

// Cell reads cell i of row as an amount in the table's unit; ok is false
// for a blank or missing cell. A cell that is not a number is reported by
// the loader.
func (t *Table) Cell(row *TableRow, i int) (Amount, bool) {
	if i < 0 || i >= len(row.Cells) {
		return Amount{}, false
	}
	s := strings.TrimSpace(row.Cells[i])
	if s == "" || s == "-" || s == "—" {
		return Amount{}, false
	}
	unit := t.Unit
	if unit == "" {
		unit = UnitWan
	}
	v, _, err := ParseMoney(s + string(unit))
	if err != nil {
		return Amount{}, false
	}
	return Amount{Value: v, Published: s, Unit: unit, Pos: row.Pos}, true
}
