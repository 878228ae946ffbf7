package model

import "slices"

// Category kinds: the two halves every report splits its spending into.
const (
	KindBasic   = "basic"   // 基本支出
	KindProject = "project" // 项目支出
)

// Category is one first-level item of basic or project spending (人员经费,
// 社会救助支出 …), the unit readers compare across departments and years.
type Category struct {
	Kind     string // KindBasic or KindProject
	Name     string
	Amount   Decimal
	Computed bool   // summed by us over several items (usually several funds); not a figure printed in the source
	Code     string // the classification code the source gives the item (301, 2080201), if any
}

// Categories lists the first-level items of basic and project spending,
// basic first, each kind in order of first appearance.
//
// A kind is taken from the department totals when the totals break it down,
// because a report that does so (芦淞区) gives its department-wide figures
// there and only partial ones per fund. Otherwise the funds' items of that
// kind are merged by name, so that 社会救助支出 paid from two fund sources
// is one category; the sum is then marked Computed. Items without an amount
// are left out: there is nothing to compare.
func (r *Report) Categories() []Category {
	var out []Category
	for _, kind := range []string{KindBasic, KindProject} {
		var nodes []*Node
		for _, f := range r.KindSources(kind) {
			nodes = append(nodes, f.KindNode(kind))
		}
		out = append(out, mergeItems(kind, nodes)...)
	}
	return out
}

// KindSources returns where a kind of spending is read from: the totals
// (r.Totals itself) when its node of that kind has a breakdown, else every
// fund that has a node of that kind. The totals without a breakdown are
// returned only when no fund has such a node, so that a department-wide
// figure is not lost. Every returned fund has a non-nil KindNode(kind).
func (r *Report) KindSources(kind string) []*Fund {
	totals := r.Totals.KindNode(kind)
	if totals != nil && len(totals.Items) > 0 {
		return []*Fund{r.Totals}
	}
	var fs []*Fund
	for _, f := range r.Funds {
		if f.KindNode(kind) != nil {
			fs = append(fs, f)
		}
	}
	if len(fs) == 0 && totals != nil {
		return []*Fund{r.Totals}
	}
	return fs
}

// KindNode is the fund's basic or project node (nil when absent or when kind
// is unknown).
func (f *Fund) KindNode(kind string) *Node {
	if f == nil {
		return nil
	}
	switch kind {
	case KindBasic:
		return f.Basic
	case KindProject:
		return f.Project
	}
	return nil
}

// KindTitle is the reader-facing name of a kind.
func KindTitle(kind string) string {
	switch kind {
	case KindBasic:
		return "基本支出"
	case KindProject:
		return "项目支出"
	}
	return kind
}

func mergeItems(kind string, nodes []*Node) []Category {
	var out []Category
	index := map[string]int{}
	for _, n := range nodes {
		for _, it := range n.Items {
			if it == nil || it.Amount == nil {
				continue
			}
			if i, ok := index[it.Name]; ok {
				out[i].Amount = out[i].Amount.Add(it.Amount.Value)
				out[i].Computed = true
				continue
			}
			index[it.Name] = len(out)
			out = append(out, Category{Kind: kind, Name: it.Name, Amount: it.Amount.Value, Code: it.Code})
		}
	}
	return out
}

// CategoryGroup is one spending category (kind and name as published)
// with the reports that list it.
type CategoryGroup struct {
	Kind, Name string
	Reports    []*Report
}

// SharedCategories groups the reports' categories by kind and name, and
// keeps those that at least two reports list: the ones worth comparing.
// Basic spending comes first, then the categories most reports share;
// ties keep the order of first appearance. categories gives a report's
// categories (Report.Categories, or a cache of it).
func SharedCategories(reports []*Report, categories func(*Report) []Category) []CategoryGroup {
	type key struct{ kind, name string }
	index := map[key]int{}
	var out []CategoryGroup
	for _, r := range reports {
		var seen []key
		for _, c := range categories(r) {
			k := key{c.Kind, c.Name}
			if slices.Contains(seen, k) {
				continue
			}
			seen = append(seen, k)
			i, ok := index[k]
			if !ok {
				i = len(out)
				index[k] = i
				out = append(out, CategoryGroup{Kind: k.kind, Name: k.name})
			}
			out[i].Reports = append(out[i].Reports, r)
		}
	}
	out = slices.DeleteFunc(out, func(g CategoryGroup) bool { return len(g.Reports) < 2 })
	slices.SortStableFunc(out, func(a, b CategoryGroup) int {
		if a.Kind != b.Kind {
			if a.Kind == KindBasic {
				return -1
			}
			return 1
		}
		return len(b.Reports) - len(a.Reports)
	})
	return out
}
