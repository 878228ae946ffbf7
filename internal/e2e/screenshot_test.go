package e2e

import (
	"bytes"
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var screenshotDir = flag.String("screenshot-dir", filepath.Join(repoRoot, "docs", "screens"),
	"where -screenshot writes the pictures of the report, comparison and index pages")

// The pages the README and docs/screens show; the first page of the site
// with the same prefix stands in when the content changes.
var screenshotPages = []struct{ name, page, prefix string }{
	{"report", "reports/hunan-yueyang-yunxi-minzheng/2023.html", "reports/"},
	{"compare", "compare/2023.html", "compare/"},
	{"index", "index.html", "index.html"},
}

// screenshotWidths are a phone's (with mobile emulation) and a desktop's.
var screenshotWidths = []int64{390, 1280}

// maxShotHeight keeps a picture readable in the README: the top of a long
// page (down to its first charts) is what a reader sees first.
const maxShotHeight = 2400

// TestScreenshot writes docs/screens/<page>-<width>.png for the report,
// comparison and index pages at 390 px (a phone) and 1280 px, when run with
// -screenshot:
//
//	go test ./internal/e2e -run TestScreenshot -screenshot
func TestScreenshot(t *testing.T) {
	if !*screenshot {
		t.Skip("run with -screenshot to rewrite docs/screens/*.png")
	}
	exe := needChromium(t)
	dir, root := site(t)
	pages := htmlFiles(dir)
	if err := os.MkdirAll(*screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	browser := startBrowser(t, exe)
	for _, sp := range screenshotPages {
		page := sp.page
		if !slices.Contains(pages, page) {
			i := slices.IndexFunc(pages, func(p string) bool { return strings.HasPrefix(p, sp.prefix) })
			if i < 0 {
				t.Fatalf("the site has no page like %s", sp.page)
			}
			page = pages[i]
		}
		for _, w := range screenshotWidths {
			t.Run(fmt.Sprintf("%s-%d", sp.name, w), func(t *testing.T) {
				shoot(t, newTab(t, browser), root.String()+page, page, w,
					filepath.Join(*screenshotDir, fmt.Sprintf("%s-%d.png", sp.name, w)))
			})
		}
	}
}

// shoot writes the top of page, w px wide, to out.
func shoot(t *testing.T, tb *tab, u, page string, w int64, out string) {
	mobile := w < 600
	tb.viewport(w, 800, mobile)
	tb.navigate(u)
	tb.waitCharts(page)
	h := min(eval[int64](tb, `Math.ceil(document.documentElement.scrollHeight)`), maxShotHeight)
	tb.viewport(w, h, mobile)
	// Same picture every time: wait for the fonts, then for ECharts'
	// one-second entry animation (and the resize to the new height) to end.
	eval[chromedp.Void](tb, `document.fonts.ready.then(() => 0)`)
	time.Sleep(1500 * time.Millisecond)
	shot, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	// Mobile emulation may draw at the device's scale; the width in CSS
	// pixels is what the name says.
	if got := int64(img.Bounds().Dx()); got%w != 0 {
		t.Fatalf("the screenshot is %d px wide, want a multiple of %d", got, w)
	}
	for _, p := range tb.problems {
		t.Error(p)
	}
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%s, %dx%d)", out, page, img.Bounds().Dx(), img.Bounds().Dy())
}
