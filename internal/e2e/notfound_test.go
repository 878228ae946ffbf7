package e2e

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestNotFoundPage opens missing addresses at several depths, on a site
// mounted at the server root and under a portal sub-path, served as a portal
// serves its 404 page (the site's 404.html with status 404 at the missing
// address), and checks what the reader gets: the page styled, its reading
// preferences working, and every link leading to a real page. The site
// built with a base URL uses it; the one built without finds its root.
func TestNotFoundPage(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	_, withBase := site(t)
	noBase := pagedSite(t)
	browser := startBrowser(t, exe)
	missing := []string{"reports/some-dept/2099.html", "nope.html", "a/b/c/d/e.html"}
	noBaseSub := httptest.NewServer(notFoundHandler(noBase, subPath))
	t.Cleanup(noBaseSub.Close)
	noBaseRoot := httptest.NewServer(notFoundHandler(noBase, "/"))
	t.Cleanup(noBaseRoot.Close)
	for _, c := range []struct{ name, root string }{
		// The base URL names the portal server, which serves 404.html so.
		{"base URL, sub-path", withBase.String()},
		{"no base URL, sub-path", noBaseSub.URL + subPath},
		{"no base URL, root", noBaseRoot.URL + "/"},
	} {
		for _, m := range missing {
			t.Run(c.name+"/"+m, func(t *testing.T) {
				t.Parallel()
				u := c.root + m
				tb := newTab(t, browser)
				tb.navigate(u)
				// The brand colour of the header is site.css at work.
				const header = `getComputedStyle(document.querySelector('.site-header')).backgroundColor`
				if got := waitFor[string](tb, header, func(v string) bool { return v == "rgb(11, 74, 128)" }, 10*time.Second); got != "rgb(11, 74, 128)" {
					tb.errorf("%s: the header's background is %s: the stylesheet did not load", u, got)
				}
				// prefs.js shows the 大字 and 高对比 buttons.
				if !waitFor[bool](tb, `!document.querySelector('.prefs').hidden`, func(v bool) bool { return v }, 10*time.Second) {
					tb.errorf("%s: the reading preferences stay hidden", u)
				}
				// Every link answers 200 (the skip link stays on the page).
				bad := eval[[]string](tb, `Promise.all(Array.from(document.querySelectorAll('a[href]'))
					.filter(a => a.getAttribute('href') !== '#main')
					.map(a => fetch(a.href, {method: 'HEAD'}).then(r => r.ok ? '' : r.status + ' ' + a.href, e => 'error ' + a.href)))
					.then(l => l.filter(Boolean))`)
				for _, b := range bad {
					tb.errorf("%s: a link fails: %s", u, b)
				}
				if n := eval[int](tb, `document.querySelectorAll('a[href]').length`); n < 5 {
					tb.errorf("%s: only %d links", u, n)
				}
				// The missing page itself is a 404, and so is each directory
				// the root finder asks for the stylesheet before it finds it.
				for _, p := range tb.rec.take() {
					if strings.Contains(p, "404") && (strings.Contains(p, u) || strings.Contains(p, "assets/css/site.css")) {
						continue
					}
					tb.errorf("%s", p)
				}
				tb.finish(u)
			})
		}
	}
}

// notFoundHandler serves dir under prefix like strictHandler, and answers a
// missing file as portals are set up to: the site's 404.html, status 404.
func notFoundHandler(dir, prefix string) http.Handler {
	strict := strictHandler(dir, prefix)
	page := filepath.Join(dir, "404.html")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel, ok := strings.CutPrefix(r.URL.Path, prefix)
		if ok {
			if st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(path.Clean("/"+rel)))); err == nil && !st.IsDir() {
				strict.ServeHTTP(w, r)
				return
			}
		}
		b, err := os.ReadFile(page)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		w.Write(b)
	})
}
