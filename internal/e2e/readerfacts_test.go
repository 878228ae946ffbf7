package e2e

import (
	"strings"
	"testing"
)

// TestReportFactsAsReadersSeeThem reads, as drawn, what a report page says
// beyond its published figures: each note's label (a department-wide note
// once opened with an empty "："), the department's offices and units, the
// per-person figures the site computes (labelled as its own), and what a
// score means.
func TestReportFactsAsReadersSeeThem(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	dir, root := site(t)
	browser := startBrowser(t, exe)
	tb := newTab(t, browser)

	// No line of any report page opens with a bare "：".
	for _, p := range htmlFiles(dir) {
		if !strings.HasPrefix(p, "reports/") {
			continue
		}
		tb.navigate(root.String() + p)
		bare := eval[[]string](tb, `Array.from(document.querySelectorAll('main li, main p, main dd, main td, main th'))
			.map(e => e.innerText.trim()).filter(s => s.startsWith('：')).slice(0, 3)`)
		for _, b := range bare {
			t.Errorf("%s: a line opens with an empty label: %.40q", p, b)
		}
	}

	for _, c := range []struct {
		page string
		want []string
	}{
		{"reports/hunan-shaoyang-daxiang-minzheng/2023.html", []string{"部门合计"}},
		{"reports/hunan-zhuzhou-lusong-minzheng/2022.html", []string{"内设机构", "综合办公室"}},
		{"departments/hunan-zhuzhou-lusong-minzheng.html", []string{"内设机构", "社会救助股"}},
		{"reports/hunan-yueyang-yunxi-minzheng/2023.html", []string{"人均支出", "本站按支出合计", "系部门自评"}},
		{"reports/hunan-hengyang-hengshan-guantang/2023.html", []string{"人均“三公”经费"}},
	} {
		tb.navigate(root.String() + c.page)
		text := eval[string](tb, `document.querySelector('main').innerText`)
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s does not show %q", c.page, w)
			}
		}
	}
	tb.finish("facts")
}
