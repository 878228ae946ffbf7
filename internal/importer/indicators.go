package importer

import (
	"fmt"
	"regexp"
	"strings"

	"disclose/internal/sourcedoc"
)

// The indicator table of a self-evaluation form: 一级指标, 二级指标, 三级指标,
// sometimes 指标性质 and 度量单位, 指标值, 完成值, 分值 (权重), 得分 and the
// reason for a shortfall. Read from a grid (workbook, Word, or a text table
// of tabs or " | ") row by row, or from text with one cell per line by
// counting cells under the header.

var indicatorColumns = []column{
	{regexp.MustCompile(`^一级指标$`), "level1"},
	{regexp.MustCompile(`^二级指标$`), "level2"},
	{regexp.MustCompile(`^三级指标$`), "level3"},
	{regexp.MustCompile(`^指标性质$`), "nature"},
	{regexp.MustCompile(`^(年度)?指标值$|^预期指标值$|^目标值$`), "target"},
	{regexp.MustCompile(`^度量单位$|^计量单位$`), "unit"},
	{regexp.MustCompile(`^(实际)?完成值$|^(全年)?实际完成值$`), "actual"},
	{regexp.MustCompile(`^(分值|权重)$`), "weight"},
	{regexp.MustCompile(`^得分$`), "score"},
	{regexp.MustCompile(`原因|改进措施`), "deviation"},
}

var opRE = regexp.MustCompile(`^(≥|≤|=|＝|>|<|＞|＜|>=|<=)$`)

type indicatorRow struct {
	cells map[string]sourcedoc.Cell
}

// indicatorHeader maps a row's cells to indicator fields by their header
// words; nil unless the row names the three levels.
func indicatorHeader(row []sourcedoc.Cell) map[int]string {
	at := map[int]string{}
	used := map[string]bool{}
	for i, c := range row {
		text := spacesRE.ReplaceAllString(c.Text, "")
		for _, col := range indicatorColumns {
			if !used[col.field] && col.re.MatchString(text) {
				at[i] = col.field
				used[col.field] = true
				break
			}
		}
	}
	if !used["level1"] || !used["level2"] || !used["level3"] {
		return nil
	}
	return at
}

func indicatorTables(doc *sourcedoc.Document, d *Draft) int {
	var rows []indicatorRow
	for _, b := range doc.Blocks {
		if b.Table != nil {
			rows = append(rows, gridIndicators(b.Table.Rows)...)
		}
	}
	rows = append(rows, streamIndicators(doc)...)
	return placeIndicators(rows, d) + runIndicators(cellStream(doc), d)
}

// gridIndicators reads the rows under an indicator header. A row shorter
// than the header (a text copy that lost the merged label cells in front)
// is aligned so that its first level name stands under its level.
func gridIndicators(grid [][]sourcedoc.Cell) []indicatorRow {
	var out []indicatorRow
	var at map[int]string
	var level1 int
	for _, row := range grid {
		if h := indicatorHeader(row); h != nil {
			at = h
			for i, f := range h {
				if f == "level1" {
					level1 = i
				}
			}
			continue
		}
		if at == nil {
			continue
		}
		first := strings.TrimSpace(cellText(row, 0))
		if first == "合计" || strings.HasPrefix(first, "评价结论") || strings.HasPrefix(first, "总分") {
			at = nil
			continue
		}
		shift := 0
		if len(row) < len(at) || !isLevelName(cellText(row, level1)) {
			for i, c := range row {
				if isLevelName(c.Text) {
					shift = level1 - i
					break
				}
			}
		}
		r := indicatorRow{cells: map[string]sourcedoc.Cell{}}
		for i, c := range row {
			if f, ok := at[i+shift]; ok {
				r.cells[f] = c
			}
		}
		if strings.TrimSpace(r.cells["level3"].Text) != "" {
			out = append(out, r)
		}
	}
	return out
}

func cellText(row []sourcedoc.Cell, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i].Text
}

// isLevelName says whether a cell names a first-level indicator.
func isLevelName(s string) bool {
	s = strings.TrimSpace(s)
	for _, n := range []string{"产出指标", "效益指标", "满意度指标", "成本指标"} {
		if s == n {
			return true
		}
	}
	return false
}

// streamIndicators reads an indicator table whose text has one cell per
// line ("一级指标 |"): after the header, every run of as many lines as the
// header has cells is a row.
func streamIndicators(doc *sourcedoc.Document) []indicatorRow {
	var lines []sourcedoc.Cell
	for _, b := range doc.Blocks {
		if b.Para != nil && strings.HasSuffix(strings.TrimSpace(b.Para.Text), "|") {
			lines = append(lines, sourcedoc.Cell{Text: strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(b.Para.Text), "|")), Loc: b.Para.Loc})
		} else if b.Para != nil {
			lines = append(lines, sourcedoc.Cell{Text: "\x00", Loc: b.Para.Loc}) // not a cell line
		}
	}
	var out []indicatorRow
	for i := 0; i < len(lines); i++ {
		// The header: consecutive cell lines the columns recognise.
		j := i
		for j < len(lines) && matchesIndicatorColumn(lines[j].Text) {
			j++
		}
		h := indicatorHeader(lines[i:j])
		if h == nil {
			continue
		}
		width := j - i
		for k := j; k+width <= len(lines); k += width {
			row := lines[k : k+width]
			if t := strings.TrimSpace(row[0].Text); t == "合计" || t == "\x00" || !hanRE.MatchString(t) {
				break
			}
			r := indicatorRow{cells: map[string]sourcedoc.Cell{}}
			for c, f := range h {
				r.cells[f] = row[c]
			}
			out = append(out, r)
		}
		i = j
	}
	return out
}

func matchesIndicatorColumn(s string) bool {
	s = spacesRE.ReplaceAllString(s, "")
	for _, c := range indicatorColumns {
		if c.re.MatchString(s) {
			return true
		}
	}
	return false
}

// placeIndicators puts rows under indicators[一级].items[二级].items[三级];
// a blank level carries the one above it down, as a merged cell does.
func placeIndicators(rows []indicatorRow, d *Draft) int {
	n := 0
	var l1, l2 string
	for _, r := range rows {
		text := func(f string) string { return strings.TrimSpace(r.cells[f].Text) }
		if t := text("level1"); t != "" {
			l1 = t
		}
		if t := text("level2"); t != "" {
			l2 = t
		}
		l3 := text("level3")
		if l1 == "" || l2 == "" || l3 == "" {
			continue
		}
		path := fmt.Sprintf("indicators[%s].items[%s].items[%s]", l1, l2, l3)
		if d.Has(path + ".name") {
			continue
		}
		d.SetString(path+".name", l3, &Prov{Loc: r.cells["level3"].Loc, Quote: l3})
		op := text("nature")
		if op != "" {
			d.SetString(path+".nature", op, nil)
		}
		unit := text("unit")
		for _, f := range []string{"target", "actual"} {
			v := text(f)
			if v == "" {
				continue
			}
			// "≥ | 90 | %" is the measure "≥90%", as the form means it.
			if f == "target" && opRE.MatchString(op) && !strings.HasPrefix(v, op) {
				v = op + v
			}
			if unit == "%" && !strings.HasSuffix(v, "%") && isFigure(strings.TrimLeft(v, "≥≤=＝><＞＜")) {
				v += unit
			}
			d.SetString(path+"."+f, v, &Prov{Loc: r.cells[f].Loc, Quote: l3 + " " + text(f)})
		}
		if unit != "" {
			d.SetString(path+".unit", unit, nil)
		}
		for _, f := range []string{"weight", "score"} {
			if v := text(f); isFigure(v) && !strings.HasSuffix(v, "%") {
				d.Set(path+"."+f, v, &Prov{Loc: r.cells[f].Loc, Quote: l3 + " " + v})
			}
		}
		if v := text("deviation"); v != "" && v != "/" && v != "无" {
			d.SetString(path+".deviation", v, nil)
		}
		n++
	}
	return n
}

var levelWeightRE = regexp.MustCompile(`^(产出指标|效益指标|满意度指标|成本指标)\s*[（(](\d+(?:\.\d+)?)分[)）]$`)

// runIndicators reads an indicator table that came out of a converter as a
// run of cells with the blank ones gone ("产出指标(50分) 数量指标 某指标 ≥50个
// 50 8 8 质量指标 …"): a level name opens its level, any other text is an
// indicator followed by one cell per value column, and the weight and score
// cells must be figures, or the reading stops.
func runIndicators(stream []token, d *Draft) int {
	n := 0
	for i := 0; i < len(stream); i++ {
		if spacesRE.ReplaceAllString(stream[i].text, "") != "一级指标" {
			continue
		}
		var fields []string
		j := i
		for ; j < len(stream) && matchesIndicatorColumn(stream[j].text); j++ {
			for _, c := range indicatorColumns {
				if c.re.MatchString(spacesRE.ReplaceAllString(stream[j].text, "")) {
					if c.field != "level1" && c.field != "level2" && c.field != "level3" && c.field != "deviation" {
						fields = append(fields, c.field)
					}
					break
				}
			}
		}
		if len(fields) == 0 {
			continue
		}
		var rows []indicatorRow
		var l1, l2 sourcedoc.Cell
		for k := j; k < len(stream); {
			t := strings.TrimSpace(stream[k].text)
			cell := sourcedoc.Cell{Text: t, Loc: stream[k].loc}
			// 成本指标 is a first level in the newer forms and a second
			// level under 产出指标 in the older ones.
			if m := levelWeightRE.FindStringSubmatch(t); m != nil || isLevelName(t) && !(t == "成本指标" && l1.Text != "") {
				name := t
				if m != nil {
					name = m[1]
					d.Set("indicators["+name+"].weight", m[2], &Prov{Loc: stream[k].loc, Quote: t})
				}
				l1, l2 = sourcedoc.Cell{Text: name, Loc: stream[k].loc}, sourcedoc.Cell{}
				k++
				continue
			}
			if strings.HasSuffix(t, "指标") && l1.Text != "" {
				l2 = cell
				k++
				continue
			}
			if l1.Text == "" || l2.Text == "" || k+len(fields) >= len(stream) {
				break
			}
			r := indicatorRow{cells: map[string]sourcedoc.Cell{"level1": l1, "level2": l2, "level3": cell}}
			ok := true
			for f, field := range fields {
				c := stream[k+1+f]
				if (field == "weight" || field == "score") && !isFigure(c.text) {
					ok = false
				}
				r.cells[field] = sourcedoc.Cell{Text: c.text, Loc: c.loc}
			}
			if !ok {
				break
			}
			rows = append(rows, r)
			k += 1 + len(fields)
		}
		n += placeIndicators(rows, d)
		i = j
	}
	return n
}
