package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disclose/internal/build"
	"disclose/internal/gen"
)

// The paginated site is built from a generated tree one department larger
// than a page, over two years, so that the report list is by year and
// page, each year's comparison by region, and the largest categories by
// page. It is built once, without a base URL (a relative sitemap). Its
// pages are pagedPageSize rows, not the site's 200: the same paging code
// over 22 reports instead of 402, which under the race detector is a
// minute of make test saved.
const pagedPageSize = 10

var (
	pagedOnce sync.Once
	pagedTmp  string
	pagedOut  string
	pagedErr  error
)

// pagedYears are the years of the paginated site, newest first.
var pagedYears = []int{gen.DefaultFirstYear + 1, gen.DefaultFirstYear}

func pagedSite(t testing.TB) string {
	t.Helper()
	pagedOnce.Do(func() {
		pagedTmp, pagedErr = os.MkdirTemp("", "disclose-e2e-paged-")
		if pagedErr != nil {
			return
		}
		content := filepath.Join(pagedTmp, "content")
		if _, pagedErr = gen.Write(content, gen.Options{Departments: pagedPageSize + 1, Years: len(pagedYears), Seed: 1}); pagedErr != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), patient(2*time.Minute))
		defer cancel()
		pagedOut = filepath.Join(pagedTmp, "public")
		_, pagedErr = build.Build(ctx, build.Options{Content: content, Out: pagedOut, PageSize: pagedPageSize})
	})
	if pagedErr != nil {
		t.Fatalf("building the paginated site: %v", pagedErr)
	}
	return pagedOut
}

// pagedSample is one page of each kind that only a large site has.
func pagedSample(t testing.TB, dir string) []string {
	t.Helper()
	newest, older := strconv.Itoa(pagedYears[0]), strconv.Itoa(pagedYears[1])
	out := []string{"index.html", "list/" + newest + "/2.html", "list/" + older + "/1.html", "compare/" + newest + ".html"}
	var region, category string
	for _, p := range htmlFiles(dir) {
		switch {
		case region == "" && strings.HasPrefix(p, "compare/"+newest+"/"):
			region = p
		case category == "" && regexp.MustCompile(`^compare/category/.*-2\.html$`).MatchString(p):
			category = p
		}
	}
	if region == "" || category == "" {
		t.Fatalf("the paginated site has no comparison by region (%q) or no category page 2 (%q)", region, category)
	}
	out = append(out, region, category)
	for _, p := range out {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p))); err != nil {
			t.Fatalf("the paginated site lacks %s", p)
		}
	}
	return out
}

// TestPagedLinks crawls the paginated site from index.html over HTTP and
// on disk: every page of every list must be linked and in the sitemap.
func TestPagedLinks(t *testing.T) {
	t.Parallel()
	dir := pagedSite(t)
	c := newCrawler(serveStrict(t, dir, subPath), dir, "")
	c.run()
	report(t, c.problems)
	report(t, checkDisk(dir, ""))
	if n := len(c.pages); n < 2*(pagedPageSize+1) {
		t.Errorf("the crawl fetched only %d pages", n)
	}
}

// TestPagedHTMLValid runs vnu over one page of each paginated kind.
func TestPagedHTMLValid(t *testing.T) {
	t.Parallel()
	dir := pagedSite(t)
	checkValid(t, dir, pagedSample(t, dir))
}

// TestPagedBrowser opens one page of each paginated kind in Chromium with
// every check of TestBrowser, and filters a page of the report list by
// province.
func TestPagedBrowser(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	axe, err := os.ReadFile(needFile(t, "axe-core (npm)", "node_modules/axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	dir := pagedSite(t)
	root := serveStrict(t, dir, subPath)
	browser := startBrowser(t, exe)
	tabs := newTabPool(browser)
	t.Run("pages", func(t *testing.T) {
		for _, p := range pagedSample(t, dir) {
			t.Run(p, func(t *testing.T) {
				t.Parallel()
				problems, _ := checkPage(t, tabs, root.String()+p, string(axe), chartWait, pageChecks{contrast: true})
				for _, p := range problems {
					t.Error(p)
				}
			})
		}
	})
	t.Run("filter a page by province", func(t *testing.T) {
		tb := newTab(t, browser)
		tb.navigate(root.String() + "index.html")
		const rows = `[...document.querySelectorAll('#reports tbody tr')]`
		if n := eval[int](tb, rows+`.length`); n != pagedPageSize {
			t.Fatalf("index.html has %d rows, want %d", n, pagedPageSize)
		}
		options := eval[[]string](tb, `[...document.querySelectorAll('form[data-filter] select[name=province] option')].map(o => o.value)`)
		if len(options) < 3 || options[0] != "" {
			t.Fatalf("province options %v", options)
		}
		want := options[1]
		tb.do("choosing "+want, chromedp.SetValue(chromedp.CSS(`form[data-filter] select[name=province]`), want),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('form[data-filter]').dispatchEvent(new Event('change'))`))
		shown := eval[[]string](tb, rows+`.filter(r => !r.hidden).map(r => r.dataset.province)`)
		if len(shown) == 0 || len(shown) == pagedPageSize || slices.ContainsFunc(shown, func(p string) bool { return p != want }) {
			t.Errorf("filtering by %s shows %d rows: %v", want, len(shown), shown)
		}
		if s := eval[string](tb, `document.querySelector('.filter-status').textContent`); !strings.Contains(s, fmt.Sprintf("%d / %d", len(shown), pagedPageSize)) {
			t.Errorf("filter status %q", s)
		}
		tb.finish("filtering index.html by province")
	})
}
