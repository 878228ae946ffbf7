package e2e

import (
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestSearch drives the search page, served under a sub-path and opened
// from disk. The index is split by year: a search loads the common part
// and the years it searches (the newest by default, or the years its
// terms name, or the one the reader picks, or all), nothing more.
func TestSearch(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	dir, root := site(t)
	browser := startBrowser(t, exe)
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	fileRoot := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs) + "/"}).String()
	for _, origin := range []struct{ name, root string }{{"http", root.String()}, {"file", fileRoot}} {
		t.Run(origin.name, func(t *testing.T) {
			t.Parallel()
			search := func(q string) string { return origin.root + "search.html?q=" + url.QueryEscape(q) }
			const (
				xiangtan = "reports/hunan-xiangtan-minzheng/2024.html"
				lusong   = "reports/hunan-zhuzhou-lusong-minzheng/2022.html"
				jingmen  = "reports/hubei-jingmen-minzheng/2022.html"
			)

			t.Run("queries", func(t *testing.T) {
				tb := newTab(t, browser)
				for _, tc := range []struct {
					q     string
					want  []string // hrefs that must be among the results
					year  string   // the year the selector shows
					none  bool
					loads []string // the years loaded
				}{
					{"湘潭", []string{xiangtan}, "2024", false, []string{"2024"}},
					// A year in the query is the year searched.
					{"荆门 2022", []string{jingmen}, "2022", false, []string{"2022"}},
					{"2023", []string{"reports/hunan-yueyang-yunxi-minzheng/2023.html", "reports/hunan-shaoyang-daxiang-minzheng/2023.html", "compare/2023.html"}, "2023", false, []string{"2023"}},
					// A department is found by its name whatever the year.
					{"芦淞", []string{lusong}, "2024", false, []string{"2024"}},
					{"不存在的关键词甲乙丙", nil, "2024", true, []string{"2024"}},
				} {
					tb.navigate(search(tc.q))
					hrefs := searchResults(tb, tc.none)
					for _, w := range tc.want {
						if !contains(hrefs, w) {
							t.Errorf("search %q: results %v lack %s", tc.q, hrefs, w)
						}
					}
					status := eval[string](tb, `document.querySelector('.search-status').textContent`)
					if tc.none && (len(hrefs) != 0 || !strings.Contains(status, "没有找到")) {
						t.Errorf("search %q: results %v, status %q", tc.q, hrefs, status)
					}
					if !tc.none && !strings.Contains(status, "找到") {
						t.Errorf("search %q: status %q", tc.q, status)
					}
					if y := eval[string](tb, `document.getElementById('search-year').value`); y != tc.year {
						t.Errorf("search %q: the year selector shows %q, want %q", tc.q, y, tc.year)
					}
					if got := loadedYears(tb); !slices.Equal(got, tc.loads) {
						t.Errorf("search %q loaded the years %v, want %v", tc.q, got, tc.loads)
					}
				}
				tb.finish("queries")
			})

			// 殡葬 is in the text of the 2024 report of 湘潭 and the 2022
			// report of 芦淞, in neither name.
			t.Run("one year, then all years", func(t *testing.T) {
				tb := newTab(t, browser)
				tb.navigate(search("殡葬"))
				hrefs := searchResults(tb, false)
				if !contains(hrefs, xiangtan) || contains(hrefs, lusong) {
					t.Errorf("殡葬 in the newest year: results %v", hrefs)
				}
				if s := status(tb); !strings.Contains(s, "2024年度") {
					t.Errorf("殡葬 in the newest year: status %q", s)
				}
				if got := requested(tb, "assets/search"); !slices.Equal(got, []string{"assets/search-index.js", "assets/search/2024.js"}) {
					t.Errorf("a search of the newest year loaded %v", got)
				}
				// Choosing all years searches them all, and the address keeps it.
				tb.do("choosing all years", chromedp.SetValue(chromedp.CSS("#search-year"), "all"),
					chromedp.Evaluate[chromedp.Void](`document.getElementById('search-year').dispatchEvent(new Event('change'))`))
				hrefs = waitFor[[]string](tb, resultsJS, func(v []string) bool { return len(v) >= 2 }, searchWait)
				if !contains(hrefs, xiangtan) || !contains(hrefs, lusong) {
					t.Errorf("殡葬 in all years: results %v", hrefs)
				}
				if s := status(tb); !strings.Contains(s, "全部年度") {
					t.Errorf("殡葬 in all years: status %q", s)
				}
				want := slices.Compact(slices.Sorted(slices.Values(contentYears(t))))
				if got := loadedYears(tb); !slices.Equal(got, want) {
					t.Errorf("all years loaded %v", got)
				}
				if u := eval[string](tb, `location.search`); !strings.Contains(u, "year=all") {
					t.Errorf("the address %q does not keep the year", u)
				}
				// Reloaded, the address searches all years again.
				tb.navigate(search("殡葬") + "&year=all")
				hrefs = waitFor[[]string](tb, resultsJS, func(v []string) bool { return len(v) >= 2 }, searchWait)
				if !contains(hrefs, xiangtan) || !contains(hrefs, lusong) {
					t.Errorf("殡葬&year=all: results %v", hrefs)
				}
				// One older year.
				tb.navigate(search("殡葬") + "&year=2022")
				hrefs = searchResults(tb, false)
				if !slices.Equal(hrefs, []string{lusong}) {
					t.Errorf("殡葬 in 2022: results %v", hrefs)
				}
				if y := eval[string](tb, `document.getElementById('search-year').value`); y != "2022" {
					t.Errorf("year=2022: the selector shows %q", y)
				}
				tb.finish("one year, then all years")
			})

			// 养老 is only in the 2022 text: the newest year has nothing, and
			// the page offers all years.
			t.Run("nothing in the newest year", func(t *testing.T) {
				tb := newTab(t, browser)
				tb.navigate(search("养老"))
				searchResults(tb, true)
				if s := status(tb); !strings.Contains(s, "2024年度") || !strings.Contains(s, "没有找到") {
					t.Errorf("养老 in 2024: status %q", s)
				}
				link := `#search-hint:not([hidden]) a`
				if n := eval[int](tb, `document.querySelectorAll('`+link+`').length`); n != 1 {
					t.Fatalf("no link to search all years")
				}
				tb.do("searching all years", chromedp.Click(chromedp.CSS(link)))
				hrefs := searchResults(tb, false)
				if !contains(hrefs, lusong) {
					t.Errorf("养老 in all years: results %v", hrefs)
				}
				if y := eval[string](tb, `document.getElementById('search-year').value`); y != "all" {
					t.Errorf("after the link the selector shows %q", y)
				}
				if eval[bool](tb, `document.getElementById('search-hint').hidden`) != true {
					t.Error("the link to all years stays after searching them")
				}
				tb.finish("nothing in the newest year")
			})

			// 低保 is a spending line of two 2023 reports and of the 2024
			// one: the newest year finds one, and the page offers the
			// other years in one click.
			t.Run("few in the newest year", func(t *testing.T) {
				tb := newTab(t, browser)
				tb.navigate(search("低保"))
				hrefs := searchResults(tb, false)
				if !slices.Equal(hrefs, []string{xiangtan}) {
					t.Errorf("低保 in 2024: results %v, want only %s", hrefs, xiangtan)
				}
				link := `#search-hint:not([hidden]) a`
				if n := eval[int](tb, `document.querySelectorAll('`+link+`').length`); n != 1 {
					t.Fatalf("one result in the newest year, and no link to search all years")
				}
				if s := eval[string](tb, `document.getElementById('search-hint').textContent`); !strings.Contains(s, "2024年度") {
					t.Errorf("the hint %q does not say which year was searched", s)
				}
				tb.do("searching all years", chromedp.Click(chromedp.CSS(link)))
				hrefs = waitFor[[]string](tb, resultsJS, func(v []string) bool { return len(v) >= 3 }, searchWait)
				for _, want := range []string{xiangtan, "reports/hunan-yueyang-yunxi-minzheng/2023.html", "reports/hunan-shaoyang-daxiang-minzheng/2023.html"} {
					if !contains(hrefs, want) {
						t.Errorf("低保 in all years: results %v lack %s", hrefs, want)
					}
				}
				if eval[bool](tb, `document.getElementById('search-hint').hidden`) != true {
					t.Error("the link to all years stays after searching them")
				}
				tb.finish("few in the newest year")
			})

			// Typing searches without submitting; the fields are labelled.
			t.Run("typing", func(t *testing.T) {
				tb := newTab(t, browser)
				tb.navigate(origin.root + "search.html")
				if n := eval[int](tb, `document.getElementById('q').labels.length + document.getElementById('search-year').labels.length`); n != 2 {
					t.Errorf("%d labels for the search field and the year selector", n)
				}
				if got := requested(tb, "assets/search"); len(got) != 0 {
					t.Errorf("the search page loaded %v before any search", got)
				}
				tb.do("typing", chromedp.SendKeys(chromedp.CSS("#q"), "殡葬"))
				hrefs := searchResults(tb, false)
				if !contains(hrefs, xiangtan) {
					t.Errorf("typing 殡葬: results %v", hrefs)
				}
				tb.finish("typing")
			})
		})
	}
}

// TestSearchShowsMore: a search of a large site shows its first page of
// results (the site's page size) and a button for the next page, which
// takes the focus to the first of them, and goes when all are shown.
func TestSearchShowsMore(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	dir := pagedSite(t)
	browser := startBrowser(t, exe)
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	page := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs) + "/search.html", RawQuery: "q=" + url.QueryEscape("局")}).String()
	tb := newTab(t, browser)
	tb.navigate(page)
	// The paginated site shows pagedPageSize results at a time, as its
	// lists do (the default site, 200).
	const per = pagedPageSize
	hrefs := searchResults(tb, false)
	if len(hrefs) != per {
		t.Fatalf("%d results shown, want the first %d", len(hrefs), per)
	}
	s := status(tb)
	m := regexp.MustCompile(`找到 (\d+) 项结果`).FindStringSubmatch(s)
	if m == nil || !strings.Contains(s, fmt.Sprintf("先显示前 %d 项", per)) {
		t.Fatalf("status %q", s)
	}
	total, _ := strconv.Atoi(m[1])
	if total <= 2*per {
		t.Fatalf("status %q: want more than two pages of results to test with", s)
	}
	button := "#search-more:not([hidden]) button"
	if got := eval[string](tb, `document.querySelector('`+button+`').textContent`); !strings.Contains(got, strconv.Itoa(total-per)) {
		t.Errorf("the button says %q, want %d more", got, total-per)
	}
	tb.do("showing more", chromedp.Click(chromedp.CSS(button)))
	if n := eval[int](tb, `document.querySelectorAll('#results a').length`); n != 2*per {
		t.Errorf("%d results after showing more, want %d", n, 2*per)
	}
	if more := eval[bool](tb, `!document.getElementById('search-more').hidden`); !more {
		t.Errorf("with %d results of %d shown, the button is gone", 2*per, total)
	}
	if i := eval[int](tb, `[...document.querySelectorAll('#results a')].indexOf(document.activeElement)`); i != per {
		t.Errorf("the focus is on result %d, want the first new one (%d)", i, per)
	}
	for shown := 2 * per; shown < total; shown += per {
		tb.do("showing more", chromedp.Click(chromedp.CSS(button)))
	}
	if n := eval[int](tb, `document.querySelectorAll('#results a').length`); n != total {
		t.Errorf("%d results after showing all, want %d", n, total)
	}
	if more := eval[bool](tb, `!document.getElementById('search-more').hidden`); more {
		t.Errorf("with all %d results shown, the button is still shown", total)
	}
	tb.finish("show more")
}

const (
	resultsJS  = `[...document.querySelectorAll('#results a')].map(a => a.getAttribute('href'))`
	searchWait = 5 * time.Second
)

// searchResults waits for the search page's result links and returns
// their targets; with none, an empty list is an answer too. Results only
// appear once the search is done, and the status says that it is.
func searchResults(tb *tab, none bool) []string {
	tb.t.Helper()
	waitFor[string](tb, `document.querySelector('.search-status').textContent`,
		func(s string) bool { return strings.Contains(s, "找到") || strings.Contains(s, "未能载入") }, searchWait)
	return waitFor[[]string](tb, resultsJS, func(v []string) bool { return len(v) > 0 || none }, searchWait)
}

func status(tb *tab) string {
	tb.t.Helper()
	return eval[string](tb, `document.querySelector('.search-status').textContent`)
}

// loadedYears lists the years of the search index the page has loaded.
func loadedYears(tb *tab) []string {
	tb.t.Helper()
	return eval[[]string](tb, `Object.keys(window.discloseSearchYears || {}).sort()`)
}

// requested lists, sorted and relative to the site, the files the tab has
// asked for whose address holds part.
func requested(tb *tab, part string) []string {
	tb.t.Helper()
	tb.rec.mu.Lock()
	defer tb.rec.mu.Unlock()
	var out []string
	for _, u := range tb.rec.urls {
		if i := strings.Index(u, part); i >= 0 {
			if p := u[i:]; !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return out
}
