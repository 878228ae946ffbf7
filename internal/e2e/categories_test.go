package e2e

import (
	"regexp"
	"strings"
	"testing"
)

// categoriesJS reads the categories page: its list of category pages and
// its table of published names and the classes they map to.
const categoriesJS = `(() => ({
	links: [...document.querySelectorAll('main ul.link-list a')].map(a => ({text: a.textContent.trim(), href: a.href})),
	mapping: [...document.querySelectorAll('#category-mapping tbody tr')].map(tr => [...tr.cells].map(c => c.textContent.trim())),
}))()`

type categoriesPage struct {
	Links []struct {
		Text string `json:"text"`
		Href string `json:"href"`
	} `json:"links"`
	Mapping [][]string `json:"mapping"`
}

// categoryPageJS reads a category page: its title and each row's
// department, amount and reason.
const categoryPageJS = `(() => ({
	title: document.querySelector('h1').textContent.trim(),
	rows: [...document.querySelectorAll('#category tbody tr')].map(tr => [...tr.cells].map(c => c.textContent.trim())),
}))()`

// TestCategoriesMapped: 类别对比 groups the departments' spending lines by
// the official classification, not by literal name, so the default
// content gives more than the two categories literal matching found
// (人员经费, 公用经费); the pages are named by code, not by a hash; every
// category page loads and says, row by row, which published name went
// there and why; and the categories page shows the mapping, with the
// names that map to nothing left as published.
func TestCategoriesMapped(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	_, root := site(t)
	browser := startBrowser(t, exe)
	tb := newTab(t, browser)
	tb.viewport(1280, 900, false)
	tb.navigate(root.String() + "compare/categories.html")
	got := eval[categoriesPage](tb, categoriesJS)
	if len(got.Links) <= 2 {
		tb.errorf("categories page lists %d categories, want more than the 2 literal matching found", len(got.Links))
	}
	t.Logf("categories listed: %d", len(got.Links))
	codeName := regexp.MustCompile(`/compare/category/(econ|func)-[0-9]{3,7}(-[0-9]{3,7})*\.html$`)
	hashName := regexp.MustCompile(`[0-9a-f]{10}\.html$`)
	for _, l := range got.Links {
		if !codeName.MatchString(l.Href) || hashName.MatchString(l.Href) {
			tb.errorf("category %q is at %s, not at an address named by its code", l.Text, l.Href)
		}
	}
	// The mapping table: each published name, its reports, its class and why.
	want := map[string]string{ // published name → class it must map to
		"人员经费":     "人员经费（301+303）",
		"公用经费":     "302 商品和服务支出",
		"商品服务支出":   "302 商品和服务支出",
		"工资福利支出":   "301 工资福利支出",
		"民政管理事务支出": "20802 民政管理事务",
		"社会救助支出":   "未对应",
	}
	for _, row := range got.Mapping {
		if len(row) != 5 {
			tb.errorf("mapping row %q: want 5 cells", row)
			continue
		}
		if class, ok := want[row[0]]; ok {
			if row[3] != class {
				tb.errorf("mapping: %q maps to %q, want %q", row[0], row[3], class)
			}
			delete(want, row[0])
		}
		if row[4] == "" {
			tb.errorf("mapping: %q gives no reason", row[0])
		}
	}
	for name := range want {
		tb.errorf("mapping table lacks the published name %q", name)
	}
	for _, l := range got.Links {
		tb.navigate(l.Href)
		tb.waitCharts(l.Href)
		page := eval[struct {
			Title string     `json:"title"`
			Rows  [][]string `json:"rows"`
		}](tb, categoryPageJS)
		if !strings.Contains(page.Title, "支出类别对比") {
			tb.errorf("%s: title %q: not a category page", l.Href, page.Title)
		}
		if len(page.Rows) < 2 {
			tb.errorf("%s: %d rows, a category page compares at least 2 reports", l.Href, len(page.Rows))
		}
		for _, row := range page.Rows {
			if len(row) < 6 || !(strings.Contains(row[5], "→") || strings.Contains(row[5], "本站将")) {
				tb.errorf("%s: row %q does not say which published name maps here and why", l.Href, row)
			}
		}
	}
	tb.finish("comparing spending categories")
}
