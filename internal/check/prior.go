package check

import (
	"disclose/internal/diag"
	"disclose/internal/model"
)

// priorYears compares the prior-year figures a report states with the
// department's report of the same kind for that year, when content/ has
// both. Only like for like: a 决算's prior year against the previous 决算,
// a 三公 actual against the previous year's 三公 actual.
func priorYears(d *model.Department) []diag.Diagnostic {
	c := &checker{}
	byKey := map[kindYear][]*model.Report{}
	for _, r := range d.Reports {
		k := kindYear{r.DocKind(), r.Year}
		byKey[k] = append(byKey[k], r)
	}
	for _, r := range d.Reports {
		prevs := byKey[kindYear{r.DocKind(), r.Year - 1}]
		if len(prevs) != 1 {
			// Several documents of one kind (project forms) have no single
			// previous one to compare with.
			continue
		}
		prev := prevs[0]
		where := prev.Files[0]
		if t, p := r.ThreePublic, prev.ThreePublic; t != nil && p != nil {
			for _, it := range []struct {
				name    string
				now, pr *model.BudgetActual
			}{
				{"“三公”经费合计", t.Total, p.Total}, {"因公出国（境）费", t.Outbound, p.Outbound},
				{"公务用车购置费", t.VehiclePurchase, p.VehiclePurchase}, {"公务用车运行维护费", t.VehicleOperation, p.VehicleOperation},
				{"公务接待费", t.Reception, p.Reception},
			} {
				if it.now != nil && it.pr != nil && it.now.Prior != nil && it.pr.Actual != nil {
					c.priorOf(it.name, it.now.Prior, it.pr.Actual, where)
				}
			}
		}
		if a, p := r.Accounts, prev.Accounts; a != nil && p != nil {
			for _, t := range []struct {
				name    string
				now, pr *model.Node
			}{
				{"收入总计", a.Income, p.Income}, {"支出总计", a.Expenditure, p.Expenditure},
				{"财政拨款支出", a.Fiscal, p.Fiscal}, {"一般公共预算财政拨款支出", a.Functional, p.Functional},
				{"基本支出（经济分类）", a.Economic, p.Economic}, {"机关运行经费", a.Operating, p.Operating},
			} {
				c.priorTree(t.name, t.now, t.pr, where)
			}
		}
	}
	return c.out
}

type kindYear struct {
	kind model.DocKind
	year int
}

// priorTree pairs nodes by name (and code) down both trees.
func (c *checker) priorTree(label string, now, prev *model.Node, where string) {
	if now == nil || prev == nil {
		return
	}
	if now.Prior != nil && prev.Amount != nil {
		c.priorOf(label, now.Prior, prev.Amount, where)
	}
	for _, k := range append(append([]*model.Node{}, now.Items...), now.OfWhich...) {
		for _, pk := range append(append([]*model.Node{}, prev.Items...), prev.OfWhich...) {
			if k.Name != "" && k.Name == pk.Name && k.Code == pk.Code {
				c.priorTree(label+" › "+k.Name, k, pk, where)
				break
			}
		}
	}
}

func (c *checker) priorOf(label string, stated, actual *model.Amount, where string) {
	if stated.Value.Sub(actual.Value).Abs().Cmp(tolerance(stated.Value, actual.Value)) <= 0 {
		return
	}
	d := diag.New(stated.Pos, diag.PriorYear, label, showMoney(stated), where, showMoney(actual))
	d.Stated, d.Computed = showMoney(stated), showMoney(actual)
	c.add(d)
}
