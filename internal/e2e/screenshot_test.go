package e2e

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// screenshotPage is the report shown in the README; the first report of the
// site stands in when the content changes.
const screenshotPage = "reports/hunan-yueyang-yunxi-minzheng/2023.html"

// TestScreenshot writes docs/screenshot-report.png, the top 2400 px of a report page
// at 1280 px, when run with -screenshot:
//
//	go test ./internal/e2e -run TestScreenshot -screenshot
func TestScreenshot(t *testing.T) {
	if !*screenshot {
		t.Skip("run with -screenshot to rewrite docs/screenshot-report.png")
	}
	exe := needChromium(t)
	dir, root := site(t)
	pages := htmlFiles(dir)
	page := screenshotPage
	if !slices.Contains(pages, page) {
		i := slices.IndexFunc(pages, func(p string) bool { return strings.HasPrefix(p, "reports/") })
		if i < 0 {
			t.Fatal("the site has no report page")
		}
		page = pages[i]
	}
	tb := newTab(t, startBrowser(t, exe))
	tb.viewport(1280, 800, false)
	tb.navigate(root.String() + page)
	tb.waitCharts(page)
	// The top 2400 px (down to the first charts), or the whole page when it is shorter, with no
	// blank strip below it.
	h := min(eval[int64](tb, `Math.ceil(document.documentElement.scrollHeight)`), 2400)
	tb.viewport(1280, h, false)
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
	if w := img.Bounds().Dx(); w != 1280 {
		t.Fatalf("the screenshot is %d px wide, want 1280", w)
	}
	for _, p := range tb.problems {
		t.Error(p)
	}
	out := filepath.Join(repoRoot, "docs", "screenshot-report.png")
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%s, %dx%d)", out, page, img.Bounds().Dx(), img.Bounds().Dy())
}
