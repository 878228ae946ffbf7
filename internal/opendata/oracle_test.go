package opendata

// The implementation of all.csv and all.xlsx before they were written from
// per-department parts, kept word for word (renamed) as the oracle the
// parts must match byte for byte: see TestPartsMatchOracle.

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"disclose/internal/model"
)

// oracleWriteAllCSV streams AllCSV to w: at 10,000 reports the table is about
// 100 MB, which need not be held in memory.
func oracleWriteAllCSV(w io.Writer, s *model.Site) error {
	return writeCSV(w, func(emit func(row) error) error {
		for _, r := range siteReports(s) {
			for _, w := range reportRows(r) {
				if err := emit(w); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// oracleWriteAllXLSX streams the workbook of AllXLSX to w.
func oracleWriteAllXLSX(w io.Writer, s *model.Site) error {
	reports := siteReports(s)
	sheets := []*oracleSheet{
		oracleSummarySheet(reports),
		oracleDetailSheet(reports),
		oracleIndicatorSheet(reports),
		oracleProjectSheet(reports),
	}
	for _, sh := range oracleKindSheets(reports) {
		if sh != nil {
			sheets = append(sheets, sh)
		}
	}
	sheets = append(sheets, oracleNotesSheet(s, sheets))

	title := s.Config.Title
	if title == "" {
		title = "部门整体支出绩效自评报告"
	}
	wb := newWorkbook(w, oracleDocumentTime(s))
	wb.start(docProps{
		title:    title + " 开放数据",
		subject:  "部门整体支出绩效自评、项目支出绩效自评、部门决算、部门预算和“三公”经费数据（金额单位：万元）",
		creator:  "disclose",
		language: "zh-CN",
	})
	for _, sh := range sheets {
		sw := wb.sheet(sh.name, len(sh.cols), sh.wrap)
		sw.header(sh.cols)
		sh.rows(func(cells []cell) {
			// A province's 明细 outgrows one sheet (30,000 reports make
			// 1.2 million rows): the rest goes on in sheets of its own,
			// each with the header, rather than the workbook failing.
			if sw.rows == sheetRows {
				sw.end(!sh.wrap)
				sh.continued = append(sh.continued, continuationName(sh.name, len(sh.continued)+2))
				sw = wb.sheet(sh.continued[len(sh.continued)-1], len(sh.cols), sh.wrap)
				sw.header(sh.cols)
			}
			sw.row(cells)
		})
		// Filter buttons on the data sheets, not on the notes.
		sw.end(sw.rows > 1 && !sh.wrap)
	}
	return wb.finish()
}

// oracleDocumentTime is derived from the content, never the clock: the end of the
// latest year reported on. Without reports it is the earliest time a ZIP
// entry can record.
func oracleDocumentTime(s *model.Site) time.Time {
	year := 0
	for _, r := range siteReports(s) {
		year = max(year, r.Year)
	}
	if year < 1980 {
		return time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
}

// sheet is a table to be written: a header from cols, then the rows that
// rows passes to emit one by one. emit does not keep the slice, so rows
// can reuse it.
type oracleSheet struct {
	name string
	cols []Column
	rows func(emit func([]cell))
	wrap bool // long text: wrap in wide columns instead of widening them
	// continued names the sheets its rows went on in, once written.
	continued []string
}

func oracleSummarySheet(reports []*model.Report) *oracleSheet {
	return &oracleSheet{name: sheetSummary, cols: summaryColumns, rows: func(emit func([]cell)) {
		row := make([]cell, 0, len(summaryColumns))
		for _, r := range reports {
			emit(summaryRow(row[:0], r))
		}
	}}
}

func oracleDetailSheet(reports []*model.Report) *oracleSheet {
	return &oracleSheet{name: sheetDetail, cols: longColumns, rows: func(emit func([]cell)) {
		var d detailCells
		for _, r := range reports {
			eachRow(r, func(w row) { emit(d.fill(w)) })
		}
	}}
}

func oracleIndicatorSheet(reports []*model.Report) *oracleSheet {
	return &oracleSheet{name: sheetIndicators, cols: indicatorColumns, rows: func(emit func([]cell)) {
		row := make([]cell, 0, len(indicatorColumns))
		for _, r := range reports {
			var walk func(is []*model.Indicator, path []string)
			walk = func(is []*model.Indicator, path []string) {
				for _, in := range is {
					p := appendPath(path, in.Name)
					row = appendDept(row[:0], r.Department, false)
					row = append(row, integer(r.Year), text(string(r.DocKind())), text(r.Key()), integer(len(p)))
					// Levels below the third are rare; their names are kept
					// in the third column rather than dropped.
					var names [3]string
					copy(names[:], p)
					if len(p) > 3 {
						names[2] = strings.Join(p[2:], "/")
					}
					row = append(row, text(names[0]), text(names[1]), text(names[2]),
						numberCell(in.Weight), numberCell(in.Score),
						text(measureText(in.Target)), text(measureText(in.Actual)))
					row = appendMeasure(row, in.Target)
					row = appendMeasure(row, in.Actual)
					row = append(row, text(in.Deviation), text(in.Nature), text(in.Unit),
						text(measureText(in.Adjusted)), numberCell(in.Factor), text(yesOrBlank(in.Core)))
					emit(row)
					walk(in.Items, p)
				}
			}
			walk(r.Indicators, nil)
		}
	}}
}

func oracleProjectSheet(reports []*model.Report) *oracleSheet {
	return &oracleSheet{name: sheetProjects, cols: projectColumns, rows: func(emit func([]cell)) {
		row := make([]cell, 0, len(projectColumns))
		for _, r := range reports {
			for _, p := range r.Projects {
				row = appendDept(row[:0], r.Department, false)
				row = append(row, integer(r.Year), text(string(r.DocKind())), text(r.Key()), text(p.Name), text(p.Group),
					amountCell(p.Budget), amountCell(p.Arrived), amountCell(p.Paid),
					text(strings.Join(p.Outputs, "；")), text(p.Description))
				emit(row)
			}
		}
	}}
}

func oracleNotesSheet(s *model.Site, sheets []*oracleSheet) *oracleSheet {
	general := []string{
		"金额单位均为万元。单元格中的数值就是原文所列的数，不作四舍五入，也不补零；显示的小数位数与原文相同，可直接求和、制作数据透视表。",
		"所有数字均按原文转录。原文中合计与分项不符等情况照录，不作改动；原文明显笔误（如把万元写成元）经勘误的，数值为更正后的数，“原文写法”和“勘误说明”列写明原文和理由。",
		"执行率和得分为数值，执行率以百分数表示（84.69 即 84.69%）。",
		"明细表每行一个金额，与网站提供的 CSV 文件（UTF-8 编码）内容相同。",
		"同一部门同一年度可公开多份文件（部门决算、部门预算、“三公”经费情况说明、部门整体支出绩效自评报告、项目支出绩效自评表）；各表的“文件种类”和“文件”列说明数字出自哪一份。",
		"决算收支、预算收支、三公经费、项目自评各表只在有这类数字时出现：每行一项，除金额外还照录原文所述的上年数、增减额、增减率、占比和原因（增减额、增减率为原文文字，如“下降42.13%”“减少18,987.42元”）。其中的金额在明细表中也各有一行。",
	}
	if s.Config.Title != "" {
		general = append([]string{s.Config.Title + "：开放数据。"}, general...)
	}
	return &oracleSheet{name: sheetNotes, wrap: true, cols: []Column{
		{"工作表", ""}, {"列", ""}, {"说明", ""},
	}, rows: func(emit func([]cell)) {
		for _, g := range general {
			emit([]cell{text("全部"), {}, text(g)})
		}
		for _, x := range sheets {
			for _, c := range x.cols {
				emit([]cell{text(x.name), text(c.Name), text(c.Doc)})
			}
			// The notes come last, so every other table is written and
			// its continuations are known.
			for _, name := range x.continued {
				emit([]cell{text(name), {}, text(fmt.Sprintf("%s的续表：一张工作表最多 %d 行（Excel 的上限），其余各行依次在续表中，列与%s相同。", x.name, excelMaxRows, x.name))})
			}
		}
	}}
}

// oracleKindSheets are the sheets of the tables some report has, in the order
// of the workbook; a sheet without rows is nil and left out.
func oracleKindSheets(reports []*model.Report) []*oracleSheet {
	var final, budget, three, eval bool
	for _, r := range reports {
		if r.Accounts != nil {
			if r.DocKind() == model.KindBudget {
				budget = true
			} else {
				final = true
			}
		}
		three = three || r.ThreePublic != nil
		eval = eval || (r.ProjectEval != nil && len(r.ProjectEval.Funds) > 0)
	}
	var out []*oracleSheet
	if final {
		// Accounts are those of a 决算 unless the document is a 预算.
		out = append(out, oracleAccountsSheet(sheetFinal, "决算数（部门决算）或原文所列的本年数", reports, func(r *model.Report) bool { return r.DocKind() != model.KindBudget }))
	}
	if budget {
		out = append(out, oracleAccountsSheet(sheetBudget, "预算数（部门预算）", reports, func(r *model.Report) bool { return r.DocKind() == model.KindBudget }))
	}
	if three {
		out = append(out, oracleThreeSheet(reports))
	}
	if eval {
		out = append(out, oracleEvalSheet(reports))
	}
	return out
}

func oracleAccountsSheet(name, amountDoc string, reports []*model.Report, include func(*model.Report) bool) *oracleSheet {
	cols := accountsColumns(amountDoc)
	return &oracleSheet{name: name, cols: cols, rows: func(emit func([]cell)) {
		row := make([]cell, 0, len(cols))
		for _, r := range reports {
			a := r.Accounts
			if a == nil || !include(r) {
				continue
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
		}
	}}
}

func oracleThreeSheet(reports []*model.Report) *oracleSheet {
	return &oracleSheet{name: sheetThree, cols: threeColumns, rows: func(emit func([]cell)) {
		row := make([]cell, 0, len(threeColumns))
		for _, r := range reports {
			t := r.ThreePublic
			if t == nil {
				continue
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
		}
	}}
}

func oracleEvalSheet(reports []*model.Report) *oracleSheet {
	return &oracleSheet{name: sheetEval, cols: evalColumns, rows: func(emit func([]cell)) {
		row := make([]cell, 0, len(evalColumns))
		for _, r := range reports {
			p := r.ProjectEval
			if p == nil {
				continue
			}
			for _, f := range p.Funds {
				row = appendReport(row[:0], r)
				row = append(row, text(p.Name), text(p.Authority), text(p.Implementer), text(f.Name),
					amountCell(f.InitialBudget), amountCell(f.Budget), amountCell(f.Actual),
					numberCell(f.Weight), percentCell(f.Rate), numberCell(f.Score))
				emit(row)
			}
		}
	}}
}
