package importer

import (
	"regexp"
	"strings"

	"disclose/internal/sourcedoc"
)

// evalColumns are the columns of the fund rows of a 项目支出绩效自评表, by
// the words of their headers, in the order they are tried.
var evalColumns = []struct {
	re    *regexp.Regexp
	field string
}{
	{regexp.MustCompile(`年初预算`), "initial_budget"},
	{regexp.MustCompile(`(全年|调整后)预算数?`), "budget"},
	{regexp.MustCompile(`(全年|预算)?执行数`), "actual"},
	{regexp.MustCompile(`执行率`), "rate"},
	{regexp.MustCompile(`^(分值|权重)`), "weight"},
	{regexp.MustCompile(`^得分`), "score"},
}

var (
	formNumberRE = regexp.MustCompile(`^-?\d[\d,]*(\.\d+)?%?$`)
	whichRE      = regexp.MustCompile(`^其中\s*[:：]\s*`)
)

// evalFundTables reads the fund rows of project self-evaluation forms: a
// header row naming 年初预算数, 全年预算数, 全年执行数, 分值, 执行率 and
// 得分, then one row per fund. Cells are matched in order, because a form
// copied out of Word or a spreadsheet keeps the order of its cells but not
// always their columns (merged label cells come and go).
func evalFundTables(doc *sourcedoc.Document, d *Draft) int {
	placed := 0
	for _, b := range doc.Blocks {
		t := b.Table
		if t == nil {
			continue
		}
		var cols []string // fields of the header's recognised cells, in order
		yuan := false
		for _, row := range t.Rows {
			cells := distinct(row)
			if fields, unit := evalHeader(cells); len(fields) >= 3 {
				cols, yuan = fields, unit
				continue
			}
			if cols == nil {
				continue
			}
			name, values := fundRow(cells)
			if name == "" || len(values) == 0 {
				if len(values) == 0 {
					cols = nil
				}
				continue
			}
			base := "project_eval.funds[" + name + "]"
			for i, c := range values {
				if i >= len(cols) {
					break
				}
				prov := &Prov{Loc: c.Loc, Quote: strings.TrimSpace(name + " " + c.Text)}
				text := strings.ReplaceAll(c.Text, ",", "")
				switch cols[i] {
				case "initial_budget", "budget", "actual":
					if yuan {
						text += "元"
					}
					if d.Set(base+"."+cols[i], text, prov) {
						placed++
					}
				case "rate":
					d.SetString(base+".rate", text, prov)
				default:
					d.Set(base+"."+cols[i], text, prov)
				}
			}
		}
	}
	return placed
}

func distinct(row []sourcedoc.Cell) []sourcedoc.Cell {
	var out []sourcedoc.Cell
	for _, c := range row {
		if !c.Merged && strings.TrimSpace(c.Text) != "" {
			out = append(out, c)
		}
	}
	return out
}

func evalHeader(cells []sourcedoc.Cell) (fields []string, yuan bool) {
	used := map[string]bool{}
	for _, c := range cells {
		text := spacesRE.ReplaceAllString(c.Text, "")
		if strings.Contains(text, "（元）") || strings.Contains(text, "(元)") {
			yuan = true
		}
		for _, col := range evalColumns {
			if !used[col.field] && col.re.MatchString(text) && !strings.Contains(text, "情况") {
				fields = append(fields, col.field)
				used[col.field] = true
				break
			}
		}
	}
	return fields, yuan
}

// fundRow splits a fund row into its name and its figures: the name is the
// last text cell before the first figure.
func fundRow(cells []sourcedoc.Cell) (string, []sourcedoc.Cell) {
	name := ""
	var values []sourcedoc.Cell
	for _, c := range cells {
		text := strings.TrimSpace(c.Text)
		if formNumberRE.MatchString(strings.ReplaceAll(text, " ", "")) {
			values = append(values, sourcedoc.Cell{Text: strings.ReplaceAll(text, " ", ""), Loc: c.Loc})
			continue
		}
		if len(values) > 0 {
			break // the reason column and what follows
		}
		name = whichRE.ReplaceAllString(text, "")
	}
	if strings.Contains(name, "分)") || strings.Contains(name, "分）") || len([]rune(name)) > 20 {
		return "", values
	}
	return name, values
}
