package charts

import (
	"strconv"

	"disclose/internal/model"
)

// ForCategory follows one spending category (a model.Category name such
// as 人员经费) across the given reports, in the order given; reports that
// do not list it are left out, and fewer than two give no charts.
//
//	category-amount  its amount in each report
//	category-share   its share of that report's spending (basic plus project)
func ForCategory(name string, rs []*model.Report) []Chart {
	var rows []*Row
	cats := map[*Row][]model.Category{}
	for _, r := range rs {
		if r != nil {
			row := RowOf(r)
			rows = append(rows, row)
			cats[row] = r.Categories()
		}
	}
	return ForCategoryAmounts(name, rows, func(r *Row) (sum model.Decimal, computed, found bool) {
		for _, c := range cats[r] {
			if c.Name != name {
				continue
			}
			if found {
				// The same name under basic and project spending.
				sum, computed = sum.Add(c.Amount), true
			} else {
				sum, computed, found = c.Amount, c.Computed, true
			}
		}
		return sum, computed, found
	})
}

// ForCategoryAmounts is ForCategory with each report's amount of the
// category given by amount (ok false when the report has none): for a
// category that is a class of the official classification, which reports
// name in different ways.
func ForCategoryAmounts(name string, rs []*Row, amount func(*Row) (v model.Decimal, computed, ok bool)) []Chart {
	type hit struct {
		amount   model.Decimal
		computed bool
	}
	hits := map[*Row]hit{}
	var reps []*Row
	for _, r := range rs {
		if r == nil {
			continue
		}
		if v, computed, ok := amount(r); ok {
			hits[r] = hit{v, computed}
			reps = append(reps, r)
		}
	}
	if len(reps) < 2 {
		return nil
	}
	p := perReport{reps: reps, labels: reportLabels(reps), horizontal: true, head: "报告"}
	amountOf := func(r *Row) *model.Decimal { v := hits[r].amount; return &v }
	summed := func(r *Row) bool { return hits[r].computed }
	// The share is of basic plus project spending, the whole the categories
	// divide, and not of a stated expenditure, which may have another scope
	// (芦淞区 states expenditure per fund, project spending for the whole
	// department).
	whole := func(r *Row) (model.Decimal, bool, bool) {
		o := r.Overview()
		if o.Basic != nil && o.Project != nil {
			return o.Basic.Value.Add(o.Project.Value), o.Basic.Computed || o.Project.Computed, true
		}
		if e := o.Expenditure; e != nil {
			return e.Value, e.Computed, true
		}
		return model.Decimal{}, false, false
	}
	share := func(r *Row) *model.Decimal {
		den, _, ok := whole(r)
		if !ok {
			return nil
		}
		v, ok := pct(hits[r].amount, den)
		if !ok {
			return nil
		}
		return &v
	}
	var out []Chart
	for _, s := range []*spec{
		p.make("category-amount", name+"：金额", name+"的金额", wan, nil, []measure[*Row]{
			{name: "金额", color: palette[0], get: amountOf, computed: summed},
		}),
		p.make("category-share", name+"：占支出的比例", name+"占当年基本支出与项目支出合计的比例", "%", nil, []measure[*Row]{{
			name: "占比", color: palette[1], get: share,
			computed: func(r *Row) bool { _, c, _ := whole(r); return c || summed(r) },
			note:     "按各资金来源相加的金额计算",
		}}),
	} {
		if s != nil {
			out = append(out, s.chart())
		}
	}
	return sourced(out, categoryScope(reps), "各部门公开的报告")
}

// reportLabels names reports as briefly as tells them apart: the year when
// all are of one department, the department when all are of one year.
func reportLabels(rs []*Row) []string {
	sameDept, sameYear := true, true
	for _, r := range rs[1:] {
		sameDept = sameDept && r.DeptID == rs[0].DeptID
		sameYear = sameYear && r.Year == rs[0].Year
	}
	var out []string
	for _, r := range rs {
		switch {
		case sameDept:
			out = append(out, yearText(r.Year))
		case sameYear:
			out = append(out, r.Dept)
		default:
			out = append(out, r.Dept+" "+yearText(r.Year))
		}
	}
	return out
}

// categoryScope says which reports a category comparison sets side by
// side, for an image's subtitle: the department or the year they share.
func categoryScope(rs []*Row) string {
	depts, years := map[string]bool{}, map[int]bool{}
	for _, r := range rs {
		depts[r.Dept] = true
		years[r.Year] = true
	}
	switch {
	case len(depts) == 1:
		return rs[0].DeptFull + " " + strconv.Itoa(len(years)) + "个年度"
	case len(years) == 1:
		return yearText(rs[0].Year) + "，" + strconv.Itoa(len(depts)) + "个部门"
	}
	return strconv.Itoa(len(depts)) + "个部门的" + strconv.Itoa(len(rs)) + "份报告"
}
