package opendata

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"disclose/internal/model"
)

// Sheet names of the workbook, in order.
const (
	sheetSummary    = "汇总"
	sheetDetail     = "明细"
	sheetIndicators = "绩效指标"
	sheetProjects   = "项目"
	sheetFinal      = "决算收支"
	sheetBudget     = "预算收支"
	sheetThree      = "三公经费"
	sheetEval       = "项目自评"
	sheetNotes      = "说明"
)

// Doc texts of the columns that say which document a row comes from.
var (
	colDocKind = Column{"文件种类", "部门整体支出绩效自评、项目支出绩效自评、部门决算、部门预算、三公经费或其他"}
	colFile    = Column{"文件", "文件在部门内的标识，如 2023 或 2023-juesuan；同一部门同一年度的不同文件以此区分"}
)

var summaryColumns = []Column{
	{"部门ID", "部门在本站的标识（网址中使用）"},
	{"部门", "部门（单位）全称"},
	{"行政层级", "省级、市级或县级"},
	{"省", "所在省份"},
	{"市", "所在地级市"},
	{"县区", "所在县区"},
	{"年度", "报告年度"},
	colDocKind,
	colFile,
	{"报告标题", "报告或文件标题，按原文"},
	{"全年预算（万元）", "部门全年预算数"},
	{"收入（万元）", "部门收入"},
	{"支出（万元）", "部门支出"},
	{"基本支出（万元）", "基本支出"},
	{"项目支出（万元）", "项目支出"},
	{"执行率·原文（%）", "原文所述预算执行率"},
	{"执行率·计算（%）", "按 支出 ÷ 全年预算 计算，保留两位小数；与原文不同时以原文为准并核对原文"},
	{"自评得分", "自评总分"},
	{"满分", "总分的满分，原文未写时按100分"},
	{"等级", "自评等级，如 优、良"},
	{"三公经费预算（万元）", "“三公”经费合计的预算数"},
	{"三公经费支出（万元）", "“三公”经费合计的实际支出"},
	{"加总项", "原文没有部门整体数、由本站把各资金来源的数相加得出的列（这些单元格为斜体）；空白表示各数均为原文所列"},
	{"单一来源项", "原文有多个资金来源、但只有一个来源列出该数的列，括号内为该来源；这样的数不是部门整体数，比较时请注意"},
	{"勘误数", "本报告记录的勘误条数（数字和文字），详见明细表“勘误说明”列和网站报告页"},
}

var indicatorColumns = []Column{
	{"部门ID", "部门在本站的标识"},
	{"部门", "部门（单位）全称"},
	{"年度", "报告年度"},
	colDocKind,
	colFile,
	{"指标层级", "1：一级指标（产出、效益、满意度等）；2：二级指标；3：三级指标"},
	{"一级指标", "所属一级指标"},
	{"二级指标", "所属二级指标（一级指标行空白）"},
	{"三级指标", "三级指标名称（一、二级指标行空白）"},
	{"分值", "指标分值（权重）"},
	{"得分", "指标得分"},
	{"指标值（目标）", "年度指标值，按原文，如 ≥90%"},
	{"实际完成值", "实际完成值，按原文"},
	{"目标比较符", "指标值中的比较符：≥ ≤ = > <"},
	{"目标数值", "指标值中的数字；文字指标空白"},
	{"目标单位", "指标值中数字后的单位，如 %、人次"},
	{"实际比较符", "实际完成值中的比较符"},
	{"实际数值", "实际完成值中的数字；文字空白"},
	{"实际单位", "实际完成值中数字后的单位"},
	{"偏差原因及改进措施", "原文所写的偏差原因及改进措施"},
	{"指标性质", "按原文，如 正向指标、反向指标、定量、定性"},
	{"度量单位", "按原文，如 人、%、万元"},
	{"调整后指标值", "原文所列调整后的指标值"},
	{"得分系数", "原文所列得分系数"},
	{"核心指标", "是：原文标为核心指标；否则空白"},
}

var projectColumns = []Column{
	{"部门ID", "部门在本站的标识"},
	{"部门", "部门（单位）全称"},
	{"年度", "报告年度"},
	colDocKind,
	colFile,
	{"项目", "项目名称"},
	{"项目类别", "项目所属类别"},
	{"预算（万元）", "项目预算安排"},
	{"资金到位（万元）", "资金到位数"},
	{"实际拨付（万元）", "实际拨付或使用数"},
	{"主要产出", "原文所列主要产出，以“；”分隔"},
	{"项目说明", "项目说明与完成情况，按原文（Markdown）"},
}

// AllXLSX is one workbook over the whole site: 汇总 (one row per report),
// 明细 (the long table of Columns), 绩效指标, 项目, then a sheet for each
// kind of table some report has (决算收支, 预算收支, 三公经费, 项目自评), and
// 说明 (what every column means). Figures are numeric cells holding the published decimal, shown at
// the published number of decimals.
//
// The document's created and modified dates, and the time of every entry of
// the ZIP container, are 31 December of the latest report year (UTC), so
// that building the same content twice gives the same bytes.
func AllXLSX(s *model.Site) ([]byte, error) {
	var buf bytes.Buffer
	if err := WriteAllXLSX(&buf, s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteAllXLSX streams the workbook of AllXLSX to w. It writes the parts
// of the site's departments (see PartOf), one at a time.
func WriteAllXLSX(w io.Writer, s *model.Site) error {
	return writeAllXLSX(w, s.Config.Title, &siteReader{depts: s.Departments}, nil)
}

// WriteAllXLSXParts writes AllXLSX of the site titled title (its
// SiteConfig.Title) whose departments' parts parts gives, in order. From a
// Spool, the compressed rows of each sheet, which must wait until the
// sheet's column widths are known, wait in a file beside the spool's
// rather than in memory.
func WriteAllXLSXParts(w io.Writer, title string, parts PartSource) (err error) {
	var spill *os.File
	if sp, ok := parts.(*Spool); ok {
		f, err := os.CreateTemp(filepath.Dir(sp.f.Name()), ".opendata-sheet-*")
		if err != nil {
			return fmt.Errorf("opendata: all.xlsx: %w", err)
		}
		defer func() {
			if e := errors.Join(f.Close(), os.Remove(f.Name())); e != nil && err == nil {
				err = fmt.Errorf("opendata: all.xlsx: %w", e)
			}
		}()
		spill = f
	}
	return writeAllXLSX(w, title, readerOf(parts), spill)
}

// sections are the sheets of the parts' sections, in the order of the
// workbook. Those from secFinal on are the tables some documents have: a
// sheet is left out when no part has rows for it.
var sections = [numSections]struct {
	name string
	cols []Column
}{
	secSummary:    {sheetSummary, summaryColumns},
	secDetail:     {sheetDetail, longColumns},
	secIndicators: {sheetIndicators, indicatorColumns},
	secProjects:   {sheetProjects, projectColumns},
	secFinal:      {sheetFinal, accountsColumns("决算数（部门决算）或原文所列的本年数")},
	secBudget:     {sheetBudget, accountsColumns("预算数（部门预算）")},
	secThree:      {sheetThree, threeColumns},
	secEval:       {sheetEval, evalColumns},
}

// writeAllXLSX writes the workbook of the parts src reads. spill, if not
// nil, is an empty file for the workbook's use.
func writeAllXLSX(w io.Writer, title string, src partReader, spill *os.File) error {
	// The workbook's dates are in its first entries, and which kind
	// sheets it has in its notes: both come from every part.
	var site partHead
	for i := range src.Len() {
		h, err := src.head(i)
		if err != nil {
			return fmt.Errorf("opendata: all.xlsx: part %d: %w", i, err)
		}
		site.year = max(site.year, h.year)
		site.kinds |= h.kinds
	}
	var sheets []*sheet
	var pr partRows
	for s, x := range sections {
		if s := sectionID(s); s < secFinal || site.kinds&kindBit(s) != 0 {
			sheets = append(sheets, &sheet{name: x.name, cols: x.cols, rows: func(emit func([]cell)) error {
				return pr.rows(src, s, emit)
			}})
		}
	}
	sheets = append(sheets, notesSheet(title, sheets))

	if title == "" {
		title = "部门整体支出绩效自评报告"
	}
	wb := newWorkbook(w, documentTime(site.year))
	wb.spill = spill
	pr.intern = wb.intern
	pr.stop = stopOf(w)
	wb.start(docProps{
		title:    title + " 开放数据",
		subject:  "部门整体支出绩效自评、项目支出绩效自评、部门决算、部门预算和“三公”经费数据（金额单位：万元）",
		creator:  "disclose",
		language: "zh-CN",
	})
	for _, sh := range sheets {
		sw := wb.sheet(sh.name, len(sh.cols), sh.wrap)
		sw.header(sh.cols)
		err := sh.rows(func(cells []cell) {
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
		if err != nil {
			return fmt.Errorf("opendata: all.xlsx: %s: %w", sh.name, err)
		}
		// Filter buttons on the data sheets, not on the notes.
		sw.end(sw.rows > 1 && !sh.wrap)
	}
	return wb.finish()
}

// stopOf gives w's Err, when w has one: a writer that can be told to stop
// (the output package's, once its build is cancelled) says so there. A
// sheet reaches w only when it is complete, seconds of rows at 10,000
// reports, so the workbook asks between departments.
func stopOf(w io.Writer) func() error {
	if e, ok := w.(interface{ Err() error }); ok {
		return e.Err
	}
	return nil
}

// continuationName names the nth sheet of a table (n ≥ 2).
func continuationName(name string, n int) string { return fmt.Sprintf("%s（续%d）", name, n) }

// documentTime is derived from the content, never the clock: the end of
// year, the latest year reported on. Without reports it is the earliest
// time a ZIP entry can record.
func documentTime(year int) time.Time {
	if year < 1980 {
		return time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
}

// partRows passes a sheet's rows to the workbook: the rows of its section
// of each part in turn.
type partRows struct {
	dec    sheetDecoder
	buf    []byte
	intern func([]byte) string
	stop   func() error // see stopOf
}

func (pr *partRows) rows(src partReader, s sectionID, emit func([]cell)) error {
	for i := range src.Len() {
		if pr.stop != nil {
			if err := pr.stop(); err != nil {
				return err
			}
		}
		b, err := src.section(i, s, pr.buf[:0])
		if err != nil {
			return fmt.Errorf("part %d: %w", i, err)
		}
		pr.buf = b
		if err := pr.dec.rows(b, s, emit, pr.intern); err != nil {
			return fmt.Errorf("part %d: %w", i, err)
		}
	}
	return nil
}

// sheet is a table to be written: a header from cols, then the rows that
// rows passes to emit one by one. emit does not keep the slice, so rows
// can reuse it.
type sheet struct {
	name string
	cols []Column
	rows func(emit func([]cell)) error
	wrap bool // long text: wrap in wide columns instead of widening them
	// continued names the sheets its rows went on in, once written.
	continued []string
}

// cell is text, an integer, or a decimal shown at its published precision.
type cell struct {
	kind   cellKind
	italic bool
	text   string
	n      int64         // cellInt
	dec    model.Decimal // cellDecimal
}

type cellKind uint8

const (
	cellEmpty cellKind = iota
	cellText
	cellInt     // format "0"
	cellDecimal // format "#,##0" with the published number of decimals
)

func text(s string) cell { return cell{kind: cellText, text: s} }

func integer(n int) cell { return cell{kind: cellInt, n: int64(n)} }

// decimal holds d exactly: the cell's value is the published decimal text,
// without a float64 between.
func decimal(d model.Decimal) cell { return cell{kind: cellDecimal, dec: d} }

func amountCell(a *model.Amount) cell {
	if a == nil {
		return cell{}
	}
	return decimal(a.Value)
}

func numberCell(n *model.Number) cell {
	if n == nil {
		return cell{}
	}
	return decimal(n.Value)
}

// displayWidth counts wide (CJK) characters as two columns, as Excel
// renders them; for multi-line text only the longest line counts.
func displayWidth(s string) int {
	w, n := 0, 0
	for _, r := range s {
		switch {
		case r == '\n':
			w, n = max(w, n), 0
		case r >= 0x2E80:
			n += 2
		default:
			n++
		}
	}
	return max(w, n)
}

// appendDept appends the department's ID and name and, if regional, its
// level and region.
func appendDept(row []cell, d *model.Department, regional bool) []cell {
	if d == nil {
		n := 2
		if regional {
			n = 6
		}
		for range n {
			row = append(row, cell{})
		}
		return row
	}
	row = append(row, text(d.ID), text(d.Name))
	if regional {
		reg := splitRegion(d.Region)
		row = append(row, text(string(d.Level)), text(reg[0]), text(reg[1]), text(reg[2]))
	}
	return row
}

func summaryRow(row []cell, r *model.Report) []cell {
	o := r.Overview()
	funds := fundsByAmount(r)
	figures := []struct {
		name string
		fig  *model.Figure
	}{
		{"全年预算", o.Budget},
		{"收入", o.Income},
		{"支出", o.Expenditure},
		{"基本支出", o.Basic},
		{"项目支出", o.Project},
	}
	row = appendDept(row, r.Department, true)
	row = append(row, integer(r.Year), text(string(r.DocKind())), text(r.Key()), text(r.Title))
	var computed, single []string
	for _, x := range figures {
		if x.fig == nil {
			row = append(row, cell{})
			continue
		}
		c := decimal(x.fig.Value)
		if x.fig.Computed {
			c.italic = true
			computed = append(computed, x.name)
		} else if f := funds[x.fig.From]; f != nil && len(r.Funds) > 1 {
			// One of several funds states the figure: it is that
			// fund's, not the department's, and readers comparing
			// departments must know.
			single = append(single, x.name+"（"+f.FundName()+"）")
		}
		row = append(row, c)
	}
	var stated, rate cell
	if o.StatedRate != nil {
		stated = decimal(o.StatedRate.Value)
	}
	if v, ok := o.ExecutionRate(); ok {
		rate = decimal(v)
	}
	row = append(row, stated, rate)
	var score, scoreMax cell
	if o.Score != nil {
		score = decimal(*o.Score)
		if o.ScoreMax != nil {
			scoreMax = decimal(*o.ScoreMax)
		}
	}
	row = append(row, score, scoreMax, text(o.Grade))
	var tpBudget, tpActual cell
	if t := r.ThreePublic; t != nil && t.Total != nil {
		tpBudget, tpActual = amountCell(t.Total.Budget), amountCell(t.Total.Actual)
	}
	return append(row, tpBudget, tpActual,
		text(strings.Join(computed, "、")), text(strings.Join(single, "、")),
		integer(errataCount(r)))
}

// errataCount is len(r.AllErrata()) without its reflective walk over the
// whole report, which costs more than the rest of the summary: the errata
// at amounts are those of the long table's rows, which hold every amount.
func errataCount(r *model.Report) int {
	n := len(r.Errata)
	eachRow(r, func(w row) {
		if w.amt.Erratum != nil {
			n++
		}
	})
	return n
}

// detailCells makes the cells of the 明细 sheet: the fields of the long
// table (row.fields), with 年度, 类别层级 and 数值 as numbers. It is
// row.fields without its allocations, which at 300,000 rows cost more than
// writing the sheet: the department's columns are worked out once per
// department, a path once for the rows that share it, and the published
// literal is compared with the value without formatting a string.
type detailCells struct {
	row     []cell
	dept    *model.Department
	path    []string
	pathStr string
	scratch []byte
}

func (x *detailCells) fill(w row) []cell {
	if x.row == nil {
		x.row = make([]cell, len(longColumns))
	}
	c := x.row
	if w.dept != x.dept || c[0].kind == cellEmpty {
		x.dept = w.dept
		var id, name, code, level string
		var region [3]string
		if d := w.dept; d != nil {
			id, name, code, level = d.ID, d.Name, d.BudgetCode, string(d.Level)
			region = splitRegion(d.Region)
		}
		c[0], c[1], c[2], c[3] = text(id), text(name), text(code), text(level)
		c[4], c[5], c[6] = text(region[0]), text(region[1]), text(region[2])
	}
	if len(w.path) != len(x.path) || len(w.path) == 0 || &w.path[0] != &x.path[0] {
		x.path, x.pathStr = w.path, strings.Join(w.path, "/")
	}
	a := w.amt
	published, unit := "", ""
	if a.Published != "" {
		x.scratch = appendDecimal(x.scratch[:0], a.Value)
		if string(x.scratch) != a.Published {
			published, unit = a.Published, publishedUnit(a)
		}
		// Otherwise the literal is the plain decimal: no other unit.
	}
	c[7], c[8], c[9] = integer(w.year), text(w.docKind), text(w.file)
	c[10], c[11], c[12], c[13] = text(w.source), text(w.fundName), text(w.scope), text(x.pathStr)
	c[14] = integer(len(w.path))
	c[15], c[16], c[17], c[18] = text(w.kind), text(yesNo(w.leaf)), text(w.code), text(w.project)
	c[19], c[20] = text(w.group), text(w.measure)
	c[21] = decimal(a.Value)
	c[22], c[23], c[24] = text(published), text(unit), text(erratumReason(a))
	return c
}

// indicatorRows passes the rows of r's indicators to emit, building each
// in row's storage, and returns that storage for reuse.
func indicatorRows(row []cell, r *model.Report, emit func([]cell)) []cell {
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
	return row
}

func measureText(m *model.Measure) string {
	if m == nil {
		return ""
	}
	return m.Text
}

// appendMeasure appends the comparator, number and unit of a measure.
func appendMeasure(row []cell, m *model.Measure) []cell {
	if m == nil || m.Value == nil {
		return append(row, cell{}, cell{}, cell{})
	}
	return append(row, text(m.Op), decimal(*m.Value), text(m.Unit))
}

// projectRows passes the rows of r's projects to emit, as indicatorRows.
func projectRows(row []cell, r *model.Report, emit func([]cell)) []cell {
	for _, p := range r.Projects {
		row = appendDept(row[:0], r.Department, false)
		row = append(row, integer(r.Year), text(string(r.DocKind())), text(r.Key()), text(p.Name), text(p.Group),
			amountCell(p.Budget), amountCell(p.Arrived), amountCell(p.Paid),
			text(strings.Join(p.Outputs, "；")), text(p.Description))
		emit(row)
	}
	return row
}

// notesSheet says what every column of sheets means, and which sheets go
// on in others; title is the site's, if it has one.
func notesSheet(title string, sheets []*sheet) *sheet {
	general := []string{
		"金额单位均为万元。单元格中的数值就是原文所列的数，不作四舍五入，也不补零；显示的小数位数与原文相同，可直接求和、制作数据透视表。",
		"所有数字均按原文转录。原文中合计与分项不符等情况照录，不作改动；原文明显笔误（如把万元写成元）经勘误的，数值为更正后的数，“原文写法”和“勘误说明”列写明原文和理由。",
		"执行率和得分为数值，执行率以百分数表示（84.69 即 84.69%）。",
		"明细表每行一个金额，与网站提供的 CSV 文件（UTF-8 编码）内容相同。",
		"同一部门同一年度可公开多份文件（部门决算、部门预算、“三公”经费情况说明、部门整体支出绩效自评报告、项目支出绩效自评表）；各表的“文件种类”和“文件”列说明数字出自哪一份。",
		"决算收支、预算收支、三公经费、项目自评各表只在有这类数字时出现：每行一项，除金额外还照录原文所述的上年数、增减额、增减率、占比和原因（增减额、增减率为原文文字，如“下降42.13%”“减少18,987.42元”）。其中的金额在明细表中也各有一行。",
	}
	if title != "" {
		general = append([]string{title + "：开放数据。"}, general...)
	}
	return &sheet{name: sheetNotes, wrap: true, cols: []Column{
		{"工作表", ""}, {"列", ""}, {"说明", ""},
	}, rows: func(emit func([]cell)) error {
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
		return nil
	}}
}
