package charts

import "disclose/internal/model"

// Row is what the comparison charts (ForYear, ForDepartment and the
// category charts) read of one report: the headline figures and their
// scopes, the “三公” totals and the names that label a bar. It holds no
// pointer into the model, so that a build can keep a row per report
// after dropping the report, and cache it between builds.
type Row struct {
	Dept     string // as comparisons name the department (its short name)
	DeptFull string // its full name, for an image's source line
	DeptID   string
	Year     int
	// Overview's figures carry their value and whether we added them up,
	// nothing else.
	Overview model.Overview
	Scopes   model.OverviewScopes
	// ThreeBudget and ThreeActual are the “三公” total's budget and actual
	// spending, in 万元; nil when not stated.
	ThreeBudget, ThreeActual *model.Decimal
}

// RowOf is r's row.
func RowOf(r *model.Report) *Row {
	o := r.Overview()
	row := &Row{Dept: deptName(r), DeptFull: deptFullName(r), Year: r.Year, Scopes: r.Scopes(o)}
	if r.Department != nil {
		row.DeptID = r.Department.ID
	}
	bare := func(f *model.Figure) *model.Figure {
		if f == nil {
			return nil
		}
		return &model.Figure{Value: f.Value, Computed: f.Computed}
	}
	row.Overview = model.Overview{
		Budget: bare(o.Budget), Income: bare(o.Income), Expenditure: bare(o.Expenditure),
		Basic: bare(o.Basic), Project: bare(o.Project),
		StatedRate: o.StatedRate, Score: o.Score, ScoreMax: o.ScoreMax, Grade: o.Grade,
	}
	if t := r.ThreePublic; t != nil && t.Total != nil {
		row.ThreeBudget, row.ThreeActual = amountOf(t.Total.Budget), amountOf(t.Total.Actual)
	}
	return row
}

// rowsOf are the rows of rs, nil ones left out.
func rowsOf(rs []*model.Report) []*Row {
	out := make([]*Row, 0, len(rs))
	for _, r := range rs {
		if r != nil {
			out = append(out, RowOf(r))
		}
	}
	return out
}
