package model

import "testing"

func TestOverview(t *testing.T) {
	amt := func(s string) *Amount { return &Amount{Value: MustDecimal(s)} }
	node := func(s string) *Node { return &Node{Amount: amt(s)} }
	str := func(f *Figure) string {
		if f == nil {
			return "nil"
		}
		if f.Computed {
			return f.Value.String() + "*"
		}
		return f.Value.String()
	}
	for _, tc := range []struct {
		name                         string
		r                            Report
		budget, spent, basic, projct string
		rate                         string
	}{
		{
			name:   "totals win",
			r:      Report{Totals: &Fund{Budget: amt("100"), Expenditure: amt("90")}, Funds: []*Fund{{Budget: amt("60"), Expenditure: amt("50")}}},
			budget: "100", spent: "90", basic: "nil", projct: "nil", rate: "90.00",
		},
		{
			name:   "one fund speaks for the department",
			r:      Report{Funds: []*Fund{{Budget: amt("80"), Expenditure: amt("40"), Basic: node("10"), Project: node("30")}}},
			budget: "80", spent: "40", basic: "10", projct: "30", rate: "50.00",
		},
		{
			name:   "funds are summed and marked",
			r:      Report{Funds: []*Fund{{Budget: amt("80"), Expenditure: amt("40"), Basic: node("10.5")}, {Budget: amt("20"), Expenditure: amt("10"), Project: node("10")}}},
			budget: "100*", spent: "50*", basic: "10.5", projct: "10", rate: "50.00",
		},
		{
			// One fund's budget against every fund's spending would give a
			// rate of thousands of percent.
			name:   "a budget stated for one fund of several is no department budget",
			r:      Report{Funds: []*Fund{{Expenditure: amt("4000")}, {Budget: amt("41"), Expenditure: amt("41")}}},
			budget: "nil", spent: "4041*", basic: "nil", projct: "nil", rate: "none",
		},
		{
			name:   "funds with no money figures do not count",
			r:      Report{Funds: []*Fund{{Budget: amt("10"), Expenditure: amt("5")}, {CarryOver: amt("3")}}},
			budget: "10", spent: "5", basic: "nil", projct: "nil", rate: "50.00",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.r.Overview()
			got := []string{str(o.Budget), str(o.Expenditure), str(o.Basic), str(o.Project)}
			want := []string{tc.budget, tc.spent, tc.basic, tc.projct}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("budget/spent/basic/project = %v, want %v", got, want)
					break
				}
			}
			rate := "none"
			if d, ok := o.ExecutionRate(); ok {
				rate = d.Format(2)
			}
			if rate != tc.rate {
				t.Errorf("rate %s, want %s", rate, tc.rate)
			}
		})
	}
}
