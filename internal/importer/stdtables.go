package importer

import (
	"fmt"
	"regexp"
	"strings"

	"disclose/internal/model"
	"disclose/internal/sourcedoc"
	"disclose/internal/tables"
)

// The standard 决算 and 预算 tables (公开02表 收入决算表 … 公开09表), as a
// finance system exports them to a workbook or a Word file: a title, a
// table number and unit, one to three header rows (科目编码 split into 类,
// 款, 项; 科目名称; the value columns), then a row per class with its code
// and name. Each is read into the report's tables: by the profile's
// columns, every cell as printed, so that the checker adds them up.

var (
	tableNumberRE = regexp.MustCompile(`公开\s*[0-9０-９]+\s*表`)
	codeCellRE    = regexp.MustCompile(`^\d{2,7}$`)
	codeTextRE    = regexp.MustCompile(`^(\d{3})(?:\s+(\d{2}))?(?:\s+(\d{2}))?\s*(\S.*)?$`)
	quoteFold     = strings.NewReplacer("“", "", "”", "", "\"", "", " ", "", "\u3000", "")
)

// standardTables reads every table of doc that a profile of kind names.
func standardTables(doc *sourcedoc.Document, kind model.DocKind, d *Draft) int {
	prof, ok := tables.Lookup(tables.Default(kind))
	if !ok {
		return 0
	}
	n := 0
	var before []string // paragraphs just before a table: its title, number, unit
	for _, b := range doc.Blocks {
		if b.Para != nil {
			before = append(before, b.Para.Text)
			if len(before) > 4 {
				before = before[1:]
			}
			continue
		}
		if b.Table == nil {
			continue
		}
		n += readStandardTable(b.Table, before, prof, d)
		before = nil
	}
	return n
}

// findSpec is the spec whose name or number the title lines give.
func findSpec(prof *tables.Profile, lines []string) (*tables.Spec, string) {
	number := ""
	for _, l := range lines {
		if m := tableNumberRE.FindString(l); m != "" {
			number = strings.ReplaceAll(m, " ", "")
		}
	}
	for _, l := range lines {
		for _, part := range strings.FieldsFunc(l, func(r rune) bool { return r == '\t' }) {
			if s := prof.Find(strings.TrimSpace(tableNumberRE.ReplaceAllString(part, ""))); s != nil {
				return s, number
			}
		}
	}
	if number != "" {
		for _, s := range prof.Tables {
			if s.Number == number {
				return s, number
			}
		}
	}
	return nil, number
}

func readStandardTable(t *sourcedoc.Table, before []string, prof *tables.Profile, d *Draft) int {
	// The title may be in the rows above the header or in the paragraphs
	// before a Word table; a sheet's name may be the table's.
	lines := append([]string{t.Name}, before...)
	for i, row := range t.Rows {
		if i >= 4 {
			break
		}
		for _, c := range row {
			if !c.Merged && c.Text != "" {
				lines = append(lines, c.Text)
			}
		}
	}
	spec, number := findSpec(prof, lines)
	if spec == nil || len(spec.Columns) == 1 && strings.Contains(spec.Name, "总表") {
		// Not a standard table, or a 总表 of two halves side by side: those
		// are read into accounts instead.
		return 0
	}
	unit := ""
	for _, l := range lines {
		if strings.Contains(l, "单位") {
			switch {
			case strings.Contains(l, "万元"):
			case strings.Contains(l, "亿元"):
				unit = "亿元"
			case strings.Contains(l, "元"):
				unit = "元"
			}
		}
	}
	// Header: the grid column of each of the spec's value columns, of the
	// code parts (类, 款, 项, or one 科目编码) and of the name.
	colOf := map[string]int{}
	var codeCols []int
	nameCol := 0
	first := -1 // the first data row
	for i, row := range t.Rows {
		if rowHasData(row) {
			first = i
			break
		}
		for _, c := range row {
			text := quoteFold.Replace(c.Text)
			switch {
			case text == "类" || text == "款" || text == "项":
				codeCols = appendOnce(codeCols, c.Loc.Col)
			case strings.Contains(text, "科目编码") && !strings.Contains(text, "名称"):
				if len(codeCols) == 0 {
					codeCols = appendOnce(codeCols, c.Loc.Col)
				}
			case strings.Contains(text, "名称") || text == "项目" && nameCol == 0:
				nameCol = c.Loc.Col
			}
			for _, col := range spec.Columns {
				if _, seen := colOf[col]; !seen && quoteFold.Replace(col) == text {
					colOf[col] = c.Loc.Col
				}
			}
		}
	}
	if first < 0 || len(colOf) < len(spec.Columns) {
		return 0 // a header the spec does not describe: leave it to a person
	}
	base := "tables[" + spec.Name + "]"
	if spec.Number != "" {
		d.SetString(base+".number", spec.Number, nil)
	} else if number != "" {
		d.SetString(base+".number", number, nil)
	}
	if unit != "" {
		d.SetString(base+".unit", unit, nil)
	}
	d.SetCells(base+".columns", spec.Columns)
	rows := 0
	for _, row := range t.Rows[first:] {
		code, name, loc := rowCodeName(row, codeCols, nameCol)
		if name == "" || strings.HasPrefix(name, "注") || strings.HasPrefix(name, "说明") {
			continue
		}
		cells := make([]string, len(spec.Columns))
		any := false
		for i, col := range spec.Columns {
			for _, c := range row {
				if c.Loc.Col == colOf[col] && !c.Merged {
					cells[i] = strings.TrimSpace(c.Text)
					any = any || cells[i] != ""
				}
			}
		}
		if !any && code == "" {
			continue
		}
		path := fmt.Sprintf("%s.rows[#%d]", base, rows)
		if code != "" {
			d.SetString(path+".code", code, nil)
		}
		d.SetString(path+".name", name, &Prov{Loc: loc, Quote: strings.TrimSpace(code + " " + name)})
		d.SetCells(path+".cells", cells)
		rows++
	}
	return rows
}

func appendOnce(list []int, v int) []int {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// rowHasData says whether a row is a data row: it holds a figure or a
// classification code.
func rowHasData(row []sourcedoc.Cell) bool {
	for _, c := range row {
		t := strings.TrimSpace(c.Text)
		if isFigure(t) && !codeCellRE.MatchString(t) || codeTextRE.MatchString(t) && len(t) > 3 && strings.ContainsAny(t, "0123456789") && hanRE.MatchString(t) {
			return true
		}
		if codeCellRE.MatchString(t) && len(t) >= 3 {
			return true
		}
	}
	return false
}

// rowCodeName reads a row's code (类, 款 and 项 joined, or one code cell,
// or "208 02 01 名称" in one cell) and its name.
func rowCodeName(row []sourcedoc.Cell, codeCols []int, nameCol int) (code, name string, loc sourcedoc.Loc) {
	for _, c := range row {
		if c.Merged {
			continue
		}
		t := strings.TrimSpace(c.Text)
		switch {
		case containsInt(codeCols, c.Loc.Col) && codeCellRE.MatchString(t):
			code += t
			if loc.Row == 0 {
				loc = c.Loc
			}
		case c.Loc.Col == nameCol && t != "":
			if m := codeTextRE.FindStringSubmatch(t); m != nil && m[4] != "" && len(codeCols) == 0 {
				code, name = m[1]+m[2]+m[3], m[4]
			} else {
				name = t
			}
			if loc.Row == 0 || c.Loc.Col < loc.Col {
				loc = c.Loc
			}
		}
	}
	if name == "" {
		// No name column found: the first text cell that is not a figure.
		for _, c := range row {
			if t := strings.TrimSpace(c.Text); t != "" && !c.Merged && hanRE.MatchString(t) {
				name, loc = t, c.Loc
				if m := codeTextRE.FindStringSubmatch(t); m != nil && m[4] != "" && code == "" {
					code, name = m[1]+m[2]+m[3], m[4]
				}
				break
			}
		}
	}
	return code, name, loc
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
