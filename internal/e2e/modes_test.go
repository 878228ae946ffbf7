package e2e

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// widePages are the pages with the widest tables of the default site: the
// comparison tables (12, 9 and 8 columns), the report list, and the
// reports whose tables have the most columns (a performance table of 8,
// a spending tree with budget, prior year and change).
var widePages = []string{
	"index.html",
	"compare/2019.html",
	"compare/2022.html",
	"compare/2023.html",
	"reports/guangdong-caizhengting/2023.html",
	"reports/hunan-xiangtan-minzheng/2024.html",
	"reports/zhejiang-lishui-sifaju/2023.html",
}

// tablesJS opens every folded table (the charts' data tables among them),
// waits for site.js to re-measure the tables, and tells for each table
// whether a reader can see all of it: it fits its box, or its rows are
// stacked (each cell a block of its own), or it scrolls in its box with a
// visible cue above it and a first column that stays in view.
const tablesJS = `(async () => {
	for (const d of document.querySelectorAll('details')) d.open = true;
	await new Promise(r => setTimeout(r, 400));
	return [...document.querySelectorAll('table.data')].map(t => {
		const name = (t.id ? '#' + t.id + ' ' : '') + (t.caption ? t.caption.textContent.trim().slice(0, 30) : '');
		const box = t.closest('.table-scroll') || t.parentElement;
		const tw = Math.round(t.getBoundingClientRect().width), bw = box.clientWidth;
		const cell = t.querySelector('tbody td');
		const stacked = !!cell && getComputedStyle(cell).display === 'block';
		const cue = box.previousElementSibling;
		const cued = !!cue && cue.offsetHeight > 0 && cue.textContent.includes('滑动') && getComputedStyle(cue).visibility === 'visible';
		const first = t.querySelector('tbody tr > :first-child');
		const sticky = !!first && getComputedStyle(first).position === 'sticky';
		return {name, tableWidth: tw, boxWidth: bw, fits: tw <= bw + 1, stacked, cued, sticky};
	});
})()`

type tableView struct {
	Name       string `json:"name"`
	TableWidth int    `json:"tableWidth"`
	BoxWidth   int    `json:"boxWidth"`
	Fits       bool   `json:"fits"`
	Stacked    bool   `json:"stacked"`
	Cued       bool   `json:"cued"`
	Sticky     bool   `json:"sticky"`
}

// TestTablesNarrowAndWide checks issue 18's point 5 on the widest tables
// of the site, on a phone (390 px, also in 大字) and at 1280 px (a
// table that overflows at 390 px takes the same cue and sticky column at
// 360, where TestBrowser checks that no page scrolls sideways):
// the page never scrolls sideways, and no table hides columns without a
// sign: each fits its box, is stacked, or scrolls with a cue and a sticky
// first column.
func TestTablesNarrowAndWide(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	_, root := site(t)
	browser := startBrowser(t, exe)
	for _, page := range widePages {
		t.Run(page, func(t *testing.T) {
			checkTables(t, browser, root.String(), page)
		})
	}
}

// TestPagedTablesNarrowAndWide checks the same on the pages only a large
// site has: the comparison by region, a region's comparison, report list
// pages.
func TestPagedTablesNarrowAndWide(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	dir := pagedSite(t)
	root := serveStrict(t, dir, subPath)
	browser := startBrowser(t, exe)
	for _, page := range pagedSample(t, dir) {
		t.Run(page, func(t *testing.T) {
			checkTables(t, browser, root.String(), page)
		})
	}
}

// checkTables loads root+page at the phone widths, in 大字 and at 1280 px
// and checks every table of the page and the page's width.
func checkTables(t *testing.T, browser context.Context, root, page string) {
	tb := newTab(t, browser)
	for _, v := range []struct {
		w      int64
		mobile bool
		large  bool
	}{{390, true, false}, {390, true, true}, {1280, false, false}} {
		mode := fmt.Sprintf("%d px", v.w)
		if v.large {
			mode += " 大字"
		}
		tb.viewport(v.w, 800, v.mobile)
		tb.navigate(root + page)
		if v.large {
			eval[chromedp.Void](tb, `localStorage.setItem('disclose-prefs', '{"large":true}'), 0`)
			tb.navigate(root + page)
		}
		tb.waitCharts(page + " at " + mode)
		views := eval[[]tableView](tb, tablesJS)
		if len(views) == 0 {
			tb.errorf("%s: no table.data on the page", page)
		}
		for _, tv := range views {
			switch {
			case tv.Fits || tv.Stacked:
			case !tv.Cued:
				tb.errorf("%s at %s: table %q is %d px wide in a %d px box, neither stacked nor with a visible “左右滑动” cue: columns are cut off without a sign", page, mode, tv.Name, tv.TableWidth, tv.BoxWidth)
			case !tv.Sticky:
				tb.errorf("%s at %s: table %q scrolls (%d px in %d px) but its first column does not stay in view (position: sticky)", page, mode, tv.Name, tv.TableWidth, tv.BoxWidth)
			}
		}
		o := eval[overflow](tb, overflowJS)
		if o.ScrollWidth > o.ClientWidth+1 {
			tb.errorf("%s at %s: the page scrolls sideways (%d px of content in %d px); too wide:\n  %s", page, mode, o.ScrollWidth, o.ClientWidth, strings.Join(o.Culprits, "\n  "))
		}
		eval[chromedp.Void](tb, `localStorage.clear(), 0`)
	}
	tb.finish(page)
}

// contrastPalette is site.js's CONTRAST_PALETTE: the colours 高对比 draws
// the charts' series in.
var contrastPalette = []string{"#0b3d91", "#a33a00", "#1b5e20", "#6a1b9a", "#b71c1c", "#00574b", "#5d4037", "#000000"}

// chartTextJS measures what ECharts drew: the mean font size of the
// charts' text, the labels it cut short ("…"), the text that sticks out
// of its chart, and the colours of the shapes (series fills and strokes,
// normalised to #rrggbb; white, grey and pattern fills left out).
const chartTextJS = `(() => {
	const ctx = document.createElement('canvas').getContext('2d');
	const norm = c => { ctx.fillStyle = '#010203'; ctx.fillStyle = c; return ctx.fillStyle.toLowerCase(); };
	let sum = 0, n = 0, cut = [], outside = [];
	const colours = new Set();
	for (const svg of document.querySelectorAll('.chart-canvas svg')) {
		const box = svg.getBoundingClientRect();
		for (const t of svg.querySelectorAll('text')) {
			const s = t.textContent.trim();
			if (!s) continue;
			sum += parseFloat(getComputedStyle(t).fontSize); n++;
			if (s.endsWith('…') || s.endsWith('...')) cut.push(s);
			const r = t.getBoundingClientRect();
			if (r.width > 0 && (r.left < box.left - 2 || r.right > box.right + 2 || r.top < box.top - 2 || r.bottom > box.bottom + 2)) outside.push(s);
		}
		for (const p of svg.querySelectorAll('path, rect')) {
			if (p.closest('pattern, defs')) continue;
			for (const a of ['fill', 'stroke']) {
				const v = p.getAttribute(a);
				if (!v || v === 'none' || v.startsWith('url(') || /^rgba\(.*,\s*0\)$/.test(v)) continue;
				const c = norm(v);
				if (!/^#[0-9a-f]{6}$/.test(c)) continue;
				const [r, g, b] = [1, 3, 5].map(i => parseInt(c.slice(i, i + 2), 16));
				if (Math.max(r, g, b) - Math.min(r, g, b) < 24) continue; // white, greys, black
				colours.add(c);
			}
		}
	}
	return {meanFont: n ? sum / n : 0, texts: n, cut, outside, colours: [...colours].sort()};
})()`

type chartText struct {
	MeanFont float64  `json:"meanFont"`
	Texts    int      `json:"texts"`
	Cut      []string `json:"cut"`
	Outside  []string `json:"outside"`
	Colours  []string `json:"colours"`
}

// waitChartText measures the charts until cond holds or the wait runs out,
// and returns the last measure.
func (tb *tab) waitChartText(cond func(chartText) bool) chartText {
	tb.t.Helper()
	deadline := time.Now().Add(patient(5 * time.Second))
	for {
		m := eval[chartText](tb, chartTextJS)
		if cond(m) || time.Now().After(deadline) {
			return m
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestChartModes checks issue 18's point 6: 大字 and 高对比, turned on by
// the buttons in the header, redraw the charts at once with larger text
// and the contrast palette, without cutting more labels or letting text
// out of its chart; a page loaded with the modes stored draws them so
// from the start; axe passes in both modes.
func TestChartModes(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	axe, err := os.ReadFile(needFile(t, "axe-core (npm)", "node_modules/axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	_, root := site(t)
	browser := startBrowser(t, exe)
	inPalette := func(m chartText) bool {
		if len(m.Colours) == 0 {
			return false
		}
		for _, c := range m.Colours {
			if !slices.Contains(contrastPalette, c) {
				return false
			}
		}
		return true
	}
	for _, page := range []string{"reports/hunan-xiangtan-minzheng/2024.html", "reports/hunan-zhuzhou-lusong-minzheng/2022.html", "compare/2022.html"} {
		t.Run(page, func(t *testing.T) {
			tb := newTab(t, browser)
			tb.viewport(390, 800, true)
			tb.navigate(root.String() + page)
			if tb.waitCharts(page) == 0 {
				tb.fatalf("%s: no charts", page)
			}
			plain := eval[chartText](tb, chartTextJS)
			if plain.Texts == 0 {
				tb.fatalf("%s: the charts drew no text", page)
			}
			if inPalette(plain) {
				tb.errorf("%s: without 高对比 the charts are already in the contrast palette (%v): the test proves nothing", page, plain.Colours)
			}

			tb.do("clicking 大字", chromedp.Click(chromedp.CSS(largeButton)))
			large := tb.waitChartText(func(m chartText) bool { return m.MeanFont >= 1.25*plain.MeanFont })
			if large.MeanFont < 1.25*plain.MeanFont {
				tb.errorf("%s: after clicking 大字 the charts' text is %.1f px on average, was %.1f px: not redrawn larger (1.25× at least)", page, large.MeanFont, plain.MeanFont)
			}
			if len(large.Cut) > len(plain.Cut) {
				tb.errorf("%s: in 大字 the charts cut %d labels short, %d without: %q", page, len(large.Cut), len(plain.Cut), large.Cut)
			}
			if len(large.Outside) > 0 {
				tb.errorf("%s: in 大字 chart text runs out of its chart: %q", page, large.Outside)
			}
			if o := eval[overflow](tb, overflowJS); o.ScrollWidth > o.ClientWidth+1 {
				tb.errorf("%s: in 大字 at 390 px the page scrolls sideways (%d px in %d px):\n  %s", page, o.ScrollWidth, o.ClientWidth, strings.Join(o.Culprits, "\n  "))
			}
			tb.checkAxe(page, "大字 at 390 px", string(axe))

			tb.do("clicking 高对比", chromedp.Click(chromedp.CSS(contrastButton)))
			contrast := tb.waitChartText(inPalette)
			if !inPalette(contrast) {
				tb.errorf("%s: after clicking 高对比 the charts draw in %v, not only the contrast palette %v (was %v)", page, contrast.Colours, contrastPalette, plain.Colours)
			}
			tb.checkAxe(page, "大字 + 高对比 at 390 px", string(axe))
			t.Logf("%s: chart text %.1f px, in 大字 %.1f px; %d labels cut short, in 大字 %d; colours %v, in 高对比 %v", page, plain.MeanFont, large.MeanFont, len(plain.Cut), len(large.Cut), plain.Colours, contrast.Colours)

			// The modes are stored: the next load draws them from the start.
			tb.navigate(root.String() + page)
			tb.waitCharts(page + " loaded in 大字 + 高对比")
			stored := eval[chartText](tb, chartTextJS)
			if stored.MeanFont < 1.25*plain.MeanFont || !inPalette(stored) {
				tb.errorf("%s: loaded with 大字 and 高对比 stored, the charts draw %.1f px text (%.1f px without) in %v", page, stored.MeanFont, plain.MeanFont, stored.Colours)
			}
			eval[chromedp.Void](tb, `localStorage.clear(), 0`)
			tb.finish(page)
		})
	}
}

// The content width of an A4 page in CSS px (96 per inch) with the
// margins of site.css: portrait 210 mm less 2 × 12 mm, landscape (the
// "wide" page) 297 mm less 2 × 12 mm.
const (
	a4PortraitPx  = 703
	a4LandscapePx = 1032
)

// printJS reports, in print media, what would print wrong: numeric cells
// whose digits break over lines (each text node of a .n cell must lie on
// one line; a cell may hold two figures on lines of their own), controls
// that still show, and for each table its width, its box's width and
// whether it is on a landscape ("wide") page.
const printJS = `(() => {
	const broken = [], controls = [], tables = [];
	for (const cell of document.querySelectorAll('table.data tbody .n, table.data tfoot .n')) {
		const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			if (!n.textContent.trim()) continue;
			const r = document.createRange();
			r.selectNodeContents(n);
			const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
			if (tops.size > 1) broken.push(n.textContent.trim() + ' (' + tops.size + ' lines)');
		}
	}
	const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
	for (const el of document.querySelectorAll('button, select, input, .chart-data > summary, .scroll-cue')) {
		if (shown(el)) controls.push(el.outerHTML.slice(0, 80));
	}
	for (const b of document.querySelectorAll('button.sort')) {
		const c = getComputedStyle(b, '::after').content;
		if (shown(b) && c && c !== 'none' && c !== 'normal') controls.push('sort arrow ' + c);
	}
	for (const t of document.querySelectorAll('table.data')) {
		if (!shown(t)) continue;
		let wide = false;
		for (let el = t; el; el = el.parentElement) if (getComputedStyle(el).page === 'wide') wide = true;
		tables.push({name: t.caption ? t.caption.textContent.trim().slice(0, 30) : '', width: Math.ceil(t.getBoundingClientRect().width), wide});
	}
	return {broken: broken.slice(0, 10), brokenCount: broken.length, controls: [...new Set(controls)].slice(0, 10), tables};
})()`

type printView struct {
	Broken      []string `json:"broken"`
	BrokenCount int      `json:"brokenCount"`
	Controls    []string `json:"controls"`
	Tables      []struct {
		Name  string `json:"name"`
		Width int    `json:"width"`
		Wide  bool   `json:"wide"`
	} `json:"tables"`
}

// TestPrintTables checks issue 18's point 7 in Chromium's print media, at
// the width of an A4 page's content: no figure breaks inside its digits,
// no control prints, each table fits its page (a wide one on a landscape
// page, which the printed PDF has).
func TestPrintTables(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	_, root := site(t)
	browser := startBrowser(t, exe)
	// The landscape page is the theme's print stylesheet, the same for
	// every page: the PDF of the first page with a wide table shows it.
	printed := false
	for _, page := range widePages {
		t.Run(page, func(t *testing.T) {
			tb := newTab(t, browser)
			tb.viewport(1280, 800, false)
			tb.navigate(root.String() + page)
			tb.waitCharts(page)
			eval[chromedp.Void](tb, `window.dispatchEvent(new Event('beforeprint')), 0`)
			tb.media("print")
			var views [2]printView
			for i, w := range []int64{a4PortraitPx, a4LandscapePx} {
				tb.viewport(w, 1000, false)
				views[i] = eval[printView](tb, printJS)
				if v := views[i]; v.BrokenCount > 0 {
					tb.errorf("%s (print, %d px): %d figures break inside their digits: %q", page, w, v.BrokenCount, v.Broken)
				}
			}
			if c := views[0].Controls; len(c) > 0 {
				tb.errorf("%s (print): controls print: %q", page, c)
			}
			portrait, landscape := views[0].Tables, views[1].Tables
			if len(portrait) != len(landscape) || len(portrait) == 0 {
				tb.fatalf("%s (print): %d tables at %d px, %d at %d px", page, len(portrait), a4PortraitPx, len(landscape), a4LandscapePx)
			}
			wide := false
			for i, p := range portrait {
				switch {
				case p.Width <= a4PortraitPx:
				case !p.Wide:
					tb.errorf("%s (print): table %q is %d px wide, more than an A4 portrait page's %d px, and not on a landscape page", page, p.Name, p.Width, a4PortraitPx)
				case landscape[i].Width > a4LandscapePx:
					tb.errorf("%s (print): table %q is %d px wide, more than an A4 landscape page's %d px", page, p.Name, landscape[i].Width, a4LandscapePx)
				}
				wide = wide || p.Wide
			}
			tb.media("")
			eval[chromedp.Void](tb, `window.dispatchEvent(new Event('afterprint')), 0`)
			if !wide || printed {
				tb.finish(page)
				return
			}
			printed = true
			// The printed PDF really has the landscape pages.
			pdf, err := chromedp.Call(tb.ctx, cdppage.PrintToPDF, cdppage.PrintToPDFParams{PreferCSSPageSize: new(true)})
			if err != nil {
				tb.fatalf("%s: printing to PDF: %v", page, err)
			}
			if !landscapePage(pdf.Data) {
				tb.errorf("%s: a table is on the landscape page in print media, but the printed PDF has only portrait pages", page)
			}
			tb.finish(page)
		})
	}
	if !printed {
		t.Error("no page has a table wide enough for a landscape page: the PDF check printed nothing")
	}
}

// landscapePage reports whether a PDF (as Chromium writes it, with its
// page boxes uncompressed) has a page wider than it is high.
func landscapePage(pdf []byte) bool {
	for _, m := range mediaBox.FindAllSubmatch(pdf, -1) {
		w, errW := strconv.ParseFloat(string(m[1]), 64)
		h, errH := strconv.ParseFloat(string(m[2]), 64)
		if errW == nil && errH == nil && w > h {
			return true
		}
	}
	return false
}

var mediaBox = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]`)
