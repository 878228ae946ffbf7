package model

// Figure is a headline amount together with where it came from. Reports
// publish their department-wide figures in different shapes: some give
// totals, some only per fund source. Summaries and comparisons need one
// number per report, and readers must be told when that number was added up
// by us rather than printed in the source.
type Figure struct {
	Value    Decimal
	Computed bool    // the sum of several funds, not a figure of the source
	From     *Amount // the source amount when not computed
	// Funds are the funds the figure was read from, when it was not read
	// from the report's totals: the one fund, or the funds of a sum.
	// Whether it speaks for the whole department depends on them (Scopes).
	Funds []*Fund
}

// Overview is the department-wide headline of a report.
type Overview struct {
	Budget, Income, Expenditure, Basic, Project *Figure
	StatedRate                                  *Percent // the execution rate the source states
	Score, ScoreMax                             *Decimal
	Grade                                       string
}

// ExecutionRate is expenditure ÷ budget in percent to two places, computed
// exactly; ok is false when either figure is missing or the budget is zero.
func (o Overview) ExecutionRate() (Decimal, bool) {
	if o.Budget == nil || o.Expenditure == nil || o.Budget.Value.IsZero() {
		return Decimal{}, false
	}
	return Ratio(o.Expenditure.Value, o.Budget.Value, 2)
}

// BasicShare is basic ÷ (basic + project) in percent to two places.
func (o Overview) BasicShare() (Decimal, bool) {
	if o.Basic == nil || o.Project == nil {
		return Decimal{}, false
	}
	den := o.Basic.Value.Add(o.Project.Value)
	if den.IsZero() {
		return Decimal{}, false
	}
	return Ratio(o.Basic.Value, den, 2)
}

// Overview picks each headline figure from the report's totals when the
// source gives one, else from its only fund that has it, else the sum over
// the funds that have it (marked Computed). Budget, income and expenditure
// are taken from the funds only when every fund with money figures states
// them: one fund's budget set against all funds' spending would give a
// meaningless execution rate.
func (r *Report) Overview() Overview {
	var o Overview
	budget := func(f *Fund) *Amount { return f.Budget }
	income := func(f *Fund) *Amount { return f.Income }
	expenditure := func(f *Fund) *Amount { return f.Expenditure }
	o.Budget = r.pick(budget, true)
	o.Income = r.pick(income, true)
	o.Expenditure = r.pick(expenditure, true)
	o.Basic = r.pick(func(f *Fund) *Amount { return nodeAmount(f.Basic) }, false)
	o.Project = r.pick(func(f *Fund) *Amount { return nodeAmount(f.Project) }, false)
	if r.Totals != nil && r.Totals.ExecutionRate != nil {
		o.StatedRate = r.Totals.ExecutionRate
	} else if r.Totals == nil && len(r.Funds) == 1 {
		// A per-fund rate speaks for the department only when it is the
		// department's one fund.
		o.StatedRate = r.Funds[0].ExecutionRate
	}
	if r.Score != nil {
		if r.Score.Total != nil {
			v := r.Score.Total.Value
			o.Score = &v
		}
		m := MustDecimal("100")
		if r.Score.Max != nil {
			m = r.Score.Max.Value
		}
		o.ScoreMax = &m
		o.Grade = r.Score.Grade
	}
	return o
}

// pick finds one headline figure; see Overview. With needAll, a sum over
// funds is made only when no fund with money figures lacks this one.
func (r *Report) pick(get func(*Fund) *Amount, needAll bool) *Figure {
	if r.Totals != nil {
		if a := get(r.Totals); a != nil {
			return &Figure{Value: a.Value, From: a}
		}
	}
	var found []*Amount
	var from []*Fund
	for _, f := range r.Funds {
		a := get(f)
		if a == nil {
			if needAll && (f.Budget != nil || f.Income != nil || f.Expenditure != nil) {
				return nil
			}
			continue
		}
		found = append(found, a)
		from = append(from, f)
	}
	switch len(found) {
	case 0:
		return nil
	case 1:
		return &Figure{Value: found[0].Value, From: found[0], Funds: from}
	}
	sum := Decimal{}
	for _, a := range found {
		sum = sum.Add(a.Value)
	}
	return &Figure{Value: sum, Computed: true, Funds: from}
}

func nodeAmount(n *Node) *Amount {
	if n == nil {
		return nil
	}
	return n.Amount
}

// FundName is how a fund is shown: its label, else its source.
func (f *Fund) FundName() string {
	if f.Label != "" {
		return f.Label
	}
	return string(f.Source)
}
