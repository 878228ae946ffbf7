package importer

import (
	"regexp"
	"strings"

	"disclose/internal/model"
	"disclose/internal/sourcedoc"
)

// The standard forms — 项目支出绩效自评表, 部门整体支出绩效自评表 and the
// 部门整体支出绩效评价基础数据表 — are read as a stream of cells: a header
// run names the value columns, then each row is a label followed by its
// figures. Reading cells in order rather than by grid column is what lets
// one reader take a form from a workbook, from a Word table, and from the
// text a converter made of it, where merged label cells come and go and a
// table may have become one cell per line.

// column is a value column of a form, by the words of its header.
type column struct {
	re    *regexp.Regexp
	field string
}

// evalColumns are the columns of the fund rows of a self-evaluation form.
var evalColumns = []column{
	{regexp.MustCompile(`^年初预算数?$`), "initial_budget"},
	{regexp.MustCompile(`^(全年|调整后)预算数?$`), "budget"},
	{regexp.MustCompile(`^(全年|预算)执行数$`), "actual"},
	{regexp.MustCompile(`^(分值|权重)$`), "weight"},
	{regexp.MustCompile(`^(预算)?执行率$`), "rate"},
	{regexp.MustCompile(`^(自评)?得分$`), "score"},
}

// baseColumns are the columns of the 基础数据表: last year's final
// accounts, this year's budget, this year's final accounts.
var baseColumns = []column{
	{regexp.MustCompile(`^\d{4}年决算数$`), "prior"},
	{regexp.MustCompile(`^\d{4}年预算数$`), "budget"},
	{regexp.MustCompile(`^\d{4}年决算数$`), "actual"},
}

var (
	formNumberRE = regexp.MustCompile(`^-?\d[\d,]*(\.\d+)?%?$`)
	whichRE      = regexp.MustCompile(`^其中\s*[:：]\s*`)
	// "按收入性质分:2030.12", "其中: 一般公共预算:1325.68": a label and its
	// figure in one cell.
	inlineRE   = regexp.MustCompile(`^(.*?)[:：]\s*(-?\d[\d,]*(?:\.\d+)?)\s*(万元|元)?$`)
	enumPrefix = regexp.MustCompile(`^\s*\d+\s*[、.．]\s*`)
	hanRE      = regexp.MustCompile(`\p{Han}`)
)

// token is one cell of the stream.
type token struct {
	text string
	loc  sourcedoc.Loc
}

func cellStream(doc *sourcedoc.Document) []token {
	var out []token
	for _, b := range doc.Blocks {
		switch {
		case b.Para != nil:
			// A converter's one-cell row: "年初预算 |".
			text := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(b.Para.Text), "|"))
			// A form flattened to one line, its cells parted by spaces
			// (what some portals' text extraction gives): its words are
			// its cells.
			if fields := strings.Fields(text); len(fields) >= 20 {
				for _, f := range fields {
					out = append(out, token{strings.TrimRight(f, ":："), b.Para.Loc})
				}
				continue
			}
			out = append(out, token{text, b.Para.Loc})
		case b.Table != nil:
			for _, row := range b.Table.Rows {
				for _, c := range row {
					if !c.Merged && strings.TrimSpace(c.Text) != "" {
						out = append(out, token{strings.TrimSpace(c.Text), c.Loc})
					}
				}
			}
		}
	}
	return out
}

func isFigure(s string) bool {
	return formNumberRE.MatchString(strings.ReplaceAll(s, " ", ""))
}

// formRow is a label with its figures, each in the column it stands under.
type formRow struct {
	next   bool // follows the row before it with no other label between
	label  string
	loc    sourcedoc.Loc
	fields []string
	cells  []token
}

// readForm finds header runs of cols in the stream and the rows under each.
// A header is at least three recognised column cells in a row (the form's
// other header cells between them are allowed); rows end at the next header
// or at a label with no figures after a run of them.
func readForm(stream []token, cols []column, minCols, maxGap int) (rows []formRow, yuan bool) {
	var fields []string
	var at map[int]string // field by grid column, for a real table's header
	gap := 0              // labels without figures since the last row
	for i := 0; i < len(stream); i++ {
		if f, n, unit := headerAt(stream, i, cols); len(f) >= minCols {
			fields, yuan = f, unit || yuan
			at = gridFields(stream[i:i+n], cols)
			i += n - 1
			gap = 0
			continue
		}
		if fields == nil || isFigure(stream[i].text) {
			continue
		}
		label := stream[i].text
		if !hanRE.MatchString(label) {
			continue // "/", "=", a blank cell
		}
		var cells []token
		var rowFields []string
		end := i + 1
		for end < len(stream) && isFigure(stream[end].text) && end-i <= len(fields) {
			end++
		}
		// A workbook or Word table keeps its columns, so a blank budget
		// cell does not move the actual figure left — when every figure
		// of the row stands under a header. A table rebuilt from text may
		// have lost a merged cell; then the order of the figures is all
		// there is.
		positional := at != nil && end > i+1
		for j := i + 1; j < end && positional; j++ {
			positional = inGrid(stream[j].loc) && stream[j].loc.Row == stream[i].loc.Row && at[stream[j].loc.Col] != ""
		}
		for j := i + 1; j < end && len(cells) < len(fields); j++ {
			f := fields[len(cells)]
			if positional {
				f = at[stream[j].loc.Col]
			}
			cells = append(cells, token{strings.ReplaceAll(stream[j].text, " ", ""), stream[j].loc})
			rowFields = append(rowFields, f)
		}
		if len(cells) == 0 {
			// A form's block of rows ends where its text runs on: a few
			// reason cells or blank example rows may sit between rows.
			if gap++; gap > maxGap {
				fields = nil
			}
			continue
		}
		rows = append(rows, formRow{next: gap == 0, label: label, loc: stream[i].loc, fields: rowFields, cells: cells})
		gap = 0
		i += len(cells)
	}
	return rows, yuan
}

// inGrid says whether a place is a cell of a real table, whose column can
// be trusted (a table in text loses the columns of its merged cells).
func inGrid(l sourcedoc.Loc) bool { return (l.Sheet != "" || l.Table > 0) && l.Col > 0 }

// gridFields maps the header's recognised cells to their grid columns, or
// nil when the header is not a real table's.
func gridFields(header []token, cols []column) map[int]string {
	at := map[int]string{}
	used := map[int]bool{}
	for _, t := range header {
		if !inGrid(t.loc) {
			return nil
		}
		text := spacesRE.ReplaceAllString(t.text, "")
		for k, c := range cols {
			if !used[k] && c.re.MatchString(text) {
				at[t.loc.Col] = c.field
				used[k] = true
				break
			}
		}
	}
	return at
}

// headerAt reads a run of header cells starting at i: the fields it names
// and how many cells it spans.
func headerAt(stream []token, i int, cols []column) (fields []string, n int, yuan bool) {
	used := map[int]bool{}
	for j := i; j < len(stream) && j < i+12; j++ {
		text := spacesRE.ReplaceAllString(stream[j].text, "")
		if isFigure(text) {
			break
		}
		matched := false
		for k, c := range cols {
			if !used[k] && c.re.MatchString(text) {
				fields = append(fields, c.field)
				used[k] = true
				matched = true
				n = j - i + 1
				break
			}
		}
		if !matched && len(fields) == 0 {
			return nil, 0, false
		}
		if strings.Contains(text, "（元）") || strings.Contains(text, "(元)") {
			yuan = true
		}
	}
	return fields, n, yuan
}

// forms reads the standard forms of doc into the draft, by the report's
// kind; it returns how many money figures it placed.
func forms(doc *sourcedoc.Document, kind model.DocKind, d *Draft) int {
	stream := cellStream(doc)
	placed := 0
	set := func(path, text string, loc sourcedoc.Loc, quote string, yuan bool) {
		if yuan {
			text += "元"
		}
		if d.Set(path, text, &Prov{Loc: loc, Quote: quote}) {
			placed++
		}
	}
	if kind == model.KindProjectEval {
		formHeader(stream, d)
	}
	rows, yuan := readForm(stream, evalColumns, 3, 2)
	for _, r := range rows {
		name := whichRE.ReplaceAllString(r.label, "")
		if len([]rune(name)) > 20 || strings.Contains(name, "分)") || strings.Contains(name, "分）") {
			continue
		}
		base := "project_eval.funds[" + name + "]"
		if kind != model.KindProjectEval {
			// The 部门整体支出绩效自评表 has one fund row, the year's whole
			// money.
			if name != "年度资金总额" {
				continue
			}
			base = "totals"
			d.SetString("totals.label", name, nil)
		}
		for i, c := range r.cells {
			quote := r.label + " " + c.text
			switch f := r.fields[i]; f {
			case "initial_budget", "budget":
				set(base+"."+f, c.text, c.loc, quote, yuan)
			case "actual":
				if base == "totals" {
					f = "expenditure"
				}
				set(base+"."+f, c.text, c.loc, quote, yuan)
			case "rate":
				path := base + ".rate"
				if base == "totals" {
					path = "totals.execution_rate"
				}
				d.SetString(path, c.text, &Prov{Loc: c.loc, Quote: quote})
			default:
				if base != "totals" {
					d.Set(base+"."+f, c.text, &Prov{Loc: c.loc, Quote: quote})
				}
			}
		}
	}
	// The readers below place through set, which counts what they place.
	if kind != model.KindProjectEval {
		threePublicTable(stream, set)
		selfEvalBreakdown(stream, d, set)
		baseDataForm(stream, set)
	}
	if kind == model.KindFinalAccounts || kind == model.KindBudget {
		if summaryTable(stream, set) > 0 {
			d.SetString("accounts.income.name", "收入", nil)
			d.SetString("accounts.expenditure.name", "支出", nil)
		}
	}
	return placed
}

// selfEvalBreakdown reads the 部门整体支出绩效自评表's breakdown of the
// year's money, written label and figure in one cell: 按收入性质分:2030.12,
// 其中: 一般公共预算:1325.68, 其中:基本支出:900.47.
func selfEvalBreakdown(stream []token, d *Draft, set func(path, text string, loc sourcedoc.Loc, quote string, yuan bool)) int {
	n := 0
	for _, t := range stream {
		m := inlineRE.FindStringSubmatch(t.text)
		if m == nil {
			continue
		}
		label := strings.TrimSpace(whichRE.ReplaceAllString(strings.TrimSpace(m[1]), ""))
		text := strings.ReplaceAll(m[2], ",", "")
		yuan := m[3] == "元"
		path := ""
		switch {
		case label == "按收入性质分":
			path = "totals.income"
		case label == "基本支出":
			path = "totals.basic.amount"
		case label == "项目支出":
			path = "totals.project.amount"
		case fundOf(label) != "":
			path = "funds[" + fundOf(label) + "].income"
		}
		if path == "" {
			continue
		}
		set(path, text, t.loc, t.text, yuan)
		n++
		if node, ok := strings.CutSuffix(path, ".amount"); ok {
			name := map[bool]string{true: "基本支出", false: "项目支出"}[strings.Contains(path, "basic")]
			d.SetString(node+".name", name, nil)
		}
	}
	return n
}

// baseRows names the rows of the 基础数据表 the model has a place for.
var baseRows = []struct {
	re   *regexp.Regexp
	path string // "" for the amount of a node: see baseDataForm
}{
	{regexp.MustCompile(`^三公经费[:：]?$`), "three_public.total"},
	{regexp.MustCompile(`^公车购置$`), "three_public.vehicle_purchase"},
	{regexp.MustCompile(`^公车运行维护$`), "three_public.vehicle_operation"},
	{regexp.MustCompile(`^公务用车购置和(运行)?维护经?费$`), "three_public.vehicles"},
	{regexp.MustCompile(`^出国(（境）)?经?费$`), "three_public.outbound"},
	{regexp.MustCompile(`^公务接待费?$`), "three_public.reception"},
	{regexp.MustCompile(`^项目支出[:：]?$`), "totals.project"},
	{regexp.MustCompile(`^公用经费$`), "totals.basic.of_which[公用经费]"},
}

// baseDataForm reads the 部门整体支出绩效评价基础数据表: for 三公, 项目支出
// and 公用经费 (with its 其中 lines), last year's final figure, this year's
// budget and this year's final figure.
func baseDataForm(stream []token, set func(path, text string, loc sourcedoc.Loc, quote string, yuan bool)) int {
	rows, yuan := readForm(stream, baseColumns, 3, 6)
	n := 0
	parent := ""
	for _, r := range rows {
		label := enumPrefix.ReplaceAllString(whichRE.ReplaceAllString(r.label, ""), "")
		label = strings.TrimSpace(label)
		path := ""
		for _, br := range baseRows {
			if br.re.MatchString(label) {
				path = br.path
			}
		}
		isPart := r.next && (strings.HasPrefix(r.label, "其中") || parent != "" && path == "" && !strings.HasPrefix(parent, "three_public"))
		if path == "" && isPart && parent == "totals.basic.of_which[公用经费]" {
			path = parent + ".of_which[" + label + "]"
		}
		if path == "" {
			parent = ""
			continue
		}
		if !strings.Contains(path, "[公用经费].of_which") {
			parent = path
		}
		node := !strings.HasPrefix(path, "three_public")
		for i, c := range r.cells {
			quote := r.label + " " + c.text
			f := r.fields[i]
			if node && f == "actual" {
				f = "amount"
			}
			n0 := n
			set(path+"."+f, c.text, c.loc, quote, yuan)
			n = n0 + 1
		}
	}
	return n
}

// projectHeader are a project form's header cells: the label, then its
// value in the next cell (or after a colon in the same one).
var projectHeader = []struct {
	re   *regexp.Regexp
	path string
}{
	{regexp.MustCompile(`^项目名称$`), "project_eval.name"},
	{regexp.MustCompile(`^主管部门(（单位）)?$`), "project_eval.authority"},
	{regexp.MustCompile(`^实施单位([(（]盖章[)）])?$`), "project_eval.implementer"},
}

func formHeader(stream []token, d *Draft) {
	for i, t := range stream {
		label, value, inline := strings.Cut(t.text, "：")
		if !inline {
			label, value, inline = strings.Cut(t.text, ":")
		}
		label = spacesRE.ReplaceAllString(label, "")
		for _, h := range projectHeader {
			if !h.re.MatchString(label) {
				continue
			}
			loc := t.loc
			if !inline || strings.TrimSpace(value) == "" {
				if i+1 >= len(stream) {
					continue
				}
				value, loc = stream[i+1].text, stream[i+1].loc
			}
			value = strings.TrimSpace(value)
			if value != "" && !isFigure(value) {
				d.SetString(h.path, value, &Prov{Loc: loc, Quote: label + " " + value})
			}
		}
	}
}

// threePublicColumns are the columns of a 三公 statement's table.
var threePublicColumns = []column{
	{regexp.MustCompile(`^(全年)?预算数?$`), "budget"},
	{regexp.MustCompile(`^决算数?$`), "actual"},
}

// threePublicTable reads the table a 三公 statement opens with: 项目, 预算数,
// 决算数, a row for the total and one per item.
func threePublicTable(stream []token, set func(path, text string, loc sourcedoc.Loc, quote string, yuan bool)) int {
	rows, yuan := readForm(stream, threePublicColumns, 2, 2)
	n := 0
	for _, r := range rows {
		label := spacesRE.ReplaceAllString(whichRE.ReplaceAllString(r.label, ""), "")
		field := ""
		if label == "合计" || strings.Contains(label, "三公") {
			field = "total"
		} else {
			field = threePublicField(label, "三公")
		}
		if field == "" {
			continue
		}
		for i, c := range r.cells {
			set("three_public."+field+"."+r.fields[i], c.text, c.loc, r.label+" "+c.text, yuan)
			n++
		}
	}
	return n
}

var (
	rowNumberRE   = regexp.MustCompile(`^\d{1,3}$`)
	summaryRE     = regexp.MustCompile(`收入支出决算总表|收支决算总表|收入支出预算总表|收支预算总表`)
	otherTableRE  = regexp.MustCompile(`^公开\d+表$|^(财政拨款|一般公共预算|政府性基金|国有资本经营).{0,12}(决算|预算)表$`)
	summaryLabels = regexp.MustCompile(`^(本年)?(收入|支出)(合计|总计)$`)
)

// summaryTable reads the 收入支出决算总表 (公开01表) and its 预算 twin: rows
// of an income line, its 行次 and amount, then a spending line, its 行次
// and amount. Each line goes under accounts.income or accounts.expenditure
// by its name.
func summaryTable(stream []token, set func(path, text string, loc sourcedoc.Loc, quote string, yuan bool)) int {
	n := 0
	in := false
	yuan := false
	gap := 0
	for i := 0; i < len(stream); i++ {
		t := stream[i].text
		if summaryRE.MatchString(t) {
			in, gap = true, 0
			continue
		}
		if !in {
			continue
		}
		if strings.Contains(t, "单位") && strings.Contains(t, "元") {
			yuan = !strings.Contains(t, "万元")
		}
		if otherTableRE.MatchString(t) && !strings.Contains(t, "01") {
			in = false
			continue
		}
		if i+2 < len(stream) && hanRE.MatchString(t) && rowNumberRE.MatchString(stream[i+1].text) && isFigure(stream[i+2].text) && !strings.Contains(stream[i+2].text, "%") {
			name := spacesRE.ReplaceAllString(stripNumbering(t), "")
			side := ""
			switch {
			case strings.HasSuffix(name, "收入") || strings.Contains(name, "收入合计") || strings.Contains(name, "收入总计"):
				side = "income"
			case strings.HasSuffix(name, "支出") || strings.Contains(name, "支出合计") || strings.Contains(name, "支出总计"):
				side = "expenditure"
			}
			if side != "" {
				path := "accounts." + side + ".items[" + name + "].amount"
				if m := summaryLabels.FindStringSubmatch(name); m != nil && m[3] == "总计" {
					path = "accounts." + side + ".amount"
				}
				set(path, strings.ReplaceAll(stream[i+2].text, ",", ""), stream[i+2].loc, t+" "+stream[i+2].text, yuan)
				n++
			}
			i += 2
			gap = 0
			continue
		}
		// The header (收入, 支出, 项目, 行次, 金额, 栏次…) sits between
		// the title and the first row; prose after the table ends it.
		if gap++; gap > 30 {
			in = false
		}
	}
	return n
}
