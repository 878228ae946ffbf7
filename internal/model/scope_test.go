package model

import (
	"strings"
	"testing"
)

// TestScopes: which headline figures stand for the whole department, on
// the shapes the seed reports take (芦淞区 2022, 云溪区 2023, 大祥区 2023,
// 荆门 2022) and the plain one-fund report.
func TestScopes(t *testing.T) {
	amt := catAmount
	node := func(v string) *Node { return &Node{Amount: amt(v)} }
	type want struct {
		budget, expenditure, basic, project, shares, rate ScopeKind
		notes                                             []string // found in the notes, in order of the fields
	}
	tests := []struct {
		name string
		r    *Report
		want want
	}{
		{
			name: "totals give everything (荆门)",
			r: &Report{Totals: &Fund{Budget: amt("11605.29"), Expenditure: amt("21680.25"), Basic: node("16273.16"), Project: node("5407.09")},
				Funds: []*Fund{{Source: "财政拨款", Income: amt("4235.15")}, {Source: "其他资金", Income: amt("17240.52")}}},
		},
		{
			name: "budget only, in the totals (大祥区)",
			r:    &Report{Totals: &Fund{Budget: amt("4702.42")}},
		},
		{
			name: "one fund and nothing else",
			r:    &Report{Funds: []*Fund{{Source: "一般公共预算", Budget: amt("100"), Expenditure: amt("90"), Basic: node("30"), Project: node("60")}}},
		},
		{
			name: "funds summed, department project in the totals (芦淞区)",
			r: &Report{Totals: &Fund{Project: node("4076.11")}, Funds: []*Fund{
				{Source: "一般公共预算", Income: amt("847.68"), Expenditure: amt("847.68"), Basic: node("238.13"), Project: node("609.55")},
				{Source: "政府性基金预算", Budget: amt("0"), Income: amt("40.39"), Expenditure: amt("40.39"), Project: node("40.39")},
			}},
			want: want{expenditure: ScopePartial, basic: ScopeFund, shares: ScopeMixed,
				notes: []string{"一般公共预算、政府性基金预算的数字相加", "小于原文所列部门项目支出4,076.11万元", "只含一般公共预算", "基本支出（单一资金来源）和项目支出（部门合计）"}},
		},
		{
			name: "every figure summed over funds (云溪区)",
			r: &Report{Funds: []*Fund{
				{Source: "一般公共预算", Expenditure: amt("4308.49"), Basic: node("603.69"), Project: node("3704.8")},
				{Source: "政府性基金预算", Expenditure: amt("254.65"), Project: node("254.65")},
			}},
			want: want{expenditure: ScopeSum, basic: ScopeFund, project: ScopeSum, shares: ScopeMixed,
				notes: []string{"本站将一般公共预算、政府性基金预算的数字相加所得", "只含一般公共预算"}},
		},
		{
			name: "budget and spending of one fund beside another fund's income",
			r: &Report{Funds: []*Fund{
				{Source: "一般公共预算", Budget: amt("100"), Expenditure: amt("90")},
				{Source: "其他资金", Income: amt("5")},
			}},
			// The other fund has money but no budget: pick gives none.
			want: want{},
		},
		{
			name: "one fund's spending beside the totals' income",
			r: &Report{Totals: &Fund{Income: amt("200")}, Funds: []*Fund{
				{Source: "财政拨款", Budget: amt("100"), Expenditure: amt("90")},
			}},
			want: want{budget: ScopeFund, expenditure: ScopeFund, rate: ScopeMixed, notes: []string{"只含财政拨款", "只含财政拨款", "支出（单一资金来源）和预算（单一资金来源）"}},
		},
		{
			name: "spending smaller than the department's basic spending",
			r:    &Report{Totals: &Fund{Expenditure: amt("50"), Basic: node("60")}},
			want: want{expenditure: ScopePartial, notes: []string{"小于原文所列部门基本支出60万元"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.r.Overview()
			s := tt.r.Scopes(o)
			got := want{s.Budget.Kind, s.Expenditure.Kind, s.Basic.Kind, s.Project.Kind, s.Shares.Kind, s.Rate.Kind, nil}
			w := tt.want
			w.notes = nil
			if got.budget != w.budget || got.expenditure != w.expenditure || got.basic != w.basic ||
				got.project != w.project || got.shares != w.shares || got.rate != w.rate {
				t.Errorf("kinds %+v, want %+v", got, w)
			}
			var notes []string
			for _, sc := range []Scope{s.Budget, s.Expenditure, s.Basic, s.Project, s.Shares, s.Rate} {
				if sc.Like() != (sc.Note == "") {
					t.Errorf("%+v: a note goes with, and only with, another scope", sc)
				}
				if sc.Note != "" {
					notes = append(notes, sc.Note)
				}
			}
			all := strings.Join(notes, "|")
			for _, n := range tt.want.notes {
				i := strings.Index(all, n)
				if i < 0 {
					t.Errorf("notes %q lack %q", all, n)
					continue
				}
				all = all[i+len(n):]
			}
		})
	}
}
