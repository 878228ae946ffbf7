package e2e

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

var screenshot = flag.Bool("screenshot", false, "write docs/screens/*.png (the README's pictures)")

// repoRoot is where go.mod lives; go test runs in internal/e2e.
const repoRoot = "../.."

// subPath is where a government portal typically mounts the site: the tests
// serve it there as well as at "/" so that every link must be relative.
const subPath = "/portal/xxgk/jx/"

// The site is built once for the whole package (building it per test would
// dominate the run time) and served by portal under subPath. The server is
// started before the build so that the build's base URL is the server's real
// address: sitemap.xml, feed.xml, the canonical links and 404.html (which
// needs absolute links, being served at any missing address) then point at
// pages the tests can fetch and load, without leaving 127.0.0.1.
var (
	siteOnce sync.Once
	siteOut  string
	siteErr  error
	siteTmp  string
	portal   *httptest.Server
	baseURL  string // portal.URL + subPath
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if portal != nil {
		portal.Close()
	}
	if siteTmp != "" {
		os.RemoveAll(siteTmp)
	}
	if pagedTmp != "" {
		os.RemoveAll(pagedTmp)
	}
	os.Exit(code)
}

// site returns the directory of the built site and the URL of its root on
// portal, building the site on first use.
func site(t testing.TB) (string, *url.URL) {
	t.Helper()
	siteOnce.Do(func() {
		siteTmp, siteErr = os.MkdirTemp("", "disclose-e2e-")
		if siteErr != nil {
			return
		}
		siteOut = filepath.Join(siteTmp, "public")
		portal = httptest.NewServer(notFoundHandler(siteOut, subPath))
		baseURL = portal.URL + subPath
		siteErr = buildSite(siteOut)
	})
	if siteErr != nil {
		t.Fatalf("building the site: %v", siteErr)
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	return siteOut, u
}

// required reports whether missing tools must fail the tests (make test)
// rather than skip them (a plain go test on a machine without Chromium).
func required() bool { return os.Getenv("DISCLOSE_E2E") == "require" }

// need skips or fails the test when a tool it needs is missing.
func need(t testing.TB, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	msg := fmt.Sprintf("%s is missing (%v); run `make browser node` to install it", what, err)
	if required() {
		t.Fatal(msg + " [DISCLOSE_E2E=require]")
	}
	t.Skip(msg)
}

// needFile returns the path of a repository file that a test needs.
func needFile(t testing.TB, what, rel string) string {
	t.Helper()
	p := filepath.Join(repoRoot, filepath.FromSlash(rel))
	_, err := os.Stat(p)
	need(t, what, err)
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// needChromium returns the path of the Chromium binary.
func needChromium(t testing.TB) string {
	t.Helper()
	names := []string{"chromium", "chromium-browser", "google-chrome"}
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	need(t, "Chromium", fmt.Errorf("none of %s in PATH", strings.Join(names, ", ")))
	return ""
}

// serveStrict serves dir over real HTTP on 127.0.0.1 under prefix ("/" or
// a sub-path ending in "/") and returns the URL of the site root.
func serveStrict(t testing.TB, dir, prefix string) *url.URL {
	t.Helper()
	srv := httptest.NewServer(strictHandler(dir, prefix))
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL + prefix)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// strictHandler serves dir under prefix like a plain static web server, with
// two differences that make mistakes visible: a directory is 404 (a link must
// name the file, as file:// needs), and index.html is served as itself rather
// than redirected to "./" as http.FileServer does.
func strictHandler(dir, prefix string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel, ok := strings.CutPrefix(r.URL.Path, prefix)
		if !ok || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			http.NotFound(w, r)
			return
		}
		p := filepath.Join(dir, filepath.FromSlash(path.Clean("/"+rel)))
		f, err := os.Open(p)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil || st.IsDir() {
			http.NotFound(w, r)
			return
		}
		http.ServeContent(w, r, p, st.ModTime(), f)
	})
}

// files lists the files under dir whose names end in ext, as slash paths
// relative to dir, sorted.
func files(t testing.TB, dir, ext string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ext) {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// slack multiplies every wait of the browser tests (see patient);
// DISCLOSE_E2E_SLACK=n sets it for a machine slower still.
var slack = func() time.Duration {
	if n, err := strconv.Atoi(os.Getenv("DISCLOSE_E2E_SLACK")); err == nil && n > 0 {
		return time.Duration(n)
	}
	return 6
}()

// patient turns d, what a step needs on an idle machine with some room to
// spare, into how long the tests wait for it. make test runs these tests
// beside every other package's, under -race (the preview and the builds
// run in this binary), on as few as two cores: a wait is a net for a
// hang, never a speed test, so it must not run out because the machine is
// busy. A step that succeeds ends its wait at once; only a broken one
// waits it out.
func patient(d time.Duration) time.Duration { return d * slack }

// openWait is how long starting Chromium or opening a tab may take before
// patient's slack: each takes well under a second on an idle machine.
const openWait = 20 * time.Second

// testContext is a context for what lives as long as the test: it has no
// deadline of its own, as how long the tests take depends on the machine,
// but ends shortly before go test's -timeout. A hang then fails with an
// error naming the step that hung, and Chromium is stopped, instead of
// the test binary panicking and leaving Chromium running.
func testContext(t testing.TB) (context.Context, context.CancelFunc) {
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if end, ok := d.Deadline(); ok {
			margin := min(time.Minute, time.Until(end)/10)
			return context.WithDeadline(context.Background(), end.Add(-margin))
		}
	}
	return context.WithCancel(context.Background())
}

// within runs start, which must return once stop is called, and stops it
// when it has not returned after d. A chromedp context cannot be given a
// deadline for its first action alone: the browser or tab that action
// starts lives only as long as the context the action ran under.
func within(d time.Duration, stop func(), start func() error) error {
	done := make(chan error, 1)
	go func() { done <- start() }()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		stop()
		return fmt.Errorf("no answer from Chromium in %v (waits are %d times an idle machine's; DISCLOSE_E2E_SLACK sets that): Chromium hangs or the machine is badly overloaded", d, slack)
	}
}

// explain adds to an error from the browser why its context ended, when
// it did: then every tab fails the same way, and the first failure is the
// one to read.
func explain(browser context.Context, err error) error {
	if errors.Is(err, context.DeadlineExceeded) && browser.Err() != nil {
		return fmt.Errorf("%w (the browser was stopped shortly before go test's -timeout; look for the test that hung)", err)
	}
	return err
}

// startBrowser starts one headless Chromium for the test and returns its
// context; the browser is killed when the test ends. A start that fails is
// tried once more, as Chromium can fail to come up when the machine is
// short of memory or time; a second failure fails the test with both
// errors.
func startBrowser(t testing.TB, exe string) context.Context {
	t.Helper()
	// Chromium sends everything that is not for 127.0.0.1 to this proxy,
	// which refuses it: nothing can leave the machine even if a page or
	// the browser itself tries. Pages are checked per request (see
	// recorder); this only logs what the browser tried on its own.
	var mu sync.Mutex
	var leaked []string
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		leaked = append(leaked, r.Method+" "+r.Host)
		mu.Unlock()
		http.Error(w, "no network in tests", http.StatusForbidden)
	}))
	t.Cleanup(func() {
		sink.Close()
		mu.Lock()
		defer mu.Unlock()
		if len(leaked) > 0 {
			t.Logf("Chromium tried to reach (refused): %s", strings.Join(leaked, ", "))
		}
	})
	var errs []error
	for attempt := 1; ; attempt++ {
		browser, err := launchBrowser(t, exe, sink.URL)
		if err == nil {
			return browser
		}
		errs = append(errs, fmt.Errorf("attempt %d: %w", attempt, err))
		if attempt == 2 {
			t.Fatalf("starting Chromium: %v", errors.Join(errs...))
		}
		t.Logf("starting Chromium failed, trying once more: %v", err)
	}
}

// launchBrowser starts a Chromium that sends other hosts' requests to
// proxy, and stops it when the test ends.
func launchBrowser(t testing.TB, exe, proxy string) (context.Context, error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		// The flags the machine notes ask for, so that Chromium does not
		// try to reach Google on a closed network.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("proxy-server", proxy),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("font-render-hinting", "none"),
	)
	ctx, cancel := testContext(t)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	stop := func() {
		cancelBrowser()
		cancelAlloc()
		cancel()
	}
	if err := within(patient(openWait), stop, func() error { return chromedp.Do(browser) }); err != nil {
		stop()
		return nil, explain(browser, err)
	}
	t.Cleanup(stop)
	return browser, nil
}

// readerWidths are the windows readers use: a desktop's, and a phone's
// with mobile emulation (its <meta name=viewport> honoured).
var readerWidths = []struct {
	width, height int64
	mobile        bool
}{{1280, 800, false}, {390, 844, true}}

// chartWait is how long a page's charts may take to draw: ECharts draws
// within a second on an idle machine.
var chartWait = patient(10 * time.Second)

// tabPool lends the tabs of one browser to the subtests of a test that
// tours many pages, so that each page costs a navigation, not a new tab
// and browser context (a second on a busy machine, as much as the page's
// own checks). A tab goes back to the pool only after a page whose checks
// ran to the end, with its storage cleared; the pool holds as many tabs
// as subtests run at once, and makes a new one when a tab was lost.
type tabPool struct {
	browser context.Context
	idle    chan *tab
}

func newTabPool(browser context.Context) *tabPool {
	return &tabPool{browser: browser, idle: make(chan *tab, runtime.GOMAXPROCS(0))}
}

// get lends a tab to t until t ends.
func (p *tabPool) get(t testing.TB) *tab {
	t.Helper()
	var tb *tab
	select {
	case tb = <-p.idle:
	default:
		tb = openTab(t, p.browser, true)
	}
	// Each page has the bound of a fresh tab.
	ctx, cancel := context.WithTimeout(tb.base, patient(90*time.Second))
	lent := &tab{t: t, ctx: ctx, base: tb.base, rec: tb.rec, chartWait: chartWait}
	lent.rec.take() // what an earlier page left is that page's
	t.Cleanup(func() {
		cancel()
		if t.Failed() || t.Skipped() {
			return
		}
		select {
		case p.idle <- &tab{base: tb.base, rec: tb.rec}:
		default:
		}
	})
	return lent
}

func newTab(t testing.TB, browser context.Context) *tab {
	t.Helper()
	return openTab(t, browser, false)
}

// openTab opens a tab in a browser context of its own: closed when t ends,
// or, pooled, with the browser.
func openTab(t testing.TB, browser context.Context, pooled bool) *tab {
	t.Helper()
	rec := &recorder{urls: map[network.RequestID]string{}}
	base, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext(), chromedp.WithListener(rec.listen))
	if pooled {
		context.AfterFunc(browser, cancel)
	} else {
		t.Cleanup(cancel)
	}
	if err := within(patient(openWait), cancel, func() error { return chromedp.Do(base) }); err != nil {
		t.Fatalf("opening a tab: %v", explain(browser, err))
	}
	// Each step has its own deadline (see do); this bounds the whole page.
	ctx, cancelPage := context.WithTimeout(base, patient(90*time.Second))
	t.Cleanup(cancelPage)
	// Many tabs run at once, and only one can have the window's focus: make
	// each believe it has it, so that Tab and :focus work in all of them.
	if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatal(explain(browser, err))
	}
	return &tab{t: t, ctx: ctx, base: base, rec: rec, chartWait: chartWait}
}
