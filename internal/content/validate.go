package content

import (
	"strconv"
	"strings"

	"disclose/internal/diag"
	"disclose/internal/model"
)

// validateReport checks shape rules that struct tags cannot express: keys
// required only in some places, and fund sources listed twice.
func validateReport(r *model.Report) []diag.Diagnostic {
	var out []diag.Diagnostic
	seen := map[string]model.Pos{}
	for _, f := range r.Funds {
		if f.Source == "" {
			out = append(out, diag.New(f.Pos, diag.MissingKey, "source", "资金来源："+strings.Join(model.FundSource("").Values(), "、")))
			continue
		}
		id := string(f.Source) + "|" + f.Label
		if prev, ok := seen[id]; ok {
			out = append(out, diag.New(f.Pos, diag.DuplicateFund, fundName(f), strconv.Itoa(prev.Line)))
			continue
		}
		seen[id] = f.Pos
	}
	var nodes func(ns []*model.Node)
	nodes = func(ns []*model.Node) {
		for _, n := range ns {
			if n.Name == "" {
				out = append(out, diag.New(n.Pos, diag.MissingKey, "name", "分项名称"))
			}
			nodes(n.Items)
			nodes(n.OfWhich)
		}
	}
	roots := func(f *model.Fund) {
		for _, n := range []*model.Node{f.Basic, f.Project} {
			if n != nil {
				nodes(n.Items)
				nodes(n.OfWhich)
			}
		}
		if f.Plan != nil {
			for _, n := range []*model.Node{f.Plan.Basic, f.Plan.Project} {
				if n != nil {
					nodes(n.Items)
					nodes(n.OfWhich)
				}
			}
		}
	}
	if r.Totals != nil {
		roots(r.Totals)
	}
	for _, f := range r.Funds {
		roots(f)
	}
	for _, p := range r.Projects {
		nodes(p.Items)
	}
	var indicators func(is []*model.Indicator, level int)
	indicators = func(is []*model.Indicator, level int) {
		for _, ind := range is {
			if level > 3 {
				out = append(out, diag.New(ind.Pos, diag.IndicatorDepth, ind.Name, strconv.Itoa(level)))
				continue
			}
			indicators(ind.Items, level+1)
		}
	}
	indicators(r.Indicators, 1)
	return out
}

func fundName(f *model.Fund) string {
	if f.Label != "" {
		return string(f.Source) + "（" + f.Label + "）"
	}
	return string(f.Source)
}
