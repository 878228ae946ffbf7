package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"disclose/internal/gen"
)

// searchFile decodes one part of the search index: prefix, a JSON array
// of entries, ";\n".
func searchFile(t *testing.T, files map[string][]byte, p, prefix string) []searchEntry {
	t.Helper()
	b, ok := files[p]
	if !ok {
		t.Fatalf("no %s", p)
	}
	if !bytes.HasPrefix(b, []byte(prefix)) || !bytes.HasSuffix(b, []byte("];\n")) {
		t.Fatalf("%s: starts %q, ends %q", p, b[:min(80, len(b))], b[max(0, len(b)-10):])
	}
	var entries []searchEntry
	if err := json.Unmarshal(bytes.TrimSuffix(bytes.TrimPrefix(b, []byte(prefix)), []byte(";\n")), &entries); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return entries
}

func isSearchFile(f File) bool {
	return f.Path == searchIndexPath || strings.HasPrefix(f.Path, "assets/search/")
}

// TestSearchIndexSplitsByYear: each year's reports and comparison pages go
// to that year's script, with their text; the common script names every
// department (a one-report department by its report, without the text),
// the category pages and the glossary. Every entry's page exists, and no
// page is in two parts but a one-report department's report.
func TestSearchIndexSplitsByYear(t *testing.T) {
	l := genTree(t, gen.Options{Departments: 12, Years: 3, Seed: 3})
	files, list := renderSome(t, l, Options{PageSize: 4}, nil)
	years := map[int]bool{}
	for _, d := range l.m.Departments {
		for _, r := range d.Reports {
			years[r.Year] = true
		}
	}
	var parts []string
	for _, f := range list {
		if isSearchFile(f) {
			parts = append(parts, f.Path)
			if f.Scope.Kind != AllScope || f.Slow {
				t.Errorf("%s: scope %+v, slow %v", f.Path, f.Scope, f.Slow)
			}
		}
	}
	want := []string{searchIndexPath}
	for _, y := range slices.Backward(slices.Sorted(maps.Keys(years))) {
		want = append(want, searchYearPath(y))
	}
	if !slices.Equal(parts, want) {
		t.Fatalf("search files %v, want %v", parts, want)
	}
	if bytes.Contains(files["sitemap.xml"], []byte("assets/search")) {
		t.Error("the sitemap lists the search index")
	}

	in := map[string]string{} // URL -> part
	for y := range years {
		p := searchYearPath(y)
		for _, e := range searchFile(t, files, p, searchYearPrefix(y)) {
			if e.Year != y {
				t.Errorf("%s: entry %q of year %d", p, e.Title, e.Year)
			}
			if strings.HasPrefix(e.URL, "reports/") && e.Text == "" {
				t.Errorf("%s: report %s without text", p, e.URL)
			}
			if _, ok := files[e.URL]; !ok {
				t.Errorf("%s: entry %q points at missing %s", p, e.Title, e.URL)
			}
			if q, dup := in[e.URL]; dup {
				t.Errorf("%s in %s and %s", e.URL, q, p)
			}
			in[e.URL] = p
		}
		if in[comparePath(y)] != p {
			t.Errorf("%s not in %s", comparePath(y), p)
		}
	}
	for _, d := range l.m.Departments {
		for _, r := range d.Reports {
			if in[reportPath(r)] != searchYearPath(r.Year) {
				t.Errorf("%s in %q, want %s", reportPath(r), in[reportPath(r)], searchYearPath(r.Year))
			}
		}
	}
	common := map[string]searchEntry{}
	for _, e := range searchFile(t, files, searchIndexPath, searchIndexPrefix) {
		common[e.URL] = e
		if _, ok := files[e.URL]; !ok {
			t.Errorf("common entry %q points at missing %s", e.Title, e.URL)
		}
		if strings.HasPrefix(e.URL, "reports/") && e.Text != "" {
			t.Errorf("common entry %s carries its text, which its year's part has", e.URL)
		}
		if p, dup := in[e.URL]; dup && !strings.HasPrefix(e.URL, "reports/") {
			t.Errorf("%s in the common part and %s", e.URL, p)
		}
	}
	for _, d := range l.m.Departments {
		p := departmentPath(d)
		if len(d.Reports) == 1 {
			p = reportPath(d.Reports[0])
		}
		if e, ok := common[p]; !ok || e.Dept != deptName(d) || e.Region != regionText(d) {
			t.Errorf("department %s: common entry %+v (ok %v)", d.ID, e, ok)
		}
	}
	if _, ok := common["glossary.html"]; !ok {
		t.Error("the glossary is not in the common part")
	}
	categories := 0
	for u, e := range common {
		if strings.Contains(e.Title, "类别对比：") {
			categories++
		} else if !strings.HasPrefix(u, "reports/") && !strings.HasPrefix(u, "departments/") && u != "glossary.html" {
			t.Errorf("common entry %q (%s) is neither a department, a category nor the glossary", e.Title, u)
		}
	}
	if categories == 0 {
		t.Error("no category page in the common part")
	}
}

// TestSearchIndexOneReportDepartments: in the seed site every department
// has one report, so the common part names all five, and a search of the
// newest year alone finds the older departments by name.
func TestSearchIndexOneReportDepartments(t *testing.T) {
	m, files := render(t, "")
	common := searchFile(t, files, searchIndexPath, searchIndexPrefix)
	for _, d := range m.Departments {
		r := d.Reports[0]
		if !slices.ContainsFunc(common, func(e searchEntry) bool {
			return e.URL == reportPath(r) && e.Year == r.Year && e.Title == r.Title
		}) {
			t.Errorf("common part lacks %s", reportPath(r))
		}
	}
}

// TestSearchTextKeepsProjects: the budget code, authority and project
// names come before the long narrative, so the text limit cuts the
// narrative, not the names a reader searches for.
func TestSearchTextKeepsProjects(t *testing.T) {
	m, files := render(t, "")
	for _, d := range m.Departments {
		for _, r := range d.Reports {
			var e searchEntry
			for _, x := range searchFile(t, files, searchYearPath(r.Year), searchYearPrefix(r.Year)) {
				if x.URL == reportPath(r) {
					e = x
				}
			}
			if n := len([]rune(strings.TrimSuffix(e.Text, "…"))); n > searchTextLimit {
				t.Errorf("%s: %d characters of text", e.URL, n)
			}
			for _, p := range r.Projects {
				if !strings.Contains(e.Text, p.Name) {
					t.Errorf("%s: project %q not searchable in %q", e.URL, p.Name, e.Text)
				}
			}
			if d.BudgetCode != "" && !strings.Contains(e.Text, d.BudgetCode) {
				t.Errorf("%s: budget code %s not searchable", e.URL, d.BudgetCode)
			}
			hay := e.Title + " " + e.Dept + " " + e.Text
			if !strings.Contains(hay, d.Name) {
				t.Errorf("%s: department name %s not searchable", e.URL, d.Name)
			}
			if d.ShortName != "" && slices.Contains(strings.Fields(e.Text), d.ShortName) {
				t.Errorf("%s: the text repeats the department %s: %q", e.URL, d.ShortName, e.Text)
			}
		}
	}
}

// TestSearchIndexIsDeterministic: two renderings give the same bytes.
func TestSearchIndexIsDeterministic(t *testing.T) {
	l := genTree(t, gen.Options{Departments: 40, Years: 3, Seed: 5})
	a, _ := renderSome(t, l, Options{PageSize: 10}, isSearchFile)
	b, _ := renderSome(t, l, Options{PageSize: 10}, isSearchFile)
	if len(a) != 4 {
		t.Fatalf("%d search files: %v", len(a), slices.Sorted(maps.Keys(a)))
	}
	for p := range a {
		if !bytes.Equal(a[p], b[p]) {
			t.Errorf("%s differs between two renderings", p)
		}
	}
}

// TestSearchIndexEscapes: text that would end a script element, or that
// older browsers take for a line break inside a string (U+2028, U+2029),
// is escaped, and comes back whole.
func TestSearchIndexEscapes(t *testing.T) {
	l := contentTree(t)
	d := l.m.Departments[0]
	r := d.Reports[0]
	title := "甲</script><script>alert(1)</script>\u2028乙\u2029丙\"'\\<!--"
	r.Title = title
	d.Name = "部门</SCRIPT>\u2028"
	files, _ := renderSome(t, l, Options{}, isSearchFile)
	for _, p := range []string{searchIndexPath, searchYearPath(r.Year)} {
		b := files[p]
		for _, bad := range []string{"</", "<!--", "\u2028", "\u2029"} {
			if bytes.Contains(bytes.ToLower(b), []byte(bad)) {
				t.Errorf("%s holds %q unescaped", p, bad)
			}
		}
		prefix := searchIndexPrefix
		if p != searchIndexPath {
			prefix = searchYearPrefix(r.Year)
		}
		if !slices.ContainsFunc(searchFile(t, files, p, prefix), func(e searchEntry) bool { return e.Title == title }) {
			t.Errorf("%s: title %q does not come back whole", p, title)
		}
	}
}

// TestSearchPageYears: the search page offers each year, newest first and
// marked so, then all years; the form's fields have labels.
func TestSearchPageYears(t *testing.T) {
	m, files := render(t, "")
	page := string(files["search.html"])
	opts := regexp.MustCompile(`<option value="([^"]+)">([^<]+)</option>`).FindAllStringSubmatch(page, -1)
	var got []string
	for _, o := range opts {
		got = append(got, o[1]+"="+o[2])
	}
	// Every year some document of content/ is of, of any kind.
	var years []int
	for _, d := range m.Departments {
		for _, r := range d.Reports {
			if !slices.Contains(years, r.Year) {
				years = append(years, r.Year)
			}
		}
	}
	slices.Sort(years)
	slices.Reverse(years)
	var want []string
	for i, y := range years {
		latest := ""
		if i == 0 {
			latest = "（最新）"
		}
		want = append(want, fmt.Sprintf("%d=%d年度%s", y, y, latest))
	}
	want = append(want, "all=全部年度")
	// content/ holds the seeds' 2022–2024 and real documents of 2019 and 2015.
	if !slices.Equal(years, []int{2024, 2023, 2022, 2019, 2015}) {
		t.Errorf("content/ has documents of %v", years)
	}
	if !slices.Equal(got, want) {
		t.Errorf("year options %v, want %v", got, want)
	}
	for _, id := range []string{"q", "search-year"} {
		if !strings.Contains(page, `<label for="`+id+`">`) || !strings.Contains(page, `id="`+id+`"`) {
			t.Errorf("search page: no labelled #%s", id)
		}
	}
	if !strings.Contains(page, `role="status"`) {
		t.Error("search page: no status region")
	}
	if strings.Contains(page, "search-index.js") {
		t.Error("the search page loads the index itself; site.js loads it when a search needs it")
	}
	for _, y := range years {
		if _, ok := files[searchYearPath(y)]; !ok {
			t.Errorf("no %s", searchYearPath(y))
		}
	}
}

// TestSearchFindsCategories: a reader who types 低保 finds the reports whose
// spending lines name it (云溪区's 城乡低保支出), not only those whose title
// or summary does; project names still come first.
func TestSearchFindsCategories(t *testing.T) {
	m, files := render(t, "")
	found := 0
	for _, d := range m.Departments {
		for _, r := range d.Reports {
			for _, x := range searchFile(t, files, searchYearPath(r.Year), searchYearPrefix(r.Year)) {
				if x.URL == reportPath(r) && strings.Contains(x.Text, "城乡低保支出") {
					found++
				}
			}
		}
	}
	if found == 0 {
		t.Fatal("no report's search text names 城乡低保支出")
	}
}
