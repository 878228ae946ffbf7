// Package server serves a built site over HTTP for preview: only the files
// of the site, with the site's 404 page and security headers.
//
// Layer 0 (see internal/arch): it imports nothing of ours.
package server

import (
	"bytes"
	"context"
	"embed"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
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

// Options of the preview server.
type Options struct {
	// Guard is held for reading while a file is opened, so that a rebuild
	// replacing files never shows a page half-way (build.Builder has it).
	Guard interface {
		RLock()
		RUnlock()
	}
	// Live, when set, turns on live reload: pages get the reload script and
	// /_disclose/events streams the hub's events.
	Live *Hub
	// LoopbackOnly, when set, answers only requests that name this machine
	// by a loopback address: localhost, 127.x.y.z or [::1], with or without
	// a port, and with any port so that a forwarded one (ssh -L) works.
	// Listening on loopback is not enough: any page the user opens can
	// point a name of its own at 127.0.0.1 (DNS rebinding) and read the
	// preview as its own site, and such requests carry that name in Host.
	// Leave it off when the preview is opened to the network (--bind
	// 0.0.0.0): other machines reach it under names it cannot know.
	LoopbackOnly bool
	// Tools are the preview's own pages, by the first segment of their
	// path ("_review" serves /_review and everything under it). They are
	// reached only past the host and method checks, as the site is, and
	// set their own headers over the site's.
	Tools map[string]http.Handler
	// Pending, when set, is asked first for every file of the site: while
	// the preview's first build is under way, it renders the file asked
	// for at once, rather than the page waiting for the whole site. ok is
	// false when it has no such file to give: the directory serves it.
	Pending func(ctx context.Context, rel string) (b []byte, ok bool, err error)
}

// IsLoopback reports whether a listener at addr can be reached from this
// machine only, which is when Options.LoopbackOnly should be set.
func IsLoopback(addr net.Addr) bool {
	a, ok := addr.(*net.TCPAddr)
	return ok && a.IP.IsLoopback()
}

// loopbackHost reports whether a Host header names this machine by a
// loopback address. Only localhost and IP literals qualify: a rebinding
// attacker controls what every other name resolves to.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

// New returns a handler for the site in dir. The directory is looked up on
// every request, so a build that swaps in a new site is served at once.
func New(dir string, o Options) http.Handler {
	return &handler{dir: dir, o: o}
}

type handler struct {
	dir string
	o   Options
}

//go:embed live
var liveFiles embed.FS

// liveScript is what a page gets in preview, just before </body>.
const liveScript = `<script src="/_disclose/live.js"></script>`

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "same-origin")
	hdr.Set("Cache-Control", "no-cache")
	// Before anything else, so that a rebinding page learns nothing about
	// the preview, not even which methods it takes.
	if h.o.LoopbackOnly && !loopbackHost(r.Host) {
		misdirected(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}

	p := r.URL.Path
	if first, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/"); h.o.Tools[first] != nil {
		h.o.Tools[first].ServeHTTP(w, r)
		return
	}
	if h.o.Live != nil && strings.HasPrefix(p, "/_disclose/") {
		h.serveLive(w, r, strings.TrimPrefix(p, "/_disclose/"))
		return
	}
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
	if h.o.Pending != nil {
		b, ok, err := h.o.Pending(r.Context(), rel)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if ok {
			h.serveBytes(w, r, rel, b)
			return
		}
	}
	if h.o.Guard != nil {
		h.o.Guard.RLock()
	}
	// Once open, the file is the version of that moment even if a
	// rebuild replaces it while it is being sent.
	f, err := os.Open(filepath.Join(h.dir, filepath.FromSlash(rel)))
	if h.o.Guard != nil {
		h.o.Guard.RUnlock()
	}
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
		// From the cleaned path, never the requested one: a request for
		// //evil.example/..%2fassets would otherwise be sent to
		// //evil.example/../assets/, another site. rel has no leading
		// slash, so the Location starts with exactly one; escaping keeps
		// "?", "#", "%" and control characters in names from changing
		// where it leads.
		loc := (&url.URL{Path: "/" + rel + "/"}).EscapedPath()
		if r.URL.RawQuery != "" {
			loc += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, loc, http.StatusMovedPermanently)
		return
	}
	if h.o.Live != nil && strings.HasSuffix(rel, ".html") {
		b, err := io.ReadAll(f)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(injectLive(b))
		return
	}
	// ServeContent, not ServeFile: ServeFile redirects .../index.html to
	// .../, which would break the site's explicit relative links.
	http.ServeContent(w, r, st.Name(), st.ModTime(), f)
}

// serveBytes serves b as the site's file rel.
func (h *handler) serveBytes(w http.ResponseWriter, r *http.Request, rel string, b []byte) {
	if h.o.Live != nil && strings.HasSuffix(rel, ".html") {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(injectLive(b))
		return
	}
	http.ServeContent(w, r, path.Base(rel), time.Time{}, bytes.NewReader(b))
}

// injectLive adds the reload script before the last </body>, or at the end
// of a page that has none.
func injectLive(page []byte) []byte {
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		return append(page, liveScript...)
	}
	out := make([]byte, 0, len(page)+len(liveScript))
	out = append(out, page[:i]...)
	out = append(out, liveScript...)
	return append(out, page[i:]...)
}

func (h *handler) serveLive(w http.ResponseWriter, r *http.Request, name string) {
	switch name {
	case "events":
		h.o.Live.serveEvents(w, r)
	case "live.js", "live.css":
		b, err := liveFiles.ReadFile("live/" + name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(b)
	default:
		http.NotFound(w, r)
	}
}

// placeholder is served in preview when there is no site yet (the first
// build failed): the reload script still shows the errors over it.
const placeholder = `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>网站尚未生成</title></head>
<body><main><h1>网站尚未生成</h1><p>内容有错误，还没有成功生成过网站。改正错误并保存后，这里会自动显示网站。</p></main></body></html>
`

// misdirected refuses a request for a name other than this machine's,
// telling the person who typed it the address that works.
func misdirected(w http.ResponseWriter, r *http.Request) {
	open := "http://127.0.0.1 加上预览的端口号"
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		open = "http://" + a.String() + "/"
	}
	http.Error(w, "为了安全，预览只接受用本机地址打开。请用 "+open+" 打开。", http.StatusMisdirectedRequest)
}

func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	b, err := os.ReadFile(filepath.Join(h.dir, "404.html"))
	code := http.StatusNotFound
	if err != nil {
		if h.o.Live == nil {
			http.NotFound(w, r)
			return
		}
		if _, statErr := os.Stat(h.dir); statErr == nil {
			http.NotFound(w, r)
			return
		}
		b, code = []byte(placeholder), http.StatusServiceUnavailable
	}
	if h.o.Live != nil {
		b = injectLive(b)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(b)
}
