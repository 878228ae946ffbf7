package opendata

import (
	"archive/zip"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"disclose/internal/model"
)

// Sheet names of the workbook, in order.
const (
	sheetSummary    = "汇总"
	sheetDetail     = "明细"
	sheetIndicators = "绩效指标"
	sheetProjects   = "项目"
	sheetNotes      = "说明"
)

var summaryColumns = []Column{
	{"部门ID", "部门在本站的标识（网址中使用）"},
	{"部门", "部门（单位）全称"},
	{"行政层级", "省级、市级或县级"},
	{"省", "所在省份"},
	{"市", "所在地级市"},
	{"县区", "所在县区"},
	{"年度", "报告年度"},
	{"报告标题", "报告标题，按原文"},
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
}

var projectColumns = []Column{
	{"部门ID", "部门在本站的标识"},
	{"部门", "部门（单位）全称"},
	{"年度", "报告年度"},
	{"项目", "项目名称"},
	{"项目类别", "项目所属类别"},
	{"预算（万元）", "项目预算安排"},
	{"资金到位（万元）", "资金到位数"},
	{"实际拨付（万元）", "实际拨付或使用数"},
	{"主要产出", "原文所列主要产出，以“；”分隔"},
	{"项目说明", "项目说明与完成情况，按原文（Markdown）"},
}

// AllXLSX is one workbook over the whole site: 汇总 (one row per report),
// 明细 (the long table of Columns), 绩效指标, 项目 and 说明 (what every column
// means). Figures are numeric cells holding the published decimal, shown at
// the published number of decimals.
//
// The document's created and modified dates, and the time of every entry of
// the ZIP container, are 31 December of the latest report year (UTC), so
// that building the same content twice gives the same bytes.
func AllXLSX(s *model.Site) ([]byte, error) {
	stamp := documentTime(s)
	f := excelize.NewFile()
	defer f.Close()
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter {
		return stampedZip{zip.NewWriter(w), stamp}
	})
	b := &book{f: f, styles: map[styleKey]int{}}

	reports := siteReports(s)
	sheets := []*sheet{
		summarySheet(reports),
		detailSheet(reports),
		indicatorSheet(reports),
		projectSheet(reports),
	}
	sheets = append(sheets, notesSheet(s, sheets))
	if err := f.SetSheetName("Sheet1", sheets[0].name); err != nil {
		return nil, err
	}
	for i, sh := range sheets {
		if i > 0 {
			if _, err := f.NewSheet(sh.name); err != nil {
				return nil, err
			}
		}
		if err := b.write(sh); err != nil {
			return nil, fmt.Errorf("sheet %s: %w", sh.name, err)
		}
	}
	f.SetActiveSheet(0)

	ts := stamp.Format(time.RFC3339)
	title := s.Config.Title
	if title == "" {
		title = "部门整体支出绩效自评报告"
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:          title + " 开放数据",
		Subject:        "部门整体支出绩效自评报告数据（金额单位：万元）",
		Creator:        "disclose",
		LastModifiedBy: "disclose",
		Created:        ts,
		Modified:       ts,
		Language:       "zh-CN",
	}); err != nil {
		return nil, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// documentTime is derived from the content, never the clock: the end of the
// latest year reported on. Without reports it is the earliest time a ZIP
// entry can record.
func documentTime(s *model.Site) time.Time {
	year := 0
	for _, r := range siteReports(s) {
		year = max(year, r.Year)
	}
	if year < 1980 {
		return time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
}

// stampedZip gives every entry the same fixed time. excelize's default
// writer leaves the time unset, which archive/zip writes as the invalid
// MS-DOS date 0 that some unzip tools show as 1979-11-30.
type stampedZip struct {
	*zip.Writer
	mod time.Time
}

func (z stampedZip) Create(name string) (io.Writer, error) {
	return z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: z.mod})
}

// sheet is a table to be written: a header from cols, then rows.
type sheet struct {
	name string
	cols []Column
	rows [][]cell
	wrap bool // long text: wrap in wide columns instead of widening them
}

// cell is text, or a number given as exact decimal text with the number
// format it is shown in.
type cell struct {
	text   string
	num    string
	format string
	italic bool
}

func text(s string) cell { return cell{text: s} }

func integer(n int) cell { return cell{num: strconv.Itoa(n), format: "0"} }

// decimal shows d at its published precision, with thousands separators.
func decimal(d model.Decimal) cell {
	f := "#,##0"
	if d.Places > 0 {
		f += "." + strings.Repeat("0", d.Places)
	}
	return cell{num: d.String(), format: f}
}

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

type book struct {
	f      *excelize.File
	styles map[styleKey]int
}

type styleKey struct {
	format         string
	italic, header bool
	wrap           bool
}

// style returns a style ID, creating each distinct style once and in the
// order first needed, so that the styles part is the same on every build.
func (b *book) style(k styleKey) (int, error) {
	if id, ok := b.styles[k]; ok {
		return id, nil
	}
	st := &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: k.wrap}}
	if k.format != "" {
		f := k.format
		st.CustomNumFmt = &f
	}
	if k.italic || k.header {
		st.Font = &excelize.Font{Bold: k.header, Italic: k.italic}
	}
	if k.header {
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}
		st.Alignment.Vertical = "center"
	}
	id, err := b.f.NewStyle(st)
	if err != nil {
		return 0, err
	}
	b.styles[k] = id
	return id, nil
}

// Column widths in Excel's character units; wide enough for most values,
// capped so that long text does not push the rest of the table off screen.
const (
	minWidth  = 6
	maxWidth  = 40
	wrapWidth = 80
)

func (b *book) write(sh *sheet) error {
	f := b.f
	widths := make([]int, len(sh.cols))
	hdr, err := b.style(styleKey{header: true, wrap: sh.wrap})
	if err != nil {
		return err
	}
	for i, c := range sh.cols {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(sh.name, ref, c.Name); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh.name, ref, ref, hdr); err != nil {
			return err
		}
		widths[i] = displayWidth(c.Name)
	}
	for r, cells := range sh.rows {
		for i, c := range cells {
			if c.num == "" && c.text == "" {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(i+1, r+2)
			if err := b.cell(sh, ref, c); err != nil {
				return err
			}
			if c.num != "" {
				widths[i] = max(widths[i], len(c.num)+len(c.num)/3)
			} else {
				widths[i] = max(widths[i], displayWidth(c.text))
			}
		}
	}
	limit := maxWidth
	if sh.wrap {
		limit = wrapWidth
	}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh.name, col, col, float64(min(max(w+2, minWidth), limit))); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sh.name, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	used := "A1:" + lastCell(sh)
	// excelize leaves the used range at A1; readers that trust it (such as
	// openpyxl in read-only mode) would see an empty sheet.
	if err := f.SetSheetDimension(sh.name, used); err != nil {
		return err
	}
	if len(sh.rows) == 0 || sh.wrap {
		return nil
	}
	return f.AutoFilter(sh.name, used, nil)
}

// lastCell is the bottom-right cell of the sheet's table.
func lastCell(sh *sheet) string {
	ref, _ := excelize.CoordinatesToCellName(len(sh.cols), len(sh.rows)+1)
	return ref
}

func (b *book) cell(sh *sheet, ref string, c cell) error {
	var err error
	if c.num != "" {
		// The decimal text goes into the cell as is: a numeric cell whose
		// value is exactly the published figure, without a float64 between.
		err = b.f.SetCellDefault(sh.name, ref, c.num)
	} else {
		err = b.f.SetCellStr(sh.name, ref, c.text)
	}
	if err != nil {
		return err
	}
	id, err := b.style(styleKey{format: c.format, italic: c.italic, wrap: sh.wrap && c.num == ""})
	if err != nil {
		return err
	}
	return b.f.SetCellStyle(sh.name, ref, ref, id)
}

// displayWidth counts wide (CJK) characters as two columns, as Excel
// renders them; for multi-line text only the longest line counts.
func displayWidth(s string) int {
	w := 0
	for _, line := range strings.Split(s, "\n") {
		n := 0
		for _, r := range line {
			if r >= 0x2E80 {
				n += 2
			} else {
				n++
			}
		}
		w = max(w, n)
	}
	return w
}

func deptCells(d *model.Department, regional bool) []cell {
	if d == nil {
		if regional {
			return make([]cell, 6)
		}
		return make([]cell, 2)
	}
	out := []cell{text(d.ID), text(d.Name)}
	if regional {
		reg := splitRegion(d.Region)
		out = append(out, text(string(d.Level)), text(reg[0]), text(reg[1]), text(reg[2]))
	}
	return out
}

func summarySheet(reports []*model.Report) *sheet {
	sh := &sheet{name: sheetSummary, cols: summaryColumns}
	for _, r := range reports {
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
		row := deptCells(r.Department, true)
		row = append(row, integer(r.Year), text(r.Title))
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
		row = append(row, tpBudget, tpActual,
			text(strings.Join(computed, "、")), text(strings.Join(single, "、")),
			integer(len(r.AllErrata())))
		sh.rows = append(sh.rows, row)
	}
	return sh
}

func detailSheet(reports []*model.Report) *sheet {
	sh := &sheet{name: sheetDetail, cols: longColumns}
	for _, r := range reports {
		for _, w := range reportRows(r) {
			fs := w.fields()
			row := make([]cell, len(fs))
			for i, s := range fs {
				row[i] = text(s)
			}
			row[colYear] = integer(w.year)
			row[colDepth] = integer(len(w.path))
			row[colValue] = decimal(w.amt.Value)
			sh.rows = append(sh.rows, row)
		}
	}
	return sh
}

// Positions in longColumns of the columns the 明细 sheet writes as numbers.
var colYear, colDepth, colValue = columnIndex("年度"), columnIndex("类别层级"), columnIndex("数值（万元）")

func columnIndex(name string) int {
	for i, c := range longColumns {
		if c.Name == name {
			return i
		}
	}
	panic("opendata: no column " + name)
}

func indicatorSheet(reports []*model.Report) *sheet {
	sh := &sheet{name: sheetIndicators, cols: indicatorColumns}
	for _, r := range reports {
		var walk func(is []*model.Indicator, path []string)
		walk = func(is []*model.Indicator, path []string) {
			for _, in := range is {
				p := appendPath(path, in.Name)
				row := deptCells(r.Department, false)
				row = append(row, integer(r.Year), integer(len(p)))
				// Levels below the third are rare; their names are kept in
				// the third column rather than dropped.
				var names [3]string
				copy(names[:], p)
				if len(p) > 3 {
					names[2] = strings.Join(p[2:], "/")
				}
				row = append(row, text(names[0]), text(names[1]), text(names[2]),
					numberCell(in.Weight), numberCell(in.Score),
					text(measureText(in.Target)), text(measureText(in.Actual)))
				row = append(row, measureCells(in.Target)...)
				row = append(row, measureCells(in.Actual)...)
				row = append(row, text(in.Deviation))
				sh.rows = append(sh.rows, row)
				walk(in.Items, p)
			}
		}
		walk(r.Indicators, nil)
	}
	return sh
}

func measureText(m *model.Measure) string {
	if m == nil {
		return ""
	}
	return m.Text
}

// measureCells are the comparator, number and unit of a measure.
func measureCells(m *model.Measure) []cell {
	if m == nil || m.Value == nil {
		return make([]cell, 3)
	}
	return []cell{text(m.Op), decimal(*m.Value), text(m.Unit)}
}

func projectSheet(reports []*model.Report) *sheet {
	sh := &sheet{name: sheetProjects, cols: projectColumns}
	for _, r := range reports {
		for _, p := range r.Projects {
			row := deptCells(r.Department, false)
			row = append(row, integer(r.Year), text(p.Name), text(p.Group),
				amountCell(p.Budget), amountCell(p.Arrived), amountCell(p.Paid),
				text(strings.Join(p.Outputs, "；")), text(p.Description))
			sh.rows = append(sh.rows, row)
		}
	}
	return sh
}

func notesSheet(s *model.Site, sheets []*sheet) *sheet {
	sh := &sheet{name: sheetNotes, wrap: true, cols: []Column{
		{"工作表", ""}, {"列", ""}, {"说明", ""},
	}}
	general := []string{
		"金额单位均为万元。单元格中的数值就是原文所列的数，不作四舍五入，也不补零；显示的小数位数与原文相同，可直接求和、制作数据透视表。",
		"所有数字均按原文转录。原文中合计与分项不符等情况照录，不作改动；原文明显笔误（如把万元写成元）经勘误的，数值为更正后的数，“原文写法”和“勘误说明”列写明原文和理由。",
		"执行率和得分为数值，执行率以百分数表示（84.69 即 84.69%）。",
		"明细表每行一个金额，与网站提供的 CSV 文件（UTF-8 编码）内容相同。",
	}
	if s.Config.Title != "" {
		general = append([]string{s.Config.Title + "：开放数据。"}, general...)
	}
	for _, g := range general {
		sh.rows = append(sh.rows, []cell{text("全部"), {}, text(g)})
	}
	for _, x := range sheets {
		for _, c := range x.cols {
			sh.rows = append(sh.rows, []cell{text(x.name), text(c.Name), text(c.Doc)})
		}
	}
	return sh
}
