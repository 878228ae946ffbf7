package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestSmallThingsAPortalNotices: the footer names who published (the site's
// publisher, or on a report page the report's), the report list is filtered
// by province and by city as well as by full region, and a department with
// a single report still has its page, linked from the report.
func TestSmallThingsAPortalNotices(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	_, root := site(t)
	browser := startBrowser(t, exe)

	t.Run("footer", func(t *testing.T) {
		tb := newTab(t, browser)
		for page, want := range map[string]string{
			"index.html": "各报告由其部门（单位）发布",
			"reports/hunan-yueyang-yunxi-minzheng/2023.html": "本报告发布：岳阳市云溪区民政局",
		} {
			tb.navigate(root.String() + page)
			footer := eval[string](tb, `document.querySelector('.site-footer').innerText`)
			if !strings.Contains(footer, want) || strings.Contains(footer, "disclose") {
				t.Errorf("%s: the footer says %q, want %q and not the program's name", page, footer, want)
			}
		}
		tb.finish("footer")
	})

	t.Run("region filter", func(t *testing.T) {
		tb := newTab(t, browser)
		tb.navigate(root.String() + "index.html")
		shown := func() []string {
			return eval[[]string](tb, `Array.from(document.querySelectorAll('#reports tbody tr')).filter(r => !r.hidden).map(r => r.dataset.region)`)
		}
		choose := func(name, value string) {
			tb.do("choosing "+value, chromedp.SetValue(chromedp.CSS(`form.filters select[name="`+name+`"]`), value),
				chromedp.Evaluate[chromedp.Void](`document.querySelector('form.filters select[name="`+name+`"]').dispatchEvent(new Event('change', {bubbles: true}))`))
		}
		all := shown()
		choose("province", "湖南省")
		hunan := shown()
		if len(hunan) == 0 || len(hunan) >= len(all) {
			t.Errorf("湖南省 shows %d of %d reports", len(hunan), len(all))
		}
		for _, r := range hunan {
			if !strings.HasPrefix(r, "湖南省") {
				t.Errorf("湖南省 shows a report of %s", r)
			}
		}
		// Only Hunan's cities are offered now.
		cities := eval[[]string](tb, `Array.from(document.querySelectorAll('select[name="city"] option')).filter(o => o.value && !o.disabled).map(o => o.value)`)
		if len(cities) == 0 || slices.ContainsFunc(cities, func(c string) bool { return !strings.HasPrefix(c, "湖南省") }) {
			t.Errorf("with 湖南省 chosen the cities offered are %v", cities)
		}
		choose("city", "湖南省岳阳市")
		if got := shown(); !slices.Equal(slices.Compact(got), []string{"湖南省岳阳市云溪区"}) {
			t.Errorf("岳阳市 shows the reports of %v", got)
		}
		// Another province lets go of the city.
		choose("province", "四川省")
		if v := eval[string](tb, `document.querySelector('select[name="city"]').value`); v != "" {
			t.Errorf("after choosing 四川省 the city is still %q", v)
		}
		for _, r := range shown() {
			if !strings.HasPrefix(r, "四川省") {
				t.Errorf("四川省 shows a report of %s", r)
			}
		}
		tb.finish("region filter")
	})

	t.Run("one report, its department's page", func(t *testing.T) {
		tb := newTab(t, browser)
		tb.navigate(root.String() + "reports/guangdong-caizhengting/2023.html")
		href := eval[string](tb, `(Array.from(document.querySelectorAll('a')).find(a => a.textContent.includes('本部门历年情况')) || {}).href || ''`)
		if href == "" {
			t.Fatal("the report of a department with one report does not link to the department's page")
		}
		tb.navigate(href)
		if h1 := eval[string](tb, `document.querySelector('h1').textContent`); !strings.Contains(h1, "广东省财政厅") {
			t.Errorf("the department's page is headed %q", h1)
		}
		if n := eval[int](tb, `document.querySelectorAll('.doc-list a[href$="reports/guangdong-caizhengting/2023.html"]').length`); n != 1 {
			t.Errorf("the department's page lists its report %d times", n)
		}
		tb.finish("department")
	})
}
