package site

import (
	"fmt"
	"slices"
	"testing"

	"disclose/internal/diag"
	"disclose/internal/model"
)

// TestDeptChecks: looked up one by one or grouped all at once, every
// department gets exactly the diagnostics of its own files.
func TestDeptChecks(t *testing.T) {
	m := &model.Site{}
	var diags []diag.Diagnostic
	want := map[string][]diag.Diagnostic{}
	for i := range scanLimit + 5 {
		id := fmt.Sprintf("dept-%d", i)
		// One department's name is a prefix of another's: dept-1, dept-10.
		file := "content/" + id + "/2023.yaml"
		d := &model.Department{ID: id}
		d.Reports = []*model.Report{{Department: d, Year: 2023, Files: []string{file}}}
		m.Departments = append(m.Departments, d)
		for j := range i % 3 {
			dg := diag.New(model.Pos{File: file, Line: j + 1}, diag.SumMismatch)
			diags = append(diags, dg)
			want[id] = append(want[id], dg)
		}
	}
	diags = append(diags, diag.New(model.Pos{File: "content/site.yaml", Line: 1}, diag.UnknownKey))
	s := &Site{checks: &deptChecks{m: m, diags: diags, byDept: map[string][]diag.Diagnostic{}}}
	for round := range 2 { // the second round is answered from the grouping
		for _, d := range m.Departments {
			got := s.checksOf(d.Reports[0])
			if !slices.EqualFunc(got, want[d.ID], func(a, b diag.Diagnostic) bool { return a.Pos == b.Pos }) {
				t.Errorf("round %d, %s: %d diagnostics, want %d", round, d.ID, len(got), len(want[d.ID]))
			}
		}
	}
	if !s.checks.all {
		t.Error("many departments never switched to grouping")
	}
}
