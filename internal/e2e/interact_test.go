package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disclose/internal/content"
)

// TestInteractions drives what the site's JavaScript adds: the report
// list's filters, sortable columns and the print preparation (search has
// TestSearch).
func TestInteractions(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	dir, root := site(t)
	browser := startBrowser(t, exe)

	// Opened from disk, as on an intranet share or a CD: charts and links
	// must work with no server at all.
	t.Run("from file://", func(t *testing.T) {
		tb := newTab(t, browser)
		abs, err := filepath.Abs(dir)
		if err != nil {
			t.Fatal(err)
		}
		fileRoot := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs) + "/"}).String()
		tb.navigate(fileRoot + "reports/hunan-xiangtan-minzheng/2024.html")
		if n := tb.waitCharts("file:// report"); n == 0 {
			t.Error("no charts on the report page")
		}
		tb.finish("file://")
	})

	t.Run("filter and sort the report list", func(t *testing.T) {
		tb := newTab(t, browser)
		tb.navigate(root.String() + "index.html")
		visible := `[...document.querySelectorAll('#reports tbody tr')].filter(r => !r.hidden).map(r => r.dataset.year)`
		years := contentYears(t)
		if got := eval[[]string](tb, visible); !slices.Equal(got, years) {
			t.Fatalf("initial rows %v, want %v", got, years)
		}
		var of2023 []string
		for _, y := range years {
			if y == "2023" {
				of2023 = append(of2023, y)
			}
		}
		tb.do("choosing 2023", chromedp.SetValue(chromedp.CSS(`form[data-filter] select[name=year]`), "2023"),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('form[data-filter]').dispatchEvent(new Event('change'))`))
		if got := eval[[]string](tb, visible); !slices.Equal(got, of2023) {
			t.Errorf("year filter 2023 shows %v, want %v", got, of2023)
		}
		if s := eval[string](tb, `document.querySelector('.filter-status').textContent`); !strings.Contains(s, fmt.Sprintf("%d / %d", len(of2023), len(years))) {
			t.Errorf("filter status %q", s)
		}
		tb.do("clearing", chromedp.SetValue(chromedp.CSS(`form[data-filter] select[name=year]`), ""),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('form[data-filter]').dispatchEvent(new Event('change'))`))

		// Sort by 支出合计 (expenditure), the 5th column: ascending, then
		// descending; rows without the figure stay last.
		expenditure := `[...document.querySelectorAll('#reports tbody tr')].map(r => r.cells[4].textContent.trim().replace('*', ''))`
		sortBtn := `#reports thead th:nth-child(5) button.sort`
		tb.do("sorting", chromedp.Click(chromedp.CSS(sortBtn)))
		asc := eval[[]string](tb, expenditure)
		tb.do("sorting again", chromedp.Click(chromedp.CSS(sortBtn)))
		desc := eval[[]string](tb, expenditure)
		if !sortedNumbers(asc, false) || !sortedNumbers(desc, true) {
			t.Errorf("sorting by expenditure: ascending %v, descending %v", asc, desc)
		}
		if got := eval[string](tb, `document.querySelector('#reports thead th:nth-child(5)').getAttribute('aria-sort')`); got != "descending" {
			t.Errorf("aria-sort = %q", got)
		}
		tb.finish("home page")
	})

	t.Run("printing opens the data tables", func(t *testing.T) {
		tb := newTab(t, browser)
		tb.navigate(root.String() + "reports/hunan-yueyang-yunxi-minzheng/2023.html")
		tb.waitCharts("report")
		closed := `document.querySelectorAll('details:not([open])').length`
		if eval[int](tb, closed) == 0 {
			t.Fatal("the report page has no folded details to test with")
		}
		eval[chromedp.Void](tb, `window.dispatchEvent(new Event('beforeprint'))`)
		if n := eval[int](tb, closed); n != 0 {
			t.Errorf("%d details stay folded when printing", n)
		}
		eval[chromedp.Void](tb, `window.dispatchEvent(new Event('afterprint'))`)
		if eval[int](tb, closed) == 0 {
			t.Error("details not folded again after printing")
		}
		tb.finish("print")
	})
}

// waitFor evaluates js until ok accepts its result or the time is up:
// patient(limit), so that callers give what an idle machine needs.
func waitFor[T any](tb *tab, js string, ok func(T) bool, limit time.Duration) T {
	tb.t.Helper()
	return poll(tb, js, ok, limit, 100*time.Millisecond)
}

// poll is waitFor with a chosen interval; benchmarks poll often so that
// the interval does not swamp what they measure.
func poll[T any](tb *tab, js string, ok func(T) bool, limit, every time.Duration) T {
	tb.t.Helper()
	deadline := time.Now().Add(patient(limit))
	for {
		// A page that is reloading cannot be evaluated for a moment; that
		// is no failure while time is left.
		ctx, cancel := context.WithTimeout(tb.ctx, patient(5*time.Second))
		v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
		cancel()
		if err == nil && ok(v) {
			return v
		}
		if time.Now().After(deadline) {
			if err != nil {
				tb.fatalf("evaluating %.60q: %v", js, err)
			}
			return v
		}
		time.Sleep(every)
	}
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }

// sortedNumbers reports whether the figures are in order, with the blanks
// ("—") all at the end.
func sortedNumbers(cells []string, desc bool) bool {
	var nums []float64
	blank := false
	for _, c := range cells {
		var f float64
		// Amounts are shown with thousands separators.
		if _, err := fmt.Sscan(strings.ReplaceAll(c, ",", ""), &f); err != nil {
			blank = true
			continue
		}
		if blank {
			return false
		}
		nums = append(nums, f)
	}
	for i := 1; i < len(nums); i++ {
		if (!desc && nums[i] < nums[i-1]) || (desc && nums[i] > nums[i-1]) {
			return false
		}
	}
	return len(nums) >= 2
}

// contentYears is the year of every report in content/, newest first: the
// order of the home page's list.
func contentYears(t *testing.T) []string {
	t.Helper()
	m, _ := content.Load(os.DirFS("../../content"), "content")
	var years []int
	for _, d := range m.Departments {
		for _, r := range d.Reports {
			years = append(years, r.Year)
		}
	}
	if len(years) < 5 {
		t.Fatalf("content/ holds %d reports", len(years))
	}
	slices.SortStableFunc(years, func(a, b int) int { return b - a })
	out := make([]string, len(years))
	for i, y := range years {
		out[i] = strconv.Itoa(y)
	}
	return out
}
