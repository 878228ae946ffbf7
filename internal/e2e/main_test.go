package e2e

import (
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
	"slices"
	"strings"
	"sync"
	"testing"
)

var screenshot = flag.Bool("screenshot", false, "write docs/screenshot-report.png (the README's picture)")

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
		portal = httptest.NewServer(strictHandler(siteOut, subPath))
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
