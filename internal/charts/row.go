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
	// Head is the report's headline figures (Overview gives them as the
	// model does).
	Head Headline
	// Scopes are the headline's scopes; nil when every figure is the
	// department's whole figure, as most are.
	Scopes *model.OverviewScopes
	// ThreeBudget and ThreeActual are the “三公” total's budget and actual
	// spending, in 万元; nil when not stated.
	ThreeBudget, ThreeActual *model.Decimal
}

// Headline is a report's model.Overview by value: its figures' values and
// whether we added them up, nothing else. A build keeps a row for every
// report until the site-wide pages are written; the overview's pointers
// made the row half as large again.
type Headline struct {
	Budget, Income, Expenditure, Basic, Project Value
	StatedRate, Score, ScoreMax                 Value // Computed unused
	Grade                                       string
}

// Value is a figure of a Headline; Set is false when the report has none.
type Value struct {
	Value         model.Decimal
	Set, Computed bool
}

func figureOf(f *model.Figure) Value {
	if f == nil {
		return Value{}
	}
	return Value{Value: f.Value, Set: true, Computed: f.Computed}
}

func decimalOf(d *model.Decimal) Value {
	if d == nil {
		return Value{}
	}
	return Value{Value: *d, Set: true}
}

func (v Value) figure() *model.Figure {
	if !v.Set {
		return nil
	}
	return &model.Figure{Value: v.Value, Computed: v.Computed}
}

func (v Value) decimal() *model.Decimal {
	if !v.Set {
		return nil
	}
	d := v.Value
	return &d
}

// scopes are the headline's scopes.
func (r *Row) scopes() model.OverviewScopes {
	if r.Scopes == nil {
		return model.OverviewScopes{}
	}
	return *r.Scopes
}

// Overview is the row's headline as the model gives it, in new memory.
func (r *Row) Overview() model.Overview {
	h := r.Head
	o := model.Overview{
		Budget: h.Budget.figure(), Income: h.Income.figure(), Expenditure: h.Expenditure.figure(),
		Basic: h.Basic.figure(), Project: h.Project.figure(),
		Score: h.Score.decimal(), ScoreMax: h.ScoreMax.decimal(), Grade: h.Grade,
	}
	if h.StatedRate.Set {
		o.StatedRate = &model.Percent{Value: h.StatedRate.Value}
	}
	return o
}

// RowOf is r's row.
func RowOf(r *model.Report) *Row {
	o := r.Overview()
	row := &Row{Dept: deptName(r), DeptFull: deptFullName(r), Year: r.Year}
	if sc := r.Scopes(o); sc != (model.OverviewScopes{}) {
		row.Scopes = &sc
	}
	if r.Department != nil {
		row.DeptID = r.Department.ID
	}
	row.Head = Headline{
		Budget: figureOf(o.Budget), Income: figureOf(o.Income), Expenditure: figureOf(o.Expenditure),
		Basic: figureOf(o.Basic), Project: figureOf(o.Project),
		Score: decimalOf(o.Score), ScoreMax: decimalOf(o.ScoreMax), Grade: o.Grade,
	}
	if o.StatedRate != nil {
		row.Head.StatedRate = decimalOf(&o.StatedRate.Value)
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
