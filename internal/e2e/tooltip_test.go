package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// cspWatchJS collects the page's Content-Security-Policy violations from
// now on. The console errors the recorder sees say less: not which
// directive, nor that a style attribute was what the browser refused.
const cspWatchJS = `(() => {
	window.__csp = [];
	document.addEventListener('securitypolicyviolation', e => window.__csp.push(
		e.violatedDirective + ' at ' + e.sourceFile + ':' + e.lineNumber + (e.sample ? ' (' + e.sample + ')' : '')));
	return 0;
})()`

// cspTakeJS returns the violations collected since the last call. A
// violation event is queued after the refused change, so it waits for the
// page's task queue to run first.
const cspTakeJS = `new Promise(r => setTimeout(() => r(window.__csp.splice(0)), 100))`

// treemapJS finds the spending treemap and scrolls it into view.
const treemapJS = `(() => {
	const el = [...document.querySelectorAll('.chart-canvas[data-option]')].find(el =>
		JSON.parse(document.getElementById(el.dataset.option).textContent).series.some(s => s.type === 'treemap'));
	if (!el) return false;
	el.scrollIntoView({block: 'center'});
	window.__treemap = el;
	return true;
})()`

// labelPointJS is the middle of the treemap's first text that starts with
// a name (%q): a leaf's label or a parent's header, both inside the node.
const labelPointJS = `(() => {
	const t = [...window.__treemap.querySelectorAll('svg text')].find(t => t.textContent.trim().startsWith(%q));
	if (!t) return {found: false};
	const r = t.getBoundingClientRect();
	return {found: true, x: r.left + r.width / 2, y: r.top + r.height / 2};
})()`

// rootPointJS finds where the treemap's root shows: the gap between two
// first-level nodes. The root's shape fills the whole series area, so it is
// the largest; the point is the middle of the first run of points, along a
// line across the chart, where the page hits that shape.
const rootPointJS = `(() => {
	const el = window.__treemap;
	const area = p => { const r = p.getBoundingClientRect(); return r.width * r.height; };
	const root = [...el.querySelectorAll('svg path')].reduce((a, b) => area(b) > area(a) ? b : a);
	const r = root.getBoundingClientRect();
	const hits = [];
	for (const f of [0.3, 0.5, 0.7]) {
		const x = r.left + r.width * f, y = r.top + r.height * f;
		for (let v = r.top + 1; v < r.bottom - 1; v += 0.25) if (document.elementFromPoint(x, v) === root) hits.push({x, y: v});
		if (hits.length) break;
		for (let u = r.left + 1; u < r.right - 1; u += 0.25) if (document.elementFromPoint(u, y) === root) hits.push({x: u, y});
		if (hits.length) break;
	}
	if (!hits.length) return {found: false};
	// The first run of hits is one gap: its middle.
	let end = 1;
	while (end < hits.length && Math.abs(hits[end].x - hits[end-1].x) + Math.abs(hits[end].y - hits[end-1].y) <= 0.3) end++;
	return Object.assign({found: true}, hits[Math.floor((end - 1) / 2)]);
})()`

type point struct {
	Found bool    `json:"found"`
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
}

// tooltipJS is the text of the treemap's tooltip while it shows, else "".
// ECharts puts it in a <div> of its own beside the one it draws in.
const tooltipJS = `(() => {
	const tip = [...window.__treemap.children].find(c => c.tagName === 'DIV' && !c.querySelector('svg'));
	if (!tip || tip.style.display === 'none' || getComputedStyle(tip).visibility === 'hidden') return '';
	return tip.textContent;
})()`

// TestTreemapTooltip hovers the spending treemap of a report page with the
// mouse: each tooltip must name the node with its amount and share, and
// showing it must break none of the page's own Content-Security-Policy
// (style-src 'self': no style attributes in HTML that ECharts writes).
func TestTreemapTooltip(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	_, root := site(t)
	browser := startBrowser(t, exe)
	const page = "reports/hunan-xiangtan-minzheng/2024.html"
	tb := newTab(t, browser)
	tb.viewport(1280, 800, false)
	tb.navigate(root.String() + page)
	tb.waitCharts(page)
	if !eval[bool](tb, treemapJS) {
		tb.fatalf("%s has no treemap", page)
	}
	eval[int](tb, cspWatchJS)

	// The treemap shows one level at a time: the first-level nodes are
	// blocks (with the drill-down mark ▶); a click on one shows its
	// items, under its header.
	for _, h := range []struct {
		what string
		find string // the JavaScript that finds where to hover
		name string
		want []string // what the tooltip must say besides the name
		zoom bool     // click 基本支出 first, to show its items
	}{
		{"a first-level node", fmt.Sprintf(labelPointJS, "▶ 基本支出"), "基本支出", []string{"1,723.59万元", "占全部支出的53.37%"}, false},
		{"the root, between the first-level nodes", rootPointJS, "全部支出", []string{"3,229.37万元"}, false},
		{"a leaf", fmt.Sprintf(labelPointJS, "人员经费"), "人员经费", []string{"1,581.75万元", "占基本支出的91.77%"}, true},
		{"a parent's header", fmt.Sprintf(labelPointJS, "基本支出　"), "基本支出", []string{"1,723.59万元", "占全部支出的53.37%"}, false},
	} {
		if h.zoom {
			b := eval[point](tb, fmt.Sprintf(labelPointJS, "▶ 基本支出"))
			if !b.Found {
				tb.fatalf("%s: no 基本支出 block to click", page)
			}
			tb.do("clicking 基本支出", chromedp.MouseClickXY(b.X, b.Y))
			waitFor(tb, fmt.Sprintf(labelPointJS, "人员经费")+`.found`, func(ok bool) bool { return ok }, 20*time.Second)
		}
		p := eval[point](tb, h.find)
		if !p.Found {
			tb.errorf("%s: found no place on the treemap to hover %s (%s)", page, h.what, h.name)
			continue
		}
		tb.do("hovering "+h.what, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, p.X, p.Y))
		// Generous: two busy cores may take a while to draw the tooltip.
		// The tooltip starts with the name: a leaf's names its parent
		// too, and must not pass for the parent's while it still shows.
		text := waitFor(tb, tooltipJS, func(s string) bool { return strings.HasPrefix(s, h.name) }, 20*time.Second)
		if v := eval[[]string](tb, cspTakeJS); len(v) > 0 {
			tb.errorf("%s: showing the tooltip of %s (%s) broke the Content-Security-Policy %d times:\n  %s", page, h.what, h.name, len(v), strings.Join(v, "\n  "))
		}
		if !strings.HasPrefix(text, h.name) {
			tb.errorf("%s: hovering %s at (%.1f, %.1f) shows no tooltip for %s; the tooltip says %q", page, h.what, p.X, p.Y, h.name, text)
			continue
		}
		for _, w := range h.want {
			if !strings.Contains(text, w) {
				tb.errorf("%s: the tooltip of %s says %q, without %q", page, h.what, text, w)
			}
		}
	}
	tb.finish(page + ": hovering the treemap")
}
