package site

import (
	"bytes"
	"html/template"
	"io"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"disclose/internal/diag"
	"disclose/internal/gen"
	"disclose/internal/model"
	"disclose/internal/theme"
)

// A build renders each text once: the summary for its page and the search
// index from one parse, the department's duties once for all its reports.
func TestProseRenderedOnce(t *testing.T) {
	l := genTree(t, gen.Options{Departments: 12, Years: 3, Seed: 1})
	th, err := theme.Open("")
	if err != nil {
		t.Fatal(err)
	}
	// The streamed build: each department's files and digest, then the
	// site-wide files from the digests.
	none := func(io.Writer) error { return nil } // the downloads show no prose
	s, err := NewShell(&l.m.Config, Years(l.m), th, Options{Downloads: func() (csv, xlsx func(io.Writer) error) { return none, none }})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	renders := map[string]int{}
	render := s.prose.render
	s.prose.render = func(src string) (template.HTML, string) {
		mu.Lock()
		renders[src]++
		mu.Unlock()
		return render(src)
	}
	write := func(files []File) {
		t.Helper()
		for _, f := range files {
			if err := f.Write(&bytes.Buffer{}); err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
		}
	}
	var digests []*Digest
	for _, d := range l.m.Departments {
		files := s.DepartmentFiles(d, nil)
		digests = append(digests, s.Digest(d, nil))
		write(files)
		s.Done(d)
	}
	// A streamed build holds no department's texts once it is done.
	if n := len(s.prose.shared); n != 0 {
		t.Errorf("%d texts kept after every department was done", n)
	}
	files, err := s.SiteFiles(digests)
	if err != nil {
		t.Fatal(err)
	}
	write(files)
	// How many times each text is shown: once per report for its
	// sections and notes, once per department for its duties (on every
	// report's page). Texts that repeat, as the generator's do, may be
	// rendered once for all.
	shown := map[string]int{}
	summaries, duties := 0, 0
	for _, d := range l.m.Departments {
		shown[d.Duties]++
		if d.Duties != "" && len(d.Reports) > 1 {
			duties++
		}
		for _, r := range d.Reports {
			for _, sec := range r.Narrative.Sections() {
				shown[sec.Markdown]++
			}
			for _, f := range append([]*model.Fund{r.Totals}, r.Funds...) {
				if f != nil && f.Note != "" {
					shown[f.FundName()+"："+f.Note]++
				}
			}
			for _, p := range r.Projects {
				shown[p.Description]++
			}
			for _, n := range r.Notes {
				shown[n]++
			}
			if r.Narrative.Summary != "" {
				summaries++
			}
			if renders[r.Narrative.Summary] == 0 || renders[d.Duties] == 0 {
				t.Errorf("%s %d: summary or duties not rendered", d.ID, r.Year)
			}
		}
	}
	if summaries == 0 || duties == 0 {
		t.Fatalf("the generated site has %d summaries and %d departments with duties and several reports: it tests nothing", summaries, duties)
	}
	for src, n := range renders {
		if n > shown[src] && src != "" {
			t.Errorf("rendered %d times, shown %d: %.60q", n, shown[src], src)
		}
	}
}

// Text beyond markdown.Check's limits is a checker error, which stops a
// build; should it reach the site anyway, it shows as plain paragraphs
// and never reaches goldmark.
func TestProseBeyondLimits(t *testing.T) {
	deep := strings.Repeat(">", 101)
	fsys := fstest.MapFS{
		"site.yaml":             {Data: []byte("title: 测试站点\n")},
		"d/department.yaml":     {Data: []byte("name: 测试局\nlevel: 县级\nregion: [湖南省]\n")},
		"d/2023.yaml":           {Data: []byte("year: 2023\ntitle: 测试报告\nsource:\n  title: 来源\n")},
		"d/2023/summary.md":     {Data: []byte("\ufeff# 综述\n\n" + deep + "\n")},
		"d/2023/performance.md": {Data: []byte("# 成效\n\n正文\n")},
		"d/duties.md":           {Data: []byte(strings.Repeat("- ", 150) + "职能\n")},
	}
	m, ds := loadChecked(fsys, "content")
	if !diag.HasErrors(ds) {
		t.Fatal("no error for text beyond the limits")
	}
	files, _ := renderSome(t, loaded{m, ds}, Options{}, func(f File) bool { return f.Path == "reports/d/2023.html" || isSearchFile(f) })
	page := string(files["reports/d/2023.html"])
	for _, want := range []string{
		"<p># 综述</p>\n<p>" + strings.Repeat("&gt;", 101) + "</p>",
		"<p>" + strings.TrimSpace(strings.Repeat("- ", 150)) + " 职能</p>",
		"<h3>成效</h3>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "<blockquote>") || strings.Contains(page, "<li>职能") {
		t.Error("text beyond the limits was rendered as Markdown")
	}
	entries := searchFile(t, files, searchYearPath(2023), searchYearPrefix(2023))
	if len(entries) == 0 || !strings.Contains(entries[0].Text, "# 综述 "+deep[:50]) {
		t.Errorf("search entry: %+v", entries)
	}
}
