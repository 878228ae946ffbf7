// Package review owns the preview's review pages of imported drafts: it
// reads the sidecars disclose import leaves under <content>/_imports/ and
// the report YAML as it is now, and renders, for each imported value, the
// value beside the words of the source it came from, so that a person can
// check a draft against the original before it is published.
//
// It may import internal/importer (for the Sidecar type and its path),
// gopkg.in/yaml.v3, html/template and the standard library; nothing else
// of ours. The preview mounts Handler; the pages never change content.
//
// Layer 4 (see internal/arch).
package review

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Prefix is where the preview serves the review pages: Prefix lists the
// imported reports, Prefix+"<dept>/<key>.html" shows one.
const Prefix = "/_review/"

// ErrNotFound: there is no review page by that name, either because no
// sidecar has it or because the name is not one a report can have.
var ErrNotFound = errors.New("没有这份导入记录")

// Names a report's directory and file can have; anything else is refused
// before it comes near the file system.
var (
	deptRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	keyRE  = regexp.MustCompile(`^\d{4}(-[a-z0-9-]+)?$`)
)

func validName(dept, key string) bool { return deptRE.MatchString(dept) && keyRE.MatchString(key) }

// Handler serves the review pages of the content directory at contentDir.
// The directory is opened afresh for each request, as an os.Root: a page
// then reads what is on disk now, even after the directory was deleted
// and put back, and a symbolic link cannot lead it outside.
func Handler(contentDir string) http.Handler {
	root := filepath.ToSlash(filepath.Clean(contentDir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p == strings.TrimSuffix(Prefix, "/") {
			http.Redirect(w, r, Prefix, http.StatusMovedPermanently)
			return
		}
		rest, ok := strings.CutPrefix(p, Prefix)
		if !ok {
			send(w, http.StatusNotFound, notFoundPage())
			return
		}
		var dept, key string
		if rest != "" {
			d, file, _ := strings.Cut(rest, "/")
			k, ok := strings.CutSuffix(file, ".html")
			if !ok || !validName(d, k) {
				send(w, http.StatusNotFound, notFoundPage())
				return
			}
			dept, key = d, k
		}
		cr, err := os.OpenRoot(contentDir)
		if err != nil {
			send(w, http.StatusInternalServerError, problemPage("打不开内容目录", "内容目录 "+root+" 现在打不开（"+err.Error()+"）。请确认它还在，然后刷新本页。"))
			return
		}
		defer cr.Close()
		var b []byte
		if rest == "" {
			b, err = List(cr.FS(), root)
		} else {
			b, err = Page(cr.FS(), root, dept, key)
		}
		switch {
		case errors.Is(err, ErrNotFound):
			send(w, http.StatusNotFound, notFoundPage())
		case err != nil:
			send(w, http.StatusInternalServerError, problemPage("无法显示核对页面", err.Error()))
		default:
			send(w, http.StatusOK, b)
		}
	})
}

func send(w http.ResponseWriter, code int, page []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// The site's policy allows only its own stylesheets; these pages carry
	// theirs inline (they must work without the site), so they name it by
	// its hash rather than open style-src to any inline style.
	h.Set("Content-Security-Policy", csp)
	// The page shows the YAML as it is now: a cached copy would hide an
	// edit just saved.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write(page)
}
