package e2e

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"disclose/internal/build"
	"disclose/internal/preview"
)

// startPreview runs `disclose serve` on a copy of the seed content and
// returns the content copy and the preview's root URL.
func startPreview(t testing.TB) (content, root string) {
	return startPreviewLog(t, io.Discard)
}

func startPreviewLog(t testing.TB, log io.Writer) (content, root string) {
	t.Helper()
	dir := t.TempDir()
	content = filepath.Join(dir, "content")
	if err := os.CopyFS(content, os.DirFS(filepath.Join(repoRoot, "content"))); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- preview.Run(ctx, preview.Options{
			Build: build.Options{Content: content, Out: filepath.Join(dir, "public")},
			Bind:  "127.0.0.1",
			Ready: func(addr string) { ready <- addr },
		}, log, log)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("preview: %v", err)
			}
		case <-time.After(patient(10 * time.Second)):
			t.Errorf("the preview did not stop within %v", patient(10*time.Second))
		}
	})
	select {
	case addr := <-ready:
		return content, "http://" + addr + "/"
	case err := <-done:
		t.Fatalf("preview stopped: %v", err)
	case <-time.After(patient(30 * time.Second)):
		t.Fatalf("the preview did not start within %v", patient(30*time.Second))
	}
	return "", ""
}

func replaceInFile(t testing.TB, file, old, new string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	// Write the way editors do: a temporary file renamed over the old one.
	tmp := file + ".tmp~"
	if err := os.WriteFile(tmp, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, file); err != nil {
		t.Fatal(err)
	}
}

// pageText is the text of the page's main content.
const pageText = `document.querySelector('main') ? document.querySelector('main').innerText : ''`

// overlayText is the error overlay's text, or "" when there is none.
const overlayText = `(document.getElementById('disclose-overlay') || {innerText: ''}).innerText`

// TestLivePreview: an official edits a figure and sees it, breaks the YAML
// and sees where, fixes it and sees the page again.
func TestLivePreview(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	content, root := startPreview(t)
	browser := startBrowser(t, exe)
	tb := newTab(t, browser)
	page := "reports/hunan-xiangtan-minzheng/2024.html"
	report := filepath.Join(content, "hunan-xiangtan-minzheng", "2024.yaml")
	tb.navigate(root + page)
	if txt := eval[string](tb, pageText); !strings.Contains(txt, "1190.27") {
		t.Fatalf("the page does not show 1190.27 before the edit")
	}
	// Scroll down, so that keeping the reader's place can be checked.
	eval[int](tb, `window.scrollTo(0, 1500), 0`)

	// The page groups the digits of what the YAML writes 1234.56.
	replaceInFile(t, report, "paid: 1190.27", "paid: 1234.56")
	txt := waitFor[string](tb, pageText, func(s string) bool { return strings.Contains(s, "1,234.56") }, 10*time.Second)
	if !strings.Contains(txt, "1,234.56") {
		t.Fatalf("the edited figure 1,234.56 did not appear within %v", patient(10*time.Second))
	}
	if y := waitFor[float64](tb, `window.scrollY`, func(y float64) bool { return y > 1000 }, 3*time.Second); y < 1000 {
		t.Errorf("the reload lost the reader's place: scrollY = %v", y)
	}

	// A mistake: an unclosed bracket on the line of `year:` (line 2).
	replaceInFile(t, report, "year: 2024", "year: [2024")
	msg := waitFor[string](tb, overlayText, func(s string) bool { return s != "" }, 10*time.Second)
	if !strings.Contains(msg, "2024.yaml:2") {
		t.Errorf("the overlay does not name the file and line; it says:\n%s", msg)
	}
	if txt := eval[string](tb, pageText); !strings.Contains(txt, "1,234.56") {
		t.Error("the last good page is gone while the content is broken")
	}
	// A page opened while the content is broken shows the overlay at once.
	tb.navigate(root + "index.html")
	if msg := waitFor[string](tb, overlayText, func(s string) bool { return s != "" }, 5*time.Second); msg == "" {
		t.Error("a page opened while the content is broken shows no overlay")
	}
	tb.navigate(root + page)
	waitFor[string](tb, overlayText, func(s string) bool { return s != "" }, 5*time.Second)

	replaceInFile(t, report, "year: [2024", "year: 2024")
	if msg := waitFor[string](tb, overlayText, func(s string) bool { return s == "" }, 10*time.Second); msg != "" {
		t.Errorf("the overlay stays after the fix:\n%s", msg)
	}
	if txt := waitFor[string](tb, pageText, func(s string) bool { return strings.Contains(s, "1,234.56") }, 5*time.Second); !strings.Contains(txt, "1,234.56") {
		t.Error("the page lost the figure after the fix")
	}
	tb.finish("live preview")
}

// TestLiveStylesheet: a theme's CSS change is swapped in without a reload.
func TestLiveStylesheet(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	dir := t.TempDir()
	th := filepath.Join(dir, "theme")
	if err := os.MkdirAll(filepath.Join(th, "assets", "css"), 0o755); err != nil {
		t.Fatal(err)
	}
	css, err := os.ReadFile(filepath.Join(repoRoot, "themes", "default", "assets", "css", "site.css"))
	if err != nil {
		t.Fatal(err)
	}
	sheet := filepath.Join(th, "assets", "css", "site.css")
	if err := os.WriteFile(sheet, css, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	go func() {
		_ = preview.Run(ctx, preview.Options{
			Build: build.Options{Content: filepath.Join(repoRoot, "content"), Out: filepath.Join(dir, "public"), Theme: th},
			Bind:  "127.0.0.1",
			Ready: func(addr string) { ready <- addr },
		}, io.Discard, io.Discard)
	}()
	var root string
	select {
	case addr := <-ready:
		root = "http://" + addr + "/"
	case <-time.After(patient(30 * time.Second)):
		t.Fatal("the preview did not start")
	}
	tb := newTab(t, startBrowser(t, exe))
	tb.navigate(root + "index.html")
	eval[int](tb, `(window.__marker = 42, 0)`)
	replaceInFile(t, sheet, "--brand: #0b4a80;", "--brand: #7a1010;")
	color := waitFor[string](tb, `getComputedStyle(document.querySelector('.site-header')).backgroundColor`,
		func(s string) bool { return s == "rgb(122, 16, 16)" }, 10*time.Second)
	if color != "rgb(122, 16, 16)" {
		t.Fatalf("header colour %s after the stylesheet change", color)
	}
	if v := eval[int](tb, `window.__marker || 0`); v != 42 {
		t.Error("the page reloaded for a stylesheet change")
	}
	tb.finish("stylesheet swap")
}

// appearsJS resolves true when the page's main content shows %q.
const appearsJS = `new Promise(resolve => {
	const has = () => { const m = document.querySelector('main'); return m !== null && m.textContent.includes(%[1]q); };
	if (has()) return resolve(true);
	const o = new MutationObserver(() => { if (has()) { o.disconnect(); resolve(true); } });
	o.observe(document.documentElement, {childList: true, subtree: true});
	setTimeout(() => { o.disconnect(); resolve(false); }, 10000);
})`

// BenchmarkSaveToBrowser measures what an official waits for: from saving
// a report to the new figure on the open page, over real files, fsnotify,
// the rebuild, Server-Sent Events and a reload in Chromium.
func BenchmarkSaveToBrowser(b *testing.B) {
	exe := needChromium(b)
	var log io.Writer = io.Discard
	if testing.Verbose() {
		log = os.Stderr
	}
	content, root := startPreviewLog(b, log)
	tb := newTab(b, startBrowser(b, exe))
	page := "reports/hunan-xiangtan-minzheng/2024.html"
	report := filepath.Join(content, "hunan-xiangtan-minzheng", "2024.yaml")
	tb.navigate(root + page)
	var lat, disk []time.Duration
	built := filepath.Join(filepath.Dir(content), "public", filepath.FromSlash(page))
	prev := "1190.27"
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// Below 1,000, so that the page shows the figure as the YAML
		// writes it (it groups the digits of larger ones).
		next := fmt.Sprintf("%d.%02d", 200+i%700, i%100)
		// The page itself reports the moment the figure appears (a
		// MutationObserver), so that polling does not add to the time.
		seen := make(chan error, 1)
		go func() {
			ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
			defer cancel()
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(appearsJS, next), chromedp.EvalAwaitPromise))
			if err == nil && !ok {
				err = fmt.Errorf("%s did not appear within 10 s", next)
			}
			seen <- err
		}()
		// Give the observer a moment to be in place before the save.
		time.Sleep(20 * time.Millisecond)
		start := time.Now()
		replaceInFile(b, report, "paid: "+prev, "paid: "+next)
		// When the page on disk has the figure, the watcher and the
		// rebuild are done; the rest is the update in the browser.
		for range 5000 {
			if html, _ := os.ReadFile(built); strings.Contains(string(html), next) {
				break
			}
			time.Sleep(500 * time.Microsecond)
		}
		disk = append(disk, time.Since(start))
		if err := <-seen; err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		prev = next
		// An official saves every few seconds, not while the page is still
		// drawing: let the charts finish so that the next save does not
		// compete with them for the two cores.
		b.StopTimer()
		tb.waitCharts(page)
		time.Sleep(200 * time.Millisecond)
		b.StartTimer()
	}
	b.StopTimer()
	slices.Sort(lat)
	slices.Sort(disk)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[(len(lat)*95)/100].Microseconds())/1000, "p95-ms")
		b.ReportMetric(float64(disk[len(disk)/2].Microseconds())/1000, "p50-on-disk-ms")
	}
}
