package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowser opens every page of the site, served under the portal
// sub-path, in headless Chromium and checks what a reader gets: charts drawn,
// no script errors, nothing fetched from another host, no serious WCAG 2.1
// A/AA violations, no sideways scrolling on a 360 px phone, a working 大字
// (large text) preference, and a skip link on the first Tab.
func TestBrowser(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	axe, err := os.ReadFile(needFile(t, "axe-core (npm)", "node_modules/axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	dir, root := site(t)
	browser := startBrowser(t, exe)

	t.Run("preferences persist across pages", func(t *testing.T) {
		checkPreferences(t, browser, root, dir)
	})
	var charts atomic.Int64
	tabs := newTabPool(browser)
	pages := htmlFiles(dir)
	contrast := sampleByKind(pages)
	t.Run("pages", func(t *testing.T) {
		for _, p := range pages {
			t.Run(p, func(t *testing.T) {
				// Parallel subtests run at most -parallel (GOMAXPROCS)
				// tabs at once, which bounds the load on a small machine.
				t.Parallel()
				problems, n := checkPage(t, tabs, root.String()+p, string(axe), chartWait, pageChecks{contrast: contrast[p]})
				for _, p := range problems {
					t.Error(p)
				}
				charts.Add(int64(n))
			})
		}
	})
	// The chart check must have checked something.
	if charts.Load() == 0 {
		t.Error("no page has a .chart-canvas element: are the charts gone?")
	}
	t.Logf("%d charts drawn", charts.Load())
}

// TestBrowserCheckers makes sure the browser checks catch what they are
// meant to: a page that breaks every rule must fail every check.
func TestBrowserCheckers(t *testing.T) {
	exe := needChromium(t)
	axe, err := os.ReadFile(needFile(t, "axe-core (npm)", "node_modules/axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	root := serveStrict(t, "testdata/badpage", subPath)
	problems, _ := checkPage(t, newTabPool(startBrowser(t, exe)), root.String()+"index.html", string(axe), time.Second, pageChecks{contrast: true})
	got := strings.Join(problems, "\n")
	for _, want := range []string{
		"hold no drawn svg or canvas: never-drawn",
		"the first Tab focuses <button> \"大字\"",
		"axe button-name [critical]",
		"request leaves 127.0.0.1: GET https://www.gov.cn/logo.png",
		"Content Security Policy",
		"uncaught exception",
		"HTTP 404 for http://127.0.0.1:",
		"after clicking 大字 the body font size is",
		"the next page load has no class pref-contrast",
		"at 360 px the page scrolls sideways",
		"p.wide (900px wide",
		"cut-short cuts 1 labels: 湘潭市民政局 20…",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the checks missed %q; they reported:\n%s", want, got)
		}
	}
}

// A recorder collects, from the events of one tab, everything that makes a
// page fail: script errors, failed loads and requests to other hosts.
type recorder struct {
	mu       sync.Mutex
	urls     map[network.RequestID]string
	problems []string
}

func (r *recorder) add(format string, args ...any) {
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

// portalFavicon reports whether u is the /favicon.ico that a browser asks
// the server root for when a page names no icon: under a sub-path that is the
// portal's file, not the site's.
func portalFavicon(u string) bool {
	p, err := url.Parse(u)
	return err == nil && p.Path == "/favicon.ico"
}

// listen runs in the tab's event loop: it must return fast.
func (r *recorder) listen(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		r.urls[ev.RequestID] = ev.Request.URL
		u, err := url.Parse(ev.Request.URL)
		switch {
		case err != nil:
			r.add("request to a malformed URL %q", ev.Request.URL)
		case u.Scheme == "data" || u.Scheme == "blob" || u.Scheme == "about":
		case u.Scheme == "file" && u.Host == "":
			// The site opened from disk: local files never leave the machine.
		case u.Hostname() != "127.0.0.1":
			r.add("request leaves 127.0.0.1: %s %s", ev.Request.Method, ev.Request.URL)
		}
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 && !portalFavicon(ev.Response.URL) {
			r.add("HTTP %d for %s", ev.Response.Status, ev.Response.URL)
		}
	case *network.EventLoadingFailed:
		if !ev.Canceled {
			r.add("loading %s failed: %s %s", r.urls[ev.RequestID], ev.ErrorText, ev.BlockedReason)
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		r.add("uncaught exception at %s:%d:%d: %s", d.URL, d.LineNumber+1, d.ColumnNumber+1, msg)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				if a.Description != "" {
					args = append(args, a.Description)
				} else {
					args = append(args, string(a.Value))
				}
			}
			r.add("console.%s: %s", ev.Type, strings.Join(args, " "))
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError && !portalFavicon(ev.Entry.URL) {
			r.add("console error (%s) %s: %s", ev.Entry.Source, ev.Entry.URL, ev.Entry.Text)
		}
	}
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.problems
	r.problems = nil
	return p
}

// A tab is one browser tab in a browser context of its own, so that the
// preferences a test stores in localStorage do not leak into another test.
type tab struct {
	t         testing.TB
	ctx       context.Context // the current page's: base with a deadline
	base      context.Context // the tab's own, as long as it is open
	rec       *recorder
	chartWait time.Duration // how long charts may take to draw
	problems  []string      // what the checks found, reported by the caller
}

func (tb *tab) errorf(format string, args ...any) {
	tb.problems = append(tb.problems, fmt.Sprintf(format, args...))
}

// fatalf stops the test, first reporting what the checks found so far.
func (tb *tab) fatalf(format string, args ...any) {
	tb.t.Helper()
	for _, p := range tb.problems {
		tb.t.Error(p)
	}
	for _, p := range tb.rec.take() {
		tb.t.Error(p)
	}
	tb.t.Fatalf(format, args...)
}

// do runs actions with a deadline, failing the test on error.
func (tb *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, patient(20*time.Second))
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.fatalf("%s: %v", what, err)
	}
}

// eval evaluates JavaScript and decodes its JSON result into T. DevTools
// evaluation is not subject to the page's Content-Security-Policy, so the
// tests never have to weaken it.
func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, patient(20*time.Second))
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.fatalf("evaluating %.60q: %v", js, err)
	}
	return v
}

// viewport sets the window size; mobile makes Chromium honour <meta
// name=viewport> as a phone does.
func (tb *tab) viewport(w, h int64, mobile bool) {
	tb.t.Helper()
	var opts []chromedp.EmulateViewportOption
	if mobile {
		opts = append(opts, chromedp.EmulateMobile)
	}
	tb.do("setting the viewport", chromedp.EmulateViewport(w, h, opts...))
}

func (tb *tab) navigate(u string) {
	tb.t.Helper()
	tb.do("loading "+u, chromedp.Navigate(u))
}

// finish ends a tab's test: what the recorder saw since last time, then
// everything the checks found, become test errors.
func (tb *tab) finish(when string) {
	tb.t.Helper()
	tb.checkEvents(when)
	for _, p := range tb.problems {
		tb.t.Error(p)
	}
}

// checkEvents fails the test with what the recorder saw since last time.
func (tb *tab) checkEvents(when string) {
	tb.t.Helper()
	if p := tb.rec.take(); len(p) > 0 {
		tb.errorf("%s:\n  %s", when, strings.Join(p, "\n  "))
	}
}

// chartsJS reports, for each .chart-canvas, whether ECharts drew into it:
// an <svg> with at least one shape and a size, or a non-empty <canvas>.
const chartsJS = `[...document.querySelectorAll('.chart-canvas')].map((el, i) => {
	const name = el.id || el.getAttribute('aria-label') || ('#' + i);
	const svg = el.querySelector('svg'), canvas = el.querySelector('canvas');
	let drawn = false;
	if (svg) {
		const r = svg.getBoundingClientRect();
		drawn = r.width > 0 && r.height > 0 && svg.querySelector('path,text,rect,circle,line,polyline,polygon,image') !== null;
	}
	if (canvas) drawn = drawn || (canvas.width > 0 && canvas.height > 0);
	return {name, drawn};
})`

type chart struct {
	Name  string `json:"name"`
	Drawn bool   `json:"drawn"`
}

// waitCharts waits until every chart is drawn, failing the test naming the
// charts that stayed empty, and returns how many charts the page has.
func (tb *tab) waitCharts(page string) int {
	tb.t.Helper()
	deadline := time.Now().Add(tb.chartWait)
	for {
		charts := eval[[]chart](tb, chartsJS)
		var empty []string
		for _, c := range charts {
			if !c.Drawn {
				empty = append(empty, c.Name)
			}
		}
		if len(empty) == 0 {
			return len(charts)
		}
		if time.Now().After(deadline) {
			// Once is enough: the next loads of the page report the
			// same charts without waiting again.
			tb.chartWait = 0
			tb.errorf("%s: %d of %d .chart-canvas elements hold no drawn svg or canvas: %s", page, len(empty), len(charts), strings.Join(empty, ", "))
			return len(charts)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// skipLinkJS describes the focused element after the first Tab.
const skipLinkJS = `(() => {
	const a = document.activeElement;
	if (!a || a === document.body) return {tag: a ? a.tagName : ''};
	const href = a.getAttribute('href') || '';
	const id = href.startsWith('#') ? decodeURIComponent(href.slice(1)) : '';
	const r = a.getBoundingClientRect();
	return {tag: a.tagName, href, text: a.textContent.trim(), html: a.outerHTML.slice(0, 160),
		target: id !== '' && document.getElementById(id) !== null,
		visible: r.width >= 1 && r.height >= 1 && r.bottom > 0 && r.right > 0 && r.left < innerWidth && r.top < innerHeight};
})()`

type focused struct {
	Tag     string `json:"tag"`
	Href    string `json:"href"`
	Text    string `json:"text"`
	HTML    string `json:"html"`
	Target  bool   `json:"target"`
	Visible bool   `json:"visible"`
}

// overflowJS finds what makes the page wider than the screen: the outermost
// elements that stick out on the right.
const overflowJS = `(() => {
	const d = document.documentElement, w = d.clientWidth;
	const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
		(typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '');
	const culprits = [];
	if (d.scrollWidth > w + 1) {
		for (const el of document.body.querySelectorAll('*')) {
			const r = el.getBoundingClientRect();
			if (r.width > 0 && r.right > w + 1 && el.parentElement.getBoundingClientRect().right <= w + 1) {
				culprits.push(name(el) + ' (' + Math.round(r.width) + 'px wide, right edge at ' + Math.round(r.right) + 'px)');
				if (culprits.length === 8) break;
			}
		}
	}
	return {scrollWidth: d.scrollWidth, clientWidth: w, culprits};
})()`

type overflow struct {
	ScrollWidth int      `json:"scrollWidth"`
	ClientWidth int      `json:"clientWidth"`
	Culprits    []string `json:"culprits"`
}

// checkNarrow fails the test when the page scrolls sideways at 360 px.
func (tb *tab) checkNarrow(page, mode string) {
	tb.t.Helper()
	o := eval[overflow](tb, overflowJS)
	switch {
	case o.ClientWidth > 360:
		tb.errorf("%s (%s): at 360 px the layout is %d px wide: the page lacks <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", page, mode, o.ClientWidth)
	case o.ScrollWidth > o.ClientWidth+1:
		tb.errorf("%s (%s): at 360 px the page scrolls sideways (%d px of content in %d px); too wide:\n  %s", page, mode, o.ScrollWidth, o.ClientWidth, strings.Join(o.Culprits, "\n  "))
	}
}

const fontSizeJS = `parseFloat(getComputedStyle(document.body).fontSize)`

const (
	largeButton    = `button[data-pref="large"]`
	contrastButton = `button[data-pref="contrast"]`
)

// axeRunJS runs axe-core with the WCAG 2.0 and 2.1 level A and AA rules, or
// with the rules it is given (%s is a JSON list; null for all).
const axeRunJS = `axe.run(document, {
	runOnly: %[1]s ? {type: 'rule', values: %[1]s} : {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
	resultTypes: ['violations'],
}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary || ''})),
})))`

type violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// checkAxe injects axe-core and fails the test on serious and critical
// violations; lesser ones are logged. With rules, only those rules run.
func (tb *tab) checkAxe(page, mode, axe string, rules ...string) {
	tb.t.Helper()
	if !eval[bool](tb, `typeof axe !== 'undefined'`) {
		eval[chromedp.Void](tb, axe+"\n;0")
	}
	only := "null"
	if len(rules) > 0 {
		b, err := json.Marshal(rules)
		if err != nil {
			tb.fatalf("%v", err)
		}
		only = string(b)
	}
	for _, v := range eval[[]violation](tb, fmt.Sprintf(axeRunJS, only)) {
		var b strings.Builder
		fmt.Fprintf(&b, "%s (%s): axe %s [%s]: %s (%s)", page, mode, v.ID, v.Impact, v.Help, v.HelpURL)
		for i, n := range v.Nodes {
			if i == 5 {
				fmt.Fprintf(&b, "\n    … and %d more elements", len(v.Nodes)-i)
				break
			}
			fmt.Fprintf(&b, "\n    %s\n      %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
		if v.Impact == "serious" || v.Impact == "critical" {
			tb.errorf("%s", b.String())
		} else {
			tb.t.Log(b.String())
		}
	}
}

// pageChecks says which checks checkPage runs beyond those every page gets.
type pageChecks struct {
	// contrast runs axe's colour-contrast rule in 高对比 on a phone. The
	// colours are the theme's, the same on every page of a kind, so a
	// tour of the site runs it on one page of each (sampleByKind).
	contrast bool
}

// checkPage runs every browser check on one page, in a tab from tabs.
func checkPage(t *testing.T, tabs *tabPool, pageURL, axe string, chartWait time.Duration, checks pageChecks) (problems []string, charts int) {
	page := pageURL[strings.LastIndex(pageURL, subPath)+len(subPath):]
	tb := tabs.get(t)
	tb.chartWait = chartWait

	// Desktop width, default preferences.
	tb.viewport(1280, 800, false)
	tb.navigate(pageURL)
	charts = tb.waitCharts(page)
	tb.checkChartText(page, 1280)

	// The first Tab from the top of a fresh page must land on a skip link
	// that becomes visible and leads to an element on the page.
	tb.do("pressing Tab", chromedp.KeyEvent(kb.Tab))
	f := eval[focused](tb, skipLinkJS)
	switch {
	case f.Tag != "A" || !strings.HasPrefix(f.Href, "#"):
		tb.errorf("%s: the first Tab focuses <%s> %q, not a skip link (<a href=\"#main\">): %s", page, strings.ToLower(f.Tag), f.Text, f.HTML)
	case !f.Target:
		tb.errorf("%s: the skip link %s leads to no element on the page", page, f.HTML)
	case !f.Visible:
		tb.errorf("%s: the skip link %s stays invisible when focused", page, f.HTML)
	}
	eval[chromedp.Void](tb, `document.activeElement && document.activeElement.blur(), 0`)

	tb.checkAxe(page, "default", axe)
	tb.checkEvents(page + ": while loading at 1280 px")

	// 大字: the text grows at once and stays large on the next load.
	before := eval[float64](tb, fontSizeJS)
	tb.do("clicking 大字", chromedp.Click(chromedp.CSS(largeButton)))
	after := eval[float64](tb, fontSizeJS)
	if after <= before {
		tb.errorf("%s: after clicking 大字 the body font size is %gpx, was %gpx", page, after, before)
	}
	if !eval[bool](tb, `document.documentElement.classList.contains('pref-large')`) {
		tb.errorf("%s: after clicking 大字 <html> has no class pref-large", page)
	}
	tb.do("clicking 高对比", chromedp.Click(chromedp.CSS(contrastButton)))

	// A phone, with large text and high contrast still on: the preferences
	// must hold on this new page load, nothing may stick out sideways, and
	// the high-contrast colours must pass axe's contrast rule.
	tb.viewport(360, 740, true)
	tb.navigate(pageURL)
	tb.waitCharts(page + " at 360 px")
	if got := eval[float64](tb, fontSizeJS); got != after {
		tb.errorf("%s: on the next page load the body font size is %gpx, not the %gpx 大字 set: the preference did not persist", page, got, after)
	}
	if !eval[bool](tb, `document.documentElement.classList.contains('pref-contrast')`) {
		tb.errorf("%s: after clicking 高对比, the next page load has no class pref-contrast on <html>", page)
	}
	tb.checkNarrow(page, "大字 + 高对比")
	if checks.contrast {
		tb.checkAxe(page, "高对比 at 360 px", axe, "color-contrast")
	}

	// The phone again with the default preferences.
	eval[chromedp.Void](tb, `localStorage.clear(), 0`)
	tb.navigate(pageURL)
	tb.waitCharts(page + " at 360 px")
	tb.checkChartText(page, 360)
	tb.checkNarrow(page, "default preferences")
	tb.checkEvents(page + ": at 360 px")
	return tb.problems, charts
}

// sampleByKind picks one page of each kind from pages (sorted): each page
// at the top of the site is a kind of its own, deeper ones are of their
// folder's kind, every report page is of one kind; and the widest pages
// (widePages), whose tables test the colours most.
func sampleByKind(pages []string) map[string]bool {
	kinds := map[string]bool{}
	out := map[string]bool{}
	for _, p := range pages {
		kind := path.Dir(p)
		if strings.HasPrefix(p, "reports/") {
			kind = "reports"
		}
		if kind == "." {
			kind = p
		}
		if !kinds[kind] {
			kinds[kind] = true
			out[p] = true
		}
	}
	for _, p := range widePages {
		out[p] = true
	}
	return out
}

// checkPreferences checks that 大字 and 高对比 set by a click on one page hold
// on pages at other depths of the site, and that turning them off holds too.
func checkPreferences(t *testing.T, browser context.Context, root *url.URL, dir string) {
	pages := htmlFiles(dir)
	// The deepest page is the strictest test of relative asset paths.
	deep := slices.MaxFunc(pages, func(a, b string) int { return strings.Count(a, "/") - strings.Count(b, "/") })
	tb := newTab(t, browser)
	tb.viewport(1280, 800, false)
	classes := func() string { return eval[string](tb, `document.documentElement.className`) }

	tb.navigate(root.String() + "index.html")
	tb.do("clicking 大字 and 高对比", chromedp.Click(chromedp.CSS(largeButton)), chromedp.Click(chromedp.CSS(contrastButton)))
	if c := classes(); !strings.Contains(c, "pref-large") || !strings.Contains(c, "pref-contrast") {
		tb.errorf("index.html: after clicking 大字 and 高对比, <html class=%q>", c)
	}
	tb.navigate(root.String() + deep)
	if c := classes(); !strings.Contains(c, "pref-large") || !strings.Contains(c, "pref-contrast") {
		tb.errorf("%s: after 大字 and 高对比 were set on index.html, <html class=%q>", deep, c)
	}
	tb.do("clicking 大字 and 高对比 again", chromedp.Click(chromedp.CSS(largeButton)), chromedp.Click(chromedp.CSS(contrastButton)))
	tb.navigate(root.String() + "index.html")
	if c := classes(); strings.Contains(c, "pref-large") || strings.Contains(c, "pref-contrast") {
		tb.errorf("index.html: after 大字 and 高对比 were turned off on %s, <html class=%q>", deep, c)
	}
	tb.finish("switching preferences")
}
