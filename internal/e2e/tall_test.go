package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"disclose/internal/build"
	"disclose/internal/gen"
	dsite "disclose/internal/site"
	"disclose/internal/theme"
)

// The tall site is one year of one province's generated departments, more
// than tallPageSize, so that the year is compared by province and the
// province's page charts them all: more bars than a fixed chart height can
// hold (the site's largest size class is 600 px). Only the comparison
// pages and the assets are written; the rest of the site plays no part
// here.
const (
	tallDepartments = 57
	tallPageSize    = 50
	tallMinBars     = 45 // the test must see at least one chart this long
)

// tallSite writes the tall site's comparison pages and assets into a
// temporary directory and returns it.
func tallSite(t testing.TB) string {
	t.Helper()
	tmp := t.TempDir()
	content := filepath.Join(tmp, "content")
	if _, err := gen.Write(content, gen.Options{Departments: tallDepartments, Years: 1, Seed: 1, Province: "gansu"}); err != nil {
		t.Fatal(err)
	}
	m, ds := build.LoadFS(os.DirFS(content), "content")
	th, err := theme.Open("")
	if err != nil {
		t.Fatal(err)
	}
	s, err := dsite.New(m, ds, th, dsite.Options{PageSize: tallPageSize})
	if err != nil {
		t.Fatal(err)
	}
	files, err := s.Files()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "public")
	for _, f := range files {
		if strings.HasPrefix(f.Path, "compare/") || strings.HasPrefix(f.Path, "assets/") {
			if err := writeSiteFile(filepath.Join(out, filepath.FromSlash(f.Path)), f); err != nil {
				t.Fatal(err)
			}
		}
	}
	return out
}

func writeSiteFile(p string, f dsite.File) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	w, err := os.Create(p)
	if err != nil {
		return err
	}
	if err := f.Write(w); err != nil {
		w.Close()
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	return w.Close()
}

// tallChartsJS describes every horizontal bar chart of the page: its
// categories, which of them have a label drawn in the SVG, the canvas
// height asked for and drawn, and the drawn text that overlaps other text.
const tallChartsJS = `(() => [...document.querySelectorAll('.chart-canvas[data-option]')].map(el => {
	const inst = echarts.getInstanceByDom(el);
	const opt = JSON.parse(document.getElementById(el.dataset.option).textContent);
	const y = (opt.yAxis || [])[0];
	if (!inst || !y || y.type !== 'category') return null;
	const names = y.data;
	// A label wrapped to the axis width is one <text> per line, all at the
	// label's place (one transform): join them into one label.
	const labels = new Map();
	for (const t of el.querySelectorAll('svg text')) {
		if (t.textContent.trim() === '') continue;
		const key = t.getAttribute('transform') || t;
		const r = t.getBoundingClientRect(), l = labels.get(key);
		if (!l) { labels.set(key, {s: t.textContent.trim(), r: {left: r.left, right: r.right, top: r.top, bottom: r.bottom}}); continue; }
		l.s += t.textContent.trim();
		l.r = {left: Math.min(l.r.left, r.left), right: Math.max(l.r.right, r.right), top: Math.min(l.r.top, r.top), bottom: Math.max(l.r.bottom, r.bottom)};
	}
	const texts = [...labels.values()];
	// A label cut to the axis width ends in "..."; it still names its bar.
	const drawn = names.map(n => texts.some(t => {
		const s = t.s, cut = s.replace(/(\.\.\.|…)$/, '');
		return s === n || (cut !== s && cut !== '' && n.startsWith(cut));
	}));
	// Text of one bar or category over text of another: the rows are too
	// close. (Text beside text in one row is a matter of width.)
	const rects = texts;
	const overlaps = [];
	for (let i = 0; i < rects.length; i++) {
		for (let j = i + 1; j < rects.length; j++) {
			const a = rects[i].r, b = rects[j].r;
			const rows = Math.abs((a.top + a.bottom) - (b.top + b.bottom)) / 2 > 2;
			if (rows && a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
				overlaps.push(rects[i].s + ' / ' + rects[j].s);
			}
		}
	}
	return {
		id: el.dataset.option, bars: names.length,
		missing: names.filter((n, i) => !drawn[i]),
		// 大字 draws the chart 1.4 times as tall (LARGE_CHART_SCALE in site.js).
		want: Math.round(parseInt(el.dataset.height || '0', 10) * (document.documentElement.classList.contains('pref-large') ? 1.4 : 1)),
		height: el.getBoundingClientRect().height,
		svg: (el.querySelector('svg') || {clientHeight: 0}).clientHeight,
		overlaps: overlaps.slice(0, 5), overlapCount: overlaps.length,
	};
}).filter(Boolean))()`

type tallChart struct {
	ID           string   `json:"id"`
	Bars         int      `json:"bars"`
	Missing      []string `json:"missing"`
	Want         int      `json:"want"`
	Height       float64  `json:"height"`
	SVG          float64  `json:"svg"`
	Overlaps     []string `json:"overlaps"`
	OverlapCount int      `json:"overlapCount"`
}

// checkTall checks every horizontal bar chart of the page: drawn at the
// height the chart asks for (taller in 大字), every category named on the axis, no text
// drawn over other text. It returns the most bars a chart has.
func (tb *tab) checkTall(page, mode string) int {
	tb.t.Helper()
	most := 0
	for _, c := range eval[[]tallChart](tb, tallChartsJS) {
		most = max(most, c.Bars)
		if len(c.Missing) > 0 {
			tb.errorf("%s (%s): %s draws %d of its %d category labels; missing: %s", page, mode, c.ID, c.Bars-len(c.Missing), c.Bars, strings.Join(c.Missing[:min(len(c.Missing), 5)], "、"))
		}
		if c.OverlapCount > 0 {
			tb.errorf("%s (%s): %s draws %d pairs of overlapping labels, e.g. %s", page, mode, c.ID, c.OverlapCount, strings.Join(c.Overlaps, "; "))
		}
		if c.Want <= 0 || c.Height < float64(c.Want)-1 || c.Height > float64(c.Want)+1 || c.SVG < float64(c.Want)-1 {
			tb.errorf("%s (%s): %s is drawn %g px tall (its svg %g px) for data-height=%d", page, mode, c.ID, c.Height, c.SVG, c.Want)
		}
	}
	return most
}

// printedChartsJS gives the size of each chart's box and of its drawing.
const printedChartsJS = `[...document.querySelectorAll('.chart-canvas')].map(el => {
	const r = el.getBoundingClientRect(), svg = el.querySelector('svg');
	const s = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
	return {id: el.dataset.option, width: r.width, height: r.height, svgWidth: s.width, svgHeight: s.height};
})`

type printedChart struct {
	ID        string  `json:"id"`
	Width     float64 `json:"width"`
	Height    float64 `json:"height"`
	SVGWidth  float64 `json:"svgWidth"`
	SVGHeight float64 `json:"svgHeight"`
}

// media emulates a CSS media type ("print"); "" ends the emulation.
func (tb *tab) media(m string) {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m}); err != nil {
		tb.fatalf("emulating media %q: %v", m, err)
	}
}

// TestTallCharts opens a province comparison page whose charts have more
// departments than the largest fixed chart size holds, at desktop and
// phone widths and with 大字: every department must be named on its bar.
func TestTallCharts(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	dir := tallSite(t)
	root := serveStrict(t, dir, subPath)
	browser := startBrowser(t, exe)
	year := gen.DefaultFirstYear
	page := fmt.Sprintf("compare/%d/gansu.html", year)
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(page))); err != nil {
		t.Fatalf("the tall site has no %s: %v", page, err)
	}
	tb := newTab(t, browser)
	tb.viewport(1280, 800, false)
	tb.navigate(root.String() + page)
	tb.waitCharts(page)
	if n := tb.checkTall(page, "1280 px"); n < tallMinBars {
		tb.fatalf("%s: the longest chart has %d bars, want at least %d", page, n, tallMinBars)
	}
	tb.checkEvents(page + ": at 1280 px")

	// 大字 re-measures the charts (a resize); they keep their height.
	tb.do("clicking 大字", chromedp.Click(chromedp.CSS(largeButton)))
	tb.checkTall(page, "1280 px, 大字")

	tb.viewport(360, 740, true)
	tb.navigate(root.String() + page)
	tb.waitCharts(page + " at 360 px")
	tb.checkTall(page, "360 px, 大字")
	tb.checkNarrow(page, "大字")
	eval[chromedp.Void](tb, `localStorage.clear(), 0`)
	tb.navigate(root.String() + page)
	tb.waitCharts(page + " at 360 px")
	tb.checkTall(page, "360 px")
	tb.checkNarrow(page, "default preferences")

	// Printing: the charts are redrawn for the A4 column, and each chart's
	// box fits its drawing, neither cut off nor padded with blank space.
	tb.viewport(1280, 800, false)
	eval[chromedp.Void](tb, `window.dispatchEvent(new Event('beforeprint')), 0`)
	tb.media("print")
	for _, c := range eval[[]printedChart](tb, printedChartsJS) {
		if c.SVGWidth > c.Width+1 || c.SVGHeight < c.Height-1 || c.SVGHeight > c.Height+1 || c.SVGHeight < 100 {
			tb.errorf("%s (print): %s is %gx%g px in a box of %gx%g px", page, c.ID, c.SVGWidth, c.SVGHeight, c.Width, c.Height)
		}
	}
	tb.media("")
	eval[chromedp.Void](tb, `window.dispatchEvent(new Event('afterprint')), 0`)
	tb.checkTall(page, "1280 px, after printing")
	tb.finish(page)
}
