package content_test

import (
	"os"
	"strings"
	"testing"

	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/model"
)

// The shipped content loads without errors and holds the seeds' figures
// exactly as published.
func TestLoadSeedContent(t *testing.T) {
	site, ds := content.Load(os.DirFS("../../content"), "content")
	for _, d := range ds {
		if d.Severity == diag.Error {
			t.Errorf("%s: %s", d.Location(), d.Message(diag.En))
		}
	}
	if len(site.Departments) != 5 {
		t.Fatalf("got %d departments, want 5", len(site.Departments))
	}
	byID := map[string]*model.Department{}
	for _, d := range site.Departments {
		byID[d.ID] = d
		if len(d.Reports) != 1 {
			t.Errorf("%s has %d reports", d.ID, len(d.Reports))
		}
	}
	tests := []struct {
		dept string
		year int
		get  func(r *model.Report) string
		want string
	}{
		{"hunan-yueyang-yunxi-minzheng", 2023, func(r *model.Report) string { return r.Funds[0].Expenditure.Value.String() }, "4308.49"},
		{"hunan-yueyang-yunxi-minzheng", 2023, func(r *model.Report) string { return r.Score.Total.Value.String() }, "97.35"},
		{"hunan-shaoyang-daxiang-minzheng", 2023, func(r *model.Report) string {
			for _, p := range r.Projects {
				if p.Paid != nil && p.Paid.Value.Places == 4 {
					return p.Paid.Value.String()
				}
			}
			return ""
		}, "3176.4889"},
		{"hubei-jingmen-minzheng", 2022, func(r *model.Report) string { return r.Totals.Budget.Value.String() }, "11605.29"},
		{"hunan-zhuzhou-lusong-minzheng", 2022, func(r *model.Report) string { return r.Totals.Project.ExecutionRate.Value.String() }, "84.69"},
		{"hunan-xiangtan-minzheng", 2024, func(r *model.Report) string { return r.Funds[0].Expenditure.Erratum.Published }, "3229.37 元"},
	}
	for _, tt := range tests {
		d := byID[tt.dept]
		if d == nil {
			t.Errorf("department %s missing", tt.dept)
			continue
		}
		var r *model.Report
		for _, x := range d.Reports {
			if x.Year == tt.year {
				r = x
			}
		}
		if r == nil {
			t.Errorf("%s %d missing", tt.dept, tt.year)
			continue
		}
		if got := tt.get(r); got != tt.want {
			t.Errorf("%s %d: got %s, want %s", tt.dept, tt.year, got, tt.want)
		}
	}
	// Narrative kept in .md files is read into the model.
	r := byID["hunan-yueyang-yunxi-minzheng"].Reports[0]
	if !strings.Contains(r.Narrative.Problems, "基本支出预算不足") || len(r.Sections) == 0 {
		t.Errorf("narrative sections not loaded: %d files", len(r.Sections))
	}
	if byID["hunan-xiangtan-minzheng"].Duties == "" {
		t.Error("duties.md not loaded")
	}
}

func TestSuggest(t *testing.T) {
	keys, _ := content.Fields(content.ReportType())
	for in, want := range map[string]string{"titel": "title", "yaer": "year", "fund": "funds", "xyzzy": "", "narative": "narrative"} {
		if got := content.Suggest(in, keys); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}
