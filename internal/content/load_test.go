package content_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/model"
	"disclose/internal/seedset"
)

// reportFile is the name of a report file: <year>.yaml or <year>-<name>.yaml.
var reportFile = regexp.MustCompile(`^([0-9]{4}(?:-[a-z0-9]+)*)\.ya?ml$`)

// loadShipped loads all of content/ and fails on any error.
func loadShipped(t *testing.T) *model.Site {
	t.Helper()
	site, ds := content.Load(os.DirFS("../../content"), "content")
	for _, d := range ds {
		if d.Severity == diag.Error {
			t.Errorf("%s: %s", d.Location(), d.Message(diag.En))
		}
	}
	if site == nil {
		t.Fatal("no site")
	}
	return site
}

// All of content/ loads without errors: every department directory is a
// department, and every report file on disk is one of its reports, under
// the key its file name gives.
func TestLoadContent(t *testing.T) {
	site := loadShipped(t)
	entries, err := os.ReadDir("../../content")
	if err != nil {
		t.Fatal(err)
	}
	onDisk := map[string][]string{} // department → report keys, as on disk
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), "_") {
			continue
		}
		files, err := os.ReadDir(filepath.Join("../../content", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		keys := []string{}
		for _, f := range files {
			if m := reportFile.FindStringSubmatch(f.Name()); m != nil && !f.IsDir() {
				keys = append(keys, m[1])
			}
		}
		slices.Sort(keys)
		onDisk[e.Name()] = keys
	}
	if len(site.Departments) != len(onDisk) {
		t.Errorf("got %d departments, want the %d directories of content/", len(site.Departments), len(onDisk))
	}
	reports := 0
	for _, d := range site.Departments {
		want, ok := onDisk[d.ID]
		if !ok {
			t.Errorf("department %s has no directory", d.ID)
			continue
		}
		got := []string{}
		for _, r := range d.Reports {
			got = append(got, r.Key())
			if r.Department != d {
				t.Errorf("%s %s does not point at its department", d.ID, r.Key())
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: reports %v, want the files %v", d.ID, got, want)
		}
		reports += len(d.Reports)
	}
	if reports == 0 {
		t.Error("content/ has no reports")
	}
}

// The seed departments load with their one report each and hold their
// figures exactly as published.
func TestLoadSeedContent(t *testing.T) {
	site := loadShipped(t)
	byID := map[string]*model.Department{}
	for _, d := range site.Departments {
		if slices.Contains(seedset.IDs, d.ID) {
			byID[d.ID] = d
		}
	}
	if len(byID) != len(seedset.IDs) {
		t.Fatalf("got %d of the %d seed departments", len(byID), len(seedset.IDs))
	}
	for _, d := range byID {
		if len(d.Reports) != 1 {
			t.Errorf("%s has %d reports", d.ID, len(d.Reports))
		}
		for _, r := range d.Reports {
			if r.DocKind() != model.KindSelfEval {
				t.Errorf("%s %s is a %s, want a self-evaluation report", d.ID, r.Key(), r.DocKind())
			}
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
