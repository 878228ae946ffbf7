package tables

import (
	"slices"
	"strconv"
	"strings"

	"disclose/internal/diag"
	"disclose/internal/model"
)

// Check reads a report's tables against its profile: cells that are not
// numbers, tables and columns the profile does not know, the column sums
// of every row, named-row sums, and code trees.
func Check(r *model.Report) []diag.Diagnostic {
	if len(r.Tables) == 0 {
		return nil
	}
	var out []diag.Diagnostic
	var p *Profile
	if r.Profile != "" {
		var ok bool
		if p, ok = Lookup(r.Profile); !ok {
			ids := []string{}
			all, _ := Profiles()
			for _, q := range all {
				ids = append(ids, q.ID)
			}
			out = append(out, diag.New(r.Pos, diag.UnknownProfile, r.Profile, strings.Join(ids, "、")))
		}
	} else {
		p = ProfileOf(r)
	}
	for _, t := range r.Tables {
		c := &tableCheck{t: t, out: &out}
		c.cells()
		if p == nil {
			continue
		}
		spec := p.Find(t.Name)
		if spec == nil {
			out = append(out, diag.New(t.Pos, diag.TableUnknown, t.Name, p.Name, strings.Join(p.Names(), "、")))
			continue
		}
		c.spec = spec
		c.columns()
		if t.Partial {
			// A cut-off table lacks rows its sums need.
			continue
		}
		for _, s := range spec.Sums {
			eq, _ := parseEquation(s)
			c.sum(eq)
		}
		for _, s := range spec.Rows {
			eq, _ := parseEquation(s)
			c.rowSum(eq)
		}
		if spec.Codes {
			c.tree()
		}
	}
	return out
}

type tableCheck struct {
	t    *model.Table
	spec *Spec
	out  *[]diag.Diagnostic
}

func (c *tableCheck) add(d diag.Diagnostic) { *c.out = append(*c.out, d) }

func (c *tableCheck) label() string {
	if c.t.Number != "" {
		return c.t.Number + "“" + c.t.Name + "”"
	}
	return "“" + c.t.Name + "”"
}

// cells reports cells that are not numbers and rows with more cells than
// the table has columns.
func (c *tableCheck) cells() {
	unit := c.t.Unit
	if unit == "" {
		unit = model.UnitWan
	}
	for _, row := range c.t.Rows {
		if len(row.Cells) > len(c.t.Columns) {
			c.add(diag.New(row.Pos, diag.TableCell, c.label(), row.Name, strconv.Itoa(len(row.Cells))+" 个数", "最多 "+strconv.Itoa(len(c.t.Columns))+" 个（共 "+strconv.Itoa(len(c.t.Columns))+" 列）"))
			continue
		}
		for i, s := range row.Cells {
			s = strings.TrimSpace(s)
			if s == "" || s == "-" || s == "—" {
				continue
			}
			if _, _, err := model.ParseMoney(s + string(unit)); err != nil {
				c.add(diag.New(row.Pos, diag.TableCell, c.label(), row.Name, "“"+s+"”（"+c.t.Columns[i]+"）", "数字"))
			}
		}
	}
}

// columns warns about a column the profile's table does not have: its
// sums cannot be checked, and the name is often a typo.
func (c *tableCheck) columns() {
	if len(c.spec.Columns) == 0 {
		return
	}
	for _, col := range c.t.Columns {
		if c.spec.column(col) < 0 {
			c.add(diag.New(c.t.Pos, diag.TableColumns, c.label(), col, strings.Join(c.spec.Columns, "、")))
		}
	}
}

func (s *Spec) column(name string) int {
	for i, c := range s.Columns {
		if normColumn(c) == normColumn(name) {
			return i
		}
	}
	return -1
}

// index is the position of the profile's column name in the table.
func (c *tableCheck) index(name string) int {
	for i, col := range c.t.Columns {
		if normColumn(col) == normColumn(name) {
			return i
		}
	}
	return -1
}

// sum checks a column equation in every row that states all its cells.
func (c *tableCheck) sum(eq equation) {
	li := c.index(eq.left)
	if li < 0 {
		return
	}
	idx := make([]int, len(eq.terms))
	for i, tm := range eq.terms {
		if idx[i] = c.index(tm.name); idx[i] < 0 {
			return
		}
	}
	for _, row := range c.t.Rows {
		total, ok := c.t.Cell(row, li)
		if !ok || c.unreadable(row) {
			continue
		}
		var parts []model.Decimal
		for i, tm := range eq.terms {
			// A blank cell in these tables means zero: 经营收入 of a
			// department that has none is left empty.
			a, _ := c.t.Cell(row, idx[i])
			v := a.Value
			if tm.neg {
				v = v.Neg()
			}
			parts = append(parts, v)
		}
		if gap, bad := off(total.Value, parts); bad {
			c.add(c.mismatch(row, eq.left, total, parts, gap, describe(eq)))
		}
	}
}

// unreadable rows (a cell that is not a number, too many cells) are
// reported by cells and left out of the sums: a zero in their place would
// add a second, wrong warning.
func (c *tableCheck) unreadable(row *model.TableRow) bool {
	if len(row.Cells) > len(c.t.Columns) {
		return true
	}
	for i, s := range row.Cells {
		if s = strings.TrimSpace(s); s != "" && s != "-" && s != "—" {
			if _, ok := c.t.Cell(row, i); !ok {
				return true
			}
		}
	}
	return false
}

// rowSum checks a row equation in every column.
func (c *tableCheck) rowSum(eq equation) {
	find := func(name string) *model.TableRow {
		for _, r := range c.t.Rows {
			if normColumn(r.Name) == normColumn(name) {
				return r
			}
		}
		return nil
	}
	left := find(eq.left)
	if left == nil {
		return
	}
	rows := make([]*model.TableRow, len(eq.terms))
	neg := make([]bool, len(eq.terms))
	for i, tm := range eq.terms {
		if rows[i] = find(tm.name); rows[i] == nil {
			return
		}
		neg[i] = tm.neg
	}
	c.rowsAddUp(left, rows, neg, describe(eq))
}

// rowsAddUp checks, in every column, that total is the sum of parts (each
// subtracted where neg says so); what names the sum in the warning. Rows
// with unreadable cells are left to the cell check.
func (c *tableCheck) rowsAddUp(total *model.TableRow, parts []*model.TableRow, neg []bool, what string) {
	if c.unreadable(total) || slices.ContainsFunc(parts, c.unreadable) {
		return
	}
	for col := range c.t.Columns {
		sum, ok := c.t.Cell(total, col)
		if !ok {
			continue
		}
		var vals []model.Decimal
		for i, r := range parts {
			a, _ := c.t.Cell(r, col)
			v := a.Value
			if neg != nil && neg[i] {
				v = v.Neg()
			}
			vals = append(vals, v)
		}
		if gap, bad := off(sum.Value, vals); bad {
			c.add(c.mismatch(total, c.t.Columns[col], sum, vals, gap, what))
		}
	}
}

// tree checks that each coded row is the sum of its direct children (the
// rows whose codes extend its own by one level), and that a 合计 row
// without a code is the sum of the top-level rows.
func (c *tableCheck) tree() {
	rows := c.t.Rows
	parentOf := make([]int, len(rows))
	for i, r := range rows {
		parentOf[i] = -1
		if r.Code == "" {
			continue
		}
		best := -1
		for j, q := range rows {
			if j != i && q.Code != "" && len(q.Code) < len(r.Code) && strings.HasPrefix(r.Code, q.Code) {
				if best < 0 || len(q.Code) > len(rows[best].Code) {
					best = j
				}
			}
		}
		parentOf[i] = best
	}
	var top []*model.TableRow
	var total *model.TableRow
	for i, r := range rows {
		switch {
		case r.Code == "" && strings.Contains(r.Name, "合计"):
			total = r
		case r.Code != "" && parentOf[i] < 0:
			top = append(top, r)
		}
		var kids []*model.TableRow
		for j := range rows {
			if parentOf[j] == i {
				kids = append(kids, rows[j])
			}
		}
		if len(kids) > 0 {
			c.rowsAddUp(r, kids, nil, "下级科目之和")
		}
	}
	if total != nil && len(top) > 0 {
		c.rowsAddUp(total, top, nil, "各类科目之和")
	}
}

// off reports the gap between a total and its parts when it is more than
// rounding explains (half a unit of the finest place per figure).
func off(total model.Decimal, parts []model.Decimal) (model.Decimal, bool) {
	sum := model.Sum(parts...)
	gap := total.Sub(sum)
	p := total.Places
	for _, x := range parts {
		p = max(p, x.Places)
	}
	half := model.Decimal{Places: p}.HalfUnit()
	tol := model.Decimal{Units: half.Units * int64(len(parts)+1), Places: half.Places}
	return gap, gap.Abs().Cmp(tol) > 0
}

func describe(eq equation) string {
	var b strings.Builder
	for i, t := range eq.terms {
		switch {
		case i == 0 && t.neg:
			b.WriteString("−")
		case i > 0 && t.neg:
			b.WriteString(" − ")
		case i > 0:
			b.WriteString(" + ")
		}
		b.WriteString(t.name)
	}
	return b.String()
}

func (c *tableCheck) mismatch(row *model.TableRow, column string, total model.Amount, parts []model.Decimal, gap model.Decimal, what string) diag.Diagnostic {
	sum := model.Sum(parts...)
	p := total.Value.Places
	for _, x := range parts {
		p = max(p, x.Places)
	}
	name := row.Name
	if row.Code != "" {
		name = row.Code + " " + name
	}
	d := diag.New(row.Pos, diag.TableSum, c.label(), name, column, total.Published, what, sum.Format(p), gap.Format(p))
	d.Stated, d.Computed = total.Published, sum.Format(p)
	return d
}
