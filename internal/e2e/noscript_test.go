package e2e

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// noScriptJS describes a page's charts as a reader without scripts gets
// them: how many chart boxes take room on the page, and how many charts
// still offer their data table.
const noScriptJS = `(() => {
	const canvases = [...document.querySelectorAll('.chart-canvas')];
	return {
		noJS: document.documentElement.classList.contains('no-js'),
		charts: canvases.length,
		shown: canvases.filter(el => el.getBoundingClientRect().height > 0).length,
		tables: canvases.filter(el => { const f = el.closest('figure'); return f && f.querySelector('details table'); }).length,
	};
})()`

type noScriptPage struct {
	NoJS   bool `json:"noJS"`
	Charts int  `json:"charts"`
	Shown  int  `json:"shown"`
	Tables int  `json:"tables"`
}

// Without scripts a page does not show empty chart boxes: each chart's
// summary and data table stand in for it. With scripts the boxes are
// there to be drawn in.
func TestWithoutScripts(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	_, root := site(t)
	browser := startBrowser(t, exe)
	for _, page := range []string{"reports/hunan-xiangtan-minzheng/2024.html", "compare/2022.html"} {
		off := newTab(t, browser)
		if _, err := chromedp.Call(off.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		off.navigate(root.String() + page)
		got := eval[noScriptPage](off, noScriptJS)
		if got.Charts == 0 {
			t.Fatalf("%s has no charts to test", page)
		}
		if !got.NoJS || got.Shown != 0 {
			t.Errorf("%s without scripts: no-js class %v, %d of %d empty chart boxes take room", page, got.NoJS, got.Shown, got.Charts)
		}
		if got.Tables != got.Charts {
			t.Errorf("%s without scripts: %d of %d charts have a data table", page, got.Tables, got.Charts)
		}

		on := newTab(t, browser)
		on.navigate(root.String() + page)
		on.waitCharts(page)
		got = eval[noScriptPage](on, noScriptJS)
		if got.NoJS || got.Shown != got.Charts {
			t.Errorf("%s with scripts: no-js class %v, %d of %d charts shown", page, got.NoJS, got.Shown, got.Charts)
		}
		on.finish(page)
	}
}
