package opendata

import (
	"strconv"
	"strings"

	"disclose/internal/model"
)

// The sheets of the kinds of document that are not self-evaluations: one
// row per item of a 决算's or 预算's tables, of a 三公 statement and of a
// project form's funds, with what the source says beside each figure (the
// prior year, the stated change, the share, the reason) as published. The
// amounts are rows of 明细 as well; these sheets add the rest.

func accountsColumns(amount string) []Column {
	return []Column{
		{"部门ID", "部门在本站的标识"},
		{"部门", "部门（单位）全称"},
		{"年度", "报告年度"},
		colDocKind,
		colFile,
		{"口径", "所属的表：收入、支出、财政拨款支出、功能分类、经济分类、机关运行经费、政府采购、国有资产（含义见明细表的“口径”列）"},
		{"类别路径", "从表的总数到本项的名称，用“/”分隔，按原文称呼"},
		{"类别层级", "类别路径的层数：1 为总数"},
		{"分项性质", "总数、细分（上一级的完整细分）或其中（单独列出的部分，不要求加总）"},
		{"末级", "是：本项没有再细分"},
		{"科目编码", "功能分类或经济分类科目编码（原文写了才有）"},
		{"本年数（万元）", amount},
		{"预算（万元）", "原文与本年数对照的预算数"},
		{"执行率·原文（%）", "原文所述执行率或完成预算的百分比"},
		{"上年数（万元）", "原文所列的上年数"},
		{"增减额·原文", "原文所述比上年增减的金额，照录原文，如 减少18,987.42元"},
		{"增减率·原文", "原文所述比上年增减的幅度，照录原文，如 下降42.13%"},
		{"占比·原文（%）", "原文所述占合计的比重；政府采购的“授予中小企业合同金额”行为其占政府采购支出总额的比例"},
		{"原因", "原文所述变动或差异原因"},
		{"说明", "原文的说明"},
	}
}

var threeColumns = []Column{
	{"部门ID", "部门在本站的标识"},
	{"部门", "部门（单位）全称"},
	{"年度", "报告年度"},
	colDocKind,
	colFile,
	{"项目", "“三公”经费合计，或 因公出国（境）费、公务用车购置费、公务用车运行维护费、公务用车购置及运行维护费（原文只给出两项合计时）、公务接待费"},
	{"预算（万元）", "预算数"},
	{"支出（万元）", "实际支出"},
	{"完成率·原文（%）", "原文所述完成预算的百分比"},
	{"上年数（万元）", "原文所列上年实际支出"},
	{"增减额·原文", "原文所述比上年增减的金额，照录原文，如 减少18,987.42元"},
	{"增减率·原文", "原文所述比上年增减的幅度，照录原文，如 下降42.13%"},
	{"占比·原文（%）", "原文所述占“三公”经费合计的比重"},
	{"原因", "原文所述增减或差异原因"},
	{"团组或批次", "因公出国（境）团组数；国内公务接待批次"},
	{"人次", "因公出国（境）人次；国内公务接待人次"},
	{"车辆（辆）", "公务用车购置数（购置费行）；公务用车保有量（运行维护费行）"},
	{"车辆按用途", "保有车辆按用途，按原文，如 一般公务用车3辆"},
	{"外事接待批次", "外事接待批次（公务接待费行）"},
}

var evalColumns = []Column{
	{"部门ID", "部门在本站的标识"},
	{"部门", "部门（单位）全称"},
	{"年度", "报告年度"},
	colDocKind,
	colFile,
	{"项目名称", "项目支出绩效自评表的项目名称"},
	{"主管部门", "按原文"},
	{"实施单位", "按原文"},
	{"资金名称", "年度资金总额，或其中 当年财政拨款、上年结转资金、其他资金"},
	{"年初预算（万元）", "年初预算数"},
	{"全年预算（万元）", "全年预算数"},
	{"全年执行（万元）", "全年执行数"},
	{"分值", "该行分值"},
	{"执行率·原文（%）", "原文所列执行率"},
	{"得分", "该行得分"},
}

func appendReport(row []cell, r *model.Report) []cell {
	row = appendDept(row, r.Department, false)
	return append(row, integer(r.Year), text(string(r.DocKind())), text(r.Key()))
}

func percentCell(p *model.Percent) cell {
	if p == nil {
		return cell{}
	}
	return decimal(p.Value)
}

func deltaText(d *model.Delta) string {
	if d == nil {
		return ""
	}
	return d.Text
}

func intCell(n *int) cell {
	if n == nil {
		return cell{}
	}
	return integer(*n)
}

func yesOrBlank(b bool) string {
	if b {
		return "是"
	}
	return ""
}

// accountsRows passes the rows of r's accounts to emit, building each in
// row's storage, and returns that storage for reuse.
func accountsRows(row []cell, r *model.Report, emit func([]cell)) []cell {
	a := r.Accounts
	if a == nil {
		return row
	}
	line := func(scope string, path []string, kind string, leaf bool, code string, amt, bud *model.Amount, rate *model.Percent, prior *model.Amount, change, changeRate *model.Delta, share *model.Percent, reason, note string) {
		row = appendReport(row[:0], r)
		row = append(row, text(scope), text(strings.Join(path, "/")), integer(len(path)),
			text(kind), text(yesNo(leaf)), text(code),
			amountCell(amt), amountCell(bud), percentCell(rate), amountCell(prior),
			text(deltaText(change)), text(deltaText(changeRate)), percentCell(share),
			text(reason), text(note))
		emit(row)
	}
	var walk func(scope string, path []string, kind string, n *model.Node)
	walk = func(scope string, path []string, kind string, n *model.Node) {
		line(scope, path, kind, len(n.Items) == 0, n.Code, n.Amount, n.Budget, n.ExecutionRate,
			n.Prior, n.Change, n.ChangeRate, n.Share, n.Reason, n.Note)
		for _, c := range n.Items {
			walk(scope, appendPath(path, c.Name), kindItem, c)
		}
		for _, c := range n.OfWhich {
			walk(scope, appendPath(path, c.Name), kindOfWhich, c)
		}
	}
	root := func(scope, fallback string, n *model.Node) {
		if n == nil {
			return
		}
		name := n.Name
		if name == "" {
			name = fallback
		}
		walk(scope, []string{name}, kindTotal, n)
	}
	for _, t := range accountsTables(a) {
		root(t.scope, t.fallback, t.n)
	}
	if p := a.Procurement; p != nil {
		total := "政府采购支出总额"
		if p.Total != nil && p.Total.Name != "" {
			total = p.Total.Name
		}
		root(scopeProcurement, total, p.Total)
		if p.SME != nil || p.SMEShare != nil {
			line(scopeProcurement, []string{total, measureSME}, kindOfWhich, true, "", p.SME, nil, nil, nil, nil, nil, p.SMEShare, "", p.Note)
		}
	}
	if s := a.Assets; s != nil {
		for _, it := range s.Items {
			line(scopeAssets, []string{scopeAssets, it.Name}, kindOfWhich, true, "", it.Amount, nil, nil, nil, nil, nil, nil, "", countNote(it.Count))
		}
	}
	return row
}

// countNote states an asset's count in the 说明 column.
func countNote(n *int) string {
	if n == nil {
		return ""
	}
	return "数量 " + strconv.Itoa(*n)
}

// threeRows passes the rows of r's 三公 statement to emit, as accountsRows.
func threeRows(row []cell, r *model.Report, emit func([]cell)) []cell {
	t := r.ThreePublic
	if t == nil {
		return row
	}
	c := t.Counts
	if c == nil {
		c = &model.ThreeCounts{}
	}
	var byType []string
	for _, v := range c.VehiclesByType {
		byType = append(byType, v.Name+strconv.Itoa(v.Count)+"辆")
	}
	items := []struct {
		name                  string
		ba                    *model.BudgetActual
		groups, persons, cars *int
		byType                string
		foreign               *int
	}{
		{"“三公”经费合计", t.Total, nil, nil, nil, "", nil},
		{threePublicNames[0], t.Outbound, c.OutboundGroups, c.OutboundPersons, nil, "", nil},
		{threePublicNames[1], t.VehiclePurchase, nil, nil, c.VehiclesBought, "", nil},
		{threePublicNames[2], t.VehicleOperation, nil, nil, c.VehiclesHeld, strings.Join(byType, "、"), nil},
		{threePublicNames[3], t.Vehicles, nil, nil, nil, "", nil},
		{threePublicNames[4], t.Reception, c.ReceptionBatches, c.ReceptionPersons, nil, "", c.ForeignReceptions},
	}
	for _, it := range items {
		ba := it.ba
		if ba == nil {
			if it.groups == nil && it.persons == nil && it.cars == nil && it.byType == "" && it.foreign == nil {
				continue
			}
			ba = &model.BudgetActual{}
		}
		row = appendReport(row[:0], r)
		row = append(row, text(it.name),
			amountCell(ba.Budget), amountCell(ba.Actual), percentCell(ba.Rate), amountCell(ba.Prior),
			text(deltaText(ba.Change)), text(deltaText(ba.ChangeRate)), percentCell(ba.Share), text(ba.Reason),
			intCell(it.groups), intCell(it.persons), intCell(it.cars), text(it.byType), intCell(it.foreign))
		emit(row)
	}
	return row
}

// evalRows passes the fund rows of r's project form to emit, as
// accountsRows.
func evalRows(row []cell, r *model.Report, emit func([]cell)) []cell {
	p := r.ProjectEval
	if p == nil {
		return row
	}
	for _, f := range p.Funds {
		row = appendReport(row[:0], r)
		row = append(row, text(p.Name), text(p.Authority), text(p.Implementer), text(f.Name),
			amountCell(f.InitialBudget), amountCell(f.Budget), amountCell(f.Actual),
			numberCell(f.Weight), percentCell(f.Rate), numberCell(f.Score))
		emit(row)
	}
	return row
}
