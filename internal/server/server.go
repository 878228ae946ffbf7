// Package server serves a built site over HTTP for preview: only the files
// of the site, with the site's 404 page and security headers.
package server

import (
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

func init() {
	// Some systems lack these in their MIME tables; the site needs them
	// right for browsers to apply them.
	for ext, typ := range map[string]string{
		".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
		".json": "application/json", ".csv": "text/csv; charset=utf-8", ".xml": "application/xml; charset=utf-8",
		".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".svg": "image/svg+xml",
	} {
		_ = mime.AddExtensionType(ext, typ)
	}
}

// New returns a handler for the site in dir. The directory is looked up on
// every request, so a build that swaps in a new site is served at once.
func New(dir string) http.Handler {
	return &handler{dir: dir}
}

type handler struct{ dir string }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "same-origin")
	hdr.Set("Cache-Control", "no-cache")

	p := r.URL.Path
	if strings.Contains(p, "\x00") || strings.Contains(p, "\\") {
		h.notFound(w, r)
		return
	}
	clean := path.Clean("/" + p)
	if strings.HasSuffix(p, "/") {
		clean = path.Join(clean, "index.html")
	}
	rel := strings.TrimPrefix(clean, "/")
	if rel == "" {
		rel = "index.html"
	}
	// Dotfiles (the build marker, temporary directories) are not part of
	// the site.
	for _, part := range strings.Split(rel, "/") {
		if strings.HasPrefix(part, ".") {
			h.notFound(w, r)
			return
		}
	}
	f, err := os.Open(filepath.Join(h.dir, filepath.FromSlash(rel)))
	if err != nil {
		h.notFound(w, r)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		h.notFound(w, r)
		return
	}
	if st.IsDir() {
		http.Redirect(w, r, strings.TrimSuffix(r.URL.Path, "/")+"/", http.StatusMovedPermanently)
		return
	}
	// ServeContent, not ServeFile: ServeFile redirects .../index.html to
	// .../, which would break the site's explicit relative links.
	http.ServeContent(w, r, st.Name(), st.ModTime(), f)
}

func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	b, err := os.ReadFile(filepath.Join(h.dir, "404.html"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write(b)
}
