package model

import "strings"

// ScopeKind says whether a headline figure can stand beside another
// department's figure of the same name. Reports publish their figures in
// different shapes (see Overview): a number under 支出合计 may be the whole
// department's spending, one fund's, or a sum we made, and only the first
// means the same thing from one report to the next.
type ScopeKind int

const (
	ScopeWhole   ScopeKind = iota // the department's own figure, as published
	ScopeFund                     // one fund's figure, where the report states other money too
	ScopeSum                      // added up by the site over funds, not a figure of the source
	ScopePartial                  // smaller than a department-wide part the same report states
	ScopeMixed                    // a ratio of figures that are not both department-wide
)

// Scope is a figure's scope and, when it is not the department's whole
// figure, why not.
type Scope struct {
	Kind ScopeKind
	// Note completes “<部门>的<栏目>……” for readers, e.g. “只含一般公共预算，
	// 原文另列其他资金来源”. Empty for ScopeWhole.
	Note string
}

// Like reports whether the figure can be set beside other departments'.
func (s Scope) Like() bool { return s.Kind == ScopeWhole }

// OverviewScopes are the scopes of an Overview's figures and of the ratios
// the site computes from them.
type OverviewScopes struct {
	Budget, Expenditure, Basic, Project Scope
	Shares                              Scope // basic and project as shares of their sum
	Rate                                Scope // the computed execution rate, expenditure ÷ budget
}

// Scopes tells, for each figure of o (r.Overview()), whether it is the
// department's own. A figure read from the totals is; one read from a
// single fund is not when the report states money of another fund or in
// its totals; a sum over funds never is, being ours. Spending smaller than
// a department-wide part of it (芦淞区: 888.07 of funds beside a project
// spending of 4076.11) is partial whatever its source.
func (r *Report) Scopes(o Overview) OverviewScopes {
	s := OverviewScopes{
		Budget:      r.figureScope(o.Budget),
		Expenditure: r.figureScope(o.Expenditure),
		Basic:       r.figureScope(o.Basic),
		Project:     r.figureScope(o.Project),
	}
	if o.Expenditure != nil {
		for _, part := range []struct {
			name string
			f    *Figure
			s    Scope
		}{{"基本支出", o.Basic, s.Basic}, {"项目支出", o.Project, s.Project}} {
			if part.f == nil || !part.s.Like() || part.f.Value.Cmp(o.Expenditure.Value) <= 0 {
				continue
			}
			note := "小于原文所列部门" + part.name + part.f.Value.Grouped() + "万元，不是部门全部支出"
			if s.Expenditure.Note != "" {
				note = s.Expenditure.Note + "；" + note
			}
			s.Expenditure = Scope{Kind: ScopePartial, Note: note}
			break
		}
	}
	s.Shares = ratioScope("基本支出", s.Basic, "项目支出", s.Project, o.Basic != nil && o.Project != nil)
	s.Rate = ratioScope("支出", s.Expenditure, "预算", s.Budget, o.Budget != nil && o.Expenditure != nil)
	return s
}

func (r *Report) figureScope(f *Figure) Scope {
	if f == nil || len(f.Funds) == 0 {
		return Scope{}
	}
	if f.Computed {
		return Scope{Kind: ScopeSum, Note: "是本站将" + fundNames(f.Funds) + "的数字相加所得，原文未给出部门合计"}
	}
	if r.otherMoney(f.Funds[0]) {
		return Scope{Kind: ScopeFund, Note: "只含" + f.Funds[0].FundName() + "，原文另列其他资金来源"}
	}
	return Scope{}
}

// ratioScope is the scope of a ratio of figures a and b; ok says both are
// there (else there is no ratio to mark).
func ratioScope(aName string, a Scope, bName string, b Scope, ok bool) Scope {
	if !ok || a.Like() && b.Like() {
		return Scope{}
	}
	return Scope{Kind: ScopeMixed, Note: "由" + aName + "（" + scopeShort(a) + "）和" + bName + "（" + scopeShort(b) + "）算得"}
}

func scopeShort(s Scope) string {
	switch s.Kind {
	case ScopeFund:
		return "单一资金来源"
	case ScopeSum:
		return "本站相加"
	case ScopePartial:
		return "不全"
	}
	return "部门合计"
}

// otherMoney reports whether r states money outside fund f: in its totals
// or in another fund.
func (r *Report) otherMoney(f *Fund) bool {
	hasMoney := func(g *Fund) bool {
		return g != nil && (g.Budget != nil || g.Income != nil || g.Expenditure != nil ||
			nodeAmount(g.Basic) != nil || nodeAmount(g.Project) != nil)
	}
	if r.Totals != f && hasMoney(r.Totals) {
		return true
	}
	for _, g := range r.Funds {
		if g != f && hasMoney(g) {
			return true
		}
	}
	return false
}

func fundNames(fs []*Fund) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.FundName()
	}
	return strings.Join(names, "、")
}
